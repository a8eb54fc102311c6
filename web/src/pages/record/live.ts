/**
 * Live state by polling through the query cache (issue 14 §8): while any run on the record is not
 * terminal the record, its runs and its timeline are fetched again every 3 s, otherwise every
 * 30 s. TanStack Query pauses `refetchInterval` while the tab is hidden. Polling needs no fan-out
 * of server events across several API processes sharing PostgreSQL, which SSE would.
 */
import { type Run, TERMINAL } from "./data";

export const ACTIVE_POLL_MS = 3_000;
export const IDLE_POLL_MS = 30_000;

export function pollInterval(runs: Run[] | undefined): number {
  return runs?.some((r) => !TERMINAL.has(r.status)) ? ACTIVE_POLL_MS : IDLE_POLL_MS;
}

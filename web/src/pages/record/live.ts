/**
 * Live state by polling through the query cache (issue 14 §8): while any run on the record is not
 * terminal the record, its runs and its timeline are fetched again every 3 s, otherwise every
 * 30 s — and every 3 s for the first minute of a new record too: its record-created workflows
 * (classify, route) start a moment after it is saved, when the page has already read "no runs".
 * TanStack Query pauses `refetchInterval` while the tab is hidden. Polling needs no fan-out of
 * server events across several API processes sharing PostgreSQL, which SSE would.
 */
import { type Run, TERMINAL } from "./data";

export const ACTIVE_POLL_MS = 3_000;
export const IDLE_POLL_MS = 30_000;

/** How long after its creation a record is polled as if a run were active. */
export const FRESH_RECORD_MS = 60_000;

export function pollInterval(runs: Run[] | undefined, createdAt?: unknown, now = Date.now()): number {
  if (runs?.some((r) => !TERMINAL.has(r.status))) return ACTIVE_POLL_MS;
  if (typeof createdAt === "string" && now - Date.parse(createdAt) < FRESH_RECORD_MS) return ACTIVE_POLL_MS;
  return IDLE_POLL_MS;
}

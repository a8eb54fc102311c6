/**
 * Live state: how the app keeps what it shows fresh without a reload (docs/web.md, "Live state";
 * ADR 0008). It polls through the TanStack Query cache — no server-sent events — with these
 * intervals. TanStack pauses `refetchInterval` while the tab is hidden (`refetchIntervalInBackground`
 * stays false) and refetches when the window gets focus again, so a tab in the background costs
 * the server nothing.
 *
 * Use: `useQuery({ ..., refetchInterval: UNREAD_COUNT_MS })` for a steady counter, or
 * `refetchInterval: whileRunning(isRunning)` for a page that shows something that may still change
 * (a run, a delivery): polled every few seconds until the thing reaches a terminal state, then not.
 */
/** The header's unread notifications count. */
export const UNREAD_COUNT_MS = 10_000;
/** A list the person is reading that others change (the inbox, the outbox). */
export const LIST_MS = 15_000;
/** A page showing something that is running (a run, a delivery being retried). */
export const RUNNING_MS = 2_500;

/**
 * A `refetchInterval` that polls every RUNNING_MS while `isRunning(data)` says something shown is
 * not finished yet; once it is, `otherwise` (default: stop polling).
 */
export function whileRunning<T>(isRunning: (data: T) => boolean, otherwise: number | false = false) {
  // Typed by what it reads, so it fits useQuery and useInfiniteQuery alike.
  return (query: { state: { data: T | undefined } }): number | false => {
    const data = query.state.data;
    return data !== undefined && isRunning(data) ? RUNNING_MS : otherwise;
  };
}

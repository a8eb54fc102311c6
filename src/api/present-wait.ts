/** A waiting run's `waiting_for` on the wire (GET /runs, GET /runs/{id}); null for a run that is not waiting. */
import type { WaitView } from "../app/workflows/wait-view.js";

export const presentWait = (w: WaitView | undefined) => (w ? { for: w.for, until: w.until, next_step: w.next, why: w.why } : null);

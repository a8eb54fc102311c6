/**
 * Builds sandboxes (issue 19; src/app/sandbox/sandbox-port.ts): an in-memory SQLite store whose
 * clock is the sandbox's simulated one (leases and due rows judged by it), migrated, holding a
 * copy of one workspace read from the live store (store/sql/sandbox-copy.ts), with services of
 * its own wired by `build` (the composition root's buildServices). Only the sandbox's worker is
 * ever driven, by hand: its dispatcher and housekeeping are never started.
 */
import type { ApprovalService } from "../app/approvals/approval-service.js";
import type { IdGenerator } from "../app/ports.js";
import type { RecordWriter } from "../app/records/record-writer.js";
import type { OwnerPin, SandboxOpener, SandboxRuntime } from "../app/sandbox/sandbox-port.js";
import { SimulatedClock } from "../app/sandbox/simulated-clock.js";
import type { Worker } from "../runtime/worker.js";
import type { Store } from "../store/ports.js";
import { openSqliteStore } from "../store/sqlite/sqlite-store.js";

/** What the sandbox needs of the services built over its store. */
export interface SandboxServices {
  ids: IdGenerator;
  writer: RecordWriter;
  approvals: ApprovalService;
  worker: Worker;
}

export function sandboxOpener(
  live: Store,
  build: (store: Store, clock: SimulatedClock, pinOwner: OwnerPin | undefined) => SandboxServices,
): SandboxOpener {
  return async (workspaceId, selection) => {
    // Read first: a workspace or records that are not there cost no database.
    const copy = await live.sandboxCopy.readWorkspaceCopy(workspaceId, selection.recordIds);
    const clock = new SimulatedClock(selection.start);
    const store = openSqliteStore({ file: ":memory:", now: () => clock.now().toISOString(), clockFromNow: true });
    try {
      await store.migrate();
      await store.sandboxCopy.writeWorkspaceCopy(copy);
    } catch (error) {
      await store.close();
      throw error;
    }
    const services = build(store, clock, selection.pinOwner);
    const runtime: SandboxRuntime = {
      store,
      clock,
      ids: services.ids,
      writer: services.writer,
      approvals: services.approvals,
      drain: () => services.worker.drain(),
      async nextDueInMs() {
        const work = await store.work.nextDueInMs();
        const clocks = await store.sla.nextSlaDueInMs();
        return work === undefined ? clocks : clocks === undefined ? work : Math.min(work, clocks);
      },
      close: () => store.close(),
    };
    return runtime;
  };
}

/**
 * The sandbox as the application sees it (issue 19; docs/testing-workflows.md): a throw-away
 * store holding a copy of one workspace, with its own services on a simulated clock. The
 * composition root builds it (src/composition/sandbox.ts) — the application may not import the
 * composition — and hands an opener to the services that test workflows.
 *
 * Nothing in a sandbox reaches the live store or the network: it is a separate in-memory
 * database; its dispatcher and housekeeping are never started, and its egress guard refuses
 * every destination anyway. External actions stop on its outbox, rendered: what would have been sent.
 */
import type { Store } from "../../store/ports.js";
import type { ApprovalService } from "../approvals/approval-service.js";
import type { IdGenerator } from "../ports.js";
import type { RecordWriter } from "../records/record-writer.js";
import type { SimulatedClock } from "./simulated-clock.js";

export interface SandboxRuntime {
  /** The sandbox's own store (in memory). */
  readonly store: Store;
  readonly clock: SimulatedClock;
  readonly ids: IdGenerator;
  readonly writer: RecordWriter;
  readonly approvals: ApprovalService;
  /** Runs the sandbox's matcher and executor until nothing is due at the simulated instant. */
  drain(): Promise<void>;
  /** How long until the next work item, scheduled trigger or SLA milestone falls due (simulated ms), if any. */
  nextDueInMs(): Promise<number | undefined>;
  /** Drops the sandbox (its database goes with it). */
  close(): Promise<void>;
}

/**
 * A routing decision fixed in advance for a replay: for the run started by `triggerKey`, at
 * `step`, the owner production chose (null: production held the record) — or undefined, and the
 * step routes in the sandbox as usual. Round-robin positions and availability are not history: a
 * replay keeps production's choice where the step that made it did not change.
 */
export type OwnerPin = (triggerKey: string, step: string) => Promise<string | null | undefined>;

export interface SandboxSelection {
  /** Live records of the workspace to copy in, with what they reference and what references them. */
  recordIds: readonly string[];
  /** Where simulated time starts. */
  start: Date;
  /** A replay's fixed routing decisions; none: every assign step routes in the sandbox. */
  pinOwner?: OwnerPin;
}

/** Opens a sandbox holding `workspaceId`'s configuration, people and the selected records. */
export type SandboxOpener = (workspaceId: string, selection: SandboxSelection) => Promise<SandboxRuntime>;

/**
 * What every command handler works with: the step's transaction and identity, the run, and the
 * run's record as the step's earlier commands left it.
 */
import type { AskChannel } from "../../app/approvals/approval-desk.js";
import type { CallContext } from "../../app/context.js";
import type { EmailTracker } from "../../app/email/email-tracking.js";
import type { MergeRequest } from "../../app/merges/merge-input.js";
import type { IdGenerator } from "../../app/ports.js";
import type { RecordWriter } from "../../app/records/record-writer.js";
import type { OwnerPin } from "../../app/sandbox/sandbox-port.js";
import type { Command } from "../../engine/commands.js";
import type { WorkflowDefinition } from "../../engine/definition.js";
import type { StoredRecord, StoreTx } from "../../store/ports.js";
import type { RunRow } from "../../store/workflow-ports.js";
import type { Effect } from "../effects.js";

/** A command that cannot be carried out (no such team, nobody to assign): the step fails. */
export class ApplyError extends Error {}

export type { Effect } from "../effects.js";

export interface ApplyContext {
  tx: StoreTx;
  run: RunRow;
  /** The run's workflow version's quotas (engineering.md §3.10); defaults when unset. */
  limits?: WorkflowDefinition["limits"];
  record: StoredRecord;
  call: CallContext;
  writer: RecordWriter;
  ids: IdGenerator;
  now: string;
  /** How approvers are reached beyond the app (email links), when wired. */
  ask?: AskChannel | undefined;
  /** A replay's fixed routing decisions (sandbox only). */
  pinOwner?: OwnerPin | undefined;
  /** The merge service in the step's transaction (`merge_records`); returns the merge's id. */
  merge?: MergePort | undefined;
  /** Adds the open pixel and tracked links to emails to the record, where the workspace tracks them. */
  trackEmail?: EmailTracker | undefined;
}

/** How a step merges two records: `RecordMerges.merge`, handed in by the composition root. */
export type MergePort = (ctx: CallContext, request: MergeRequest, tx: StoreTx) => Promise<string>;

/** The context of one step's commands; `record` is replaced by each write of it, so later commands see it. */
export type ApplyScope = ApplyContext;

/**
 * What a command that needs no record works with: the run's record may be gone (deleted while
 * the run waited) or not read at all (the run failed), and its approval request must close all
 * the same.
 */
export type RecordlessScope = Pick<ApplyContext, "tx" | "run" | "ids" | "now" | "ask">;

export type CommandOf<C extends Command["type"]> = Extract<Command, { type: C }>;

export interface CommandHandler<C extends Command["type"]> {
  /**
   * Whether the command writes records (and notifications, rotations) only — never runs, steps or
   * work items: the executor's group need not write its pending rows before it.
   */
  readonly recordsOnly: boolean;
  /** Carries the command out in the step's transaction; returns what was done, for the run log. */
  apply(s: ApplyScope, c: CommandOf<C>): Promise<Extract<Effect, { command: C }>>;
  /**
   * Carries the command out without the run's record (see RecordlessScope); absent for the
   * commands that read or write it.
   */
  readonly applyWithoutRecord?: (s: RecordlessScope, c: CommandOf<C>) => Promise<Extract<Effect, { command: C }>>;
}

/** Updates the run's record through the RecordWriter (validated, audited, evented as the workflow). */
export async function updateRecord(s: ApplyScope, fields: Record<string, unknown>): Promise<StoredRecord> {
  s.record = await s.writer.update(s.call, s.record.object, { id: s.record.id, fields }, s.tx);
  return s.record;
}

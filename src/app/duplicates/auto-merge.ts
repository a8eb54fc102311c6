/**
 * The narrow port through which a match rule's `merge` action merges a new duplicate into the
 * record it duplicates. The merge service (issue 20, item 4) implements it as
 * `merges.merge(ctx, {object, survivorId, mergedId, fields}, tx)`; the composition root hands it
 * to the RecordWriter. Unwired, a pair above `merge_above` is queued for review instead, and its
 * reason says so.
 */
import type { ObjectName } from "../../crm/fields.js";
import type { StoreTx } from "../../store/ports.js";
import type { CallContext } from "../context.js";

export interface AutoMergeRequest {
  object: ObjectName;
  /** The record that stays: the one that existed before. */
  survivorId: string;
  /** The record merged into it: the one just written. */
  mergedId: string;
  /** Per field, which record's value wins; empty = the survivor's, filled from the merged where empty. */
  fields: Record<string, "survivor" | "merged">;
}

export type AutoMerge = (ctx: CallContext, request: AutoMergeRequest, tx: StoreTx) => Promise<unknown>;

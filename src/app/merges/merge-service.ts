/**
 * Merging two records of one object, and undoing it (issue 20, item 4; docs/data-quality.md
 * "Merge" and "Undo"). The clean entry point of every merge — the API, the CLI, the
 * `merge_records` workflow action and duplicate detection's "merge automatically" — so that a
 * merge is the same thing whoever asks for it.
 *
 * A merge is ONE transaction: the survivor takes the chosen values (one `record.merged` event on
 * it, the survivor's triggers see that); every record pointing at the merged record is pointed at
 * the survivor through the RecordWriter (its own audit entry and event each); the merged record
 * leaves `records` and its tombstone is kept on the merge row (its id resolves to the survivor);
 * its running workflows are cancelled "merged into …"; its pending approvals are cancelled; the
 * pair's open duplicate item in the review queue is resolved as "merged".
 * The merged record's removal is audited (a `delete` entry) but raises no event: to the
 * workflows it is not a deletion, its runs end with the merge's own reason.
 *
 * An undo, within the workspace's window, puts everything back exactly: the survivor's changed
 * fields to their old values, the merged record as it was (its data and creation instant; its
 * version moves on), the moved references back to it. It is refused (409, nothing changed) when
 * anything it would put back was changed since.
 */
import { withSentiment } from "../../crm/derived.js";
import type { ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import type { FieldChange, MergeRow, MovedReference, Store, StoredRecord, StoreTx } from "../../store/ports.js";
import { subjectKeyOf } from "../../store/review-queue-ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator, Nudge } from "../ports.js";
import { compact, diff, same } from "../records/changes.js";
import type { RecordWriter } from "../records/record-writer.js";
import { loadFields } from "../records/schema-cache.js";
import { authorize } from "../records/write/access.js";
import { cancelApprovalsOfDeleted, checkApprovalLocks } from "../records/write/approval-locks.js";
import { Journal } from "../records/write/journal.js";
import { referenceProbesFor } from "../records/write/references.js";
import { checkMergeRequest, type MergeRequest, resolveChoices } from "./merge-input.js";
import { undoDays, undoDeadline } from "./undo-window.js";

export type { MergeRequest } from "./merge-input.js";

/** The reason the merged record's running workflows end with. */
export const mergedInto = (object: ObjectName, survivorId: string) => `merged into ${object} ${survivorId}`;

const actorOf = (ctx: CallContext) => `${ctx.actor.kind}:${ctx.actor.id}`;

/** The writer's bulk limit: a record with more referrers than this moves them in several calls. */
const MOVE_CHUNK = 500;

/** Merges of merges a resolved id follows (a chain longer than this is answered at its last hop). */
const MAX_HOPS = 10;

export class RecordMerges {
  constructor(
    private readonly store: Store,
    private readonly writer: RecordWriter,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** After a commit this service made: its events for the matcher. */
    private readonly onCommit: Nudge = () => {},
  ) {}

  private async within<T>(tx: StoreTx | undefined, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (tx) return fn(tx);
    const out = await this.store.transaction(fn);
    this.onCommit();
    return out;
  }

  /** Merges `mergedId` into `survivorId`; returns the merge's id. */
  async merge(ctx: CallContext, req: MergeRequest, tx?: StoreTx): Promise<string> {
    authorize(ctx, "delete", req.object);
    authorize(ctx, "update", req.object);
    return this.within(tx, async (tx) => {
      const fields = await loadFields(tx, ctx.workspaceId, req.object);
      const issues = checkMergeRequest(req, fields);
      if (issues.length > 0) throw invalid(issues, "the merge request is invalid");

      const found = await tx.records.getRecordsForUpdate(ctx.workspaceId, [req.survivorId, req.mergedId]);
      const survivor = await this.side(tx, ctx, req, found, "survivor_id", req.survivorId);
      const merged = await this.side(tx, ctx, req, found, "merged_id", req.mergedId);

      const now = this.clock.now().toISOString();
      const choices = resolveChoices(fields, req.fields, survivor.data, merged.data);
      const next: Record<string, unknown> = { ...survivor.data };
      for (const [name, choice] of Object.entries(choices)) next[name] = choice === "merged" ? merged.data[name] : survivor.data[name];
      const data = compact(withSentiment(req.object, survivor.data, next));
      const changes = diff(survivor.data, data);
      await checkApprovalLocks(tx, ctx, survivor, changes, false, now, ["fields"]);

      const after: StoredRecord = { ...survivor, version: survivor.version + 1, data, updatedAt: now };
      if (!(await tx.records.updateRecord(after, survivor.version)))
        throw new AppError("conflict", `${req.object} ${survivor.id} was changed by someone else; read it again and retry`);
      if (!(await tx.records.deleteRecord(ctx.workspaceId, merged.id, merged.version)))
        throw new AppError("conflict", `${req.object} ${merged.id} was changed by someone else; read it again and retry`);
      await cancelApprovalsOfDeleted(tx, ctx, merged, this.ids, now);
      await tx.audit.appendAudit([
        {
          workspaceId: ctx.workspaceId,
          recordId: merged.id,
          object: merged.object,
          action: "delete",
          actor: ctx.actor,
          changes: diff(merged.data, {}),
          at: now,
          requestId: ctx.requestId,
        },
      ]);

      // The survivor's one `record.merged` event comes before the writes that follow from the merge.
      const id = this.ids.next();
      const moved = await this.referencesTo(tx, ctx, merged, survivor.id);
      await new Journal(tx, ctx, this.ids, now).record(after, "update", changes, undefined, {
        type: "record.merged",
        detail: { merge_id: id, merged_id: merged.id, moved: moved.length },
      });
      await this.point(tx, ctx, moved, survivor.id);
      const runs = await tx.runs.activeRunsOf(ctx.workspaceId, [merged.id]);
      if (runs.length > 0)
        await tx.work.insertWorkItems(
          runs.map((run) => ({
            workspaceId: ctx.workspaceId,
            runId: run.id,
            input: { kind: "cancel" as const, reason: mergedInto(req.object, survivor.id) },
            timerId: null,
            dueAt: now,
          })),
        );

      // What the merge changed on the survivor in the end: the chosen values, and what the moved
      // records derived on it (a moved activity brings its last activity).
      const [final] = await tx.records.getRecords(ctx.workspaceId, [survivor.id]);
      await tx.merges.insertMerge({
        workspaceId: ctx.workspaceId,
        id,
        object: req.object,
        survivorId: survivor.id,
        mergedId: merged.id,
        mergedSnapshot: merged,
        survivorBefore: { version: survivor.version, data: survivor.data },
        survivorChanges: diff(survivor.data, (final ?? after).data),
        moved,
        fields: req.fields ?? {},
        mergedBy: actorOf(ctx),
        mergedAt: now,
        undoneAt: null,
        undoneBy: null,
      });
      // The pair was the question a duplicate item asked: the merge answers it (whoever merged, from wherever).
      await tx.reviewQueue.closeReviewItemsByKey(ctx.workspaceId, [subjectKeyOf("duplicate", survivor.id, merged.id)], {
        resolution: "merged",
        by: ctx.actor.kind === "system" ? "system" : actorOf(ctx),
        at: now,
      });
      return id;
    });
  }

  /** One side of a merge, locked: it exists in the caller's workspace, is of the object, and is no tombstone. */
  private async side(
    tx: StoreTx,
    ctx: CallContext,
    req: MergeRequest,
    found: readonly StoredRecord[],
    path: "survivor_id" | "merged_id",
    id: string,
  ): Promise<StoredRecord> {
    const rec = found.find((r) => r.id === id);
    if (!rec) {
      const tomb = await tx.merges.openMergeOf(ctx.workspaceId, id);
      if (tomb)
        throw new AppError("conflict", `${path}: ${tomb.object} ${id} was merged into ${tomb.survivorId} already`, [
          {
            path: [path],
            code: "invalid_value",
            message: `merged into ${tomb.survivorId} (merge ${tomb.id}); undo that merge first, or name ${tomb.survivorId}`,
          },
        ]);
      throw new AppError("not_found", `${path}: ${req.object} ${id} not found`, [
        { path: [path], code: "not_found", message: `no ${req.object} with id "${id}"` },
      ]);
    }
    if (rec.object !== req.object)
      throw invalid(
        [
          {
            path: [path],
            code: "invalid_value",
            message: `"${id}" is a ${rec.object}; a ${req.object} merges only with another ${req.object}`,
            expected: [req.object],
          },
        ],
        "records of two objects cannot be merged",
      );
    return rec;
  }

  /** Every reference to `merged` (but the survivor's own): what the merge points at the survivor. */
  private async referencesTo(tx: StoreTx, ctx: CallContext, merged: StoredRecord, survivorId: string): Promise<MovedReference[]> {
    const referrers = await tx.records.findReferrers(ctx.workspaceId, merged.id, referenceProbesFor(merged.object));
    return referrers
      .filter((r) => r.record.id !== survivorId)
      .map((r) => ({ recordId: r.record.id, object: r.record.object, field: r.field }));
  }

  /** Sets each moved reference's field to `target`, one writer call per object (all fields of a record at once). */
  private async point(tx: StoreTx, ctx: CallContext, moved: readonly MovedReference[], target: string) {
    const byObject = new Map<ObjectName, Map<string, Record<string, unknown>>>();
    for (const m of moved) {
      const items = byObject.get(m.object) ?? new Map<string, Record<string, unknown>>();
      byObject.set(m.object, items);
      items.set(m.recordId, { ...(items.get(m.recordId) ?? {}), [m.field]: target });
    }
    for (const [object, items] of byObject) {
      const list = [...items].map(([id, fields]) => ({ id, fields }));
      for (let i = 0; i < list.length; i += MOVE_CHUNK) await this.writer.updateMany(ctx, object, list.slice(i, i + MOVE_CHUNK), false, tx);
    }
  }

  /** Undoes a merge within the workspace's window: both records as they were, the references moved back. */
  async undo(ctx: CallContext, mergeId: string, tx?: StoreTx): Promise<MergeRow> {
    return this.within(tx, async (tx) => {
      const m = await tx.merges.getMerge(ctx.workspaceId, mergeId);
      if (!m) throw notFound(`merge ${mergeId}`);
      authorize(ctx, "delete", m.object);
      authorize(ctx, "update", m.object);
      if (m.undoneAt) throw new AppError("conflict", `merge ${mergeId} was undone already, at ${m.undoneAt}`);
      const now = this.clock.now();
      const days = undoDays((await tx.workspaces.getWorkspace(ctx.workspaceId))?.settings);
      const deadline = undoDeadline(m.mergedAt, days);
      if (now.getTime() > deadline.getTime())
        throw new AppError(
          "conflict",
          `merge ${mergeId} can no longer be undone: the workspace allows ${days} days (merge_undo_days) and it was made at ${m.mergedAt}; the window closed at ${deadline.toISOString()}`,
        );
      const at = now.toISOString();

      const [survivor] = await tx.records.getRecordsForUpdate(ctx.workspaceId, [m.survivorId]);
      if (!survivor) {
        const tomb = await tx.merges.openMergeOf(ctx.workspaceId, m.survivorId);
        throw new AppError(
          "conflict",
          tomb
            ? `the survivor ${m.survivorId} was merged into ${tomb.survivorId} since (merge ${tomb.id}): undo that merge first`
            : `the survivor ${m.survivorId} was deleted since: this merge can no longer be undone`,
        );
      }
      // Nothing is put back over a later change: each field and reference must still hold what the merge left.
      // A field Handoff manages (the last activity a moved activity brought) is put back only
      // while it holds what the merge left: a later activity is the survivor's own, not a conflict.
      const fields = await loadFields(tx, ctx.workspaceId, m.object);
      const managed = new Set(fields.filter((f) => f.managed).map((f) => f.name));
      const undoable = m.survivorChanges.filter((c) => same(survivor.data[c.field] ?? null, c.new));
      const issues: Issue[] = [];
      for (const c of m.survivorChanges)
        if (!managed.has(c.field) && !undoable.includes(c))
          issues.push({
            path: ["survivor", c.field],
            code: "invalid_value",
            message: `changed since the merge (the merge set ${JSON.stringify(c.new)})`,
          });
      const still = await tx.records.getRecordsForUpdate(
        ctx.workspaceId,
        m.moved.map((r) => r.recordId),
      );
      const back: MovedReference[] = [];
      for (const r of m.moved) {
        const rec = still.find((x) => x.id === r.recordId);
        if (!rec) continue; // deleted since: there is nothing to point back
        if (rec.data[r.field] !== m.survivorId)
          issues.push({
            path: ["moved", r.recordId, r.field],
            code: "invalid_value",
            message: `${r.object} ${r.recordId} no longer points at ${m.survivorId}`,
          });
        else back.push(r);
      }
      if (issues.length > 0)
        throw new AppError("conflict", `merge ${mergeId} cannot be undone: what it changed was changed again since`, issues);

      const data: Record<string, unknown> = { ...survivor.data };
      for (const c of undoable) data[c.field] = c.old;
      const restored = compact(data);
      const changes: FieldChange[] = diff(survivor.data, restored);
      const after: StoredRecord = { ...survivor, version: survivor.version + 1, data: restored, updatedAt: at };
      if (!(await tx.records.updateRecord(after, survivor.version)))
        throw new AppError("conflict", `${m.object} ${survivor.id} was changed by someone else; read it again and retry`);
      const journal = new Journal(tx, ctx, this.ids, at);
      await journal.record(after, "update", changes);

      // The merged record as it was: its data and creation instant; its version moves past the merge's.
      const snap = m.mergedSnapshot;
      const again: StoredRecord = { ...snap, version: snap.version + 2, updatedAt: at };
      await tx.records.insertRecords([again]);
      await tx.audit.appendAudit([
        {
          workspaceId: ctx.workspaceId,
          recordId: again.id,
          object: again.object,
          action: "create",
          actor: ctx.actor,
          changes: diff({}, again.data),
          at,
          requestId: ctx.requestId,
        },
      ]);
      await this.point(tx, ctx, back, m.mergedId);
      if (!(await tx.merges.markUndone(ctx.workspaceId, m.id, at, actorOf(ctx))))
        throw new AppError("conflict", `merge ${mergeId} was undone already`);
      return { ...m, undoneAt: at, undoneBy: actorOf(ctx) };
    });
  }

  /** One merge (undone ones too). */
  async get(ctx: CallContext, mergeId: string): Promise<MergeRow> {
    const m = await this.store.merges.getMerge(ctx.workspaceId, mergeId);
    if (!m) throw notFound(`merge ${mergeId}`);
    authorize(ctx, "read", m.object);
    return m;
  }

  /** The open merge whose tombstone `recordId` is: how a merged id keeps resolving. */
  tombstone(ctx: CallContext, recordId: string): Promise<MergeRow | undefined> {
    return this.store.merges.openMergeOf(ctx.workspaceId, recordId);
  }

  /**
   * Where a merged record's id leads: its merge, and the record that survives it now (a survivor
   * merged in turn leads on, a few hops at most); undefined for an id that is no tombstone.
   */
  async resolve(ctx: CallContext, recordId: string): Promise<{ merge: MergeRow; survivorId: string } | undefined> {
    const merge = await this.tombstone(ctx, recordId);
    if (!merge) return undefined;
    let survivorId = merge.survivorId;
    for (let hops = 0; hops < MAX_HOPS; hops++) {
      const next = await this.tombstone(ctx, survivorId);
      if (!next) break;
      survivorId = next.survivorId;
    }
    return { merge, survivorId };
  }

  /** The merges into a record, newest first. */
  mergesInto(ctx: CallContext, survivorId: string, limit = 50): Promise<MergeRow[]> {
    return this.store.merges.mergesInto(ctx.workspaceId, survivorId, limit);
  }

  /** Until when a merge can be undone in the caller's workspace. */
  async undoableUntil(ctx: CallContext, m: MergeRow): Promise<string> {
    const days = undoDays((await this.store.workspaces.getWorkspace(ctx.workspaceId))?.settings);
    return undoDeadline(m.mergedAt, days).toISOString();
  }
}

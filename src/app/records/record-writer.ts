/**
 * Every record write goes through here: validate, check references, write the record, its
 * audit entry and its domain event in ONE transaction (engineering.md §3.1). Bulk writes are
 * all-or-nothing.
 */
import { countsAsActivity, DEFAULT_LAST_ACTIVITY_POLICY } from "../../crm/activity-counting.js";
import { ACTIVITY_TARGETS, deriveManagedFields } from "../../crm/derived.js";
import type { FieldDef, ObjectName } from "../../crm/fields.js";
import { type Issue, prefixIssues } from "../../crm/issues.js";
import { OBJECTS } from "../../crm/objects.js";
import { canOnRecords, type RecordAction } from "../../crm/permissions.js";
import { referencesIn, validateWrite } from "../../crm/validation.js";
import type {
  AuditEntry,
  NewDomainEvent,
  ReferenceProbe,
  Store,
  StoredRecord,
  StoreTx,
  RecordAction as WriteAction,
} from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { compact, diff } from "./changes.js";
import { GroupCommit } from "./group-commit.js";
import { loadFields } from "./schema-cache.js";

export const MAX_BULK = 1_000;
const WRITE_CHUNK = 500;

export interface CreateOptions {
  /** Prefix for each item's issue paths; default: its index (none for a single create). */
  pathOf?: (index: number) => ReadonlyArray<string | number>;
  /** Upper bound on items; imports raise it, one transaction all the same. */
  max?: number;
  /** Called as rows are written, for progress bars. */
  onProgress?: (done: number, total: number) => void;
  /** Write inside this transaction (a workflow step's) instead of a new one. */
  tx?: StoreTx;
}

export interface UpdateItem {
  id: string;
  fields: unknown;
  /** The version the caller read (If-Match); omitted = last writer wins. */
  expectedVersion?: number;
}

/**
 * The version guard of an UPDATE found the row moved on since this transaction read it
 * (a concurrent writer). Retried when the caller did not pin a version; otherwise a 412.
 */
class LostRace extends AppError {
  constructor(message: string) {
    super("precondition_failed", message);
  }
}

/** What one transaction will append, flushed together at the end. */
class Journal {
  readonly audit: AuditEntry[] = [];
  readonly events: NewDomainEvent[] = [];
  constructor(
    private readonly ids: IdGenerator,
    readonly now: string,
  ) {}

  record(
    ctx: CallContext,
    rec: StoredRecord,
    action: WriteAction,
    changes: AuditEntry["changes"],
    actor = ctx.actor,
    causeId = ctx.causeId,
  ): string {
    const id = this.ids.next();
    this.audit.push({
      workspaceId: rec.workspaceId,
      recordId: rec.id,
      object: rec.object,
      action,
      actor,
      changes,
      at: this.now,
      requestId: ctx.requestId,
    });
    this.events.push({
      id,
      workspaceId: rec.workspaceId,
      type: action === "create" ? "record.created" : action === "update" ? "record.updated" : "record.deleted",
      object: rec.object,
      recordId: rec.id,
      recordVersion: rec.version,
      actor,
      causeId,
      changes,
      occurredAt: this.now,
      depth: ctx.depth ?? 0,
    });
    return id;
  }

  async flush(tx: StoreTx) {
    await tx.audit.appendAudit(this.audit);
    await tx.events.appendEvents(this.events);
  }
}

export class RecordWriter {
  /** Writes that arrive together share a transaction and its commit. */
  private readonly group: GroupCommit;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.group = new GroupCommit(store, undefined, () => this.onCommit());
  }

  /** Commits made through this writer call it (the in-process worker wakes up on it). */
  onCommit: () => void = () => {};

  /**
   * Runs `fn` in the caller's transaction, or in one shared with other writes arriving at the
   * same time (group commit), retrying lost races when allowed.
   */
  private within<T>(tx: StoreTx | undefined, retry: boolean, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (tx) return fn(tx);
    return this.group.run(fn, (error) => retry && error instanceof LostRace);
  }

  private authorize(ctx: CallContext, action: RecordAction, object: ObjectName) {
    if (!canOnRecords(ctx.role, action, object)) {
      throw new AppError("not_found", `no ${action} access to ${OBJECTS[object].plural} for role ${ctx.role}`);
    }
  }

  async create(ctx: CallContext, object: ObjectName, input: unknown): Promise<StoredRecord> {
    const [created] = await this.createMany(ctx, object, [input], { pathOf: () => [] });
    if (!created) throw new Error("create returned nothing");
    return created;
  }

  /** Creates all or none. */
  async createMany(ctx: CallContext, object: ObjectName, inputs: readonly unknown[], options: CreateOptions = {}): Promise<StoredRecord[]> {
    this.authorize(ctx, "create", object);
    const max = options.max ?? MAX_BULK;
    const pathOf = options.pathOf ?? ((i: number) => [i]);
    if (inputs.length > max) throw invalid([{ path: [], code: "too_big", message: `at most ${max} records per request` }]);

    return this.within(options.tx, true, async (tx) => {
      // Read in the transaction: writes grouped into one share the read (and on SQLite a
      // caller's transaction holds the one connection).
      const fields = await loadFields(tx, ctx.workspaceId, object);
      const issues: Issue[] = [];
      const valid: Record<string, unknown>[] = [];
      inputs.forEach((input, i) => {
        const result = validateWrite(fields, input, "create");
        if (result.ok) valid.push(result.data);
        else issues.push(...prefixIssues(pathOf(i), result.issues));
      });
      if (issues.length > 0) throw invalid(issues);
      const now = this.clock.now().toISOString();
      const referenced = await this.checkReferences(tx, ctx, fields, valid, pathOf);
      const journal = new Journal(this.ids, now);
      const records = valid.map((data) => ({
        workspaceId: ctx.workspaceId,
        id: this.ids.next(),
        object,
        version: 1,
        data: compact(deriveManagedFields(object, undefined, object === "activity" ? withMadeBy(ctx, data) : data, now)),
        createdAt: now,
        updatedAt: now,
      }));
      for (let i = 0; i < records.length; i += WRITE_CHUNK) {
        await tx.records.insertRecords(records.slice(i, i + WRITE_CHUNK));
        options.onProgress?.(Math.min(i + WRITE_CHUNK, records.length), records.length);
      }
      const causes = records.map((r) => journal.record(ctx, r, "create", diff({}, r.data)));
      if (object === "activity") await this.touchLastActivity(tx, ctx, records, causes, referenced, journal);
      await journal.flush(tx);
      return records;
    });
  }

  async update(ctx: CallContext, object: ObjectName, item: UpdateItem, tx?: StoreTx): Promise<StoredRecord> {
    const [updated] = await this.updateMany(ctx, object, [item], false, tx);
    if (!updated) throw new Error("update returned nothing");
    return updated;
  }

  async updateMany(
    ctx: CallContext,
    object: ObjectName,
    items: readonly UpdateItem[],
    indexed = true,
    tx?: StoreTx,
  ): Promise<StoredRecord[]> {
    this.authorize(ctx, "update", object);
    if (items.length > MAX_BULK) throw invalid([{ path: [], code: "too_big", message: `at most ${MAX_BULK} records per request` }]);

    const pinned = items.some((i) => i.expectedVersion !== undefined);
    return this.within(tx, !pinned, async (tx) => {
      const fields = await loadFields(tx, ctx.workspaceId, object);
      const issues: Issue[] = [];
      const patches: Record<string, unknown>[] = [];
      items.forEach((item, i) => {
        const result = validateWrite(fields, item.fields, "update");
        if (result.ok) patches.push(result.data);
        else issues.push(...(indexed ? prefixIssues([i, "fields"], result.issues) : result.issues));
      });
      if (issues.length > 0) throw invalid(issues);
      const now = this.clock.now().toISOString();
      // Copies this transaction holds already (a workflow step has read its record) are used
      // without another round trip; the version guard of the write catches a stale one.
      const known = await tx.records.getRecordsToWrite(
        ctx.workspaceId,
        items.map((i) => i.id),
      );
      const current = new Map(known.map((r) => [r.id, r]));
      const pathOf = (i: number) => (indexed ? [i, "fields"] : []);
      const referenced = await this.checkReferences(tx, ctx, fields, patches, pathOf);
      const journal = new Journal(this.ids, now);
      const out: StoredRecord[] = [];
      const touched: StoredRecord[] = [];
      const causes: string[] = [];
      /** The row read again with a lock: another writer committed since this transaction's copy. */
      const reread = async (id: string) => (await tx.records.getRecordsForUpdate(ctx.workspaceId, [id]))[0];
      for (const [i, item] of items.entries()) {
        let before = current.get(item.id);
        let fresh = false;
        for (;;) {
          if (!before || before.object !== object) throw notFound(`${object} ${item.id}`);
          if (item.expectedVersion !== undefined && item.expectedVersion !== before.version) {
            if (!fresh) {
              before = await reread(item.id);
              fresh = true;
              continue;
            }
            throw new AppError(
              "precondition_failed",
              `${object} ${item.id} is at version ${before.version}, not ${item.expectedVersion}; read it again and retry`,
            );
          }
          const merged = compact(deriveManagedFields(object, before.data, { ...before.data, ...patches[i] }, now));
          const changes = diff(before.data, merged);
          if (changes.length === 0) {
            // Nothing to write, so no guard to catch a stale copy: that is known only from a locked read.
            if (!fresh) {
              before = await reread(item.id);
              fresh = true;
              continue;
            }
            out.push(before);
            break;
          }
          const after: StoredRecord = { ...before, version: before.version + 1, data: merged, updatedAt: now };
          // The version guard in the WHERE clause catches a writer that slipped in since our read.
          if (await tx.records.updateRecord(after, before.version)) {
            current.set(after.id, after);
            causes.push(journal.record(ctx, after, "update", changes));
            touched.push(after);
            out.push(after);
            break;
          }
          if (fresh) throw new LostRace(`${object} ${item.id} was changed by someone else; read it again and retry`);
          before = await reread(item.id);
          fresh = true;
        }
      }
      if (object === "activity") await this.touchLastActivity(tx, ctx, touched, causes, referenced, journal);
      await journal.flush(tx);
      return out;
    });
  }

  async delete(ctx: CallContext, object: ObjectName, id: string, expectedVersion?: number, tx?: StoreTx): Promise<void> {
    this.authorize(ctx, "delete", object);
    await this.within(tx, expectedVersion === undefined, async (tx) => {
      const [before] = await tx.records.getRecordsForUpdate(ctx.workspaceId, [id]);
      if (!before || before.object !== object) throw notFound(`${object} ${id}`);
      if (expectedVersion !== undefined && expectedVersion !== before.version) {
        throw new AppError("precondition_failed", `${object} ${id} is at version ${before.version}, not ${expectedVersion}`);
      }
      const referrer = await tx.records.findReferrer(ctx.workspaceId, id, referenceProbesFor(object));
      if (referrer) {
        throw new AppError(
          "conflict",
          `${object} ${id} is still referenced by ${referrer.object} ${referrer.id}; remove that reference first`,
        );
      }
      if (!(await tx.records.deleteRecord(ctx.workspaceId, id, before.version))) {
        throw new LostRace(`${object} ${id} was changed by someone else; read it again and retry`);
      }
      const journal = new Journal(this.ids, this.clock.now().toISOString());
      journal.record(ctx, { ...before, version: before.version + 1 }, "delete", diff(before.data, {}));
      await journal.flush(tx);
    });
  }

  /** Every reference must name an existing record of an allowed object; returns the records found. */
  private async checkReferences(
    tx: StoreTx,
    ctx: CallContext,
    fields: readonly FieldDef[],
    rows: readonly Record<string, unknown>[],
    pathOf: (index: number) => ReadonlyArray<string | number>,
  ): Promise<Map<string, StoredRecord>> {
    const refs = rows.map((row) => referencesIn(fields, row));
    const ids = refs.flatMap((r) => r.map((x) => x.id));
    const found = new Map((await tx.records.getRecords(ctx.workspaceId, ids)).map((r) => [r.id, r]));
    const issues: Issue[] = [];
    refs.forEach((list, i) => {
      for (const { field, id } of list) {
        const target = found.get(id);
        const allowed = field.references ?? [];
        if (!target || !allowed.includes(target.object)) {
          const path = [...pathOf(i), field.name];
          issues.push({ path, code: "invalid_reference", message: `no ${allowed.join(" or ")} with id "${id}"`, expected: allowed });
        }
      }
    });
    if (issues.length > 0) throw invalid(issues, "the request refers to records that do not exist");
    return found;
  }

  /**
   * An activity that counts (the workspace's last-activity policy) moves "last activity at"
   * forward on the record it is about and on that record's company. Written by the system,
   * caused by the activity's event.
   */
  private async touchLastActivity(
    tx: StoreTx,
    ctx: CallContext,
    activities: readonly StoredRecord[],
    causes: readonly string[],
    referenced: Map<string, StoredRecord>,
    journal: Journal,
  ) {
    const latest = new Map<string, { at: string; cause: string }>();
    const bump = (id: unknown, at: string, cause: string) => {
      if (typeof id !== "string") return;
      const seen = latest.get(id);
      if (!seen || seen.at < at) latest.set(id, { at, cause });
    };
    // What counts is the workspace admin's choice (by default not Handoff's own automated activities).
    const policy = (await tx.workspaces.getWorkspace(ctx.workspaceId))?.settings?.last_activity ?? DEFAULT_LAST_ACTIVITY_POLICY;
    activities.forEach((a, i) => {
      if (!countsAsActivity(a.data, policy)) return;
      const at = (a.data.occurred_at as string | undefined) ?? a.createdAt;
      const target = referenced.get(a.data.related_id as string);
      bump(a.data.related_id, at, causes[i] ?? "");
      if (target && target.object !== "company") bump(target.data.company_id, at, causes[i] ?? "");
    });
    const targets = await tx.records.getRecordsForUpdate(ctx.workspaceId, [...latest.keys()]);
    const system = { kind: "system" as const, id: "last-activity" };
    for (const target of targets) {
      const next = latest.get(target.id);
      if (!next || !ACTIVITY_TARGETS.includes(target.object)) continue;
      const prev = target.data.last_activity_at as string | undefined;
      if (prev !== undefined && prev >= next.at) continue;
      const after = { ...target, version: target.version + 1, data: { ...target.data, last_activity_at: next.at }, updatedAt: journal.now };
      if (!(await tx.records.updateRecord(after, target.version))) {
        throw new LostRace(`${target.object} ${target.id} changed during the write; retry`);
      }
      journal.record(ctx, after, "update", [{ field: "last_activity_at", old: prev ?? null, new: next.at }], system, next.cause);
    }
  }
}

/** Every (object, field) that may point at a record of `object`. */
export function referenceProbesFor(object: ObjectName): ReferenceProbe[] {
  const probes: ReferenceProbe[] = [];
  for (const def of Object.values(OBJECTS)) {
    for (const f of def.fields)
      if (f.type === "reference" && f.references?.includes(object)) probes.push({ object: def.name, field: f.name });
  }
  return probes;
}

/**
 * Who made an activity, when the write does not say: Handoff when a workflow writes it (a step's
 * add_activity; a sent email says so itself), a person for anyone else (a rep, an integration, an
 * import of past calls).
 */
function withMadeBy(ctx: CallContext, data: Record<string, unknown>): Record<string, unknown> {
  if (data.made_by !== undefined && data.made_by !== null) return data;
  return { ...data, made_by: ctx.actor.kind === "workflow" ? "handoff" : "person" };
}

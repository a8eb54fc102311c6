/**
 * Accepting one delivery from outside (a hook call, a form submission): in ONE transaction the
 * record is created — or updated, when the source matches on a field such as email — through
 * the RecordWriter (validation, audit, record event), an `external.received` event names the
 * source's key for `external` triggers, and the delivery row is inserted. That row's unique key
 * (source, delivery id) makes a repeated delivery a replay of the first one's result: nothing is
 * written twice and no second run starts.
 */
import { type FieldDef, type ObjectName, SYSTEM_FIELDS } from "../../crm/fields.js";
import { checkFilter } from "../../crm/filter.js";
import { validateWrite } from "../../crm/validation.js";
import { comparableValue } from "../../crm/values.js";
import type { InboundDeliveryRow, SourceKind } from "../../store/inbound-ports.js";
import type { Store, StoredRecord, StoreTx } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import type { Clock, IdGenerator, Nudge } from "../ports.js";
import type { RecordWriter } from "../records/record-writer.js";
import { loadFields } from "../records/schema-cache.js";

export interface Source {
  kind: SourceKind;
  workspaceId: string;
  id: string;
  key: string;
  object: ObjectName;
  /** A field whose value finds the record to update; null = always create. */
  matchOn: string | null;
}

export interface DeliveryResult {
  deliveryId: string;
  recordId: string;
  action: "created" | "updated";
  eventId: string;
  receivedAt: string;
  /** True when this delivery id was accepted before and this is its first result again. */
  replayed: boolean;
}

/** Thrown inside the transaction to roll it back: another request accepted this delivery first. */
class AlreadyAccepted extends Error {}

const toResult = (row: InboundDeliveryRow, replayed: boolean): DeliveryResult => ({
  deliveryId: row.deliveryId,
  recordId: row.recordId,
  action: row.action,
  eventId: row.eventId,
  receivedAt: row.receivedAt,
  replayed,
});

/** The identity a source writes as: an integration named after it ("hook:<key>", "form:<key>"). */
export function sourceContext(source: Source, requestId: string | null): CallContext {
  return {
    workspaceId: source.workspaceId,
    role: "integration",
    actor: { kind: "integration", id: `${source.kind}:${source.key}` },
    requestId,
    causeId: null,
  };
}

export class Intake {
  constructor(
    private readonly store: Store,
    private readonly writer: RecordWriter,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** After a delivery commits: its record's and `external.received` events are new work for the in-process worker. */
    private readonly onCommit: Nudge,
  ) {}

  /** The first result of this delivery id, if it was accepted before. */
  async previous(source: Source, deliveryId: string): Promise<DeliveryResult | undefined> {
    const row = await this.store.inboundDeliveries.getInboundDelivery(source.id, deliveryId);
    return row ? toResult(row, true) : undefined;
  }

  /**
   * Writes the record, the external event and the delivery row together, or nothing: invalid
   * fields throw the RecordWriter's validation error (422 with paths) before anything commits.
   */
  async accept(source: Source, deliveryId: string, fields: Record<string, unknown>, requestId: string | null): Promise<DeliveryResult> {
    const earlier = await this.previous(source, deliveryId);
    if (earlier) return earlier;
    const ctx = sourceContext(source, requestId);
    try {
      const row = await this.store.transaction(async (tx) => {
        const match = await this.findMatch(tx, source, fields);
        let record: StoredRecord;
        if (match) record = await this.writer.update(ctx, source.object, { id: match.id, fields }, tx);
        else [record] = (await this.writer.createMany(ctx, source.object, [fields], { tx, pathOf: () => [] })) as [StoredRecord];
        const now = this.clock.now().toISOString();
        const eventId = this.ids.next();
        await tx.events.appendEvents([
          {
            id: eventId,
            workspaceId: source.workspaceId,
            type: "external.received",
            object: source.object,
            recordId: record.id,
            recordVersion: record.version,
            actor: ctx.actor,
            causeId: null,
            changes: [],
            occurredAt: now,
            depth: 0,
            source: source.key,
          },
        ]);
        const delivery: InboundDeliveryRow = {
          workspaceId: source.workspaceId,
          sourceKind: source.kind,
          sourceId: source.id,
          deliveryId,
          receivedAt: now,
          recordId: record.id,
          action: match ? "updated" : "created",
          eventId,
        };
        if (!(await tx.inboundDeliveries.insertInboundDelivery(delivery))) throw new AlreadyAccepted();
        return delivery;
      });
      // The write ran in our transaction, so the writer did not announce it: wake the worker.
      this.onCommit();
      return toResult(row, false);
    } catch (error) {
      if (!(error instanceof AlreadyAccepted)) throw error;
      const first = await this.previous(source, deliveryId);
      if (!first) throw new Error(`delivery ${deliveryId} conflicted but its first acceptance is not readable`);
      return first;
    }
  }

  /** The oldest record whose match field equals the delivery's (validated) value. */
  private async findMatch(tx: StoreTx, source: Source, fields: Record<string, unknown>): Promise<StoredRecord | undefined> {
    if (!source.matchOn || fields[source.matchOn] === undefined || fields[source.matchOn] === null) return undefined;
    const all = await loadFields(tx, source.workspaceId, source.object);
    // Compare the value as it would be stored (e.g. a trimmed email); an invalid one matches
    // nothing and the write reports it.
    const checked = validateWrite(all, { [source.matchOn]: fields[source.matchOn] }, "update");
    if (!checked.ok) return undefined;
    const filter = checkFilter({ field: source.matchOn, op: "eq", value: checked.data[source.matchOn] }, all);
    if (!filter.ok) return undefined;
    // Two deliveries with the same value at once would both find nothing and both create: the
    // second waits here until the first has committed, then finds its record.
    // The key compares as the filter does: two spellings of one email take the same lock.
    const def = all.find((f) => f.name === source.matchOn) as FieldDef;
    const key = comparableValue(def, checked.data[source.matchOn]);
    await tx.lockKey(JSON.stringify(["inbound-match", source.workspaceId, source.object, source.matchOn, key]));
    const [found] = await tx.records.queryRecords({
      workspaceId: source.workspaceId,
      object: source.object,
      filter: filter.filter,
      sort: { field: SYSTEM_FIELDS.find((f) => f.name === "created_at") as FieldDef, direction: "asc" },
      limit: 1,
    });
    return found;
  }
}

/**
 * Rule sets that run on every create of their object, without a workflow: a matcher event hook
 * (composition/root.ts). For each new record that has no owner in the rule set's field yet, the
 * rule set decides and the owner is written as the system actor "routing"; the record's
 * `record.updated` event then reaches workflows like any other change.
 *
 * A decision that cannot be carried out (a queue deleted since, a write the record refuses) is
 * kept as a failed assignment with its reason instead of failing the matcher's transaction:
 * the record stays unowned and its page says why.
 */
import type { Clock, IdGenerator } from "../../app/ports.js";
import type { RecordWriter } from "../../app/records/record-writer.js";
import type { ObjectName } from "../../crm/fields.js";
import type { DomainEvent, StoredRecord, StoreTx } from "../../store/ports.js";
import type { RuleSetRow } from "../../store/routing-ports.js";
import type { EventHook } from "../matcher.js";
import { routingContext } from "./hold-release.js";
import { route } from "./router.js";

/** How long a process trusts its list of create-time rule sets (another process may have changed them). */
const FRESH_MS = 2_000;

/**
 * The create-time rule sets per workspace and object, read once per FRESH_MS: the matcher asks
 * for every created record, and most objects have none. A change in this process is seen at once.
 */
export class OnCreateRuleSets {
  private readonly cache = new Map<string, { at: number; sets: RuleSetRow[] }>();

  constructor(private readonly clock: Clock) {}

  async of(tx: StoreTx, workspaceId: string, object: ObjectName): Promise<RuleSetRow[]> {
    const key = `${workspaceId}\u0000${object}`;
    const now = this.clock.now().getTime();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < FRESH_MS) return hit.sets;
    const sets = await tx.routing.onCreateRuleSets(workspaceId, object);
    this.cache.set(key, { at: now, sets });
    return sets;
  }

  invalidate(): void {
    this.cache.clear();
  }
}

export function onCreateRoutingHook(deps: { sets: OnCreateRuleSets; writer: RecordWriter; clock: Clock; ids: IdGenerator }): EventHook {
  return async (tx: StoreTx, event: DomainEvent, record: StoredRecord | undefined) => {
    if (event.type !== "record.created" || !record) return;
    const sets = await deps.sets.of(tx, event.workspaceId, event.object);
    for (const ruleSet of sets) await applyOnCreate(tx, deps, ruleSet, record, event.id);
  };
}

async function applyOnCreate(
  tx: StoreTx,
  deps: { writer: RecordWriter; clock: Clock; ids: IdGenerator },
  ruleSet: RuleSetRow,
  created: StoredRecord,
  eventId: string,
): Promise<void> {
  // The record as it is now (a workflow in the same pass may have assigned it already).
  const record = await tx.records.getRecord(created.workspaceId, created.id);
  if (!record || (record.data[ruleSet.field] ?? null) !== null) return;
  const now = deps.clock.now();
  const ctx = { ...routingContext(record.workspaceId), causeId: eventId };
  try {
    await tx.savepoint(() =>
      route({
        tx,
        record,
        field: ruleSet.field,
        via: { ruleSet },
        exclude: new Set(),
        source: { kind: "on_create" },
        now,
        newId: () => deps.ids.next(),
        keepFailures: true,
        write: async (userId) => {
          await deps.writer.update(ctx, record.object, { id: record.id, fields: { [ruleSet.field]: userId } }, tx);
        },
      }),
    );
  } catch (error) {
    await tx.routing.insertAssignment({
      workspaceId: record.workspaceId,
      id: deps.ids.next(),
      recordId: record.id,
      object: record.object,
      field: ruleSet.field,
      at: now.toISOString(),
      outcome: "failed",
      userId: null,
      previousUserId: null,
      source: { kind: "on_create" },
      ruleSet: { id: ruleSet.id, name: ruleSet.name, version: ruleSet.version },
      rules: [],
      matchedRule: null,
      target: null,
      queue: null,
      candidates: [],
      detail: null,
      fallbacks: [],
      why: `rule set ${ruleSet.name} could not assign: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

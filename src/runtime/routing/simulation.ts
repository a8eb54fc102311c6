/**
 * The simulation of a rule set: the real router over the given records, oldest first, each
 * decision seeing the ones before it (queue states, loads, owners), inside a transaction that is
 * always rolled back — so nothing is written. Handed to the application's RoutingInsights by the
 * composition root (the application does not import the runtime).
 */

import type { Clock, IdGenerator } from "../../app/ports.js";
import type { RecordWriter } from "../../app/records/record-writer.js";
import type { SimulateDecisions } from "../../app/routing/routing-insights.js";
import type { Store } from "../../store/ports.js";
import type { AssignmentRow } from "../../store/routing-ports.js";
import { routingContext } from "./hold-release.js";
import { RoutingError, route } from "./router.js";

/** Thrown to roll the simulation's transaction back, carrying its decisions out. */
class RolledBack extends Error {
  constructor(readonly decisions: AssignmentRow[]) {
    super("simulation rolled back");
  }
}

/**
 * The same decisions, kept: the rule set applied now to records that have no owner (an admin
 * routing a backlog; the demo's history). One transaction: all are assigned or none.
 */
export function routingBatch(store: Store, writer: RecordWriter, clock: Clock, ids: IdGenerator): SimulateDecisions {
  return async (ruleSet, records) => {
    const now = clock.now();
    try {
      const decisions = await store.transaction(async (tx) => {
        const out: AssignmentRow[] = [];
        const ctx = routingContext(ruleSet.workspaceId);
        for (const record of records) {
          const current = await tx.records.getRecord(record.workspaceId, record.id);
          if (!current || (current.data[ruleSet.field] ?? null) !== null) continue;
          out.push(
            await route({
              tx,
              record: current,
              field: ruleSet.field,
              via: { ruleSet },
              exclude: new Set(),
              source: { kind: "rule_set_applied" },
              now,
              newId: () => ids.next(),
              keepFailures: true,
              write: async (userId) => {
                await writer.update(ctx, current.object, { id: current.id, fields: { [ruleSet.field]: userId } }, tx);
              },
            }),
          );
        }
        return out;
      });
      return { ok: true, decisions };
    } catch (error) {
      if (error instanceof RoutingError) return { ok: false, why: error.message };
      throw error;
    }
  };
}

export function routingSimulation(store: Store, writer: RecordWriter, clock: Clock, ids: IdGenerator): SimulateDecisions {
  return async (ruleSet, records) => {
    const now = clock.now();
    try {
      // The callback never returns (it always throws RolledBack), so neither does this.
      return await store.transaction(async (tx): Promise<never> => {
        const out: AssignmentRow[] = [];
        const ctx = routingContext(ruleSet.workspaceId);
        for (const record of records)
          out.push(
            await route({
              tx,
              record,
              field: ruleSet.field,
              via: { ruleSet },
              exclude: new Set(),
              source: { kind: "simulation" },
              now,
              newId: () => ids.next(),
              keepFailures: true,
              write: async (userId) => {
                await writer.update(ctx, record.object, { id: record.id, fields: { [ruleSet.field]: userId } }, tx);
              },
            }),
          );
        throw new RolledBack(out);
      });
    } catch (error) {
      if (error instanceof RolledBack) return { ok: true, decisions: error.decisions };
      if (error instanceof RoutingError) return { ok: false, why: error.message };
      throw error;
    }
  };
}

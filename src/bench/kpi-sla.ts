/**
 * The KPI bench's SLA history (docs/benchmarks.md "KPIs"): one ended clock per lead on a lead
 * policy "First reply" (1 hour) — four in five stopped met within the hour, one in five breached
 * at the hour and stopped later (missed) — so that SLA attainment's chart reads read real history.
 * The clocks go straight into `sla_clocks` (the bench measures the reads, not the matcher); their
 * history goes through the SLA store's `appendSlaClockHistory`, which keeps `kpi_sla_hourly`
 * (migration 046) as the runtime's writes do.
 */
import type { Random } from "../seed/random.js";
import type { SlaClockEvent } from "../store/sla-ports.js";
import { SqlStore } from "../store/sql/sql-store.js";
import type { Scratch } from "./scratch.js";

const HOUR = 3_600_000;
const TX = 2_000;

export interface SlaWritten {
  policyId: string;
  met: number;
  missed: number;
}

export async function writeSlaHistory(
  scratch: Scratch,
  workspaceId: string,
  leads: ReadonlyArray<{ id: string; at: number }>,
  rnd: Random,
): Promise<SlaWritten> {
  const { store } = scratch;
  if (!(store instanceof SqlStore)) throw new Error("the KPI bench's SLA history needs the SQL store");
  const iso = (ms: number) => new Date(ms).toISOString();
  const policyId = "sla_first_reply";
  const created = iso((leads[0]?.at ?? 0) - HOUR);
  await store.transaction((tx) =>
    tx.sla.insertSlaPolicy({
      workspaceId,
      id: policyId,
      definition: {
        name: "First reply",
        description: "The KPI bench's: a lead answered within the hour.",
        object: "lead",
        enabled: true,
        starts: { on: "created" },
        stops: { on: "activity", types: ["call", "email", "meeting"], by: "anyone" },
        target: { hours: 1 },
        calendar: { of: "workspace" },
        escalations: [],
      },
      version: 1,
      createdAt: created,
      updatedAt: created,
      updatedBy: null,
    }),
  );
  const written: SlaWritten = { policyId, met: 0, missed: 0 };
  for (let i = 0; i < leads.length; i += TX) {
    const part = leads.slice(i, i + TX);
    const clocks = part.map((lead, k) => {
      const id = `clock_${i + k}`;
      const history: SlaClockEvent[] = [{ workspaceId, clockId: id, seq: 1, at: iso(lead.at), kind: "started", detail: {} }];
      let stopped: number;
      if (rnd.chance(0.2)) {
        history.push({ workspaceId, clockId: id, seq: 2, at: iso(lead.at + HOUR), kind: "breached", detail: { level: 1 } });
        stopped = lead.at + HOUR + rnd.int(1, 4 * HOUR);
        history.push({ workspaceId, clockId: id, seq: 3, at: iso(stopped), kind: "stopped", detail: { outcome: "missed" } });
        written.missed += 1;
      } else {
        stopped = lead.at + rnd.int(1, HOUR - 1);
        history.push({ workspaceId, clockId: id, seq: 2, at: iso(stopped), kind: "stopped", detail: { outcome: "met" } });
        written.met += 1;
      }
      return { id, lead, stopped, history };
    });
    // The clocks first (the history's upsert joins them for their policy), 500 rows a statement.
    for (let j = 0; j < clocks.length; j += 500)
      await store.db
        .insertInto("sla_clocks")
        .values(
          clocks.slice(j, j + 500).map((c) => ({
            workspace_id: workspaceId,
            id: c.id,
            policy_id: policyId,
            policy_version: 1,
            record_id: c.lead.id,
            phase: "stopped",
            plan: store.d.json({ target_ms: HOUR, warning: null, escalations_after_ms: [] }),
            calendar: store.d.json({ ref: { of: "workspace" }, id: null, name: null }),
            consumed_ms: 0,
            since: iso(c.stopped),
            started_at: iso(c.lead.at),
            stopped_at: iso(c.stopped),
            fired: store.d.json(c.history.some((e) => e.kind === "breached") ? ["breach"] : []),
            next_due_at: null,
            version: c.history.length,
            lease_owner: null,
            lease_until: null,
          })),
        )
        .execute();
    await store.transaction((tx) => tx.sla.appendSlaClockHistory(clocks.flatMap((c) => c.history)));
  }
  return written;
}

/**
 * Due clocks fire their milestones, each exactly once (docs/sla.md, "Milestones as events"). A
 * worker claims due running clocks with a lease by the database clock (`FOR UPDATE SKIP LOCKED`
 * on PostgreSQL; SQLite has one writer), then in one transaction for the claim, for each clock:
 * marks its next milestone fired (the pure `fire`), computes the next due instant, writes the row
 * over the version it claimed and only while it still holds the lease, and — only when that
 * write took — the history row (warned, breached, escalated) and the domain event on the record
 * (`sla.warning`, `sla.breached`, `sla.escalated`) with the policy, the clock, the milestone and
 * level and the instant it fell due. A worker whose lease was taken over, or whose clock the
 * matcher changed meanwhile (a pause, a stop), writes nothing for that clock: the version moved.
 * The history row's key (clock, seq = version) is a second guard. Workflows on the `sla`
 * trigger then run once per workflow and event, as always.
 */
import type { Clock, IdGenerator } from "../../app/ports.js";
import { type CalendarWorld, calendarWorld, type SlaCalendars } from "../../app/sla/clock-calendars.js";
import { fire, nextDue } from "../../crm/sla/clock.js";
import type { NewDomainEvent, SlaEventDetail, SlaEventType } from "../../store/event-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import type { ClaimedSlaClock, SlaClockEvent, SlaClockEventKind, SlaClockRow, SlaPolicyRow } from "../../store/sla-ports.js";
import { stateOf } from "./state.js";

export interface FireDeps {
  store: Store;
  calendars: SlaCalendars;
  clock: Clock;
  ids: IdGenerator;
  /**
   * Judges due-ness by this instant instead of the database clock: tests on a simulated clock
   * only (the leases are still measured by the database clock).
   */
  dueBy?: (() => Date) | undefined;
}

const EVENT_OF: Record<"warning" | "breach" | "escalation", { type: SlaEventType; kind: SlaClockEventKind }> = {
  warning: { type: "sla.warning", kind: "warned" },
  breach: { type: "sla.breached", kind: "breached" },
  escalation: { type: "sla.escalated", kind: "escalated" },
};

/** What the runtime's actor is called on the events and history it writes. */
export const SLA_ACTOR = { kind: "system", id: "sla" } as const;

export class SlaFiring {
  constructor(private readonly deps: FireDeps) {}

  /** Claims up to `limit` due clocks and fires them in one transaction; returns how many milestones fired. */
  async fireDue(owner: string, limit: number, leaseMs: number): Promise<number> {
    const dueBy = this.deps.dueBy?.().toISOString();
    const claimed = await this.deps.store.sla.claimDueSlaClocks(owner, limit, leaseMs, dueBy);
    if (claimed.length === 0) return 0;
    return this.deps.store.transaction((tx) => this.fireClaimed(tx, owner, claimed));
  }

  async fireClaimed(tx: StoreTx, owner: string, claimed: readonly ClaimedSlaClock[]): Promise<number> {
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const worlds = new Map<string, CalendarWorld>();
    const policies = new Map<string, SlaPolicyRow | undefined>();
    const records = new Map<string, { object: string; version: number }>();
    // The records of the claim, one read per workspace (their current version goes on the event).
    const byWorkspace = new Map<string, string[]>();
    for (const c of claimed) {
      const ids = byWorkspace.get(c.workspaceId);
      if (ids) ids.push(c.recordId);
      else byWorkspace.set(c.workspaceId, [c.recordId]);
    }
    for (const [ws, ids] of byWorkspace) {
      for (const r of await tx.records.getRecords(ws, [...new Set(ids)])) records.set(`${ws}\u0000${r.id}`, r);
    }
    const history: SlaClockEvent[] = [];
    const events: NewDomainEvent[] = [];
    for (const c of claimed) {
      let world = worlds.get(c.workspaceId);
      if (!world) {
        world = await calendarWorld(tx, c.workspaceId);
        worlds.set(c.workspaceId, world);
      }
      const pk = `${c.workspaceId}\u0000${c.policyId}`;
      if (!policies.has(pk)) policies.set(pk, await tx.sla.getSlaPolicy(c.workspaceId, c.policyId));
      const policy = policies.get(pk);
      const cal = this.deps.calendars.stored(world, c.calendar);
      const state = stateOf(c);
      const due = nextDue(state, c.plan, cal);
      if (!due) {
        // Nothing falls due any more (a calendar that never opens again): not claimed again.
        await tx.sla.updateSlaClock({ ...c, nextDueAt: null }, c.version, owner);
        continue;
      }
      const fired = fire(state, c.plan, due.milestone.key);
      const next = nextDue(fired, c.plan, cal);
      const row: SlaClockRow = {
        ...c,
        fired: [...fired.fired],
        nextDueAt: next ? new Date(next.at).toISOString() : null,
        version: c.version + 1,
      };
      // Taken over by another worker, or changed by the matcher since the claim: not ours to fire.
      if (!(await tx.sla.updateSlaClock(row, c.version, owner))) continue;
      const dueAt = c.nextDueAt ?? new Date(due.at).toISOString();
      const { type, kind } = EVENT_OF[due.milestone.kind];
      const detail: SlaEventDetail = {
        policy_id: c.policyId,
        policy_name: policy?.definition.name ?? c.policyId,
        clock_id: c.id,
        milestone: due.milestone.key,
        level: due.milestone.level,
        due_at: dueAt,
      };
      history.push({
        workspaceId: c.workspaceId,
        clockId: c.id,
        seq: row.version,
        at,
        kind,
        detail: {
          milestone: detail.milestone,
          level: detail.level,
          due_at: dueAt,
          late_ms: Math.max(0, now.getTime() - Date.parse(dueAt)),
        },
      });
      const record = records.get(`${c.workspaceId}\u0000${c.recordId}`);
      // A record deleted since (its clock is cancelled by the matcher's pass over the deletion): no event.
      if (!record || !policy) continue;
      events.push({
        id: this.deps.ids.next(),
        workspaceId: c.workspaceId,
        type,
        object: policy.definition.object,
        recordId: c.recordId,
        recordVersion: record.version,
        actor: SLA_ACTOR,
        causeId: null,
        changes: [],
        occurredAt: at,
        depth: 0,
        source: policy.definition.name,
        detail: { ...detail },
      });
    }
    await tx.sla.appendSlaClockHistory(history);
    await tx.events.appendEvents(events);
    return history.length;
  }
}

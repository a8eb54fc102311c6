/**
 * SLA clocks at run time on both stores, on a simulated clock (docs/sla.md, "Clocks" and
 * "Milestones as events"): a ticket's first-response clock pauses while pending and resumes,
 * warns and breaches at the instants business-time math says, once each; a closed date moves the
 * due instant; the owner's email stops it (met), someone else's does not; a priority change
 * retargets it; a record that stops matching `applies_when` cancels it; each milestone's workflow
 * runs exactly once. The attacker's cases: draining again fires nothing twice; a stale worker
 * whose lease was taken over, or whose clock was paused after its claim, writes nothing. What it
 * all ended is in SLA attainment's hourly rollup as the history and the migration's backfill count it.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallContext } from "../../src/app/context.js";
import { systemContext } from "../../src/app/context.js";
import { ulidGenerator } from "../../src/app/ports.js";
import { SlaCalendars } from "../../src/app/sla/clock-calendars.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import { SlaFiring } from "../../src/runtime/sla/fire.js";
import { backfillKpiSlaHourly } from "../../src/store/migrations/046_kpi_sla_hourly.js";
import type { DomainEvent, StoredRecord } from "../../src/store/ports.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const HOUR = 3_600_000;
const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);
/** Monday 2 March 2026, 09:00 UTC. */
const MONDAY_9 = at("2026-03-02T09:00:00.000Z");

class SimClock {
  constructor(public ms: number) {}
  now = () => new Date(this.ms);
  set(ms: number) {
    this.ms = ms;
  }
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`SLA clocks on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    const clock = new SimClock(MONDAY_9);
    let ws: string;
    let admin: CallContext;
    let ada: StoredRecord;
    let bob: StoredRecord;
    const as = (user: StoredRecord): CallContext => ({ ...admin, actor: { kind: "person", id: user.id } });

    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(t.store, clock, ulidGenerator(), { slaDueByServiceClock: true });
      ws = (await s.workspaces.create("sla-run", "SLA run")).id;
      admin = systemContext(ws);
      await s.calendars.create(admin, {
        name: "Support",
        time_zone: "UTC",
        hours: {
          mon: [["09:00", "17:00"]],
          tue: [["09:00", "17:00"]],
          wed: [["09:00", "17:00"]],
          thu: [["09:00", "17:00"]],
          fri: [["09:00", "17:00"]],
        },
        closed_dates: [{ date: "2026-03-10", name: "Team offsite" }],
        default: true,
      });
      [ada, bob] = (await s.writer.createMany(admin, "user", [
        { name: "Ada", email: "ada@sla.test", role: "rep" },
        { name: "Bob", email: "bob@sla.test", role: "rep" },
      ])) as [StoredRecord, StoredRecord];
      await s.slaPolicies.create(admin, {
        name: "First response",
        object: "ticket",
        applies_when: { field: "category", op: "neq", value: "spam" },
        starts: { on: "created" },
        stops: { on: "activity", types: ["email", "call"], by: "owner" },
        target: { hours: 4 },
        targets_by: { field: "priority", values: { P1: { hours: 1 } } },
        pause_when: { field: "status", op: "eq", value: "pending" },
        warning: { fraction: 0.75 },
        escalations: [{ after: { hours: 1 } }],
      });
      const saved = await s.workflows.saveDraft(admin, {
        key: "sla-note",
        name: "Note each SLA milestone",
        description: "Why it exists: a test fixture (publishing needs a description).",
        object: "ticket",
        // One workflow for two milestones of a record: each milestone's event is a new enrolment.
        reenrollment: true,
        trigger: { type: "sla", policy: "First response", milestones: ["warning", "breach"] },
        start: "note",
        steps: { note: { type: "action", action: { type: "add_activity", activity_type: "note", subject: "SLA milestone" } } },
      });
      await s.workflows.publish(admin, saved.workflow.id);
    });
    afterAll(async () => t?.dispose());

    const drain = () => s.worker.drain();
    const clocksOf = (id: string) => t.store.sla.slaClocksOfRecord(ws, id);
    const slaEvents = async (recordId: string) =>
      (await t.store.events.readEvents(0, 10_000, ws)).filter((e: DomainEvent) => e.recordId === recordId && e.type.startsWith("sla."));
    const notes = async (recordId: string) =>
      (await s.records.list(admin, "activity", { filter: { field: "related_id", op: "eq", value: recordId }, limit: 100 })).items
        .map((i) => i.record)
        .filter((r) => r.data.type === "note");
    const createTicket = async (fields: Record<string, unknown>) => {
      const [ticket] = (await s.writer.createMany(admin, "ticket", [{ subject: "Help", assignee_id: ada.id, ...fields }])) as [
        StoredRecord,
      ];
      await drain();
      return ticket;
    };
    const update = async (id: string, fields: Record<string, unknown>) => {
      await s.writer.update(admin, "ticket", { id, fields });
      await drain();
    };

    it("pauses while pending, resumes, then warns and breaches at the instants business time says, each once", async () => {
      clock.set(MONDAY_9);
      const ticket = await createTicket({});
      let [c] = await clocksOf(ticket.id);
      expect(c).toMatchObject({ phase: "running", nextDueAt: "2026-03-02T12:00:00.000Z", version: 1 });

      clock.set(MONDAY_9 + HOUR);
      await update(ticket.id, { status: "pending" });
      [c] = await clocksOf(ticket.id);
      expect(c).toMatchObject({ phase: "paused", consumedMs: HOUR, nextDueAt: null });

      // Paused past the first due instant: nothing fires.
      clock.set(MONDAY_9 + 4 * HOUR);
      await update(ticket.id, { status: "open" });
      [c] = await clocksOf(ticket.id);
      // 1 h consumed; the warning (3 h) is 2 business hours after 13:00.
      expect(c).toMatchObject({ phase: "running", consumedMs: HOUR, nextDueAt: "2026-03-02T15:00:00.000Z" });
      expect(await slaEvents(ticket.id)).toEqual([]);

      clock.set(at("2026-03-02T14:59:59.999Z"));
      await drain();
      expect(await slaEvents(ticket.id)).toEqual([]);

      clock.set(at("2026-03-02T15:00:00.000Z"));
      await drain();
      await drain();
      const warned = await slaEvents(ticket.id);
      expect(warned.map((e) => e.type)).toEqual(["sla.warning"]);
      expect(warned[0]).toMatchObject({
        source: "First response",
        actor: { kind: "system", id: "sla" },
        detail: { policy_name: "First response", clock_id: c?.id, milestone: "warning", level: 0, due_at: "2026-03-02T15:00:00.000Z" },
      });
      expect(await notes(ticket.id)).toHaveLength(1);

      clock.set(at("2026-03-02T16:00:00.000Z"));
      await drain();
      clock.set(at("2026-03-02T16:30:00.000Z"));
      await drain();
      expect((await slaEvents(ticket.id)).map((e) => [e.type, e.detail?.due_at])).toEqual([
        ["sla.warning", "2026-03-02T15:00:00.000Z"],
        ["sla.breached", "2026-03-02T16:00:00.000Z"],
      ]);
      expect(await notes(ticket.id)).toHaveLength(2);
      [c] = await clocksOf(ticket.id);
      expect(c).toMatchObject({ fired: ["warning", "breach"], nextDueAt: "2026-03-02T17:00:00.000Z" });

      // Ada answers by email: the clock stops, missed (after the breach); its escalation never fires.
      await s.writer.createMany(as(ada), "activity", [{ type: "email", subject: "Re: Help", related_id: ticket.id, user_id: ada.id }]);
      await drain();
      clock.set(at("2026-03-02T18:00:00.000Z"));
      await drain();
      [c] = await clocksOf(ticket.id);
      expect(c).toMatchObject({ phase: "stopped", stoppedAt: "2026-03-02T16:30:00.000Z", nextDueAt: null });
      const history = await t.store.sla.slaClockHistory(ws, c?.id ?? "");
      expect(history.map((h) => [h.seq, h.kind])).toEqual([
        [1, "started"],
        [2, "paused"],
        [3, "resumed"],
        [4, "warned"],
        [5, "breached"],
        [6, "stopped"],
      ]);
      expect(history.at(-1)?.detail).toMatchObject({ outcome: "missed" });
      expect((await slaEvents(ticket.id)).map((e) => e.type)).toEqual(["sla.warning", "sla.breached"]);
      const runs = await t.store.runs.runsOfRecords(ws, [ticket.id]);
      expect(runs.map((r) => r.state.status)).toEqual(["completed", "completed"]);
    });

    it("moves the due instant over a closed date", async () => {
      // Monday 9 March 15:00: 2 h left on Monday, Tuesday the 10th is closed, so 3 h is Wednesday 10:00.
      clock.set(at("2026-03-09T15:00:00.000Z"));
      const ticket = await createTicket({});
      const [c] = await clocksOf(ticket.id);
      expect(c?.nextDueAt).toBe("2026-03-11T10:00:00.000Z");
      clock.set(at("2026-03-10T16:00:00.000Z"));
      await drain();
      expect(await slaEvents(ticket.id)).toEqual([]);
      clock.set(at("2026-03-11T10:00:00.000Z"));
      await drain();
      expect((await slaEvents(ticket.id)).map((e) => e.detail?.due_at)).toEqual(["2026-03-11T10:00:00.000Z"]);
      expect((await clocksOf(ticket.id))[0]?.nextDueAt).toBe("2026-03-11T11:00:00.000Z");
    });

    it("stops on the owner's email (met); someone else's call does not stop it", async () => {
      clock.set(at("2026-03-16T09:00:00.000Z"));
      const ticket = await createTicket({});
      clock.set(at("2026-03-16T10:00:00.000Z"));
      await s.writer.createMany(as(bob), "activity", [{ type: "call", related_id: ticket.id, user_id: bob.id }]);
      await s.writer.createMany(as(ada), "activity", [{ type: "note", related_id: ticket.id, user_id: ada.id }]);
      await drain();
      expect((await clocksOf(ticket.id))[0]?.phase).toBe("running");
      clock.set(at("2026-03-16T11:00:00.000Z"));
      await s.writer.createMany(as(ada), "activity", [{ type: "email", related_id: ticket.id, user_id: ada.id }]);
      await drain();
      const [c] = await clocksOf(ticket.id);
      expect(c).toMatchObject({ phase: "stopped", consumedMs: 2 * HOUR, nextDueAt: null });
      const history = await t.store.sla.slaClockHistory(ws, c?.id ?? "");
      expect(history.at(-1)).toMatchObject({ kind: "stopped", detail: { outcome: "met" } });
      clock.set(at("2026-03-17T09:00:00.000Z"));
      await drain();
      expect(await slaEvents(ticket.id)).toEqual([]);
    });

    it("retargets on a priority change, keeping what was consumed, and cancels when the policy stops applying", async () => {
      clock.set(at("2026-03-18T09:00:00.000Z"));
      const ticket = await createTicket({});
      clock.set(at("2026-03-18T09:30:00.000Z"));
      await update(ticket.id, { priority: "P1" });
      let [c] = await clocksOf(ticket.id);
      // 30 min consumed of 1 h; the warning (45 min) 15 min on.
      expect(c).toMatchObject({ consumedMs: 30 * MIN, plan: { targetMs: HOUR }, nextDueAt: "2026-03-18T09:45:00.000Z" });
      clock.set(at("2026-03-18T09:40:00.000Z"));
      await update(ticket.id, { category: "spam" });
      [c] = await clocksOf(ticket.id);
      expect(c?.phase).toBe("stopped");
      const history = await t.store.sla.slaClockHistory(ws, c?.id ?? "");
      expect(history.map((h) => h.kind)).toEqual(["started", "retargeted", "stopped"]);
      expect(history.at(-1)?.detail).toMatchObject({ outcome: "cancelled" });
      // Spam from the start: no clock at all.
      const spam = await createTicket({ category: "spam" });
      expect(await clocksOf(spam.id)).toEqual([]);
    });

    it("fires every milestone a stopped worker missed, in order, each once: warning, breach, escalation level 2", async () => {
      clock.set(at("2026-03-20T09:00:00.000Z"));
      const ticket = await createTicket({});
      // Friday 09:00 + 5 business hours: nothing ran until Monday.
      clock.set(at("2026-03-23T12:00:00.000Z"));
      await drain();
      await drain();
      expect((await slaEvents(ticket.id)).map((e) => [e.type, e.detail?.level, e.detail?.due_at])).toEqual([
        ["sla.warning", 0, "2026-03-20T12:00:00.000Z"],
        ["sla.breached", 1, "2026-03-20T13:00:00.000Z"],
        ["sla.escalated", 2, "2026-03-20T14:00:00.000Z"],
      ]);
      const [c] = await clocksOf(ticket.id);
      expect(c).toMatchObject({ phase: "running", fired: ["warning", "breach", "level:2"], nextDueAt: null });
      // The workflow names the warning and the breach only.
      expect(await notes(ticket.id)).toHaveLength(2);
    });

    it("moves a clock to the new owner's calendar when the owner changes, keeping what was consumed", async () => {
      await s.calendars.create(admin, { name: "Late desk", time_zone: "UTC", hours: { mon: [["18:00", "24:00"]] } });
      const carl = await s.writer.create(admin, "user", { name: "Carl", email: "carl@sla.test", role: "rep", calendar: "Late desk" });
      await s.slaPolicies.create(admin, {
        name: "Lead response",
        object: "lead",
        starts: { on: "created" },
        stops: { on: "activity", types: ["call"], by: "anyone" },
        target: { hours: 1 },
        calendar: { of: "owner" },
      });
      clock.set(at("2026-03-30T09:00:00.000Z"));
      const [lead] = (await s.writer.createMany(admin, "lead", [{ last_name: "Moved", owner_id: ada.id }])) as [StoredRecord];
      await drain();
      let [c] = await clocksOf(lead.id);
      expect(c).toMatchObject({ calendar: { name: "Support" }, nextDueAt: "2026-03-30T10:00:00.000Z" });
      clock.set(at("2026-03-30T09:30:00.000Z"));
      await s.writer.update(admin, "lead", { id: lead.id, fields: { owner_id: carl.id } });
      await drain();
      [c] = await clocksOf(lead.id);
      // 30 min consumed on Support; the other 30 on Late desk, which opens at 18:00.
      expect(c).toMatchObject({ calendar: { name: "Late desk" }, consumedMs: 30 * MIN, nextDueAt: "2026-03-30T18:30:00.000Z" });
      const history = await t.store.sla.slaClockHistory(ws, c?.id ?? "");
      expect(history.at(-1)).toMatchObject({
        kind: "retargeted",
        detail: { calendar: { from: { name: "Support" }, to: { name: "Late desk" } } },
      });
    });

    it("never fires a milestone twice: a stale worker's claim, or one the matcher changed after it, writes nothing", async () => {
      clock.set(at("2026-03-19T09:00:00.000Z"));
      const ticket = await createTicket({});
      const firing = new SlaFiring({
        store: t.store,
        calendars: new SlaCalendars(),
        clock,
        ids: ulidGenerator(),
        dueBy: () => clock.now(),
      });
      clock.set(at("2026-03-19T12:00:00.000Z"));
      // Worker A claims with a lease that has already run out; worker B takes the clock over and fires it.
      const stale = await t.store.sla.claimDueSlaClocks("worker-a", 100, -1_000, clock.now().toISOString());
      expect(stale.map((c) => c.recordId)).toContain(ticket.id);
      const mine = stale.filter((c) => c.recordId === ticket.id);
      const taken = await t.store.sla.claimDueSlaClocks("worker-b", 100, 15_000, clock.now().toISOString());
      expect(taken.map((c) => c.recordId)).toContain(ticket.id);
      expect(await t.store.transaction((tx) => firing.fireClaimed(tx, "worker-b", taken))).toBeGreaterThan(0);
      // A wakes up and fires what it claimed: nothing is written.
      expect(await t.store.transaction((tx) => firing.fireClaimed(tx, "worker-a", mine))).toBe(0);
      expect((await slaEvents(ticket.id)).map((e) => e.type)).toEqual(["sla.warning"]);

      // Claimed for the breach, then the ticket goes pending before the claim fires: the claim is void.
      clock.set(at("2026-03-19T13:00:00.000Z"));
      const claim = (await t.store.sla.claimDueSlaClocks("worker-c", 100, 15_000, clock.now().toISOString())).filter(
        (c) => c.recordId === ticket.id,
      );
      expect(claim).toHaveLength(1);
      await s.writer.update(admin, "ticket", { id: ticket.id, fields: { status: "pending" } });
      await s.worker.drain();
      expect(await t.store.transaction((tx) => firing.fireClaimed(tx, "worker-c", claim))).toBe(0);
      await drain();
      expect((await slaEvents(ticket.id)).map((e) => e.type)).toEqual(["sla.warning"]);
      expect(await notes(ticket.id)).toHaveLength(1);
    });

    it("ends the open clocks of a record merged into another, cancelled 'merged into …'; the survivor's clock goes on", async () => {
      clock.set(at("2026-03-23T09:00:00.000Z"));
      const keep = await createTicket({ subject: "Printer on fire" });
      const copy = await createTicket({ subject: "Printer on fire (again)" });
      clock.set(at("2026-03-23T09:20:00.000Z"));
      const mergeId = await s.merges.merge(admin, { object: "ticket", survivorId: keep.id, mergedId: copy.id });
      await drain();
      const [gone] = await clocksOf(copy.id);
      expect(gone).toMatchObject({ phase: "stopped", stoppedAt: "2026-03-23T09:20:00.000Z", nextDueAt: null });
      const history = await t.store.sla.slaClockHistory(ws, gone?.id ?? "");
      expect(history.map((h) => h.kind)).toEqual(["started", "stopped"]);
      expect(history.at(-1)?.detail).toMatchObject({ outcome: "cancelled", why: `merged into ticket ${keep.id}`, consumed_ms: 20 * MIN });
      const [kept] = await clocksOf(keep.id);
      expect(kept?.phase).toBe("running");

      // Past the target: the survivor's clock warns and breaches, the merged one's never fires.
      clock.set(at("2026-03-23T13:30:00.000Z"));
      await drain();
      expect((await slaEvents(keep.id)).map((e) => e.type)).toEqual(["sla.warning", "sla.breached"]);
      expect(await slaEvents(copy.id)).toEqual([]);
      // An undo brings the record back, not its clock: a new clock starts only as its policy says.
      await s.merges.undo(admin, mergeId);
      await drain();
      expect((await clocksOf(copy.id)).map((c) => c.phase)).toEqual(["stopped"]);
    });

    // After every test above (they run in order): what the matcher and the firing wrote — met stops,
    // breaches, missed stops, cancellations — kept in SLA attainment's hourly rollup (migration 046)
    // as the clocks' history counts it, and as the migration's backfill counts it.
    it("keeps SLA attainment's hourly rollup as the history counts the targets the runtime ended", async () => {
      const month = { workspaceId: ws, object: "ticket", from: "2026-03-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z" };
      const everyClock = { id: "no-such-workflow", handled: false };
      for (const bucket of ["day", "hour"] as const) {
        const rollup = await t.store.kpis.kpiSlaOutcomes({ ...month, bucket });
        expect(rollup).toEqual(await t.store.kpis.kpiSlaOutcomes({ ...month, bucket, workflow: everyClock }));
        expect(rollup.reduce((a, d) => a + d.met, 0)).toBeGreaterThan(0);
        expect(rollup.reduce((a, d) => a + d.missed, 0)).toBeGreaterThan(0);
      }
      if (!(t.store instanceof SqlStore)) throw new Error("the test stores are SQL stores");
      const store = t.store;
      const cells = () =>
        store.db.selectFrom("kpi_sla_hourly").selectAll().orderBy("workspace_id").orderBy("policy_id").orderBy("hour").execute();
      const live = (await cells()).map((c) => ({ ...c, met: Number(c.met), missed: Number(c.missed) }));
      await store.db.deleteFrom("kpi_sla_hourly").execute();
      await backfillKpiSlaHourly(store.db as unknown as Kysely<unknown>, store.dialect);
      expect((await cells()).map((c) => ({ ...c, met: Number(c.met), missed: Number(c.missed) }))).toEqual(live);
    });
  });
}

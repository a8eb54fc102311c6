/**
 * The effectiveness KPIs on SQLite and a real PostgreSQL (issue 22; docs/kpis.md), each answer
 * worked out by hand:
 * - escalation completion over SLA clocks and their history written by hand — a breach resolved
 *   before its next level was due, one whose next level fired, one stopped exactly at the next
 *   level (before the worker fired it), a last level resolved within its 24 hours and ones not,
 *   one cancelled, one pending; only the policy's object, the period and the workspace;
 * - onboarding handoff completion over deals and tickets written through the record writer and
 *   folded by the rollup — a handoff in time, a late one (in time with a longer window), an
 *   onboarding-less company, a deal with no company, an import created won, a win before the
 *   period, a ticket ready before the win, pending wins.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallContext } from "../../src/app/context.js";
import { escalatedRecords, escalationCompletion } from "../../src/app/kpis/escalation-completion.js";
import { onboardingHandoff, wonDeals } from "../../src/app/kpis/onboarding-handoff.js";
import { ulidGenerator } from "../../src/app/ports.js";
import { RecordWriter } from "../../src/app/records/record-writer.js";
import { KpiRollup } from "../../src/runtime/kpis/rollup.js";
import type { RecordFact } from "../../src/store/kpi-ports.js";
import type { Store, StoredRecord } from "../../src/store/ports.js";
import type { SlaClockEventKind, SlaClockRow, SlaPolicyRow } from "../../src/store/sla-ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const HOUR = 3_600_000;
const D = "2026-11-10";
const D1 = "2026-11-11";
const at = (day: string, hm: string) => `${day}T${hm}:00.000Z`;

const policy = (workspaceId: string, id: string, object: "ticket" | "lead", escalations: number): SlaPolicyRow => ({
  workspaceId,
  id,
  definition: {
    name: `${object} reply ${id}`,
    description: "",
    object,
    enabled: true,
    starts: { on: "created" },
    stops: { on: "activity", types: ["email"], by: "anyone" },
    target: { hours: 4 },
    calendar: { of: "workspace" },
    escalations: Array.from({ length: escalations }, () => ({ after: { hours: 2 } })),
  },
  version: 1,
  createdAt: at("2026-10-01", "00:00"),
  updatedAt: at("2026-10-01", "00:00"),
  updatedBy: null,
});

/** A history step: a kind at an instant, with a level (breach 1, escalation 2) or a stop's outcome and consumed hours. */
type Step = [SlaClockEventKind, string, { level?: number; outcome?: string; consumedHours?: number }?];

const fact = (workspaceId: string, recordId: string, ownerId: string): RecordFact => ({
  workspaceId,
  recordId,
  object: "ticket",
  createdAt: at("2026-11-01", "09:00"),
  ownerId,
  personWrites: 0,
  workflowWrites: 0,
  otherWrites: 0,
  respondedAt: null,
  responseMs: null,
  closedAt: null,
  cycleMs: null,
  wonAt: null,
  companyId: null,
  contactId: null,
  category: null,
  readyAt: null,
});

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the effectiveness KPIs on ${kind.name}`, () => {
    let t: TestStore;
    let store: Store;
    beforeAll(async () => {
      t = await kind.open();
      store = t.store;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    const clockOf = async (workspaceId: string, id: string, policyId: string, recordId: string, escalations: number, steps: Step[]) => {
      const stop = steps.find(([k]) => k === "stopped");
      const row: SlaClockRow = {
        workspaceId,
        id,
        policyId,
        policyVersion: 1,
        recordId,
        phase: stop ? "stopped" : "running",
        plan: { targetMs: 4 * HOUR, escalationsAfterMs: Array.from({ length: escalations }, () => 2 * HOUR) },
        calendar: { ref: { of: "workspace" }, id: null, name: null },
        consumedMs: 0,
        since: steps[0]?.[1] as string,
        startedAt: steps[0]?.[1] as string,
        stoppedAt: stop ? stop[1] : null,
        fired: [],
        nextDueAt: null,
        version: steps.length,
      };
      await store.transaction(async (tx) => {
        expect(await tx.sla.insertSlaClock(row)).toBe(true);
        await tx.sla.appendSlaClockHistory(
          steps.map(([k, when, d], i) => ({
            workspaceId,
            clockId: id,
            seq: i + 1,
            at: when,
            kind: k,
            detail:
              k === "stopped"
                ? { outcome: d?.outcome, consumed_ms: (d?.consumedHours ?? 0) * HOUR, target_ms: 4 * HOUR }
                : d?.level !== undefined
                  ? { milestone: d.level === 1 ? "breach" : `level:${d.level}`, level: d.level, due_at: when, late_ms: 0 }
                  : {},
          })),
        );
      });
    };

    it("escalation completion: the share of decided escalations resolved within their next target", async () => {
      const start = at("2026-11-01", "09:00");
      await store.transaction(async (tx) => {
        for (const ws of ["ws-e", "ws-e2"])
          await tx.workspaces.insertWorkspace({ id: ws, slug: ws, name: ws, timeZone: "UTC", createdAt: start });
        // p-two: breach at 4 h consumed, level 2 at 6 h; p-one: the breach is the last level.
        expect(await tx.sla.insertSlaPolicy(policy("ws-e", "p-two", "ticket", 1))).toBe(true);
        expect(await tx.sla.insertSlaPolicy(policy("ws-e", "p-one", "ticket", 0))).toBe(true);
        expect(await tx.sla.insertSlaPolicy(policy("ws-e", "p-lead", "lead", 1))).toBe(true);
        expect(await tx.sla.insertSlaPolicy(policy("ws-e2", "p-two", "ticket", 1))).toBe(true);
      });
      const breach = (when: string): Step => ["breached", when, { level: 1 }];
      const stopped = (when: string, outcome: string, consumedHours: number): Step => ["stopped", when, { outcome, consumedHours }];
      // Day D. t1: breach resolved at 5 h consumed, before level 2 at 6 h — resolved.
      await clockOf("ws-e", "c1", "p-two", "t1", 1, [["started", start], breach(at(D, "10:00")), stopped(at(D, "11:00"), "missed", 5)]);
      // t2: breach, then level 2 fired — the breach unresolved; level 2 (the last) stopped 21 h later — resolved.
      await clockOf("ws-e", "c2", "p-two", "t2", 1, [
        ["started", start],
        breach(at(D, "10:00")),
        ["escalated", at(D, "12:00"), { level: 2 }],
        stopped(at(D1, "09:00"), "missed", 8),
      ]);
      // t3: stopped at exactly 6 h consumed, before a worker fired level 2 — unresolved.
      await clockOf("ws-e", "c3", "p-two", "t3", 1, [["started", start], breach(at(D, "13:00")), stopped(at(D, "15:00"), "missed", 6)]);
      // t4 cancelled, t5 still open before its level 2: neither.
      await clockOf("ws-e", "c4", "p-two", "t4", 1, [["started", start], breach(at(D, "14:00")), stopped(at(D, "15:00"), "cancelled", 5)]);
      await clockOf("ws-e", "c5", "p-two", "t5", 1, [["started", start], breach(at(D, "16:00"))]);
      // Day D+1. t6: a last-level breach stopped 26 h later — unresolved; t7: one still open — unresolved once its 24 h passed.
      await clockOf("ws-e", "c6", "p-one", "t6", 0, [
        ["started", start],
        breach(at(D1, "08:00")),
        stopped(at("2026-11-12", "10:00"), "missed", 30),
      ]);
      await clockOf("ws-e", "c7", "p-one", "t7", 0, [["started", start], breach(at(D1, "09:00"))]);
      // Not in the figure: breached before the period; a lead's; another workspace's.
      await clockOf("ws-e", "c8", "p-two", "t8", 1, [
        ["started", start],
        breach(at("2026-11-09", "23:00")),
        stopped(at(D, "01:00"), "missed", 5),
      ]);
      await clockOf("ws-e", "c9", "p-lead", "l1", 1, [["started", start], breach(at(D, "10:00")), stopped(at(D, "10:30"), "missed", 4.5)]);
      await clockOf("ws-e2", "c10", "p-two", "t1", 1, [["started", start], breach(at(D, "10:00"))]);

      const period = { workspaceId: "ws-e", object: "ticket", from: at(D, "00:00"), to: at("2026-11-12", "00:00") };
      const later = new Date(at("2026-11-20", "00:00"));
      // Decided: c1 R, c2 breach U, c2 level 2 R, c3 U (day D: 2 of 4); c6 U, c7 U (day D+1: 0 of 2) — 2 of 6.
      expect(await escalationCompletion(store.kpis, period, later)).toEqual({
        value: 33.33,
        count: 6,
        series: [
          { day: D, value: 50, count: 4 },
          { day: D1, value: 0, count: 2 },
        ],
      });
      // At 09:00 on the 12th t7's 24 hours (from 09:00 on D+1) have not passed: pending, 2 of 5 (t6's passed at 08:00).
      expect(await escalationCompletion(store.kpis, period, new Date(at("2026-11-12", "09:00")))).toMatchObject({ value: 40, count: 5 });
      // Leads: t9's breach resolved at 4.5 h, before 6 h.
      expect(await escalationCompletion(store.kpis, { ...period, object: "lead" }, later)).toMatchObject({ value: 100, count: 1 });
      // The records behind it: each one's share resolved, the fewest first (ties by when the first fired).
      expect(await escalatedRecords(store.kpis, period, later)).toEqual([
        { recordId: "t3", value: 0, at: at(D, "13:00") },
        { recordId: "t6", value: 0, at: at(D1, "08:00") },
        { recordId: "t7", value: 0, at: at(D1, "09:00") },
        { recordId: "t2", value: 50, at: at(D, "10:00") },
        { recordId: "t1", value: 100, at: at(D, "10:00") },
      ]);
      // By owner as the rollup keeps it: u1 owns t1 (resolved) and t3 (not) — 50%; nobody is nothing.
      await store.transaction((tx) =>
        tx.kpis.upsertKpiRecords([fact("ws-e", "t1", "u1"), fact("ws-e", "t3", "u1"), fact("ws-e", "t6", "u2")]),
      );
      expect(await escalationCompletion(store.kpis, { ...period, ownerIds: ["u1"] }, later)).toMatchObject({ value: 50, count: 2 });
      expect(await escalationCompletion(store.kpis, { ...period, ownerIds: [] }, later)).toEqual({ value: null, count: 0, series: [] });
    });

    it("onboarding handoff completion: won deals whose company got a ready onboarding ticket within the window", async () => {
      let now = Date.parse(at("2026-11-01", "09:00"));
      const writer = new RecordWriter(store, { now: () => new Date(now) }, ulidGenerator());
      const ws = "ws-o";
      await store.transaction((tx) =>
        tx.workspaces.insertWorkspace({ id: ws, slug: ws, name: ws, timeZone: "UTC", createdAt: at("2026-11-01", "00:00") }),
      );
      const ctx: CallContext = { workspaceId: ws, role: "admin", actor: { kind: "person", id: "admin" }, requestId: null, causeId: null };
      const asWorkflow: CallContext = { ...ctx, actor: { kind: "workflow", id: "wf_onboarding" } };
      const when = async (iso: string, write: () => Promise<unknown>) => {
        now = Date.parse(iso);
        return write();
      };
      const [u1, u2] = (await writer.createMany(ctx, "user", [
        { name: "Ann", email: "ann@o.test", role: "rep" },
        { name: "Bo", email: "bo@o.test", role: "rep" },
      ])) as [StoredRecord, StoredRecord];
      const [a, b, c] = (await writer.createMany(ctx, "company", [{ name: "A" }, { name: "B" }, { name: "C" }])) as StoredRecord[] as [
        StoredRecord,
        StoredRecord,
        StoredRecord,
      ];
      const [contact] = (await writer.createMany(ctx, "contact", [{ last_name: "Ng" }])) as [StoredRecord];
      const deal = async (name: string, owner: StoredRecord, company?: StoredRecord, stage = "proposal") =>
        (
          (await writer.createMany(ctx, "deal", [{ name, stage, owner_id: owner.id, ...(company ? { company_id: company.id } : {}) }])) as [
            StoredRecord,
          ]
        )[0];
      const move = (d: StoredRecord, stage: string, iso: string) =>
        when(iso, () => writer.updateMany(ctx, "deal", [{ id: d.id, fields: { stage } }]));
      const ticket = async (iso: string, fields: Record<string, unknown>) =>
        (
          (await when(iso, () =>
            writer.createMany(asWorkflow, "ticket", [{ subject: "Onboarding", category: "onboarding", ...fields }]),
          )) as [StoredRecord]
        )[0];

      const d1 = await deal("D1", u1, a);
      const d2 = await deal("D2", u2, b);
      const d3 = await deal("D3", u1, c);
      const d4 = await deal("D4", u2);
      const d5 = await deal("D5 imported", u1, a, "closed_won");
      const d6 = await deal("D6", u1, a);
      const d7 = await deal("D7", u2, a);
      // C's onboarding ticket was ready on the 8th, before D3's win: it does not count for it.
      await ticket(at("2026-11-08", "10:00"), { company_id: c.id, contact_id: contact.id, assignee_id: u1.id });
      await move(d6, "closed_won", at("2026-11-09", "10:00"));
      // D1 won at 10:00 on D; its ticket opens a minute later without an assignee, assigned at 09:00 the next day: 23 hours.
      await move(d1, "closed_won", at(D, "10:00"));
      const tA = await ticket(at(D, "10:01"), { company_id: a.id, contact_id: contact.id });
      await move(d7, "closed_lost", at(D, "11:00"));
      // D2 won at 12:00 on D; its ticket lacks the contact until 13:00 on the 14th: 4 days 1 hour — late for 3 days, in time for 5.
      await move(d2, "closed_won", at(D, "12:00"));
      const tB = await ticket(at(D, "12:01"), { company_id: b.id, assignee_id: u2.id });
      await when(at(D1, "09:00"), () => writer.updateMany(ctx, "ticket", [{ id: tA.id, fields: { assignee_id: u1.id } }]));
      // D3 won on D+1, C's new ticket is about billing; D4 has no company.
      await move(d3, "closed_won", at(D1, "09:00"));
      await ticket(at(D1, "10:00"), { category: "billing", company_id: c.id, contact_id: contact.id, assignee_id: u1.id });
      await move(d4, "closed_won", at(D1, "11:00"));
      await when(at("2026-11-14", "13:00"), () => writer.updateMany(ctx, "ticket", [{ id: tB.id, fields: { contact_id: contact.id } }]));
      await new KpiRollup({ store }).catchUp();
      expect(d5.data.stage).toBe("closed_won");

      const cut = { workspaceId: ws, object: "deal", from: at(D, "00:00"), to: at("2026-11-12", "00:00") };
      const later = new Date(at("2026-11-20", "00:00"));
      // D1 in time; D2 late; D3, D4 none — 1 of 4; day D 1 of 2, day D+1 0 of 2.
      expect(await onboardingHandoff(store.kpis, cut, 3, later)).toEqual({
        value: 25,
        count: 4,
        series: [
          { day: D, value: 50, count: 2 },
          { day: D1, value: 0, count: 2 },
        ],
      });
      expect(await onboardingHandoff(store.kpis, cut, 5, later)).toMatchObject({ value: 50, count: 4 });
      // By owner: Ann's D1 (in time) and D3 (none).
      expect(await onboardingHandoff(store.kpis, { ...cut, ownerIds: [u1.id] }, 3, later)).toMatchObject({ value: 50, count: 2 });
      // At noon on the 12th only D1 is decided: D2's, D3's and D4's 3 days have not passed and nothing is ready for them.
      expect(await onboardingHandoff(store.kpis, cut, 3, new Date(at("2026-11-12", "12:00")))).toMatchObject({ value: 100, count: 1 });
      // The deals behind it: none first (by win), then the slowest; days from the win to the ticket ready.
      expect((await wonDeals(store.kpis, cut, 3, later)).map((r) => [r.recordId, r.value])).toEqual([
        [d3.id, null],
        [d4.id, null],
        [d2.id, 4.04],
        [d1.id, 0.96],
      ]);
    });
  });
}

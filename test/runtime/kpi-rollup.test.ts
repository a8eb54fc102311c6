/**
 * The KPI rollup's increments equal a recomputation from scratch (issue 22, "Done when"): 10,000
 * random writes over a month of simulated time — leads and activities created, leads updated by
 * people, workflows, integrations and the system, owners changed, answers logged before, after and
 * in the future of their lead, deals created (some already closed) and moved through their stages,
 * closed, reopened and closed again, won; onboarding and other tickets created and their company,
 * contact, assignee and category filled and cleared — folded by a rollup that catches up at random moments with an odd
 * batch size, then rebuilt from the whole log in one go: the facts and the daily counts are the
 * same, and they agree with what the test counted itself. On both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallContext } from "../../src/app/context.js";
import { ulidGenerator } from "../../src/app/ports.js";
import { RecordWriter } from "../../src/app/records/record-writer.js";
import { buildServices } from "../../src/composition/root.js";
import { DEAL_STAGES } from "../../src/crm/objects.js";
import type { KpiActorKind } from "../../src/engine/kpis/fold.js";
import { CLOSED_STAGES as CLOSED } from "../../src/engine/kpis/fold.js";
import { KpiRollup } from "../../src/runtime/kpis/rollup.js";
import { Random } from "../../src/seed/random.js";
import type { StoredRecord } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const WRITES = 10_000;
const HOUR = 3_600_000;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`the KPI rollup on ${kind.name}`, () => {
    let t: TestStore;
    let ws: string;
    let now = Date.parse("2026-10-01T08:00:00.000Z");
    const clock = { now: () => new Date(now) };

    beforeAll(async () => {
      t = await kind.open();
      ws = (await buildServices(t.store).workspaces.create("kpi-prop", "KPI property")).id;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    const snapshot = async () => {
      const facts = [];
      for (const object of ["lead", "activity", "user", "deal", "ticket", "company", "contact"])
        facts.push(...(await t.store.kpis.kpiCohort({ workspaceId: ws, object, from: "2000-01-01", to: "2100-01-01", limit: 1_000_000 })));
      const daily = await t.store.kpis.kpiDaily(ws, "2000-01-01", "2100-01-01");
      const hourly = await t.store.kpis.kpiHourly(ws, "2000-01-01T00", "2100-01-01T00");
      const order = (rows: typeof daily) =>
        rows.sort((a, b) =>
          `${a.day}${a.object}${a.actorKind}${a.workflowId}`.localeCompare(`${b.day}${b.object}${b.actorKind}${b.workflowId}`),
        );
      return { facts: facts.sort((a, b) => a.recordId.localeCompare(b.recordId)), daily: order(daily), hourly: order(hourly) };
    };

    it("folds 10,000 random writes incrementally into what a rebuild from scratch gives", { timeout: 240_000 }, async () => {
      const rnd = new Random(22);
      const writer = new RecordWriter(t.store, clock, ulidGenerator());
      const as = (kind: KpiActorKind, id: string): CallContext => ({
        workspaceId: ws,
        role: "admin",
        actor: { kind, id },
        requestId: null,
        causeId: null,
      });
      const people = await writer.createMany(
        as("system", "setup"),
        "user",
        ["Ann", "Bo", "Cy"].map((name) => ({ name, email: `${name.toLowerCase()}@kpi.test`, role: "rep" })),
      );
      const leads: StoredRecord[] = [];
      // Each lead's owner as the test set it: an update that would change nothing writes nothing.
      const ownerOf = new Map<string, string | null>();
      const counted = { personUpdates: 0, leadCreates: 0 };
      // Each deal's stage, creation and first closing as the test wrote them (null: created closed, no cycle).
      const deals: StoredRecord[] = [];
      const stageOf = new Map<string, string>();
      const closing = new Map<string, { at: number; cycleMs: number | null }>();
      const createdAt = new Map<string, number>();
      // Onboarding handoff: each deal's company and first win (none when created closed), each ticket's fields and first readiness.
      const companies = await writer.createMany(as("system", "setup"), "company", [{ name: "Acme" }, { name: "Globex" }]);
      const contacts = await writer.createMany(as("system", "setup"), "contact", [{ last_name: "Ng" }, { last_name: "Ode" }]);
      const companyOf = new Map<string, string | null>();
      const wonAt = new Map<string, number>();
      const createdClosed = new Set<string>();
      const tickets: StoredRecord[] = [];
      const ticketFields = new Map<string, Record<string, string | null>>();
      const readyAt = new Map<string, number>();
      const pickOr = (list: readonly StoredRecord[], p: number) =>
        rnd.chance(p) ? (list[rnd.int(0, list.length - 1)] as StoredRecord).id : null;
      const markReady = (id: string) => {
        const f = ticketFields.get(id) ?? {};
        if (!readyAt.has(id) && f.category === "onboarding" && f.company_id && f.contact_id && f.assignee_id) readyAt.set(id, now);
      };
      const incremental = new KpiRollup({ store: t.store }, 60_000, 37);
      let writes = people.length;
      while (writes < WRITES) {
        now += rnd.int(0, 6 * HOUR);
        const roll = rnd.next();
        if (roll < 0.3 || leads.length < 5) {
          const n = rnd.int(1, 20);
          const created = await writer.createMany(
            as(rnd.chance(0.5) ? "person" : "integration", "creator"),
            "lead",
            Array.from({ length: n }, (_, i) => ({
              last_name: `Lead ${writes + i}`,
              status: "new",
              ...(rnd.chance(0.6) ? { owner_id: (people[rnd.int(0, people.length - 1)] as StoredRecord).id } : {}),
            })),
          );
          leads.push(...created);
          for (const l of created) ownerOf.set(l.id, (l.data.owner_id as string | undefined) ?? null);
          counted.leadCreates += n;
          writes += n;
        } else if (roll < 0.4 || deals.length < 3) {
          // Deals: a few created (one in ten already closed), or a few moved to another stage.
          const actor = rnd.chance(0.5) ? as("person", "rep") : as("workflow", "wf_stage");
          if (rnd.chance(0.3) || deals.length < 3) {
            const n = rnd.int(1, 5);
            const created = await writer.createMany(
              actor,
              "deal",
              Array.from({ length: n }, (_, i) => {
                const company = pickOr(companies, 0.7);
                return {
                  name: `Deal ${writes + i}`,
                  stage: rnd.chance(0.1) ? (rnd.chance(0.5) ? "closed_lost" : "closed_won") : DEAL_STAGES[rnd.int(0, 3)],
                  ...(company ? { company_id: company } : {}),
                };
              }),
            );
            for (const d of created) {
              deals.push(d);
              stageOf.set(d.id, d.data.stage as string);
              createdAt.set(d.id, now);
              companyOf.set(d.id, (d.data.company_id as string | undefined) ?? null);
              if (CLOSED.includes(d.data.stage as string)) {
                closing.set(d.id, { at: now, cycleMs: null });
                createdClosed.add(d.id);
              }
            }
            writes += n;
          } else {
            const chosen = [...new Set(Array.from({ length: rnd.int(1, 5) }, () => rnd.int(0, deals.length - 1)))].map(
              (i) => deals[i] as StoredRecord,
            );
            await writer.updateMany(
              actor,
              "deal",
              chosen.map((d) => {
                const others = DEAL_STAGES.filter((x) => x !== stageOf.get(d.id));
                const stage = others[rnd.int(0, others.length - 1)] as string;
                stageOf.set(d.id, stage);
                if (CLOSED.includes(stage) && !closing.has(d.id))
                  closing.set(d.id, { at: now, cycleMs: now - (createdAt.get(d.id) as number) });
                if (stage === "closed_won" && !wonAt.has(d.id) && !createdClosed.has(d.id)) wonAt.set(d.id, now);
                return { id: d.id, fields: { stage } };
              }),
            );
            writes += chosen.length;
          }
        } else if (roll < 0.6) {
          const n = rnd.int(1, 10);
          const types = ["call", "email", "meeting", "note"];
          await writer.createMany(
            as(rnd.chance(0.8) ? "person" : "workflow", "wf_answer"),
            "activity",
            Array.from({ length: n }, () => ({
              type: types[rnd.int(0, types.length - 1)],
              related_id: (leads[rnd.int(0, leads.length - 1)] as StoredRecord).id,
              ...(rnd.chance(0.3) ? { made_by: rnd.chance(0.5) ? "person" : "handoff" } : {}),
              ...(rnd.chance(0.5) ? { occurred_at: new Date(now + rnd.int(-48, 2) * HOUR).toISOString() } : {}),
            })),
          );
          writes += n;
        } else if (roll < 0.68) {
          // Tickets: a few created, onboarding or not, with some of the handoff's fields; or one field of a few set or cleared.
          if (rnd.chance(0.3) || tickets.length < 3) {
            const n = rnd.int(1, 3);
            const rows = Array.from({ length: n }, (_, i) => {
              const fields: Record<string, string | null> = {
                category: rnd.chance(0.6) ? "onboarding" : "billing",
                company_id: pickOr(companies, 0.6),
                contact_id: pickOr(contacts, 0.6),
                assignee_id: pickOr(people, 0.5),
              };
              return {
                fields,
                row: { subject: `Ticket ${writes + i}`, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v)) },
              };
            });
            const created = await writer.createMany(
              as("workflow", "wf_onboarding"),
              "ticket",
              rows.map((r) => r.row),
            );
            created.forEach((t, i) => {
              tickets.push(t);
              ticketFields.set(t.id, (rows[i] as { fields: Record<string, string | null> }).fields);
              markReady(t.id);
            });
            writes += n;
          } else {
            const chosen = [...new Set(Array.from({ length: rnd.int(1, 4) }, () => rnd.int(0, tickets.length - 1)))].map(
              (i) => tickets[i] as StoredRecord,
            );
            const updates = chosen.flatMap((t) => {
              const field = ["category", "company_id", "contact_id", "assignee_id"][rnd.int(0, 3)] as string;
              const value =
                field === "category"
                  ? rnd.pick(["onboarding", "billing"])
                  : pickOr(field === "company_id" ? companies : field === "contact_id" ? contacts : people, 0.8);
              const fields = ticketFields.get(t.id) ?? {};
              if ((fields[field] ?? null) === value) return [];
              fields[field] = value;
              return [{ id: t.id, fields: { [field]: value } }];
            });
            if (updates.length > 0)
              await writer.updateMany(as(rnd.chance(0.5) ? "person" : "workflow", "wf_onboarding"), "ticket", updates);
            for (const u of updates) markReady(u.id);
            writes += Math.max(1, updates.length);
          }
        } else {
          const kinds: KpiActorKind[] = ["person", "workflow", "integration", "system"];
          const actor = kinds[rnd.int(0, kinds.length - 1)] as KpiActorKind;
          const n = rnd.int(1, 15);
          const chosen = [...new Set(Array.from({ length: n }, () => rnd.int(0, leads.length - 1)))].map((i) => leads[i] as StoredRecord);
          await writer.updateMany(
            as(actor, actor === "workflow" ? `wf_${rnd.int(1, 3)}` : "someone"),
            "lead",
            chosen.map((l, i) => {
              const owners = [null, ...people.map((p) => p.id)].filter((o) => o !== ownerOf.get(l.id));
              if (!rnd.chance(0.3)) return { id: l.id, fields: { title: `T${writes}-${i}` } };
              const owner = owners[rnd.int(0, owners.length - 1)] as string | null;
              ownerOf.set(l.id, owner);
              return { id: l.id, fields: { owner_id: owner } };
            }),
          );
          if (actor === "person") counted.personUpdates += chosen.length;
          writes += chosen.length;
        }
        if (rnd.chance(0.3)) await incremental.catchUp();
      }
      await incremental.catchUp();
      const stepwise = await snapshot();

      await new KpiRollup({ store: t.store }).rebuild();
      const rebuilt = await snapshot();
      expect(rebuilt).toEqual(stepwise);

      // And both agree with what the test counted.
      const leadFacts = rebuilt.facts.filter((f) => f.object === "lead");
      expect(leadFacts).toHaveLength(counted.leadCreates);
      expect(leadFacts.reduce((a, f) => a + f.personWrites, 0)).toBe(counted.personUpdates);
      const dailyLeadCreates = rebuilt.daily.filter((d) => d.object === "lead").reduce((a, d) => a + d.creates, 0);
      expect(dailyLeadCreates).toBe(counted.leadCreates);
      // The hours sum to their days, cell by cell, and the writes spread over more than one hour of a day.
      const summed = new Map<string, { writes: number; creates: number }>();
      for (const h of rebuilt.hourly) {
        const key = `${h.day.slice(0, 10)}|${h.object}|${h.actorKind}|${h.workflowId}`;
        const cell = summed.get(key) ?? { writes: 0, creates: 0 };
        cell.writes += h.writes;
        cell.creates += h.creates;
        summed.set(key, cell);
      }
      expect(
        new Map(
          rebuilt.daily.map((d) => [`${d.day}|${d.object}|${d.actorKind}|${d.workflowId}`, { writes: d.writes, creates: d.creates }]),
        ),
      ).toEqual(summed);
      expect(new Set(rebuilt.hourly.map((h) => h.day)).size).toBeGreaterThan(new Set(rebuilt.daily.map((d) => d.day)).size);
      expect(leadFacts.every((f) => f.responseMs === null || f.responseMs >= 0)).toBe(true);
      expect(leadFacts.every((f) => f.ownerId === ownerOf.get(f.recordId))).toBe(true);
      expect(leadFacts.some((f) => f.responseMs !== null)).toBe(true);
      // Every deal's first closing and cycle as the test wrote them; some closed, some with a cycle, some created closed.
      const dealFacts = rebuilt.facts.filter((f) => f.object === "deal");
      expect(dealFacts).toHaveLength(deals.length);
      for (const f of dealFacts) {
        const c = closing.get(f.recordId);
        expect({ closedAt: f.closedAt, cycleMs: f.cycleMs }, f.recordId).toEqual({
          closedAt: c ? new Date(c.at).toISOString() : null,
          cycleMs: c ? c.cycleMs : null,
        });
      }
      expect(dealFacts.some((f) => f.cycleMs !== null && f.cycleMs > 0)).toBe(true);
      expect(dealFacts.some((f) => f.closedAt !== null && f.cycleMs === null)).toBe(true);
      expect(dealFacts.some((f) => f.closedAt === null)).toBe(true);
      // Each deal's company and first win, each ticket's first readiness, as the test wrote them; some of each kind.
      for (const f of dealFacts) {
        const won = wonAt.get(f.recordId);
        expect({ wonAt: f.wonAt, companyId: f.companyId }, f.recordId).toEqual({
          wonAt: won === undefined ? null : new Date(won).toISOString(),
          companyId: companyOf.get(f.recordId) ?? null,
        });
      }
      expect(dealFacts.some((f) => f.wonAt !== null)).toBe(true);
      expect(dealFacts.some((f) => createdClosed.has(f.recordId) && f.wonAt === null)).toBe(true);
      const ticketFacts = rebuilt.facts.filter((f) => f.object === "ticket");
      expect(ticketFacts).toHaveLength(tickets.length);
      for (const f of ticketFacts) {
        const ready = readyAt.get(f.recordId);
        const fields = ticketFields.get(f.recordId) ?? {};
        expect({ readyAt: f.readyAt, companyId: f.companyId, contactId: f.contactId, ownerId: f.ownerId }, f.recordId).toEqual({
          readyAt: ready === undefined ? null : new Date(ready).toISOString(),
          companyId: fields.company_id ?? null,
          contactId: fields.contact_id ?? null,
          ownerId: fields.assignee_id ?? null,
        });
      }
      expect(ticketFacts.filter((f) => f.readyAt !== null).length).toBeGreaterThan(5);
      expect(ticketFacts.filter((f) => f.readyAt === null).length).toBeGreaterThan(5);
    });
  });
}

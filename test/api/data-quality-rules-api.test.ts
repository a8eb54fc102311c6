/**
 * Validation rules, stage gates and phone formats over real HTTP on both stores (issue 20): the
 * seed's stage gate refuses a deal moving to proposal without budget confirmation, naming the
 * rule (id and name) and the field path, with nothing written — on a single write, a bulk write
 * (all or none, each item's path), a CSV import and a workflow step; the seed's warn rule writes
 * and queues the record, and a later write that passes closes the item as fixed. Phone numbers
 * take the record's or the company's country, and each field's action (fix, refuse, warn) does
 * what docs/data-quality.md says. Bad rules get a 422 naming the path and the allowed values,
 * nothing saved; a rep cannot write rules; another workspace's rule id is a 404; a message
 * written like a template is stored and shown as text.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { DEMO_RULES, seedDataQuality } from "../../src/seed/demo-data-quality.js";
import { eventually } from "../helpers/eventually.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const GATE = DEMO_RULES[0].name;

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`validation rules over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind, {}, { worker: true });
    let gate: Json;
    const problemOf = async (res: Response, status: number): Promise<Json> => {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      return (await res.json()) as Json;
    };
    const rules = async () => ((await env.s.get("/api/v1/data-quality/rules")).data as Json[]).map((r) => r.name as string);
    const queued = (recordId: string) =>
      env.s.services.store.reviewQueue.listReviewItems({ workspaceId: env.s.workspace.id, recordId, limit: 50 });

    beforeAll(async () => {
      await seedDataQuality(env.s.services, systemContext(env.s.workspace.id, "seed"));
      gate = await env.s.get(`/api/v1/data-quality/rules/${encodeURIComponent(GATE)}`);
    });

    it("lists the seed's rules with why they exist and a sentence of what they check", async () => {
      expect(await rules()).toEqual(["Closing a ticket needs a resolution", GATE, "Won deals carry an amount"]);
      expect(gate).toMatchObject({
        kind: "gate",
        object: "deal",
        action: "refuse",
        enabled: true,
        version: 1,
        summary: "stage → proposal requires budget_confirmed is true",
      });
      expect(gate.description).toContain("confirmed the budget");
    });

    it("refuses a deal moving to proposal without budget confirmation, naming the rule and the field; nothing is written", async () => {
      const deal = await env.s.post("/api/v1/deals", { name: "Acme renewal", stage: "discovery" });
      const refused = await problemOf(await env.s.api(`/api/v1/deals/${deal.id}`, { method: "PATCH", json: { stage: "proposal" } }), 422);
      expect(refused.detail).toContain(GATE);
      expect(refused.errors).toEqual([
        { path: "budget_confirmed", code: "rule", message: DEMO_RULES[0].message, rule: { id: gate.id, name: GATE } },
      ]);
      const after = await env.s.get(`/api/v1/deals/${deal.id}`);
      expect(after).toMatchObject({ stage: "discovery", version: 1 });
      expect((await env.s.get(`/api/v1/deals/${deal.id}/history`)).data).toHaveLength(1);
      // A create straight at proposal is a move too; with the budget confirmed both go through.
      await problemOf(await env.s.api("/api/v1/deals", { method: "POST", json: { name: "Straight in", stage: "proposal" } }), 422);
      const moved = await env.s.json(`/api/v1/deals/${deal.id}`, { method: "PATCH", json: { stage: "proposal", budget_confirmed: true } });
      expect(moved).toMatchObject({ stage: "proposal", version: 2 });
      // Staying at proposal is not a move: another change goes through.
      expect(
        await env.s.json(`/api/v1/deals/${deal.id}`, { method: "PATCH", json: { budget_confirmed: false, amount: 10 } }),
      ).toMatchObject({ version: 3 });
    });

    it("refuses a bulk write whole, each broken item at its own path", async () => {
      const before = await env.s.services.store.records.countRecords(env.s.workspace.id, "deal");
      const created = await problemOf(
        await env.s.api("/api/v1/deals/bulk", {
          method: "POST",
          json: {
            records: [
              { name: "Fine" },
              { name: "No budget", stage: "proposal" },
              { name: "Ok", stage: "proposal", budget_confirmed: true },
            ],
          },
        }),
        422,
      );
      expect(created.errors.map((e: Json) => [e.path, e.rule.name])).toEqual([["records[1].budget_confirmed", GATE]]);
      expect(await env.s.services.store.records.countRecords(env.s.workspace.id, "deal")).toBe(before);

      const a = await env.s.post("/api/v1/deals", { name: "A" });
      const b = await env.s.post("/api/v1/deals", { name: "B" });
      const updated = await problemOf(
        await env.s.api("/api/v1/deals/bulk", {
          method: "PATCH",
          json: {
            records: [
              { id: a.id, fields: { amount: 5 } },
              { id: b.id, fields: { stage: "proposal" } },
            ],
          },
        }),
        422,
      );
      expect(updated.errors.map((e: Json) => e.path)).toEqual(["[1].fields.budget_confirmed"]);
      expect((await env.s.get(`/api/v1/deals/${a.id}`)).version).toBe(1);
    });

    it("refuses a CSV import that breaks a gate, row by row, importing nothing", async () => {
      const before = await env.s.services.store.records.countRecords(env.s.workspace.id, "ticket");
      const res = await env.s.api("/api/v1/tickets/import", {
        method: "POST",
        body: "subject,status,resolution\nFine,open,\nClosed bare,closed,\nClosed well,closed,Restarted the sync\n",
        headers: { "content-type": "text/csv" },
      });
      const problem = await problemOf(res, 422);
      expect(problem.errors.map((e: Json) => [e.code, e.rule?.name])).toEqual([["rule", "Closing a ticket needs a resolution"]]);
      expect(problem.errors[0].path).toMatch(/resolution$/);
      expect(await env.s.services.store.records.countRecords(env.s.workspace.id, "ticket")).toBe(before);
    });

    it("refuses a workflow step's write: the run fails on the gate and the deal stays where it was", async () => {
      await env.s.publish({
        key: "rush-to-proposal",
        name: "Rush to proposal",
        description: "Why it exists: a test fixture that breaks the demo's stage gate.",
        object: "deal",
        trigger: { type: "record_created", filter: { field: "name", op: "starts_with", value: "Rush" } },
        start: "move",
        steps: { move: { type: "action", action: { type: "update_fields", fields: { stage: "proposal" } } } },
      });
      const deal = await env.s.post("/api/v1/deals", { name: "Rush deal" });
      const run = await eventually(
        "the run failed",
        async () => ((await env.s.get(`/api/v1/runs?record_id=${deal.id}`)).data as Json[]).find((r) => r.status === "failed"),
        20_000,
      );
      expect(JSON.stringify(run)).toContain(DEMO_RULES[0].message);
      expect(await env.s.get(`/api/v1/deals/${deal.id}`)).toMatchObject({ stage: "qualification", version: 1 });
    });

    it("a warn rule writes and queues the record; a later write that passes closes the item as fixed", async () => {
      const deal = await env.s.post("/api/v1/deals", { name: "Won bare", stage: "closed_won", budget_confirmed: true });
      expect(deal.stage).toBe("closed_won");
      const [item] = await queued(deal.id);
      expect(item).toMatchObject({
        kind: "rule",
        status: "open",
        object: "deal",
        reason: `Rule "Won deals carry an amount": ${DEMO_RULES[2].message}`,
        detail: { ruleName: "Won deals carry an amount", field: "amount" },
      });
      // Still failing: the same open item, not another.
      await env.s.json(`/api/v1/deals/${deal.id}`, { method: "PATCH", json: { name: "Won bare, renamed" } });
      expect(await queued(deal.id)).toHaveLength(1);
      await env.s.json(`/api/v1/deals/${deal.id}`, { method: "PATCH", json: { amount: 1200 } });
      expect(await queued(deal.id)).toEqual([expect.objectContaining({ id: item?.id, status: "resolved", resolution: "fixed" })]);
    });

    it("stores phones in E.164 with the record's or the company's country; each field's action does what it says", async () => {
      const gb = await env.s.post("/api/v1/companies", { name: "Brit Ltd", country: "gb" });
      const viaCompany = await env.s.post("/api/v1/contacts", { last_name: "Holmes", company_id: gb.id, phone: "020 7946 0958" });
      expect(viaCompany.phone).toBe("+442079460958");
      const own = await env.s.post("/api/v1/leads", { last_name: "Own", country: "US", company_id: undefined, phone: "(415) 555-0123" });
      expect(own.phone).toBe("+14155550123");
      const typed = await env.s.post("/api/v1/leads", { last_name: "Typed", phone: "+1 415 555 0124" });
      expect(typed.phone).toBe("+14155550124");
      // fix (the default): what cannot be normalised is refused on its path.
      const noCountry = await problemOf(
        await env.s.api("/api/v1/leads", { method: "POST", json: { last_name: "Nowhere", phone: "415 555 0125" } }),
        422,
      );
      expect(noCountry.errors).toEqual([expect.objectContaining({ path: "phone", code: "invalid_value", expected: "E.164 phone" })]);

      const formats = (await env.s.get("/api/v1/data-quality/formats")).data as Json[];
      expect(formats.find((f) => f.object === "lead" && f.field === "phone")).toMatchObject({
        on_invalid: "fix",
        configured: false,
        version: 0,
      });
      // refuse: a number typed without its country code is refused even where a country is known.
      const refuse = await env.s.api("/api/v1/data-quality/formats/lead/phone", {
        method: "PUT",
        json: { on_invalid: "refuse" },
        headers: { "if-match": '"0"' },
      });
      expect(refuse.status).toBe(200);
      await problemOf(
        await env.s.api("/api/v1/leads", { method: "POST", json: { last_name: "Strict", country: "US", phone: "(415) 555-0126" } }),
        422,
      );
      // warn: kept as typed, queued as a format item; fixing the number closes it.
      await env.s.json("/api/v1/data-quality/formats/lead/phone", { method: "PUT", json: { on_invalid: "warn" } });
      const kept = await env.s.post("/api/v1/leads", { last_name: "Loose", phone: "ext. 12" });
      expect(kept.phone).toBe("ext. 12");
      expect(await queued(kept.id)).toEqual([
        expect.objectContaining({ kind: "format", status: "open", detail: expect.objectContaining({ field: "phone", value: "ext. 12" }) }),
      ]);
      await env.s.json(`/api/v1/leads/${kept.id}`, { method: "PATCH", json: { phone: "+1 415 555 0127" } });
      expect(await queued(kept.id)).toEqual([expect.objectContaining({ kind: "format", status: "resolved", resolution: "fixed" })]);
      expect((await env.s.json("/api/v1/data-quality/formats/lead/phone", { method: "DELETE" })).on_invalid).toBe("fix");
      // Formats are for phone fields: another field is a 422 naming the phone fields.
      const notPhone = await problemOf(
        await env.s.api("/api/v1/data-quality/formats/lead/email", { method: "PUT", json: { on_invalid: "warn" } }),
        422,
      );
      expect(notPhone.errors[0]).toMatchObject({ path: "field", expected: ["phone"] });
    });

    it("refuses a bad rule with the path and the allowed values, saving nothing", async () => {
      const before = await rules();
      const post = (body: Json) => env.s.api("/api/v1/data-quality/rules", { method: "POST", json: body });
      const unknownField = await problemOf(
        await post({
          kind: "rule",
          name: "Bad field",
          object: "deal",
          when: { field: "budjet", op: "is_set" },
          field: "stage",
          message: "x",
        }),
        422,
      );
      expect(unknownField.errors[0]).toMatchObject({ path: "when.field", code: "unknown_field" });
      expect(unknownField.errors[0].expected).toContain("budget_confirmed");
      const unknownOp = await problemOf(
        await post({
          kind: "rule",
          name: "Bad op",
          object: "deal",
          when: { field: "amount", op: "is_huge" },
          field: "amount",
          message: "x",
        }),
        422,
      );
      expect(unknownOp.errors[0]).toMatchObject({ path: "when.op" });
      const badTo = await problemOf(
        await post({
          kind: "gate",
          name: "Bad to",
          object: "deal",
          field: "stage",
          to: ["signed"],
          requires: { field: "amount", op: "is_set" },
          message: "x",
        }),
        422,
      );
      expect(badTo.errors[0]).toMatchObject({
        path: "to[0]",
        code: "not_in_options",
        expected: ["qualification", "discovery", "proposal", "negotiation", "closed_won", "closed_lost"],
      });
      const taken = await problemOf(await post({ ...DEMO_RULES[0] }), 409);
      expect(taken.errors[0].path).toBe("name");
      expect(await rules()).toEqual(before);
    });

    it("changes a rule only over the version read and audits it; disabling it lets the write through", async () => {
      const stale = await env.s.api(`/api/v1/data-quality/rules/${gate.id}`, {
        method: "PATCH",
        json: { enabled: false },
        headers: { "if-match": '"7"' },
      });
      expect(stale.status).toBe(412);
      const off = await env.s.json(`/api/v1/data-quality/rules/${gate.id}`, {
        method: "PATCH",
        json: { enabled: false },
        headers: { "if-match": '"1"' },
      });
      expect(off).toMatchObject({ enabled: false, version: 2 });
      await problemOf(await env.s.api(`/api/v1/data-quality/rules/${gate.id}`, { method: "PATCH", json: { object: "ticket" } }), 422);
      const deal = await env.s.post("/api/v1/deals", { name: "While off", stage: "proposal" });
      expect(deal.stage).toBe("proposal");
      await env.s.json(`/api/v1/data-quality/rules/${gate.id}`, { method: "PATCH", json: { enabled: true } });
      await problemOf(await env.s.api("/api/v1/deals", { method: "POST", json: { name: "On again", stage: "proposal" } }), 422);
      const audit = await env.s.services.store.configAudit.readConfigAudit(env.s.workspace.id, 200);
      const mine = audit.filter((a) => a.entity === "validation_rule" && a.entityId === gate.id).map((a) => a.action);
      expect(mine.sort()).toEqual(["create", "update", "update"]);
    });

    it("keeps rules to their workspace and to admins; a template-like message is stored and shown as text", async () => {
      const other = await env.s.newWorkspace(`dq-other-${kind.name}`);
      for (const method of ["GET", "PATCH", "DELETE"])
        await problemOf(
          await env.s.api(`/api/v1/data-quality/rules/${gate.id}`, {
            method,
            as: other.token,
            ...(method === "PATCH" ? { json: { enabled: false } } : {}),
          }),
          404,
        );
      const rep = await env.s.newWorkspace(`dq-rep-${kind.name}`, "rep");
      await problemOf(await env.s.api("/api/v1/data-quality/rules", { method: "POST", as: rep.token, json: { ...DEMO_RULES[2] } }), 403);
      const sneaky = "{{ record.name | upcase }} {% raw %}<script>x</script>";
      const rule = await env.s.post("/api/v1/data-quality/rules", {
        kind: "rule",
        name: "Sneaky",
        object: "task",
        when: { field: "subject", op: "eq", value: "sneaky" },
        field: "subject",
        message: sneaky,
      });
      expect(rule.message).toBe(sneaky);
      const refused = await problemOf(await env.s.api("/api/v1/tasks", { method: "POST", json: { subject: "sneaky" } }), 422);
      expect(refused.errors[0].message).toBe(sneaky);
      expect((await env.s.api(`/api/v1/data-quality/rules/${rule.id}`, { method: "DELETE" })).status).toBe(204);
      await env.s.post("/api/v1/tasks", { subject: "sneaky" });
    });
  });
}

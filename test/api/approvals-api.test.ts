/**
 * Approval requests over real HTTP on both stores (issue 18): a deal created in a workspace with
 * a published workflow whose first step is an approval opens a request; then, through the API as
 * each person would call it (tokens made for users), two approvers deciding at once, locked
 * fields and the admin's override, self-approval and outsiders, send-back and resubmission,
 * bad input, publish refusals with their paths, and the email links' public edge.
 *
 * Each test has its own workspace, so that one test's workflow and locks never reach another's.
 * Runs are driven by draining the worker, so each step happens when the test says.
 */
import { describe, expect, it } from "vitest";
import {
  type Answer,
  type Desk,
  dealApproval,
  type Json,
  newDeal,
  openDesk,
  openRequest,
  type Person,
  publish,
} from "../helpers/approval-desk.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`approval requests over HTTP on ${kind.name}`, () => {
    const env = useTestServer(kind);
    const drain = () => env.s.services.worker.drain();

    const withRequest = (slug: string, step: Record<string, unknown> = {}) => openRequest(env.s, slug, step);
    const runOf = async (desk: Desk, runId: string) => (await desk.call(desk.admin, `/api/v1/runs/${runId}`)).body;

    it("two approvers deciding at once: one decision, the other told who decided; the run approves once", async () => {
      const { desk, deal, request } = await withRequest("race");
      expect(request).toMatchObject({
        status: "pending",
        round: 1,
        summary: "Discount of 25% on Acme renewal",
        submitter: { id: desk.sam.id, name: "Sam Rep" },
        waiting_on: expect.arrayContaining(["Ann Manager", "Bob Manager"]),
        you_can: ["decide"],
      });
      const decide = (who: Person) =>
        desk.call(who, `/api/v1/approvals/${request.id}/decision`, { method: "POST", json: { decision: "approve", comment: "fine" } });
      const answers = await Promise.all([decide(desk.ann), decide(desk.bob)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const won = answers.find((a) => a.status === 200) as Answer;
      const lost = answers.find((a) => a.status === 409) as Answer;
      const winner = won.body.levels[0].approvers.find((a: Json) => a.vote !== null);
      expect(lost.body.detail).toContain("no longer pending");
      expect(lost.body.detail).toContain(`approved by ${winner.name}`);

      const after = (await desk.call(desk.admin, `/api/v1/approvals/${request.id}`)).body;
      expect(after.status).toBe("approved");
      const votes = (after.levels as Json[]).flatMap((l) => (l.approvers as Json[]).filter((a) => a.vote !== null));
      expect(votes).toHaveLength(1);
      expect(after.history.filter((h: Json) => h.kind === "voted")).toHaveLength(1);

      await drain();
      const run = await runOf(desk, request.run_id);
      expect(run.status).toBe("completed");
      expect((run.steps as Json[]).filter((s) => s.step === "won")).toHaveLength(1);
      expect((run.steps as Json[]).some((s) => s.step === "lost")).toBe(false);
      const tasks = (await desk.call(desk.admin, `/api/v1/tasks?limit=200`)).body.data as Json[];
      expect(tasks.filter((t) => t.subject === "Discount approved" && t.related_id === deal.id)).toHaveLength(1);
    });

    it('two approvers of an "all" level deciding at once: both votes count, the second settles it, the run approves once', async () => {
      const { desk, request } = await withRequest("all-race", {
        routes: [{ levels: [{ name: "Managers", approvers: [{ role: "manager" }], require: "all" }] }],
      });
      const decide = (who: Person) =>
        desk.call(who, `/api/v1/approvals/${request.id}/decision`, { method: "POST", json: { decision: "approve" } });
      const answers = await Promise.all([decide(desk.ann), decide(desk.bob)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers.map((a) => a.body.status).sort()).toEqual(["approved", "pending"]);
      const after = (await desk.call(desk.admin, `/api/v1/approvals/${request.id}`)).body;
      expect(after.status).toBe("approved");
      expect(after.levels[0].approvers.map((a: Json) => a.vote?.decision)).toEqual(["approve", "approve"]);
      expect(after.history.filter((h: Json) => h.kind === "settled")).toHaveLength(1);
      await drain();
      const run = await runOf(desk, request.run_id);
      expect(run.status).toBe("completed");
      expect((run.steps as Json[]).filter((s) => s.step === "won")).toHaveLength(1);
    });

    it("a locked field refuses a write with 423 naming the request and its approvers; other fields pass; nothing is written", async () => {
      const { desk, deal, request } = await withRequest("locks");
      const history = async () => ((await desk.call(desk.admin, `/api/v1/deals/${deal.id}/history`)).body.data as Json[]).length;
      const before = await history();

      const locked = await desk.call(desk.sam, `/api/v1/deals/${deal.id}`, { method: "PATCH", json: { discount_pct: 40 } });
      expect(locked.status).toBe(423);
      expect(locked.body.detail).toContain(`request ${request.id}`);
      expect(locked.body.detail).toContain("Ann Manager");
      expect(locked.body.detail).toContain("Bob Manager");
      expect(locked.body.errors).toEqual([expect.objectContaining({ path: "discount_pct", code: "locked" })]);
      expect((await desk.call(desk.sam, `/api/v1/deals/${deal.id}`)).body.discount_pct).toBe(25);
      expect(await history()).toBe(before);

      // A bulk update is all or none: the locked item refuses the whole batch, its problem naming the item.
      const other = await desk.call(desk.sam, "/api/v1/deals", {
        method: "POST",
        json: { name: "Other", amount: 1, owner_id: desk.sam.id },
      });
      const bulk = await desk.call(desk.sam, "/api/v1/deals/bulk", {
        method: "PATCH",
        json: {
          records: [
            { id: other.body.id, fields: { amount: 2 } },
            { id: deal.id, fields: { discount_pct: 40 } },
          ],
        },
      });
      expect(bulk.status).toBe(423);
      expect(bulk.body.errors).toEqual([expect.objectContaining({ path: "[1].fields.discount_pct", code: "locked" })]);
      expect((await desk.call(desk.sam, `/api/v1/deals/${other.body.id}`)).body.amount).toBe(1);
      expect((await desk.call(desk.sam, `/api/v1/deals/${deal.id}`)).body.discount_pct).toBe(25);

      // lock "fields": a field not at stake is not locked.
      const unlocked = await desk.call(desk.sam, `/api/v1/deals/${deal.id}`, { method: "PATCH", json: { amount: 45000 } });
      expect(unlocked.status, JSON.stringify(unlocked.body)).toBe(200);
      expect(unlocked.body.amount).toBe(45000);
      expect(await history()).toBe(before + 1);
    });

    it('lock "record" refuses a write to any field', async () => {
      const { desk, deal, request } = await withRequest("record-lock", { lock: "record" });
      const res = await desk.call(desk.sam, `/api/v1/deals/${deal.id}`, { method: "PATCH", json: { amount: 45000 } });
      expect(res.status).toBe(423);
      expect(res.body.detail).toContain("the record is locked");
      expect(res.body.detail).toContain(`request ${request.id}`);
      expect((await desk.call(desk.sam, `/api/v1/deals/${deal.id}`)).body.amount).toBe(40000);
    });

    it("an admin overrides a lock (kept in the request's history); a rep with the same flag is refused", async () => {
      const { desk, deal, request } = await withRequest("override");
      const path = `/api/v1/deals/${deal.id}?override_approval_lock=true`;
      const rep = await desk.call(desk.sam, path, { method: "PATCH", json: { discount_pct: 30 } });
      expect(rep.status).toBe(403);
      expect(rep.body.detail).toContain("only an admin may override");
      expect((await desk.call(desk.sam, `/api/v1/deals/${deal.id}`)).body.discount_pct).toBe(25);

      const admin = await desk.call(desk.admin, path, { method: "PATCH", json: { discount_pct: 30 } });
      expect(admin.status, JSON.stringify(admin.body)).toBe(200);
      expect(admin.body.discount_pct).toBe(30);
      const detail = (await desk.call(desk.admin, `/api/v1/approvals/${request.id}`)).body;
      expect(detail.history).toContainEqual(
        expect.objectContaining({
          kind: "lock_overridden",
          actor: { id: desk.admin.id, name: "Ada Admin" },
          detail: expect.objectContaining({ fields: ["discount_pct"] }),
        }),
      );
      // The stake shows the value asked and the value now.
      expect(detail.stake).toEqual([{ field: "discount_pct", label: "Discount %", value: 25, now: 30 }]);
    });

    it("the submitter may not decide their own request; an outsider cannot see it; an admin not asked may not decide", async () => {
      const { desk, request } = await withRequest("self");
      const decide = (who: Person) =>
        desk.call(who, `/api/v1/approvals/${request.id}/decision`, { method: "POST", json: { decision: "approve" } });
      const own = await decide(desk.sam);
      expect(own.status).toBe(403);
      expect(own.body.detail).toBe("you submitted this request; someone else must decide it");
      const outsider = await decide(desk.rita);
      expect(outsider.status).toBe(404);
      expect((await desk.call(desk.rita, `/api/v1/approvals/${request.id}`)).status).toBe(404);
      // A token of no user (the workspace's admin token here) is nobody's decision.
      const nobody = await desk.call(desk.workspaceToken, `/api/v1/approvals/${request.id}/decision`, {
        method: "POST",
        json: { decision: "approve" },
      });
      expect(nobody.status).toBe(403);
      expect(nobody.body.detail).toContain("only a person may decide");
      const notAsked = await decide(desk.admin);
      expect(notAsked.status).toBe(403);
      expect(notAsked.body.detail).toContain('you are not an approver of level "Managers"');

      const after = (await desk.call(desk.sam, `/api/v1/approvals/${request.id}`)).body;
      expect(after.status).toBe("pending");
      expect(after.you_can).toEqual([]);
      expect(after.history.map((h: Json) => h.kind)).not.toContain("voted");
      expect((after.levels as Json[]).flatMap((l) => l.approvers).every((a: Json) => a.vote === null)).toBe(true);
    });

    it("deleting a record under approval cancels its request at once: out of the inbox, not decidable", async () => {
      const { desk, deal, request } = await withRequest("delete", { lock: "record" });
      expect((await desk.call(desk.ann, "/api/v1/approvals/open-count")).body).toEqual({ open: 1 });
      const deleted = await desk.call(desk.admin, `/api/v1/deals/${deal.id}`, { method: "DELETE" });
      expect(deleted.status).toBe(204);
      // Before the worker runs: the request is closed in the deletion's own transaction.
      const closed = (await desk.call(desk.admin, `/api/v1/approvals/${request.id}`)).body;
      expect(closed).toMatchObject({ status: "cancelled", outcome: `cancelled: deal ${deal.id} was deleted`, waiting_on: [] });
      expect(closed.history.at(-1)).toMatchObject({ kind: "settled", actor: { id: desk.admin.id, name: "Ada Admin" } });
      expect((await desk.call(desk.ann, "/api/v1/approvals/open-count")).body).toEqual({ open: 0 });
      expect((await desk.call(desk.ann, "/api/v1/approvals?view=mine")).body.data).toEqual([]);
      const late = await desk.call(desk.ann, `/api/v1/approvals/${request.id}/decision`, { method: "POST", json: { decision: "approve" } });
      expect(late.status).toBe(409);
      await drain();
      expect((await runOf(desk, request.run_id)).status).toBe("cancelled");
      expect((await desk.call(desk.admin, `/api/v1/approvals/${request.id}`)).body.status).toBe("cancelled");
    });

    it("send back needs a comment; the run waits for the submitter, whose resubmission opens round 2 once", async () => {
      const { desk, request } = await withRequest("revise");
      const url = `/api/v1/approvals/${request.id}`;
      const bare = await desk.call(desk.ann, `${url}/decision`, { method: "POST", json: { decision: "revise" } });
      expect(bare.status).toBe(422);
      expect(bare.body.errors).toEqual([expect.objectContaining({ path: "comment", code: "required" })]);
      const blank = await desk.call(desk.ann, `${url}/decision`, { method: "POST", json: { decision: "revise", comment: "   " } });
      expect(blank.status).toBe(422);
      expect((await desk.call(desk.ann, url)).body.status).toBe("pending");

      const sent = await desk.call(desk.ann, `${url}/decision`, { method: "POST", json: { decision: "revise", comment: "10% at most" } });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect(sent.body).toMatchObject({ status: "revise", you_can: [] });
      await drain();
      const waiting = await runOf(desk, request.run_id);
      expect(waiting.status).toBe("waiting");
      expect((await desk.call(desk.sam, url)).body.you_can).toEqual(["resubmit"]);

      // Only the submitter (or an admin) resubmits.
      const byOther = await desk.call(desk.ann, `${url}/resubmit`, { method: "POST", json: { comment: "no" } });
      expect(byOther.status).toBe(403);
      const fixed = await desk.call(desk.admin, `/api/v1/deals/${request.record.id}?override_approval_lock=true`, {
        method: "PATCH",
        json: { discount_pct: 10 },
      });
      expect(fixed.status).toBe(200);
      const first = await desk.call(desk.sam, `${url}/resubmit`, { method: "POST", json: { comment: "now 10%" } });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      // A second resubmission, before or after the worker took the first, is refused.
      const again = await desk.call(desk.sam, `${url}/resubmit`, { method: "POST", json: { comment: "again" } });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain("resubmitted already");
      await drain();
      const later = await desk.call(desk.sam, `${url}/resubmit`, { method: "POST", json: { comment: "again" } });
      expect(later.status).toBe(409);

      const inbox = (await desk.call(desk.ann, "/api/v1/approvals?view=mine")).body.data as Json[];
      expect(inbox).toHaveLength(1);
      const round2 = inbox[0] as Json;
      expect(round2).toMatchObject({ round: 2, previous_id: request.id, status: "pending", summary: "Discount of 10% on Acme renewal" });
      const detail = (await desk.call(desk.ann, `/api/v1/approvals/${round2.id}`)).body;
      expect(detail.rounds.map((r: Json) => [r.id, r.round, r.status])).toEqual([
        [request.id, 1, "revise"],
        [round2.id, 2, "pending"],
      ]);
      const old = (await desk.call(desk.ann, url)).body;
      expect(old.history.filter((h: Json) => h.kind === "resubmitted")).toEqual([
        expect.objectContaining({ actor: { id: desk.sam.id, name: "Sam Rep" }, detail: { comment: "now 10%" } }),
      ]);
      expect(old.history.map((h: Json) => h.kind)).toEqual(expect.arrayContaining(["opened", "voted", "settled", "resubmitted"]));
    });

    it("two resubmissions at once: one is taken, the other refused", async () => {
      const { desk, request } = await withRequest("resubmit-race");
      const url = `/api/v1/approvals/${request.id}`;
      const sent = await desk.call(desk.ann, `${url}/decision`, { method: "POST", json: { decision: "revise", comment: "less" } });
      expect(sent.status).toBe(200);
      await drain();
      const resubmit = (who: Person) => desk.call(who, `${url}/resubmit`, { method: "POST", json: {} });
      const answers = await Promise.all([resubmit(desk.sam), resubmit(desk.admin)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      await drain();
      const old = (await desk.call(desk.admin, url)).body;
      expect(old.history.filter((h: Json) => h.kind === "resubmitted")).toHaveLength(1);
      expect(old.rounds).toHaveLength(2);
    });

    it("refuses bad input with the field and what is allowed", async () => {
      const { desk, request } = await withRequest("input");
      const url = `/api/v1/approvals/${request.id}`;
      const unknown = await desk.call(desk.ann, `${url}/decision`, { method: "POST", json: { decision: "maybe" } });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ path: "decision", expected: ["approve", "reject", "revise"] })]);
      const extra = await desk.call(desk.ann, `${url}/decision`, { method: "POST", json: { decision: "approve", vote: 1 } });
      expect(extra.status).toBe(422);
      expect(extra.body.errors).toEqual([expect.objectContaining({ path: "vote", code: "unknown_field" })]);
      const view = await desk.call(desk.ann, "/api/v1/approvals?view=everything");
      expect(view.status).toBe(400);
      expect(view.body.errors).toEqual([expect.objectContaining({ path: "view", expected: ["mine", "decided", "submitted", "all"] })]);
      expect(view.body.detail).toContain("mine, decided, submitted, all");
      const all = await desk.call(desk.sam, "/api/v1/approvals?view=all");
      expect(all.status).toBe(403);
      const status = await desk.call(desk.ann, "/api/v1/approvals?status=open");
      expect(status.status).toBe(400);
      expect(status.body.errors).toEqual([expect.objectContaining({ path: "status" })]);
      const missing = await desk.call(desk.ann, "/api/v1/approvals/no-such-request");
      expect(missing.status).toBe(404);
      const missingDecision = await desk.call(desk.ann, "/api/v1/approvals/no-such-request/decision", {
        method: "POST",
        json: { decision: "approve" },
      });
      expect(missingDecision.status).toBe(404);
      const notJson = await desk.call(desk.ann, `${url}/decision`, {
        method: "POST",
        body: "{decision: approve",
        headers: { "content-type": "application/json" },
      });
      expect(notJson.status).toBe(400);
      expect(notJson.body.errors).toEqual([expect.objectContaining({ path: "body" })]);
      const notJsonType = await desk.call(desk.ann, `${url}/decision`, { method: "POST", body: "decision=approve" });
      expect(notJsonType.status).toBe(400);
      // Nothing of it was decided.
      expect((await desk.call(desk.ann, url)).body.status).toBe("pending");
      expect((await desk.call(desk.ann, "/api/v1/approvals/open-count")).body).toEqual({ open: 1 });
    });

    it("refuses at publish what cannot be decided, naming the path", async () => {
      const desk = await openDesk(env.s, "publish");
      const refusal = async (step: Record<string, unknown>) => {
        const res = await publish(desk, dealApproval("refused", step));
        expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        return (res.body.errors ?? []) as Json[];
      };
      const levels = (level: Record<string, unknown>) => ({ routes: [{ levels: [{ name: "L", ...level }] }] });
      expect(await refusal(levels({ approvers: [] }))).toContainEqual(
        expect.objectContaining({ path: "steps.approve.routes[0].levels[0].approvers", code: "required" }),
      );
      expect(await refusal(levels({ approvers: [{ user_id: desk.ann.id }, { user_id: desk.bob.id }], require: 3 }))).toContainEqual(
        expect.objectContaining({ path: "steps.approve.routes[0].levels[0].require", message: "a level cannot need 3 of 2 approvers" }),
      );
      const role = await refusal(levels({ approvers: [{ role: "viceroy" }] }));
      expect(role).toContainEqual(
        expect.objectContaining({
          path: "steps.approve.routes[0].levels[0].approvers[0].role",
          message: expect.stringContaining('"manager"'),
        }),
      );
      expect(
        await refusal({
          routes: [
            { when: { field: "discount_pctt", op: "gt", value: 20 }, levels: [{ approvers: [{ role: "manager" }] }] },
            { auto: "approve" },
          ],
        }),
      ).toContainEqual(expect.objectContaining({ path: "steps.approve.routes[0].when.field" }));
      // Nothing went live.
      const live = (await desk.call(desk.admin, "/api/v1/workflows")).body.data as Json[];
      expect(live.filter((w) => w.live_version !== null && w.live_version !== undefined)).toEqual([]);
    });
  });

  describe.skipIf(kind.skip)(`approval email links over HTTP on ${kind.name}`, () => {
    // Links expire 72 h after they were sent: this test moves the services' clock past that.
    let aheadMs = 0;
    const clock = { now: () => new Date(Date.now() + aheadMs) };
    const env = useTestServer(kind, {}, { clock });

    /** The public edge, as the confirmation page calls it: no token of anyone's, the link's token in the body. */
    const link = async (what: "inspect" | "decide", body: unknown): Promise<Answer> => {
      const res = await fetch(`${env.s.url}/approval-links/${what}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };

    /** The links of each approval email on the outbox (not delivered: no dispatcher runs), by recipient and decision. */
    async function emailedLinks(desk: Desk, requestId: string) {
      const items = (await desk.call(desk.admin, "/api/v1/outbox?limit=200")).body.data as Json[];
      const links = new Map<string, { approve: string; reject: string }>();
      for (const item of items.filter((i) => i.kind === "email" && String(i.key).startsWith(`approval:${requestId}:`))) {
        const text = String(item.payload.text);
        const token = (label: string) => new RegExp(`${label}: \\S+/approvals/confirm#t=([A-Za-z0-9_-]{43})`).exec(text)?.[1] as string;
        links.set(String(item.payload.to), { approve: token("Approve"), reject: token("Reject") });
      }
      return links;
    }

    it("inspects without deciding, decides once, and refuses forged, malformed, reused and expired links", async () => {
      // Both managers must approve, so that a refused vote by link can be shown leaving its link unspent.
      const { desk, deal, request } = await openRequest(
        env.s,
        "links",
        { routes: [{ levels: [{ name: "Managers", approvers: [{ role: "manager" }], require: "all" }] }] },
        async (d) => {
          const made = await d.call(d.admin, "/api/v1/connectors", {
            method: "POST",
            json: { key: "email", kind: "smtp", config: { host: "127.0.0.1", port: 2525, from: "handoff@links.test" } },
          });
          expect(made.status, JSON.stringify(made.body)).toBe(201);
        },
      );
      const links = await emailedLinks(desk, request.id);
      expect([...links.keys()].sort()).toEqual(["ann@links.test", "bob@links.test"]);
      const ann = links.get("ann@links.test") as { approve: string; reject: string };
      const bob = links.get("bob@links.test") as { approve: string; reject: string };
      expect(ann.approve).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(ann.reject).not.toBe(ann.approve);

      const seen = await link("inspect", { token: bob.approve });
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ decision: "approve", approver: "Bob Manager", request: { id: request.id, status: "pending" } });
      expect((await desk.call(desk.admin, `/api/v1/approvals/${request.id}`)).body.history.map((h: Json) => h.kind)).not.toContain("voted");

      // Ann approved in the app already: her link's vote is refused, and the link stays unspent.
      const inApp = await desk.call(desk.ann, `/api/v1/approvals/${request.id}/decision`, {
        method: "POST",
        json: { decision: "approve" },
      });
      expect(inApp.status).toBe(200);
      const twice = await link("decide", { token: ann.approve });
      expect(twice.status).toBe(409);
      expect(twice.body.detail).toContain("already decided");
      expect((await link("inspect", { token: ann.approve })).status).toBe(200);

      const decided = await link("decide", { token: bob.approve, comment: "from my phone" });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      expect(decided.body.status).toBe("approved");
      const detail = (await desk.call(desk.admin, `/api/v1/approvals/${request.id}`)).body;
      expect(detail.history.filter((h: Json) => h.kind === "voted").map((h: Json) => [h.actor.name, h.detail.comment])).toEqual([
        ["Ann Manager", ""],
        ["Bob Manager", "from my phone"],
      ]);
      await env.s.services.worker.drain();
      expect((await desk.call(desk.admin, `/api/v1/runs/${request.run_id}`)).body.status).toBe("completed");

      // Spent: this link and the other of the same email.
      const reused = await link("decide", { token: bob.approve });
      expect(reused.status).toBe(409);
      expect(reused.body.detail).toContain("already used");
      expect((await link("decide", { token: bob.reject })).status).toBe(409);
      expect((await link("inspect", { token: bob.reject })).status).toBe(409);

      const forged = await link("decide", { token: "A".repeat(43) });
      expect(forged.status).toBe(404);
      for (const body of [{ token: "not-a-token" }, { token: `${bob.approve}=` }]) {
        const malformed = await link("inspect", body);
        expect(malformed.status).toBe(422);
        expect(malformed.body.errors).toEqual([expect.objectContaining({ path: "token" })]);
      }
      const noToken = await link("decide", { comment: "hi" });
      expect(noToken.status).toBe(422);
      expect(noToken.body.errors).toEqual([expect.objectContaining({ path: "token" })]);
      expect((await link("decide", "{token")).status).toBe(400);

      // A second deal's links, then 73 hours later: expired, and nothing decided.
      await newDeal(env.s, desk);
      const second = ((await desk.call(desk.bob, "/api/v1/approvals?view=mine")).body.data as Json[])[0] as Json;
      expect(second.record.id).not.toBe(deal.id);
      const fresh = (await emailedLinks(desk, second.id)).get("bob@links.test") as { approve: string; reject: string };
      aheadMs = 73 * 3_600_000;
      try {
        for (const what of ["inspect", "decide"] as const) {
          const expired = await link(what, { token: fresh.reject });
          expect(expired.status).toBe(403);
          expect(expired.body.detail).toContain("expired");
        }
      } finally {
        aheadMs = 0;
      }
      expect((await desk.call(desk.bob, `/api/v1/approvals/${second.id}`)).body.status).toBe("pending");
    });
  });
}

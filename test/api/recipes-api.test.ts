/**
 * The recipe gallery's API (issue 14, item 6) over real HTTP on both stores: the eight recipes
 * with what each needs here; installing as a draft or published, and installing again (409
 * unless the workflow was archived, or the draft is still the recipe and is now published); a
 * publish refused for a missing connector installs nothing and names it; the attacker's tests:
 * a rep is refused (403), another workspace sees nothing of this one's installs (404 on its
 * workflows), a cookie request without its CSRF token is refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../helpers/server.js";
import { useTestServer } from "../helpers/server.js";
import { STORES } from "../helpers/stores.js";

type Json = Record<string, any>;
const PASSWORD = "correct horse battery staple";

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`recipes API on ${kind.name}`, () => {
    const env = useTestServer(kind);
    let rep: string;
    let manager: string;

    const call = async (path: string, init: Parameters<TestServer["api"]>[1] = {}) => {
      const res = await env.s.api(path, init);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
    };
    const install = (key: string, publish: boolean, as?: string) =>
      call(`/api/v1/recipes/${key}/install`, { method: "POST", json: { publish }, ...(as ? { as } : {}) });
    const recipe = async (key: string, as?: string) => (await call(`/api/v1/recipes/${key}`, as ? { as } : {})).body;

    beforeAll(async () => {
      rep = (await env.s.services.tokens.create(env.s.workspace.id, "rep", "rep")).secret;
      manager = (await env.s.services.tokens.create(env.s.workspace.id, "manager", "manager")).secret;
    });

    it("lists the recipes: what each does, its trigger, the connectors it needs here, whether it could be published", async () => {
      const { status, body } = await call("/api/v1/recipes");
      expect(status).toBe(200);
      const keys = (body.data as Json[]).map((r) => r.key);
      expect(keys).toEqual([
        "contract-renewal-reminder",
        "data-enrichment-on-create",
        "deal-stage-progression",
        "discount-approval",
        "escalation-at-risk-renewal",
        "escalation-overdue-task",
        "escalation-p1-breach",
        "escalation-stale-lead",
        "escalation-stuck-deal",
        "meeting-follow-up",
        "onboarding-kickoff",
        "re-engagement-cold-leads",
        "retention-playbook",
        "speed-to-lead",
        "win-loss-post-mortem",
      ]);
      const enrichment = (body.data as Json[]).find((r) => r.key === "data-enrichment-on-create") as Json;
      expect(enrichment.name).toBe("Data enrichment on create");
      expect(enrichment.description).toMatch(/enrichment service/);
      expect(enrichment.object).toBe("company");
      expect(enrichment.definition.trigger).toEqual({ type: "record_created" });
      expect(enrichment.connectors).toEqual([{ key: "enrichment", kind: "http", steps: ["enrich"], state: "absent" }]);
      expect(enrichment.publishable).toBe(false);
      expect(enrichment.problems).toEqual([
        { path: "steps.enrich.action.connector", code: "invalid_reference", message: 'no connector "enrichment" in this workspace' },
      ]);
      expect(enrichment.installed).toBeNull();
      // Speed-to-lead sends email: it needs the workspace's smtp connector "email".
      const speed = (body.data as Json[]).find((r) => r.key === "speed-to-lead") as Json;
      expect(speed.connectors).toEqual([{ key: "email", kind: "smtp", steps: ["auto-reply"], state: "absent" }]);
      expect(speed.publishable).toBe(false);
      // … and it assigns through the queue "Inbound reps", which this workspace does not have.
      expect(speed.problems).toEqual(
        expect.arrayContaining(
          ["assign", "reassign"].map((step) =>
            expect.objectContaining({
              path: `steps.${step}.action.to.queue`,
              code: "invalid_reference",
              message: 'no queue "Inbound reps" in this workspace',
            }),
          ),
        ),
      );
      // The discount approval asks the leads of two teams this workspace does not have.
      const discount = (body.data as Json[]).find((r) => r.key === "discount-approval") as Json;
      expect(discount.publishable).toBe(false);
      expect(discount.problems).toEqual([
        {
          path: "steps.approve.routes[0].levels[0].approvers[0].team_lead",
          code: "invalid_reference",
          message: 'no team "Sales Leadership" in this workspace',
        },
        {
          path: "steps.approve.routes[1].levels[0].approvers[0].team_lead",
          code: "invalid_reference",
          message: 'no team "Finance" in this workspace',
        },
      ]);
      const renewal = (body.data as Json[]).find((r) => r.key === "contract-renewal-reminder") as Json;
      expect(renewal).toMatchObject({ connectors: [], publishable: true, problems: [] });
      // Reps may look (the gallery is not secret) …
      expect((await call("/api/v1/recipes", { as: rep })).status).toBe(200);
      expect((await call("/api/v1/recipes/no-such-recipe")).status).toBe(404);
    });

    it("installs as a draft; installing again is a 409 that says what to do; publishing the untouched draft publishes it", async () => {
      const first = await install("meeting-follow-up", false);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body.recipe.installed).toMatchObject({ status: "draft", live_version: null, latest_version: 1 });
      expect(first.body.workflow.versions).toEqual([expect.objectContaining({ version: 1, state: "draft", published_by: null })]);

      const again = await install("meeting-follow-up", false);
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain("already installed as a draft");

      const publish = await install("meeting-follow-up", true);
      expect(publish.status, JSON.stringify(publish.body)).toBe(201);
      expect(publish.body.recipe.installed).toMatchObject({ status: "published", live_version: 1, latest_version: 1 });
      expect(publish.body.workflow.versions[0]).toMatchObject({
        version: 1,
        state: "published",
        // The test's admin token has no user: the token is named.
        published_by: { kind: "person", name: "API token “acme admin”" },
      });

      const published = await install("meeting-follow-up", true);
      expect(published.status).toBe(409);
      expect(published.body.detail).toMatch(/already installed and published .* version 1; archive it to install the recipe again/);

      // Archived, it installs again as a new version.
      const id = first.body.workflow.id as string;
      expect((await call(`/api/v1/workflows/${id}/archive`, { method: "POST", json: {} })).status).toBe(200);
      expect((await recipe("meeting-follow-up")).installed).toMatchObject({ status: "archived", live_version: null });
      const reinstalled = await install("meeting-follow-up", true);
      expect(reinstalled.status).toBe(201);
      expect(reinstalled.body.recipe.installed).toMatchObject({ workflow_id: id, status: "published", live_version: 2, latest_version: 2 });
    });

    it("a draft changed since it was installed is not overwritten (409)", async () => {
      const first = await install("win-loss-post-mortem", false);
      expect(first.status).toBe(201);
      const def = { ...(await recipe("win-loss-post-mortem")).definition, description: "Edited by an admin." };
      await env.s.post("/api/v1/workflows", { definition: def });
      const res = await install("win-loss-post-mortem", true);
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain("was changed since");
      expect((await env.s.get(`/api/v1/workflows/${first.body.workflow.id}`)).description).toBe("Edited by an admin.");
    });

    it("refuses to publish a recipe whose connector is missing, naming it, and installs nothing; with the connector it publishes", async () => {
      const res = await install("data-enrichment-on-create", true);
      expect(res.status).toBe(422);
      expect(res.body.detail).toContain("nothing was installed");
      expect(res.body.errors).toEqual([
        { path: "steps.enrich.action.connector", code: "invalid_reference", message: 'no connector "enrichment" in this workspace' },
      ]);
      expect((await recipe("data-enrichment-on-create")).installed).toBeNull();

      const connector = await call("/api/v1/connectors", {
        method: "POST",
        json: { key: "enrichment", kind: "http", config: { base_url: "https://api.example.com/v2" } },
      });
      expect(connector.status, JSON.stringify(connector.body)).toBe(201);
      const view = await recipe("data-enrichment-on-create");
      expect(view).toMatchObject({ publishable: true, problems: [], connectors: [expect.objectContaining({ state: "present" })] });
      const ok = await install("data-enrichment-on-create", true);
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body.recipe.installed.status).toBe("published");
    });

    it("checks the body: publish is true or false", async () => {
      for (const json of [{}, { publish: "yes" }, null, []]) {
        const res = await call("/api/v1/recipes/onboarding-kickoff/install", { method: "POST", json });
        expect(res.status, JSON.stringify(json)).toBe(400);
        expect(res.body.errors[0].path).toBe("publish");
      }
      const text = await call("/api/v1/recipes/onboarding-kickoff/install", {
        method: "POST",
        body: "publish",
        headers: { "content-type": "text/plain" },
      });
      expect(text.status).toBe(400);
      expect((await install("no-such-recipe", false)).status).toBe(404);
    });

    it("attacker: a rep may not install (403, nothing saved); a manager may; another workspace sees none of it", async () => {
      const refused = await install("onboarding-kickoff", true, rep);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toContain("not role rep");
      expect((await recipe("onboarding-kickoff")).installed).toBeNull();

      const byManager = await install("onboarding-kickoff", false, manager);
      expect(byManager.status).toBe(201);
      const id = byManager.body.workflow.id as string;

      const other = await env.s.newWorkspace(`globex-${kind.name.toLowerCase()}`);
      // The other workspace's gallery shows the recipe as not installed; this workspace's workflow is not found there.
      const theirs = await call("/api/v1/recipes/onboarding-kickoff", { as: other.token });
      expect(theirs.body.installed).toBeNull();
      expect((await call(`/api/v1/workflows/${id}`, { as: other.token })).status).toBe(404);
      expect((await call(`/api/v1/workflows/${id}/archive`, { method: "POST", json: {}, as: other.token })).status).toBe(404);
      // Installing there makes that workspace's own workflow, with another id.
      const there = await install("onboarding-kickoff", false, other.token);
      expect(there.status).toBe(201);
      expect(there.body.workflow.id).not.toBe(id);
      expect((await recipe("onboarding-kickoff")).installed.workflow_id).toBe(id);
    });

    it("attacker: a cookie request must carry the session's CSRF token", async () => {
      const user = await env.s.post("/api/v1/users", {
        name: "Ada Admin",
        email: `ada-${kind.name.toLowerCase()}@acme.test`,
        role: "admin",
      });
      await env.s.api(`/api/v1/users/${user.id}/password`, { method: "PUT", json: { password: PASSWORD } });
      const signIn = await fetch(`${env.s.url}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: user.email, password: PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
      const csrf = ((await signIn.json()) as Json).csrf_token as string;
      const post = (headers: Record<string, string>) =>
        fetch(`${env.s.url}/api/v1/recipes/deal-stage-progression/install`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json", ...headers },
          body: JSON.stringify({ publish: true }),
        });
      const forged = await post({});
      expect(forged.status).toBe(403);
      expect((await recipe("deal-stage-progression")).installed).toBeNull();
      const ok = await post({ "x-csrf-token": csrf });
      expect(ok.status, await ok.clone().text()).toBe(201);
      const body = (await ok.json()) as Json;
      // The person who published it is named on the version.
      expect(body.workflow.versions[0].published_by).toEqual({ kind: "person", id: user.id, name: "Ada Admin" });
      const listed = (await env.s.get("/api/v1/workflows")).data.find((w: Json) => w.key === "deal-stage-progression");
      expect(listed.updated_by).toEqual({ kind: "person", id: user.id, name: "Ada Admin" });
    });
  });
}

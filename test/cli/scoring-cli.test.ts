/**
 * `handoff scoring …` end to end: the real binary (dist/cli/main.js) against a real Handoff server
 * over HTTP (SQLite), as the admin whose token is in HANDOFF_TOKEN. A model file is previewed
 * (nothing written), published (version 1, then 2), its rescore's progress read; a lead's score
 * and its ledger are read back; a rep may not publish (exit 1, the API's reason); a file that is
 * missing or not JSON is refused with its path named, and a bad definition with the field's path.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

type Json = Record<string, any>;

let store: TestStore;
let server: TestServer;
let dir: string;
let rep: string;
let ger: Json;
let fra: Json;

const definition = (points: number) => ({
  key: "lead_score",
  name: "Lead score",
  object: "lead",
  fields: { total: "score" },
  fit: {
    groups: [
      { key: "geo", label: "Country", rules: [{ key: "de", label: "Germany", when: { field: "country", op: "eq", value: "DE" }, points }] },
    ],
  },
  engagement: {
    groups: [
      { key: "meetings", label: "Meetings", rules: [{ key: "held", label: "Meeting held", on: { activity: ["meeting"] }, points: 15 }] },
    ],
    decay: { half_life_days: 14 },
  },
  total_cap: 100,
});

const run = (token: string, ...args: string[]) => runCli(["scoring", ...args], { env: { HANDOFF_TOKEN: token, HANDOFF_URL: server.url } });
const admin = (...args: string[]) => run(server.token, ...args);
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "scoring-cli-"));
  store = await sqliteTestStore();
  server = await startTestServer(store);
  ger = await server.post("/api/v1/leads", { first_name: "Greta", last_name: "Berg", country: "DE" });
  fra = await server.post("/api/v1/leads", { first_name: "Luc", last_name: "Roux", country: "FR" });
  rep = (await server.post("/api/v1/tokens", { name: "rep", role: "rep" })).token as string;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await store?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff scoring", () => {
  it("previews, publishes, reports the rescore, and reads a lead's score and ledger", async () => {
    const v1 = file("v1.json", definition(20));
    const empty = await admin("models");
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe("no scoring models\n");

    const preview = await admin("preview", v1);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain("2 records: mean 10, median 10; 1 would change (1 up, 0 down)");
    expect(preview.stdout).toContain("  18–20    1\n");
    expect(preview.stdout).toContain("geo/de  Germany: 1 records");
    expect((await admin("models")).stdout).toBe("no scoring models\n"); // nothing written

    const published = await admin("publish", v1, "--note", "first cut");
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toBe("published lead_score version 1; rescore v1 queued 0/2\n");
    await server.services.rescorer.drain();

    const status = await admin("rescore-status", "lead_score");
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^rescore v1 done 2\/2, 1 changed, finished \S+\n$/);
    const models = await admin("models");
    expect(models.stdout).toBe(`${["lead_score", "Lead score", "lead", "v1", "enabled", "→ score", "rescore v1 done 2/2"].join("\t")}\n`);

    // Version 2 gives Germany 30: the rescore moves Greta from 20 to 30.
    const v2 = file("v2.json", { definition: definition(30) });
    expect((await admin("publish", v2, "--note", "Germany counts more")).stdout).toContain("published lead_score version 2");
    await server.services.rescorer.drain();
    const show = await admin("show", "lead_score");
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain("Lead score (lead_score) on lead, version 2, enabled; rescore v2 done 2/2");
    expect(show.stdout).toContain("first cut");
    expect(show.stdout).toContain("Germany counts more");

    await server.post("/api/v1/activities", { type: "meeting", subject: "Demo", related_id: ger.id });
    await server.services.worker.drain();
    const score = await admin("score", "lead", ger.id);
    expect(score.code, score.stderr).toBe(0);
    expect(score.stdout).toContain("lead_score v2: total 45 (fit 30, engagement 15); decays next at ");
    expect(score.stdout).toContain("  fit geo: 30  de 30");
    expect(score.stdout).toContain("  engagement meetings: 15  held 15");
    expect((await admin("score", "leads", fra.id)).stdout).toContain("lead_score v2: total 0 (fit 0, engagement 0)");

    const ledger = await admin("ledger", "lead", ger.id, "--model", "lead_score");
    expect(ledger.code, ledger.stderr).toBe(0);
    const rows = ledger.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    // Newest first: the meeting, the v2 rescore, the v1 rescore.
    expect(rows.map((r) => [r[1], r[2], r[3], r[4], r[5]])).toEqual([
      ["lead_score@v2", "engagement", "held", "+15.00", "30.00 → 45.00"],
      ["lead_score@v2", "rescore", "", "+10.00", "20.00 → 30.00"],
      ["lead_score@v1", "rescore", "", "+20.00", "0.00 → 20.00"],
    ]);
    const json = JSON.parse((await admin("ledger", "leads", ger.id, "--json")).stdout) as Json;
    expect(json.data.reduce((sum: number, r: Json) => sum + r.change, 0)).toBe(45);
    // Nine-odd processes, each starting Node: a loaded machine needs more than the default 30 s.
  }, 180_000);

  it("refuses a missing or malformed file naming its path, a bad definition naming the field, and a rep", async () => {
    const missing = join(dir, "nope.json");
    const gone = await admin("publish", missing);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain(missing);
    const broken = file("broken.json", "{ not json");
    for (const cmd of ["publish", "preview"]) {
      const bad = await admin(cmd, broken);
      expect(bad.code, cmd).not.toBe(0);
      expect(bad.stderr).toContain(`${broken} is not JSON`);
    }
    const badCap = file("bad-cap.json", { ...definition(10), key: "other", total_cap: -5 });
    const refused = await admin("publish", badCap);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("definition.total_cap");
    const byRep = await run(rep, "publish", file("rep.json", { ...definition(10), key: "reps" }));
    expect(byRep.code).toBe(1);
    expect(byRep.stderr).toContain("admins");
    const unknown = await admin("score", "widget", ger.id);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no object "widget"');
    // Nothing of the refused files was written.
    expect((await admin("models")).stdout.trim().split("\n")).toHaveLength(1);
  }, 120_000);
});

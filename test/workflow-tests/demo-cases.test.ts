/**
 * The seeded demo shows test cases on first start (issue 19): speed-to-lead has its three cases,
 * each run once against the live version with a passing last result — whatever the hour (the
 * queue's availability moves the owner, not the path).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/seed/demo.js";
import { DEMO_TEST_CASES } from "../../src/seed/demo-tests.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

describe("the demo's test cases", () => {
  let t: TestStore;
  let s: TestServer;
  let token: string;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const { workspace } = await seedDemo(s.services);
    token = (await s.services.tokens.create(workspace.id, "demo test", "admin")).secret;
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await t?.dispose();
  });

  it("are saved on speed-to-lead and passed when the seed ran them", async () => {
    const cases = ((await (await s.api("/api/v1/workflows/speed-to-lead/test-cases", { as: token })).json()) as Json).data as Json[];
    // Against the live version: the demo's speed-to-lead is on its second (demo-kpis.ts).
    const live = ((await (await s.api("/api/v1/workflows/speed-to-lead", { as: token })).json()) as Json).live_version;
    expect(live).toBe(2);
    expect(cases.map((c) => c.name).sort()).toEqual(DEMO_TEST_CASES.map((c) => c.name).sort());
    for (const c of cases) {
      expect(c.last_result, c.name).toEqual({ passed: true, failures: [] });
      expect(c.last_version).toBe(live);
      expect(typeof c.last_run_at).toBe("string");
    }
  });
});

/**
 * `handoff workflow conflicts KEY|FILE` and `workflow publish --acknowledge-conflicts` end to end
 * (issue 19, item 4; docs/cli.md): the real binary (dist/cli/main.js) against a temp SQLite data
 * directory with an empty workspace. A definition that writes a field a live workflow writes with
 * another value is listed with both workflows and the field; publishing it without the flag exits
 * 1 naming them and saves nothing; with the flag it publishes and the version keeps the
 * acknowledgement; a definition with nothing to conflict with says so and exits 0.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

let dir: string;
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const setsStatus = (key: string, name: string, status: string) => {
  const file = join(dir, `${key}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      key,
      name,
      description: "Why it exists: a test fixture (publishing needs a description).",
      object: "lead",
      trigger: { type: "record_created" },
      start: "set",
      steps: { set: { type: "action", action: { type: "update_fields", fields: { status } } } },
    }),
  );
  return file;
};

/** The workspace's services over the data directory, for what the CLI does not print. */
async function withStore<T>(f: (s: ReturnType<typeof buildServices>, workspaceId: string) => Promise<T>): Promise<T> {
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const services = buildServices(store);
    const ws = await services.workspaces.bySlug("acme").catch(() => services.workspaces.create("acme", "Acme"));
    return await f(services, ws.id);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-conflicts-cli-");
  await withStore(async () => undefined);
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff workflow conflicts and publish --acknowledge-conflicts", () => {
  it("lists nothing for the first workflow, which publishes without the flag", async () => {
    const file = setsStatus("qualify", "Qualify", "qualified");
    const none = await acme("workflow", "conflicts", file);
    expect([none.code, none.stdout]).toEqual([0, "no conflicts\n"]);
    const published = await acme("workflow", "publish", file);
    expect([published.code, published.stdout, published.stderr]).toEqual([0, "published qualify v1\n", ""]);
  }, 60_000);

  it("names both workflows and the field; publishing without the flag exits 1 and saves nothing; with it, publishes", async () => {
    const file = setsStatus("nurture", "Nurture", "nurturing");
    const listed = await acme("workflow", "conflicts", file);
    expect(listed.code).toBe(1);
    expect(listed.stdout).toMatch(
      /^write-[0-9a-f]{8}\twrite_conflict\t"Nurture" \(nurture\) sets status to "nurturing" and "Qualify" \(qualify\) sets it to "qualified"/,
    );
    const refused = await acme("workflow", "publish", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"Nurture" (nurture) sets status to "nurturing"');
    expect(refused.stderr).toContain("nothing was saved — publish with --acknowledge-conflicts to go ahead");
    expect(await withStore(async (s, ws) => (await s.workflows.list(systemContext(ws))).map((w) => w.key))).toEqual(["qualify"]);

    const misplaced = await acme("workflow", "list", "--acknowledge-conflicts");
    expect([misplaced.code, misplaced.stderr.includes("--acknowledge-conflicts goes with workflow publish")]).toEqual([2, true]);

    const published = await acme("workflow", "publish", file, "--acknowledge-conflicts");
    expect(published.code, published.stderr).toBe(0);
    const [ack, done] = published.stdout.split("\n");
    expect(ack).toMatch(/^acknowledged write-[0-9a-f]{8}\twrite_conflict\t"Nurture" \(nurture\)/);
    expect(done).toBe("published nurture v1");
    const kept = await withStore(async (s, ws) => (await s.workflows.get(systemContext(ws), "nurture")).versions[0]?.conflictsAcknowledged);
    expect(kept?.by).toEqual({ kind: "system", id: expect.any(String) });
    expect(kept?.warnings.map((w) => [w.kind, w.fields, w.workflows.map((x) => x.key)])).toEqual([
      ["write_conflict", ["status"], ["nurture", "qualify"]],
    ]);

    // By key: the workflow's latest version against the others.
    const byKey = await acme("workflow", "conflicts", "qualify");
    expect(byKey.code).toBe(1);
    expect(byKey.stdout).toContain('"Qualify" (qualify) sets status to "qualified" and "Nurture" (nurture) sets it to "nurturing"');
  }, 90_000);
});

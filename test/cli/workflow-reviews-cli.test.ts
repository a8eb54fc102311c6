/**
 * `handoff workflow reviews [--overdue]` and `handoff workflow reviewed KEY --note` end to end
 * (issue 19, item 5; docs/cli.md): the real binary against a temp SQLite data directory whose
 * workspace has a workflow published four months ago (due a month ago) and one published now;
 * and `workflow publish` of a definition without a description, refused naming `description`
 * with nothing saved.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallContext, systemContext } from "../../src/app/context.js";
import { ulidGenerator } from "../../src/app/ports.js";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

const DAY = 86_400_000;
let dir: string;
const cli = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

const definition = (key: string, description?: string) => ({
  key,
  name: `Workflow ${key}`,
  ...(description !== undefined ? { description } : {}),
  object: "lead",
  trigger: { type: "manual" },
  start: "note",
  steps: { note: { type: "action", action: { type: "add_activity", activity_type: "note", subject: "noted" } } },
});

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-reviews-cli-");
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const clock = { ms: Date.now() - 122 * DAY, now: () => new Date(clock.ms) };
    const s = buildServices(store, clock, ulidGenerator());
    const ws = await s.workspaces.create("acme", "Acme");
    const [ana] = await s.writer.createMany(systemContext(ws.id), "user", [{ name: "Ana Acme", email: "ana@acme.example", role: "admin" }]);
    const asAna: CallContext = { ...systemContext(ws.id), actor: { kind: "person", id: ana?.id ?? "" } };
    const old = await s.workflows.saveDraft(asAna, definition("old-rule", "Kept to see whether reviews work."));
    await s.workflows.publish(asAna, old.workflow.id);
    clock.ms = Date.now();
    const fresh = await s.workflows.saveDraft(asAna, definition("fresh-rule", "Published today."));
    await s.workflows.publish(asAna, fresh.workflow.id);
  } finally {
    await store.close();
  }
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff workflow reviews", () => {
  it("lists every live workflow's review, and only the overdue ones with --overdue", async () => {
    const all = await cli("workflow", "reviews");
    expect(all.code, all.stderr).toBe(0);
    const rows = lines(all.stdout).map((l) => l.split("\t"));
    expect(rows.map((r) => r[0])).toEqual(["old-rule", "fresh-rule"]);
    expect(rows[0]?.[1]).toBe("Ana Acme");
    expect(rows[0]?.[3]).toMatch(/^overdue since \d{4}-\d{2}-\d{2}/);
    expect(rows[1]?.[3]).toMatch(/^due in (8[89]|9[0-2]) days$/);
    expect(rows[0]?.[4]).toBe("0 overrides");

    const overdue = await cli("workflow", "reviews", "--overdue");
    expect(overdue.code, overdue.stderr).toBe(0);
    expect(lines(overdue.stdout).map((l) => l.split("\t")[0])).toEqual(["old-rule"]);
  });

  it("marks a workflow reviewed with a note; it leaves the overdue list", async () => {
    const noNote = await cli("workflow", "reviewed", "old-rule");
    expect(noNote.code).not.toBe(0);
    expect(noNote.stderr).toContain("--note");
    const unknown = await cli("workflow", "reviewed", "no-such-rule", "--note", "x");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no-such-rule");

    const done = await cli("workflow", "reviewed", "old-rule", "--note", "Still needed: reps read the note.");
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^reviewed old-rule; next review \d{4}-\d{2}-\d{2}\n$/);
    const overdue = await cli("workflow", "reviews", "--overdue");
    expect(overdue.stdout).toBe("");
  });

  it("refuses to publish a definition without a description, naming the path, saving nothing", async () => {
    const file = join(dir, "undescribed.json");
    writeFileSync(file, JSON.stringify(definition("undescribed")));
    const refused = await cli("workflow", "publish", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr + refused.stdout).toContain("description: say why this workflow exists");
    const list = await cli("workflow", "list");
    expect(list.stdout).not.toContain("undescribed");
  });
});

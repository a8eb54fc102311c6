/**
 * `handoff records merge|merges|unmerge` end to end: the real binary (dist/cli/main.js) against a
 * temp SQLite data directory with a workspace "acme". A contact is merged into another with a
 * per-field choice (its task moves to the survivor), listed among the survivor's merges, and
 * unmerged (both records and the task as they were); bad input is refused naming the field, with
 * nothing written.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

let dir: string;
const ids: Record<string, string> = {};
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);

/** Reads records straight from the store, after the CLI's process is done with it. */
async function read(id: string) {
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    const ws = await store.workspaces.getWorkspaceBySlug("acme");
    return ws ? await store.records.getRecord(ws.id, id) : undefined;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-merge-cli-");
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const s = buildServices(store);
    const ws = await s.workspaces.create("acme", "Acme");
    const ctx = systemContext(ws.id);
    ids.a = (await s.writer.create(ctx, "contact", { first_name: "Ada", last_name: "Lovelace" })).id;
    ids.b = (await s.writer.create(ctx, "contact", { first_name: "Augusta", last_name: "Lovelace", phone: "+44 20 7946 0123" })).id;
    ids.task = (await s.writer.create(ctx, "task", { subject: "Call her", related_id: ids.b })).id;
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff records merge", () => {
  it("refuses bad input naming the field, and writes nothing", async () => {
    const unknown = await acme("records", "merge", "contacts", ids.a as string, ids.b as string, "--field", "shoe_size=merged");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("fields.shoe_size");
    const self = await acme("records", "merge", "contacts", ids.a as string, ids.a as string);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain("merged_id: a record cannot be merged into itself");
    const usage = await acme("records", "merge", "contacts", ids.a as string, ids.b as string, "--field", "phone=both");
    expect(usage.code).toBe(2);
    expect((await read(ids.b as string))?.version).toBe(1);
  });

  it("merges with a per-field choice, lists the merge, and unmerges it", async () => {
    const merged = await acme("records", "merge", "contacts", ids.a as string, ids.b as string, "--field", "first_name=merged", "--json");
    expect(merged.code, merged.stderr).toBe(0);
    const m = JSON.parse(merged.stdout);
    expect(m).toMatchObject({ object: "contact", survivor_id: ids.a, merged_id: ids.b, fields: { first_name: "merged" }, undone_at: null });
    expect(await read(ids.a as string)).toMatchObject({ data: { first_name: "Augusta", phone: "+442079460123" } });
    expect(await read(ids.b as string)).toBeUndefined();
    expect((await read(ids.task as string))?.data.related_id).toBe(ids.a);

    const listed = await acme("records", "merges", ids.a as string);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^merge ${m.id}: contact ${ids.b} merged into ${ids.a} \\(2 field\\(s\\) changed, 1 reference\\(s\\) moved; undo until `),
    );

    const undone = await acme("records", "unmerge", m.id);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout).toContain(`contact ${ids.b} unmerged from ${ids.a}`);
    expect(await read(ids.a as string)).toMatchObject({ data: { first_name: "Ada", last_name: "Lovelace" } });
    expect((await read(ids.a as string))?.data.phone).toBeUndefined();
    expect(await read(ids.b as string)).toMatchObject({ data: { first_name: "Augusta", phone: "+442079460123" } });
    expect((await read(ids.task as string))?.data.related_id).toBe(ids.b);

    const again = await acme("records", "unmerge", m.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("was undone already");
  });
});

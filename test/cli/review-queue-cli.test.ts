/**
 * `handoff review-queue …` end to end: the real binary (dist/cli/main.js) against a real Handoff
 * server over HTTP (SQLite), as the person whose token is in HANDOFF_TOKEN. A rep queues a record,
 * lists and shows it, takes it and resolves it with a note; another rep may not close what is held
 * (exit 1, the API's reason naming the holder); a second resolve is refused; usage mistakes exit 2
 * before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

type Json = Record<string, any>;

let store: TestStore;
let server: TestServer;
let ann: { id: string; token: string };
let bob: { id: string; token: string };
let lead: Json;

const as = (who: { token: string }, ...args: string[]) =>
  runCli(["review-queue", ...args], { env: { HANDOFF_TOKEN: who.token, HANDOFF_URL: server.url } });
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

beforeAll(async () => {
  assertBuilt();
  store = await sqliteTestStore();
  server = await startTestServer(store);
  const person = async (name: string) => {
    const user = await server.post("/api/v1/users", { name, email: `${name.toLowerCase()}@queue-cli.test`, role: "rep" });
    const token = await server.post("/api/v1/tokens", { name: `${name}'s token`, role: "rep", user_id: user.id });
    return { id: user.id as string, token: token.token as string };
  };
  ann = await person("Ann");
  bob = await person("Bob");
  lead = await server.post("/api/v1/leads", { first_name: "Lia", last_name: "Quinn", email: "lia@example.com" });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await store?.dispose();
});

describe("handoff review-queue", () => {
  it("queues, lists, shows, takes and resolves an item as the token's person", async () => {
    const added = await as(ann, "add", lead.id, "--reason", "Company looks wrong", "--json");
    expect(added.code, added.stderr).toBe(0);
    const item = JSON.parse(added.stdout) as Json;
    expect(item).toMatchObject({ kind: "manual", status: "open", created_by: `person:${ann.id}` });

    const list = await as(ann, "list", "--status", "open");
    expect(list.code, list.stderr).toBe(0);
    expect(lines(list.stdout)).toEqual([
      "open: 1 manual",
      [item.id, "open", "manual", `lead Lia Quinn (${lead.id})`, "Company looks wrong", "unassigned"].join("\t"),
    ]);
    const show = await as(ann, "show", item.id);
    expect(show.stdout).toContain("reason      Company looks wrong");
    expect(show.stdout).toContain("assignee    unassigned");

    const taken = await as(ann, "take", item.id);
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stdout).toBe(`item ${item.id} is yours: Company looks wrong\n`);

    const byBob = await as(bob, "resolve", item.id);
    expect(byBob.code).toBe(1);
    expect(byBob.stderr).toContain("Ann holds this item");

    const resolved = await as(ann, "resolve", item.id, "--note", "Fixed the company");
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toBe(`resolved item ${item.id} (lead Lia Quinn (${lead.id}))\n`);
    const after = JSON.parse((await as(ann, "show", item.id, "--json")).stdout) as Json;
    expect(after).toMatchObject({ status: "resolved", note: "Fixed the company", resolved_by: `person:${ann.id}` });
    const twice = await as(ann, "resolve", item.id);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("resolved already");
    // Nine processes, each starting Node: a loaded machine needs more than the default 30 s.
  }, 120_000);

  it("refuses usage mistakes with exit 2 before sending anything", async () => {
    const noReason = await as(ann, "add", lead.id);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("--reason");
    const wrongFlag = await as(ann, "show", "x", "--note", "n");
    expect(wrongFlag.code).toBe(2);
    expect(wrongFlag.stderr).toContain("--note does not go with review-queue show");
    const unknown = await as(ann, "approve", "x");
    expect(unknown.code).toBe(2);
    const badStatus = await as(ann, "list", "--status", "closed");
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toContain("status");
  }, 120_000);
});

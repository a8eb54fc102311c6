/**
 * `handoff approvals …` end to end: the real binary (dist/cli/main.js) against a real Handoff
 * server over HTTP (SQLite), as the person whose token is in HANDOFF_TOKEN. A deal's request is
 * listed and shown by its approver, refused to its submitter (exit 1, the API's reason), sent
 * back without a comment (exit 1, naming `comment`) and with one, resubmitted once by the
 * submitter (a second time exit 1), and approved in round 2; the other approver's list is then
 * empty and their decision refused with who decided. Usage mistakes exit 2 before anything is
 * sent; a missing token and an unreachable server say what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Desk, type Json, openRequest } from "../helpers/approval-desk.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";
import { assertBuilt, freePort, runCli } from "./process.js";

let store: TestStore;
let server: TestServer;
let desk: Desk;
let request: Json;

/** `handoff approvals …` as `who`, against the test server. */
const as = (who: { token: string }, ...args: string[]) =>
  runCli(["approvals", ...args], { env: { HANDOFF_TOKEN: who.token, HANDOFF_URL: server.url } });
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

beforeAll(async () => {
  assertBuilt();
  store = await sqliteTestStore();
  server = await startTestServer(store);
  ({ desk, request } = await openRequest(server, "cli"));
}, 60_000);
afterAll(async () => {
  await server?.close();
  await store?.dispose();
});

describe("handoff approvals", () => {
  it("lists and shows a person's requests, as text and as the API's JSON", async () => {
    const list = await as(desk.ann, "list");
    expect(list.code, list.stderr).toBe(0);
    expect(lines(list.stdout)).toEqual([
      [
        request.id,
        "pending",
        "round 1",
        `deal Acme renewal (${request.record.id})`,
        "Discount of 25% on Acme renewal",
        "waiting on Ann Manager, Bob Manager",
      ].join("\t"),
    ]);
    const json = await as(desk.ann, "list", "--view", "mine", "--status", "pending", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ data: [{ id: request.id, you_can: ["decide"] }], next_cursor: null });
    expect((await as(desk.sam, "list", "--view", "submitted")).stdout).toContain(request.id);
    expect((await as(desk.sam, "list")).stdout).toBe("no approval requests (mine)\n");

    const show = await as(desk.ann, "show", request.id);
    expect(show.code, show.stderr).toBe(0);
    const text = show.stdout;
    expect(text).toContain(`request     ${request.id} (round 1)`);
    expect(text).toContain("submitter   Sam Rep");
    expect(text).toContain("  stake     Discount %: 25 when asked, 25 now");
    expect(text).toContain("→ level     Managers: any one of 2, pending");
    expect(text).toContain("Ann Manager (role manager)  no decision");
    expect(text).toContain("you can     decide");
    expect(text).toMatch(/ {2}1 {9}\S+ {2}opened by Sam Rep/);
    const shown = JSON.parse((await as(desk.ann, "show", request.id, "--json")).stdout) as Json;
    expect(shown).toMatchObject({ id: request.id, status: "pending", history: expect.any(Array), rounds: [{ id: request.id }] });
  });

  it("refuses with the API's reason and exit 1: bad view, unknown id, the submitter's own decision, a send-back without comment", async () => {
    const view = await as(desk.ann, "list", "--view", "everything");
    expect(view.code).toBe(1);
    expect(view.stderr).toContain("view must be one of mine, decided, submitted, all (HTTP 400)");
    expect(view.stderr).toContain("  view: ");
    const missing = await as(desk.ann, "show", "no-such-request");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("not found (HTTP 404)");
    const own = await as(desk.sam, "decide", request.id, "--approve");
    expect(own.code).toBe(1);
    expect(own.stderr).toBe("handoff: you submitted this request; someone else must decide it (HTTP 403)\n");
    const bare = await as(desk.ann, "decide", request.id, "--revise");
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain("  comment: a comment is required to send a request back for revision");
    expect(JSON.parse((await as(desk.ann, "show", request.id, "--json")).stdout).status).toBe("pending");
  });

  it("sends back with a comment, resubmits once, and approves round 2; the other approver is told who decided", async () => {
    const sent = await as(desk.ann, "decide", request.id, "--revise", "--comment", "10% at most");
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toBe(`sent back request ${request.id} (Discount of 25% on Acme renewal): now revise\n`);
    await server.services.worker.drain();

    const resubmitted = await as(desk.sam, "resubmit", request.id, "--comment", "now 10%");
    expect(resubmitted.code, resubmitted.stderr).toBe(0);
    expect(resubmitted.stdout).toBe(
      `resubmitted request ${request.id} (Discount of 25% on Acme renewal): round 2 opens when the workflow takes it\n`,
    );
    const again = await as(desk.sam, "resubmit", request.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("resubmitted already");
    expect(again.stderr).toContain("(HTTP 409)");
    await server.services.worker.drain();

    const inbox = JSON.parse((await as(desk.bob, "list", "--json")).stdout).data as Json[];
    expect(inbox.map((a) => [a.round, a.previous_id])).toEqual([[2, request.id]]);
    const round2 = inbox[0]?.id as string;
    const approved = await as(desk.bob, "decide", round2, "--approve", "--comment", "fine");
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toBe(`approved request ${round2} (Discount of 25% on Acme renewal): now approved\n`);

    const late = await as(desk.ann, "decide", round2, "--reject");
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/this request is no longer pending: approved by Bob Manager at \S+: fine \(HTTP 409\)/);
    expect((await as(desk.ann, "list")).stdout).toBe("no approval requests (mine)\n");
    expect(lines((await as(desk.bob, "list", "--view", "decided")).stdout)[0]).toContain(`${round2}\tapproved\tround 2`);
  });

  it("exits 2 on usage mistakes before sending anything; says what to do without a token or a server", async () => {
    for (const args of [
      ["decide", request.id],
      ["decide", request.id, "--approve", "--reject"],
      ["show"],
      ["show", request.id, "extra"],
      ["list", "--comment", "x"],
      ["frobnicate"],
    ]) {
      const res = await runCli(["approvals", ...args], { env: { HANDOFF_TOKEN: "", HANDOFF_URL: server.url } });
      expect(res.code, `${args.join(" ")}: ${res.stderr}`).toBe(2);
    }
    const noToken = await runCli(["approvals", "list"], { env: { HANDOFF_TOKEN: "", HANDOFF_URL: server.url } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("set HANDOFF_TOKEN to a token made for your user");
    const badToken = await runCli(["approvals", "list"], { env: { HANDOFF_TOKEN: "nope", HANDOFF_URL: server.url } });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain("check HANDOFF_TOKEN");
    const port = await freePort();
    const down = await runCli(["approvals", "list", "--url", `http://127.0.0.1:${port}`], { env: { HANDOFF_TOKEN: desk.ann.token } });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`cannot reach Handoff at http://127.0.0.1:${port}`);
  });
});

/**
 * `handoff serve --demo` end to end, as the README tells a newcomer to try it: the real binary on
 * a fresh data directory, the demo form submitted over HTTP like a browser without script would
 * (GET for the nonce, POST urlencoded), and then the lead on the API with its owner, P1 task and
 * the owner's auto-reply — written by the demo's mail catcher as a .eml file under data/mail.
 * The server is started a second time with another HANDOFF_DEMO_SMTP_PORT (what its warning
 * says to do when the port is taken): the seeded `email` connector follows the catcher.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from "../../src/seed/demo.js";
import { eventually } from "../helpers/eventually.js";
import { parseMail } from "../helpers/smtp.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, freePort, killServer, runCli, type ServerProcess, startServerOnFreePort } from "./process.js";

type Json = Record<string, any>;

describe("serve --demo: the contact form's lead gets its auto-reply in data/mail", () => {
  let dir: string;
  let server: ServerProcess | undefined;
  let token: string;

  const start = async (smtpPort: number) => {
    server = await startServerOnFreePort(
      ["--demo", "--data-dir", dir],
      async (s) => (await fetch(`${s.url}/health`)).ok && existsSync(join(dir, "demo-token")),
      3,
      { HANDOFF_DEMO_SMTP_PORT: String(smtpPort) },
      // The first start seeds the demo (its history, the AI models' trainings): ~30 s on a quiet
      // 2-core machine, several times that when the machine is shared.
      150_000,
    );
    token = readFileSync(join(dir, "demo-token"), "utf8").trim();
  };
  const stop = async () => {
    if (!server) return;
    server.child.kill("SIGTERM");
    await server.exited;
    server = undefined;
  };
  const api = async (path: string): Promise<Json> =>
    (await fetch(`${server?.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Json>;

  /** Fills in the demo form as a browser would; returns the lead. */
  const submit = async (first: string, email: string): Promise<Json> => {
    const page = await (await fetch(`${server?.url}/forms/contact-sales`)).text();
    const nonce = /name="_nonce" value="([^"]+)"/.exec(page)?.[1] ?? "";
    expect(nonce).not.toBe("");
    const res = await fetch(`${server?.url}/forms/contact-sales`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({
        _nonce: nonce,
        first_name: first,
        last_name: "Demo",
        email,
        company_name: "Acme",
        employee_count: "120",
      }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/forms/contact-sales/thanks");
    const [lead] = (await api(`/api/v1/leads?where=email:eq:${encodeURIComponent(email)}`)).data as Json[];
    expect(lead).toMatchObject({ first_name: first, source: "web_form", score: 45 });
    return lead as Json;
  };
  /** The .eml files the catcher wrote for one address. */
  const mailTo = (email: string) =>
    readdirSync(join(dir, "mail"))
      .filter((f) => f.endsWith(".eml"))
      .map((f) => readFileSync(join(dir, "mail", f), "utf8"))
      .filter((raw) => parseMail(raw).header("To") === email);

  beforeAll(() => {
    assertBuilt();
    dir = tempDir("handoff-serve-demo-");
  });
  afterAll(async () => {
    await killServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("form → lead → owner, P1 task and the owner's auto-reply as a .eml file", { timeout: 240_000 }, async () => {
    await start(await freePort());
    const lead = await submit("Dana", "dana@fbi.example.com");
    await eventually(
      "speed-to-lead waiting for the call",
      async () =>
        ((await api(`/api/v1/runs?record_id=${lead.id}`)).data as Json[]).find((r) => r.status === "waiting" && r.step === "wait-for-call"),
      60_000,
    );
    const owner = await api(`/api/v1/users/${(await api(`/api/v1/leads/${lead.id}`)).owner_id}`);
    const tasks = (await api(`/api/v1/tasks?where=related_id:eq:${lead.id}`)).data as Json[];
    expect(tasks.map((t) => [t.subject, t.priority, t.owner_id])).toEqual([["Call within 5 min: Dana Demo", "P1", owner.id]]);
    const [raw, ...more] = mailTo("dana@fbi.example.com");
    expect(more).toEqual([]);
    const m = parseMail(raw ?? "");
    expect(m.header("Subject")).toBe("Thanks for reaching out, Dana");
    expect(m.header("Reply-To")).toBe(owner.email);
    expect(m.text).toContain(`pick one here: ${owner.calendar_link}`);
    const timeline = (await api(`/api/v1/leads/${lead.id}/timeline`)).data as Json[];
    expect(timeline.find((i) => i.kind === "activity")?.activity).toMatchObject({
      type: "email",
      subject: "Thanks for reaching out, Dana",
    });
  });

  it("started again with another HANDOFF_DEMO_SMTP_PORT, the demo's email connector follows its catcher", {
    timeout: 180_000,
  }, async () => {
    await stop();
    await start(await freePort());
    const lead = await submit("Fox", "fox@fbi.example.com");
    const steps = await eventually(
      "speed-to-lead past its auto-reply",
      async () => {
        const run = ((await api(`/api/v1/runs?record_id=${lead.id}`)).data as Json[]).find(
          (r) => r.status === "waiting" && r.step === "wait-for-call",
        );
        return run ? ((await api(`/api/v1/runs/${run.id}`)).steps as Json[]).map((x) => [x.step, x.outcome]) : undefined;
      },
      60_000,
    );
    expect(steps).toContainEqual(["auto-reply", "succeeded"]);
    expect(mailTo("fox@fbi.example.com")).toHaveLength(1);
  });

  it("signs in as the demo admin with the demo password; `user set-password` (stdin) changes a user's", { timeout: 60_000 }, async () => {
    const signIn = (email: string, password: string) =>
      fetch(`${server?.url}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
    const admin = await signIn(DEMO_ADMIN_EMAIL, DEMO_PASSWORD);
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as Json).user).toMatchObject({ email: DEMO_ADMIN_EMAIL, role: "admin" });
    expect((await signIn("rep1@demo.handoff.test", DEMO_PASSWORD)).status).toBe(200);

    const set = await runCli(["user", "set-password", "rep1@demo.handoff.test", "--data-dir", dir], { input: "a brand new password\n" });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("password set for rep1@demo.handoff.test");
    expect(set.stdout + set.stderr).not.toContain("a brand new password");
    expect((await signIn("rep1@demo.handoff.test", DEMO_PASSWORD)).status).toBe(401);
    expect((await signIn("rep1@demo.handoff.test", "a brand new password")).status).toBe(200);

    const short = await runCli(["user", "set-password", "rep2@demo.handoff.test", "--data-dir", dir], { input: "short\n" });
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain("password");
    const argv = await runCli(["user", "set-password", "rep2@demo.handoff.test", "a password on argv", "--data-dir", dir]);
    expect(argv.code).not.toBe(0);
  });
});

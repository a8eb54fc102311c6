/**
 * The hosted form as a person uses it, in a real Chromium: the demo workspace on a real server,
 * /forms/contact-sales filled in by its labels and sent with the button; then, over the API, the
 * lead exists and speed-to-lead has taken it (owner, P1 call task, waiting for the call), and its
 * auto-reply arrived at a real SMTP server (the demo's `email` connector pointed at it with
 * PATCH /api/v1/connectors/email). A second test makes mistakes and finds each message next to
 * its field, with the entries kept.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SLUG, seedDemo } from "../../src/seed/demo.js";
import { CHROMIUM_ARGS } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { messageIdOf, parseMail, startSmtp, type TestSmtp } from "../helpers/smtp.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

describe("the contact-sales form in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let smtp: TestSmtp;
  let demoToken: string;
  let profile: string;
  let browser: BrowserContext;
  let speedToLead: string;
  const demo = async (path: string): Promise<Json> => (await s.api(path, { as: demoToken })).json() as Promise<Json>;

  beforeAll(async () => {
    t = await sqliteTestStore();
    smtp = await startSmtp();
    s = await startTestServer(t, {}, { worker: true, egressAllow: [`127.0.0.1:${smtp.port}`] });
    const { workspace } = await seedDemo(s.services);
    expect(workspace.slug).toBe(DEMO_SLUG);
    demoToken = (await s.services.tokens.create(workspace.id, "browser test", "admin")).secret;
    // The demo's email connector points at its mail catcher; point it at this test's SMTP server.
    const patched = await s.api("/api/v1/connectors/email", { as: demoToken, method: "PATCH", json: { config: { port: smtp.port } } });
    expect(patched.status).toBe(200);
    speedToLead = ((await demo("/api/v1/workflows")).data as Json[]).find((w) => w.key === "speed-to-lead")?.id;
    expect(speedToLead).toBeTruthy();
    // launchPersistentContext: Playwright passes this fresh directory as --user-data-dir.
    profile = mkdtempSync(join(tmpdir(), "handoff-chromium-"));
    browser = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
    // Fail with the step that did not happen rather than at the test timeout.
    browser.setDefaultTimeout(10_000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await s?.close();
    await smtp?.close();
    await t?.dispose();
  });

  const open = async (): Promise<Page> => {
    const page = await browser.newPage();
    const res = await page.goto(`${s.url}/forms/contact-sales`);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Talk to sales");
    return page;
  };

  it("a submitted form becomes a lead that speed-to-lead assigns, with a P1 call task and an auto-reply over SMTP", async () => {
    const page = await open();
    await page.getByLabel("First name").fill("Dana");
    await page.getByLabel("Last name").fill("Scully");
    await page.getByLabel("Work email").fill("dana.scully@fbi.example.com");
    await page.getByLabel("Company").fill("Bureau <Labs> & Co");
    await page.getByLabel("Number of employees").fill("120");
    await page.getByLabel("Phone (with country code)").fill("+1 202 555 0143");
    await page.getByLabel("How can we help?").fill("We need routing for 40 reps.");
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForURL(/\/forms\/contact-sales\/thanks$/);
    expect(await page.getByRole("status").textContent()).toContain("Thank you! A member of our sales team will call you shortly.");
    await page.close();

    const [lead] = (await demo("/api/v1/leads?where=email:eq:dana.scully@fbi.example.com")).data as Json[];
    expect(lead).toMatchObject({
      first_name: "Dana",
      last_name: "Scully",
      company_name: "Bureau <Labs> & Co",
      employee_count: 120,
      message: "We need routing for 40 reps.",
      source: "web_form",
      score: 45,
    });

    const run = await eventually(
      "speed-to-lead waiting for the call",
      async () =>
        ((await demo(`/api/v1/runs?record_id=${lead?.id}`)).data as Json[]).find(
          (r) => r.workflow_id === speedToLead && r.status === "waiting" && r.step === "wait-for-call",
        ),
      30_000,
    );
    expect(run.step).toBe("wait-for-call");
    const assigned = await demo(`/api/v1/leads/${lead?.id}`);
    expect(assigned.owner_id).toBeTruthy();
    const tasks = (await demo(`/api/v1/tasks?where=related_id:eq:${lead?.id}`)).data as Json[];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ subject: "Call within 5 min: Dana Scully", priority: "P1", owner_id: assigned.owner_id });

    // The auto-reply: one email to Dana from her owner, with the owner's calendar link.
    const owner = await demo(`/api/v1/users/${assigned.owner_id}`);
    expect(owner.calendar_link).toMatch(/^https:\/\//);
    const [mail] = smtp.to("dana.scully@fbi.example.com");
    const m = parseMail(mail?.raw ?? "");
    expect(m.header("Subject")).toBe("Thanks for reaching out, Dana");
    expect(m.header("From")).toBe(`${owner.name} <${"hello@demo.handoff.test"}>`);
    expect(m.header("Reply-To")).toBe(owner.email);
    expect(m.text).toContain(`I'm ${owner.name} and I'll call you in the next few minutes`);
    expect(m.text).toContain(`pick one here: ${owner.calendar_link}`);
    // The demo tracks email (docs/scoring.md): the link goes through Handoff, then to the calendar.
    const tracked = /<a href="([^"]+\/t\/c\/[^"]+)">pick one here<\/a>/.exec(m.html ?? "")?.[1];
    expect(tracked, m.html).toBeDefined();
    const followed = await fetch(`${s.url}${new URL(tracked as string).pathname}`, { redirect: "manual" });
    expect(followed.status).toBe(302);
    expect(followed.headers.get("location")).toBe(owner.calendar_link);
    expect(m.html).toMatch(/<img src="[^"]+\/t\/o\/[^"]+"/);
    const [item] = ((await demo("/api/v1/outbox?limit=200")).data as Json[]).filter((o) => o.record_id === lead?.id);
    expect(item).toMatchObject({ kind: "email", status: "delivered" });
    expect(mail?.messageId).toBe(messageIdOf(item?.key));
    const steps = ((await demo(`/api/v1/runs/${run.id}`)).steps as Json[]).map((x) => [x.step, x.outcome]);
    expect(steps).toContainEqual(["auto-reply", "succeeded"]);
    // Sent once: nothing is left for the dispatcher, and the server holds one message for Dana.
    await s.services.dispatcher.drain();
    expect(smtp.to("dana.scully@fbi.example.com")).toHaveLength(1);
  });

  it("shows each problem next to its field, keeps what was typed, and writes nothing until it is right", async () => {
    const page = await open();
    await page.getByLabel("First name").fill("Fox");
    await page.getByLabel("Work email").fill("fox.mulder@");
    await page.getByLabel("Company").fill("X Files");
    await page.getByLabel("Number of employees").fill("lots");
    const response = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Send" }).click();
    expect((await response).status()).toBe(422);
    await page.waitForLoadState();

    // Each problem is announced on its input and written right below it.
    const errorOf = async (label: string) => {
      const input = page.getByLabel(label);
      expect(await input.getAttribute("aria-invalid")).toBe("true");
      return page.locator(`#${await input.getAttribute("aria-describedby")}`).textContent();
    };
    expect(await errorOf("Last name")).toBe("Please fill in Last name.");
    expect(await errorOf("Work email")).toMatch(/^Work email: .*email/);
    expect(await errorOf("Number of employees")).toMatch(/^Number of employees: .*integer/);
    expect(await page.locator(".field:has(#f-employee_count) .error").count()).toBe(1);
    expect(await page.getByLabel("First name").getAttribute("aria-invalid")).toBeNull();
    expect(await page.getByRole("alert").textContent()).toContain("Please correct the following");
    // What was typed is still there.
    expect(await page.getByLabel("First name").inputValue()).toBe("Fox");
    expect(await page.getByLabel("Company").inputValue()).toBe("X Files");
    expect(await page.getByLabel("Number of employees").inputValue()).toBe("lots");
    expect((await demo("/api/v1/leads?where=company_name:eq:X%20Files")).data).toHaveLength(0);

    await page.getByLabel("Last name").fill("Mulder");
    await page.getByLabel("Number of employees").fill("30");
    const email = page.getByLabel("Work email");
    await email.fill("fox.mulder@fbi.example.com");
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForURL(/\/thanks$/);
    await page.close();
    const leads = (await demo("/api/v1/leads?where=company_name:eq:X%20Files")).data as Json[];
    expect(leads.map((l) => [l.last_name, l.employee_count])).toEqual([["Mulder", 30]]);
  });
});

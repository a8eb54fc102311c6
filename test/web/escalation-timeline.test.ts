/**
 * The five escalation templates, in the browser (issue 17): on the demo-like workspace where each
 * escalated one record (helpers/escalation-workspace.ts: installed from the gallery, time driven
 * through the server's clock), an admin signs in once and opens each escalated record's page,
 * reading the escalation on its timeline as a person would — the workflow, the step, and what it
 * did in words: who was paged because they are on call, the task created, the new owner and why,
 * the priority raised, the retention playbook started. One page, one sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onCallAt } from "../../src/crm/on-call.js";
import { openBrowser, screenshot, signIn, type TestBrowser } from "../helpers/browser.js";
import { buildEscalationWorld, DEMO_LIKE_PASSWORD, type EscalationWorld, SimClock } from "../helpers/escalation-workspace.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;

describe("the escalations on the records' timelines, in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let w: EscalationWorld;
  let browser: TestBrowser;
  const clock = new SimClock();

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t, {}, { worker: true, clock, slaDueByServiceClock: true });
    w = await buildEscalationWorld(s, clock);
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("an admin opens each escalated record and reads its escalation on the timeline", async () => {
    const get = (path: string) => s.json(path, { as: w.token });
    const name = (id: string) => [...w.managers, ...w.reps].find((u) => u.id === id)?.data.name as string;
    const manager = name(w.managers[0]?.id ?? "");
    const { page, problems } = await browser.page();
    await signIn(page, s.url, w.adminEmail, { password: DEMO_LIKE_PASSWORD });
    const timeline = page.getByRole("list", { name: "Timeline, newest first" });
    /** The timeline entry of one step of one workflow, once the page shows it. */
    const entry = async (workflow: string, step: string) => {
      const item = timeline.getByRole("listitem").filter({ hasText: `${workflow} · step “${step}”` });
      await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
      return (await item.textContent()) ?? "";
    };
    const open = async (path: string, title: string) => {
      await page.goto(`${s.url}${path}`);
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
      await timeline.waitFor();
    };

    // P1 breach: the on-call person of the assignee's team paged and given the task; the manager told.
    const team = await get(`/api/v1/teams/${w.teams[0]?.id}`);
    const onCall = name(onCallAt(team.on_call, team.time_zone, w.slaInstant)?.userId ?? "");
    await open(`/records/tickets/${w.records.p1.id}`, "Checkout is down");
    // The names come with the people's records, a moment after the entry itself.
    await expect.poll(() => entry("Escalation: P1 SLA breach", "page-on-call")).toContain(`Notified ${onCall} (`);
    const paged = await entry("Escalation: P1 SLA breach", "page-on-call");
    expect(paged).toMatch(/on call/);
    expect(onCall).not.toBe(name(w.records.p1.assignee_id));
    // The run reads in its order, newest first, though its steps share an instant.
    const steps = await timeline.getByRole("listitem").filter({ hasText: "Escalation: P1 SLA breach" }).allTextContents();
    expect(steps.map((x) => x.match(/step “([^”]+)”/)?.[1])).toEqual(["done", "tell-manager", "on-call-task", "page-on-call"]);
    await expect
      .poll(() => entry("Escalation: P1 SLA breach", "on-call-task"))
      .toContain("Created a task: “P1 breach: Checkout is down” (P1).");
    await expect.poll(() => entry("Escalation: P1 SLA breach", "tell-manager")).toContain(`Notified ${manager}`);
    await screenshot(page, "escalation-p1-breach-timeline");

    // Stale lead: the manager told, a new owner through the queue and why, the call task.
    const lead = (await get(`/api/v1/leads/${w.records.staleLead.id}`)) as Json;
    await open(`/records/leads/${lead.id}`, "Wanda Waiting");
    await expect.poll(() => entry("Escalation: stale lead", "tell-manager")).toContain(`Notified ${manager}`);
    await expect.poll(() => entry("Escalation: stale lead", "reassign")).toContain(`Assigned to ${name(lead.owner_id)}. Why:`);
    await expect
      .poll(() => entry("Escalation: stale lead", "call-task"))
      .toContain("Created a task: “Call Wanda Waiting: reassigned after the first-contact SLA was missed” (P1).");
    await screenshot(page, "escalation-stale-lead-timeline");

    // Stuck deal: the rep's task, the manager told.
    await open(`/records/deals/${w.records.stuckDeal.id}`, "Globex — Expansion");
    await expect
      .poll(() => entry("Escalation: stuck deal", "alert-rep"))
      .toContain("Created a task: “Stuck deal: Globex — Expansion has been in proposal for 14 days” (P2).");
    await expect.poll(() => entry("Escalation: stuck deal", "alert-manager")).toContain(`Notified ${manager}`);

    // Overdue task: its priority raised, the owner's team lead told.
    await open(`/records/tasks/${w.records.overdueTask.id}`, "Send the signed order form");
    await expect.poll(() => entry("Escalation: overdue task", "raise-priority")).toContain("Changed Priority.");
    await expect.poll(() => entry("Escalation: overdue task", "tell-team-lead")).toContain(`Notified ${manager}`);

    // At-risk renewal: the retention playbook started, and its steps on the same deal.
    await open(`/records/deals/${w.records.renewal.id}`, "Initech — Renewal");
    await expect.poll(() => entry("Escalation: at-risk renewal", "start-playbook")).toContain("Started workflow retention-playbook.");
    await expect
      .poll(() => entry("Retention playbook", "save-call"))
      .toContain("Created a task: “Retention call: Initech — Renewal renews on");
    await expect.poll(() => entry("Retention playbook", "tell-manager")).toContain(`Notified ${manager}`);
    await screenshot(page, "escalation-at-risk-renewal-timeline");
    expect(problems).toEqual([]);
  }, 90_000);
});

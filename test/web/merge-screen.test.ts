/**
 * The merge screen in Chromium (issue 20, item 7), as an admin uses it: from a contact's page,
 * "Merge with…", the other contact found by name, the two side by side field by field; the admin
 * keeps the other record's phone, merges, lands on the survivor (its task moved to it, the merged
 * contact's link leading to it), and undoes the merge from the survivor's page — both contacts as
 * they were. The API sets up the records and checks what was saved.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, openBrowser, screenshot, type TestBrowser } from "../helpers/browser.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { sqliteTestStore, type TestStore } from "../helpers/stores.js";

type Json = Record<string, any>;
const PASSWORD = "merge-screen-test-password-1";

describe("the merge screen in Chromium", () => {
  let t: TestStore;
  let s: TestServer;
  let browser: TestBrowser;
  let a: Json;
  let b: Json;
  let task: Json;

  beforeAll(async () => {
    t = await sqliteTestStore();
    s = await startTestServer(t);
    const u = await s.post("/api/v1/users", { name: "Ada Admin", email: "ada@merge.test", role: "admin" });
    await s.json(`/api/v1/users/${u.id}/password`, { method: "PUT", json: { password: PASSWORD } });
    a = await s.post("/api/v1/contacts", { first_name: "Grace", last_name: "Hopper", title: "Rear Admiral", email: "grace@navy.test" });
    b = await s.post("/api/v1/contacts", {
      first_name: "Grace M.",
      last_name: "Hopper",
      phone: "+1 202 555 0143",
      email: "ghopper@navy.test",
    });
    task = await s.post("/api/v1/tasks", { subject: "Send the COBOL notes", related_id: b.id });
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await t?.dispose();
  });

  it("merges two contacts field by field from the record page, and undoes it", async () => {
    const { page, problems } = await browser.page();
    await page.goto(`${s.url}/sign-in?redirect=${encodeURIComponent(`/records/contacts/${a.id}`)}`);
    await page.getByLabel("Email").fill("ada@merge.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${s.url}/records/contacts/${a.id}`);

    await page.getByRole("link", { name: "Merge with…" }).click();
    await page.getByRole("heading", { level: 1, name: "Merge two contact records" }).waitFor();
    await page.getByText("Find a contact by name").click();
    await page.getByLabel("Find contact to merge with").fill("Grace M.");
    await page.getByRole("button", { name: "Find", exact: true }).click();
    await page
      .getByRole("list", { name: "Matches for contact to merge with" })
      .getByRole("button", { name: /Hopper/ })
      .click();

    // Side by side: this record stays; each field's radio starts on its value, or the other's where it is empty.
    await page.getByRole("group", { name: "Which record stays?" }).waitFor();
    const keepOther = (field: string) => page.getByRole("radio", { name: `${field}: keep the other record's value` });
    const keepThis = (field: string) => page.getByRole("radio", { name: `${field}: keep this record's value` });
    expect(await keepThis("Email").isChecked()).toBe(true);
    expect(await keepOther("Phone").isChecked()).toBe(true);
    expect(await keepThis("Title").isChecked()).toBe(true);
    await keepOther("First name").check();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "merge-screen");

    await page.getByRole("button", { name: /^Merge into / }).click();
    await page.waitForURL(`${s.url}/records/contacts/${a.id}`);
    await page.getByRole("heading", { name: "Merged into this contact" }).waitFor();
    const survivor = await s.get(`/api/v1/contacts/${a.id}`);
    expect(survivor).toMatchObject({ first_name: "Grace M.", title: "Rear Admiral", email: "grace@navy.test", phone: "+12025550143" });
    expect((await s.get(`/api/v1/tasks/${task.id}`)).related_id).toBe(a.id);
    expect(await s.get(`/api/v1/contacts/${b.id}`)).toMatchObject({ id: a.id, merged_from: { id: b.id } });
    await screenshot(page, "merge-record-page");

    await page.getByRole("button", { name: /Undo merge/ }).click();
    await page.getByRole("heading", { name: "Merged into this contact" }).waitFor({ state: "detached" });
    expect(await s.get(`/api/v1/contacts/${a.id}`)).toMatchObject({ first_name: "Grace", title: "Rear Admiral", email: "grace@navy.test" });
    expect((await s.get(`/api/v1/contacts/${a.id}`)).phone).toBeUndefined();
    expect(await s.get(`/api/v1/contacts/${b.id}`)).toMatchObject({ id: b.id, first_name: "Grace M.", phone: "+12025550143" });
    expect((await s.get(`/api/v1/tasks/${task.id}`)).related_id).toBe(b.id);
    expect(problems).toEqual([]);
  }, 60_000);
});

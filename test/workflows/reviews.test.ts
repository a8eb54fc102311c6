/**
 * Workflow reviews and overrides on both stores (issue 19, item 5; docs/workflows.md "Reviews and
 * overrides"), on a simulated clock: publishing needs a description and gives the workflow its
 * review, owned by its publisher and due a quarter later; a due review gives the owner exactly one
 * notification and one task however often and from however many processes the due check runs;
 * marking it reviewed keeps who, when and the note, moves the date on and closes the task; the
 * attacker's cases (a rep who is not the owner, another workspace) change nothing; overrides count
 * a person's change of a field a workflow set within 7 days, and not one outside the window, not
 * one a person made over another person, nor another workflow's write.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallContext } from "../../src/app/context.js";
import { systemContext } from "../../src/app/context.js";
import { AppError } from "../../src/app/errors.js";
import { ulidGenerator } from "../../src/app/ports.js";
import { findOverrides } from "../../src/app/workflows/overrides.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { StoredRecord } from "../../src/store/ports.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const DAY = 86_400_000;
const START = Date.parse("2026-01-15T10:00:00.000Z");

class SimClock {
  constructor(public ms: number) {}
  now = () => new Date(this.ms);
}

const manual = (key: string, description?: string) => ({
  key,
  name: `Workflow ${key}`,
  object: "lead",
  ...(description !== undefined ? { description } : {}),
  trigger: { type: "manual" },
  start: "note",
  steps: { note: { type: "action", action: { type: "add_activity", activity_type: "note", subject: "noted" } } },
});

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(e instanceof AppError)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`workflow reviews on ${kind.name}`, () => {
    let t: TestStore;
    let s: Services;
    let other: Services;
    const clock = new SimClock(START);
    let ws: string;
    let admin: CallContext;
    let ada: StoredRecord;
    let bob: StoredRecord;
    let asAda: CallContext;
    let asBob: CallContext;
    let workflowId: string;

    beforeAll(async () => {
      t = await kind.open();
      s = buildServices(t.store, clock, ulidGenerator());
      // A second process on the same database: its own services, its own due check.
      other = buildServices(t.store, clock, ulidGenerator());
      ws = (await s.workspaces.create("reviews", "Reviews")).id;
      admin = systemContext(ws);
      [ada, bob] = (await s.writer.createMany(admin, "user", [
        { name: "Ada Admin", email: "ada@reviews.test", role: "admin" },
        { name: "Bob Rep", email: "bob@reviews.test", role: "rep" },
      ])) as [StoredRecord, StoredRecord];
      asAda = { ...admin, role: "admin", actor: { kind: "person", id: ada.id } };
      asBob = { ...admin, role: "rep", actor: { kind: "person", id: bob.id } };
    });
    afterAll(async () => t?.dispose());

    it("refuses to publish without a description, naming the path; publishes with one and gives it a review", async () => {
      const saved = await s.workflows.saveDraft(asAda, manual("undescribed"));
      expect(saved.versions[0]?.state).toBe("draft");
      const refused = await refusal(s.workflows.publish(asAda, saved.workflow.id));
      expect(refused.kind).toBe("validation");
      expect(refused.issues.map((i) => i.path.join("."))).toEqual(["description"]);
      expect((await s.workflows.get(asAda, saved.workflow.id)).workflow.liveVersion).toBeNull();
      expect(await t.store.reviews.getReview(ws, saved.workflow.id)).toBeUndefined();

      await s.workflows.saveDraft(asAda, manual("undescribed", "   "));
      expect((await refusal(s.workflows.publish(asAda, saved.workflow.id))).issues[0]?.path).toEqual(["description"]);

      await s.workflows.saveDraft(asAda, manual("undescribed", "Leads get a note so reps see they were touched."));
      const published = await s.workflows.publish(asAda, saved.workflow.id);
      workflowId = saved.workflow.id;
      expect(published.workflow.liveVersion).toBe(1);
      const review = await t.store.reviews.getReview(ws, workflowId);
      expect(review).toMatchObject({ ownerId: ada.id, intervalMonths: 3, nextReviewAt: "2026-04-15T10:00:00.000Z", notifiedFor: null });
    });

    it("a due review gives its owner one notification and one task, however often and from however many workers the check runs", async () => {
      clock.ms = Date.parse("2026-04-15T10:00:00.000Z") - 1;
      expect(await s.reviewsDue.fireDue()).toBe(0);
      clock.ms = Date.parse("2026-04-16T08:00:00.000Z");
      const fired = await Promise.all([s.reviewsDue.fireDue(), other.reviewsDue.fireDue(), s.reviewsDue.fireDue()]);
      expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await other.reviewsDue.fireDue()).toBe(0);

      const notes = await t.store.notifications.listNotifications({ workspaceId: ws, userId: ada.id, limit: 50 });
      expect(notes).toHaveLength(1);
      expect(notes[0]?.message).toContain("Workflow undescribed");
      const tasks = (await s.records.list(admin, "task", { limit: 50 })).items.map((i) => i.record);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]?.data).toMatchObject({
        subject: "Review workflow Workflow undescribed",
        owner_id: ada.id,
        status: "open",
        due_at: "2026-04-15T10:00:00.000Z",
      });
      expect(String(tasks[0]?.data.description)).toContain(`/workflows/${workflowId}`);
      expect(notes[0]?.recordId).toBe(tasks[0]?.id);

      const list = await s.reviews.list(admin, { overdue: true });
      expect(list.map((i) => i.workflow.id)).toEqual([workflowId]);
      expect(list[0]?.dueInDays).toBe(-1);
    });

    it("refuses a rep who is not the owner, and another workspace, writing nothing", async () => {
      const before = await t.store.reviews.getReview(ws, workflowId);
      expect((await refusal(s.reviews.markReviewed(asBob, workflowId, "looks fine"))).kind).toBe("forbidden");
      expect((await refusal(s.reviews.update(asBob, workflowId, { intervalMonths: 12 }))).kind).toBe("forbidden");
      const otherWs = (await s.workspaces.create("elsewhere", "Elsewhere")).id;
      const stranger: CallContext = { ...systemContext(otherWs), role: "admin" };
      expect((await refusal(s.reviews.markReviewed(stranger, workflowId, "mine now"))).kind).toBe("not_found");
      expect((await refusal(s.reviews.update(stranger, workflowId, { ownerId: null }))).kind).toBe("not_found");
      expect(await t.store.reviews.getReview(ws, workflowId)).toEqual(before);
      expect(await t.store.reviews.listReviewHistory(ws, workflowId, 10)).toEqual([]);
      // The owner's own blank note is refused with its path.
      expect((await refusal(s.reviews.markReviewed(asAda, workflowId, "  "))).issues[0]?.path).toEqual(["note"]);
      expect((await refusal(s.reviews.update(asAda, workflowId, { intervalMonths: 5 }))).issues[0]?.path).toEqual(["interval_months"]);
      expect((await refusal(s.reviews.update(asAda, workflowId, { ownerId: "nobody" }))).issues[0]?.path).toEqual(["owner_id"]);
    });

    it("mark reviewed keeps who, when and the note, moves the date on by the interval and closes the task", async () => {
      clock.ms = Date.parse("2026-04-17T09:00:00.000Z");
      const detail = await s.reviews.markReviewed(asAda, workflowId, "Still needed: reps rely on the note.");
      expect(detail.history).toHaveLength(1);
      expect(detail.history[0]).toMatchObject({
        reviewedBy: `person:${ada.id}`,
        reviewerName: "Ada Admin",
        reviewedAt: "2026-04-17T09:00:00.000Z",
        dueAt: "2026-04-15T10:00:00.000Z",
        note: "Still needed: reps rely on the note.",
      });
      expect(detail.status?.review.nextReviewAt).toBe("2026-07-17T09:00:00.000Z");
      expect(detail.status?.overdue).toBe(false);
      const tasks = (await s.records.list(admin, "task", { limit: 50 })).items.map((i) => i.record);
      expect(tasks.map((r) => r.data.status)).toEqual(["done"]);
      expect(await s.reviews.list(admin, { overdue: true })).toEqual([]);

      // The next due date is a new one: one more notification and task, once.
      clock.ms = Date.parse("2026-07-18T00:00:00.000Z");
      expect(await s.reviewsDue.fireDue()).toBe(1);
      expect(await s.reviewsDue.fireDue()).toBe(0);
      expect(await t.store.notifications.listNotifications({ workspaceId: ws, userId: ada.id, limit: 50 })).toHaveLength(2);

      // An admin changes the interval: the next date is the last review plus it.
      const changed = await s.reviews.update(asAda, workflowId, { intervalMonths: 1, ownerId: bob.id });
      expect(changed.status?.review).toMatchObject({ intervalMonths: 1, ownerId: bob.id, nextReviewAt: "2026-05-17T09:00:00.000Z" });
      // Bob owns it now: a rep who owns it may mark it reviewed.
      const byBob = await s.reviews.markReviewed(asBob, workflowId, "Checked with the team.");
      expect(byBob.history[0]?.reviewerName).toBe("Bob Rep");
    });

    it("counts a person's change of a field a workflow set within 7 days — not outside it, not over a person, not another workflow's", async () => {
      const w2 = await s.workflows.saveDraft(asAda, manual("second", "A second rule, to tell workflows apart."));
      await s.workflows.publish(asAda, w2.workflow.id);
      const asWorkflow = (id: string): CallContext => ({ ...admin, actor: { kind: "workflow", id } });
      const base = Date.parse("2026-08-01T09:00:00.000Z");
      clock.ms = base;
      const [inside, outside, overPerson, byWorkflow] = await s.writer.createMany(admin, "lead", [
        { last_name: "Inside", owner_id: ada.id },
        { last_name: "Outside", owner_id: ada.id },
        { last_name: "Over a person", owner_id: ada.id },
        { last_name: "By a workflow", owner_id: ada.id },
      ]);
      const set = (ctx: CallContext, r: StoredRecord | undefined, owner: string) =>
        s.writer.update(ctx, "lead", { id: (r as StoredRecord).id, fields: { owner_id: owner } });
      // The workflow sets the owner of all four.
      for (const r of [inside, outside, overPerson, byWorkflow]) await set(asWorkflow(workflowId), r, bob.id);
      clock.ms = base + 2 * DAY;
      await set(asAda, inside, ada.id); // an override
      await set(asAda, overPerson, ada.id); // an override too…
      await set(asWorkflow(w2.workflow.id), byWorkflow, ada.id); // another workflow: not a person
      clock.ms = base + 3 * DAY;
      await set(asBob, overPerson, bob.id); // …but this one changes a person's value: not an override
      clock.ms = base + 9 * DAY;
      await set(asAda, outside, ada.id); // 9 days after the workflow: outside the window

      const detail = await s.reviews.detail(admin, workflowId);
      expect(detail.overrides.count).toBe(2);
      expect(detail.overrides.latest.map((o) => [o.recordTitle, o.field, o.workflowValue, o.personValue, o.byName])).toEqual([
        ["Over a person", "owner_id", bob.id, ada.id, "Ada Admin"],
        ["Inside", "owner_id", bob.id, ada.id, "Ada Admin"],
      ]);
      expect((await s.reviews.detail(admin, w2.workflow.id)).overrides.count).toBe(0);
      const listed = await s.reviews.list(admin);
      expect(listed.find((i) => i.workflow.id === workflowId)?.overrides).toBe(2);

      // 31 days on, they have left the 30-day period.
      clock.ms = base + 33 * DAY;
      expect((await s.reviews.detail(admin, workflowId)).overrides.count).toBe(0);
    });
  });
}

describe("findOverrides", () => {
  const row = (seq: number, actorKind: string, actorId: string, at: string, value: string, action = "update") => ({
    seq,
    recordId: "r1",
    object: "lead",
    actorKind,
    actorId,
    action,
    at,
    changes: [{ field: "status", old: null, new: value }],
  });
  it("does not count a person moving on a record a workflow created (its task done): starting values are not decisions", () => {
    const created = row(1, "workflow", "w", "2026-01-01T00:00:00.000Z", "open", "create");
    const done = row(2, "person", "p", "2026-01-01T00:10:00.000Z", "done");
    expect(findOverrides([created, done], "2025-12-01T00:00:00.000Z")).toEqual([]);
    // The same change after the workflow's update of the field is an override.
    const updated = row(1, "workflow", "w", "2026-01-01T00:00:00.000Z", "open");
    expect(findOverrides([updated, done], "2025-12-01T00:00:00.000Z")).toHaveLength(1);
  });
  it("needs the workflow's value changed: setting the same value again overrides nothing", () => {
    const rows = [row(1, "workflow", "w", "2026-01-01T00:00:00.000Z", "open"), row(2, "person", "p", "2026-01-02T00:00:00.000Z", "open")];
    expect(findOverrides(rows, "2025-12-01T00:00:00.000Z")).toEqual([]);
  });
  it("counts the change at the edge of the window and not a millisecond after", () => {
    const at = "2026-01-08T00:00:00.000Z";
    expect(
      findOverrides([row(1, "workflow", "w", "2026-01-01T00:00:00.000Z", "a"), row(2, "person", "p", at, "b")], "2025-12-01T00:00:00.000Z"),
    ).toHaveLength(1);
    const late = "2026-01-08T00:00:00.001Z";
    expect(
      findOverrides(
        [row(1, "workflow", "w", "2026-01-01T00:00:00.000Z", "a"), row(2, "person", "p", late, "b")],
        "2025-12-01T00:00:00.000Z",
      ),
    ).toEqual([]);
  });
});

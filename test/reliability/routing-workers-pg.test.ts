/**
 * A queue's rotation under concurrency on PostgreSQL (issue 16): two `handoff worker` processes
 * run a workflow that assigns each of 2,000 new leads through one round-robin queue of four.
 * Every assignment locks the queue's state (FOR UPDATE), so the rotation neither repeats nor
 * skips a slot: each member gets exactly 500, the state ends on the fourth member, and every
 * lead has exactly one assignment record, naming the owner it has.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { Store } from "../../src/store/ports.js";
import { openPostgresStore } from "../../src/store/postgres/postgres-store.js";
import { assertBuilt } from "../cli/process.js";
import { createPgDatabase, SKIP_PG } from "../helpers/stores.js";
import { startWorker, waitFor } from "../helpers/workers.js";

const LEADS = 2_000;
const MEMBERS = 4;
const TEAM_LEADS = 800;

describe.skipIf(SKIP_PG)("a queue's rotation with two workers on PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let store: Store;
  let s: Services;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    assertBuilt();
    db = await createPgDatabase();
    store = openPostgresStore({ connectionString: db.url, now: () => new Date().toISOString() });
    await store.migrate();
    s = buildServices(store);
    workers.push(startWorker(db.url, 10000), startWorker(db.url, 10000));
  });
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await store?.close();
    await db?.drop();
  });

  it("gives 2,000 leads out in turn, each slot once, with one reason record per lead", { timeout: 300_000 }, async () => {
    const ws = await s.workspaces.create("rotation", "Rotation test");
    const ctx = systemContext(ws.id);
    const reps = await s.writer.createMany(
      ctx,
      "user",
      Array.from({ length: MEMBERS }, (_, i) => ({ name: `Rep ${i}`, email: `rep${i}@rotation.test`, role: "rep" })),
    );
    const members = reps.map((r) => r.id).sort();
    await s.routing.queues.create(ctx, {
      name: "Inbound",
      strategy: "round_robin",
      respect_availability: false,
      members: members.map((user_id) => ({ user_id })),
    });
    const saved = await s.workflows.saveDraft(ctx, {
      key: "route-inbound",
      name: "Route inbound leads",
      description: "Why it exists: a test fixture (publishing needs a description).",
      object: "lead",
      trigger: { type: "record_created" },
      // The pause hands every assignment to the executors of both processes (a run's first steps
      // may otherwise be taken in the matcher's transaction, one matcher at a time).
      start: "pause",
      steps: {
        pause: { type: "delay", duration: { seconds: 1 }, next: "assign" },
        assign: { type: "action", action: { type: "assign_owner", to: { queue: "Inbound" } }, next: "done" },
        done: { type: "end" },
      },
    });
    await s.workflows.publish(ctx, saved.workflow.id);

    const rows = Array.from({ length: LEADS }, (_, i) => ({ last_name: `L${i}` }));
    for (let i = 0; i < LEADS; i += 250) await s.writer.createMany(ctx, "lead", rows.slice(i, i + 250), { max: 250 });

    const completed = async () => (await store.runs.queryRuns({ workspaceId: ws.id, status: "completed", limit: LEADS + 10 })).length;
    await waitFor("every lead's run to complete", async () => (await completed()) === LEADS, 240_000);

    const assignments = await store.routing.recentAssignments(ws.id, LEADS + 100);
    expect(assignments).toHaveLength(LEADS);
    expect(new Set(assignments.map((a) => a.recordId)).size).toBe(LEADS);
    expect(assignments.every((a) => a.outcome === "assigned" && a.source.kind === "workflow")).toBe(true);

    const perMember = new Map<string, number>();
    for (const a of assignments) perMember.set(a.userId ?? "none", (perMember.get(a.userId ?? "none") ?? 0) + 1);
    expect(Object.fromEntries(perMember)).toEqual(Object.fromEntries(members.map((m) => [m, LEADS / MEMBERS])));

    // 2,000 slots over four members in id order: the last slot was the fourth member's.
    const state = await store.transaction((tx) => tx.routing.lockQueueState(ws.id, (assignments[0]?.queue?.id ?? "") as string));
    expect(state).toEqual({ last: members[MEMBERS - 1] });

    // Each lead's owner is the one its reason record names.
    const owners = new Map<string, unknown>();
    let cursor: string | undefined;
    do {
      const page = await s.records.list(ctx, "lead", { limit: 500, ...(cursor ? { cursor } : {}) });
      for (const { record } of page.items) owners.set(record.id, record.data.owner_id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(assignments.every((a) => owners.get(a.recordId) === a.userId)).toBe(true);
  });

  it("rotates a team (round_robin_team) under its lock too: each member gets exactly the same share", {
    timeout: 300_000,
  }, async () => {
    const ws = await s.workspaces.create("team-rotation", "Team rotation test");
    const ctx = systemContext(ws.id);
    const team = await s.writer.create(ctx, "team", { name: "Desk" });
    const reps = await s.writer.createMany(
      ctx,
      "user",
      Array.from({ length: MEMBERS }, (_, i) => ({ name: `Rep ${i}`, email: `rep${i}@team.test`, role: "rep", team_id: team.id })),
    );
    const saved = await s.workflows.saveDraft(ctx, {
      key: "route-to-desk",
      name: "Route to the desk",
      description: "Why it exists: a test fixture (publishing needs a description).",
      object: "lead",
      trigger: { type: "record_created" },
      start: "pause",
      steps: {
        pause: { type: "delay", duration: { seconds: 1 }, next: "assign" },
        assign: { type: "action", action: { type: "assign_owner", to: { round_robin_team: "Desk" } }, next: "done" },
        done: { type: "end" },
      },
    });
    await s.workflows.publish(ctx, saved.workflow.id);
    const count = TEAM_LEADS;
    const rows = Array.from({ length: count }, (_, i) => ({ last_name: `T${i}` }));
    for (let i = 0; i < count; i += 250) await s.writer.createMany(ctx, "lead", rows.slice(i, i + 250), { max: 250 });
    const completed = async () => (await store.runs.queryRuns({ workspaceId: ws.id, status: "completed", limit: count + 10 })).length;
    await waitFor("every lead's run to complete", async () => (await completed()) === count, 240_000);

    // Without the team's lock two workers could read the same rotation and give one slot twice:
    // the shares would then be uneven.
    const perMember = new Map<string, number>();
    let cursor: string | undefined;
    do {
      const page = await s.records.list(ctx, "lead", { limit: 500, ...(cursor ? { cursor } : {}) });
      for (const { record } of page.items) {
        const owner = String(record.data.owner_id);
        perMember.set(owner, (perMember.get(owner) ?? 0) + 1);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(Object.fromEntries(perMember)).toEqual(Object.fromEntries(reps.map((r) => [r.id, count / MEMBERS])));
  });
});

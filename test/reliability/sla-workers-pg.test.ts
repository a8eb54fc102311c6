/**
 * SLA milestones under concurrency on PostgreSQL (issue 17): two `handoff worker` processes share
 * one database while 1,000 tickets' first-response clocks (1 minute on a 24×7 calendar, warning
 * at half) warn and breach within the same minute. Both workers claim due clocks (FOR UPDATE
 * SKIP LOCKED, a lease by the database clock, the write fenced by version and lease owner), so
 * each milestone must fire exactly once: one `sla.warning` and one `sla.breached` event per
 * clock, one history row each, and one run — one note — per milestone of the workflow that
 * triggers on them.
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

const TICKETS = 1_000;

describe.skipIf(SKIP_PG)("SLA milestones with two workers on PostgreSQL", () => {
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
    workers.push(startWorker(db.url, 100_000), startWorker(db.url, 100_000));
  });
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await store?.close();
    await db?.drop();
  });

  it("fires each of 2,000 milestones due in the same minute once, and runs its workflow once", { timeout: 300_000 }, async () => {
    const ws = await s.workspaces.create("sla-workers", "SLA workers");
    const ctx = systemContext(ws.id);
    await s.slaPolicies.create(ctx, {
      name: "One minute",
      object: "ticket",
      starts: { on: "created" },
      stops: { on: "field_value", field: "status", in: ["resolved"] },
      target: { minutes: 1 },
      warning: { fraction: 0.5 },
    });
    const saved = await s.workflows.saveDraft(ctx, {
      key: "sla-note",
      name: "Note each milestone",
      description: "Why it exists: a test fixture (publishing needs a description).",
      object: "ticket",
      reenrollment: true,
      trigger: { type: "sla", policy: "One minute", milestones: ["warning", "breach"] },
      // The pause hands the notes to the executors of both processes.
      start: "pause",
      steps: {
        pause: { type: "delay", duration: { seconds: 1 }, next: "note" },
        note: { type: "action", action: { type: "add_activity", activity_type: "note", subject: "SLA milestone" } },
      },
    });
    await s.workflows.publish(ctx, saved.workflow.id);
    const rows = Array.from({ length: TICKETS }, (_, i) => ({ subject: `T${i}` }));
    for (let i = 0; i < TICKETS; i += 250) await s.writer.createMany(ctx, "ticket", rows.slice(i, i + 250), { max: 250 });

    const notes = async () => (await allNotes()).length;
    const allNotes = async () => {
      const out: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await s.records.list(ctx, "activity", {
          filter: { field: "type", op: "eq", value: "note" },
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        out.push(...page.items.map((i) => String(i.record.data.related_id)));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    };
    await waitFor("a note for each of the 2,000 milestones", async () => (await notes()) >= 2 * TICKETS, 240_000);
    // Anything fired twice would show up meanwhile.
    await new Promise((r) => setTimeout(r, 3_000));

    const related = await allNotes();
    expect(related).toHaveLength(2 * TICKETS);
    const perTicket = new Map<string, number>();
    for (const id of related) perTicket.set(id, (perTicket.get(id) ?? 0) + 1);
    expect(perTicket.size).toBe(TICKETS);
    expect([...perTicket.values()].every((n) => n === 2)).toBe(true);

    const events = (await store.events.readEvents(0, 100_000, ws.id)).filter((e) => e.type.startsWith("sla."));
    expect(events.filter((e) => e.type === "sla.warning")).toHaveLength(TICKETS);
    expect(events.filter((e) => e.type === "sla.breached")).toHaveLength(TICKETS);
    const keys = new Set(events.map((e) => `${e.detail?.clock_id}:${e.detail?.milestone}`));
    expect(keys.size).toBe(2 * TICKETS);

    const clocks = await store.sla.listOpenSlaClocks({ workspaceId: ws.id, limit: 2 * TICKETS });
    expect(clocks).toHaveLength(TICKETS);
    expect(clocks.every((c) => c.fired.join() === "warning,breach" && c.nextDueAt === null && c.version === 3)).toBe(true);
    const histories = await store.sla.slaClockHistories(
      ws.id,
      clocks.map((c) => c.id),
    );
    expect([...histories.values()].every((h) => h.map((x) => `${x.seq}:${x.kind}`).join() === "1:started,2:warned,3:breached")).toBe(true);
    const runs = await store.runs.queryRuns({ workspaceId: ws.id, limit: 3 * TICKETS });
    expect(runs).toHaveLength(2 * TICKETS);
    expect(new Set(runs.map((r) => r.triggerKey)).size).toBe(2 * TICKETS);
  });
});

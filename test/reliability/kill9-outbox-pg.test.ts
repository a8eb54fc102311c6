/**
 * At-least-once delivery across a crash, on PostgreSQL, with the real `handoff worker` process
 * (dist/cli/main.js: worker + dispatcher, as deployed) and the workspace's connector stored in
 * the database (settings and sealed bearer token, opened by the worker with the same
 * HANDOFF_MASTER_KEY). The worker sends an http_request; the receiver holds its answer; the test
 * SIGKILLs the worker after the request arrived and before any outcome could be recorded, then
 * starts a new one. The new process retries once the dead one's outbox lease (15 s by default)
 * lapses — with the same Idempotency-Key — and the run takes its step's outcome exactly once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { SecretBox } from "../../src/app/secrets/secret-box.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { Store } from "../../src/store/ports.js";
import { openPostgresStore } from "../../src/store/postgres/postgres-store.js";
import { assertBuilt, CLI, cliEnv } from "../cli/process.js";
import { eventually } from "../helpers/eventually.js";
import { createPgDatabase, SKIP_PG } from "../helpers/stores.js";
import { type Receiver, startReceiver } from "../outbox/receiver.js";

const TOKEN = "kill9-token-5d1e";
const MASTER_KEY = randomBytes(32);

describe.skipIf(SKIP_PG)("kill -9 of a `handoff worker` during an HTTP delivery on PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let store: Store;
  let s: Services;
  let rx: Receiver;
  const workers: ChildProcess[] = [];

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, [CLI, "worker"], {
      env: cliEnv({
        DATABASE_URL: db.url,
        HANDOFF_MASTER_KEY: MASTER_KEY.toString("base64"),
        HANDOFF_EGRESS_ALLOW: `127.0.0.1:${rx.port}`,
        LOG_LEVEL: "warn",
      }),
      stdio: ["ignore", "ignore", "inherit"],
    });
    workers.push(child);
    return child;
  }

  beforeAll(async () => {
    assertBuilt();
    db = await createPgDatabase();
    store = openPostgresStore({ connectionString: db.url, now: () => new Date().toISOString() });
    await store.migrate();
    // This process only writes records and settings and reads results; it runs no worker or dispatcher.
    s = buildServices(store, undefined, undefined, { secretBox: new SecretBox(MASTER_KEY) });
    rx = await startReceiver();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
    await rx?.close();
    await store?.close();
    await db?.drop();
  });

  it("retries with the same Idempotency-Key after the crash and the run finishes once", { timeout: 240_000 }, async () => {
    const ws = await s.workspaces.create("crash-outbox", "Crash outbox");
    const ctx = systemContext(ws.id);
    // The connector as an admin stores it: settings in the clear, the token sealed under the master key.
    const connector = await s.connectors.create(ctx, {
      key: "enrichment",
      kind: "http",
      config: { base_url: rx.url, auth: { type: "bearer" } },
      secrets: { token: TOKEN },
    });
    expect(connector.secrets).toEqual({ token: "set" });
    const saved = await s.workflows.saveDraft(ctx, {
      key: "enrich",
      name: "Enrich",
      description: "Why it exists: a test fixture (publishing needs a description).",
      object: "company",
      trigger: { type: "record_created" },
      start: "call",
      steps: {
        call: {
          type: "action",
          action: { type: "http_request", connector: "enrichment", path: "/enrich", map_response: { industry: "/industry" } },
          next: "score",
        },
        score: { type: "action", action: { type: "create_task", subject: "Enriched {{ record.name }}" }, next: "done" },
        done: { type: "end" },
      },
    });
    await s.workflows.publish(ctx, saved.workflow.id);

    // The first request is held: its sender dies waiting for the answer.
    rx.script("/enrich", (_req, nth) => (nth === 1 ? "hold" : { status: 200, body: { industry: "Energy" } }));
    const victim = startWorker();
    const [company] = await s.writer.createMany(ctx, "company", [{ name: "Crashy" }], {});
    const id = company?.id as string;
    await eventually("the receiver to get the first request", async () => (rx.to("/enrich").length >= 1 ? true : undefined), 30_000);
    const exited = new Promise((resolve) => victim.once("exit", resolve));
    victim.kill("SIGKILL");
    await exited;
    const killedAt = Date.now();
    const [item] = await store.outbox.listOutbox({ workspaceId: ws.id, limit: 10 });
    expect(item).toMatchObject({ status: "pending", attempts: 1 });

    startWorker();
    const delivered = await eventually(
      "the item to be delivered by the new worker",
      async () => {
        const o = await store.outbox.getOutboxItem(ws.id, item?.id ?? "");
        return o?.status === "delivered" ? o : undefined;
      },
      150_000,
    );
    expect(delivered.attempts).toBe(2);
    // Taken over within one lease (engineering.md §3.5: target ≤ 30 s), not after some longer timeout.
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    const calls = rx.to("/enrich");
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.headers["idempotency-key"])).toEqual([delivered.key, delivered.key]);
    // Both processes opened the sealed token with the configured master key.
    expect(calls.map((c) => c.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);

    const run = await eventually(
      "the run to complete",
      async () => (await store.runs.queryRuns({ workspaceId: ws.id, recordId: id, limit: 5 })).find((r) => r.state.status === "completed"),
      60_000,
    );
    const steps = await store.runs.listRunSteps(ws.id, run.id);
    expect(steps.map((x) => [x.step, x.outcome])).toEqual([
      ["call", "enqueued"],
      ["call", "succeeded"],
      ["score", "applied"],
      ["done", "completed"],
    ]);
    expect((await store.records.getRecord(ws.id, id))?.data.industry).toBe("Energy");
    const tasks = await store.records.queryRecords({
      workspaceId: ws.id,
      object: "task",
      filter: { field: { name: "related_id", type: "reference", label: "related" }, op: "eq", value: id },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: 10,
    });
    expect(tasks).toHaveLength(1);
  });
});

/**
 * At-least-once delivery across a crash, on PostgreSQL: a worker process (worker + dispatcher)
 * sends an http_request; the receiver holds its answer; the test SIGKILLs the worker after the
 * request arrived and before any outcome could be recorded, then starts a new one. The new
 * process retries once the dead one's lease lapses — with the same Idempotency-Key — and the run
 * takes its step's outcome exactly once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { Store } from "../../src/store/ports.js";
import { openPostgresStore } from "../../src/store/postgres/postgres-store.js";
import { assertBuilt, cliEnv } from "../cli/process.js";
import { eventually } from "../helpers/eventually.js";
import { createPgDatabase, SKIP_PG } from "../helpers/stores.js";
import { type Receiver, startReceiver } from "../outbox/receiver.js";

const FIXTURE = fileURLToPath(new URL("../outbox/fixtures/dispatch-worker.mjs", import.meta.url));
const TOKEN = "kill9-token-5d1e";

describe.skipIf(SKIP_PG)("kill -9 of a worker during an HTTP delivery on PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let store: Store;
  let s: Services;
  let rx: Receiver;
  const workers: ChildProcess[] = [];

  function startWorker(): Promise<ChildProcess> {
    const arg = JSON.stringify({ databaseUrl: db.url, receiverUrl: rx.url, receiverPort: rx.port, token: TOKEN });
    const child = spawn(process.execPath, [FIXTURE, arg], { env: cliEnv(), stdio: ["ignore", "pipe", "inherit"] });
    workers.push(child);
    return new Promise((resolve, reject) => {
      child.stdout?.once("data", () => resolve(child));
      child.once("exit", (code) => reject(new Error(`worker exited early (${code})`)));
    });
  }

  beforeAll(async () => {
    assertBuilt();
    db = await createPgDatabase();
    store = openPostgresStore({ connectionString: db.url, now: () => new Date().toISOString() });
    await store.migrate();
    // This process only writes records and reads results; it runs no worker or dispatcher.
    s = buildServices(store, undefined, undefined, {
      connectors: {
        resolve: async (_ws, key) => (key === "enrichment" ? { id: "c1", key, kind: "http", config: {}, secrets: {} } : undefined),
      },
    });
    rx = await startReceiver();
  });
  afterAll(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await rx?.close();
    await store?.close();
    await db?.drop();
  });

  it("retries with the same Idempotency-Key after the crash and the run finishes once", { timeout: 120_000 }, async () => {
    const ws = await s.workspaces.create("crash-outbox", "Crash outbox");
    const ctx = systemContext(ws.id);
    const saved = await s.workflows.saveDraft(ctx, {
      key: "enrich",
      name: "Enrich",
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
    const victim = await startWorker();
    const [company] = await s.writer.createMany(ctx, "company", [{ name: "Crashy" }], {});
    const id = company?.id as string;
    await eventually("the receiver to get the first request", async () => (rx.to("/enrich").length >= 1 ? true : undefined), 30_000);
    const exited = new Promise((resolve) => victim.once("exit", resolve));
    victim.kill("SIGKILL");
    await exited;
    const [item] = await store.listOutbox({ workspaceId: ws.id, limit: 10 });
    expect(item).toMatchObject({ status: "pending", attempts: 1 });

    await startWorker();
    const delivered = await eventually(
      "the item to be delivered by the new worker",
      async () => {
        const o = await store.getOutboxItem(ws.id, item?.id ?? "");
        return o?.status === "delivered" ? o : undefined;
      },
      60_000,
    );
    expect(delivered.attempts).toBe(2);
    const calls = rx.to("/enrich");
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.headers["idempotency-key"])).toEqual([delivered.key, delivered.key]);

    const run = await eventually(
      "the run to complete",
      async () => (await store.queryRuns({ workspaceId: ws.id, recordId: id, limit: 5 })).find((r) => r.state.status === "completed"),
      60_000,
    );
    const steps = await store.listRunSteps(ws.id, run.id);
    expect(steps.map((x) => [x.step, x.outcome])).toEqual([
      ["call", "enqueued"],
      ["call", "succeeded"],
      ["score", "applied"],
      ["done", "completed"],
    ]);
    expect((await store.getRecord(ws.id, id))?.data.industry).toBe("Energy");
    const tasks = await store.queryRecords({
      workspaceId: ws.id,
      object: "task",
      filter: { field: { name: "related_id", type: "reference", label: "related" }, op: "eq", value: id },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: 10,
    });
    expect(tasks).toHaveLength(1);
  });
});

/**
 * `npm run bench:burst` — issue 12's burst test: a burst of qualifying leads (score > 40,
 * employee_count > 10) created as fast as the API takes them, on PostgreSQL, with the
 * speed-to-lead recipe published, two `handoff worker` processes, one of them killed with
 * SIGKILL once a third of the runs have started, and started again. The rate cap must defer the
 * enrolments over it, never drop one: every lead gets exactly one speed-to-lead run, every run
 * starts (takes its first step), in the order of the leads' events, and no lead gets its call
 * task twice.
 *
 * Processes: `handoff serve --no-worker` (the API the leads are posted to) and `handoff worker`
 * × --workers, all from dist/ on a scratch database; the bench process sets up the workspace
 * (team, reps, their queue, mail catcher for the auto-reply, the recipe) and reads the results with SQL.
 *
 * Prints JSON lines on stdout: one per phase (`created`, `enrolled`, `killed`, `restarted`,
 * `started`, `waiting_for_call`) and a last `result` line with the invariants (`missing`, `duplicated_runs`,
 * `duplicated_tasks`, `not_started`, `dropped_by_rate_cap`, `max_out_of_order_ms`,
 * `max_starts_per_window`: first steps by the executor's clock, so a slot due at the end of a
 * window may count in the next) and `ok`. Exits 1 when an invariant does not hold.
 *
 * Options: --leads N (10000), --cap N runs per window (HANDOFF_WORKFLOW_RATE_CAP, default 1000:
 * the burst takes leads / cap windows to start), --window seconds (60), --clients N concurrent
 * API callers (32), --workers N (2), --timeout seconds to wait for every run to start (1800),
 * --quick (60 leads, cap 15 per 2 s, 8 clients: invariants only, no timing — what the test runs).
 * Environment: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { systemContext } from "../app/context.js";
import { buildServices } from "../composition/root.js";
import { startMailCatcher } from "../dev/mail-catcher.js";
import { demoEmailConnector } from "../seed/demo-email.js";
import { DEFAULT_PG_ADMIN_URL, log, postgresScratch } from "./scratch.js";

const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));
const RECIPE = fileURLToPath(new URL("../../recipes/speed-to-lead.json", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const { values } = parseArgs({
  options: {
    leads: { type: "string" },
    cap: { type: "string" },
    window: { type: "string" },
    clients: { type: "string" },
    workers: { type: "string" },
    timeout: { type: "string" },
    quick: { type: "boolean", default: false },
  },
});
const quick = values.quick === true;
const LEADS = Number(values.leads ?? (quick ? 60 : 10_000));
const CAP = Number(values.cap ?? (quick ? 15 : 1_000));
const WINDOW_S = Number(values.window ?? (quick ? 2 : 60));
const CLIENTS = Number(values.clients ?? (quick ? 8 : 32));
const WORKERS = Number(values.workers ?? 2);
const TIMEOUT_S = Number(values.timeout ?? (quick ? 120 : 1_800));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function main() {
  const scratch = await postgresScratch(process.env.BENCH_PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL);
  const children = new Set<ChildProcess>();
  const catcher = await startMailCatcher({ host: "127.0.0.1", port: 0, keep: 10 });
  const sql = new pg.Client({ connectionString: scratch.location });
  try {
    await scratch.store.migrate();
    await sql.connect();
    const s = buildServices(scratch.store);
    const ws = await s.workspaces.create("burst", "Burst");
    const ctx = systemContext(ws.id, "bench:burst");
    const { secret: token } = await s.tokens.create(ws.id, "burst admin", "admin");
    const team = await s.writer.create(ctx, "team", { name: "Americas East" });
    const reps = await s.writer.createMany(
      ctx,
      "user",
      Array.from({ length: 4 }, (_, i) => ({ name: `Rep ${i}`, email: `rep${i}@burst.test`, role: "rep", team_id: team.id })),
    );
    // The queue the recipe assigns through. Whatever the hour the bench runs, every rep may take
    // a lead: it measures the burst, not the reps' working hours.
    await s.routing.queues.create(ctx, {
      name: "Inbound reps",
      strategy: "weighted_round_robin",
      respect_availability: false,
      members: reps.map((r, i) => ({ user_id: r.id, weight: i === 0 ? 2 : 1 })),
    });
    await s.connectors.create(ctx, demoEmailConnector(catcher));
    const saved = await s.workflows.saveDraft(ctx, JSON.parse(readFileSync(RECIPE, "utf8")));
    await s.workflows.publish(ctx, saved.workflow.id);
    const workflowId = saved.workflow.id;

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: "warn",
      DATABASE_URL: scratch.location,
      HANDOFF_WORKFLOW_RATE_CAP: String(CAP),
      HANDOFF_WORKFLOW_RATE_WINDOW: String(WINDOW_S),
      HANDOFF_EGRESS_ALLOW: `127.0.0.1:${catcher.port}`,
    };
    for (const name of ["HANDOFF_DATA_DIR", "PORT", "HOST"]) delete env[name];
    const start = (args: string[]) => {
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "ignore", "inherit"] });
      children.add(child);
      child.once("exit", () => children.delete(child));
      return child;
    };
    start(["serve", "--no-worker", "--port", String(port), "--host", "127.0.0.1"]);
    const workers = Array.from({ length: WORKERS }, () => start(["worker"]));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 300) throw new Error("the API did not start");
      await sleep(100);
    }

    // The burst: every lead qualifies; as fast as the API takes them.
    const t0 = Date.now();
    let next = 0;
    let refused = 0;
    const post = async () => {
      for (let i = next++; i < LEADS; i = next++) {
        const res = await fetch(`${url}/api/v1/leads`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ first_name: "Lead", last_name: `B${i}`, email: `b${i}@lead.test`, score: 50, employee_count: 20 }),
        });
        if (res.status !== 201) refused += 1;
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, post));
    const createdS = (Date.now() - t0) / 1000;
    emit({ phase: "created", leads: LEADS, refused, ...(quick ? {} : { seconds: createdS, per_s: Math.round(LEADS / createdS) }) });

    const count = async (text: string) => Number((await sql.query(text, [workflowId])).rows[0]?.n ?? 0);
    const runs = () => count("select count(*) as n from runs where workflow_id = $1");
    const started = () => count("select count(*) as n from runs where workflow_id = $1 and seq > 0");
    const deadline = Date.now() + TIMEOUT_S * 1000;
    const waitFor = async (what: string, probe: () => Promise<boolean>) => {
      while (!(await probe())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(250);
      }
    };
    await waitFor("every lead's enrolment", async () => (await runs()) >= LEADS);
    emit({ phase: "enrolled", runs: await runs(), started: await started(), ...(quick ? {} : { seconds: (Date.now() - t0) / 1000 }) });

    // Kill one worker once a third of the runs have started, and start it again.
    await waitFor("a third of the runs to start", async () => (await started()) >= LEADS / 3);
    const victim = workers[0] as ChildProcess;
    const exited = new Promise((resolve) => victim.once("exit", resolve));
    victim.kill("SIGKILL");
    await exited;
    emit({ phase: "killed", started: await started(), ...(quick ? {} : { seconds: (Date.now() - t0) / 1000 }) });
    await sleep(2_000);
    workers[0] = start(["worker"]);
    emit({ phase: "restarted" });

    await waitFor("every run to start", async () => (await started()) >= LEADS);
    emit({ phase: "started", started: await started(), ...(quick ? {} : { seconds: (Date.now() - t0) / 1000 }) });
    // Every run past its first actions (owner, call task, auto-reply) and waiting for the call.
    const waiting = () =>
      count(
        `select count(*) as n from runs where workflow_id = $1
         and (state->>'step' = 'wait-for-call' or status in ('completed', 'exited', 'failed', 'cancelled'))`,
      );
    await waitFor("every run to wait for its call", async () => (await waiting()) >= LEADS);
    emit({ phase: "waiting_for_call", runs: await waiting(), ...(quick ? {} : { seconds: (Date.now() - t0) / 1000 }) });

    // The invariants, read with SQL.
    const q = async (text: string, params: unknown[] = [workflowId]) => (await sql.query(text, params)).rows;
    const leads = Number((await q("select count(*) as n from records where workspace_id = $1 and object = 'lead'", [ws.id]))[0]?.n);
    const missing = Number(
      (
        await q(
          `select count(*) as n from records l where l.workspace_id = $2 and l.object = 'lead'
           and not exists (select 1 from runs r where r.workspace_id = l.workspace_id and r.record_id = l.id and r.workflow_id = $1)`,
          [workflowId, ws.id],
        )
      )[0]?.n,
    );
    const duplicatedRuns = (await q("select record_id from runs where workflow_id = $1 group by record_id having count(*) > 1")).length;
    const duplicatedTasks = (
      await q(
        `select data->>'related_id' from records where workspace_id = $1 and object = 'task' and data->>'subject' like 'Call within 5 min%'
         group by 1 having count(*) > 1`,
        [ws.id],
      )
    ).length;
    const tasks = Number(
      (
        await q(
          `select count(*) as n from records where workspace_id = $1 and object = 'task' and data->>'subject' like 'Call within 5 min%'`,
          [ws.id],
        )
      )[0]?.n,
    );
    const notStarted = LEADS - (await started());
    const droppedByRateCap = Number(
      (await q("select count(*) as n from workflow_log where workflow_id = $1 and kind = 'suppressed' and message like 'rate cap%'"))[0]?.n,
    );
    const deferredEntries = Number((await q("select count(*) as n from workflow_log where workflow_id = $1 and kind = 'deferred'"))[0]?.n);
    // First steps in the order of the leads' events: how far any start came before an earlier one's.
    const starts = await q(
      `select e.position, extract(epoch from s."at") * 1000 as at_ms from runs r
       join events e on e.id = r.trigger_key
       join run_steps s on s.workspace_id = r.workspace_id and s.run_id = r.id and s.seq = 1
       where r.workflow_id = $1 order by e.position`,
    );
    let latest = Number.NEGATIVE_INFINITY;
    let maxOutOfOrder = 0;
    const perWindow = new Map<number, number>();
    for (const row of starts) {
      const at = Number(row.at_ms);
      maxOutOfOrder = Math.max(maxOutOfOrder, latest - at);
      latest = Math.max(latest, at);
      const w = Math.floor(at / (WINDOW_S * 1000));
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    }
    const maxPerWindow = Math.max(0, ...perWindow.values());
    const ok =
      leads === LEADS &&
      refused === 0 &&
      missing === 0 &&
      duplicatedRuns === 0 &&
      duplicatedTasks === 0 &&
      tasks === LEADS &&
      notStarted === 0 &&
      droppedByRateCap === 0 &&
      (LEADS <= CAP || deferredEntries > 0);
    emit({
      phase: "result",
      leads,
      runs: await runs(),
      tasks,
      missing,
      duplicated_runs: duplicatedRuns,
      duplicated_tasks: duplicatedTasks,
      not_started: notStarted,
      dropped_by_rate_cap: droppedByRateCap,
      deferred_log_entries: deferredEntries,
      cap: CAP,
      window_s: WINDOW_S,
      windows_used: perWindow.size,
      max_starts_per_window: maxPerWindow,
      starts_per_window: [...perWindow.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n),
      max_out_of_order_ms: Math.round(maxOutOfOrder),
      ...(quick ? {} : { total_seconds: (Date.now() - t0) / 1000 }),
      ok,
    });
    if (!ok) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await sleep(200);
    await sql.end().catch(() => {});
    await catcher.close().catch(() => {});
    await scratch.dispose();
  }
}

main().catch((error) => {
  log(String(error?.stack ?? error));
  process.exit(1);
});

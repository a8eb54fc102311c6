/**
 * `npm run bench:engine` — the workflow engine end to end on SQLite and PostgreSQL
 * (engineering.md §5), with 1,000 published workflows in the workspace.
 *
 * For each store, in one run on a scratch database:
 * - raw_ceiling_per_s: one row per autocommit transaction into a scratch table (raw-table.ts), one client;
 * - events_per_s: N leads created through the RecordWriter by 32 concurrent callers (writes
 *   that arrive together share a commit: group commit), then the worker drained until every
 *   resulting run has completed: event → trigger match → conditions → two internal actions per
 *   run → log, all committed. N / total time;
 * - p50_ms / p99_ms: with the worker running in-process, leads offered at a fixed rate
 *   (default 1,000/s, open loop) for a few seconds; for every run, the time from its event's
 *   commit to the commit of the run's first action;
 * - timer_lateness_p99_ms: 100,000 runs waiting on timers that fall due in the same minute
 *   (spread evenly over 60 s); lateness = commit of the step the timer fired − due time;
 * - same_rows_ceiling_per_s, rows_per_event, commits_per_event: the rows the engine wrote per
 *   event (counted by table in an untimed second pass) replayed into scratch tables in the commits
 *   its counters saw in the timed pass (same-rows.ts); p99_ms_at_half_rate: the latency phase
 *   again at half of events_per_s;
 * - a growth table: per `--growth` count, a workspace with that many lead workflows, 1 % of them
 *   matching each event; events/s and p50/p99 at half that rate, one `engine_growth` line each.
 *
 * Progress goes to stderr; the last lines on stdout are, per store, its JSON line and its growth lines.
 *
 * Options: --store sqlite|postgres|both, --events N (default 2000), --clients N concurrent
 * callers creating them (default 32; 1 = one after another), --rate N events/s offered
 * (default 1000), --seconds N of offered load (default 3), --low-seconds N of the same at half the
 * measured end-to-end rate (default 6), --timers N (default 100000),
 * --timer-spread seconds over which the timers fall due (default 60), --timer-limit seconds to
 * wait for them after the first is due (default 180), --workflows N (default 1000), --raw-seconds N
 * for each raw-ceiling measurement (default 3), --growth counts (default 10,100,1000,10000; none),
 * --growth-events N per count (default 1000), --growth-seconds N of latency per count (default 3). --quick: tiny defaults (20 events, 101 workflows,
 * 20 timers, fractions of a second per figure; flags given still win) — what `npm test` runs
 * (test/bench/quick.test.ts) so the benchmark and its checks cannot rot; its figures mean nothing.
 * Environment: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { type CommitCount, type CommitKind, commitsBetween } from "../app/commit-counters.js";
import { systemContext } from "../app/context.js";
import { systemClock, ulidGenerator } from "../app/ports.js";
import { buildServices, type Services } from "../composition/root.js";
import type { RunState } from "../engine/run-state.js";
import { MATCHER } from "../runtime/matcher.js";
import type { Store, StoreTx } from "../store/ports.js";
import type { RunPort } from "../store/run-ports.js";
import type { RunRow, RunStepRow } from "../store/workflow-ports.js";
import { publishSet } from "./publish.js";
import { createRawTable } from "./raw-table.js";
import { expandSizes, type Phase, RowCounter, replaySameRows, type Writes } from "./same-rows.js";
import { DEFAULT_PG_ADMIN_URL, log, measure, postgresScratch, round, type Scratch, type StoreName, sqliteScratch } from "./scratch.js";
import { growthLeadInput, growthMatches, growthSet, leadInput, MATCHES_PER_EVENT, TIMER_WORKFLOW_KEY, workflowSet } from "./workload.js";

/** Wall-clock milliseconds with sub-millisecond resolution. */
const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Commit probe: the store handed to the services is wrapped so that the bench learns, at the
// moment a transaction's COMMIT has returned, which runs it started, which first steps it logged
// and which runs it finished. Nothing else changes.

class Probe {
  /** run id → record id, for runs whose insert committed. */
  readonly runRecord = new Map<string, string>();
  /** run id → commit time of its insert (the matcher's transaction). */
  readonly runStarted = new Map<string, number>();
  /** run id → commit time of its first logged step (seq 1). */
  readonly firstStep = new Map<string, number>();
  /** run id → commit time of the step that ended it. */
  readonly finished = new Map<string, number>();
  /** Commits of transactions that logged at least one step. */
  stepCommits = 0;
  steps = 0;
  /** Runs whose finishing is counted as it happens (the timer phase), and how many of them have finished. */
  watched = new Set<string>();
  watchedDone = 0;

  finish(run: string, at: number) {
    if (this.watched.has(run) && !this.finished.has(run)) this.watchedDone++;
    this.finished.set(run, at);
  }
}

/** Bound methods, made once per target: a new bound function per call was itself a cost the engine's figures carried. */
const BOUND = new WeakMap<object, Map<string | symbol, unknown>>();

function bind<T extends object>(target: T, prop: string | symbol): unknown {
  let methods = BOUND.get(target);
  if (!methods) {
    methods = new Map();
    BOUND.set(target, methods);
  }
  if (methods.has(prop)) return methods.get(prop);
  const v = Reflect.get(target, prop, target);
  const out = typeof v === "function" ? v.bind(target) : v;
  if (typeof v === "function") methods.set(prop, out);
  return out;
}

function instrument(store: Store, probe: Probe): Store {
  // A transaction whose runs port notes what it wrote, for after the commit.
  const wrapRuns = (runs: RunPort, pending: Array<(at: number) => void>): RunPort =>
    new Proxy(runs, {
      get(target, prop) {
        if (prop === "insertRun")
          return async (run: RunRow) => {
            const inserted = await target.insertRun(run);
            if (inserted)
              pending.push((at) => {
                probe.runRecord.set(run.id, run.recordId);
                probe.runStarted.set(run.id, at);
              });
            return inserted;
          };
        if (prop === "insertRuns")
          return async (runs: readonly RunRow[]) => {
            const inserted = await target.insertRuns(runs);
            pending.push((at) => {
              for (const run of runs)
                if (inserted.has(run.id)) {
                  probe.runRecord.set(run.id, run.recordId);
                  probe.runStarted.set(run.id, at);
                }
            });
            return inserted;
          };
        if (prop === "insertNewRuns")
          return async (runs: readonly RunRow[]) => {
            await target.insertNewRuns(runs);
            pending.push((at) => {
              for (const run of runs) {
                probe.runRecord.set(run.id, run.recordId);
                probe.runStarted.set(run.id, at);
              }
            });
          };
        if (prop === "insertRunStep")
          return async (step: RunStepRow) => {
            await target.insertRunStep(step);
            pending.push((at) => {
              probe.steps++;
              if (step.seq === 1) probe.firstStep.set(step.runId, at);
            });
          };
        if (prop === "insertRunSteps")
          return async (steps: readonly RunStepRow[]) => {
            await target.insertRunSteps(steps);
            pending.push((at) => {
              for (const step of steps) {
                probe.steps++;
                if (step.seq === 1) probe.firstStep.set(step.runId, at);
              }
            });
          };
        if (prop === "updateRuns")
          return async (updates: ReadonlyArray<{ run: RunRow; expectedSeq: number }>) => {
            const written = await target.updateRuns(updates);
            // All or none count: a partial write fails the caller's transaction (nothing commits).
            if (written === updates.length)
              pending.push((at) => {
                for (const { run } of updates) if (run.finishedAt !== null) probe.finish(run.id, at);
              });
            return written;
          };
        if (prop === "updateRun")
          return async (run: RunRow, expectedSeq: number) => {
            const updated = await target.updateRun(run, expectedSeq);
            if (updated && run.finishedAt !== null) pending.push((at) => probe.finish(run.id, at));
            return updated;
          };
        return bind(target, prop);
      },
    });
  const wrapTx = (tx: StoreTx, pending: Array<(at: number) => void>): StoreTx => {
    let runs: RunPort | undefined;
    return new Proxy(tx, {
      get(target, prop) {
        if (prop === "runs") {
          runs ??= wrapRuns(target.runs, pending);
          return runs;
        }
        return bind(target, prop);
      },
    });
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === "transaction")
        return async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
          let pending: Array<(at: number) => void> = [];
          const result = await target.transaction((tx) => {
            pending = []; // a retried transaction starts over
            return fn(wrapTx(tx, pending));
          });
          const at = nowMs();
          if (pending.length > 0) probe.stepCommits++;
          for (const f of pending) f(at);
          return result;
        };
      return bind(target, prop);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Direct SQL on the scratch database, for setup (100,000 waiting runs) and for checks.

interface Direct {
  /** `?` placeholders. */
  all(text: string, params: unknown[]): Promise<Array<Record<string, unknown>>>;
  insertTimerRuns(rows: TimerRow[], workspaceId: string, workflowId: string, version: number, at: string): Promise<void>;
  close(): Promise<void>;
}

interface TimerRow {
  runId: string;
  recordId: string;
  timerId: string;
  dueAt: string;
}

const timerState = (r: TimerRow): RunState => ({
  status: "waiting",
  step: "wait",
  wait: { kind: "timer", timerId: r.timerId, dueAt: r.dueAt, next: null },
  stepsTaken: 1,
  reason: null,
});

function sqliteDirect(file: string): Direct {
  const db = new BetterSqlite3(file);
  db.pragma("busy_timeout = 10000");
  return {
    async all(text, params) {
      const statement = db.prepare(text);
      if (!statement.reader) {
        statement.run(...params);
        return [];
      }
      return statement.all(...params) as Array<Record<string, unknown>>;
    },
    async insertTimerRuns(rows, workspaceId, workflowId, version, at) {
      const run = db.prepare(
        `insert into runs (workspace_id, id, workflow_id, version, record_id, trigger_key, status, state, seq, depth, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, 'waiting', ?, 1, 1, ?, ?)`,
      );
      const item = db.prepare(
        `insert into work_items (workspace_id, run_id, input, timer_id, status, due_at, attempts, created_at)
         values (?, ?, ?, ?, 'pending', ?, 0, ?)`,
      );
      db.transaction(() => {
        for (const r of rows) {
          run.run(workspaceId, r.runId, workflowId, version, r.recordId, `bench:${r.timerId}`, JSON.stringify(timerState(r)), at, at);
          item.run(workspaceId, r.runId, JSON.stringify({ kind: "timer_fired", timerId: r.timerId }), r.timerId, r.dueAt, at);
        }
      })();
    },
    async close() {
      db.close();
    },
  };
}

async function postgresDirect(url: string): Promise<Direct> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async all(text, params) {
      let n = 0;
      const r = await client.query(
        text.replace(/\?/g, () => `$${++n}`),
        params,
      );
      return r.rows;
    },
    async insertTimerRuns(rows, workspaceId, workflowId, version, at) {
      const CHUNK = 10_000;
      await client.query("begin");
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        await client.query(
          `insert into runs (workspace_id, id, workflow_id, version, record_id, trigger_key, status, state, seq, depth, created_at, updated_at)
           select $1, u.id, $2, $3, u.rec, u.key, 'waiting', u.state::jsonb, 1, 1, $4, $4
           from unnest($5::text[], $6::text[], $7::text[], $8::text[]) as u(id, rec, key, state)`,
          [
            workspaceId,
            workflowId,
            version,
            at,
            chunk.map((r) => r.runId),
            chunk.map((r) => r.recordId),
            chunk.map((r) => `bench:${r.timerId}`),
            chunk.map((r) => JSON.stringify(timerState(r))),
          ],
        );
        await client.query(
          `insert into work_items (workspace_id, run_id, input, timer_id, status, due_at, attempts, created_at)
           select $1, u.run, u.input::jsonb, u.timer, 'pending', u.due::timestamptz, 0, $2
           from unnest($3::text[], $4::text[], $5::text[], $6::text[]) as u(run, input, timer, due)`,
          [
            workspaceId,
            at,
            chunk.map((r) => r.runId),
            chunk.map((r) => JSON.stringify({ kind: "timer_fired", timerId: r.timerId })),
            chunk.map((r) => r.timerId),
            chunk.map((r) => r.dueAt),
          ],
        );
      }
      await client.query("commit");
      // Grown by 100,000 rows in one go, which the engine never does: let the planner see them as
      // autovacuum would within a minute, rather than plan the claim for the nearly empty table.
      await client.query("analyze work_items, runs");
    },
    async close() {
      await client.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * With BENCH_CPU_PROFILE=file.cpuprofile, records a V8 CPU profile of `fn` alone (the
 * events_per_s phase), for chrome://inspect or any .cpuprofile viewer.
 */
async function profiled<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 200 });
  await post("Profiler.start");
  try {
    return await fn();
  } finally {
    const { profile } = (await post("Profiler.stop")) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    log(`  CPU profile of the events phase written to ${file}`);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

const ms = (x: number) => Math.round(x * 10) / 10;

interface Options {
  stores: StoreName[];
  /** Tiny sizes (`--quick`): the run and its checks, not figures. */
  quick: boolean;
  events: number;
  clients: number;
  rate: number;
  seconds: number;
  lowSeconds: number;
  timers: number;
  timerSpread: number;
  timerLimit: number;
  workflows: number;
  rawSeconds: number;
  /** Active workflow counts of the growth table, one line each. */
  growth: number[];
  growthEvents: number;
  growthSeconds: number;
}

interface Context {
  name: StoreName;
  services: Services;
  store: Store;
  probe: Probe;
  direct: Direct;
  workspaceId: string;
  ownerId: string;
  /** record id → commit time of its create, for every benchmark lead. */
  created: Map<string, number>;
  leads: number;
  /** The fields of the i-th lead. */
  input: (i: number) => Record<string, unknown>;
  /** Runs each lead enrolls in. */
  matches: number;
}

async function createLead(c: Context): Promise<string> {
  const ctx = systemContext(c.workspaceId, "bench");
  const record = await c.services.writer.create(ctx, "lead", c.input(c.leads++));
  c.created.set(record.id, nowMs());
  return record.id;
}

/** Waits until every run of these records has finished (or the timeout passes); returns how many have. */
async function waitForRuns(c: Context, records: ReadonlySet<string>, expected: number, timeoutMs: number): Promise<number> {
  const until = nowMs() + timeoutMs;
  for (;;) {
    let done = 0;
    for (const [run, record] of c.probe.runRecord) if (records.has(record) && c.probe.finished.has(run)) done++;
    if (done >= expected || nowMs() > until) return done;
    await sleep(20);
  }
}

/**
 * Waits until the engine is idle: every event matched (the matcher's cursor at the end of the
 * log) and no work item pending. A phase ends with it, so that the next one does not start behind
 * this one's queue: when the last run has finished, the events of the runs' own writes may still
 * be waiting for the matcher.
 */
async function idle(c: Context, timeoutMs: number): Promise<void> {
  const until = nowMs() + timeoutMs;
  while (nowMs() < until) {
    const last = await c.store.events.lastEventPosition();
    const [cursor] = await c.direct.all("select position from event_cursors where consumer = ?", [MATCHER]);
    if (Number(cursor?.position ?? 0) >= last && (await c.store.work.pendingWorkCount()) === 0) return;
    await sleep(20);
  }
}

/**
 * N leads created by `clients` concurrent callers (each starts its next create when the last one
 * resolved, as API clients would), then the worker drained until every run has finished.
 * `afterWrites` runs between the two, outside the timing (the counting pass reads its counts there).
 */
async function eventsPerSecond(c: Context, n: number, clients: number, afterWrites?: () => Promise<void>) {
  const records = new Set<string>();
  const start = nowMs();
  let launched = 0;
  const client = async () => {
    while (launched < n) {
      launched++;
      records.add(await createLead(c));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(clients, n)) }, client));
  const written = nowMs();
  const paused = nowMs();
  await afterWrites?.();
  const resumed = nowMs();
  await c.services.worker.drain(1_000_000);
  const end = nowMs() - (resumed - paused);
  const done = await waitForRuns(c, records, n * c.matches, 0);
  if (done !== n * c.matches) throw new Error(`${n} events should have finished ${n * c.matches} runs, not ${done}`);
  return { perSecond: n / ((end - start) / 1000), writeS: (written - start) / 1000, drainS: (end - written) / 1000 };
}

/** Offers events at `rate`/s (open loop) for `seconds` with the worker running; latency per run. */
async function latency(c: Context, rate: number, seconds: number) {
  const total = Math.max(1, Math.round(rate * seconds));
  const records = new Set<string>();
  const creates: Array<Promise<void>> = [];
  const interval = 1000 / rate;
  c.services.worker.start();
  const start = nowMs();
  let failures = 0;
  for (let i = 0; i < total; ) {
    const behind = nowMs() - (start + i * interval);
    if (behind < 0) {
      await sleep(Math.max(1, -behind));
      continue;
    }
    // Launch every event whose offer time has come, without waiting for earlier ones.
    creates.push(
      createLead(c).then(
        (id) => {
          records.add(id);
        },
        () => {
          failures++;
        },
      ),
    );
    i++;
  }
  const offeredS = (nowMs() - start) / 1000;
  await Promise.all(creates);
  const committedS = (nowMs() - start) / 1000;
  if (failures > 0) throw new Error(`${failures} creates failed`);
  const done = await waitForRuns(c, records, total * c.matches, 180_000);
  const finishedS = (nowMs() - start) / 1000;
  await idle(c, 180_000);
  await c.services.worker.stop();
  const lat: number[] = [];
  const matched: number[] = [];
  let missing = 0;
  for (const [run, record] of c.probe.runRecord) {
    if (!records.has(record)) continue;
    const first = c.probe.firstStep.get(run);
    const at = c.created.get(record);
    const started = c.probe.runStarted.get(run);
    if (first === undefined || at === undefined) missing++;
    else lat.push(first - at);
    if (started !== undefined && at !== undefined) matched.push(started - at);
  }
  lat.sort((a, b) => a - b);
  matched.sort((a, b) => a - b);
  return {
    total,
    offeredPerS: total / offeredS,
    committedPerS: total / committedS,
    finishedS,
    done,
    expected: total * c.matches,
    missing,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.at(-1) ?? Number.NaN,
    /** Event commit → commit of the run's enrollment (the matcher's part of the latency). */
    matchedP50: percentile(matched, 50),
    matchedP99: percentile(matched, 99),
  };
}

async function timers(c: Context, n: number, spreadS: number, limitS: number, workflowId: string, version: number) {
  if (n === 0) return undefined;
  const leads = [...c.created.keys()];
  const rows: TimerRow[] = [];
  const prefix = `bench-timer-${Date.now().toString(36)}`;
  const farAway = new Date(Date.now() + 3_600_000).toISOString();
  for (let i = 0; i < n; i++)
    rows.push({ runId: `${prefix}-${i}`, recordId: leads[i % leads.length] as string, timerId: `${prefix}:${i}`, dueAt: farAway });
  const t = nowMs();
  await c.direct.insertTimerRuns(rows, c.workspaceId, workflowId, version, new Date().toISOString());
  log(`  inserted ${n} waiting runs and their timers in ${((nowMs() - t) / 1000).toFixed(1)} s`);
  // All due within `spreadS` seconds, the first 3 s from now, in id order.
  const firstDue = Math.ceil(Date.now() + 3_000);
  const step = (spreadS * 1000) / n;
  const due = new Map<string, number>();
  rows.forEach((r, i) => {
    due.set(r.runId, Math.round(firstDue + i * step));
  });
  const sqlite = c.name === "sqlite";
  const ids = await c.direct.all("select min(id) as lo from work_items where timer_id like ?", [`${prefix}:%`]);
  const lo = Number(ids[0]?.lo);
  await c.direct.all(
    sqlite
      ? "update work_items set due_at = strftime('%Y-%m-%dT%H:%M:%fZ', (? + round((id - ?) * ?)) / 1000.0, 'unixepoch') where timer_id like ?"
      : "update work_items set due_at = to_timestamp((?::float8 + round((id - ?) * ?::float8)) / 1000.0) where timer_id like ?",
    [firstDue, lo, step, `${prefix}:%`],
  );
  // Read the due times back as stored (ids follow insertion order, but trust the database).
  for (const r of await c.direct.all("select run_id, due_at from work_items where timer_id like ?", [`${prefix}:%`]))
    due.set(String(r.run_id), r.due_at instanceof Date ? r.due_at.getTime() : Date.parse(String(r.due_at)));
  log(`  ${n} timers due from ${new Date(firstDue).toISOString()} over ${spreadS} s; worker started`);
  // Counted as runs finish: polling a scan of 100,000 runs every 50 ms took CPU from the engine.
  c.probe.watched = new Set(due.keys());
  c.probe.watchedDone = 0;
  c.services.worker.start();
  const until = firstDue + limitS * 1000;
  let done = 0;
  let reported = nowMs();
  for (;;) {
    done = c.probe.watchedDone;
    if (done >= n || nowMs() > until) break;
    if (nowMs() - reported > 10_000) {
      log(`  … ${done} of ${n} timers fired`);
      reported = nowMs();
    }
    await sleep(50);
  }
  const stoppedAt = nowMs();
  await c.services.worker.stop();
  const late: number[] = [];
  let last = 0;
  for (const [run, dueAt] of due) {
    const fin = c.probe.finished.get(run);
    if (fin !== undefined && fin > last) last = fin;
    // Timers that had not fired when the bench gave up count as late as the give-up moment (a lower bound).
    late.push((fin ?? stoppedAt) - dueAt);
  }
  late.sort((a, b) => a - b);
  const lastDue = Math.max(...due.values());
  return {
    n,
    done,
    complete: done >= n,
    p50: percentile(late, 50),
    p99: percentile(late, 99),
    max: late.at(-1) ?? Number.NaN,
    throughput: done / (Math.max(last, lastDue) / 1000 - firstDue / 1000),
  };
}

/**
 * The store's ceiling for the engine's own work (same-rows.ts): the same events again, untimed,
 * with counting triggers on every table — the rows the engine writes, by table, for the record
 * writes and for the worker's drain apart — then those rows replayed into scratch tables in the
 * commits the timed pass made (its counters: `writer`, `worker`). Benchmark events per second of
 * that replay is `same_rows_ceiling_per_s`.
 */
async function sameRowsCeiling(
  c: Context,
  o: Options,
  writer: Partial<Record<CommitKind, CommitCount>>,
  worker: Partial<Record<CommitKind, CommitCount>>,
) {
  const counter = await RowCounter.install(c.name, c.direct);
  let writerWrites: Writes = {};
  let workerWrites: Writes = {};
  const byOperation: Array<Record<string, Record<string, number>>> = [];
  try {
    await eventsPerSecond(c, o.events, o.clients, async () => {
      byOperation.push(await counter.byOperation());
      writerWrites = await counter.take();
    });
    byOperation.push(await counter.byOperation());
    workerWrites = await counter.take();
  } finally {
    await counter.remove();
  }
  const sizesOf = (kinds: Partial<Record<CommitKind, CommitCount>>) => Object.values(kinds).flatMap((k) => expandSizes(k?.sizes));
  const phases: Phase[] = [
    { writes: writerWrites, commitSizes: sizesOf(writer) },
    { writes: workerWrites, commitSizes: sizesOf(worker) },
  ];
  const commits = phases.reduce((n, p) => n + p.commitSizes.length, 0);
  const byTable: Record<string, number> = {};
  for (const p of phases) for (const [table, w] of Object.entries(p.writes)) byTable[table] = (byTable[table] ?? 0) + w.rows;
  const rows = Object.values(byTable).reduce((a, b) => a + b, 0);
  if (rows === 0) throw new Error("the counting pass counted no rows written");
  if (commits === 0) throw new Error("the engine's commit counters counted no commits in the timed pass");
  for (const [phase, ops] of byOperation.entries())
    log(
      `  rows per event, ${phase === 0 ? "record writes" : "worker"}: ` +
        Object.entries(ops)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(
            ([table, n]) =>
              `${table} ${Object.entries(n)
                .map(([op, k]) => `${op} ${round(k / o.events, 2)}`)
                .join("/")}`,
          )
          .join(", "),
    );
  const replay = await replaySameRows(c.store, phases);
  for (const [table, n] of Object.entries(byTable))
    if (replay.written[table] !== n)
      throw new Error(`the ceiling wrote ${replay.written[table]} rows into ${table}'s scratch table, not ${n}`);
  if (replay.commits !== commits) throw new Error(`the ceiling made ${replay.commits} commits, not the engine's ${commits}`);
  const perSecond = o.events / replay.seconds;
  log(
    `  same-rows ceiling       ${String(Math.round(perSecond)).padStart(7)}/s  (${rows} rows in ${commits} commits, ${replay.seconds.toFixed(2)} s; ` +
      `commits by kind ${Object.entries({ ...writer, ...worker })
        .map(([kind, k]) => `${kind} ${k?.commits}×${round((k?.items ?? 0) / (k?.commits ?? 1), 1)}`)
        .join(", ")})`,
  );
  const commitsByKind: Record<string, { commits: number; items: number }> = {};
  for (const [kind, k] of [...Object.entries(writer), ...Object.entries(worker)]) {
    const into = commitsByKind[kind] ?? { commits: 0, items: 0 };
    into.commits += k?.commits ?? 0;
    into.items += k?.items ?? 0;
    commitsByKind[kind] = into;
  }
  return {
    perSecond,
    rowsPerEvent: rows / o.events,
    commitsPerEvent: commits / o.events,
    rowsPerEventByTable: Object.fromEntries(Object.entries(byTable).map(([t, n]) => [t, round(n / o.events, 2)])),
    commitsByKind,
    /** Exactly the rows the counting pass counted, by table (the quick test's check). */
    rowsCounted: byTable,
    rowsWritten: replay.written,
  };
}

/**
 * Publishes `growthSet(count)` in the workspace: the first workflow through the workflow service,
 * the others as copies of its rows (workflow, published version, trigger index row) with their
 * own key and condition, written in one transaction, then the workspace's trigger epoch moved on
 * as publishing does. Publishing each through the service is the same rows, but each publish
 * reads every workflow of the workspace (its conflict check): 10,000 of them one by one would
 * take the better part of an hour.
 */
async function publishGrowthSet(services: Services, direct: Direct, admin: ReturnType<typeof systemContext>, count: number) {
  const defs = growthSet(count);
  const first = defs[0];
  if (!first) return;
  const saved = await services.workflows.saveDraft(admin, first);
  await services.workflows.publish(admin, saved.workflow.id);
  const ws = admin.workspaceId;
  const id = saved.workflow.id;
  const tables = [
    { table: "workflows", idColumn: "id" },
    { table: "workflow_versions", idColumn: "workflow_id" },
    { table: "workflow_triggers", idColumn: "workflow_id" },
  ];
  const templates: Array<{ table: string; idColumn: string; row: Record<string, unknown> }> = [];
  for (const t of tables) {
    const rows = await direct.all(`select * from ${t.table} where workspace_id = ? and ${t.idColumn} = ?`, [ws, id]);
    if (t.table === "workflow_versions") {
      const published = rows.filter((r) => r.state === "published");
      if (published.length !== 1) throw new Error(`the growth template has ${published.length} published versions`);
      templates.push({ ...t, row: published[0] as Record<string, unknown> });
    } else {
      if (rows.length !== 1) throw new Error(`the growth template has ${rows.length} rows in ${t.table}`);
      templates.push({ ...t, row: rows[0] as Record<string, unknown> });
    }
  }
  const buckets = Math.min(count, 100);
  // The template's key is grow-0 (name and description "grow 0"), its condition value growth-0.
  const copy = (value: unknown, i: number): unknown => {
    if (typeof value === "string" && value === id) return `${id}-${i}`;
    const text =
      typeof value === "string"
        ? value
        : value !== null && typeof value === "object" && !(value instanceof Date)
          ? JSON.stringify(value)
          : undefined;
    if (text === undefined || !/grow/.test(text)) return value;
    const out = text
      .replace(/"growth-0"/g, `"growth-${i % buckets}"`)
      .replace(/\bgrow-0\b/g, `grow-${i}`)
      .replace(/\bgrow 0\b/g, `grow ${i}`);
    return typeof value === "string" ? out : JSON.parse(out);
  };
  const CHUNK = 200;
  await direct.all("begin", []);
  try {
    for (const { table, row } of templates) {
      const columns = Object.keys(row);
      for (let from = 1; from < count; from += CHUNK) {
        const to = Math.min(count, from + CHUNK);
        const params: unknown[] = [];
        const tuples: string[] = [];
        for (let i = from; i < to; i++) {
          tuples.push(`(${columns.map(() => "?").join(", ")})`);
          for (const c of columns) params.push(copy(row[c], i));
        }
        await direct.all(`insert into ${table} (${columns.join(", ")}) values ${tuples.join(", ")}`, params);
      }
    }
    await direct.all("update trigger_epochs set epoch = epoch + 1 where workspace_id = ?", [ws]);
    await direct.all("commit", []);
  } catch (error) {
    await direct.all("rollback", []);
    throw error;
  }
}

/**
 * One line of the growth table (issue 23 §3): a workspace of its own with `count` active lead
 * workflows, 1 % of them matching each event (workload.ts, growthSet); events/s as in the main
 * pass (N leads by the same callers, then drained), then p50 / p99 of the first action at half
 * that rate.
 */
async function growth(name: StoreName, services: Services, store: Store, probe: Probe, direct: Direct, count: number, o: Options) {
  const t = nowMs();
  const workspace = await services.workspaces.create(`growth${count}`, `Growth ${count}`);
  const admin = systemContext(workspace.id, "bench");
  const owner = await services.writer.create(admin, "user", { name: "Gus Growth", email: `gus-${count}@bench.example`, role: "rep" });
  await publishGrowthSet(services, direct, admin, count);
  await standInForAutovacuum(name, direct);
  const active = (await store.workflows.listWorkflows(workspace.id)).filter((w) => w.liveVersion !== null).length;
  const matches = growthMatches(count);
  const g: Context = {
    name,
    services,
    store,
    probe,
    direct,
    workspaceId: workspace.id,
    ownerId: owner.id,
    created: new Map(),
    leads: 0,
    input: (i) => growthLeadInput(i, owner.id, count),
    matches,
  };
  log(`  growth: ${active} workflows published in ${((nowMs() - t) / 1000).toFixed(1)} s, ${matches} matching each event`);
  await eventsPerSecond(g, Math.min(50, o.growthEvents), o.clients);
  const ev = await eventsPerSecond(g, o.growthEvents, o.clients);
  await idle(g, 180_000);
  const rate = Math.max(10, Math.round(ev.perSecond / 2));
  const lat = await latency(g, rate, o.growthSeconds);
  log(
    `  growth ${String(active).padStart(6)} workflows: ${Math.round(ev.perSecond)} events/s (${Math.round(ev.perSecond * matches)} runs/s); ` +
      `at ${rate}/s first action p50 ${ms(lat.p50)} ms, p99 ${ms(lat.p99)} ms`,
  );
  const [suppressed] = await direct.all("select count(*) as n from workflow_log where workspace_id = ?", [workspace.id]);
  if (Number(suppressed?.n) !== 0) throw new Error(`growth ${count}: ${suppressed?.n} enrollments were suppressed (see workflow_log)`);
  const [runs] = await direct.all("select count(*) as n from runs where workspace_id = ?", [workspace.id]);
  if (Number(runs?.n) !== g.leads * matches)
    throw new Error(`growth ${count}: ${g.leads} leads should have ${g.leads * matches} runs, not ${runs?.n}`);
  return {
    bench: "engine_growth",
    store: name,
    active_workflows: active,
    matching_per_event: matches,
    events_per_s: Math.round(ev.perSecond),
    runs_per_s: Math.round(ev.perSecond * matches),
    p50_ms: ms(lat.p50),
    p99_ms: ms(lat.p99),
    rate_per_s: rate,
    events: o.growthEvents,
    latency_runs_expected: lat.expected,
    latency_runs_finished: lat.done,
  };
}

/**
 * A production PostgreSQL has autovacuum on (its default), which analyzes tables as they fill.
 * Where it is off (these machines' PostgreSQL: a CI setting), the planner never gets statistics
 * and reads by id degrade into scans of the workspace as the tables grow (docs/benchmarks.md,
 * round 5); the figures would then describe a server nobody runs. So the bench analyzes once,
 * after the warm-up, as autovacuum would have by then, and says so. Returns whether it did.
 */
async function standInForAutovacuum(name: StoreName, direct: Direct): Promise<boolean> {
  if (name !== "postgres") return false;
  const [row] = await direct.all("select current_setting('autovacuum') as autovacuum", []);
  if (row?.autovacuum === "on") return false;
  await direct.all("analyze", []);
  log("  autovacuum is off on this server: analyzed the scratch database once, after the warm-up");
  return true;
}

/** Runs one workflow may start per minute in the benchmark: more than any phase offers one workflow. */
const BENCH_RATE_CAP = 1_000_000;

async function benchEngine(name: StoreName, scratch: Scratch, o: Options): Promise<Array<Record<string, unknown>>> {
  const { store } = scratch;
  await store.migrate();
  const rawTable = await createRawTable(store);
  const probe = new Probe();
  // The rate cap raised out of the way (its row is still read and written per pass): on a quiet
  // machine the growth table's 10 workflows take ~550 enrolments each in its 3 s of latency, over
  // the default 500 a minute, and deferred runs measure the cap's window, not the engine.
  const services = buildServices(instrument(store, probe), systemClock, ulidGenerator(), { limits: { maxRunsPerWindow: BENCH_RATE_CAP } });
  const direct = name === "sqlite" ? sqliteDirect(scratch.location) : await postgresDirect(scratch.location);
  try {
    const workspace = await services.workspaces.create("bench", "Bench");
    const admin = systemContext(workspace.id, "bench");
    const owner = await services.writer.create(admin, "user", { name: "Olive Owner", email: "olive@bench.example", role: "rep" });
    const c: Context = {
      name,
      services,
      store,
      probe,
      direct,
      workspaceId: workspace.id,
      ownerId: owner.id,
      created: new Map(),
      leads: 0,
      input: (i) => leadInput(i, owner.id),
      matches: MATCHES_PER_EVENT,
    };

    let t = nowMs();
    // Saved through the workflow service, made live as publish does without its conflict check
    // (publish.ts: one by one, 1,000 take most of an hour).
    const published = await publishSet(services, store, admin, workflowSet(o.workflows));
    const timerWorkflow = published.get(TIMER_WORKFLOW_KEY);
    const active = (await store.workflows.listWorkflows(workspace.id)).filter((w) => w.liveVersion !== null).length;
    log(`  published ${active} workflows in ${((nowMs() - t) / 1000).toFixed(1)} s`);

    // Warm-up: compiles the workflows into the cache, warms statements and the JIT.
    await eventsPerSecond(c, o.quick ? 10 : 100, o.clients);
    const analyzed = await standInForAutovacuum(name, direct);

    const sample = await store.records.getRecord(workspace.id, [...c.created.keys()][0] ?? "");
    const payload = JSON.stringify(sample?.data ?? {});
    const raw = await measure("raw ceiling (inserts)", o.rawSeconds, 1, () => rawTable.insert(payload));

    t = nowMs();
    const stepsBefore = probe.steps;
    const commitsBefore = probe.stepCommits;
    // The engine's own commit counters, around each half of the timed pass: the group sizes the
    // same-rows ceiling replays.
    const counted0 = services.commits.snapshot();
    let counted1 = counted0;
    const ev = await profiled(process.env.BENCH_CPU_PROFILE, () =>
      eventsPerSecond(c, o.events, o.clients, async () => {
        counted1 = services.commits.snapshot();
      }),
    );
    const counted2 = services.commits.snapshot();
    log(
      `  events end to end       ${String(Math.round(ev.perSecond)).padStart(7)}/s  (${o.events} events, ${o.events * MATCHES_PER_EVENT} runs, ` +
        `${probe.steps - stepsBefore} steps in ${probe.stepCommits - commitsBefore} step commits; writes ${ev.writeS.toFixed(2)} s + drain ${ev.drainS.toFixed(2)} s)`,
    );
    const ceiling = await sameRowsCeiling(c, o, commitsBetween(counted0, counted1), commitsBetween(counted1, counted2));

    const lat = await latency(c, o.rate, o.seconds);
    log(
      `  latency at ${o.rate}/s offered: offered ${Math.round(lat.offeredPerS)}/s, committed ${Math.round(lat.committedPerS)}/s, ` +
        `${lat.done}/${lat.expected} runs finished after ${lat.finishedS.toFixed(1)} s; first action p50 ${ms(lat.p50)} ms, p99 ${ms(lat.p99)} ms, max ${ms(lat.max)} ms`,
    );
    if (lat.missing > 0 || lat.done < lat.expected)
      log(`  ! ${lat.expected - lat.done} runs unfinished, ${lat.missing} without a first step`);
    // The same at half the end-to-end rate measured in this run: a rate the machine sustains.
    const halfRate = Math.max(10, Math.round(ev.perSecond / 2));
    const half = await latency(c, halfRate, o.lowSeconds);
    log(
      `  latency at ${halfRate}/s offered (half rate): first action p50 ${ms(half.p50)} ms, p99 ${ms(half.p99)} ms, max ${ms(half.max)} ms ` +
        `(enrolled after p50 ${ms(half.matchedP50)} ms, p99 ${ms(half.matchedP99)} ms)`,
    );

    if (!timerWorkflow) throw new Error("the timer workflow was not published");
    const tm = await timers(c, o.timers, o.timerSpread, o.timerLimit, timerWorkflow.id, timerWorkflow.version);
    if (tm)
      log(
        `  timers: ${tm.done}/${tm.n} fired${tm.complete ? "" : ` (gave up ${o.timerLimit} s after the first was due)`}, ` +
          `${Math.round(tm.throughput)}/s; lateness p50 ${ms(tm.p50)} ms, p99 ${ms(tm.p99)} ms, max ${ms(tm.max)} ms`,
      );

    const rawEnd = await measure("raw ceiling again (end)", o.rawSeconds, 1, () => rawTable.insert(payload));

    // Checks: every benchmark event enrolled exactly twice, nothing suppressed, one task per run.
    const [suppressed] = await direct.all("select count(*) as n from workflow_log where workspace_id = ?", [workspace.id]);
    if (Number(suppressed?.n) !== 0) throw new Error(`${suppressed?.n} enrollments were suppressed (see workflow_log)`);
    const [tasks] = await direct.all("select count(*) as n from records where workspace_id = ? and object = 'task'", [workspace.id]);
    const [runs] = await direct.all("select count(*) as n from runs where workspace_id = ? and workflow_id <> ?", [
      workspace.id,
      timerWorkflow.id,
    ]);
    if (Number(tasks?.n) !== Number(runs?.n) || Number(runs?.n) !== c.leads * MATCHES_PER_EVENT)
      throw new Error(
        `${c.leads} leads: expected ${c.leads * MATCHES_PER_EVENT} runs and tasks, found ${runs?.n} runs and ${tasks?.n} tasks`,
      );

    const main = {
      bench: "engine",
      store: name,
      events_per_s: Math.round(ev.perSecond),
      same_rows_ceiling_per_s: Math.round(ceiling.perSecond),
      rows_per_event: round(ceiling.rowsPerEvent, 2),
      commits_per_event: round(ceiling.commitsPerEvent, 3),
      raw_ceiling_per_s: Math.round(raw.perSecond),
      p50_ms: ms(lat.p50),
      p99_ms: ms(lat.p99),
      p99_ms_at_half_rate: ms(half.p99),
      timer_lateness_p99_ms: tm ? Math.round(tm.p99) : null,
      active_workflows: active,
      efficiency: round(ev.perSecond / ceiling.perSecond),
      ratio: round(ev.perSecond / raw.perSecond),
      events: o.events,
      runs_per_event: MATCHES_PER_EVENT,
      rows_per_event_by_table: ceiling.rowsPerEventByTable,
      commits_by_kind: ceiling.commitsByKind,
      rows_by_table: ceiling.rowsCounted,
      ceiling_rows_by_table: ceiling.rowsWritten,
      writes_per_s: Math.round(o.events / ev.writeS),
      drain_s: round(ev.drainS, 2),
      offered_per_s: Math.round(lat.offeredPerS),
      committed_per_s: Math.round(lat.committedPerS),
      half_rate_per_s: halfRate,
      p50_ms_at_half_rate: ms(half.p50),
      timers: o.timers,
      timers_fired: tm?.done ?? 0,
      latency_runs_expected: lat.expected + half.expected,
      latency_runs_finished: lat.done + half.done,
      timers_per_s: tm ? Math.round(tm.throughput) : null,
      timer_lateness_p50_ms: tm ? Math.round(tm.p50) : null,
      raw_ceiling_end_per_s: Math.round(rawEnd.perSecond),
      analyzed_after_warmup: analyzed,
    };
    const growthLines: Array<Record<string, unknown>> = [];
    for (const count of o.growth) growthLines.push(await growth(name, services, store, probe, direct, count, o));
    return [main, ...growthLines];
  } finally {
    await services.worker.stop();
    await rawTable.drop();
    await direct.close();
  }
}

/** Defaults, and the tiny sizes of `--quick` (what `npm test` runs: the checks, no meaningful figures). */
const ENGINE_DEFAULTS = {
  full: {
    events: "2000",
    clients: "32",
    rate: "1000",
    seconds: "3",
    "low-seconds": "6",
    timers: "100000",
    "timer-spread": "60",
    "timer-limit": "180",
    workflows: "1000",
    "raw-seconds": "3",
    growth: "10,100,1000,10000",
    "growth-events": "1000",
    "growth-seconds": "3",
  },
  quick: {
    events: "20",
    clients: "4",
    rate: "50",
    seconds: "0.3",
    "low-seconds": "0.3",
    timers: "20",
    "timer-spread": "0.5",
    "timer-limit": "30",
    workflows: "101",
    "raw-seconds": "0.1",
    growth: "10,100",
    "growth-events": "10",
    "growth-seconds": "0.3",
  },
} as const;

/** `--growth 10,100,1000`: positive whole numbers; `none` for no growth table. */
function growthCounts(v: string): number[] {
  if (v === "none") return [];
  const counts = v.split(",").map((x) => Number(x.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--growth takes workflow counts like 10,100,1000 (or none), not "${v}"`);
  return counts;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      store: { type: "string", default: "both" },
      quick: { type: "boolean", default: false },
      events: { type: "string" },
      clients: { type: "string" },
      rate: { type: "string" },
      seconds: { type: "string" },
      "low-seconds": { type: "string" },
      timers: { type: "string" },
      "timer-spread": { type: "string" },
      "timer-limit": { type: "string" },
      workflows: { type: "string" },
      "raw-seconds": { type: "string" },
      growth: { type: "string" },
      "growth-events": { type: "string" },
      "growth-seconds": { type: "string" },
    },
    strict: true,
  });
  const defaults = values.quick ? ENGINE_DEFAULTS.quick : ENGINE_DEFAULTS.full;
  const stores: StoreName[] =
    values.store === "both" ? ["sqlite", "postgres"] : values.store === "sqlite" || values.store === "postgres" ? [values.store] : [];
  if (stores.length === 0) throw new Error(`--store must be sqlite, postgres or both, not "${values.store}"`);
  const num = (flag: keyof typeof defaults, min: number) => {
    const v = values[flag] ?? defaults[flag];
    const x = Number(v);
    if (!(x >= min) || !Number.isFinite(x)) throw new Error(`--${flag} must be a number ≥ ${min}, not "${v}"`);
    return x;
  };
  return {
    stores,
    quick: values.quick === true,
    events: num("events", 1),
    clients: num("clients", 1),
    rate: num("rate", 1),
    seconds: num("seconds", 0.1),
    lowSeconds: num("low-seconds", 0.1),
    timers: num("timers", 0),
    timerSpread: num("timer-spread", 0.1),
    timerLimit: num("timer-limit", 1),
    workflows: num("workflows", 101),
    rawSeconds: num("raw-seconds", 0.1),
    growth: growthCounts(values.growth ?? defaults.growth),
    growthEvents: num("growth-events", 1),
    growthSeconds: num("growth-seconds", 0.1),
  };
}

async function main() {
  const o = options();
  const adminUrl = process.env.BENCH_PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL;
  const cpu = cpus();
  log(
    `machine: ${cpu.length} cpus (${cpu[0]?.model.trim() ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `node ${process.version}, ${process.platform}/${process.arch}`,
  );
  const results: string[] = [];
  for (const name of o.stores) {
    log(`${name}:`);
    const scratch = name === "sqlite" ? await sqliteScratch() : await postgresScratch(adminUrl);
    try {
      for (const line of await benchEngine(name, scratch, o)) results.push(JSON.stringify(line));
    } finally {
      await scratch.dispose();
    }
  }
  process.stdout.write(`${results.join("\n")}\n`);
}

main().catch((error: unknown) => {
  log(`bench:engine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

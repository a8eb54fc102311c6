/**
 * `npm run bench:replay` — replay with a diff at the size issue 19 names (docs/testing-workflows.md,
 * "Replay"). In one run per store:
 *
 * - production's history: `--triggers` leads (default 500) created through the record writer with
 *   scores spread over 0–99, speed-to-lead (score > 40) live and its runs taken by the worker;
 *   its email and HTTP connectors point at TCP listeners of this process, allow-listed, so that a run
 *   that delivered would reach them (no dispatcher runs here: production's emails stay pending);
 * - a draft whose condition is score > 60, replayed against all of those triggers;
 * - replay_s and triggers_per_s: the replay's wall time, and triggers replayed per second.
 *
 * Checks (the run fails without them): the replay read every trigger; exactly the leads scored
 * 41–60 are no longer enrolled and every lead over 60 is unchanged; the row count of every live
 * table is the same before and after; no listener saw a connection. Options: --store
 * sqlite|postgres|both (default both), --triggers N, --quick (40 triggers: what `npm test` runs,
 * for the checks, not the figures). Progress goes to stderr; one JSON line per store on stdout.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { systemContext } from "../app/context.js";
import { buildServices } from "../composition/root.js";
import type { Store } from "../store/ports.js";
import { SqlStore } from "../store/sql/sql-store.js";
import { DEFAULT_PG_ADMIN_URL, log, postgresScratch, round, type Scratch, sqliteScratch } from "./scratch.js";

interface Listener {
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

/** A TCP listener that counts the connections it was offered and answers none. */
async function listener(): Promise<Listener> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, connections: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Every table's row count, read straight from the SQL store (only a benchmark reaches for it). */
async function rowCounts(store: Store): Promise<Record<string, number>> {
  if (!(store instanceof SqlStore)) throw new Error("the replay bench needs the SQL store");
  const tables =
    store.dialect === "sqlite"
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db))
          .rows
      : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(store.db)).rows;
  const counts: Record<string, number> = {};
  for (const { name } of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(store.db);
    counts[name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

const speedToLead = () => JSON.parse(readFileSync(join(process.cwd(), "recipes", "speed-to-lead.json"), "utf8"));

async function benchStore(name: "sqlite" | "postgres", triggers: number) {
  const scratch: Scratch =
    name === "postgres" ? await postgresScratch(process.env.BENCH_PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL) : await sqliteScratch();
  const listeners = [await listener(), await listener()];
  const [smtp, http] = listeners as [Listener, Listener];
  try {
    const { store } = scratch;
    await store.migrate();
    const s = buildServices(store, undefined, undefined, { egressAllow: listeners.map((l) => `127.0.0.1:${l.port}`) });
    const ws = (await s.workspaces.create("bench", "Bench")).id;
    const ctx = systemContext(ws);
    await s.connectors.create(ctx, {
      key: "email",
      kind: "smtp",
      config: { host: "127.0.0.1", port: smtp.port, secure: false, from: "hi@bench.example" },
    });
    await s.connectors.create(ctx, { key: "crm-sync", kind: "http", config: { base_url: `http://127.0.0.1:${http.port}` } });
    const [team] = await s.writer.createMany(ctx, "team", [{ name: "East" }]);
    const [lead] = await s.writer.createMany(ctx, "user", [
      { name: "Tess Lead", email: "tess@bench.example", role: "manager", team_id: team?.id },
    ]);
    await s.writer.update(ctx, "team", { id: team?.id ?? "", fields: { lead_id: lead?.id } });
    const reps = await s.writer.createMany(
      ctx,
      "user",
      ["Ana", "Ben", "Cleo"].map((n) => ({ name: `${n} Rep`, email: `${n.toLowerCase()}@bench.example`, role: "rep", team_id: team?.id })),
    );
    await s.routing.queues.create(ctx, { name: "Inbound reps", strategy: "round_robin", members: reps.map((r) => ({ user_id: r.id })) });
    const saved = await s.workflows.saveDraft(ctx, speedToLead());
    await s.workflows.publish(ctx, saved.workflow.id);

    log(`${name}: ${triggers} leads through the live speed-to-lead`);
    const scores: number[] = [];
    for (let i = 0; i < triggers; i++) {
      const score = (i * 37) % 100;
      scores.push(score);
      await s.writer.create(ctx, "lead", {
        first_name: "Lead",
        last_name: `N${i}`,
        email: `lead${i}@bench.example`,
        score,
        employee_count: 300,
      });
      if (i % 50 === 49) await s.worker.drain();
    }
    await s.worker.drain();

    const draft = speedToLead();
    draft.conditions.and[0].value = 60;
    await s.workflows.saveDraft(ctx, draft);
    const before = await rowCounts(store);
    const connectionsBefore = listeners.map((l) => l.connections());
    log(`${name}: replaying ${triggers} triggers against score > 60`);
    const started = performance.now();
    const report = await s.workflowTests.replay(ctx, saved.workflow.id, { limit: triggers });
    const replayS = (performance.now() - started) / 1000;

    const after = await rowCounts(store);
    const failures: string[] = [];
    if (JSON.stringify(after) !== JSON.stringify(before)) failures.push("the replay changed the row count of a live table");
    if (listeners.some((l, i) => l.connections() !== connectionsBefore[i])) failures.push("a listener saw a connection during the replay");
    if (report.read !== triggers) failures.push(`read ${report.read} triggers, not ${triggers}`);
    const expected = {
      no_longer_enrolled: scores.filter((x) => x > 40 && x <= 60).length,
      unchanged: scores.filter((x) => x > 60).length,
      changed: 0,
      new: 0,
    };
    for (const [verdict, n] of Object.entries(expected))
      if (report.counts[verdict as keyof typeof report.counts] !== n)
        failures.push(`${verdict}: ${report.counts[verdict as keyof typeof report.counts]}, expected ${n}`);
    if (failures.length > 0) throw new Error(`${name}: ${failures.join("; ")}`);
    return {
      bench: "replay",
      store: name,
      triggers,
      counts: report.counts,
      replay_s: round(replayS, 2),
      triggers_per_s: round(triggers / replayS, 1),
      live_rows_unchanged: true,
      connections: 0,
      cpus: cpus().length,
      load: round(loadavg()[0] ?? 0, 2),
    };
  } finally {
    for (const l of listeners) await l.close();
    await scratch.dispose();
  }
}

async function main() {
  const { values } = parseArgs({
    options: { store: { type: "string", default: "both" }, triggers: { type: "string" }, quick: { type: "boolean", default: false } },
  });
  const triggers = Number(values.triggers ?? (values.quick ? 40 : 500));
  if (!Number.isInteger(triggers) || triggers < 1 || triggers > 500) throw new Error("--triggers is a whole number from 1 to 500");
  const stores = values.store === "both" ? (["sqlite", "postgres"] as const) : [values.store as "sqlite" | "postgres"];
  for (const store of stores) console.log(JSON.stringify(await benchStore(store, triggers)));
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});

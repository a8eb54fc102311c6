/**
 * `npm run bench:store` — store throughput on SQLite and PostgreSQL (engineering.md §5).
 *
 * For each store, in one run on a scratch database:
 * - raw_inserts_per_s: one row per autocommit transaction into a scratch table (raw-table.ts), the ceiling;
 * - creates_per_s: `writer.create(contact)`, one transaction each with its audit row and event;
 * - reads_per_s: `store.records.getRecord` of random contacts created above;
 * - PostgreSQL also: the two write figures with 8 concurrent clients (`…_c8`).
 * `ratio` is creates / raw inserts of the same run, which survives a noisy machine better than
 * either figure alone.
 *
 * Progress goes to stderr; the last lines on stdout are one JSON object per store.
 *
 * Options: --store sqlite|postgres|both (default both), --seconds N per measurement (default 3),
 * --quick (0.1 s per figure: what `npm test` runs, for the checks, not the figures).
 * Environment: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), a
 * server where a scratch database `handoff_bench_<random>` is created and dropped.
 */
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { systemContext } from "../app/context.js";
import { buildServices } from "../composition/root.js";
import { createRawTable } from "./raw-table.js";
import { DEFAULT_PG_ADMIN_URL, log, measure, postgresScratch, round, type Scratch, type StoreName, sqliteScratch } from "./scratch.js";

const WARMUP_SECONDS = 0.5;
const CONCURRENCY = 8;

async function benchStore(name: StoreName, scratch: Scratch, seconds: number, warmup: number): Promise<Record<string, string | number>> {
  const { store } = scratch;
  await store.migrate();
  const rawTable = await createRawTable(store);
  try {
    return await measureStore(name, scratch, seconds, warmup, rawTable.insert);
  } finally {
    await rawTable.drop();
  }
}

async function measureStore(
  name: StoreName,
  scratch: Scratch,
  seconds: number,
  warmup: number,
  rawInsertOf: (payload: string) => Promise<void>,
): Promise<Record<string, string | number>> {
  const { store } = scratch;
  const services = buildServices(store);
  const workspace = await services.workspaces.create("bench", "Bench");
  const ctx = systemContext(workspace.id, "bench");

  const ids: string[] = [];
  let n = 0;
  const create = async () => {
    const i = n++;
    const record = await services.writer.create(ctx, "contact", {
      first_name: "Ada",
      last_name: `Bench ${i}`,
      email: `bench-${i}@example.com`,
      score: i % 100,
    });
    ids.push(record.id);
  };
  // A raw payload the size of a stored contact's JSON.
  await create();
  const sample = await store.records.getRecord(workspace.id, ids[0] ?? "");
  if (!sample) throw new Error("the first contact cannot be read back");
  const payload = JSON.stringify(sample.data);
  log(`${name}: raw payload ${payload.length} bytes`);
  const rawInsert = () => rawInsertOf(payload);

  const raw = await measure("raw inserts", seconds, 1, rawInsert, warmup);
  const creates = await measure("creates", seconds, 1, create, warmup);
  const read = async () => {
    const id = ids[Math.floor(Math.random() * ids.length)] ?? "";
    if (!(await store.records.getRecord(workspace.id, id))) throw new Error(`contact ${id} not found`);
  };
  const reads = await measure("point reads", seconds, 1, read, warmup);

  const result: Record<string, string | number> = {
    bench: "store",
    store: name,
    creates_per_s: Math.round(creates.perSecond),
    reads_per_s: Math.round(reads.perSecond),
    raw_inserts_per_s: Math.round(raw.perSecond),
    ratio: round(creates.perSecond / raw.perSecond),
  };
  if (name === "postgres") {
    // better-sqlite3 is synchronous: concurrent loops would only interleave, so PostgreSQL only.
    const rawC = await measure(`raw inserts, ${CONCURRENCY} clients`, seconds, CONCURRENCY, rawInsert, warmup);
    const createsC = await measure(`creates, ${CONCURRENCY} clients`, seconds, CONCURRENCY, create, warmup);
    result[`creates_per_s_c${CONCURRENCY}`] = Math.round(createsC.perSecond);
    result[`raw_inserts_per_s_c${CONCURRENCY}`] = Math.round(rawC.perSecond);
    result[`ratio_c${CONCURRENCY}`] = round(createsC.perSecond / rawC.perSecond);
  }

  // Every create committed its record, audit row and event together.
  const count = await store.records.countRecords(workspace.id, "contact");
  if (count !== n) throw new Error(`${n} creates but ${count} contacts stored`);
  const probe = ids[Math.floor(Math.random() * ids.length)] ?? "";
  if ((await store.audit.readAudit(workspace.id, probe, 5)).length !== 1) throw new Error(`contact ${probe} has no single audit row`);
  let events = 0;
  for (let after = 0; ; ) {
    const page = await store.events.readEvents(after, 1000, workspace.id);
    const last = page.at(-1);
    if (!last) break;
    events += page.length;
    after = last.position;
  }
  if (events !== n) throw new Error(`${n} creates but ${events} events`);
  result["seconds"] = seconds;
  return result;
}

function options() {
  const { values } = parseArgs({
    options: {
      store: { type: "string", default: "both" },
      seconds: { type: "string" },
      quick: { type: "boolean", default: false },
    },
    strict: true,
  });
  const stores: StoreName[] =
    values.store === "both" ? ["sqlite", "postgres"] : values.store === "sqlite" || values.store === "postgres" ? [values.store] : [];
  if (stores.length === 0) throw new Error(`--store must be sqlite, postgres or both, not "${values.store}"`);
  const given = values.seconds ?? (values.quick ? "0.1" : "3");
  const seconds = Number(given);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, not "${given}"`);
  return { stores, seconds, warmup: values.quick ? 0 : WARMUP_SECONDS };
}

async function main() {
  const { stores, seconds, warmup } = options();
  const adminUrl = process.env.BENCH_PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL;
  const cpu = cpus();
  log(
    `machine: ${cpu.length} cpus (${cpu[0]?.model.trim() ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `node ${process.version}, ${process.platform}/${process.arch}; ${seconds} s per figure after ${warmup} s warm-up`,
  );
  const results: string[] = [];
  for (const name of stores) {
    log(`${name}:`);
    const scratch = name === "sqlite" ? await sqliteScratch() : await postgresScratch(adminUrl);
    try {
      results.push(JSON.stringify(await benchStore(name, scratch, seconds, warmup)));
    } finally {
      await scratch.dispose();
    }
  }
  process.stdout.write(`${results.join("\n")}\n`);
}

main().catch((error: unknown) => {
  log(`bench:store failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

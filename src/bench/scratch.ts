/**
 * Scratch storage and small helpers shared by the benchmark scripts: a SQLite file in a fresh
 * temp directory, or a new PostgreSQL database `handoff_bench_<random>` that is dropped
 * afterwards (without `force`, retrying while the pool's closing sessions are still counted).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { type Config, loadConfig, sqliteFile } from "../composition/config.js";
import { openStore } from "../composition/root.js";
import type { Store } from "../store/ports.js";

export type StoreName = "sqlite" | "postgres";

export const DEFAULT_PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export const log = (line: string) => process.stderr.write(`${line}\n`);

export interface Scratch {
  store: Store;
  config: Config;
  /** Where the store lives: the SQLite file, or the scratch database's URL. */
  location: string;
  dispose(): Promise<void>;
}

export async function sqliteScratch(): Promise<Scratch> {
  const dir = mkdtempSync(join(tmpdir(), "handoff-bench-"));
  const config = loadConfig({}, { dataDir: dir });
  const store = openStore(config);
  return {
    store,
    config,
    location: sqliteFile(config),
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(adminUrl: string, text: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * pg's pool.end() resolves before its connections have closed; `drop … with (force)` at that
 * moment terminates them, and the idle client's error crashes the process. So drop without
 * force, retrying while the closing sessions are still counted.
 */
async function dropDatabase(adminUrl: string, name: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(adminUrl, `drop database if exists ${name}`);
      return;
    } catch (error) {
      const inUse = (error as { code?: string }).code === "55006";
      if (!inUse || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function postgresScratch(adminUrl: string): Promise<Scratch> {
  const name = `handoff_bench_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const config = loadConfig({}, { databaseUrl: url.toString() });
  const store = openStore(config);
  return {
    store,
    config,
    location: url.toString(),
    async dispose() {
      await store.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

export interface Rate {
  ops: number;
  seconds: number;
  perSecond: number;
}

/** Runs `op` in `clients` sequential loops for `seconds` (after `warmup` seconds); counts completed ops. */
export async function measure(label: string, seconds: number, clients: number, op: () => Promise<void>, warmup = 0.5): Promise<Rate> {
  const runFor = async (duration: number) => {
    let ops = 0;
    const start = performance.now();
    const deadline = start + duration * 1000;
    const loop = async () => {
      while (performance.now() < deadline) {
        await op();
        ops++;
      }
    };
    await Promise.all(Array.from({ length: clients }, loop));
    const elapsed = (performance.now() - start) / 1000;
    return { ops, seconds: elapsed, perSecond: ops / elapsed };
  };
  if (warmup > 0) await runFor(warmup);
  const rate = await runFor(seconds);
  log(`  ${label.padEnd(26)} ${String(Math.round(rate.perSecond)).padStart(7)}/s  (${rate.ops} in ${rate.seconds.toFixed(2)} s)`);
  return rate;
}

/** A fresh scratch store of the kind named (PostgreSQL through BENCH_PG_ADMIN_URL, or the local server). */
export function scratchFor(name: StoreName): Promise<Scratch> {
  return name === "sqlite" ? sqliteScratch() : postgresScratch(process.env.BENCH_PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL);
}

/** The q-quantile (0–1) of ascending values, by nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

export function round(x: number, digits = 3) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A size a benchmark takes on its command line: its full and its `--quick` default. */
export interface SizeOption {
  full: number;
  quick: number;
  /** Fractions allowed (seconds); otherwise a whole number. */
  fraction?: boolean;
}

/**
 * The command line every per-store benchmark shares — `--store sqlite|postgres|both` (default
 * both), `--quick`, and its own sizes, each a positive number (`--<key> N`) — then one JSON line
 * per store on stdout, progress on stderr; an error is printed and exits 1.
 */
export function benchPerStore<K extends string>(
  sizes: Record<K, SizeOption>,
  run: (store: StoreName, sizes: Record<K, number>, quick: boolean) => Promise<object>,
): void {
  const main = async () => {
    const keys = Object.keys(sizes) as K[];
    const { values } = parseArgs({
      options: {
        store: { type: "string", default: "both" },
        quick: { type: "boolean", default: false },
        ...Object.fromEntries(keys.map((k) => [k, { type: "string" as const }])),
      },
      strict: true,
    });
    const quick = values.quick === true;
    const chosen = {} as Record<K, number>;
    for (const k of keys) {
      const given = (values as Record<string, string | boolean | undefined>)[k] as string | undefined;
      const option = sizes[k];
      const n = Number(given ?? (quick ? option.quick : option.full));
      const ok = Number.isFinite(n) && n > 0 && (option.fraction === true || Number.isInteger(n));
      if (!ok) throw new Error(`--${k} takes a positive ${option.fraction ? "" : "whole "}number, not ${given}`);
      chosen[k] = n;
    }
    const stores = values.store === "both" ? (["sqlite", "postgres"] as const) : [values.store];
    for (const name of stores) {
      if (name !== "sqlite" && name !== "postgres") throw new Error(`--store must be sqlite, postgres or both, not "${name}"`);
      console.log(JSON.stringify(await run(name, chosen, quick)));
    }
  };
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * A production PostgreSQL has autovacuum on (its default), which analyzes tables as they fill;
 * these machines' PostgreSQL has it off, and a planner without statistics after a bulk load
 * plans as if the tables were empty — figures of a server nobody runs. So a bench analyzes the
 * scratch database once after loading it, as autovacuum would have by then, and says so (as
 * bench:engine does). Returns whether it did.
 */
export async function analyzeWithoutAutovacuum(name: StoreName, scratch: Scratch): Promise<boolean> {
  if (name !== "postgres") return false;
  const client = new pg.Client({ connectionString: scratch.location });
  await client.connect();
  try {
    const { rows } = await client.query<{ autovacuum: string }>("select current_setting('autovacuum') as autovacuum");
    if (rows[0]?.autovacuum === "on") return false;
    await client.query("analyze");
    log("  autovacuum is off on this server: analyzed the scratch database once, after loading it");
    return true;
  } finally {
    await client.end();
  }
}

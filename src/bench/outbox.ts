/**
 * `npm run bench:outbox` — outbox delivery throughput (engineering.md §5).
 *
 * In one run, against one local node:http receiver that answers 200 with a small JSON body:
 * - deliveries_per_s: N outbox items enqueued, then delivered by the dispatcher (claim with a
 *   lease, caps, one HTTP attempt through the egress guard, settle in a transaction) until all
 *   are delivered;
 * - plain_http_per_s: N plain node:http POSTs to the same receiver with the same concurrency —
 *   the ceiling of the HTTP part alone;
 * - transport_per_s: N POSTs through the guarded transport (sendHttp: egress check, pinned
 *   address, a new connection per call) with the same concurrency — the ceiling of delivery
 *   without the outbox.
 * `ratio` is the first over the second. Afterwards the script checks that every item is
 * delivered and that the receiver saw each idempotency key exactly once.
 *
 * Options: --store sqlite|postgres (default sqlite), --n N items (default 2000), --concurrency C
 * (default 8), --quick (50 items unless --n says otherwise: what `npm test` runs, for the checks,
 * not the figures). Progress goes to stderr; the last line on stdout is the JSON result.
 *
 * The bench's connector goes through the same schema as a workspace's connector
 * (httpConfigSchema), so a setting the schema stops accepting fails here at once, with the
 * schema's message, instead of every item quietly becoming a dead letter.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { buildServices } from "../composition/root.js";
import { httpConfigSchema } from "../connectors/config-schemas.js";
import type { ResolvedConnector } from "../connectors/contract.js";
import { sendHttp } from "../connectors/egress/http-transport.js";
import { DEFAULT_PG_ADMIN_URL, log, postgresScratch, round, type Scratch, sqliteScratch } from "./scratch.js";

interface Receiver {
  url: string;
  port: number;
  /** How many requests each idempotency key reached the receiver with. */
  keys(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * The receiver runs in its own process, as a real one would: a receiver sharing this event loop
 * would wait on every synchronous SQLite commit and measure that instead of the dispatcher.
 */
const RECEIVER = `
const http = require("node:http");
const keys = {};
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url === "/stats") { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify(keys)); return; }
    const key = req.headers["idempotency-key"];
    if (typeof key === "string") keys[key] = (keys[key] || 0) + 1;
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
});
server.keepAliveTimeout = 10000;
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
`;

async function startReceiver(): Promise<Receiver> {
  const child = spawn(process.execPath, ["-e", RECEIVER], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString("utf8").trim())));
    child.once("exit", (code) => reject(new Error(`the receiver exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    keys: async () => (await (await fetch(`${url}/stats`)).json()) as Record<string, number>,
    close: async () => {
      child.kill();
    },
  };
}

function plainPost(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Calls per second of `n` calls of `op`, `concurrency` at a time. */
async function loop(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / ((performance.now() - started) / 1_000);
}

async function main() {
  const { values } = parseArgs({
    options: {
      store: { type: "string", default: "sqlite" },
      n: { type: "string" },
      concurrency: { type: "string", default: "8" },
      quick: { type: "boolean", default: false },
    },
    strict: true,
  });
  const n = Number(values.n ?? (values.quick ? "50" : "2000"));
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n takes a positive whole number, not ${values.n}`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`--concurrency takes a positive whole number, not ${values.concurrency}`);
  if (values.store !== "sqlite" && values.store !== "postgres")
    throw new Error(`--store must be sqlite or postgres, not "${values.store}"`);
  const storeName = values.store;
  const scratch: Scratch =
    storeName === "postgres" ? await postgresScratch(process.env.BENCH_PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL) : await sqliteScratch();
  const rx = await startReceiver();
  try {
    const { store } = scratch;
    await store.migrate();
    // The highest rate a connector may have: the dispatcher's cap must not be what is measured.
    const config = httpConfigSchema.safeParse({ base_url: rx.url, rate_per_s: 1_000, concurrency });
    if (!config.success)
      throw new Error(
        `the bench's connector settings are refused: ${config.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    const connector: ResolvedConnector = { id: "bench", key: "bench", kind: "http", config: config.data, secrets: {} };
    const services = buildServices(store, undefined, undefined, {
      egressAllow: [`127.0.0.1:${rx.port}`],
      connectors: { resolve: async (_ws, key) => (key === "bench" ? connector : undefined) },
      dispatcher: { claimBatch: 100, idleMs: 5 },
    });
    const ws = await services.workspaces.create("bench", "Bench");
    const now = new Date().toISOString();
    log(`${storeName}: enqueueing ${n} items (${cpus().length} cores)`);
    for (let i = 0; i < n; i += 500) {
      const batch = Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
        workspaceId: ws.id,
        id: `ob-${String(i + j).padStart(8, "0")}`,
        key: `bench:${i + j}`,
        kind: "http" as const,
        connector: "bench",
        subscriptionId: null,
        runId: null,
        recordId: null,
        payload: { method: "POST", path: "/outbox", body: JSON.stringify({ i: i + j }), headers: { "content-type": "application/json" } },
        nextAttemptAt: now,
      }));
      await store.transaction((tx) => tx.outbox.insertOutboxItems(batch));
    }

    log("plain node:http loop…");
    const plain = await loop(n, concurrency, (i) => plainPost(`${rx.url}/plain`, JSON.stringify({ i })));
    log("guarded transport loop…");
    const transport = await loop(n, concurrency, (i) =>
      sendHttp(
        { method: "POST", url: `${rx.url}/transport`, body: JSON.stringify({ i }) },
        { guard: services.egress, timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 },
      ),
    );
    log("dispatcher…");
    const started = performance.now();
    await services.dispatcher.drain(100_000);
    const deliveries = n / ((performance.now() - started) / 1_000);

    const delivered = await store.outbox.listOutbox({ workspaceId: ws.id, status: "delivered", limit: n + 1 });
    const keys = Object.values(await rx.keys());
    const duplicates = keys.filter((c) => c > 1).length;
    if (delivered.length !== n || keys.length !== n || duplicates > 0) {
      const dead = await store.outbox.listOutbox({ workspaceId: ws.id, status: "dead", limit: 1 });
      const why = dead[0] ? `; first dead letter: ${dead[0].lastError}` : "";
      throw new Error(`check failed: ${delivered.length}/${n} delivered, ${keys.length} keys seen, ${duplicates} duplicated${why}`);
    }
    log(`checked: ${n} delivered, each key received once`);
    console.log(
      JSON.stringify({
        bench: "outbox",
        store: storeName,
        n,
        delivered: delivered.length,
        keys_received: keys.length,
        duplicated_keys: duplicates,
        concurrency,
        deliveries_per_s: round(deliveries, 1),
        plain_http_per_s: round(plain, 1),
        transport_per_s: round(transport, 1),
        ratio: round(deliveries / plain),
        ratio_to_transport: round(deliveries / transport),
      }),
    );
  } finally {
    await rx.close();
    await scratch.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

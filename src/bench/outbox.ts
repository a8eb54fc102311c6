/**
 * `npm run bench:outbox` — outbox delivery throughput (engineering.md §5).
 *
 * In one run, against one local node:http receiver that answers 200 with a small JSON body:
 * - deliveries_per_s: N outbox items enqueued, then delivered by the dispatcher (claim with a
 *   lease, caps, one HTTP attempt through the egress guard, settle in a transaction) until all
 *   are delivered;
 * - plain_http_per_s: N plain node:http POSTs to the same receiver with the same concurrency —
 *   the ceiling of the HTTP part alone.
 * `ratio` is the first over the second. Afterwards the script checks that every item is
 * delivered and that the receiver saw each idempotency key exactly once.
 *
 * Options: --store sqlite|postgres (default sqlite), --n N items (default 2000), --concurrency C
 * (default 8). Progress goes to stderr; the last line on stdout is the JSON result.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { buildServices } from "../composition/root.js";
import type { ResolvedConnector } from "../connectors/contract.js";
import { DEFAULT_PG_ADMIN_URL, log, postgresScratch, round, type Scratch, sqliteScratch } from "./scratch.js";

interface Receiver {
  url: string;
  port: number;
  keys: Map<string, number>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const keys = new Map<string, number>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = req.headers["idempotency-key"];
      if (typeof key === "string") keys.set(key, (keys.get(key) ?? 0) + 1);
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
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

async function plainLoop(url: string, n: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await plainPost(`${url}/plain`, JSON.stringify({ i }));
      }
    }),
  );
  return n / ((performance.now() - started) / 1_000);
}

async function main() {
  const { values } = parseArgs({
    options: {
      store: { type: "string", default: "sqlite" },
      n: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "8" },
    },
  });
  const n = Number(values.n);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n takes a positive whole number, not ${values.n}`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`--concurrency takes a positive whole number, not ${values.concurrency}`);
  const storeName = values.store === "postgres" ? "postgres" : "sqlite";
  const scratch: Scratch =
    storeName === "postgres" ? await postgresScratch(process.env.BENCH_PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL) : await sqliteScratch();
  const rx = await startReceiver();
  try {
    const { store } = scratch;
    await store.migrate();
    const connector: ResolvedConnector = {
      id: "bench",
      key: "bench",
      kind: "http",
      config: { base_url: rx.url, rate_per_s: 1_000_000, concurrency },
      secrets: {},
    };
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
      await store.transaction((tx) => tx.insertOutboxItems(batch));
    }

    log("plain node:http loop…");
    const plain = await plainLoop(rx.url, n, concurrency);
    log("dispatcher…");
    const started = performance.now();
    await services.dispatcher.drain(100_000);
    const deliveries = n / ((performance.now() - started) / 1_000);

    const delivered = await store.listOutbox({ workspaceId: ws.id, status: "delivered", limit: n + 1 });
    const duplicates = [...rx.keys.values()].filter((c) => c > 1).length;
    if (delivered.length !== n || rx.keys.size !== n || duplicates > 0)
      throw new Error(`check failed: ${delivered.length}/${n} delivered, ${rx.keys.size} keys seen, ${duplicates} duplicated`);
    log(`checked: ${n} delivered, each key received once`);
    console.log(
      JSON.stringify({
        bench: "outbox",
        store: storeName,
        n,
        concurrency,
        deliveries_per_s: round(deliveries, 1),
        plain_http_per_s: round(plain, 1),
        ratio: round(deliveries / plain),
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

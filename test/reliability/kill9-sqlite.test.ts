/**
 * engineering.md §3.1: "if it got a 2xx, its effects and events are durable". The real server
 * (dist/cli/main.js serve --demo) on SQLite takes a stream of concurrent creates and is killed
 * with SIGKILL while requests are in flight. After a restart on the same data directory every
 * acknowledged record must be readable with the data that was sent, and have its
 * record.created event and its audit entry. Records that were written but not acknowledged
 * (the kill raced the response) must be whole too: record, event and audit commit together.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, killServer, type ServerProcess, startServerOnFreePort } from "../cli/process.js";
import { tempDir } from "../helpers/stores.js";

const WRITERS = 4;
/** Kill once this much time has passed and at least MIN_ACKS writes were acknowledged. */
const KILL_AFTER_MS = 1_500;
const MIN_ACKS = 50;
/** Bounds: no writer loops forever, whatever happens. */
const MAX_PER_WRITER = 5_000;
const WRITE_DEADLINE_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Marks this test's contacts (the demo workspace has 5,000 others). */
const MARK = "K9";

interface Sent {
  first_name: string;
  last_name: string;
  email: string;
}
interface Ack {
  id: string;
  version: number;
  sent: Sent;
}

let dir: string;
let server: ServerProcess | undefined;
let token: string;

/** Starts `serve --demo` on the data directory; ready once /health answers and the token file exists. */
function startServer(): Promise<ServerProcess> {
  return startServerOnFreePort(["--demo", "--data-dir", dir], async (started) => {
    const res = await fetch(`${started.url}/health`, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    if (res.status !== 200) return false;
    try {
      return readFileSync(join(dir, "demo-token"), "utf8").trim().startsWith("hk_");
    } catch {
      return false;
    }
  });
}

function api(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  if (!server) throw new Error("no server running");
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (json !== undefined) headers.set("content-type", "application/json");
  return fetch(`${server.url}${path}`, {
    ...rest,
    headers,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
}

async function getJson<T>(path: string): Promise<T> {
  const res = await api(path);
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Runs `fn` over `items` with at most `width` calls at a time. */
async function eachLimited<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-kill9-");
  server = await startServer(); // first start seeds the demo workspace and writes the token file
  token = readFileSync(join(dir, "demo-token"), "utf8").trim();
});

afterAll(async () => {
  await killServer(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("kill -9 of the server during a stream of writes (SQLite)", () => {
  const acked: Ack[] = [];
  let attempted = 0;
  let inFlightAtKill = 0;
  /** Every record of this test found after the restart, acknowledged or not. */
  const written: Array<{ id: string; email: string }> = [];

  it("takes concurrent writes and is killed with SIGKILL while requests are in flight", async () => {
    const victim = server;
    if (!victim) throw new Error("no server");
    let inFlight = 0;
    let killed = false;
    const started = Date.now();
    let killedAt: Promise<void> | undefined;

    const kill = () => {
      if (killed) return;
      killed = true;
      inFlightAtKill = inFlight;
      victim.child.kill("SIGKILL");
      killedAt = victim.exited.then(() => undefined);
    };

    const writer = async (w: number) => {
      for (let i = 0; i < MAX_PER_WRITER && !killed; i++) {
        if (Date.now() - started > WRITE_DEADLINE_MS) throw new Error(`writes did not reach ${MIN_ACKS} acks in time`);
        const sent: Sent = { first_name: `W${w}`, last_name: `${MARK}-${w}-${i}`, email: `k9-${w}-${i}@example.com` };
        attempted++;
        inFlight++;
        let res: Response;
        try {
          res = await api("/api/v1/contacts", { method: "POST", json: sent });
        } catch (error) {
          inFlight--;
          // Only the kill may break a request; before it, a failure is a real failure.
          if (!killed) throw error;
          return;
        }
        try {
          if (res.status !== 201) throw new Error(`POST → ${res.status}: ${await res.text()}`);
          const body = (await res.json()) as { id: string; version: number };
          // Only a complete 201 response counts as acknowledged.
          acked.push({ id: body.id, version: body.version, sent });
        } catch (error) {
          if (!killed) throw error;
          return;
        } finally {
          inFlight--;
        }
      }
    };

    // The kill comes from a timer, not from a writer, so it lands anywhere in a request's life:
    // while parsing, inside the transaction, between commit and response.
    const killer = setInterval(
      () => {
        if (!killed && Date.now() - started >= KILL_AFTER_MS && acked.length >= MIN_ACKS) kill();
      },
      7 + Math.floor(Math.random() * 7),
    );
    const results = await Promise.allSettled(Array.from({ length: WRITERS }, (_, w) => writer(w))).finally(() => clearInterval(killer));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failures.length > 0) throw failures[0]?.reason;
    expect(killed).toBe(true);
    await killedAt;
    const exit = await victim.exited;
    expect(exit.signal).toBe("SIGKILL");
    server = undefined;

    expect(acked.length).toBeGreaterThanOrEqual(MIN_ACKS);
    // The kill hit while other writers were waiting for their answers.
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(new Set(acked.map((a) => a.id)).size).toBe(acked.length);
  }, 90_000);

  it("restarts on the same data directory without seeding again", async () => {
    const tokenBefore = token;
    server = await startServer();
    expect(readFileSync(join(dir, "demo-token"), "utf8").trim()).toBe(tokenBefore);
    // Still the one demo workspace: the old token works and the seed was not repeated.
    const me = await getJson<{ workspace: { slug: string } }>("/api/v1/me");
    expect(me.workspace.slug).toBe("demo");
  }, 90_000);

  it("has every acknowledged write, with the data that was sent", async () => {
    expect(acked.length).toBeGreaterThan(0);
    const missing: string[] = [];
    await eachLimited(acked, 4, async (a) => {
      const res = await api(`/api/v1/contacts/${a.id}`);
      if (res.status === 404) {
        missing.push(a.id);
        await res.body?.cancel();
        return;
      }
      expect(res.status).toBe(200);
      const record = (await res.json()) as Record<string, unknown>;
      expect(record).toMatchObject({ id: a.id, object: "contact", version: a.version, ...a.sent });
    });
    expect(missing, `acknowledged but lost after kill -9 (${missing.length} of ${acked.length})`).toEqual([]);
  });

  it("has no unacknowledged duplicates and never more records than attempts", async () => {
    const found: Array<{ id: string; email: string }> = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const q = new URLSearchParams({ where: `last_name:starts_with:${MARK}-`, limit: "500" });
      if (cursor) q.set("cursor", cursor);
      const body: { data: Array<{ id: string; email: string }>; next_cursor: string | null } = await getJson(`/api/v1/contacts?${q}`);
      found.push(...body.data);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    const emails = found.map((r) => r.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(found.length).toBeGreaterThanOrEqual(acked.length);
    expect(found.length).toBeLessThanOrEqual(attempted);
    const ids = new Set(found.map((r) => r.id));
    for (const a of acked) expect(ids.has(a.id)).toBe(true);
    written.push(...found);
    // Records that made it to disk without an answer are at most the requests cut by the kill.
    expect(found.length - acked.length).toBeLessThanOrEqual(inFlightAtKill);
  });

  it("has a record.created event for every acknowledged write (and every written one)", async () => {
    const created = new Map<string, { object: string; record_version: number }>();
    let after = 0;
    for (let page = 0; page < 1_000; page++) {
      const body = await getJson<{
        data: Array<{ position: number; type: string; object: string; record_id: string; record_version: number }>;
        last_position: number;
      }>(`/api/v1/events?after=${after}&limit=1000`);
      if (body.data.length === 0) break;
      for (const e of body.data) if (e.type === "record.created") created.set(e.record_id, e);
      expect(body.last_position).toBeGreaterThan(after);
      after = body.last_position;
    }
    const withoutEvent = acked.filter((a) => !created.has(a.id)).map((a) => a.id);
    expect(withoutEvent, "acknowledged writes without their record.created event").toEqual([]);
    for (const a of acked) expect(created.get(a.id)).toMatchObject({ object: "contact", record_version: 1 });
    // A record that reached the disk unacknowledged still committed together with its event.
    expect(written.length).toBeGreaterThanOrEqual(acked.length);
    expect(written.filter((r) => !created.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it("has the audit entry of every acknowledged write (and every written one)", async () => {
    const withoutAudit: string[] = [];
    const sentEmail = new Map(acked.map((a) => [a.id, a.sent.email]));
    expect(written.length).toBeGreaterThanOrEqual(acked.length);
    await eachLimited(written, 4, async (r) => {
      const body = await getJson<{ data: Array<{ action: string; changes: Array<{ field: string; old: unknown; new: unknown }> }> }>(
        `/api/v1/contacts/${r.id}/history`,
      );
      const create = body.data.find((e) => e.action === "create");
      if (!create) {
        withoutAudit.push(r.id);
        return;
      }
      const email = create.changes.find((c) => c.field === "email");
      expect(email).toMatchObject({ old: null, new: sentEmail.get(r.id) ?? r.email });
    });
    expect(withoutAudit, "written records without their audit entry").toEqual([]);
  });

  it("accepts writes again after the restart", async () => {
    const res = await api("/api/v1/contacts", {
      method: "POST",
      json: { last_name: `${MARK}-after`, email: "k9-after@example.com" },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string };
    const again = await api(`/api/v1/contacts/${body.id}`);
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});

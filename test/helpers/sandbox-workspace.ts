/**
 * A demo-like workspace for sandbox tests (issue 19): a team with its lead and reps, the queue
 * speed-to-lead assigns through, a manager who approves discounts, connectors of every kind and a
 * webhook subscription pointing at local TCP listeners (allow-listed, so that a real run WOULD
 * reach them), the speed-to-lead recipe live, a discount approval and a workflow that calls out
 * on every channel. Also: row counts of every table of the live store, and the listeners.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { sql } from "kysely";
import { systemContext } from "../../src/app/context.js";
import type { Store } from "../../src/store/ports.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { dealApproval } from "./approval-desk.js";
import type { TestServer } from "./server.js";

export type Json = Record<string, any>;

/** A TCP listener that counts the connections it was offered (it answers none). */
export interface Listener {
  host: string;
  port: number;
  connections(): number;
  close(): Promise<void>;
}

export async function startListener(): Promise<Listener> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    host: "127.0.0.1",
    port: address.port,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Rows of every table of the live store, by table. */
export async function rowCounts(store: Store): Promise<Record<string, number>> {
  const db = (store as unknown as SqlStore).db;
  const tables =
    store.dialect === "sqlite"
      ? (
          await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
        ).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(db)).rows.map(
          (r) => r.name,
        );
  const counts: Record<string, number> = {};
  for (const t of tables.sort()) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db);
    counts[t] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

export const speedToLead = () => JSON.parse(readFileSync(join(process.cwd(), "recipes", "speed-to-lead.json"), "utf8"));

/** Calls out on every channel: an HTTP request, a chat message; the webhook subscription sees the lead too. */
export const everyChannel = {
  key: "every-channel",
  name: "Every channel",
  description: "Calls out on every channel, so that a test run shows what each would have sent.",
  object: "lead",
  trigger: { type: "record_created" },
  start: "call",
  steps: {
    call: {
      type: "action",
      action: {
        type: "http_request",
        connector: "crm-sync",
        path: "/leads/{{ record.last_name }}",
        body: { name: "{{ record.first_name }}" },
      },
      next: "post",
      on_failure: "post",
    },
    post: { type: "action", action: { type: "send_chat", text: "New lead: {{ record.first_name }}" }, next: "done", on_failure: "done" },
    done: { type: "end" },
  },
};

export interface SandboxWorkspace {
  reps: Json[];
  lead: Json;
  manager: Json;
  speedToLeadId: string;
  approvalId: string;
  everyChannelId: string;
}

export async function seedSandboxWorkspace(
  s: TestServer,
  listeners: { smtp: Listener; http: Listener; chat: Listener; hook: Listener },
): Promise<SandboxWorkspace> {
  const team = await s.post("/api/v1/teams", { name: "Americas East" });
  const lead = await s.post("/api/v1/users", { name: "Tess Lead", email: "tess@acme.test", role: "manager", team_id: team.id });
  await s.json(`/api/v1/teams/${team.id}`, { method: "PATCH", json: { lead_id: lead.id } });
  const reps: Json[] = [];
  for (const [i, name] of ["Ana Rep", "Ben Rep", "Cleo Rep"].entries())
    reps.push(
      await s.post("/api/v1/users", {
        name,
        email: `rep${i}@acme.test`,
        role: "rep",
        team_id: team.id,
        calendar_link: `https://cal.example/rep${i}`,
      }),
    );
  const manager = await s.post("/api/v1/users", { name: "Max Manager", email: "max@acme.test", role: "manager" });
  const ctx = systemContext(s.workspace.id);
  await s.services.routing.queues.create(ctx, {
    name: "Inbound reps",
    description: "speed to lead",
    strategy: "round_robin",
    respect_availability: false,
    members: reps.map((r) => ({ user_id: r.id })),
  });
  await s.post("/api/v1/connectors", {
    key: "email",
    kind: "smtp",
    config: { host: listeners.smtp.host, port: listeners.smtp.port, secure: false, from: "hello@acme.test" },
    secrets: {},
  });
  await s.post("/api/v1/connectors", {
    key: "crm-sync",
    kind: "http",
    config: {
      base_url: `http://127.0.0.1:${listeners.http.port}`,
      auth: { type: "bearer" },
      headers: { "x-api-key": "k-123", "x-team": "east" },
    },
    secrets: { token: "s3cret-token" },
  });
  await s.post("/api/v1/connectors", {
    key: "chat",
    kind: "chat",
    config: {},
    secrets: { webhook_url: `http://127.0.0.1:${listeners.chat.port}/chat` },
  });
  await s.post("/api/v1/webhook-subscriptions", { url: `http://127.0.0.1:${listeners.hook.port}/hooks`, events: ["lead.created"] });
  const stl = await s.publish(speedToLead());
  const approval = await s.publish(dealApproval("discount"));
  const channels = await s.publish(everyChannel);
  return { reps, lead, manager, speedToLeadId: stl.id, approvalId: approval.id, everyChannelId: channels.id };
}

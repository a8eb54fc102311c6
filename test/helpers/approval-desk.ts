/**
 * A workspace for approval tests over HTTP (test/api/approvals-api.test.ts, test/cli/approvals.test.ts):
 * its people, each with a token made for them, a deal workflow whose first step is an approval,
 * and a deal whose run opens a request. Each caller gets its own workspace, so that one test's
 * workflow and locks never reach another's.
 */
import { expect } from "vitest";
import type { TestServer } from "./server.js";

export type Json = Record<string, any>;

/** What a call answered: status and parsed body (problem+json on refusals). */
export interface Answer {
  status: number;
  body: Json;
}

/** The approval step of the test workflow; `step` overrides its keys. */
export function dealApproval(key: string, step: Record<string, unknown> = {}) {
  return {
    key,
    name: `Deal approval ${key}`,
    description: "Discounts are approved by a manager before a deal is won.",
    object: "deal",
    trigger: { type: "record_created" },
    start: "approve",
    steps: {
      approve: {
        type: "approval",
        summary: "Discount of {{ record.discount_pct }}% on {{ record.name }}",
        fields: ["discount_pct"],
        routes: [{ levels: [{ name: "Managers", approvers: [{ role: "manager" }], require: "any" }] }],
        on_approved: "won",
        on_rejected: "lost",
        ...step,
      },
      won: { type: "action", action: { type: "create_task", subject: "Discount approved" } },
      lost: { type: "end" },
    },
  };
}

export interface Person {
  id: string;
  name: string;
  token: string;
}

/** A workspace with its people (each with a token made for them) and the test workflow live. */
export interface Desk {
  admin: Person;
  sam: Person; // a rep: the deal's owner, so the request's submitter
  rita: Person; // another rep: neither submitter nor approver
  ann: Person; // manager: an approver
  bob: Person; // manager: an approver
  /** The workspace's admin token, made for no user. */
  workspaceToken: string;
  call(who: Person | string, path: string, init?: RequestInit & { json?: unknown }): Promise<Answer>;
}

export async function openDesk(s: TestServer, slug: string): Promise<Desk> {
  const ws = await s.newWorkspace(slug);
  const call: Desk["call"] = async (who, path, init = {}) => {
    const res = await s.api(path, { ...init, as: typeof who === "string" ? who : who.token });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  const ok = async (path: string, json: unknown) => {
    const a = await call(ws.token, path, { method: "POST", json });
    if (a.status >= 300) throw new Error(`${path}: ${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const person = async (name: string, role: string): Promise<Person> => {
    const user = await ok("/api/v1/users", { name, email: `${name.split(" ")[0]?.toLowerCase()}@${slug}.test`, role });
    const token = await ok("/api/v1/tokens", { name: `${name}'s token`, role, user_id: user.id });
    return { id: user.id as string, name, token: token.token as string };
  };
  return {
    admin: await person("Ada Admin", "admin"),
    sam: await person("Sam Rep", "rep"),
    rita: await person("Rita Rep", "rep"),
    ann: await person("Ann Manager", "manager"),
    bob: await person("Bob Manager", "manager"),
    workspaceToken: ws.token,
    call,
  };
}

/**
 * Publishes a definition as the desk's admin; the answer of the publish (not thrown: some tests
 * expect refusals). Conflict warnings with the desk's other workflows are acknowledged.
 */
export async function publish(desk: Desk, definition: unknown): Promise<Answer> {
  const saved = await desk.call(desk.admin, "/api/v1/workflows", { method: "POST", json: { definition } });
  if (saved.status !== 201 && saved.status !== 200) return saved;
  return desk.call(desk.admin, `/api/v1/workflows/${saved.body.id}/publish`, { method: "POST", json: { acknowledge_conflicts: true } });
}

/** A desk with the workflow live and one deal of Sam's, its request open; the request as Ann sees it. */
export async function openRequest(
  s: TestServer,
  slug: string,
  step: Record<string, unknown> = {},
  beforeDeal?: (desk: Desk) => Promise<void>,
) {
  const desk = await openDesk(s, slug);
  await beforeDeal?.(desk);
  const live = await publish(desk, dealApproval(slug, step));
  expect(live.status, JSON.stringify(live.body)).toBe(200);
  const deal = await newDeal(s, desk);
  const inbox = await desk.call(desk.ann, "/api/v1/approvals?view=mine");
  expect(inbox.status).toBe(200);
  expect(inbox.body.data).toHaveLength(1);
  return { desk, deal, request: inbox.body.data[0] as Json };
}

/** Sam creates a deal with a 25% discount; the worker opens its request. */
export async function newDeal(s: TestServer, desk: Desk): Promise<Json> {
  const deal = await desk.call(desk.sam, "/api/v1/deals", {
    method: "POST",
    json: { name: "Acme renewal", amount: 40000, discount_pct: 25, owner_id: desk.sam.id },
  });
  expect(deal.status, JSON.stringify(deal.body)).toBe(201);
  await s.services.worker.drain();
  return deal.body;
}

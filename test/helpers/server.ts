/**
 * A real Handoff HTTP server on an ephemeral port, over a real store, with a workspace and
 * admin token ready. Tests talk to it with fetch, as any client would.
 */

import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { type RunningServer, startServer } from "../../src/api/server.js";
import type { Clock } from "../../src/app/ports.js";
import { SecretBox } from "../../src/app/secrets/secret-box.js";
import { loadConfig } from "../../src/composition/config.js";
import { buildServices, type Services } from "../../src/composition/root.js";
import type { ConnectorDirectory } from "../../src/connectors/contract.js";
import type { DispatcherOptions } from "../../src/runtime/dispatcher.js";
import type { LoopLimits } from "../../src/runtime/matcher.js";
import type { Workspace } from "../../src/store/ports.js";
import type { TestStore } from "./stores.js";

export interface TestServer {
  url: string;
  services: Services;
  workspace: Workspace;
  /** Admin token of `workspace`. */
  token: string;
  /** fetch with the admin token (or `as` another) and JSON helpers. */
  api(path: string, init?: RequestInit & { json?: unknown; as?: string }): Promise<Response>;
  newWorkspace(slug: string, role?: string): Promise<{ workspace: Workspace; token: string }>;
  /** GET as the admin, parsed JSON. */
  get(path: string): Promise<Record<string, any>>;
  /** POST JSON as the admin; a non-2xx answer throws with its body. */
  post(path: string, json: unknown): Promise<Record<string, any>>;
  /** Any call (as the admin or `as` another token), its answer parsed; a non-2xx answer throws with its body. */
  json(path: string, init?: RequestInit & { json?: unknown; as?: string }): Promise<Record<string, any>>;
  /**
   * Saves a workflow definition and publishes it over the API; the published workflow's view.
   * Conflict warnings are acknowledged: tests that publish workflows writing one field, or
   * triggering each other (loop protection), test something else; test/api/publish-conflicts
   * tests the refusal.
   */
  publish(definition: unknown): Promise<Record<string, any>>;
  close(): Promise<void>;
}

export async function startTestServer(
  testStore: TestStore,
  overrides: Record<string, unknown> = {},
  options: {
    worker?: boolean;
    secretBox?: SecretBox;
    limits?: Partial<LoopLimits>;
    egressAllow?: readonly string[];
    /** Outbox delivery options (a fast retry policy in tests); the dispatcher runs with the worker. */
    dispatcher?: Partial<DispatcherOptions>;
    connectors?: ConnectorDirectory;
    /** The services' clock (default: the real one); a simulated twin lets a test move time. */
    clock?: Clock;
    /** SLA milestones fall due by `clock` instead of the database's (test-only; see buildServices). */
    slaDueByServiceClock?: boolean;
    /** Score decay falls due by `clock` instead of the database's (test-only; see buildServices). */
    scoreDueByServiceClock?: boolean;
  } = {},
): Promise<TestServer> {
  const services = buildServices(testStore.store, options.clock, undefined, {
    worker: { idleMs: 50 },
    ...(options.slaDueByServiceClock ? { slaDueByServiceClock: true } : {}),
    ...(options.scoreDueByServiceClock ? { scoreDueByServiceClock: true } : {}),
    secretBox: options.secretBox ?? new SecretBox(randomBytes(32)),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.egressAllow ? { egressAllow: options.egressAllow } : {}),
    dispatcher: { idleMs: 50, ...options.dispatcher },
    ...(options.connectors ? { connectors: options.connectors } : {}),
  });
  if (options.worker) {
    services.worker.start();
    services.dispatcher.start();
  }
  const config = loadConfig({}, { port: 0, host: "127.0.0.1", logLevel: "silent", ...overrides });
  const logger = pino({ level: process.env.TEST_LOG ?? "silent" });
  const server: RunningServer = await startServer(services, config, logger);
  const newWorkspace = async (slug: string, role = "admin") => {
    const workspace = await services.workspaces.create(slug, slug);
    const { secret } = await services.tokens.create(workspace.id, `${slug} ${role}`, role);
    return { workspace, token: secret };
  };
  const { workspace, token } = await newWorkspace("acme");
  const api: TestServer["api"] = (path, init = {}) => {
    const { json, as, headers, ...rest } = init;
    const h = new Headers(headers);
    h.set("authorization", `Bearer ${as ?? token}`);
    if (json !== undefined) h.set("content-type", "application/json");
    return fetch(`${server.url}${path}`, { ...rest, headers: h, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  };
  const json: TestServer["json"] = async (path, init) => {
    const res = await api(path, init);
    const body = (await res.json()) as Record<string, any>;
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  const post: TestServer["post"] = (path, body) => json(path, { method: "POST", json: body });
  return {
    url: server.url,
    services,
    workspace,
    token,
    newWorkspace,
    api,
    async get(path) {
      return (await api(path)).json() as Promise<Record<string, any>>;
    },
    post,
    json,
    async publish(definition) {
      const saved = await post("/api/v1/workflows", { definition });
      return post(`/api/v1/workflows/${saved.id}/publish`, { acknowledge_conflicts: true });
    },
    close: async () => {
      await Promise.all([services.worker.stop(), services.dispatcher.stop()]);
      await server.close();
    },
  };
}

/** What `startTestServer` takes after the store: server config overrides, then test options. */
export type TestServerArgs = Parameters<typeof startTestServer> extends [TestStore, ...infer Rest] ? Rest : never;

export interface TestEnv {
  readonly s: TestServer;
  readonly t: TestStore;
}

/**
 * A test server on a fresh store for the enclosing `describe`: opened before its tests, closed
 * and removed after them. Tests read `env.s` (the server) and `env.t` (the store) once it runs.
 *
 * The server arguments may be given as a function, called in this `beforeAll` when it runs: for
 * options that need what the suite's own earlier `beforeAll` started (the port of an SMTP server
 * or an HTTP receiver). Vitest runs `beforeAll` hooks in the order they are registered and
 * `afterAll` hooks in reverse (`sequence.hooks: "stack"`, the default), so a suite that starts
 * its peers in a `beforeAll` and stops them in an `afterAll`, both registered before calling
 * this, has them up before the server starts and down only after it is closed.
 */
export function useTestServer(kind: { open: () => Promise<TestStore> }, args: () => TestServerArgs): TestEnv;
export function useTestServer(kind: { open: () => Promise<TestStore> }, ...args: TestServerArgs): TestEnv;
export function useTestServer(kind: { open: () => Promise<TestStore> }, ...args: TestServerArgs | [() => TestServerArgs]): TestEnv {
  const env = {} as { s: TestServer; t: TestStore };
  beforeAll(async () => {
    env.t = await kind.open();
    env.s = await startTestServer(env.t, ...(isLazy(args) ? args[0]() : args));
  });
  afterAll(async () => {
    await env.s?.close();
    await env.t?.dispose();
  });
  return env;
}

const isLazy = (args: TestServerArgs | [() => TestServerArgs]): args is [() => TestServerArgs] => typeof args[0] === "function";

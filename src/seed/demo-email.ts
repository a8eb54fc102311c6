/**
 * Email in the demo: `serve --demo` runs a mail catcher on loopback (src/dev/mail-catcher.ts) and
 * the demo workspace's `email` connector points at it, so the speed-to-lead auto-reply is real
 * SMTP that lands in data/mail/ as .eml files instead of leaving the machine.
 */
import { join } from "node:path";
import type { ConnectorService } from "../app/connectors/connector-service.js";
import type { CallContext } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { type MailCatcher, startMailCatcher } from "../dev/mail-catcher.js";

export const DEMO_SMTP_HOST = "127.0.0.1";
export const DEMO_FROM = "hello@demo.handoff.test";

/** HANDOFF_DEMO_SMTP_PORT, default 2525. */
export function demoSmtpPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HANDOFF_DEMO_SMTP_PORT;
  if (raw === undefined || raw === "") return 2525;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`HANDOFF_DEMO_SMTP_PORT must be a port number, not "${raw}"`);
  return port;
}

/** Starts the catcher writing to <dataDir>/mail. */
export function startDemoMailCatcher(dataDir: string, port = demoSmtpPort()): Promise<MailCatcher> {
  return startMailCatcher({ host: DEMO_SMTP_HOST, port, dir: join(dataDir, "mail") });
}

/**
 * HANDOFF_EGRESS_ALLOW with the catcher added: the egress guard refuses loopback unless allowed,
 * and the demo's connector is exactly that.
 */
export function egressAllowWith(current: string | undefined, catcher: { host: string; port: number }): string {
  const entry = `${catcher.host}:${catcher.port}`;
  const entries = (current ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.includes(entry) ? entries.join(",") : [...entries, entry].join(",");
}

/**
 * The demo workspace's `email` connector: the shape of the smtp connector's settings
 * (src/connectors/smtp/smtp-config.ts smtpConfigSchema). No credentials: the catcher takes all.
 */
export function demoEmailConnector(catcher: { host: string; port: number }) {
  return {
    key: "email",
    kind: "smtp" as const,
    name: "Demo mail catcher (data/mail)",
    config: { host: catcher.host, port: catcher.port, secure: false, from: DEMO_FROM },
    secrets: {},
  };
}

/**
 * On every `serve --demo` start: the demo workspace's `email` connector was seeded with the port
 * of the first start; when the catcher now listens on another one (HANDOFF_DEMO_SMTP_PORT changed,
 * as the warning on a taken port suggests), point the connector at it. Only the catcher's own
 * connector is moved (its host and sender); one an admin has pointed elsewhere is left alone.
 * Returns the port it was moved from, or undefined when nothing changed.
 */
export async function followDemoCatcher(
  connectors: Pick<ConnectorService, "get" | "patch">,
  ctx: CallContext,
  catcher: { host: string; port: number },
): Promise<number | undefined> {
  let current: Awaited<ReturnType<ConnectorService["get"]>>;
  try {
    current = await connectors.get(ctx, "email");
  } catch (error) {
    if (error instanceof AppError && error.kind === "not_found") return undefined;
    throw error;
  }
  const { host, port, from } = current.config;
  if (current.kind !== "smtp" || host !== catcher.host || from !== DEMO_FROM || port === catcher.port) return undefined;
  await connectors.patch(ctx, "email", { config: { port: catcher.port } });
  return typeof port === "number" ? port : undefined;
}

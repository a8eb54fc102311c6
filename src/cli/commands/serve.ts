/** `handoff serve`: migrate, optionally seed the demo workspace, start the API. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { startServer } from "../../api/server.js";
import { systemContext } from "../../app/context.js";
import { createLogger } from "../../composition/logger.js";
import { backgroundLoops, compose } from "../../composition/root.js";
import type { MailCatcher } from "../../dev/mail-catcher.js";
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_SLUG, seedDemo } from "../../seed/demo.js";
import { demoSmtpPort, egressAllowWith, followDemoCatcher, startDemoMailCatcher } from "../../seed/demo-email.js";
import { commonOptions, parse } from "../args.js";
import { configFrom } from "./open.js";

export async function serveCommand(argv: string[]) {
  const { values } = parse(argv, {
    ...commonOptions,
    demo: { type: "boolean", default: false },
    port: { type: "string" },
    host: { type: "string" },
    "no-worker": { type: "boolean", default: false },
  });
  let config = configFrom(values);
  const logger = createLogger(config.logLevel);
  const catcher = values.demo ? await startDemoMail(config.dataDir, logger) : undefined;
  // The egress guard refuses loopback: open it for the catcher only, on top of HANDOFF_EGRESS_ALLOW.
  if (catcher) config = configFrom(values, { egressAllow: egressAllowWith(process.env.HANDOFF_EGRESS_ALLOW, catcher) });
  const services = await compose(config, logger);
  // Trainings run in the API process (docs/ai.md "Training"): one a stopped process left running never ends.
  await services.aiTraining.failInterrupted();

  if (values.demo && !(await services.workspaces.find(DEMO_SLUG))) {
    logger.info("seeding the demo workspace (first start)");
    const { workspace, counts, recipes } = await seedDemo(services);
    const { secret } = await services.tokens.create(workspace.id, "demo admin (serve --demo)", "admin");
    const tokenFile = join(config.dataDir, "demo-token");
    await writeFile(tokenFile, `${secret}\n`, { mode: 0o600 });
    logger.info({ counts, token_file: tokenFile }, "demo workspace seeded; its admin API token is in the token file");
    const signIn = config.publicUrl ?? `http://${config.host}:${config.port}`;
    logger.info(
      { sign_in: signIn, email: DEMO_ADMIN_EMAIL },
      `sign in at ${signIn} as ${DEMO_ADMIN_EMAIL} with password ${DEMO_PASSWORD} (every demo user has this password)`,
    );
    for (const r of recipes) {
      if (r.state === "published") logger.info({ recipe: r.key, version: r.version }, "recipe published");
      else logger.info({ recipe: r.key, version: r.version, reason: r.reason }, "recipe left as a draft");
    }
  }

  // A later start may run the catcher on another port: the demo's email connector follows it.
  const demoWorkspace = values.demo && catcher ? await services.workspaces.find(DEMO_SLUG) : undefined;
  if (demoWorkspace && catcher) {
    const from = await followDemoCatcher(services.connectors, systemContext(demoWorkspace.id, "serve --demo"), catcher);
    if (from !== undefined)
      logger.info({ from_port: from, port: catcher.port }, "demo email connector now points at the mail catcher's port");
  }

  // The API process runs workflows too unless told not to (separate `handoff worker` processes).
  if (!values["no-worker"]) {
    for (const loop of backgroundLoops(services)) loop.start();
  }
  const server = await startServer(services, config, logger);
  logger.info({ url: server.url, store: services.store.dialect }, `Handoff listening on ${server.url}`);
  // The operator learns whether /metrics answers (never the token itself).
  logger.info(
    { metrics: config.metricsToken ? "on" : "off" },
    config.metricsToken
      ? "GET /metrics answers the HANDOFF_METRICS_TOKEN bearer token"
      : "GET /metrics is off: set HANDOFF_METRICS_TOKEN to turn it on",
  );
  // And whose X-Forwarded-* headers are believed (docs/security.md, "Behind a reverse proxy").
  logger.info(
    { trusted_proxies: config.trustedProxies },
    config.trustedProxies.length > 0
      ? "X-Forwarded-For and X-Forwarded-Proto are believed from the trusted proxies (HANDOFF_TRUSTED_PROXIES) only"
      : "no trusted proxies: the client is the connection's peer, X-Forwarded-* headers are ignored",
  );

  const stop = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    await server.close();
    await Promise.all([...backgroundLoops(services).map((loop) => loop.stop()), services.aiTraining.stop()]);
    await services.store.close();
    await catcher?.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

/** The demo's mail catcher; a port in use costs the demo its email, not its start. */
async function startDemoMail(dataDir: string, logger: Logger): Promise<MailCatcher | undefined> {
  const port = demoSmtpPort();
  try {
    const catcher = await startDemoMailCatcher(dataDir, port);
    logger.info({ smtp: `${catcher.host}:${catcher.port}`, folder: join(dataDir, "mail") }, "demo mail catcher: emails land as .eml files");
    return catcher;
  } catch (error) {
    logger.warn({ err: error, port }, "demo mail catcher could not start (set HANDOFF_DEMO_SMTP_PORT); demo emails will fail");
    return undefined;
  }
}

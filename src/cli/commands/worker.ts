/**
 * `handoff worker`: a process that only runs workflows (PostgreSQL deployments run several).
 * `handoff worker --until-idle` does what is due now and exits: for cron-style deployments and tests.
 */
import { createLogger } from "../../composition/logger.js";
import { backgroundLoops, compose, type Services } from "../../composition/root.js";
import { commonOptions, parse } from "../args.js";
import { configFrom } from "./open.js";

/** What is due now, including deliveries and the steps they resume, until neither has anything left. */
async function drainBoth(services: Services, maxRounds = 1_000): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    await services.worker.drain();
    const before = await services.store.work.pendingWorkCount();
    await services.dispatcher.drain();
    if ((await services.store.work.pendingWorkCount()) === before) return;
  }
}

export async function workerCommand(argv: string[]) {
  const { values } = parse(argv, { ...commonOptions, "until-idle": { type: "boolean", default: false } });
  const config = configFrom(values);
  const logger = createLogger(config.logLevel);
  const services = await compose(config, logger);
  if (values["until-idle"]) {
    try {
      await drainBoth(services);
      const pending = await services.store.work.pendingWorkCount();
      console.log(`worker idle: nothing due now (${pending} work item${pending === 1 ? "" : "s"} pending for later)`);
    } finally {
      await services.store.close();
    }
    return;
  }
  for (const loop of backgroundLoops(services)) loop.start();
  logger.info({ worker: services.worker.owner, store: services.store.dialect }, "worker started");
  const stop = async (signal: string) => {
    logger.info({ signal }, "worker stopping");
    await Promise.all(backgroundLoops(services).map((loop) => loop.stop()));
    await services.store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

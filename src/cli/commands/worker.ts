/** `handoff worker`: a process that only runs workflows (PostgreSQL deployments run several). */
import { pino } from "pino";
import { compose } from "../../composition/root.js";
import { commonOptions, parse } from "../args.js";
import { configFrom } from "./open.js";

export async function workerCommand(argv: string[]) {
  const { values } = parse(argv, commonOptions);
  const config = configFrom(values);
  const logger = pino({ level: config.logLevel });
  const services = await compose(config, logger);
  services.worker.start();
  logger.info({ worker: services.worker.owner, store: services.store.dialect }, "worker started");
  const stop = async (signal: string) => {
    logger.info({ signal }, "worker stopping");
    await services.worker.stop();
    await services.store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

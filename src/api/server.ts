/** Starts the HTTP edge on Node. */
import { serve } from "@hono/node-server";
import type { Logger } from "pino";
import type { Config } from "../composition/config.js";
import type { Services } from "../composition/root.js";
import { createApp } from "./app.js";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function startServer(services: Services, config: Config, logger: Logger): Promise<RunningServer> {
  const app = createApp(services, config, logger);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
      const host = info.address.includes(":") ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () => new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done()))),
      });
    });
  });
}

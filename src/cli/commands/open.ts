/** Opening the configured store for a CLI command. */
import { type Config, loadConfig } from "../../composition/config.js";
import { compose, type Services } from "../../composition/root.js";

export function configFrom(
  values: {
    "data-dir"?: string | undefined;
    "database-url"?: string | undefined;
    port?: string | undefined;
    host?: string | undefined;
  },
  extra: Partial<Record<keyof Config, unknown>> = {},
): Config {
  return loadConfig(process.env, {
    dataDir: values["data-dir"],
    databaseUrl: values["database-url"],
    port: values.port,
    host: values.host,
    ...extra,
  });
}

export async function withServices<T>(config: Config, fn: (s: Services) => Promise<T>): Promise<T> {
  const services = await compose(config);
  try {
    return await fn(services);
  } finally {
    await services.store.close();
  }
}

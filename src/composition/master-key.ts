/**
 * Where the master key for secrets comes from: HANDOFF_MASTER_KEY, or — on the embedded SQLite
 * store only, so that the README's first command just works — a key file created beside the
 * database on first start. Production (PostgreSQL) must set the variable; without it, secrets
 * are refused rather than stored in a form someone could read.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newMasterKey, parseMasterKey, SecretBox } from "../app/secrets/secret-box.js";
import { type Config, ConfigError } from "./config.js";

export function openSecretBox(config: Config): SecretBox {
  if (config.masterKey) {
    try {
      return new SecretBox(parseMasterKey(config.masterKey));
    } catch (error) {
      throw new ConfigError(`invalid configuration:\n  HANDOFF_MASTER_KEY: ${(error as Error).message}`);
    }
  }
  if (config.databaseUrl) return new SecretBox(undefined);
  const file = join(config.dataDir, "master.key");
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${newMasterKey()}\n`, { mode: 0o600, flag: "wx" });
  }
  try {
    return new SecretBox(parseMasterKey(readFileSync(file, "utf8")));
  } catch (error) {
    throw new ConfigError(`invalid master key file ${file}: ${(error as Error).message}`);
  }
}

/** Flag parsing shared by the commands (node:util parseArgs, no framework needed). */
import { type ParseArgsConfig, parseArgs } from "node:util";

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Flags every command understands: where the data lives. */
export const commonOptions = {
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  workspace: { type: "string", short: "w", default: "demo" },
} as const;

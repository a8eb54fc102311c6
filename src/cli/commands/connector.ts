/**
 * `handoff connector list|set|delete` and `handoff secrets rekey`: thin edges over the
 * ConnectorService, acting as the workspace's system administrator. Secret values go in
 * (`--secret name=value`, or `name=@file` to keep them out of shell history) and never come
 * out: listings show secret names only.
 */
import { readFile } from "node:fs/promises";
import type { ConnectorView } from "../../app/connectors/connector-service.js";
import { systemContext } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { parseMasterKey, SecretBox } from "../../app/secrets/secret-box.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { configFrom, withServices } from "./open.js";

const CONNECTOR_USAGE = "connector takes list, set KEY or delete KEY";

function parseConfig(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new UsageError("--config must be a JSON object");
  return value as Record<string, unknown>;
}

/** `name=value` → value; `name=@file` → the file's text without its final newline. */
async function parseSecrets(pairs: readonly string[], removals: readonly string[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--secret takes name=value or name=@file, not "${pair.split("=")[0]}…"`);
    const name = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (raw.startsWith("@")) {
      try {
        out[name] = (await readFile(raw.slice(1), "utf8")).replace(/\r?\n$/, "");
      } catch (error) {
        throw new UsageError(`--secret ${name}: cannot read ${raw.slice(1)} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      }
    } else out[name] = raw;
  }
  for (const name of removals) out[name] = null;
  return out;
}

const line = (c: ConnectorView) => {
  const secrets = Object.keys(c.secrets);
  return `${c.key}\t${c.kind}\t${c.name}\tsecrets: ${secrets.length > 0 ? secrets.join(",") : "-"}\t${JSON.stringify(c.config)}`;
};

export async function connectorCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    kind: { type: "string" },
    name: { type: "string" },
    config: { type: "string" },
    secret: { type: "string", multiple: true },
    "remove-secret": { type: "string", multiple: true },
  });
  const [action, key, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if ((action === "set" || action === "delete") && !key) throw new UsageError(`connector ${action} needs the connector's key`);
  if (action !== "list" && action !== "set" && action !== "delete") throw new UsageError(CONNECTOR_USAGE);
  const config = parseConfig(values.config);
  const secrets = await parseSecrets(values.secret ?? [], values["remove-secret"] ?? []);

  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    if (action === "list") {
      for (const c of await s.connectors.list(ctx)) console.log(line(c));
      return;
    }
    const k = key as string;
    if (action === "delete") {
      await s.connectors.delete(ctx, k);
      console.log(`deleted connector "${k}"`);
      return;
    }
    const existing = await s.connectors.get(ctx, k).catch((error: unknown) => {
      if (error instanceof AppError && error.kind === "not_found") return undefined;
      throw error;
    });
    const secretsPart = Object.keys(secrets).length > 0 ? { secrets } : {};
    if (!existing) {
      if (!values.kind) throw new UsageError(`connector "${k}" does not exist yet: connector set ${k} needs --kind (smtp, http or chat)`);
      const created = await s.connectors.create(ctx, {
        key: k,
        kind: values.kind,
        ...(values.name ? { name: values.name } : {}),
        config: config ?? {},
        ...secretsPart,
      });
      console.log(`created connector "${k}" (${created.kind}); secrets set: ${Object.keys(created.secrets).join(", ") || "none"}`);
      return;
    }
    // --config is the whole config: keys it leaves out are removed (their defaults come back).
    const replace = config ? { ...Object.fromEntries(Object.keys(existing.config).map((name) => [name, null])), ...config } : undefined;
    const updated = await s.connectors.patch(ctx, k, {
      ...(values.kind ? { kind: values.kind } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(replace ? { config: replace } : {}),
      ...secretsPart,
    });
    console.log(`updated connector "${k}" (${updated.kind}); secrets set: ${Object.keys(updated.secrets).join(", ") || "none"}`);
  });
}

/** `handoff secrets rekey --from OLD_KEY`: re-seal every stored secret under the current master key. */
export async function secretsCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { ...commonOptions, from: { type: "string" }, "from-file": { type: "string" } });
  const [action, ...extra] = positionals;
  if (action !== "rekey" || extra.length > 0) throw new UsageError("secrets takes rekey --from OLD_KEY (or --from-file FILE)");
  let oldKey = values.from;
  if (values["from-file"]) oldKey = await readFile(values["from-file"], "utf8");
  if (!oldKey) throw new UsageError("secrets rekey needs the previous master key: --from KEY or --from-file FILE");
  let from: SecretBox;
  try {
    from = new SecretBox(parseMasterKey(oldKey));
  } catch (error) {
    throw new UsageError(`--from: ${(error as Error).message}`);
  }
  await withServices(configFrom(values), async (s) => {
    const { rekeyed, current } = await s.connectors.rekey(from, { kind: "system", id: "cli" });
    console.log(
      `re-sealed the secrets of ${rekeyed} connector${rekeyed === 1 ? "" : "s"} from master key ${from.keyId} to ${s.secretBox.keyId}` +
        (current > 0 ? ` (${current} already under it)` : ""),
    );
  });
}

/**
 * Connector settings: create, change, delete, list — and every change written to the
 * configuration audit in the same transaction (engineering.md §4.10). Secrets are write-only:
 * they go in as values, are sealed under the master key, and come out only as names ("set").
 * Only admins change connectors; admins and managers (who author workflows) may read them.
 */
import { SecretsUnavailableError } from "../../connectors/contract.js";
import { type ConnectorKind, isConnectorKind } from "../../connectors/registry.js";
import type { Issue } from "../../crm/issues.js";
import type { ConfigAuditAction, ConfigAuditEntry, ConnectorRow } from "../../store/connector-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { AppError, invalid } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import type { SecretBox } from "../secrets/secret-box.js";
import { connectorUses } from "../workflows/connector-uses.js";
import { liveUses } from "../workflows/live-uses.js";
import {
  checkBodyKeys,
  checkConfig,
  checkKey,
  checkKind,
  checkName,
  checkSecrets,
  isObject,
  missingSecrets,
  type SecretChanges,
} from "./connector-input.js";

/** What the API and CLI show: never a secret value, never the sealed text. */
export interface ConnectorView {
  id: string;
  key: string;
  /** A key of the connector registry, as stored. */
  kind: string;
  name: string;
  config: Record<string, unknown>;
  secrets: Record<string, "set">;
  created_at: string;
  updated_at: string;
}

/** A stored connector's kind, known to this release: one whose kind left the registry can only be deleted. */
function knownKind(row: ConnectorRow): ConnectorKind {
  if (!isConnectorKind(row.kind))
    throw new AppError("conflict", `connector "${row.key}" is of kind ${row.kind}, which this release does not know`);
  return row.kind;
}

export function viewOf(row: ConnectorRow): ConnectorView {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    name: row.name,
    config: row.config,
    secrets: Object.fromEntries(row.secretNames.map((n) => [n, "set" as const])),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

const canRead = (ctx: CallContext) => ctx.role === "admin" || ctx.role === "manager";
const hidden = () => new AppError("not_found", "connectors are managed by admins");

export const NO_MASTER_KEY = "no master key is configured (HANDOFF_MASTER_KEY); secrets cannot be stored, nothing was written";

/** Top-level config keys whose values differ (names only: the audit never holds values). */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

export class ConnectorService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly box: SecretBox,
  ) {}

  async list(ctx: CallContext): Promise<ConnectorView[]> {
    if (!canRead(ctx)) throw hidden();
    return (await this.store.connectors.listConnectors(ctx.workspaceId)).map(viewOf);
  }

  async get(ctx: CallContext, key: string): Promise<ConnectorView> {
    if (!canRead(ctx)) throw hidden();
    const row = await this.store.connectors.getConnectorByKey(ctx.workspaceId, key);
    if (!row) throw new AppError("not_found", `no connector "${key}"`);
    return viewOf(row);
  }

  async create(ctx: CallContext, body: unknown): Promise<ConnectorView> {
    this.requireAdmin(ctx);
    if (!isObject(body)) throw invalid([{ path: [], code: "invalid_type", message: "expected a JSON object", expected: "object" }]);
    const issues: Issue[] = [];
    checkBodyKeys(body, ["key", "kind", "name", "config", "secrets"], issues);
    const key = checkKey(body.key, issues);
    const kind = checkKind(body.kind, issues);
    const name = checkName(body.name, key ?? "", issues);
    const config = kind ? checkConfig(kind, body.config, issues) : undefined;
    const changes = kind ? checkSecrets(kind, body.secrets, issues) : {};
    const secrets = Object.fromEntries(Object.entries(changes).filter((e): e is [string, string] => e[1] !== null));
    if (kind && config) missingSecrets(kind, config, new Set(Object.keys(secrets)), issues);
    if (issues.length > 0 || !key || !kind || !config) throw invalid(issues, "the connector is invalid");
    const sealed = this.seal(secrets);

    const now = this.clock.now().toISOString();
    const row: ConnectorRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      key,
      kind,
      name,
      config,
      secrets: sealed,
      secretNames: Object.keys(secrets).sort(),
      createdAt: now,
      updatedAt: now,
    };
    const taken = () => new AppError("conflict", `a connector "${key}" exists already`);
    await this.store
      .transaction(async (tx) => {
        if (await tx.connectors.getConnectorByKey(ctx.workspaceId, key)) throw taken();
        await tx.connectors.insertConnector(row);
        await this.audit(tx, ctx, row, "create", {
          key,
          kind,
          name,
          config_fields: Object.keys(config).sort(),
          secrets_set: row.secretNames,
          secrets_removed: [],
        });
      })
      .catch(async (error: unknown) => {
        // Two creates of one key at once: the unique key refuses the second; answer as the check would have.
        if (!(error instanceof AppError) && (await this.store.connectors.getConnectorByKey(ctx.workspaceId, key))) throw taken();
        throw error;
      });
    return viewOf(row);
  }

  /**
   * `config` keys replace the stored ones whole (null removes an optional one); `secrets`
   * values replace or (null) remove one secret each; the others are kept.
   */
  async patch(ctx: CallContext, key: string, body: unknown): Promise<ConnectorView> {
    this.requireAdmin(ctx);
    if (!isObject(body)) throw invalid([{ path: [], code: "invalid_type", message: "expected a JSON object", expected: "object" }]);
    return this.store.transaction(async (tx) => {
      const row = await tx.connectors.getConnectorForUpdate(ctx.workspaceId, key);
      if (!row) throw new AppError("not_found", `no connector "${key}"`);
      const issues: Issue[] = [];
      checkBodyKeys(body, ["name", "config", "secrets", "key", "kind"], issues);
      if (body.key !== undefined && body.key !== row.key)
        issues.push({
          path: ["key"],
          code: "invalid_value",
          message: "a connector's key cannot change (create another, then delete this one)",
        });
      if (body.kind !== undefined && body.kind !== row.kind)
        issues.push({ path: ["kind"], code: "invalid_value", message: `a connector's kind cannot change (this one is ${row.kind})` });
      const name = checkName(body.name, row.name, issues);
      let merged = row.config;
      if (body.config !== undefined) {
        if (!isObject(body.config))
          issues.push({ path: ["config"], code: "invalid_type", message: "expected an object", expected: "object" });
        else {
          const next: Record<string, unknown> = { ...row.config };
          for (const [k, v] of Object.entries(body.config)) {
            if (v === null) delete next[k];
            else next[k] = v;
          }
          merged = next;
        }
      }
      const kind = knownKind(row);
      const config = checkConfig(kind, merged, issues);
      const changes = checkSecrets(kind, body.secrets, issues);
      const names = new Set(row.secretNames);
      for (const [n, v] of Object.entries(changes)) v === null ? names.delete(n) : names.add(n);
      if (config) missingSecrets(kind, config, names, issues);
      if (issues.length > 0 || !config) throw invalid(issues, "the change is invalid; nothing was written");

      const { sealed, set, removed } = this.applySecrets(row, changes);
      const updated: ConnectorRow = {
        ...row,
        name,
        config,
        secrets: sealed,
        secretNames: [...names].sort(),
        updatedAt: this.clock.now().toISOString(),
      };
      await tx.connectors.updateConnector(updated);
      await this.audit(tx, ctx, updated, "update", {
        key: row.key,
        kind: row.kind,
        ...(name !== row.name ? { name } : {}),
        config_changed: changedKeys(row.config, config),
        secrets_set: set,
        secrets_removed: removed,
      });
      return viewOf(updated);
    });
  }

  async delete(ctx: CallContext, key: string): Promise<void> {
    this.requireAdmin(ctx);
    await this.store.transaction(async (tx) => {
      const row = await tx.connectors.getConnectorForUpdate(ctx.workspaceId, key);
      if (!row) throw new AppError("not_found", `no connector "${key}"`);
      const users = await liveUses(tx, ctx.workspaceId, (def) =>
        connectorUses(def)
          .filter((u) => u.connector === row.key)
          .map((u) => u.step),
      );
      if (users.length > 0) {
        // Its deliveries would only dead-letter with "no connector".
        throw new AppError(
          "conflict",
          `connector "${row.key}" is used by live workflows: ${users.join("; ")}; archive them or publish versions that use another connector, and let runs under way finish (or cancel them) first`,
        );
      }
      await tx.connectors.deleteConnector(ctx.workspaceId, row.id);
      await this.audit(tx, ctx, row, "delete", { key: row.key, kind: row.kind, secrets_removed: row.secretNames });
    });
  }

  async auditLog(ctx: CallContext, limit: number, beforeSeq?: number): Promise<ConfigAuditEntry[]> {
    this.requireAdmin(ctx);
    return this.store.configAudit.readConfigAudit(ctx.workspaceId, Math.min(Math.max(limit, 1), 500), beforeSeq);
  }

  /**
   * Re-seals every connector's secrets under the current master key, opening them with `from`
   * (the previous key) — or with the current key, for values already moved. Returns how many
   * connectors were re-sealed. Fails before writing anything when a value opens with neither.
   */
  async rekey(from: SecretBox, actor: CallContext["actor"]): Promise<{ rekeyed: number; current: number }> {
    if (!this.box.configured) throw new AppError("unavailable", NO_MASTER_KEY);
    return this.store.transaction(async (tx) => {
      const rows = (await tx.connectors.listConnectors()).filter((r) => r.secrets !== null);
      const moves: Array<{ row: ConnectorRow; values: Record<string, string> }> = [];
      let current = 0;
      for (const row of rows) {
        const sealed = row.secrets as string;
        if (sealed.split(".")[1] === this.box.keyId) {
          current += 1;
          continue;
        }
        try {
          moves.push({ row, values: from.open(sealed) });
        } catch (error) {
          const why = error instanceof SecretsUnavailableError ? error.message : String(error);
          throw new AppError("conflict", `connector "${row.key}" (workspace ${row.workspaceId}): ${why}`);
        }
      }
      const now = this.clock.now().toISOString();
      for (const { row, values } of moves) {
        const updated = { ...row, secrets: this.box.seal(values), updatedAt: now };
        await tx.connectors.updateConnector(updated);
        const ctx: CallContext = { workspaceId: row.workspaceId, role: "admin", actor, requestId: null, causeId: null };
        await this.audit(tx, ctx, updated, "rekey", {
          key: row.key,
          from_key: from.keyId,
          to_key: this.box.keyId,
          secrets: row.secretNames,
        });
      }
      return { rekeyed: moves.length, current };
    });
  }

  private requireAdmin(ctx: CallContext) {
    if (ctx.role !== "admin") throw hidden();
  }

  private seal(secrets: Record<string, string>): string | null {
    if (Object.keys(secrets).length === 0) return null;
    if (!this.box.configured) throw new AppError("unavailable", NO_MASTER_KEY);
    return this.box.seal(secrets);
  }

  /** The stored secrets with `changes` applied, sealed again; which names were set and removed. */
  private applySecrets(row: ConnectorRow, changes: SecretChanges) {
    const entries = Object.entries(changes);
    const set = entries.filter(([, v]) => v !== null).map(([n]) => n);
    const removed = entries.filter(([n, v]) => v === null && row.secretNames.includes(n)).map(([n]) => n);
    if (entries.length === 0) return { sealed: row.secrets, set, removed };
    const keep = row.secretNames.filter((n) => !(n in changes));
    if ((set.length > 0 || keep.length > 0) && !this.box.configured) throw new AppError("unavailable", NO_MASTER_KEY);
    let current: Record<string, string> = {};
    if (keep.length > 0 && row.secrets) {
      // Secrets this change keeps must be opened to be sealed again with the new ones.
      try {
        current = this.box.open(row.secrets);
      } catch (error) {
        const why = error instanceof SecretsUnavailableError ? error.message : String(error);
        throw new AppError(
          "conflict",
          `the stored secrets cannot be opened: ${why}. Send all of them again: ${row.secretNames.join(", ")}`,
          [
            ...keep.map((n) => ({
              path: ["secrets", n],
              code: "required" as const,
              message: "set it again (the stored value cannot be opened)",
            })),
          ],
        );
      }
    }
    const next: Record<string, string> = {};
    for (const n of keep) {
      const value = current[n];
      if (value !== undefined) next[n] = value;
    }
    for (const [n, v] of entries) if (v !== null) next[n] = v;
    return { sealed: Object.keys(next).length > 0 ? this.box.seal(next) : null, set: set.sort(), removed: removed.sort() };
  }

  private async audit(tx: StoreTx, ctx: CallContext, row: ConnectorRow, action: ConfigAuditAction, summary: Record<string, unknown>) {
    await auditConfigChange(tx, { ids: this.ids, clock: this.clock }, ctx, {
      entity: "connector",
      entityId: row.id,
      action,
      summary: summary,
    });
  }
}

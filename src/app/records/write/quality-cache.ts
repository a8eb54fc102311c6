/**
 * Each workspace's validation rules and field formats, compiled once per change (issue 20;
 * write/rules.ts applies them): the write path reads the workspace's data-quality epoch once per
 * transaction and compiles again only when it moved.
 */
import type { ObjectName } from "../../../crm/fields.js";
import { type CompiledRule, compileRule } from "../../../engine/rules.js";
import type { FormatAction } from "../../../store/data-quality-ports.js";
import type { StoreTx } from "../../../store/ports.js";

/** A workspace's enabled rules by object and its field formats, at one epoch. */
export interface CompiledQuality {
  epoch: number;
  rules: ReadonlyMap<ObjectName, readonly CompiledRule[]>;
  /** By `object.field`. */
  formats: ReadonlyMap<string, FormatAction>;
}

/** Workspaces kept compiled at most (the least recent dropped first is not worth its bookkeeping: all go). */
const MAX_WORKSPACES = 1_000;

/** Each workspace's rules compiled at its data-quality epoch: compiled again only when a change moved it. */
export class QualityCache {
  private readonly byWorkspace = new Map<string, CompiledQuality>();

  async get(tx: StoreTx, workspaceId: string): Promise<CompiledQuality | undefined> {
    const epoch = await tx.dataQuality.dataQualityEpoch(workspaceId);
    if (epoch === 0) return undefined;
    const kept = this.byWorkspace.get(workspaceId);
    if (kept?.epoch === epoch) return kept;
    // Read after the epoch: what is read is at least as new as it (a change moves both in one transaction).
    const [rows, formatRows] = await Promise.all([
      tx.dataQuality.listValidationRules(workspaceId),
      tx.dataQuality.listFieldFormats(workspaceId),
    ]);
    const rules = new Map<ObjectName, CompiledRule[]>();
    for (const r of rows) {
      if (!r.definition.enabled) continue;
      const list = rules.get(r.definition.object) ?? [];
      list.push(compileRule(r.id, r.version, r.definition));
      rules.set(r.definition.object, list);
    }
    const formats = new Map(formatRows.map((f) => [`${f.object}.${f.field}`, f.onInvalid]));
    const compiled: CompiledQuality = { epoch, rules, formats };
    if (this.byWorkspace.size >= MAX_WORKSPACES) this.byWorkspace.clear();
    this.byWorkspace.set(workspaceId, compiled);
    return compiled;
  }
}

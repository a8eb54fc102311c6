/**
 * SLA policies as the clock runtime reads them: every policy of an object (enabled or not —
 * a disabled policy starts no clock, but its open clocks still stop, pause and resume), each
 * compiled once per version (its conditions with the engine's `compileCondition`). The list per
 * (workspace, object) is read at most once per `freshMs` (another process may change it; a change
 * in this process clears it at once), so that records of objects without policies cost nothing.
 */
import type { Clock } from "../../app/ports.js";
import type { ObjectName } from "../../crm/fields.js";
import { type CompiledCondition, compileCondition, type Needs } from "../../engine/conditions.js";
import type { StoreReads } from "../../store/ports.js";
import type { SlaPolicyDefinition, SlaPolicyRow } from "../../store/sla-ports.js";

export interface CompiledSlaPolicy {
  row: SlaPolicyRow;
  def: SlaPolicyDefinition;
  appliesWhen: CompiledCondition | undefined;
  pauseWhen: CompiledCondition | undefined;
  /** What the two conditions read beyond the record. */
  needs: Needs;
}

const MAX_COMPILED = 10_000;

export class SlaPolicies {
  private readonly compiled = new Map<string, CompiledSlaPolicy>();
  private readonly lists = new Map<string, { at: number; policies: CompiledSlaPolicy[] }>();

  constructor(
    private readonly clock: Clock,
    /** How long a process trusts its list of an object's policies. Default 2 s. */
    private readonly freshMs = 2_000,
  ) {}

  /** Every policy of the object, compiled. */
  async of(reads: StoreReads, workspaceId: string, object: ObjectName): Promise<CompiledSlaPolicy[]> {
    const key = `${workspaceId}\u0000${object}`;
    const now = this.clock.now().getTime();
    const hit = this.lists.get(key);
    if (hit && now - hit.at < this.freshMs && now >= hit.at) return hit.policies;
    const policies = (await reads.sla.slaPoliciesOf(workspaceId, object)).map((row) => this.compile(row));
    this.lists.set(key, { at: now, policies });
    return policies;
  }

  compile(row: SlaPolicyRow): CompiledSlaPolicy {
    const key = `${row.workspaceId}\u0000${row.id}\u0000${row.version}`;
    const hit = this.compiled.get(key);
    if (hit) return hit;
    if (this.compiled.size >= MAX_COMPILED) this.compiled.clear();
    const def = row.definition;
    const appliesWhen = def.applies_when ? compileCondition(def.applies_when) : undefined;
    const pauseWhen = def.pause_when ? compileCondition(def.pause_when) : undefined;
    const refs = new Set([...(appliesWhen?.needs.refs ?? []), ...(pauseWhen?.needs.refs ?? [])]);
    const counts = [...(appliesWhen?.needs.counts ?? []), ...(pauseWhen?.needs.counts ?? [])];
    const compiled = { row, def, appliesWhen, pauseWhen, needs: { refs, counts } };
    this.compiled.set(key, compiled);
    return compiled;
  }

  /** A policy changed in this process: read the lists again. */
  invalidate(): void {
    this.lists.clear();
  }
}

/** Compiled workflow versions, cached: a published version never changes, so compile it once. */
import { type CompiledWorkflow, compileWorkflow } from "../engine/compile.js";
import { type WorkflowDefinition, workflowSchema } from "../engine/definition.js";
import type { StoreReads } from "../store/ports.js";

const MAX_ENTRIES = 10_000;

export class CompiledCache {
  private readonly entries = new Map<string, CompiledWorkflow>();

  async get(reads: StoreReads, workspaceId: string, workflowId: string, version: number): Promise<CompiledWorkflow | undefined> {
    const key = `${workspaceId}/${workflowId}/${version}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const row = await reads.getVersion(workspaceId, workflowId, version);
    if (!row) return undefined;
    // Stored versions were validated at publish; parsing again applies defaults the same way.
    const compiled = compileWorkflow(workflowSchema.parse(row.definition) as WorkflowDefinition);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, compiled);
    return compiled;
  }
}

/** Compiled workflow versions, cached: a published version never changes, so compile it once. */
import { type CompiledWorkflow, compileWorkflow } from "../engine/compile.js";
import { type WorkflowDefinition, workflowSchema } from "../engine/definition.js";
import type { StoreReads } from "../store/ports.js";

const MAX_ENTRIES = 10_000;

export class CompiledCache {
  /**
   * workspace → workflow → version. Nested maps rather than one map under a joined key: the
   * matcher looks up hundreds of versions per event, and a joined key is a new string to build
   * and hash every time, where the ids it is given are the same strings each time.
   */
  private readonly entries = new Map<string, Map<string, Map<number, CompiledWorkflow>>>();
  private size = 0;

  /** The compiled version if it is cached; no IO, so a hit costs no `await`. */
  peek(workspaceId: string, workflowId: string, version: number): CompiledWorkflow | undefined {
    return this.entries.get(workspaceId)?.get(workflowId)?.get(version);
  }

  async get(reads: StoreReads, workspaceId: string, workflowId: string, version: number): Promise<CompiledWorkflow | undefined> {
    const hit = this.peek(workspaceId, workflowId, version);
    if (hit) return hit;
    const row = await reads.workflows.getVersion(workspaceId, workflowId, version);
    if (!row) return undefined;
    // Stored versions were validated at publish; parsing again applies defaults the same way.
    const compiled = compileWorkflow(workflowSchema.parse(row.definition) as WorkflowDefinition);
    this.put(workspaceId, workflowId, version, compiled);
    return compiled;
  }

  private put(workspaceId: string, workflowId: string, version: number, compiled: CompiledWorkflow) {
    if (this.size >= MAX_ENTRIES) {
      this.entries.clear();
      this.size = 0;
    }
    let workflows = this.entries.get(workspaceId);
    if (!workflows) {
      workflows = new Map();
      this.entries.set(workspaceId, workflows);
    }
    let versions = workflows.get(workflowId);
    if (!versions) {
      versions = new Map();
      workflows.set(workflowId, versions);
    }
    if (!versions.has(version)) this.size += 1;
    versions.set(version, compiled);
  }
}

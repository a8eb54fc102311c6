/**
 * The enabled scoring models of a workspace's object, compiled once per version (like SLA
 * policies): the matcher asks on every event of a scored object, and most objects have none.
 * A process trusts its list for FRESH_MS (another process may publish); a change made in this
 * process is seen at once (`invalidate`, called by the admin service).
 */
import type { Clock } from "../../app/ports.js";
import type { ScoreOutputs } from "../../app/records/record-writer.js";
import type { ObjectName } from "../../crm/fields.js";
import { outputFields, type ScoreModelDefinition } from "../../engine/scoring/definition.js";
import { type CompiledScoreModel, compileScoreModel } from "../../engine/scoring/model.js";
import type { StoreReads } from "../../store/ports.js";
import type { ScoreModelRow } from "../../store/scoring-ports.js";

const FRESH_MS = 2_000;

export interface LiveModel {
  row: ScoreModelRow;
  version: number;
  compiled: CompiledScoreModel;
}

/** What the ledger, the audit and the record's event name a model's writes by: `scoring:<key>@v<version>`. */
export const SCORING_ACTOR_PREFIX = "scoring:";
export const scoringActor = (key: string, version: number) => ({
  kind: "system" as const,
  id: `${SCORING_ACTOR_PREFIX}${key}@v${version}`,
});

export class ScoreModels implements ScoreOutputs {
  private readonly live = new Map<string, { at: number; models: LiveModel[] }>();
  private readonly compiled = new Map<string, CompiledScoreModel>();

  constructor(private readonly clock: Clock) {}

  compile(modelId: string, version: number, def: ScoreModelDefinition): CompiledScoreModel {
    const key = `${modelId}@${version}`;
    let c = this.compiled.get(key);
    if (!c) {
      c = compileScoreModel(def);
      this.compiled.set(key, c);
    }
    return c;
  }

  async of(reads: StoreReads, workspaceId: string, object: ObjectName): Promise<LiveModel[]> {
    const key = `${workspaceId}\u0000${object}`;
    const now = this.clock.now().getTime();
    const hit = this.live.get(key);
    if (hit && now - hit.at < FRESH_MS) return hit.models;
    const rows = await reads.scoring.liveScoreModels(workspaceId, object);
    const models = rows.map((r) => ({
      row: r.model,
      version: r.model.currentVersion,
      compiled: this.compile(r.model.id, r.model.currentVersion, r.definition),
    }));
    this.live.set(key, { at: now, models });
    return models;
  }

  /** The fields the object's enabled models write, with the model's key: the RecordWriter refuses them to anyone else. */
  async outputsOf(reads: StoreReads, workspaceId: string, object: ObjectName): Promise<ReadonlyMap<string, string>> {
    const out = new Map<string, string>();
    for (const live of await this.of(reads, workspaceId, object))
      for (const field of outputFields(live.compiled.def)) out.set(field, live.row.key);
    return out;
  }

  /** The enabled models of every object of the workspace (a referenced record's change may move any of them). */
  async all(reads: StoreReads, workspaceId: string): Promise<LiveModel[]> {
    const key = `${workspaceId}\u0000*`;
    const now = this.clock.now().getTime();
    const hit = this.live.get(key);
    if (hit && now - hit.at < FRESH_MS) return hit.models;
    const rows = await reads.scoring.liveScoreModels(workspaceId);
    const models = rows.map((r) => ({
      row: r.model,
      version: r.model.currentVersion,
      compiled: this.compile(r.model.id, r.model.currentVersion, r.definition),
    }));
    this.live.set(key, { at: now, models });
    return models;
  }

  /** The model's current version, enabled or not (decay and rescores of a model being switched off). */
  async byId(reads: StoreReads, workspaceId: string, modelId: string): Promise<LiveModel | undefined> {
    const row = await reads.scoring.getScoreModelById(workspaceId, modelId);
    if (!row) return undefined;
    const v = await reads.scoring.getScoreModelVersion(workspaceId, modelId, row.currentVersion);
    return v ? { row, version: v.version, compiled: this.compile(modelId, v.version, v.definition) } : undefined;
  }

  invalidate(): void {
    this.live.clear();
  }
}

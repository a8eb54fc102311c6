/**
 * Scoring models as admins manage them (docs/scoring.md "Models", "Recomputing"): list, read
 * with the versions, create (version 1), publish a new version, preview a definition on the
 * existing records without writing, switch on and off, delete; and read a record's score and
 * ledger. Every signed-in role reads; changing a model is for admins (`manage_scoring`).
 * Publishing (or switching a model on) queues a background rescore in the same transaction; an
 * unfinished rescore of an older version is marked failed ("superseded"). Every change is written
 * to the configuration audit. Two enabled models of a workspace never write the same field.
 */
import { type FieldDef, OBJECT_NAMES, type ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import { objectByPlural } from "../../crm/objects.js";
import { canAdmin } from "../../crm/permissions.js";
import { scoreModelIssues } from "../../engine/scoring/check.js";
import { outputFields, type ScoreModelDefinition, scoreModelSchema } from "../../engine/scoring/definition.js";
import { type Award, compileScoreModel, type FitHit, nextChangeAt, scoreAt, storedHits } from "../../engine/scoring/model.js";
import { zodIssues } from "../../engine/validate.js";
import type { ConfigAuditAction } from "../../store/config-audit-ports.js";
import type { Store, StoreReads, StoreTx } from "../../store/ports.js";
import type { ScoreModelRow } from "../../store/scoring-ports.js";
import { auditConfigChange } from "../config-change-audit.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import { predictionRuleIssues } from "./prediction-rules.js";
import { queueRescore } from "./queue-rescore.js";
import {
  type LedgerView,
  ledgerView,
  modelSummary,
  type PreviewView,
  type RecordScoreView,
  type RescoreView,
  recordScoreView,
  rescoreView,
  type ScoreModelDetail,
  type ScoreModelSummary,
  versionView,
} from "./scoring-views.js";

export function requireScoringAdmin(ctx: CallContext): void {
  if (!canAdmin(ctx.role, "manage_scoring")) throw new AppError("forbidden", `scoring models are managed by admins, not role ${ctx.role}`);
}

/** A definition scored over the workspace's records without writing (runtime/scoring/preview.ts, handed in). */
export type ScorePreview = (workspaceId: string, def: ScoreModelDefinition, current: ScoreModelRow | undefined) => Promise<PreviewView>;

export interface ScoringAdminDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  preview: ScorePreview;
  /** After a change commits: the event path reads the models again; the rescore loop looks for work. */
  onChange: () => void;
}

const LEDGER_PAGE = 50;

export class ScoringAdmin {
  constructor(private readonly deps: ScoringAdminDeps) {}

  async list(ctx: CallContext): Promise<ScoreModelSummary[]> {
    const s = this.deps.store.scoring;
    const out: ScoreModelSummary[] = [];
    for (const m of await s.listScoreModels(ctx.workspaceId)) {
      const v = await s.getScoreModelVersion(ctx.workspaceId, m.id, m.currentVersion);
      if (v) out.push(modelSummary(m, v.definition, await s.latestScoreRescore(ctx.workspaceId, m.id)));
    }
    return out;
  }

  async get(ctx: CallContext, key: string): Promise<ScoreModelDetail> {
    const m = await this.model(this.deps.store, ctx, key);
    const s = this.deps.store.scoring;
    const versions = await s.scoreModelVersions(ctx.workspaceId, m.id);
    const current = versions.find((v) => v.version === m.currentVersion);
    if (!current) throw notFound(`scoring model ${key}`);
    return {
      ...modelSummary(m, current.definition, await s.latestScoreRescore(ctx.workspaceId, m.id)),
      definition: current.definition,
      versions: versions.map(versionView),
    };
  }

  async create(ctx: CallContext, input: unknown): Promise<ScoreModelDetail> {
    requireScoringAdmin(ctx);
    const { definition, note } = await this.parse(ctx, input, undefined);
    const now = this.deps.clock.now().toISOString();
    const row: ScoreModelRow = {
      workspaceId: ctx.workspaceId,
      id: this.deps.ids.next(),
      key: definition.key,
      name: definition.name,
      object: definition.object,
      enabled: true,
      currentVersion: 1,
      createdAt: now,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
    await this.deps.store.transaction(async (tx) => {
      await this.fieldsFree(tx, ctx.workspaceId, definition, row.id);
      if (!(await tx.scoring.insertScoreModel(row)))
        throw new AppError("conflict", `a scoring model with key ${definition.key} exists`, [
          { path: ["definition", "key"], code: "invalid_value", message: `the key "${definition.key}" is taken` },
        ]);
      await tx.scoring.insertScoreModelVersion({
        workspaceId: ctx.workspaceId,
        modelId: row.id,
        version: 1,
        definition,
        publishedAt: now,
        publishedBy: ctx.actor.id,
        note,
      });
      await this.queueRescore(tx, row, now);
      await this.audit(tx, ctx, row, "create", { key: row.key, object: row.object, version: 1 });
    });
    this.deps.onChange();
    return this.get(ctx, row.key);
  }

  async publish(ctx: CallContext, key: string, input: unknown): Promise<ScoreModelDetail> {
    requireScoringAdmin(ctx);
    const current = await this.model(this.deps.store, ctx, key);
    const { definition, note } = await this.parse(ctx, input, current);
    const now = this.deps.clock.now().toISOString();
    const row: ScoreModelRow = {
      ...current,
      name: definition.name,
      currentVersion: current.currentVersion + 1,
      updatedAt: now,
      updatedBy: ctx.actor.id,
    };
    await this.deps.store.transaction(async (tx) => {
      if (row.enabled) await this.fieldsFree(tx, ctx.workspaceId, definition, row.id);
      await tx.scoring.insertScoreModelVersion({
        workspaceId: ctx.workspaceId,
        modelId: row.id,
        version: row.currentVersion,
        definition,
        publishedAt: now,
        publishedBy: ctx.actor.id,
        note,
      });
      await tx.scoring.updateScoreModel(row);
      if (row.enabled) await this.queueRescore(tx, row, now);
      await this.audit(tx, ctx, row, "update", { version: row.currentVersion });
    });
    this.deps.onChange();
    return this.get(ctx, key);
  }

  async preview(ctx: CallContext, key: string | undefined, input: unknown): Promise<PreviewView> {
    requireScoringAdmin(ctx);
    const current = key === undefined ? undefined : await this.model(this.deps.store, ctx, key);
    const { definition } = await this.parse(ctx, input, current);
    return this.deps.preview(ctx.workspaceId, definition, current);
  }

  async setEnabled(ctx: CallContext, key: string, input: unknown): Promise<ScoreModelDetail> {
    requireScoringAdmin(ctx);
    checkIncomingJson(input, []);
    const body = input as { enabled?: unknown } | null;
    if (typeof body !== "object" || body === null || typeof body.enabled !== "boolean")
      throw invalid([{ path: ["enabled"], code: "invalid_type", message: "enabled is true or false", expected: "boolean" }]);
    const extra = Object.keys(body).filter((k) => k !== "enabled");
    if (extra.length > 0)
      throw invalid(
        extra.map((k) => ({
          path: [k],
          code: "unknown_field" as const,
          message: `unknown key "${k}"; publish a version to change the definition`,
        })),
      );
    const current = await this.model(this.deps.store, ctx, key);
    if (current.enabled === body.enabled) return this.get(ctx, key);
    const now = this.deps.clock.now().toISOString();
    const row = { ...current, enabled: body.enabled, updatedAt: now, updatedBy: ctx.actor.id };
    await this.deps.store.transaction(async (tx) => {
      if (row.enabled) {
        const v = await tx.scoring.getScoreModelVersion(ctx.workspaceId, row.id, row.currentVersion);
        if (v) await this.fieldsFree(tx, ctx.workspaceId, v.definition, row.id);
        await this.queueRescore(tx, row, now);
      } else await tx.scoring.supersedeScoreRescores(ctx.workspaceId, row.id, "the model was switched off", now);
      await tx.scoring.updateScoreModel(row);
      await this.audit(tx, ctx, row, "update", { enabled: row.enabled });
    });
    this.deps.onChange();
    return this.get(ctx, key);
  }

  async delete(ctx: CallContext, key: string): Promise<void> {
    requireScoringAdmin(ctx);
    const m = await this.model(this.deps.store, ctx, key);
    await this.deps.store.transaction(async (tx) => {
      await tx.scoring.deleteScoreModel(ctx.workspaceId, m.id);
      await this.audit(tx, ctx, m, "delete", {});
    });
    this.deps.onChange();
  }

  async latestRescore(ctx: CallContext, key: string): Promise<RescoreView> {
    const m = await this.model(this.deps.store, ctx, key);
    const r = await this.deps.store.scoring.latestScoreRescore(ctx.workspaceId, m.id);
    if (!r) throw notFound(`a rescore of ${key}`);
    return rescoreView(r);
  }

  /** A record's score under each model of its object, at `at` (default now): awards after `at` do not count yet. */
  async recordScore(ctx: CallContext, plural: string, id: string, at?: string): Promise<RecordScoreView[]> {
    const record = await this.record(ctx, plural, id);
    const atMs = at === undefined ? this.deps.clock.now().getTime() : Date.parse(at);
    if (!Number.isFinite(atMs))
      throw invalid([{ path: ["at"], code: "invalid_type", message: "at is an ISO 8601 instant", expected: "date-time" }]);
    const s = this.deps.store.scoring;
    const states = await this.deps.store.scores.scoreStatesOf(ctx.workspaceId, record.id);
    const out: RecordScoreView[] = [];
    for (const live of await s.liveScoreModels(ctx.workspaceId, record.object)) {
      const compiled = compileScoreModel(live.definition);
      const state = states.find((x) => x.modelId === live.model.id);
      const hits: FitHit[] = state ? storedHits(compiled, state.fitRules, state.fitPoints) : [];
      const awards: Award[] = (await this.deps.store.scores.scoreAwardsOf(ctx.workspaceId, live.model.id, record.id)).map((a) => ({
        groupKey: a.groupKey,
        ruleKey: a.ruleKey,
        points: a.points,
        awardedAtMs: Date.parse(a.awardedAt),
      }));
      const value = scoreAt(compiled, hits, awards, atMs);
      const next = nextChangeAt(compiled, hits, awards, atMs);
      out.push(
        recordScoreView(
          live.model,
          live.definition,
          state?.version ?? live.model.currentVersion,
          new Date(atMs).toISOString(),
          value,
          next === null ? null : new Date(next).toISOString(),
        ),
      );
    }
    return out;
  }

  /** A record's ledger, newest first, by page (`cursor`: the last row's id of the page before). */
  async ledger(
    ctx: CallContext,
    plural: string,
    id: string,
    q: { model?: string | undefined; cursor?: string | undefined; limit?: number | undefined },
  ) {
    const record = await this.record(ctx, plural, id);
    const models = await this.deps.store.scoring.listScoreModels(ctx.workspaceId);
    const model = q.model === undefined ? undefined : models.find((m) => m.key === q.model);
    if (q.model !== undefined && !model) throw notFound(`scoring model ${q.model}`);
    const limit = Math.min(Math.max(q.limit ?? LEDGER_PAGE, 1), 200);
    const rows = await this.deps.store.scores.scoreLedger({
      workspaceId: ctx.workspaceId,
      recordId: record.id,
      modelId: model?.id,
      before: q.cursor,
      limit: limit + 1,
    });
    const keys = new Map(models.map((m) => [m.id, m.key]));
    const page = rows.slice(0, limit);
    const data: LedgerView[] = page.map((r) => ledgerView(r, keys.get(r.modelId) ?? r.modelId));
    return { data, next_cursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
  }

  private async record(ctx: CallContext, plural: string, id: string) {
    const def = objectByPlural(plural);
    if (!def) throw notFound(`objects ${plural}`);
    const record = await this.deps.store.records.getRecord(ctx.workspaceId, id);
    if (!record || record.object !== def.name) throw notFound(`${def.name} ${id}`);
    return record;
  }

  private async model(reads: StoreReads, ctx: CallContext, key: string): Promise<ScoreModelRow> {
    const m = await reads.scoring.getScoreModel(ctx.workspaceId, key);
    if (!m) throw notFound(`scoring model ${key}`);
    return m;
  }

  /** The body `{definition, note?}`, its shape and its fit with the workspace checked, every problem with its path. */
  private async parse(
    ctx: CallContext,
    input: unknown,
    current: ScoreModelRow | undefined,
  ): Promise<{ definition: ScoreModelDefinition; note: string | null }> {
    checkIncomingJson(input, []);
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw invalid([{ path: [], code: "invalid_type", message: "expected {definition, note?}", expected: "object" }]);
    const body = input as Record<string, unknown>;
    const issues: Issue[] = Object.keys(body)
      .filter((k) => k !== "definition" && k !== "note")
      .map((k) => ({ path: [k], code: "unknown_field" as const, message: `unknown key "${k}"` }));
    if (body.note !== undefined && body.note !== null && (typeof body.note !== "string" || body.note.length > 2000))
      issues.push({ path: ["note"], code: "invalid_type", message: "a note is text of at most 2000 characters", expected: "string" });
    if (body.definition === undefined) issues.push({ path: ["definition"], code: "required", message: "a definition is needed" });
    if (issues.length > 0) throw invalid(issues);
    const parsed = scoreModelSchema.safeParse(body.definition);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues).map((i) => ({ ...i, path: ["definition", ...i.path] })));
    const definition = parsed.data as ScoreModelDefinition;
    if (current && definition.key !== current.key)
      throw invalid([
        { path: ["definition", "key"], code: "invalid_value", message: `this is model ${current.key}; a new key is a new model` },
      ]);
    if (current && definition.object !== current.object)
      throw invalid([
        {
          path: ["definition", "object"],
          code: "invalid_value",
          message: `model ${current.key} scores ${current.object} records; create another model for another object`,
        },
      ]);
    const fields = new Map<ObjectName, readonly FieldDef[]>();
    for (const o of OBJECT_NAMES) fields.set(o, await loadFields(this.deps.store, ctx.workspaceId, o));
    const problems = [
      ...scoreModelIssues(definition, (o) => fields.get(o) ?? []),
      ...(await predictionRuleIssues(this.deps.store, ctx.workspaceId, definition)),
    ];
    if (problems.length > 0) throw invalid(problems.map((i) => ({ ...i, path: ["definition", ...i.path] })));
    return { definition, note: typeof body.note === "string" ? body.note : null };
  }

  /** Two enabled models never write one field: the second would undo the first at every event. */
  private async fieldsFree(tx: StoreTx, workspaceId: string, def: ScoreModelDefinition, modelId: string) {
    const mine = outputFields(def);
    for (const other of await tx.scoring.liveScoreModels(workspaceId, def.object)) {
      if (other.model.id === modelId) continue;
      const theirs = new Set(outputFields(other.definition));
      const clash = Object.entries(def.fields).find(([, f]) => f !== undefined && theirs.has(f));
      if (clash)
        throw invalid([
          {
            path: ["definition", "fields", clash[0]],
            code: "invalid_value",
            message: `"${clash[1]}" is written by model ${other.model.key}; two enabled models may not write the same field`,
          },
        ]);
    }
    return mine;
  }

  private queueRescore(tx: StoreTx, m: ScoreModelRow, now: string) {
    return queueRescore(tx, this.deps.ids, m, now, `superseded by version ${m.currentVersion}`);
  }

  private async audit(tx: StoreTx, ctx: CallContext, m: ScoreModelRow, action: ConfigAuditAction, summary: Record<string, unknown>) {
    await auditConfigChange(tx, this.deps, ctx, { entity: "scoring_model", entityId: m.id, action, summary: { key: m.key, ...summary } });
  }
}

/** What the API and the CLI show of scoring models, scores and the ledger (snake_case, as served). */
import type { ScoreModelDefinition } from "../../engine/scoring/definition.js";
import type { GroupValue, ScoreValue } from "../../engine/scoring/model.js";
import type { ScoreLedgerRow, ScoreModelRow, ScoreModelVersionRow, ScoreRescoreRow } from "../../store/scoring-ports.js";

export interface RescoreView {
  id: string;
  version: number;
  state: ScoreRescoreRow["state"];
  total: number;
  done: number;
  changed: number;
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

export const rescoreView = (r: ScoreRescoreRow): RescoreView => ({
  id: r.id,
  version: r.version,
  state: r.state,
  total: r.total,
  done: r.done,
  changed: r.changed,
  started_at: r.startedAt,
  finished_at: r.finishedAt,
  error: r.error,
});

export interface ScoreModelSummary {
  id: string;
  key: string;
  name: string;
  object: string;
  enabled: boolean;
  version: number;
  fields: ScoreModelDefinition["fields"];
  rescore: RescoreView | null;
  updated_at: string;
  updated_by: string | null;
}

export function modelSummary(m: ScoreModelRow, def: ScoreModelDefinition, rescore: ScoreRescoreRow | undefined): ScoreModelSummary {
  return {
    id: m.id,
    key: m.key,
    name: m.name,
    object: m.object,
    enabled: m.enabled,
    version: m.currentVersion,
    fields: def.fields,
    rescore: rescore ? rescoreView(rescore) : null,
    updated_at: m.updatedAt,
    updated_by: m.updatedBy,
  };
}

export interface VersionView {
  version: number;
  published_at: string;
  published_by: string | null;
  note: string | null;
}

export const versionView = (v: ScoreModelVersionRow): VersionView => ({
  version: v.version,
  published_at: v.publishedAt,
  published_by: v.publishedBy,
  note: v.note,
});

export interface ScoreModelDetail extends ScoreModelSummary {
  definition: ScoreModelDefinition;
  versions: VersionView[];
}

const exact = (n: number) => Math.round(n * 1e6) / 1e6;

export interface GroupView {
  part: GroupValue["part"];
  key: string;
  label: string;
  cap: number | null;
  value: number;
  rounded: number;
  rules: Array<{ key: string; label: string; points: number; current: number; rounded: number; hits: number }>;
}

export interface RecordScoreView {
  model: { id: string; key: string; name: string };
  version: number;
  at: string;
  fields: ScoreModelDefinition["fields"];
  total: number;
  fit: number;
  engagement: number;
  exact: { total: number; fit: number; engagement: number };
  groups: GroupView[];
  next_change_at: string | null;
}

export function recordScoreView(
  m: ScoreModelRow,
  def: ScoreModelDefinition,
  version: number,
  at: string,
  v: ScoreValue,
  nextChangeAt: string | null,
): RecordScoreView {
  return {
    model: { id: m.id, key: m.key, name: m.name },
    version,
    at,
    fields: def.fields,
    total: v.rounded.total,
    fit: v.rounded.fit,
    engagement: v.rounded.engagement,
    exact: { total: exact(v.total), fit: exact(v.fit), engagement: exact(v.engagement) },
    groups: v.groups.map((g) => ({
      part: g.part,
      key: g.key,
      label: g.label,
      cap: g.cap,
      value: exact(g.value),
      rounded: Math.round(g.value),
      rules: g.rules.map((r) => ({
        key: r.key,
        label: r.label,
        points: r.points,
        current: exact(r.current),
        rounded: Math.round(r.current),
        hits: r.hits,
      })),
    })),
    next_change_at: nextChangeAt,
  };
}

export interface LedgerView {
  id: string;
  model: { id: string; key: string };
  version: number;
  kind: ScoreLedgerRow["kind"];
  group: string | null;
  rule: string | null;
  points: number | null;
  before: number;
  after: number;
  change: number;
  cause_event_id: string | null;
  cause: Record<string, unknown>;
  at: string;
}

export const ledgerView = (r: ScoreLedgerRow, key: string): LedgerView => ({
  id: r.id,
  model: { id: r.modelId, key },
  version: r.version,
  kind: r.kind,
  group: r.groupKey,
  rule: r.ruleKey,
  points: r.points,
  // Exact, as stored: the rows of a record sum to its total only unrounded.
  before: r.before,
  after: r.after,
  change: exact(r.after - r.before),
  cause_event_id: r.causeEventId,
  cause: r.cause,
  at: r.at,
});

export interface PreviewView {
  records: number;
  histogram: Array<{ from: number; to: number; count: number }>;
  mean: number;
  median: number;
  changed: number;
  up: number;
  down: number;
  top_rules: Array<{ group: string; rule: string; label: string; records: number }>;
}

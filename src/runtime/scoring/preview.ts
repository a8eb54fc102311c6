/**
 * A definition scored over the workspace's existing records without writing anything
 * (docs/scoring.md "Preview"): fit from each record, engagement awards derived from its stored
 * activities and deliveries as a rescore would, the totals at this instant — their distribution,
 * and how they compare with what the current version's fields hold. Runs in a transaction that
 * is rolled back, so that nothing it reads through can write (award ids are throw-away).
 */

import type { Clock, IdGenerator } from "../../app/ports.js";
import type { ScorePreview } from "../../app/scoring/scoring-admin.js";
import type { PreviewView } from "../../app/scoring/scoring-views.js";
import type { ScoreModelDefinition } from "../../engine/scoring/definition.js";
import { compileScoreModel, fitHits, scoreAt } from "../../engine/scoring/model.js";
import type { Store } from "../../store/ports.js";
import { type FitDeps, fitFacts } from "./fit-facts.js";
import type { LiveModel } from "./models.js";
import { deriveAwards } from "./rescore.js";

/** Records a preview looks at, at most (the first by id); the view says how many it saw. */
export const PREVIEW_LIMIT = 20_000;
const BINS = 10;

class RolledBack extends Error {}

export function scorePreview(deps: { store: Store; clock: Clock; ids: IdGenerator } & FitDeps): ScorePreview {
  return async (workspaceId, def: ScoreModelDefinition, current) => {
    const compiled = compileScoreModel(def);
    const nowMs = deps.clock.now().getTime();
    const live: LiveModel = {
      row: current ?? {
        workspaceId,
        id: "preview",
        key: def.key,
        name: def.name,
        object: def.object,
        enabled: true,
        currentVersion: 0,
        createdAt: "",
        updatedAt: "",
        updatedBy: null,
      },
      version: (current?.currentVersion ?? 0) + 1,
      compiled,
    };
    const totals: number[] = [];
    let up = 0;
    let down = 0;
    const ruleRecords = new Map<string, number>();
    try {
      await deps.store.transaction(async (tx) => {
        let after: string | null = null;
        while (totals.length < PREVIEW_LIMIT) {
          const ids = await tx.scoring.scoredRecordIds(workspaceId, def.object, after, Math.min(500, PREVIEW_LIMIT - totals.length));
          if (ids.length === 0) break;
          after = ids.at(-1) ?? null;
          for (const record of await tx.records.getRecords(workspaceId, ids)) {
            const hits = fitHits(compiled, await fitFacts(tx, deps.conversions, compiled, record, nowMs));
            const awards = (await deriveAwards(tx, deps, live, record)).map((a) => ({
              groupKey: a.groupKey,
              ruleKey: a.ruleKey,
              points: a.points,
              awardedAtMs: Date.parse(a.awardedAt),
            }));
            const v = scoreAt(compiled, hits, awards, nowMs);
            totals.push(v.rounded.total);
            const was = record.data[def.fields.total];
            const old = typeof was === "number" ? was : 0;
            if (v.rounded.total > old) up += 1;
            else if (v.rounded.total < old) down += 1;
            for (const g of v.groups)
              for (const r of g.rules)
                if (r.hits > 0) ruleRecords.set(`${g.key}/${r.key}`, (ruleRecords.get(`${g.key}/${r.key}`) ?? 0) + 1);
          }
        }
        throw new RolledBack();
      });
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
    }
    const sorted = [...totals].sort((a, b) => a - b);
    const n = sorted.length;
    const lo = sorted[0] ?? 0;
    const hi = sorted[n - 1] ?? 0;
    const width = Math.max(1, Math.ceil((hi - lo + 1) / BINS));
    const histogram: PreviewView["histogram"] = [];
    for (let from = lo; from <= hi && n > 0; from += width) {
      const to = from + width - 1;
      histogram.push({ from, to, count: sorted.filter((t) => t >= from && t <= to).length });
    }
    const labels = new Map<string, string>(
      compiled.groups.flatMap((g) => g.rules.map((r): [string, string] => [`${g.key}/${r.key}`, r.label])),
    );
    const result: PreviewView = {
      records: n,
      histogram,
      mean: n === 0 ? 0 : Math.round((sorted.reduce((s, t) => s + t, 0) / n) * 100) / 100,
      median: n === 0 ? 0 : n % 2 === 1 ? (sorted[(n - 1) / 2] ?? 0) : ((sorted[n / 2 - 1] ?? 0) + (sorted[n / 2] ?? 0)) / 2,
      changed: up + down,
      up,
      down,
      top_rules: [...ruleRecords.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 10)
        .map(([k, records]) => {
          const [group = "", rule = ""] = k.split("/");
          return { group, rule, label: labels.get(k) ?? rule, records };
        }),
    };
    return result;
  };
}

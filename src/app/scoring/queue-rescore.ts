/**
 * Queues a background rescore of a model's records (docs/scoring.md "Recomputing"): an
 * unfinished older one is marked failed with `why`, since the new one goes through every record
 * again. Publishing, creating or switching on a model queue one; so does a referenced record's
 * change that reaches more records than the event path rescores at once (runtime/scoring/hook.ts).
 */

import type { StoreTx } from "../../store/ports.js";
import type { ScoreModelRow } from "../../store/scoring-ports.js";
import type { IdGenerator } from "../ports.js";

/** `onlyIfNone`: keep a rescore of the current version that has not started (it will see every record as it is then). */
export async function queueRescore(tx: StoreTx, ids: IdGenerator, m: ScoreModelRow, now: string, why: string, onlyIfNone = false) {
  if (onlyIfNone) {
    const latest = await tx.scoring.latestScoreRescore(m.workspaceId, m.id);
    if (latest && latest.state === "queued" && latest.version === m.currentVersion) return;
  }
  await tx.scoring.supersedeScoreRescores(m.workspaceId, m.id, why, now);
  await tx.scoring.insertScoreRescore({
    workspaceId: m.workspaceId,
    id: ids.next(),
    modelId: m.id,
    version: m.currentVersion,
    state: "queued",
    total: await tx.scoring.countScoredRecords(m.workspaceId, m.object),
    done: 0,
    changed: 0,
    afterId: null,
    startedAt: now,
    finishedAt: null,
    error: null,
  });
}

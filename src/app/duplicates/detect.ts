/**
 * Finding a record's duplicates (docs/data-quality.md, "Matching and duplicates"): the records
 * that share one of the rule's blocking keys — index lookups in the key table, never a scan — are
 * loaded and scored with the rule's fields; those at or above its threshold are pairs. Shared by
 * the write hook (records/write/duplicates.ts) and the scan.
 */
import { performance } from "node:perf_hooks";
import { countryOf, type MatchKey, matchKeysOf } from "../../crm/dedupe/keys.js";
import { type FieldMatch, scorePair } from "../../crm/dedupe/score.js";
import type { ObjectName } from "../../crm/fields.js";
import type { KeyHolders, MatchKeyRow, MatchRuleRow } from "../../store/duplicate-ports.js";
import type { StoredRecord, StoreReads, StoreTx } from "../../store/ports.js";
import type { ReviewItemRow } from "../../store/review-queue-ports.js";
import { subjectKeyOf } from "../../store/review-queue-ports.js";
import type { MatchRuleSpec } from "./match-rule-schemas.js";

/** A key more records share than this is too common to block on (a switchboard, info@). */
export const MAX_PER_KEY = 50;

/**
 * Keys found too common, per workspace, remembered for a while so that the next records holding
 * them skip the lookup: on a large workspace most surname keys are too common, and counting their
 * holders again on every create cost a fifth of a create's time. A key only becomes common as
 * records are added; one that falls back under the bound (deletes, merges) is looked up again
 * when its memory expires.
 */
const TOO_COMMON_FOR_MS = 10 * 60_000;
const TOO_COMMON_MAX = 50_000;
const tooCommon = new Map<string, number>();

const commonKey = (workspaceId: string, k: MatchKey) => `${workspaceId}\u0000${k.kind}\u0000${k.value}`;

function knownTooCommon(workspaceId: string, k: MatchKey, now: number): boolean {
  const id = commonKey(workspaceId, k);
  const until = tooCommon.get(id);
  if (until === undefined) return false;
  if (until > now) return true;
  tooCommon.delete(id);
  return false;
}

function rememberTooCommon(workspaceId: string, keys: readonly MatchKey[], now: number): void {
  if (tooCommon.size + keys.length > TOO_COMMON_MAX) tooCommon.clear();
  for (const k of keys) tooCommon.set(commonKey(workspaceId, k), now + TOO_COMMON_FOR_MS);
}

export interface LiveRule {
  id: string;
  spec: MatchRuleSpec;
}

export interface DetectedPair {
  rule: LiveRule;
  record: StoredRecord;
  other: StoredRecord;
  score: number;
  /** The key kinds the two share. */
  keys: string[];
  fields: FieldMatch[];
}

export const liveRule = (row: MatchRuleRow): LiveRule => ({ id: row.id, spec: row.definition as MatchRuleSpec });

/** The enabled rules that check writes of `object`. */
export async function rulesFor(reads: StoreReads, workspaceId: string, object: ObjectName): Promise<LiveRule[]> {
  return (await reads.duplicates.listMatchRules(workspaceId, object)).filter((r) => r.enabled).map(liveRule);
}

/**
 * The country national phone numbers are read in when a record names none. Phones are stored in
 * E.164 by the field check (crm/values.ts), so this matters only for values written before it;
 * a workspace default country is not a setting yet (the report of issue 20 says so).
 */
export const WORKSPACE_COUNTRY: string | undefined = undefined;

export interface Subject {
  record: StoredRecord;
  keys: readonly MatchKey[];
}

/**
 * The pairs of each subject under `rule`, each pair once (a subject's candidate that is itself
 * a subject is paired once, from the lower id). `known` holds records already loaded (the batch).
 */
export async function findPairs(
  reads: StoreReads,
  workspaceId: string,
  rule: LiveRule,
  subjects: readonly Subject[],
  country: string | undefined,
  known: ReadonlyMap<string, StoredRecord> = new Map(),
  found?: KeyHolders,
): Promise<DetectedPair[]> {
  const kinds = new Set<string>(rule.spec.keys);
  // Monotonic time: the memory of common keys is a cache, not a fact with a date.
  const now = performance.now();
  const wanted = subjects.flatMap((s) => s.keys.filter((k) => kinds.has(k.kind) && !knownTooCommon(workspaceId, k, now)));
  if (wanted.length === 0) return [];
  let rows: MatchKeyRow[];
  if (found) {
    const objects = new Set<string>(rule.spec.compare_with);
    rows = found.holders.filter((h) => kinds.has(h.kind) && objects.has(h.object));
  } else {
    const looked = await reads.duplicates.findRecordsByKeys(workspaceId, rule.spec.compare_with, uniqueKeys(wanted), MAX_PER_KEY);
    rememberTooCommon(workspaceId, looked.tooCommon, now);
    rows = looked.holders;
  }
  const holders = new Map<string, MatchKeyRow[]>();
  for (const r of rows) {
    const k = `${r.kind}\u0000${r.value}`;
    const list = holders.get(k) ?? [];
    list.push(r);
    holders.set(k, list);
  }
  const shared = new Map<string, Map<string, Set<string>>>();
  for (const s of subjects) {
    const byOther = new Map<string, Set<string>>();
    for (const k of s.keys) {
      if (!kinds.has(k.kind)) continue;
      for (const h of holders.get(`${k.kind}\u0000${k.value}`) ?? []) {
        if (h.recordId === s.record.id) continue;
        const set = byOther.get(h.recordId) ?? new Set<string>();
        set.add(k.kind);
        byOther.set(h.recordId, set);
      }
    }
    if (byOther.size > 0) shared.set(s.record.id, byOther);
  }
  const missing = [...new Set([...shared.values()].flatMap((m) => [...m.keys()]))].filter((id) => !known.has(id));
  const loaded = new Map(known);
  if (missing.length > 0) for (const r of await reads.records.getRecords(workspaceId, missing)) loaded.set(r.id, r);
  const subjectIds = new Set(subjects.map((s) => s.record.id));
  const pairs: DetectedPair[] = [];
  for (const s of subjects) {
    for (const [otherId, keyKinds] of shared.get(s.record.id) ?? []) {
      if (subjectIds.has(otherId) && otherId < s.record.id) continue;
      const other = loaded.get(otherId);
      if (!other || !rule.spec.compare_with.includes(other.object as never)) continue;
      const scored = scorePair(
        rule.spec.fields,
        { data: s.record.data, country: countryOf(s.record.data, country) },
        { data: other.data, country: countryOf(other.data, country) },
      );
      if (scored.score >= rule.spec.threshold)
        pairs.push({ rule, record: s.record, other, score: scored.score, keys: [...keyKinds].sort(), fields: scored.fields });
    }
  }
  return pairs;
}

/**
 * A create's keys written and every rule's candidates looked up in one call to the store (one
 * statement on PostgreSQL): the holders as the table was before the insert, with the batch's own
 * records added here, and keys over MAX_PER_KEY holders named too common — and remembered.
 * Answers `findPairs`'s `found` for each of `rules`.
 */
export async function insertKeysFinding(
  tx: StoreTx,
  workspaceId: string,
  rules: readonly LiveRule[],
  subjects: readonly Subject[],
): Promise<KeyHolders> {
  const now = performance.now();
  const kinds = new Set<string>(rules.flatMap((r) => r.spec.keys));
  const objects = [...new Set<string>(rules.flatMap((r) => r.spec.compare_with))];
  const wanted = uniqueKeys(subjects.flatMap((s) => s.keys.filter((k) => kinds.has(k.kind) && !knownTooCommon(workspaceId, k, now))));
  const rows = subjects.map((s) => ({ object: s.record.object, recordId: s.record.id, keys: s.keys }));
  const before = await tx.duplicates.insertMatchKeysFinding(workspaceId, rows, objects, wanted, MAX_PER_KEY);
  const id = (k: { kind: string; value: string }) => `${k.kind}\u0000${k.value}`;
  const wantedIds = new Set(wanted.map(id));
  const common = new Set(before.tooCommon.map(id));
  const holders = [...before.holders];
  for (const s of subjects)
    if (objects.includes(s.record.object))
      for (const k of s.keys)
        if (wantedIds.has(id(k)) && !common.has(id(k)))
          holders.push({ object: s.record.object, kind: k.kind, value: k.value, recordId: s.record.id });
  const counts = new Map<string, number>();
  for (const h of holders) counts.set(id(h), (counts.get(id(h)) ?? 0) + 1);
  const tooCommon = [...before.tooCommon];
  for (const [key, n] of counts) if (n > MAX_PER_KEY) tooCommon.push(wanted.find((k) => id(k) === key) as MatchKey);
  const over = new Set(tooCommon.map(id));
  rememberTooCommon(workspaceId, tooCommon, now);
  return { holders: holders.filter((h) => !over.has(id(h))), tooCommon };
}

export function subjectsOf(records: readonly StoredRecord[], country: string | undefined): Subject[] {
  return records.map((record) => ({ record, keys: matchKeysOf(record.object, record.data, country) }));
}

function uniqueKeys(keys: readonly MatchKey[]): MatchKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.kind}\u0000${k.value}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The fields that matched (similarity 1 first), in words. */
export function matchedFieldsText(pair: DetectedPair): string {
  const strong = pair.fields.filter((f) => f.similarity >= 0.85).map((f) => f.name);
  return strong.length > 0 ? strong.join(", ") : pair.keys.join(", ");
}

/** The review item of a suspected pair. */
export function pairItem(pair: DetectedPair, id: string, createdBy: string, at: string, note?: string): ReviewItemRow {
  const reason =
    `Possible duplicate of ${pair.other.object} ${pair.other.id}: ${matchedFieldsText(pair)} match ` +
    `(score ${pair.score.toFixed(2)}, rule "${pair.rule.spec.name}")${note ? `; ${note}` : ""}`;
  return {
    workspaceId: pair.record.workspaceId,
    id,
    kind: "duplicate",
    subjectKey: subjectKeyOf("duplicate", pair.record.id, pair.other.id),
    object: pair.record.object,
    recordId: pair.record.id,
    otherRecordId: pair.other.id,
    reason,
    detail: { score: pair.score, keys: pair.keys, fields: pair.fields, ruleId: pair.rule.id, otherObject: pair.other.object },
    status: "open",
    resolution: null,
    assigneeId: null,
    createdBy,
    createdAt: at,
    resolvedAt: null,
    resolvedBy: null,
    note: null,
  };
}

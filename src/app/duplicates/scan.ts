/**
 * The one-off scan (docs/data-quality.md, "Scan"): goes through an object's existing records and
 * fills the review queue with the duplicate pairs already present, with the same keys and scoring
 * as detection on write. First the keys of every record the object's rules compare are written
 * again (records from before the key table, or keyed by an older rule of normalisation), then each
 * record's candidates are looked up by key and scored, a page at a time, each page's pairs queued
 * in one transaction. Progress is stored on the scan's row (the API polls it; the CLI prints it).
 * A pair dismissed before is not queued again (the queue's port); a pair already open is kept.
 */
import { type FieldDef, type ObjectName, SYSTEM_FIELDS } from "../../crm/fields.js";
import type { DedupeScanRow } from "../../store/duplicate-ports.js";
import type { Store, StoredRecord } from "../../store/ports.js";
import { subjectKeyOf } from "../../store/review-queue-ports.js";
import type { CallContext } from "../context.js";
import { AppError, notFound } from "../errors.js";
import type { Clock, IdGenerator } from "../ports.js";
import { enqueueItem } from "../review-queue/enqueue.js";
import { type DetectedPair, findPairs, type LiveRule, pairItem, rulesFor, subjectsOf, WORKSPACE_COUNTRY } from "./detect.js";
import { MATCHED_OBJECTS } from "./match-rule-schemas.js";
import { requireMatchAdmin } from "./match-rules.js";

const ID_FIELD = SYSTEM_FIELDS.find((f) => f.name === "id") as FieldDef;

export interface ScanView {
  id: string;
  object: string;
  status: DedupeScanRow["status"];
  total: number;
  done: number;
  pairs_found: number;
  pairs_queued: number;
  started_at: string;
  started_by: string;
  finished_at: string | null;
  error: string | null;
}

export const scanView = (s: DedupeScanRow): ScanView => ({
  id: s.id,
  object: s.object,
  status: s.status,
  total: s.total,
  done: s.done,
  pairs_found: s.pairsFound,
  pairs_queued: s.pairsQueued,
  started_at: s.startedAt,
  started_by: s.startedBy,
  finished_at: s.finishedAt,
  error: s.error,
});

export interface ScanResult {
  scan: ScanView;
  /** Every pair found, as `duplicate:<lowerId>:<higherId>` (the bench and the seed's test score them). */
  pairs: string[];
}

export class DedupeScanner {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly page = 500,
  ) {}

  async get(ctx: CallContext, id: string): Promise<ScanView> {
    const s = await this.store.duplicates.getDedupeScan(ctx.workspaceId, id);
    if (!s) throw notFound(`scan ${id}`);
    return scanView(s);
  }

  async list(ctx: CallContext, limit = 20): Promise<ScanView[]> {
    return (await this.store.duplicates.listDedupeScans(ctx.workspaceId, limit)).map(scanView);
  }

  /** Starts a scan in the background and answers at once with its row (status `running`). */
  async start(ctx: CallContext, object: string, onError: (error: unknown) => void = () => {}): Promise<ScanView> {
    const { row, rules } = await this.begin(ctx, object);
    void this.run(ctx, row, rules).catch(onError);
    return scanView(row);
  }

  /** Runs a scan to its end (the CLI, the seed, the bench), telling `onProgress` after each page. */
  async scan(ctx: CallContext, object: string, onProgress?: (scan: ScanView) => void): Promise<ScanResult> {
    const { row, rules } = await this.begin(ctx, object);
    return this.run(ctx, row, rules, onProgress);
  }

  private async begin(ctx: CallContext, object: string): Promise<{ row: DedupeScanRow; rules: LiveRule[] }> {
    requireMatchAdmin(ctx);
    if (!(MATCHED_OBJECTS as readonly string[]).includes(object))
      throw new AppError("validation", `${object} has no match keys`, [
        { path: ["object"], code: "not_in_options", message: `scans run over ${MATCHED_OBJECTS.join(", ")}`, expected: MATCHED_OBJECTS },
      ]);
    const rules = (await rulesFor(this.store, ctx.workspaceId, object as ObjectName)).filter((r) => r.spec.action !== "allow");
    if (rules.length === 0)
      throw new AppError("conflict", `no enabled match rule checks ${object} records: add one (Data quality → Matching) before scanning`, [
        { path: ["object"], code: "invalid_value", message: `no enabled match rule for ${object}` },
      ]);
    const indexed = indexedObjects(object as ObjectName, rules);
    let total = 0;
    for (const o of indexed) total += await this.store.records.countRecords(ctx.workspaceId, o);
    total += await this.store.records.countRecords(ctx.workspaceId, object as ObjectName);
    const row: DedupeScanRow = {
      workspaceId: ctx.workspaceId,
      id: this.ids.next(),
      object,
      status: "running",
      total,
      done: 0,
      pairsFound: 0,
      pairsQueued: 0,
      startedAt: this.clock.now().toISOString(),
      startedBy: actorName(ctx),
      finishedAt: null,
      error: null,
    };
    await this.store.transaction((tx) => tx.duplicates.insertDedupeScan(row));
    return { row, rules };
  }

  private async run(ctx: CallContext, start: DedupeScanRow, rules: LiveRule[], onProgress?: (scan: ScanView) => void): Promise<ScanResult> {
    let row = start;
    const save = async (next: DedupeScanRow) => {
      row = next;
      await this.store.transaction((tx) => tx.duplicates.updateDedupeScan(row));
      onProgress?.(scanView(row));
    };
    const seen = new Set<string>();
    try {
      for (const o of indexedObjects(row.object as ObjectName, rules))
        for await (const page of this.pages(ctx.workspaceId, o)) {
          const rows = subjectsOf(page, WORKSPACE_COUNTRY).map((s) => ({ object: o, recordId: s.record.id, keys: s.keys }));
          await this.store.transaction((tx) => tx.duplicates.replaceMatchKeys(ctx.workspaceId, rows));
          await save({ ...row, done: row.done + page.length });
        }
      for await (const page of this.pages(ctx.workspaceId, row.object as ObjectName)) {
        const subjects = subjectsOf(page, WORKSPACE_COUNTRY);
        const known = new Map(page.map((r) => [r.id, r]));
        const pairs: DetectedPair[] = [];
        for (const rule of rules)
          for (const pair of await findPairs(this.store, ctx.workspaceId, rule, subjects, WORKSPACE_COUNTRY, known)) {
            const key = subjectKeyOf("duplicate", pair.record.id, pair.other.id);
            if (seen.has(key)) continue;
            seen.add(key);
            pairs.push(pair);
          }
        const at = this.clock.now().toISOString();
        const by = actorName(ctx);
        const queued = await this.store.transaction(async (tx) => {
          let n = 0;
          for (const p of pairs) if ((await enqueueItem(tx, this.ids, ctx, pairItem(p, this.ids.next(), by, at))).added) n++;
          return n;
        });
        await save({
          ...row,
          done: row.done + page.length,
          pairsFound: row.pairsFound + pairs.length,
          pairsQueued: row.pairsQueued + queued,
        });
      }
      await save({ ...row, status: "done", done: row.total, finishedAt: this.clock.now().toISOString() });
    } catch (error) {
      await save({
        ...row,
        status: "failed",
        error: error instanceof Error ? error.message : String(error),
        finishedAt: this.clock.now().toISOString(),
      });
      throw error;
    }
    return { scan: scanView(row), pairs: [...seen] };
  }

  /** An object's records in pages, by id (keyset): a page at a time in memory. */
  private async *pages(workspaceId: string, object: ObjectName): AsyncGenerator<StoredRecord[]> {
    let after: { value: unknown; id: string } | undefined;
    for (;;) {
      const page = await this.store.records.queryRecords({
        workspaceId,
        object,
        sort: { field: ID_FIELD, direction: "asc" },
        ...(after ? { after } : {}),
        limit: this.page,
      });
      if (page.length === 0) return;
      yield page;
      const last = page[page.length - 1] as StoredRecord;
      after = { value: last.id, id: last.id };
      if (page.length < this.page) return;
    }
  }
}

/** The objects whose keys a scan of `object` writes again: its own and those its rules compare with. */
function indexedObjects(object: ObjectName, rules: readonly LiveRule[]): ObjectName[] {
  return [...new Set<ObjectName>([object, ...rules.flatMap((r) => r.spec.compare_with)])];
}

const actorName = (ctx: CallContext) => (ctx.actor.kind === "system" ? "system" : `${ctx.actor.kind}:${ctx.actor.id}`);

/**
 * Validation rules, stage gates and phone formats on every record write (issue 20;
 * docs/data-quality.md "Validation rules", "Stage gates", "Formats"). Create and update call it:
 * whatever wrote — the API, a CSV import, a form, an inbound hook, a workflow step — meets the
 * same rules, in the write's own transaction.
 *
 * - Formats (`formatInputs`, before the field checks): a phone number typed without its country
 *   code is put in E.164 with the record's country, else its company's. The field's action says
 *   what happens to one that still does not normalise: `fix` (the default) and `refuse` refuse
 *   it (422 on the field; `refuse` also refuses a number typed without its country code, rather
 *   than guess one), `warn` keeps it as typed and queues the record (kind `format`).
 * - Rules (`afterWrite`, once the new data is known, before the commit): a `refuse` rule the
 *   write breaks refuses the whole write — all items, nothing written (the transaction or the
 *   write's savepoint is rolled back) — naming the rule and the path of the field it shows its
 *   message on; a `warn` rule queues the record (kind `rule`). A later write the record passes
 *   closes its open items as `fixed`.
 *
 * Cost: the rules and formats are compiled once per workspace epoch (`QualityCache`); a write
 * reads the epoch once per transaction, and a workspace that never had a rule or a format stops
 * there (phone numbers typed with their country code are not looked at here at all).
 */
import type { FieldDef, ObjectName } from "../../../crm/fields.js";
import type { Issue, IssuePath } from "../../../crm/issues.js";
import { hasCountryCode, normalisePhone, phoneCountry } from "../../../crm/phone-format.js";
import { recordView } from "../../../crm/record-view.js";
import type { Facts } from "../../../engine/conditions.js";
import { brokenRules, type CompiledRule, refsNeeded } from "../../../engine/rules.js";
import type { FormatAction } from "../../../store/data-quality-ports.js";
import type { FieldChange, StoredRecord, StoreTx } from "../../../store/ports.js";
import { subjectKeyOf } from "../../../store/review-queue-ports.js";
import type { CallContext } from "../../context.js";
import { invalid } from "../../errors.js";
import { enqueueReview } from "../../review-queue/enqueue.js";
import type { WriteDeps } from "./deps.js";
import type { CompiledQuality } from "./quality-cache.js";

/** One record a write wrote: its index among the write's items, and the record before (none on a create). */
export interface Written {
  index: number;
  record: StoredRecord;
  before: StoredRecord | undefined;
  changes: readonly FieldChange[];
}

interface FormatWarning {
  field: string;
  value: string;
  problem: string;
}

/** The data-quality side of one create or update call. */
export class WriteQuality {
  /** Per item: warn-format values kept as typed (put back after the field checks). */
  private readonly kept = new Map<number, Record<string, string>>();
  private readonly warnings = new Map<number, FormatWarning[]>();
  /** Per item: warn-format fields written with a value that normalised (their open items are fixed). */
  private readonly normalised = new Map<number, string[]>();

  private constructor(
    private readonly deps: WriteDeps,
    private readonly tx: StoreTx,
    private readonly ctx: CallContext,
    private readonly object: ObjectName,
    private readonly compiled: CompiledQuality | undefined,
    private readonly phones: readonly FieldDef[],
  ) {}

  static async load(
    deps: WriteDeps,
    tx: StoreTx,
    ctx: CallContext,
    object: ObjectName,
    fields: readonly FieldDef[],
  ): Promise<WriteQuality> {
    const compiled = await deps.quality.get(tx, ctx.workspaceId);
    return new WriteQuality(
      deps,
      tx,
      ctx,
      object,
      compiled,
      fields.filter((f) => f.type === "phone" && !f.managed),
    );
  }

  private formatOf(field: string): FormatAction {
    return this.compiled?.formats.get(`${this.object}.${field}`) ?? "fix";
  }

  /**
   * The inputs with their phone numbers in E.164 where a country had to be found; a value its
   * field's action refuses is a 422 on its path. `before` reads the record an update changes
   * (for its country and company), only when a number needs one.
   */
  async formatInputs(
    inputs: readonly unknown[],
    before: (index: number) => Promise<StoredRecord | undefined>,
    pathOf: (index: number) => IssuePath,
  ): Promise<unknown[]> {
    if (this.phones.length === 0) return [...inputs];
    const issues: Issue[] = [];
    const out: unknown[] = [];
    for (const [i, input] of inputs.entries()) {
      if (typeof input !== "object" || input === null || Array.isArray(input)) {
        out.push(input);
        continue;
      }
      let copy: Record<string, unknown> | undefined;
      let country: Promise<string | undefined> | undefined;
      for (const f of this.phones) {
        const value = (input as Record<string, unknown>)[f.name];
        if (typeof value !== "string") continue;
        const action = this.formatOf(f.name);
        // Typed with its country code: the field check normalises it (or refuses it) as it always did.
        if (action !== "warn" && hasCountryCode(value)) continue;
        if (action === "refuse") continue;
        country ??= this.countryOf(input as Record<string, unknown>, () => before(i));
        const result = normalisePhone(value, await country);
        copy ??= { ...(input as Record<string, unknown>) };
        if (result.ok) {
          copy[f.name] = result.e164;
          if (action === "warn") this.push(this.normalised, i, f.name);
        } else if (action === "warn") {
          delete copy[f.name];
          this.kept.set(i, { ...this.kept.get(i), [f.name]: value.trim() });
          this.push(this.warnings, i, { field: f.name, value: value.trim(), problem: result.problem });
        } else {
          issues.push({
            path: [...pathOf(i), f.name],
            code: "invalid_value",
            message: `${result.problem}; phone numbers are stored in E.164, e.g. +14155550123`,
            expected: "E.164 phone",
          });
        }
      }
      out.push(copy ?? input);
    }
    if (issues.length > 0) throw invalid(issues);
    return out;
  }

  /** The checked data of item `index` with its warn-format values as typed. */
  restore(index: number, data: Record<string, unknown>): Record<string, unknown> {
    const kept = this.kept.get(index);
    return kept ? Object.assign(data, kept) : data;
  }

  /**
   * The rules on what was written: refuses the whole write (422, every broken `refuse` rule with
   * its path) or queues and closes review items. Called before the transaction commits.
   */
  async afterWrite(written: readonly Written[], pathOf: (index: number) => IssuePath): Promise<void> {
    const rules = this.compiled?.rules.get(this.object) ?? [];
    if (rules.length === 0 && this.warnings.size === 0 && this.normalised.size === 0) return;
    const refs = rules.length > 0 ? await this.loadRefs(written, refsNeeded(rules)) : new Map<string, Record<string, unknown>>();
    const nowMs = this.deps.clock.now().getTime();
    const issues: Issue[] = [];
    const warned: Array<{ w: Written; rule: CompiledRule }> = [];
    const fixed: string[] = [];
    for (const w of written) {
      const facts = this.facts(w, refs, rules, nowMs);
      const broken = rules.length > 0 ? brokenRules(rules, facts) : [];
      for (const rule of broken) {
        if (rule.action === "refuse")
          issues.push({
            path: [...pathOf(w.index), rule.field],
            code: "rule",
            message: rule.message,
            rule: { id: rule.id, name: rule.name },
          });
        else warned.push({ w, rule });
      }
      if (w.before !== undefined)
        for (const rule of rules)
          if (rule.action === "warn" && !broken.includes(rule)) fixed.push(subjectKeyOf("rule", w.record.id, rule.id));
      for (const field of this.normalised.get(w.index) ?? []) fixed.push(subjectKeyOf("format", w.record.id, field));
    }
    if (issues.length > 0) {
      const names = [...new Set(issues.map((i) => `"${i.rule?.name}"`))].join(", ");
      throw invalid(issues, `refused by validation rule ${names}`);
    }
    const now = this.deps.clock.now().toISOString();
    if (fixed.length > 0)
      await this.tx.reviewQueue.closeReviewItemsByKey(this.ctx.workspaceId, fixed, { resolution: "fixed", by: this.by(), at: now });
    for (const { w, rule } of warned)
      await this.queue(
        w.record.id,
        "rule",
        rule.id,
        `${rule.kind === "gate" ? "Stage gate" : "Rule"} "${rule.name}": ${rule.message}`,
        {
          ruleId: rule.id,
          ruleName: rule.name,
          field: rule.field,
          message: rule.message,
        },
        now,
      );
    for (const w of written)
      for (const f of this.warnings.get(w.index) ?? [])
        await this.queue(w.record.id, "format", f.field, `${f.field}: ${f.problem} (stored as typed)`, { ...f }, now);
  }

  private facts(w: Written, refs: ReadonlyMap<string, Record<string, unknown>>, rules: readonly CompiledRule[], nowMs: number): Facts {
    const refFacts: Record<string, Record<string, unknown> | null> = {};
    for (const name of rules.length > 0 ? refsNeeded(rules) : []) {
      const id = w.record.data[name];
      refFacts[name] = typeof id === "string" ? (refs.get(id) ?? null) : null;
    }
    return {
      record: recordView(w.record),
      refs: refFacts,
      counts: {},
      changes: w.changes,
      nowMs,
      write: { isNew: w.before === undefined, previous: w.before?.data ?? {} },
    };
  }

  /** The records the rules read through reference fields, by id, as conditions see them. */
  private async loadRefs(written: readonly Written[], names: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const ids = new Set<string>();
    for (const w of written)
      for (const n of names) {
        const id = w.record.data[n];
        if (typeof id === "string") ids.add(id);
      }
    if (ids.size === 0) return new Map();
    const rows = await this.tx.records.getRecords(this.ctx.workspaceId, [...ids]);
    return new Map(rows.map((r) => [r.id, recordView(r)]));
  }

  /** The country a number typed without its code is read in: the record's own, else its company's. */
  private async countryOf(input: Record<string, unknown>, before: () => Promise<StoredRecord | undefined>): Promise<string | undefined> {
    const own = phoneCountry(input.country);
    if (own) return own;
    const needBefore = !Object.hasOwn(input, "country") || !Object.hasOwn(input, "company_id");
    const prior = needBefore ? await before() : undefined;
    if (!Object.hasOwn(input, "country")) {
      const kept = phoneCountry(prior?.data.country);
      if (kept) return kept;
    }
    const companyId = Object.hasOwn(input, "company_id") ? input.company_id : prior?.data.company_id;
    if (typeof companyId !== "string") return undefined;
    const company = await this.tx.records.getRecord(this.ctx.workspaceId, companyId);
    return company?.object === "company" ? phoneCountry(company.data.country) : undefined;
  }

  /** Through the one enqueue (app/review-queue): once while open, with its `record.review_queued` event. */
  private queue(recordId: string, kind: "rule" | "format", about: string, reason: string, detail: Record<string, unknown>, now: string) {
    return enqueueReview(this.tx, this.deps.ids, this.ctx, now, { kind, object: this.object, recordId, about, reason, detail });
  }

  private by(): string {
    return this.ctx.actor.kind === "system" ? "system" : `${this.ctx.actor.kind}:${this.ctx.actor.id}`;
  }

  private push<T>(map: Map<number, T[]>, index: number, value: T): void {
    const list = map.get(index);
    if (list) list.push(value);
    else map.set(index, [value]);
  }
}

/**
 * `POST /forms/{key}`: a person's submission becomes a lead or ticket and an external event,
 * like a hook delivery (intake.ts). What differs is the person in front of it: problems come
 * back per form field to be shown next to it, the entered values are kept, a filled honeypot
 * field is a bot (accepted silently, nothing written), and the nonce rendered into the page is
 * the delivery id, so a double click creates one record.
 */
import { randomBytes } from "node:crypto";
import { textToValue } from "../../crm/filter.js";
import type { Issue } from "../../crm/issues.js";
import { validateWrite } from "../../crm/validation.js";
import type { FormRow } from "../../store/inbound-ports.js";
import type { Store } from "../../store/ports.js";
import { AppError } from "../errors.js";
import type { Clock } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import type { DeliveryResult, Intake, Source } from "./intake.js";
import { RateLimitedError, type RateLimiter } from "./rate-limit.js";

/** Reserved input names: record field names never start with "_". */
export const NONCE_FIELD = "_nonce";
export const HONEYPOT_FIELD = "_website";
const NONCE = /^[A-Za-z0-9_-]{10,100}$/;

/**
 * 128 random bits: a nonce only deduplicates, but one that could be guessed would let someone
 * send first under another visitor's nonce and have that visitor's submission taken as a replay.
 */
function newNonce(): string {
  return randomBytes(16).toString("base64url");
}

export interface FormState {
  /** What the person typed, by form field name (re-rendered as entered). */
  values: Record<string, string>;
  /** Problems by form field name, shown next to the field. */
  errors: Record<string, string>;
  /** Problems not about a field on the form (e.g. a hidden default the admin got wrong). */
  general: string[];
  nonce: string;
}

export type SubmissionOutcome =
  | { kind: "accepted"; result: DeliveryResult }
  /** The honeypot was filled: answered like a success so the bot learns nothing, nothing written. */
  | { kind: "ignored" }
  | { kind: "invalid"; state: FormState };

export function formSource(form: FormRow): Source {
  return { kind: "form", workspaceId: form.workspaceId, id: form.id, key: form.key, object: form.object, matchOn: null };
}

export class FormSubmissions {
  constructor(
    private readonly store: Store,
    private readonly intake: Intake,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
  ) {}

  async form(key: string): Promise<FormRow> {
    const form = await this.store.forms.getFormByKey(key);
    if (!form) throw new AppError("not_found", `no form "${key}"`);
    return form;
  }

  /** A fresh page: empty values and a new nonce (the delivery id of its submission). */
  blank(): FormState {
    return { values: {}, errors: {}, general: [], nonce: newNonce() };
  }

  async submit(key: string, body: Record<string, string>, requestId: string | null): Promise<SubmissionOutcome> {
    const form = await this.form(key);
    const rate = this.limiter.take(`form:${form.id}`, form.ratePerMin, this.clock.now().getTime());
    if (!rate.ok) throw new RateLimitedError(`this form accepts ${form.ratePerMin} submissions per minute`, rate.retryAfterSeconds);
    if ((body[HONEYPOT_FIELD] ?? "").trim() !== "") return { kind: "ignored" };

    const rawNonce = body[NONCE_FIELD] ?? "";
    const state: FormState = { values: {}, errors: {}, general: [], nonce: NONCE.test(rawNonce) ? rawNonce : newNonce() };
    const all = await loadFields(this.store, form.workspaceId, form.object);
    const defs = new Map(all.map((f) => [f.name, f]));
    const fields: Record<string, unknown> = { ...form.hidden };
    for (const f of form.fields) {
      const text = (body[f.name] ?? "").trim();
      state.values[f.name] = text;
      const def = defs.get(f.name);
      if (f.type === "checkbox") {
        if (def) fields[f.name] = text !== "";
        continue;
      }
      if (text === "") {
        if (f.required) state.errors[f.name] = `Please fill in ${f.label}.`;
        continue;
      }
      if (f.type === "select" && f.options && !f.options.includes(text)) {
        state.errors[f.name] = `Choose one of the listed options for ${f.label}.`;
        continue;
      }
      // A field removed from the object since the form was saved is skipped, not written.
      if (def) fields[f.name] = textToValue(def, text);
    }
    // Every value's own check (type, format, range) now, so that all problems show at once;
    // the write below checks the whole record again.
    const checked = validateWrite(all, fields, "update");
    if (!checked.ok) this.explain(form, state, checked.issues);
    if (Object.keys(state.errors).length > 0 || state.general.length > 0) return { kind: "invalid", state };

    try {
      return { kind: "accepted", result: await this.intake.accept(formSource(form), state.nonce, fields, requestId) };
    } catch (error) {
      if (!(error instanceof AppError && error.kind === "validation")) throw error;
      this.explain(form, state, error.issues);
      return { kind: "invalid", state };
    }
  }

  /** Issues about a field on the form go next to it; others are the admin's to fix, said generally. */
  private explain(form: FormRow, state: FormState, issues: readonly Issue[]) {
    const onForm = new Map(form.fields.map((f) => [f.name, f]));
    for (const issue of issues) {
      const field = onForm.get(String(issue.path[0] ?? ""));
      if (field) state.errors[field.name] ??= `${field.label}: ${issue.message}.`;
      else state.general.push(`This form is misconfigured (${issue.path.join(".") || "record"}: ${issue.message}); please tell us.`);
    }
  }
}

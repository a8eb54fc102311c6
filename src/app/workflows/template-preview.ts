/**
 * The builder's live preview of a template: one template of a workflow step rendered against a
 * record the caller chose, exactly as the engine would render it in that place —
 *
 * - an internal action's template (a task's subject, a notification's message, a field value)
 *   through the engine's own `render` over the record's view, as the step does;
 * - an external action's template (an email's subject, text or html, a chat message, an HTTP
 *   path, header or body) through that action's payload builder from the action registry, over
 *   the outbox view the runtime would load (the record, its owner, its company), so that the
 *   email's HTML escaping, the subject's single line and chat's inert mentions are what is shown.
 *
 * The template is first checked as publish checks it (the same Checker: size, allowed tags and
 * filters, variables the place may read); a refused template is a 422 with publish's message.
 * The records are read through the RecordReader as the caller, so the preview shows nothing of
 * a record the caller could not open (another workspace's record is not found).
 */

import { ACTIONS } from "../../connectors/actions.js";
import type { OutboxView, PayloadBuilder } from "../../connectors/contract.js";
import { fieldsOf } from "../../crm/custom-fields.js";
import type { ObjectName } from "../../crm/fields.js";
import type { Issue } from "../../crm/issues.js";
import { assertNever } from "../../crm/never.js";
import { canOnRecords } from "../../crm/permissions.js";
import { recordView } from "../../crm/record-view.js";
import { Checker } from "../../engine/checker.js";
import type { ActionSpec } from "../../engine/definition.js";
import { externalRoots } from "../../engine/steps/action.js";
import { render } from "../../engine/steps/step.js";
import type { Store, StoredRecord } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import type { RecordReader } from "../records/record-reader.js";

/** The actions that hold templates, and the parts of each that are templates. */
export const TEMPLATE_PARTS = {
  update_fields: ["fields"],
  create_task: ["subject", "description"],
  create_record: ["fields"],
  add_activity: ["subject", "body"],
  notify: ["message"],
  add_to_review_queue: ["reason"],
  merge_records: ["record_id"],
  send_chat: ["text"],
  send_email: ["subject", "text", "html"],
  http_request: ["path", "headers", "body"],
} as const satisfies Partial<Record<ActionSpec["type"], readonly string[]>>;

export type TemplateAction = keyof typeof TEMPLATE_PARTS;
export const TEMPLATE_ACTIONS = Object.keys(TEMPLATE_PARTS) as TemplateAction[];

export interface PreviewRequest {
  object: ObjectName;
  recordId: string;
  template: string;
  /** The action the template belongs to (default notify: an internal action's template). */
  action?: TemplateAction | undefined;
  /** Which of the action's templates (default its first). */
  part?: string | undefined;
}

type ExternalTemplateAction = Extract<TemplateAction, keyof typeof ACTIONS>;
const isExternal = (a: TemplateAction): a is ExternalTemplateAction => Object.hasOwn(ACTIONS, a);

/** The recipient an email preview is addressed to: the builder only needs its subject or body. */
const PREVIEW_ADDRESS = "preview@handoff.invalid";

export class TemplatePreview {
  constructor(
    private readonly store: Store,
    private readonly records: RecordReader,
  ) {}

  async render(ctx: CallContext, req: PreviewRequest): Promise<string> {
    if (!canOnRecords(ctx.role, "read", req.object)) throw notFound(`${req.object} ${req.recordId}`);
    const action = req.action ?? "notify";
    const parts: readonly string[] = TEMPLATE_PARTS[action];
    const part = req.part ?? parts[0] ?? "";
    if (!parts.includes(part)) {
      throw invalid([{ path: ["part"], code: "not_in_options", message: `${action} has no template "${part}"`, expected: [...parts] }]);
    }
    // Authorise before anything else: the record must be one the caller may open.
    const { record } = await this.records.get(ctx, req.object, req.recordId);
    this.check(await this.fieldsOf(ctx), req.object, req.template, action);
    if (!isExternal(action)) {
      const facts = { record: recordView(record), refs: {}, counts: {}, nowMs: 0 };
      return String(render(req.template, facts));
    }
    const view = await this.outboxView(ctx, record);
    return renderExternal(action, part, req.template, view);
  }

  private async fieldsOf(ctx: CallContext) {
    const custom = await this.store.customFields.listCustomFields(ctx.workspaceId);
    return (o: ObjectName) => fieldsOf(o, custom);
  }

  /** Publish's checks of a template in this place; the first problem is the 422's message. */
  private check(fields: (o: ObjectName) => ReturnType<typeof fieldsOf>, object: ObjectName, template: string, action: TemplateAction) {
    const ck = new Checker(fields, object);
    ck.template(template, ["template"], isExternal(action) ? externalRoots(ck, object) : {});
    const issues: Issue[] = ck.issues;
    if (issues.length > 0) throw invalid(issues, issues[0]?.message ?? "the template is refused");
  }

  /** The records an external action renders over, read as the caller (the runtime reads them in the step). */
  private async outboxView(ctx: CallContext, record: StoredRecord): Promise<OutboxView> {
    const owner = await this.optional(ctx, "user", record.data.owner_id);
    const company = record.object === "company" ? record : await this.optional(ctx, "company", record.data.company_id);
    const recipient: StoredRecord = { ...record, id: "preview", object: "user", data: { email: PREVIEW_ADDRESS } };
    return { record, owner, company, recipient };
  }

  private async optional(ctx: CallContext, object: ObjectName, id: unknown): Promise<StoredRecord | null> {
    if (typeof id !== "string") return null;
    try {
      return (await this.records.get(ctx, object, id)).record;
    } catch (error) {
      if (error instanceof AppError && error.kind === "not_found") return null;
      throw error;
    }
  }
}

/** An external action holding only this template, built by its registry's builder; the rendered part read back. */
function renderExternal(action: ExternalTemplateAction, part: string, template: string, view: OutboxView): string {
  const build = (a: ActionSpec) => (ACTIONS[a.type as keyof typeof ACTIONS].build as PayloadBuilder)(a as never, view, "preview").payload;
  switch (action) {
    case "send_email": {
      const payload = build({
        type: "send_email",
        connector: "preview",
        to: { user_id: "preview" },
        subject: part === "subject" ? template : "-",
        ...(part === "html" ? { html: template } : { text: part === "text" ? template : "-" }),
        reply_to_owner: false,
      }) as { subject: string; text?: string; html?: string };
      return (part === "subject" ? payload.subject : part === "html" ? payload.html : payload.text) ?? "";
    }
    case "send_chat":
      return (build({ type: "send_chat", connector: "preview", text: template }) as { text: string }).text;
    case "http_request": {
      const payload = build({
        type: "http_request",
        connector: "preview",
        method: "POST",
        path: part === "path" ? template : "",
        ...(part === "headers" ? { headers: { "x-preview": template } } : {}),
        ...(part === "body" ? { body: template } : {}),
        only_if_empty: false,
      }) as { path: string; headers?: Record<string, string>; body?: string };
      return (part === "path" ? payload.path : part === "headers" ? payload.headers?.["x-preview"] : payload.body) ?? "";
    }
    default:
      return assertNever(action, "external action");
  }
}

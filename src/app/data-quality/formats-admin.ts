/**
 * Field formats as admins set them (docs/data-quality.md "Formats"): for each phone field of each
 * object (custom ones too), what happens to a value that does not normalise into E.164 —
 * `refuse`, `fix` (the default) or `warn`. Read by every signed-in role; set by admins, over the
 * version read (If-Match), audited. Setting a field back to its default deletes its row.
 */
import { z } from "zod";
import { type FieldDef, OBJECT_NAMES, type ObjectName } from "../../crm/fields.js";
import { zodIssues } from "../../engine/validate.js";
import { type FieldFormatRow, FORMAT_ACTIONS, type FormatAction } from "../../store/data-quality-ports.js";
import type { Store, StoreTx } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid } from "../errors.js";
import { checkIncomingJson } from "../incoming-json.js";
import type { Clock, IdGenerator } from "../ports.js";
import { loadFields } from "../records/schema-cache.js";
import { requireDataQualityAdmin } from "./rules-admin.js";

/** What a field does when no admin chose: normalise what can be, refuse what cannot. */
export const DEFAULT_FORMAT_ACTION: FormatAction = "fix";

export interface FieldFormatView {
  object: ObjectName;
  field: string;
  label: string;
  /** The value's format: only phone numbers (E.164) have one; emails are stored as typed. */
  format: "phone";
  on_invalid: FormatAction;
  /** False: the default applies (no admin chose). */
  configured: boolean;
  /** 0 while not configured. */
  version: number;
  updated_at: string | null;
  updated_by: string | null;
}

export const formatInputSchema = z.object({ on_invalid: z.enum(FORMAT_ACTIONS) }).strict();

export class FieldFormatAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Every phone field of every object, with its action (configured or the default). */
  async list(ctx: CallContext): Promise<FieldFormatView[]> {
    const rows = await this.store.dataQuality.listFieldFormats(ctx.workspaceId);
    const byKey = new Map(rows.map((r) => [`${r.object}.${r.field}`, r]));
    const out: FieldFormatView[] = [];
    for (const object of OBJECT_NAMES)
      for (const f of await this.phoneFields(ctx, object)) out.push(view(object, f, byKey.get(`${object}.${f.name}`)));
    return out;
  }

  async set(ctx: CallContext, object: string, field: string, input: unknown, expectedVersion?: number): Promise<FieldFormatView> {
    requireDataQualityAdmin(ctx);
    const f = await this.field(ctx, object, field);
    checkIncomingJson(input, []);
    const parsed = formatInputSchema.safeParse(input);
    if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
    const o = object as ObjectName;
    const current = (await this.store.dataQuality.listFieldFormats(ctx.workspaceId)).find((r) => r.object === o && r.field === field);
    const version = current?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== version)
      throw new AppError(
        "precondition_failed",
        `the format of ${object}.${field} is at version ${version}, not ${expectedVersion}; read it again and retry`,
      );
    const row: FieldFormatRow = {
      workspaceId: ctx.workspaceId,
      object: o,
      field,
      onInvalid: parsed.data.on_invalid,
      version: version + 1,
      updatedAt: this.clock.now().toISOString(),
      updatedBy: ctx.actor.id,
    };
    await this.store.transaction(async (tx) => {
      if ((await tx.dataQuality.saveFieldFormat(row)) === "stale")
        throw new AppError(
          "precondition_failed",
          `the format of ${object}.${field} was changed by someone else meanwhile; read it again and retry`,
        );
      await this.audit(tx, ctx, `${object}.${field}`, current ? "update" : "create", {
        on_invalid: row.onInvalid,
        from: current?.onInvalid ?? DEFAULT_FORMAT_ACTION,
        version: row.version,
      });
    });
    return view(o, f, row);
  }

  /** Back to the default (`fix`). */
  async reset(ctx: CallContext, object: string, field: string): Promise<FieldFormatView> {
    requireDataQualityAdmin(ctx);
    const f = await this.field(ctx, object, field);
    const o = object as ObjectName;
    await this.store.transaction(async (tx) => {
      if (await tx.dataQuality.deleteFieldFormat(ctx.workspaceId, o, field))
        await this.audit(tx, ctx, `${object}.${field}`, "delete", { on_invalid: DEFAULT_FORMAT_ACTION });
    });
    return view(o, f, undefined);
  }

  private async phoneFields(ctx: CallContext, object: ObjectName): Promise<FieldDef[]> {
    return (await loadFields(this.store, ctx.workspaceId, object)).filter((f) => f.type === "phone" && !f.managed);
  }

  /** The phone field named, or a 422 naming the path and the allowed values. */
  private async field(ctx: CallContext, object: string, field: string): Promise<FieldDef> {
    if (!(OBJECT_NAMES as readonly string[]).includes(object))
      throw invalid([{ path: ["object"], code: "not_in_options", message: `no object "${object}"`, expected: OBJECT_NAMES }]);
    const phones = await this.phoneFields(ctx, object as ObjectName);
    const f = phones.find((p) => p.name === field);
    if (!f)
      throw invalid([
        {
          path: ["field"],
          code: "not_in_options",
          message: `${object} has no phone field "${field}": formats apply to phone numbers (emails are stored as typed)`,
          expected: phones.map((p) => p.name),
        },
      ]);
    return f;
  }

  private async audit(
    tx: StoreTx,
    ctx: CallContext,
    entityId: string,
    action: "create" | "update" | "delete",
    summary: Record<string, unknown>,
  ) {
    await tx.configAudit.appendConfigAudit([
      {
        workspaceId: ctx.workspaceId,
        id: this.ids.next(),
        at: this.clock.now().toISOString(),
        actor: ctx.actor,
        requestId: ctx.requestId,
        entity: "field_format",
        entityId,
        action,
        summary,
      },
    ]);
  }
}

function view(object: ObjectName, f: FieldDef, row: FieldFormatRow | undefined): FieldFormatView {
  return {
    object,
    field: f.name,
    label: f.label,
    format: "phone",
    on_invalid: row?.onInvalid ?? DEFAULT_FORMAT_ACTION,
    configured: row !== undefined,
    version: row?.version ?? 0,
    updated_at: row?.updatedAt ?? null,
    updated_by: row?.updatedBy ?? null,
  };
}

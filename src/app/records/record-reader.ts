/** Reading records: one by id, lists with filters, sort, cursor pages and related records. */
import type { FieldDef, ObjectName } from "../../crm/fields.js";
import { type CheckedFilter, checkFilter, type FilterNode, filterableFields } from "../../crm/filter.js";
import { OBJECTS } from "../../crm/objects.js";
import type { AuditEntry, Store, StoredRecord } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid, notFound } from "../errors.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { loadFields } from "./schema-cache.js";

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

export interface ListRequest {
  filter?: FilterNode;
  /** `field` or `-field` (descending). Default `id` = creation order. */
  sort?: string;
  limit?: number;
  cursor?: string;
  /** Reference fields whose records to embed, e.g. ["company_id", "owner_id"]. */
  include?: readonly string[];
}

export interface RecordWithRelated {
  record: StoredRecord;
  related: Record<string, StoredRecord | null>;
}

export interface ListPage {
  items: RecordWithRelated[];
  nextCursor: string | null;
}

export class RecordReader {
  constructor(private readonly store: Store) {}

  fields(ctx: CallContext, object: ObjectName): Promise<FieldDef[]> {
    return loadFields(this.store, ctx.workspaceId, object);
  }

  async get(ctx: CallContext, object: ObjectName, id: string, include: readonly string[] = []): Promise<RecordWithRelated> {
    const record = await this.store.records.getRecord(ctx.workspaceId, id);
    if (!record || record.object !== object) throw notFound(`${object} ${id}`);
    const fields = include.length > 0 ? await this.fields(ctx, object) : [];
    const [withRelated] = await this.withRelated(ctx, [record], this.includeFields(fields, include));
    if (!withRelated) throw notFound(`${object} ${id}`);
    return withRelated;
  }

  async list(ctx: CallContext, object: ObjectName, req: ListRequest): Promise<ListPage> {
    const fields = await this.fields(ctx, object);
    const limit = req.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new AppError("bad_request", "invalid page size", [
        { path: ["limit"], code: "invalid_value", message: `limit must be an integer from 1 to ${MAX_PAGE}` },
      ]);
    }
    const sortText = req.sort ?? "id";
    const direction = sortText.startsWith("-") ? "desc" : "asc";
    const sortName = sortText.replace(/^-/, "");
    const sortable = filterableFields(fields).filter((f) => f.type !== "json");
    const sortField = sortable.find((f) => f.name === sortName);
    if (!sortField) {
      throw new AppError("bad_request", "unknown sort field", [
        { path: ["sort"], code: "unknown_field", message: `cannot sort by "${sortName}"`, expected: sortable.map((f) => f.name) },
      ]);
    }
    let filter: CheckedFilter | undefined;
    if (req.filter) {
      const checked = checkFilter(req.filter, fields);
      if (!checked.ok) throw invalid(checked.issues, "the filter is invalid");
      filter = checked.filter;
    }
    const includeFields = this.includeFields(fields, req.include ?? []);
    const after = req.cursor ? decodeCursor(req.cursor, sortText) : undefined;
    const rows = await this.store.records.queryRecords({
      workspaceId: ctx.workspaceId,
      object,
      ...(filter ? { filter } : {}),
      sort: { field: sortField, direction },
      ...(after ? { after: { value: after.value, id: after.id } } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last ? encodeCursor({ sort: sortText, id: last.id, value: sortValue(last, sortField) }) : null;
    return { items: await this.withRelated(ctx, page, includeFields), nextCursor };
  }

  async history(ctx: CallContext, object: ObjectName, id: string, limit = 100): Promise<AuditEntry[]> {
    const entries = await this.store.audit.readAudit(ctx.workspaceId, id, limit);
    if (entries.length === 0) {
      // Distinguish "no history" from "no such record" (or another workspace's).
      const record = await this.store.records.getRecord(ctx.workspaceId, id);
      if (!record || record.object !== object) throw notFound(`${object} ${id}`);
    } else if (entries[0]?.object !== object) {
      throw notFound(`${object} ${id}`);
    }
    return entries;
  }

  private includeFields(fields: readonly FieldDef[], names: readonly string[]): FieldDef[] {
    const refs = fields.filter((f) => f.type === "reference");
    return names.map((name, i) => {
      const f = refs.find((r) => r.name === name || r.name === `${name}_id`);
      if (!f) {
        throw new AppError("bad_request", "cannot include that", [
          { path: ["include", i], code: "unknown_field", message: `"${name}" is not a reference field`, expected: refs.map((r) => r.name) },
        ]);
      }
      return f;
    });
  }

  private async withRelated(
    ctx: CallContext,
    records: readonly StoredRecord[],
    include: readonly FieldDef[],
  ): Promise<RecordWithRelated[]> {
    if (include.length === 0) return records.map((record) => ({ record, related: {} }));
    const ids = records.flatMap((r) => include.map((f) => r.data[f.name]).filter((v): v is string => typeof v === "string"));
    const found = new Map((await this.store.records.getRecords(ctx.workspaceId, ids)).map((r) => [r.id, r]));
    return records.map((record) => {
      const related: Record<string, StoredRecord | null> = {};
      for (const f of include) {
        const key = f.name.replace(/_id$/, "");
        const target = found.get(record.data[f.name] as string);
        related[key] = target ?? null;
      }
      return { record, related };
    });
  }
}

function sortValue(record: StoredRecord, field: FieldDef): unknown {
  if (field.name === "id") return record.id;
  if (field.name === "created_at") return record.createdAt;
  if (field.name === "updated_at") return record.updatedAt;
  return record.data[field.name] ?? null;
}

export function objectTitle(record: StoredRecord): string {
  const def = OBJECTS[record.object];
  const title = record.data[def.titleField];
  return typeof title === "string" ? title : record.id;
}

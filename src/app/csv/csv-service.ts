/**
 * CSV import and export of any object, with the same fields, validation and permissions as
 * the JSON API. Imports are all-or-nothing: one bad row and nothing is written.
 */
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { type FieldDef, type ObjectName, SYSTEM_FIELDS } from "../../crm/fields.js";
import { type FilterNode, textToValue } from "../../crm/filter.js";
import type { Issue } from "../../crm/issues.js";
import { canAdmin } from "../../crm/permissions.js";
import { textIssue } from "../../crm/text.js";
import type { StoredRecord } from "../../store/ports.js";
import type { CallContext } from "../context.js";
import { AppError, invalid } from "../errors.js";
import type { RecordReader } from "../records/record-reader.js";
import type { RecordWriter } from "../records/record-writer.js";
import { neutraliseCell } from "./formula.js";

export const MAX_IMPORT_ROWS = 100_000;
const EXPORT_PAGE = 500;

function cellText(field: FieldDef, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (field.type === "json") return neutraliseCell(JSON.stringify(value));
  if (typeof value === "string") return neutraliseCell(value);
  return String(value);
}

export class CsvService {
  constructor(
    private readonly reader: RecordReader,
    private readonly writer: RecordWriter,
  ) {}

  /** The header row and then one CSV chunk per page, so large exports stream. */
  async *export(ctx: CallContext, object: ObjectName, filter?: FilterNode): AsyncGenerator<string> {
    if (!canAdmin(ctx.role, "export")) throw new AppError("not_found", `exports are not available to role ${ctx.role}`);
    const fields = await this.reader.fields(ctx, object);
    const columns = [...SYSTEM_FIELDS, ...fields];
    const page = (cursor?: string) =>
      this.reader.list(ctx, object, { ...(filter ? { filter } : {}), limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
    // Read the first page before the header: a bad filter must fail before anything is sent.
    let current = await page();
    yield stringify([columns.map((c) => c.name)]);
    for (;;) {
      const rows = current.items.map(({ record }) => columns.map((c) => cellText(c, cellValue(record, c.name))));
      if (rows.length > 0) yield stringify(rows);
      if (!current.nextCursor) break;
      current = await page(current.nextCursor);
    }
  }

  /** Creates one record per row; returns how many. Headers must be field names. */
  async import(
    ctx: CallContext,
    object: ObjectName,
    csv: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<StoredRecord[]> {
    if (!canAdmin(ctx.role, "import")) throw new AppError("not_found", `imports are not available to role ${ctx.role}`);
    let rows: string[][];
    try {
      rows = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: false });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError("bad_request", "the CSV could not be parsed", [{ path: ["csv"], code: "invalid_value", message }]);
    }
    const textIssues = rows.flatMap((cells, r) => cells.flatMap((cell, col) => textIssue(cell, ["row", r + 1, col + 1]) ?? []));
    if (textIssues.length > 0) throw new AppError("bad_request", "the CSV holds text Handoff cannot accept", textIssues.slice(0, 20));
    const [header, ...body] = rows;
    if (!header)
      throw new AppError("bad_request", "the CSV is empty", [
        { path: ["csv"], code: "required", message: "expected a header row of field names" },
      ]);
    if (body.length > MAX_IMPORT_ROWS)
      throw invalid([{ path: ["csv"], code: "too_big", message: `at most ${MAX_IMPORT_ROWS} rows per import` }]);
    const fields = await this.reader.fields(ctx, object);
    const byName = new Map(fields.map((f) => [f.name, f]));
    const issues: Issue[] = [];
    header.forEach((name, col) => {
      if (!byName.has(name)) {
        issues.push({
          path: ["header", col],
          code: "unknown_field",
          message: `unknown column "${name}"`,
          expected: fields.filter((f) => !f.managed).map((f) => f.name),
        });
      }
    });
    if (issues.length > 0) throw invalid(issues, "the CSV header names unknown fields");
    const inputs = body.map((cells) => {
      const input: Record<string, unknown> = {};
      header.forEach((name, col) => {
        const text = cells[col] ?? "";
        const field = byName.get(name);
        if (text !== "" && field) input[name] = textToValue(field, text);
      });
      return input;
    });
    // Row numbers as a spreadsheet shows them: the header is row 1.
    return this.writer.createMany(ctx, object, inputs, {
      pathOf: (i) => ["row", i + 2],
      max: MAX_IMPORT_ROWS,
      ...(onProgress ? { onProgress } : {}),
    });
  }
}

function cellValue(record: StoredRecord, name: string): unknown {
  if (name === "id") return record.id;
  if (name === "created_at") return record.createdAt;
  if (name === "updated_at") return record.updatedAt;
  return record.data[name];
}

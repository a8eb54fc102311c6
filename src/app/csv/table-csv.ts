/**
 * A small table as CSV (a chart's data, issue 22): a header row and rows of plain values, text
 * cells neutralised against spreadsheet formulas (workflow names are people's text).
 */
import { stringify } from "csv-stringify/sync";
import { neutraliseCell } from "./formula.js";

export type CsvCell = string | number | boolean | null | undefined;

export function tableCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const cell = (v: CsvCell) => (typeof v === "string" ? neutraliseCell(v) : v === null || v === undefined ? "" : String(v));
  return stringify([header.map(cell), ...rows.map((r) => r.map(cell))]);
}

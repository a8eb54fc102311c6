/**
 * Aligned columns for the commands whose output a person reads rather than a script cuts
 * (`routing … simulate`, reasons, distribution): padded to the widest cell, two spaces apart.
 * Scripts take `--json` instead.
 */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, indent = "  "): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** "34 %" of a total; "-" of nothing. */
export const share = (n: number, total: number): string => (total === 0 ? "-" : `${Math.round((n / total) * 100)} %`);

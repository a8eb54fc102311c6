/**
 * CSV injection: a spreadsheet treats a cell starting with = + - @ (or a tab / CR) as a formula.
 * Such text cells are prefixed with a single quote so they open as text (OWASP's advice).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

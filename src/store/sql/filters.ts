/** Compiles a checked filter tree into a parameterised SQL condition. */
import { type RawBuilder, sql } from "kysely";
import type { CheckedCondition, CheckedFilter } from "../../crm/filter.js";
import { comparableValue } from "../../crm/values.js";
import type { SqlDialect } from "./dialect.js";

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function condition(d: SqlDialect, c: CheckedCondition): RawBuilder<boolean> {
  // Emails are stored as typed and compared without their case (crm/values.ts foldEmail).
  const fold = c.field.type === "email";
  const raw = d.fieldExpr(c.field);
  const expr = fold ? d.lowerAscii(raw) : raw;
  const p = (v: unknown) => d.param(c.field, comparableValue(c.field, v));
  const list = () => sql.join((c.value as unknown[]).map(p));
  switch (c.op) {
    case "eq":
      return sql<boolean>`${expr} = ${p(c.value)}`;
    // "not equal" keeps records where the field is empty: a person asking for
    // "status is not closed" expects the ones without a status too.
    case "neq":
      return sql<boolean>`(${expr} is null or ${expr} <> ${p(c.value)})`;
    case "in":
      return sql<boolean>`${expr} in (${list()})`;
    case "nin":
      return sql<boolean>`(${expr} is null or ${expr} not in (${list()}))`;
    case "gt":
      return sql<boolean>`${expr} > ${p(c.value)}`;
    case "gte":
      return sql<boolean>`${expr} >= ${p(c.value)}`;
    case "lt":
      return sql<boolean>`${expr} < ${p(c.value)}`;
    case "lte":
      return sql<boolean>`${expr} <= ${p(c.value)}`;
    case "between": {
      const [low, high] = c.value as [unknown, unknown];
      return sql<boolean>`${expr} between ${p(low)} and ${p(high)}`;
    }
    case "contains":
      return d.likeInsensitive(expr, `%${escapeLike(String(c.value))}%`);
    case "starts_with":
      return d.likeInsensitive(expr, `${escapeLike(String(c.value))}%`);
    case "is_set":
      return sql<boolean>`${expr} is not null`;
    case "is_not_set":
      return sql<boolean>`${expr} is null`;
  }
}

export function compileFilter(d: SqlDialect, f: CheckedFilter): RawBuilder<boolean> {
  if ("and" in f) {
    if (f.and.length === 0) return sql<boolean>`1 = 1`;
    return sql<boolean>`(${sql.join(
      f.and.map((x) => compileFilter(d, x)),
      sql` and `,
    )})`;
  }
  if ("or" in f) {
    if (f.or.length === 0) return sql<boolean>`1 = 0`;
    return sql<boolean>`(${sql.join(
      f.or.map((x) => compileFilter(d, x)),
      sql` or `,
    )})`;
  }
  return condition(d, f);
}

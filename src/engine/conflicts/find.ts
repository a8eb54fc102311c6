/**
 * Conflicts between workflows, found at publish (issue 19, item 4; docs/testing-workflows.md
 * "Conflicts"). Pure: definitions in, warnings out.
 *
 * - A **write conflict**: two workflows of one object write the same field with values that can
 *   differ, on ways whose conditions (trigger filter, enrollment conditions, branch and switch
 *   choices) can hold together (`satisfiable.ts`). Two additions to a score agree; two equal
 *   constants agree; anything worked out at run time may differ.
 * - A **trigger cycle**: A writes a field whose change can trigger B (the trigger watches it,
 *   accepts the value written, and B's enrollment can hold with it) and so on back to A. A
 *   workflow triggers itself only with `allow_self_trigger` (otherwise the runtime stops it).
 */
import type { ObjectName } from "../../crm/fields.js";
import type { Condition, TriggerSpec, WorkflowDefinition } from "../definition.js";
import { type WrittenValue, writtenInWords } from "../steps/writes.js";
import { TRIGGERS } from "../triggers/index.js";
import { sameJson } from "../triggers/kind.js";
import { enrollment, type PlacedWrite, placedWrites } from "./paths.js";
import { satisfiable } from "./satisfiable.js";

export type ConflictKind = "write_conflict" | "trigger_cycle";

export interface ConflictWarning {
  /** Stable while the workflows, fields and values it names stay the same: what an acknowledgement names. */
  id: string;
  kind: ConflictKind;
  object: ObjectName;
  /** The workflows it names; for a cycle in its order (the last one triggers the first). */
  workflows: Array<{ key: string; name: string }>;
  fields: string[];
  /** Who writes what: for a write conflict each workflow's writes of the field, for a cycle each hop. */
  writes: Array<{ workflow: string; field: string; step: string; value: string }>;
  message: string;
}

/** Cycles reported at most: a dense graph has more than anyone reads. */
const MAX_CYCLES = 50;
const ANY = "*";

/**
 * The conflicts among these definitions (the live ones and the one about to be published); with
 * `focus`, only those that involve the workflow with that key.
 */
export function findConflicts(definitions: readonly WorkflowDefinition[], focus?: string): ConflictWarning[] {
  const ws = definitions.map((def) => ({ def, writes: placedWrites(def), enroll: enrollment(def) }));
  return [...writeConflicts(ws, focus), ...triggerCycles(ws, focus)];
}

interface Analysed {
  def: WorkflowDefinition;
  writes: PlacedWrite[];
  enroll: Condition[];
}

const named = (def: WorkflowDefinition) => ({ key: def.key, name: def.name });
const quoted = (def: WorkflowDefinition) => `"${def.name}" (${def.key})`;

/** Whether two writes of one field can leave different values. */
function canDiffer(a: WrittenValue, b: WrittenValue): boolean {
  if (a.kind === "constant" && b.kind === "constant") return !sameJson(a.value, b.value);
  if (a.kind === "delta" && b.kind === "delta") return false;
  if (a.kind === "computed" && b.kind === "computed") return a.what !== b.what;
  return true;
}

function bothCanHold(a: Analysed, wa: PlacedWrite, b: Analysed, wb: PlacedWrite): boolean {
  return wa.ways.some((x) => wb.ways.some((y) => satisfiable(...a.enroll, ...x, ...b.enroll, ...y)));
}

function writeConflicts(ws: readonly Analysed[], focus: string | undefined): ConflictWarning[] {
  const out: ConflictWarning[] = [];
  for (const [i, a] of ws.entries()) {
    for (const b of ws.slice(i + 1)) {
      if (a.def.object !== b.def.object || a.def.key === b.def.key) continue;
      if (focus !== undefined && a.def.key !== focus && b.def.key !== focus) continue;
      const [first, second] = focus === b.def.key ? [b, a] : [a, b];
      const fields = new Set(first.writes.map((w) => w.field).filter((f) => second.writes.some((w) => w.field === f)));
      for (const field of fields) {
        const pairs = first.writes
          .filter((x) => x.field === field)
          .flatMap((x) => second.writes.filter((y) => y.field === field).map((y) => [x, y] as const))
          .filter(([x, y]) => canDiffer(x.value, y.value) && bothCanHold(first, x, second, y));
        if (pairs.length === 0) continue;
        out.push(writeWarning(first.def, second.def, field, pairs));
      }
    }
  }
  return out;
}

function writeWarning(
  a: WorkflowDefinition,
  b: WorkflowDefinition,
  field: string,
  pairs: ReadonlyArray<readonly [PlacedWrite, PlacedWrite]>,
): ConflictWarning {
  const seen = new Set<string>();
  const writes: ConflictWarning["writes"] = [];
  for (const [def, w] of pairs.flatMap(([x, y]) => [[a, x] as const, [b, y] as const])) {
    const entry = { workflow: def.key, field, step: w.step, value: writtenInWords(w.value) };
    const k = JSON.stringify(entry);
    if (!seen.has(k)) writes.push(entry);
    seen.add(k);
  }
  const valuesOf = (def: WorkflowDefinition) => [...new Set(writes.filter((w) => w.workflow === def.key).map((w) => w.value))].join(" or ");
  const message =
    `${quoted(a)} sets ${field} to ${valuesOf(a)} and ${quoted(b)} sets it to ${valuesOf(b)} on the same ${a.object} ` +
    "under conditions that can both hold: whichever runs last wins.";
  return {
    id: warningId(["write_conflict", a.object, [a.key, b.key].sort(), field, writes.map((w) => `${w.workflow}:${w.value}`).sort()]),
    kind: "write_conflict",
    object: a.object,
    workflows: [named(a), named(b)],
    fields: [field],
    writes,
    message,
  };
}

/** The fields whose change may start this trigger: ANY for every field, none for triggers no write starts. */
function watched(t: TriggerSpec): readonly string[] {
  // The entry under t.type is the one for t; TypeScript does not correlate a key with its value.
  const kind = TRIGGERS[t.type] as unknown as (typeof TRIGGERS)["record_updated"];
  const spec = t as unknown as Extract<TriggerSpec, { type: "record_updated" }>;
  if (kind.lookup?.events.includes("record.updated")) return kind.watchedFields?.(spec) ?? [ANY];
  // A write to the date a time trigger counts from moves its instant: it may fire again.
  const time = kind.time as { kind: string; field?: (t: unknown) => string } | undefined;
  return time?.kind === "record" && time.field ? [time.field(t)] : [];
}

/** Whether a write can start the trigger: a field_changed `to` another value, a score moved the wrong way, do not. */
function accepts(t: TriggerSpec, v: WrittenValue): boolean {
  if (t.type === "field_changed" && t.to !== undefined && v.kind === "constant") return sameJson(v.value, t.to);
  if (t.type === "score_threshold") {
    const up = t.direction === "up";
    if (v.kind === "constant" && typeof v.value === "number") return up ? v.value >= t.threshold : v.value < t.threshold;
    if (v.kind === "delta") return up ? v.by > 0 : v.by < 0;
  }
  return true;
}

/** The fields by which A's writes can start B, with the writes. */
function edge(a: Analysed, b: Analysed): PlacedWrite[] {
  if (a.def.object !== b.def.object) return [];
  if (a.def.key === b.def.key && !a.def.allow_self_trigger) return [];
  const fields = watched(b.def.trigger);
  if (fields.length === 0) return [];
  return a.writes.filter((w) => {
    if (!fields.includes(ANY) && !fields.includes(w.field)) return false;
    if (!accepts(b.def.trigger, w.value)) return false;
    const written: Condition[] = w.value.kind === "constant" ? [{ field: w.field, op: "eq", value: w.value.value }] : [];
    return w.ways.some((way) => satisfiable(...a.enroll, ...way)) && satisfiable(...b.enroll, ...written);
  });
}

function triggerCycles(ws: readonly Analysed[], focus: string | undefined): ConflictWarning[] {
  const edges = ws.map((a) => ws.map((b) => edge(a, b)));
  const cycles: number[][] = [];
  // Each elementary cycle once: found from its lowest node, through higher nodes only.
  for (let s = 0; s < ws.length && cycles.length < MAX_CYCLES; s++) {
    const walk = (node: number, path: number[]) => {
      for (let next = s; next < ws.length && cycles.length < MAX_CYCLES; next++) {
        if ((edges[node]?.[next] ?? []).length === 0) continue;
        if (next === s) cycles.push(path);
        else if (!path.includes(next)) walk(next, [...path, next]);
      }
    };
    walk(s, [s]);
  }
  const out: ConflictWarning[] = [];
  for (const cycle of cycles) {
    const at = focus === undefined ? 0 : cycle.findIndex((n) => ws[n]?.def.key === focus);
    if (at < 0) continue;
    const order = [...cycle.slice(at), ...cycle.slice(0, at)];
    out.push(
      cycleWarning(
        order.map((n, i) => ({
          from: ws[n] as Analysed,
          to: ws[order[(i + 1) % order.length] as number] as Analysed,
          writes: edges[n]?.[order[(i + 1) % order.length] as number] ?? [],
        })),
      ),
    );
  }
  return out;
}

function cycleWarning(hops: ReadonlyArray<{ from: Analysed; to: Analysed; writes: PlacedWrite[] }>): ConflictWarning {
  const first = hops[0]?.from.def as WorkflowDefinition;
  const writes = hops.flatMap((h) => {
    const seen = new Set<string>();
    return h.writes.flatMap((w) => {
      const entry = { workflow: h.from.def.key, field: w.field, step: w.step, value: writtenInWords(w.value) };
      const k = `${w.field}\u0000${entry.value}`;
      if (seen.has(k)) return [];
      seen.add(k);
      return [entry];
    });
  });
  const fieldsOf = (h: (typeof hops)[number]) => [...new Set(h.writes.map((w) => w.field))].join(", ");
  const said = hops.map((h) => `${quoted(h.from.def)} writes ${fieldsOf(h)}, which can trigger ${quoted(h.to.def)}`).join("; ");
  const chain = [...hops.map((h) => `"${h.from.def.name}"`), `"${first.name}"`].join(" → ");
  return {
    id: warningId(["trigger_cycle", first.object, canonical(hops.map((h) => `${h.from.def.key}:${fieldsOf(h)}`))]),
    kind: "trigger_cycle",
    object: first.object,
    workflows: hops.map((h) => named(h.from.def)),
    fields: [...new Set(hops.flatMap((h) => h.writes.map((w) => w.field)))],
    writes,
    message: `${said}: a cycle ${chain}. The loop cap stops it at its depth; each turn writes again.`,
  };
}

/** A cycle's hops rotated to start at the least: one id whichever workflow it is told from. */
function canonical(hops: string[]): string[] {
  const least = hops.reduce((m, h, i) => ((hops[m] as string) <= h ? m : i), 0);
  return [...hops.slice(least), ...hops.slice(0, least)];
}

/** A short, stable id of what a warning says (FNV-1a over its JSON). */
function warningId(parts: unknown[]): string {
  const text = JSON.stringify(parts);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${parts[0] === "trigger_cycle" ? "cycle" : "write"}-${h.toString(16).padStart(8, "0")}`;
}

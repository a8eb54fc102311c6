/**
 * `handoff sla policies …`: SLA policies (docs/sla.md) — list, show, create and update from a
 * JSON file, enable, disable, delete — a thin edge over SlaPolicyAdmin, acting as the
 * workspace's system administrator, with the same checks and problems (by path) as
 * /api/v1/sla/policies. `handoff sla clocks` lists the open clocks (at risk with `--status
 * warning`, in breach with `--status breached`) and `handoff sla clock RECORD_ID` shows a
 * record's clocks with their history, over SlaClockReader as /api/v1/sla/clocks and
 * /api/v1/{objects}/{id}/sla. Reads print for a person; `--json` prints what the API would answer.
 */
import { type CallContext, systemContext } from "../../app/context.js";
import { notFound } from "../../app/errors.js";
import type { SlaAtRiskItem, SlaClockWithHistory } from "../../app/sla/sla-clocks.js";
import { durationWords } from "../../app/sla/sla-plan.js";
import type { SlaPolicyView } from "../../app/sla/sla-views.js";
import type { Services } from "../../composition/root.js";
import { calendarWords } from "../../engine/calendars.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { configFrom, withServices } from "./open.js";

const options = {
  ...commonOptions,
  file: { type: "string" },
  json: { type: "boolean", default: false },
  status: { type: "string" },
  policy: { type: "string" },
  team: { type: "string" },
  limit: { type: "string" },
} as const;
type Values = ReturnType<typeof parse<typeof options>>["values"];

interface Command {
  args: readonly string[];
  flags: ReadonlyArray<"file" | "json">;
  /** Read before the store is opened: a typo in a file name should not migrate a database. */
  prepare?: (v: Values, name: string) => unknown;
  run: (s: Services, ctx: CallContext, args: string[], v: Values, input: unknown) => Promise<void>;
}

const label = (name: string, value: string) => `${name.padEnd(12)}${value}`;
const compact = (value: unknown) => JSON.stringify(value);

function targetWords(p: SlaPolicyView): string {
  const by = p.targets_by
    ? `; by ${p.targets_by.field}: ${Object.entries(p.targets_by.values)
        .map(([v, d]) => `${v} ${durationWords(d)}`)
        .join(", ")}`
    : "";
  return `${durationWords(p.target)} of business time${by}`;
}

/** `Ticket first response	ticket	enabled	4 h of business time; by priority: P1 1 h	2 open clock(s)` */
export function policyLine(p: SlaPolicyView): string {
  return `${p.name}\t${p.object}\t${p.enabled ? "enabled" : "disabled"}\t${targetWords(p)}\t${p.open_clocks} open clock(s)`;
}

export function policyLines(p: SlaPolicyView): string[] {
  const w = p.warning;
  return [
    label("policy", `${p.name} (id ${p.id}, version ${p.version}, updated ${p.updated_at})`),
    ...(p.description ? [label("about", p.description)] : []),
    label("object", `${p.object}, ${p.enabled ? "enabled" : "disabled"}`),
    label("applies", p.applies_when ? compact(p.applies_when) : "to every record"),
    label("starts", compact(p.starts)),
    label("stops", compact(p.stops)),
    label("target", targetWords(p)),
    label("calendar", calendarWords(p.calendar)),
    label("pauses", p.pause_when ? `while ${compact(p.pause_when)}` : "never"),
    label(
      "warning",
      w ? ("fraction" in w ? `at ${w.fraction * 100}% of the target` : `${durationWords(w.before)} before the target`) : "none",
    ),
    label(
      "escalations",
      p.escalations.length > 0
        ? p.escalations.map((e, i) => `level ${i + 2} ${durationWords(e.after)} after the breach`).join("; ")
        : "none",
    ),
    label("clocks", `${p.open_clocks} open`),
  ];
}

function file(v: Values, name: string): Promise<unknown> {
  if (!v.file) throw new UsageError(`${name} needs --file FILE (JSON)`);
  return readJsonFile(v.file);
}

const print = (p: SlaPolicyView, v: Values) => console.log(v.json ? JSON.stringify(p, null, 2) : policyLines(p).join("\n"));

const switchTo =
  (enabled: boolean): Command["run"] =>
  async (s, ctx, [name]) => {
    const p = await s.slaPolicies.setEnabled(ctx, name as string, enabled);
    console.log(`${enabled ? "enabled" : "disabled"} SLA policy ${p.name} (version ${p.version})`);
  };

const policies: Record<string, Command> = {
  list: {
    args: [],
    flags: ["json"],
    run: async (s, ctx, _, v) => {
      const all = await s.slaPolicies.list(ctx);
      if (v.json) console.log(JSON.stringify({ data: all }, null, 2));
      else for (const p of all) console.log(policyLine(p));
    },
  },
  show: {
    args: ["NAME"],
    flags: ["json"],
    run: async (s, ctx, [name], v) => print(await s.slaPolicies.get(ctx, name as string), v),
  },
  create: {
    args: [],
    flags: ["file"],
    prepare: file,
    run: async (s, ctx, _, __, input) => {
      const p = await s.slaPolicies.create(ctx, input);
      console.log(`created SLA policy ${p.name} on ${p.object} (${targetWords(p)})`);
    },
  },
  update: {
    args: ["NAME"],
    flags: ["file"],
    prepare: file,
    run: async (s, ctx, [name], __, input) => {
      const p = await s.slaPolicies.update(ctx, name as string, input);
      console.log(`updated SLA policy ${p.name} to version ${p.version}; clocks already started keep their version`);
    },
  },
  enable: { args: ["NAME"], flags: [], run: switchTo(true) },
  disable: { args: ["NAME"], flags: [], run: switchTo(false) },
  delete: {
    args: ["NAME"],
    flags: [],
    run: async (s, ctx, [name]) => {
      await s.slaPolicies.delete(ctx, name as string);
      console.log(`deleted SLA policy ${name}`);
    },
  },
};

/** Business time in words: "3 h 15 min", "-30 min", "0 min". */
export function msWords(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return sign + ([h ? `${h} h` : "", m || !h ? `${m} min` : ""].filter(Boolean).join(" ") || "0 min");
}

const when = (c: { due_at: string | null; phase: string }) =>
  c.due_at ? `due ${c.due_at}` : c.phase === "paused" ? "paused" : "no due instant";

/** `Printer on fire	ticket 01J…	First response	breached	no due instant	left -30 min	Ada	EMEA` */
export function clockLine(c: SlaAtRiskItem): string {
  return [
    c.record.title ?? c.record.id,
    `${c.record.object} ${c.record.id}`,
    c.policy.name,
    c.status,
    when(c),
    `left ${msWords(c.left_ms)}`,
    c.owner?.name ?? "unowned",
    c.team?.name ?? "no team",
  ].join("\t");
}

export function clockLines(c: SlaClockWithHistory): string[] {
  const next = c.next_milestone;
  return [
    label("clock", `${c.policy.name} (id ${c.id}, policy version ${c.policy_version})`),
    label("status", `${c.status}${c.phase === "stopped" ? `, stopped ${c.stopped_at}` : ""}`),
    label("target", `${msWords(c.target_ms)} of business time; consumed ${msWords(c.consumed_ms)}, left ${msWords(c.left_ms)}`),
    label("due", c.due_at ?? (c.phase === "paused" ? "paused" : "—")),
    label("next", next ? `${next.key} at ${next.due_at}` : "none"),
    label("calendar", `${c.calendar.name ?? "24×7"} (${c.calendar.time_zone})`),
    ...c.history.map((h) => label(`  ${h.seq}`, `${h.at}  ${h.kind}${Object.keys(h.detail).length > 0 ? `  ${compact(h.detail)}` : ""}`)),
  ];
}

async function clocksCommand(positionals: string[], values: Values) {
  const [group, ...args] = positionals;
  if (group === "clocks" && args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
  if (group === "clock" && args.length !== 1)
    throw new UsageError(args.length === 0 ? "sla clock needs RECORD_ID" : `unexpected argument "${args[1]}"`);
  if (values.file !== undefined) throw new UsageError(`--file does not go with sla ${group}`);
  if (group === "clock" && (values.status ?? values.policy ?? values.team ?? values.limit) !== undefined)
    throw new UsageError("sla clock takes RECORD_ID and --json only");
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    if (group === "clocks") {
      const page = await s.slaClocks.list(ctx, { status: values.status, policy: values.policy, team: values.team, limit });
      if (values.json) console.log(JSON.stringify(page, null, 2));
      else {
        for (const c of page.data) console.log(clockLine(c));
        if (page.next_cursor) console.log(`… more: --limit ${(limit ?? 50) * 2} or the API's cursor ${page.next_cursor}`);
      }
      return;
    }
    const id = args[0] as string;
    const record = await s.store.records.getRecord(workspace.id, id);
    if (!record) throw notFound(`record ${id}`);
    const clocks = await s.slaClocks.ofRecord(ctx, record.object, id);
    if (values.json) console.log(JSON.stringify({ data: clocks }, null, 2));
    else if (clocks.length === 0) console.log(`no SLA clock on ${record.object} ${id}`);
    else console.log(clocks.map((c) => clockLines(c).join("\n")).join("\n\n"));
  });
}

export async function slaCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const [group, action, ...args] = positionals;
  if (group === "clocks" || group === "clock") return clocksCommand(positionals, values);
  if ((values.status ?? values.policy ?? values.team ?? values.limit) !== undefined)
    throw new UsageError("--status, --policy, --team and --limit go with sla clocks");
  if (group !== "policies")
    throw new UsageError(group === undefined ? "sla takes policies, clocks or clock" : `unknown sla command "${group}"`);
  const name = `sla policies ${action ?? "list"}`;
  const command = policies[action ?? "list"];
  if (!command) throw new UsageError(`unknown sla command "${positionals.slice(0, 2).join(" ")}"`);
  if (args.length < command.args.length) throw new UsageError(`${name} needs ${command.args.slice(args.length).join(" ")}`);
  if (args.length > command.args.length) throw new UsageError(`unexpected argument "${args[command.args.length]}"`);
  if (values.file !== undefined && !command.flags.includes("file")) throw new UsageError(`--file does not go with ${name}`);
  if (values.json && !command.flags.includes("json")) throw new UsageError(`--json does not go with ${name}`);
  const input = await command.prepare?.(values, name);
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    await command.run(s, systemContext(workspace.id), args, values, input);
  });
}

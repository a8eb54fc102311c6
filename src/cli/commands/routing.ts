/**
 * `handoff routing …`: queues, assignment rule sets (and their simulation), a record's
 * assignment reasons, the distribution per member and people's availability — thin edges over
 * the routing services (docs/routing.md), acting as the workspace's system administrator, with
 * the same checks and problems (by path) as /api/v1/routing. Reads print for a person; `--json`
 * prints what the API would answer instead.
 */
import { type CallContext, systemContext } from "../../app/context.js";
import type { Services } from "../../composition/root.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { configFrom, withServices } from "./open.js";
import * as print from "./routing-print.js";

const options = {
  ...commonOptions,
  file: { type: "string" },
  json: { type: "boolean", default: false },
  last: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  record: { type: "string" },
  limit: { type: "string" },
  days: { type: "string" },
  available: { type: "string" },
  "time-zone": { type: "string" },
  pto: { type: "string", multiple: true },
  "working-hours": { type: "string" },
} as const;
type Flag = Exclude<keyof typeof options, keyof typeof commonOptions>;
type Values = ReturnType<typeof parse<typeof options>>["values"];

/**
 * What one command does: its arguments, the flags it takes, what it reads and checks of them
 * before the store is opened (a typo in a file name or a flag should not migrate a database),
 * and the work.
 */
interface Command {
  args: readonly string[];
  flags: readonly Flag[];
  prepare?: (v: Values, name: string) => unknown;
  run: (s: Services, ctx: CallContext, args: string[], v: Values, input: unknown) => Promise<unknown>;
}

/** Prints the lines, or the answer as JSON with --json. */
const show =
  <T>(lines: (x: T) => string[]) =>
  (x: T, v: Values) => {
    console.log(v.json ? JSON.stringify(x, null, 2) : lines(x).join("\n"));
  };
const showList =
  <T>(line: (x: T) => string) =>
  (xs: T[], v: Values) => {
    if (v.json) console.log(JSON.stringify({ data: xs }, null, 2));
    else for (const x of xs) console.log(line(x));
  };

function file(v: Values, name: string): Promise<unknown> {
  if (!v.file) throw new UsageError(`${name} needs --file FILE (JSON)`);
  return readJsonFile(v.file);
}

/** A whole number within bounds, or a usage error naming the flag. */
function whole(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

const queues: Record<string, Command> = {
  list: {
    args: [],
    flags: ["json"],
    run: async (s, ctx, _, v) => showList(print.queueLine)(await s.routing.queues.list(ctx), v),
  },
  show: {
    args: ["NAME"],
    flags: ["json"],
    run: async (s, ctx, [name], v) => show(print.queueLines)(await s.routing.queues.get(ctx, name as string), v),
  },
  holds: {
    args: ["NAME"],
    flags: ["json"],
    run: async (s, ctx, [name], v) => showList(print.heldLine)(await s.routing.queues.holds(ctx, name as string), v),
  },
  create: {
    args: [],
    flags: ["file"],
    prepare: file,
    run: async (s, ctx, _, __, input) => {
      const q = await s.routing.queues.create(ctx, input);
      console.log(`created queue ${q.name} (${q.strategy}, ${q.members.length} member(s))`);
    },
  },
  update: {
    args: ["NAME"],
    flags: ["file"],
    prepare: file,
    run: async (s, ctx, [name], __, input) => {
      const q = await s.routing.queues.update(ctx, name as string, input);
      console.log(`updated queue ${q.name} to version ${q.version}; ${q.held} record(s) still held`);
    },
  },
  delete: {
    args: ["NAME"],
    flags: [],
    run: async (s, ctx, [name]) => {
      await s.routing.queues.delete(ctx, name as string);
      console.log(`deleted queue ${name}`);
    },
  },
};

const ruleSets: Record<string, Command> = {
  list: {
    args: [],
    flags: ["json"],
    run: async (s, ctx, _, v) => showList(print.ruleSetLine)(await s.routing.ruleSets.list(ctx), v),
  },
  show: {
    args: ["NAME"],
    flags: ["json"],
    run: async (s, ctx, [name], v) => show(print.ruleSetLines)(await s.routing.ruleSets.get(ctx, name as string), v),
  },
  create: {
    args: [],
    flags: ["file"],
    prepare: file,
    run: async (s, ctx, _, __, input) => {
      const r = await s.routing.ruleSets.create(ctx, input);
      console.log(`created rule set ${r.name} for ${r.object} (${r.rules.length} rule(s)${r.on_create ? ", on create" : ""})`);
    },
  },
  update: {
    args: ["NAME"],
    flags: ["file"],
    prepare: file,
    run: async (s, ctx, [name], __, input) => {
      const r = await s.routing.ruleSets.update(ctx, name as string, input);
      console.log(`updated rule set ${r.name} to version ${r.version}`);
    },
  },
  delete: {
    args: ["NAME"],
    flags: [],
    run: async (s, ctx, [name]) => {
      await s.routing.ruleSets.delete(ctx, name as string);
      console.log(`deleted rule set ${name}`);
    },
  },
  simulate: {
    args: ["NAME"],
    flags: ["json", "last", "since", "until"],
    prepare: recentFlags,
    run: async (s, ctx, [name], v, body) => show(print.simulationLines)(await s.routing.insights.simulate(ctx, name as string, body), v),
  },
  apply: {
    args: ["NAME"],
    flags: ["json", "last", "since", "until"],
    prepare: recentFlags,
    run: async (s, ctx, [name], v, body) => show(print.appliedLines)(await s.routing.insights.applyToUnowned(ctx, name as string, body), v),
  },
};

/** The records a simulation or an apply looks at. Dates and the upper bound are the service's to check, so a problem names its path as the API's does. */
function recentFlags(v: { last?: string; since?: string; until?: string }) {
  return {
    ...(v.last !== undefined ? { last: whole(v.last, "--last", 1, Number.MAX_SAFE_INTEGER) } : {}),
    ...(v.since !== undefined ? { since: v.since } : {}),
    ...(v.until !== undefined ? { until: v.until } : {}),
  };
}

const assignments: Command = {
  args: [],
  flags: ["json", "record", "limit"],
  prepare: (v) => whole(v.limit, "--limit", 1, 200),
  run: async (s, ctx, _, v, input) => {
    const limit = input as number | undefined;
    if (!v.record) return showList(print.assignmentLine)(await s.routing.insights.recent(ctx, limit ?? 50), v);
    const found = await s.routing.insights.assignmentsOf(ctx, v.record, limit ?? 20);
    if (v.json) return console.log(JSON.stringify({ data: found }, null, 2));
    if (found.length === 0) return console.log(`no assignment recorded for ${v.record}`);
    const keys = new Map((await s.workflows.list(ctx)).map((w) => [w.id, w.key]));
    console.log(found.map((a) => print.assignmentLines(a, (id) => keys.get(id) ?? id).join("\n")).join("\n\n"));
  },
};

const distribution: Command = {
  args: [],
  flags: ["json", "days"],
  prepare: (v) => whole(v.days, "--days", 1, 366) ?? 30,
  run: async (s, ctx, _, v, days) => show(print.distributionLines)(await s.routing.insights.distribution(ctx, days as number), v),
};

/** `--pto START/END` (repeatable) or `--pto none`; each end checked by the service (`pto[0].end`). */
function ptoFlag(values: readonly string[]): Array<{ start: string; end: string }> {
  if (values.length === 1 && values[0] === "none") return [];
  return values.map((p) => {
    const parts = p.split("/");
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--pto takes START/END (two ISO instants) or none, not "${p}"`);
    return { start: parts[0], end: parts[1] };
  });
}

function workingHoursFlag(text: string): unknown {
  if (text === "none") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`--working-hours takes JSON such as '{"mon":[["09:00","17:00"]]}' or none`);
  }
}

function availabilityPatch(v: Values): Record<string, unknown> {
  if (v.available !== undefined && v.available !== "true" && v.available !== "false")
    throw new UsageError(`--available takes true or false, not "${v.available}"`);
  const patch = {
    ...(v.available !== undefined ? { available_now: v.available === "true" } : {}),
    ...(v["time-zone"] !== undefined ? { time_zone: v["time-zone"] } : {}),
    ...(v.pto !== undefined ? { pto: ptoFlag(v.pto) } : {}),
    ...(v["working-hours"] !== undefined ? { working_hours: workingHoursFlag(v["working-hours"]) } : {}),
  };
  if (Object.keys(patch).length === 0)
    throw new UsageError("routing availability set needs --available, --time-zone, --pto or --working-hours");
  return patch;
}

const availability: Record<string, Command> = {
  list: {
    args: [],
    flags: ["json"],
    run: async (s, ctx, _, v) => showList(print.availabilityLine)(await s.routing.availability.list(ctx), v),
  },
  show: {
    args: ["USER_ID"],
    flags: ["json"],
    run: async (s, ctx, [who], v) => show(print.availabilityLines)(await s.routing.availability.get(ctx, who as string), v),
  },
  set: {
    args: ["USER_ID"],
    flags: ["json", "available", "time-zone", "pto", "working-hours"],
    prepare: availabilityPatch,
    run: async (s, ctx, [who], v, patch) =>
      show(print.availabilityLines)(await s.routing.availability.update(ctx, who as string, patch), v),
  },
};

/** The command named by the positionals, with its own arguments. */
function resolve(positionals: string[]): { name: string; command: Command; args: string[] } {
  const [group, action, ...rest] = positionals;
  const pick = (table: Record<string, Command>, fallback: string) => {
    const command = table[action ?? fallback];
    if (command) return { name: `routing ${group} ${action ?? fallback}`, command, args: rest };
    return undefined;
  };
  let found: ReturnType<typeof pick>;
  if (group === "queues") found = pick(queues, "list");
  else if (group === "rule-sets") found = pick(ruleSets, "list");
  else if (group === "assignments" || group === "distribution") {
    found = { name: `routing ${group}`, command: group === "assignments" ? assignments : distribution, args: positionals.slice(1) };
  } else if (group === "availability") {
    // `availability` lists, `availability ID` shows one, `availability set ID` changes one.
    if (action === undefined) found = { name: "routing availability", command: availability.list as Command, args: [] };
    else if (action === "set") found = { name: "routing availability set", command: availability.set as Command, args: rest };
    else found = { name: "routing availability", command: availability.show as Command, args: [action, ...rest] };
  }
  if (!found)
    throw new UsageError(
      group === undefined
        ? "routing takes queues, rule-sets, assignments, distribution or availability"
        : `unknown routing command "${positionals.slice(0, 2).join(" ")}"`,
    );
  return found;
}

export async function routingCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const { name, command, args } = resolve(positionals);
  if (args.length < command.args.length) throw new UsageError(`${name} needs ${command.args.slice(args.length).join(" ")}`);
  if (args.length > command.args.length) throw new UsageError(`unexpected argument "${args[command.args.length]}"`);
  for (const flag of Object.keys(options) as Array<keyof typeof options>) {
    if (flag in commonOptions || values[flag] === undefined || (flag === "json" && values.json === false)) continue;
    if (!(command.flags as readonly string[]).includes(flag)) throw new UsageError(`--${flag} does not go with ${name}`);
  }
  const input = await command.prepare?.(values, name);
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    await command.run(s, systemContext(workspace.id), args, values, input);
  });
}

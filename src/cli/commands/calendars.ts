/**
 * `handoff calendars …`: business calendars (docs/sla.md, "Calendars") — thin edges over the
 * calendar service, acting as the workspace's system administrator, with the same checks and
 * problems (by path) as /api/v1/calendars. Reads print for a person; `--json` prints what the API
 * would answer instead.
 */
import type { CalendarView } from "../../app/calendars/calendar-views.js";
import { type CallContext, systemContext } from "../../app/context.js";
import type { Services } from "../../composition/root.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { configFrom, withServices } from "./open.js";

const options = {
  ...commonOptions,
  file: { type: "string" },
  json: { type: "boolean", default: false },
} as const;
type Values = ReturnType<typeof parse<typeof options>>["values"];

interface Command {
  args: readonly string[];
  flags: ReadonlyArray<"file" | "json">;
  /** What is read and checked before the store is opened (a typo in a file name should not migrate a database). */
  prepare?: (v: Values, name: string) => Promise<unknown>;
  run: (s: Services, ctx: CallContext, args: string[], v: Values, input: unknown) => Promise<void>;
}

const label = (name: string, value: string) => `${name.padEnd(11)}${value}`;
const spans = (day: ReadonlyArray<readonly [string, string]>) => day.map(([a, b]) => `${a}–${b}`).join(", ");
const holidays = (c: CalendarView) => (c.holidays ? `${c.holidays.country}${c.holidays.region ? `-${c.holidays.region}` : ""}` : "none");

/** How the week reads in one cell: "24×7", or each open day with its spans. */
function week(c: CalendarView): string {
  const days = Object.entries(c.hours).filter(([, s]) => s.length > 0);
  if (days.length === 0) return "24×7";
  return days.map(([d, s]) => `${d} ${spans(s)}`).join("; ");
}

/** `Support EU	Europe/Paris	holidays FR	1 closed date(s)	default` */
function calendarLine(c: CalendarView): string {
  return `${c.name}\t${c.time_zone}\tholidays ${holidays(c)}\t${c.closed_dates.length} closed date(s)${c.default ? "\tdefault" : ""}`;
}

function calendarLines(c: CalendarView): string[] {
  const days = Object.entries(c.hours);
  return [
    label(
      "calendar",
      `${c.name} (id ${c.id}, version ${c.version}, updated ${c.updated_at})${c.default ? " — the workspace's default" : ""}`,
    ),
    ...(c.description ? [label("about", c.description)] : []),
    label("time zone", c.time_zone),
    label("hours", days.length === 0 ? "open all the time (24×7)" : ""),
    ...days.map(([d, s]) => `  ${d}  ${s.length > 0 ? spans(s) : "closed"}`),
    label("holidays", c.holidays ? `public holidays of ${holidays(c)}` : "none"),
    label("closed", c.closed_dates.length === 0 ? "-" : ""),
    ...c.closed_dates.map((d) => `  ${d.date}  ${d.name}`),
  ].map((l) => l.trimEnd());
}

async function file(v: Values, name: string): Promise<unknown> {
  if (!v.file) throw new UsageError(`${name} needs --file FILE (JSON)`);
  return readJsonFile(v.file);
}

const COMMANDS: Record<string, Command> = {
  list: {
    args: [],
    flags: ["json"],
    run: async (s, ctx, _, v) => {
      const all = await s.calendars.list(ctx);
      if (v.json) console.log(JSON.stringify({ data: all }, null, 2));
      else if (all.length === 0) console.log("no calendars: SLAs and business-time waits run 24×7 in the workspace's time zone");
      else for (const c of all) console.log(calendarLine(c));
    },
  },
  show: {
    args: ["NAME"],
    flags: ["json"],
    run: async (s, ctx, [name], v) => {
      const c = await s.calendars.get(ctx, name as string);
      console.log(v.json ? JSON.stringify(c, null, 2) : calendarLines(c).join("\n"));
    },
  },
  create: {
    args: [],
    flags: ["file"],
    prepare: file,
    run: async (s, ctx, _, __, input) => {
      const c = await s.calendars.create(ctx, input);
      console.log(`created calendar ${c.name} (${c.time_zone}, ${week(c)})${c.default ? ", the workspace's default" : ""}`);
    },
  },
  update: {
    args: ["NAME"],
    flags: ["file"],
    prepare: file,
    run: async (s, ctx, [name], __, input) => {
      const c = await s.calendars.update(ctx, name as string, input);
      console.log(`updated calendar ${c.name} to version ${c.version}`);
    },
  },
  delete: {
    args: ["NAME"],
    flags: [],
    run: async (s, ctx, [name]) => {
      await s.calendars.delete(ctx, name as string);
      console.log(`deleted calendar ${name}`);
    },
  },
};

export async function calendarsCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const [action = "list", ...args] = positionals;
  const command = COMMANDS[action];
  if (!command) throw new UsageError(`unknown calendars command "${action}"; calendars takes list, show, create, update or delete`);
  const name = `calendars ${action}`;
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

#!/usr/bin/env node
/**
 * `handoff` — serve, worker, migrate, seed, token, import, export, workflow, runs, recipes, routing, calendars, sla, rules, approvals … Each command is a thin edge over the
 * services of the composition root; errors print one clear line and exit non-zero.
 */
import { AppError } from "../app/errors.js";
import { ConfigError } from "../composition/config.js";
import { formatPath } from "../crm/issues.js";
import { UsageError } from "./args.js";
import { aiCommand } from "./commands/ai.js";
import { approvalsCommand } from "./commands/approvals.js";
import { calendarsCommand } from "./commands/calendars.js";
import { connectorCommand, secretsCommand } from "./commands/connector.js";
import { exportCommand, importCommand } from "./commands/csv.js";
import { migrateCommand, seedCommand } from "./commands/data.js";
import { dedupeCommand } from "./commands/dedupe.js";
import { kpisCommand } from "./commands/kpis.js";
import { outboxCommand } from "./commands/outbox.js";
import { recipesCommand } from "./commands/recipes.js";
import { recordsCommand } from "./commands/records.js";
import { reviewQueueCommand } from "./commands/review-queue.js";
import { routingCommand } from "./commands/routing.js";
import { rulesCommand } from "./commands/rules.js";
import { scoringCommand } from "./commands/scoring.js";
import { serveCommand } from "./commands/serve.js";
import { settingsCommand } from "./commands/settings.js";
import { slaCommand } from "./commands/sla.js";
import { statusRulesCommand } from "./commands/status-rules.js";
import { suppressionsCommand } from "./commands/suppressions.js";
import { tokenCommand } from "./commands/token.js";
import { userCommand } from "./commands/user.js";
import { workerCommand } from "./commands/worker.js";
import { runsCommand, workflowCommand } from "./commands/workflow.js";
import { operationalMessage, unexpectedLines } from "./operational.js";

const USAGE = `handoff — CRM workflow automation

Usage: handoff <command> [options]

  serve [--demo] [--port N] [--host H]     start the API (--demo seeds the demo workspace on first start)
  worker                                   run workflows only (add processes to add throughput on PostgreSQL)
  migrate                                  bring the database schema up to date
  seed [--workspace demo] [--seed 42]      create the deterministic demo workspace
  token create --name N --role R [--user-id ID] [-w demo]
  token list [-w demo] | token revoke ID [-w demo]
  user set-password <email> [-w demo]      set a user's password (read from stdin or a prompt, never argv); revokes their sessions
  import <object> <file.csv> [-w demo]     create records from CSV (all or nothing)
  export <object> [--out file.csv] [--where field:op:value …] [-w demo]
  records merge <object> <survivor-id> <merged-id> [--field NAME=survivor|merged …] [--json] [-w demo]
                                           merge a record into another: references move, the merged id resolves to the survivor
  records unmerge <merge-id> [--json] [-w demo]   undo a merge within the workspace's window (merge_undo_days)
  records merges <record-id> [--json] [-w demo]   the merges into a record, newest first
  workflow validate <file.json> [-w demo]  print every problem of a definition by path (exit 1 if any)
  workflow publish <file.json> [--backfill] [--note "what changed and why"] [-w demo]
                                           save the definition as a draft and publish it, with its change note
  workflow test <file.json> [--cases cases.json] [-w demo]
                                           run test cases against the file's definition in a sandbox (exit 1 on a failure)
  workflow replay <file.json> [--since ISO] [--until ISO] [--limit N] [--fail-on-change] [-w demo]
                                           replay production's triggers against the file's definition in a sandbox and list what would change
  workflow list [-w demo]                  key, live version, latest version, name
  workflow reviews [--overdue] [-w demo]   each live workflow's review: owner, next date, due or overdue, overrides in 30 days
  workflow reviewed <key> --note "…" [-w demo]  mark a workflow reviewed; its next review moves on by its interval
  recipes list [-w demo]                   the ready recipes: installed or not, what each needs here
  recipes install <key> [--publish] [-w demo]  install a recipe as a draft, or published
  runs list [--workflow KEY] [--record ID] [--status S] [--limit N] [-w demo]
  runs show <run-id> [-w demo]             a run and each of its steps
  connector list | delete KEY [-w demo]    connectors (secrets shown by name only)
  connector set KEY [--kind smtp|http|chat] [--name N] [--config '{json}'] [--secret name=value|name=@file …] [--remove-secret name …]
  secrets rekey --from OLD_KEY             re-seal stored secrets under the current HANDOFF_MASTER_KEY
  outbox list [--status dead] [-w demo]    external actions: pending, delivered, dead letters
  outbox replay <id> [-w demo]             send a dead letter again (same idempotency key)
  suppressions list|add|remove [EMAIL] [--reason manual|bounce|unsubscribe] [--detail TEXT] [-w demo]
  settings [show] [--json] [-w demo]       the workspace's settings, defaults filled in
  settings email-tracking [--opens on|off] [--clicks on|off] [--json] [-w demo]
                                           the open pixel and tracked links of emails to records (privacy switch; default off)
  kpis [show] [--from DAY] [--to DAY] [--object lead] [--owner ID | --team ID] [--workflow ID [--version N] [--not-handled]] [--onboarding-days N] [--series [--granularity day|hour]] [--as-at now|end] [--json] [-w demo]
                                           the KPIs over a period (default the last 30 days) and a cut; --series adds
                                           each day's point (each hour's with --granularity hour: at most 7 days)
  kpis records KEY [same filters] [--limit N]  the records behind a drillable KPI (see docs/kpis.md)
  kpis rebuild                             empty every workspace's KPI rollups and fold the whole event log again
  routing queues [list] | show|holds|delete NAME | create --file F | update NAME --file F
  routing rule-sets [list] | show|delete NAME | create --file F | update NAME --file F
  routing rule-sets simulate NAME [--last N] [--since ISO] [--until ISO]   who would get what; writes nothing
  routing rule-sets apply NAME [--last N] [--since ISO] [--until ISO]      assign those without an owner now
  routing assignments [--record ID] [--limit N]   why each owner was chosen (rules, queue, every candidate)
  routing distribution [--days 30]         assignments per queue and member
  routing availability [USER_ID] | availability set USER_ID [--available true|false] [--time-zone Z] [--pto START/END …|none] [--working-hours JSON|none]
                                           (routing reads take --json)
  calendars [list] | show|delete NAME | create --file F | update NAME --file F   business calendars (reads take --json)
  dedupe rules [list] | show|delete NAME | create --file F | update NAME --file F   match rules (reads take --json)
  dedupe scan OBJECT                       scans lead, contact or company records for duplicates, printing progress;
                                           the pairs go to the review queue
  sla policies [list] | show|enable|disable|delete NAME | create --file F | update NAME --file F
                                           SLA policies: targets in business time, warning, escalations (reads take --json)
  sla clocks [--status warning|breached] [--policy NAME] [--team TEAM] [--limit N] | sla clock RECORD_ID
                                           open SLA clocks (at risk, in breach); a record's clocks with their history (--json)
  rules [list] | show|delete NAME | apply --file F
                                           validation rules and stage gates; apply creates or updates by name (reads take --json)
  status-rules [list] | show|delete NAME | apply --file F
                                           status rules (when a status contradicts the data; the status accuracy KPI)
  approvals [list] [--view mine|decided|submitted|all] [--status S] [--limit N] | show ID
  approvals decide ID --approve|--reject|--revise [--comment TEXT] | resubmit ID [--comment TEXT]
                                           your approval inbox, over the API of a running Handoff as you:
                                           HANDOFF_TOKEN (a token made for your user), --url or HANDOFF_URL (reads take --json)
  review-queue [list] [--status open|resolved|dismissed] [--kind K] [--object O] [--assignee me|unassigned|ID] [--record ID]
  review-queue show ID | add RECORD_ID --reason TEXT | take ID | assign ID USER_ID|none | resolve|dismiss ID [--note TEXT]
  scoring [models] | show KEY | publish FILE [--note TEXT] | preview FILE | disable KEY | rescore-status KEY
  scoring score OBJECT ID [--at ISO] | ledger OBJECT ID [--model KEY] [--cursor C]
                                           the data review queue, as you (HANDOFF_TOKEN, like approvals; reads take --json)
  ai [models] | show|delete|train|on|off NAME | create --file F | update NAME --file F
  ai predict NAME (--record ID | --file F)  AI models: train on labelled records, held-out quality, what one says and why (reads take --json)

Common options: --data-dir DIR (default ./data), --database-url postgres://… (default: SQLite)
Environment: DATABASE_URL, HANDOFF_DATA_DIR, PORT, HOST, LOG_LEVEL; for approvals, review-queue and scoring HANDOFF_TOKEN, HANDOFF_URL`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  serve: serveCommand,
  migrate: migrateCommand,
  seed: seedCommand,
  token: tokenCommand,
  user: userCommand,
  worker: workerCommand,
  import: importCommand,
  export: exportCommand,
  records: recordsCommand,
  workflow: workflowCommand,
  runs: runsCommand,
  recipes: recipesCommand,
  connector: connectorCommand,
  secrets: secretsCommand,
  outbox: outboxCommand,
  suppressions: suppressionsCommand,
  settings: settingsCommand,
  kpis: kpisCommand,
  routing: routingCommand,
  calendars: calendarsCommand,
  dedupe: dedupeCommand,
  sla: slaCommand,
  rules: rulesCommand,
  "status-rules": statusRulesCommand,
  approvals: approvalsCommand,
  "review-queue": reviewQueueCommand,
  scoring: scoringCommand,
  ai: aiCommand,
};

async function main(argv: string[]) {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  await command(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`handoff: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof ConfigError) {
    console.error(`handoff: ${error.message}`);
    process.exit(2);
  }
  if (error instanceof AppError) {
    console.error(`handoff: ${error.message}`);
    for (const issue of error.issues.slice(0, 20)) console.error(`  ${formatPath(issue.path) || "(input)"}: ${issue.message}`);
    if (error.issues.length > 20) console.error(`  … and ${error.issues.length - 20} more`);
    process.exit(1);
  }
  const operational = operationalMessage(error);
  if (operational) {
    console.error(`handoff: ${operational}`);
    process.exit(1);
  }
  for (const line of unexpectedLines(error)) console.error(line);
  process.exit(1);
});

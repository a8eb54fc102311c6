/**
 * `handoff workflow …`, `handoff runs …` and `handoff worker --until-idle` end to end: the real
 * binary (dist/cli/main.js) against temp SQLite data directories.
 *
 * One demo workspace is seeded (with its ready recipes) and shared by the tests of this file,
 * which run in order: a lead imported into it enrolls into speed-to-lead, the worker runs until
 * idle — delivering speed-to-lead's auto-reply over real SMTP to an smtp-server in this process,
 * which the demo's `email` connector points at (HANDOFF_DEMO_SMTP_PORT at seed time, opened with
 * HANDOFF_EGRESS_ALLOW for the worker) — and the run is looked at through `runs list` and
 * `runs show`. Publishing is tested in a second, empty workspace (with an `email` connector of
 * its own) so that versions start at 1.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { DEFINITION_LIMITS } from "../../src/engine/limits.js";
import { CLASSIFY_WORKFLOW } from "../../src/seed/demo-ai.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { parseMail, startSmtp, type TestSmtp } from "../helpers/smtp.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, type CliResult, runCli } from "./process.js";

const RECIPES = fileURLToPath(new URL("../../recipes/", import.meta.url));
const recipe = (key: string) => join(RECIPES, `${key}.json`);
const PUBLISHED = [
  "contract-renewal-reminder",
  "deal-stage-progression",
  "discount-approval",
  "escalation-at-risk-renewal",
  "escalation-overdue-task",
  "escalation-p1-breach",
  "escalation-stale-lead",
  "escalation-stuck-deal",
  "meeting-follow-up",
  "onboarding-kickoff",
  "re-engagement-cold-leads",
  "retention-playbook",
  "speed-to-lead",
  "win-loss-post-mortem",
];
const DRAFTS = ["data-enrichment-on-create"];
/** The demo seed's inbound leads, which speed-to-lead runs for on first start (src/seed/demo.ts). */
const SEEDED_SPEED_RUNS = 6;

/** The demo workspace's data directory, and an empty workspace "acme" in another one. */
let dir: string;
let emptyDir: string;
let seeded: CliResult;
/** The SMTP server the demo workspace's `email` connector points at. */
let smtp: TestSmtp;

/** `handoff <args> --data-dir <the demo dir>`, allowed to reach the SMTP server. */
const cli = (...args: string[]) =>
  runCli([...args, "--data-dir", dir], { timeoutMs: 120_000, env: { HANDOFF_EGRESS_ALLOW: `127.0.0.1:${smtp.port}` } });
/** `handoff <args> -w acme --data-dir <the empty dir>` */
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", emptyDir]);

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

/** `workflow list` as key → [live, latest, name]. */
async function workflowList(run: (...args: string[]) => Promise<CliResult>): Promise<Map<string, string[]>> {
  const result = await run("workflow", "list");
  expect(result.code, result.stderr).toBe(0);
  return new Map(
    lines(result.stdout).map((l) => {
      const [key = "", ...rest] = l.split("\t");
      return [key, rest];
    }),
  );
}

/** A copy of speed-to-lead with a condition on a field leads do not have and a step that points nowhere. */
function brokenDefinition(): string {
  const def = JSON.parse(readFileSync(recipe("speed-to-lead"), "utf8"));
  def.conditions.and[0].field = "shoe_size";
  def.steps.assign.next = "nowhere";
  const file = join(dir, "broken.json");
  writeFileSync(file, JSON.stringify(def, null, 2));
  return file;
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-wf-cli-");
  emptyDir = tempDir("handoff-wf-cli-empty-");
  smtp = await startSmtp();
  // The demo's seed: ~30 s on a quiet 2-core machine, several times that when the machine is shared.
  seeded = await runCli(["seed", "--data-dir", dir], { timeoutMs: 240_000, env: { HANDOFF_DEMO_SMTP_PORT: String(smtp.port) } });
  // An empty workspace: no CLI command creates one without seeding, so through the service. Its
  // `email` connector and its "Inbound reps" queue let speed-to-lead (which sends an email and
  // assigns through that queue) be published.
  const store = openSqliteStore({ file: join(emptyDir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const services = buildServices(store);
    const acmeWs = await services.workspaces.create("acme", "Acme");
    await services.connectors.create(systemContext(acmeWs.id), {
      key: "email",
      kind: "smtp",
      config: { host: "smtp.acme.example", from: "sales@acme.example" },
    });
    const [rep] = await services.writer.createMany(systemContext(acmeWs.id), "user", [
      { name: "Ana Acme", email: "ana@acme.example", role: "rep" },
    ]);
    await services.routing.queues.create(systemContext(acmeWs.id), {
      name: "Inbound reps",
      strategy: "weighted_round_robin",
      members: [{ user_id: rep?.id ?? "", weight: 1 }],
    });
  } finally {
    await store.close();
  }
}, 300_000);

afterAll(async () => {
  await smtp?.close();
  for (const d of [dir, emptyDir]) if (d) rmSync(d, { recursive: true, force: true });
});

describe("handoff workflow validate", () => {
  it("prints valid and exits 0 for a ready recipe", async () => {
    const result = await cli("workflow", "validate", recipe("speed-to-lead"));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("valid\n");
  });

  it("prints every problem by path and exits 1 for an unknown field and a dangling step", async () => {
    const result = await cli("workflow", "validate", brokenDefinition());
    expect(result.code, result.stderr).toBe(1);
    const out = lines(result.stdout);
    expect(out).toContain('conditions.and[0].field: lead has no field "shoe_size"');
    expect(out).toContain('steps.assign.next: no step "nowhere"');
    expect(result.stdout).not.toContain("valid\n");
  });

  it("names a file that does not exist (exit 1) and a file that is not JSON (exit 1)", async () => {
    const missing = await cli("workflow", "validate", join(dir, "nope.json"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.json: no such file");
    const notJson = join(dir, "not.json");
    writeFileSync(notJson, '{"key": ');
    const bad = await cli("workflow", "validate", notJson);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("not.json is not JSON");
  });

  it("refuses conditions nested 10,000 deep with the limit and the path (exit 1), without overflowing the stack", async () => {
    // Written as text: JSON.stringify of the nested object would itself overflow.
    const levels = 10_000;
    const { conditions: _, ...base } = JSON.parse(readFileSync(recipe("speed-to-lead"), "utf8"));
    const deep = `${'{"not":'.repeat(levels - 1)}{"field":"score","op":"gt","value":1}${"}".repeat(levels - 1)}`;
    const file = join(dir, "deep.json");
    writeFileSync(file, `${JSON.stringify(base).slice(0, -1)},"conditions":${deep}}`);
    const result = await cli("workflow", "validate", file);
    expect(result.code, result.stderr).toBe(1);
    expect(lines(result.stdout)).toEqual([
      `conditions${".not".repeat(DEFINITION_LIMITS.conditionDepth)}: conditions are nested at most ${DEFINITION_LIMITS.conditionDepth} levels deep; this one goes deeper`,
    ]);
  });

  it("refuses a template that includes a file, by path (exit 1)", async () => {
    const def = JSON.parse(readFileSync(recipe("speed-to-lead"), "utf8"));
    def.steps.assign = {
      type: "action",
      action: { type: "update_fields", fields: { title: "{% include 'data/master.key' %}" } },
      next: def.steps.assign.next,
    };
    const file = join(dir, "include.json");
    writeFileSync(file, JSON.stringify(def));
    const result = await cli("workflow", "validate", file);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain("steps.assign.action.fields.title: the tag {% include %} is not allowed");
  });

  it("without a file is a usage error (exit 2)", async () => {
    const result = await cli("workflow", "validate");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("needs a definition file");
  });
});

describe("the demo workspace's ready recipes", () => {
  it("seeding says which recipes were published and why the others stay drafts", () => {
    expect(seeded.code, seeded.stderr).toBe(0);
    // Speed-to-lead's recipe is its second version: the demo's KPI history published a first (demo-kpis.ts).
    for (const key of PUBLISHED) expect(seeded.stdout).toContain(`published recipe ${key} v${key === "speed-to-lead" ? 2 : 1}`);
    expect(seeded.stdout).toMatch(
      /draft recipe data-enrichment-on-create: steps\.enrich\.action\.connector: no connector "enrichment" in this workspace/,
    );
  });

  it("workflow list shows speed-to-lead live at v2 and the recipe that needs connectors as a draft", async () => {
    const list = await workflowList(cli);
    // Beside the recipes, the demo's own live workflow that classifies new tickets (src/seed/demo-ai.ts).
    expect([...list.keys()].sort()).toEqual([...PUBLISHED, ...DRAFTS, CLASSIFY_WORKFLOW].sort());
    expect(list.get(CLASSIFY_WORKFLOW)?.slice(0, 2)).toEqual(["v1", "v1 published"]);
    expect(list.get("speed-to-lead")).toEqual(["v2", "v2 published", "Speed to lead"]);
    for (const key of PUBLISHED.filter((k) => k !== "speed-to-lead"))
      expect(list.get(key)?.slice(0, 2), key).toEqual(["v1", "v1 published"]);
    for (const key of DRAFTS) expect(list.get(key)?.slice(0, 2), key).toEqual(["-", "v1 draft"]);
  });
});

describe("handoff workflow publish", () => {
  it("publishes a recipe into an empty workspace; workflow list shows it live at v1", async () => {
    expect(await workflowList(acme)).toEqual(new Map());
    const result = await acme("workflow", "publish", recipe("speed-to-lead"));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("published speed-to-lead v1\n");
    const list = await workflowList(acme);
    expect([...list.entries()]).toEqual([["speed-to-lead", ["v1", "v1 published", "Speed to lead"]]]);
  });

  it("publishing the same file again makes v2 live", async () => {
    const result = await acme("workflow", "publish", recipe("speed-to-lead"));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("published speed-to-lead v2\n");
    expect((await workflowList(acme)).get("speed-to-lead")).toEqual(["v2", "v2 published", "Speed to lead"]);
  });

  it("refuses a recipe this release cannot run: exit 1, the problem by path, nothing saved", async () => {
    const result = await acme("workflow", "publish", recipe("data-enrichment-on-create"));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("cannot be published");
    expect(result.stderr).toMatch(/steps\.enrich\.action\.connector: no connector "enrichment" in this workspace/);
    expect((await workflowList(acme)).has("data-enrichment-on-create")).toBe(false);
  });

  it("--backfill publishes a time-based workflow enrolling what is already past; other triggers refuse it", async () => {
    const result = await acme("workflow", "publish", recipe("re-engagement-cold-leads"), "--backfill");
    expect(result.code, result.stderr).toBe(0);
    // An empty workspace: nothing to backfill, and no count line.
    expect(result.stdout).toBe("published re-engagement-cold-leads v1 (0 backfilled)\n");
    const refused = await acme("workflow", "publish", recipe("speed-to-lead"), "--backfill");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("backfill: backfill applies to relative_date and inactivity triggers, not record_created");
    const misplaced = await acme("workflow", "list", "--backfill");
    expect(misplaced.code).toBe(2);
  }, 90_000);

  it("refuses a broken definition: exit 1 and every problem by path", async () => {
    const result = await acme("workflow", "publish", brokenDefinition());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('conditions.and[0].field: lead has no field "shoe_size"');
    expect(result.stderr).toContain('steps.assign.next: no step "nowhere"');
    // The live version is untouched and no broken draft was left behind.
    expect((await workflowList(acme)).get("speed-to-lead")).toEqual(["v2", "v2 published", "Speed to lead"]);
  });

  // Five CLI processes, each starting Node and opening the store: over 30 s on a loaded machine.
  it("--note keeps the change note with the version; a note over 2,000 characters is refused before anything is saved", async () => {
    const tooLong = await acme("workflow", "publish", recipe("speed-to-lead"), "--note", "x".repeat(2001));
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain("note: at most 2000 characters (this one has 2001)");
    expect((await workflowList(acme)).get("speed-to-lead")).toEqual(["v2", "v2 published", "Speed to lead"]);
    const note = "Reassign after 15 minutes, not 30: reps asked for it";
    const result = await acme("workflow", "publish", recipe("speed-to-lead"), "--note", note);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("published speed-to-lead v3\n");
    const store = openSqliteStore({ file: join(emptyDir, "handoff.db"), now: () => new Date().toISOString() });
    try {
      const services = buildServices(store);
      const ws = await services.workspaces.bySlug("acme");
      const { versions } = await services.workflows.get(systemContext(ws.id), "speed-to-lead");
      expect(versions.map((v) => [v.version, v.note])).toEqual([
        [3, note],
        [2, null],
        [1, null],
      ]);
    } finally {
      await store.close();
    }
    const misplaced = await acme("workflow", "list", "--note", "why");
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain("--note goes with workflow publish");
  }, 90_000);
});

describe("handoff runs (after handoff worker --until-idle)", () => {
  let leadId: string;
  let runId: string;

  it("a lead imported into the demo workspace enrolls in speed-to-lead once the worker has run", async () => {
    const csv = join(dir, "leads.csv");
    writeFileSync(csv, "first_name,last_name,score,employee_count,email\nAda,Lovelace,55,40,ada@runs.test\n");
    const imported = await cli("import", "leads", csv);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('imported 1 lead records into "demo"');
    const exported = await cli("export", "leads", "--where", "email:eq:ada@runs.test");
    expect(exported.code, exported.stderr).toBe(0);
    const [lead] = parse(exported.stdout, { columns: true }) as Array<Record<string, string>>;
    leadId = lead?.id ?? "";
    expect(leadId).not.toBe("");

    // The seed's inbound leads have their runs (the seed drains its worker before routing the
    // demo's leads); the imported lead has none yet: the CLI process that imported runs no worker.
    // (Waiting ones: the others are the KPI history's, ended weeks and months ago.)
    const before = await cli("runs", "list", "--workflow", "speed-to-lead", "--status", "waiting");
    expect(before.code, before.stderr).toBe(0);
    expect(lines(before.stdout)).toHaveLength(SEEDED_SPEED_RUNS);
    expect(lines(before.stdout).some((l) => l.split("\t")[2] === leadId)).toBe(false);

    const worker = await cli("worker", "--until-idle");
    expect(worker.code, worker.stderr).toBe(0);
    // Left for later: the 15-minute timer of wait-for-call, the 14-day waits of the
    // re-engagement runs the demo's backfill started for its leads that went quiet, and the
    // week-long waits of the retention playbooks its at-risk renewals started.
    const waitsOf = async (workflow: string) =>
      lines((await cli("runs", "list", "--workflow", workflow, "--status", "waiting", "--limit", "500")).stdout).length;
    const reengaging = await waitsOf("re-engagement-cold-leads");
    expect(reengaging).toBeGreaterThan(0);
    const retaining = await waitsOf("retention-playbook");
    // The demo's discount approvals wait on their timeouts: two pending, one sent back (its revision deadline).
    const approving = await waitsOf("discount-approval");
    expect(approving).toBe(3);
    // The seed's six inbound leads wait for their calls too (speed-to-lead runs on first start).
    expect(worker.stdout).toContain(
      `worker idle: nothing due now (${SEEDED_SPEED_RUNS + 1 + reengaging + retaining + approving} work items pending for later)`,
    );
    // The auto-reply went out over SMTP, from the owner, with their calendar link.
    const [mail, ...more] = smtp.to("ada@runs.test");
    expect(more).toEqual([]);
    const m = parseMail(mail?.raw ?? "");
    expect(m.header("Subject")).toBe("Thanks for reaching out, Ada");
    expect(m.text).toMatch(/pick one here: https:\/\/\S+/);
  }, 120_000);

  it("runs list --workflow speed-to-lead shows the lead's run, waiting in wait-for-call, beside the seed's", async () => {
    const result = await cli("runs", "list", "--workflow", "speed-to-lead", "--status", "waiting");
    expect(result.code, result.stderr).toBe(0);
    const rows = lines(result.stdout).map((l) => l.split("\t"));
    expect(rows).toHaveLength(SEEDED_SPEED_RUNS + 1);
    const mine = rows.filter((r) => r[2] === leadId);
    expect(mine).toHaveLength(1);
    const [id = "", key, recordId, status, step, createdAt = ""] = mine[0] ?? [];
    expect([key, recordId, status, step]).toEqual(["speed-to-lead", leadId, "waiting", "wait-for-call"]);
    expect(Number.isNaN(Date.parse(createdAt))).toBe(false);
    runId = id;
  });

  it("runs list filters by record, status and limit", async () => {
    const byRecord = await cli("runs", "list", "--record", leadId);
    expect(lines(byRecord.stdout).map((l) => l.split("\t")[0])).toEqual([runId]);
    const waiting = await cli("runs", "list", "--workflow", "speed-to-lead", "--status", "waiting", "--limit", "10");
    expect(lines(waiting.stdout).map((l) => l.split("\t")[0])).toHaveLength(SEEDED_SPEED_RUNS + 1);
    expect(lines(waiting.stdout).map((l) => l.split("\t")[0])).toContain(runId);
    const limited = await cli("runs", "list", "--workflow", "speed-to-lead", "--status", "waiting", "--limit", "2");
    expect(lines(limited.stdout)).toHaveLength(2);
    // Every speed-to-lead run of this week waits for its call: the completed ones are the KPI
    // history's, started more than a week ago.
    const completed = await cli("runs", "list", "--workflow", "speed-to-lead", "--status", "completed", "--limit", "500");
    expect(completed.code, completed.stderr).toBe(0);
    const weekAgo = Date.now() - 7 * 86_400_000;
    expect(lines(completed.stdout).every((l) => Date.parse(l.split("\t")[5] ?? "") < weekAgo)).toBe(true);
    const bad = await cli("runs", "list", "--status", "sleeping");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--status takes one of running, waiting");
  });

  it("runs show prints the run and its steps: assign, call-task, auto-reply (sent), wait-for-call", async () => {
    const result = await cli("runs", "show", runId);
    expect(result.code, result.stderr).toBe(0);
    const out = lines(result.stdout);
    expect(out).toContain(`run       ${runId}`);
    expect(out).toContain("workflow  speed-to-lead v2");
    expect(out).toContain(`record    ${leadId}`);
    expect(out).toContain("status    waiting at wait-for-call");
    expect(out).toContain("steps     5");
    const steps = out.filter((l) => /^\d+\t/.test(l)).map((l) => l.split("\t"));
    expect(steps.map(([seq, step, type, outcome]) => [seq, step, type, outcome])).toEqual([
      ["1", "assign", "action", "applied"],
      ["2", "call-task", "action", "applied"],
      ["3", "auto-reply", "action", "enqueued"],
      ["4", "auto-reply", "action", "succeeded"],
      ["5", "wait-for-call", "delay", "waiting"],
    ]);
    // Effects are compact JSON: who got the lead, the P1 task, the timer.
    const effects = steps.map((s) => JSON.parse(s[5] ?? "null") as Array<Record<string, unknown>>);
    expect(effects[0]?.[0]).toMatchObject({ command: "assign_owner", field: "owner_id" });
    expect(effects[1]?.[0]).toMatchObject({ command: "create_record", object: "task", fields: { priority: "P1" } });
    expect(effects[2]?.[0]).toMatchObject({ command: "enqueue_external", kind: "email", connector: "email" });
    expect(effects[4]?.[0]).toMatchObject({ command: "start_timer" });
  });

  it("runs show of an unknown run exits 1", async () => {
    const result = await cli("runs", "show", "no-such-run");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("run no-such-run not found");
  });
});

/**
 * Replay with a diff (issue 19; docs/testing-workflows.md, "Replay"): "what would this change
 * have done last week?". The triggers a workflow received in production — the newest events of
 * its object its trigger listens to, in a period — are replayed in one sandbox against a draft
 * (or any version), on one simulated timeline from the first of them to now, and each outcome is
 * compared with what production did.
 *
 * The facts as they were: each record enters the sandbox as it was just before its first
 * trigger (folded from its audit trail), and every later change of it — and every record that
 * came to point at it (a call logged on a lead) — is replayed verbatim at its instant, except the
 * changes the workflow itself made in production (the draft makes its own). Production's routing
 * decisions are kept where the draft's step that made them is the same step as production's:
 * round-robin positions are not history, and replaying them would show every owner as changed.
 * Other workflows are not live in the sandbox; their changes are replayed like a person's.
 *
 * The live store is only read.
 */
import { isDeepStrictEqual } from "node:util";
import { OBJECT_NAMES, SYSTEM_FIELDS } from "../../crm/fields.js";
import type { WorkflowDefinition } from "../../engine/definition.js";
import { triggerKind } from "../../engine/triggers/index.js";
import { parseWorkflow } from "../../engine/validate.js";
import type { AuditEntry } from "../../store/audit-ports.js";
import type { DomainEvent, Store, StoredRecord } from "../../store/ports.js";
import type { RunRow } from "../../store/workflow-ports.js";
import type { CallContext } from "../context.js";
import type { Clock } from "../ports.js";
import type { SandboxOpener, SandboxRuntime } from "../sandbox/sandbox-port.js";
import { installWorkflow, type WorkflowUnderTest } from "../workflow-tests/run-in-sandbox.js";
import { enqueued } from "../workflows/delivery-attempts.js";
import { type ProductionTrigger, productionTriggers, readRun, replayableEventTypes } from "./production.js";
import { recordAtVersion } from "./record-at.js";
import { compareOutcomes, countVerdicts, type OutcomeComparison, type ReplayVerdict } from "./replay-diff.js";
import type { RunOutcome } from "./run-outcome.js";

export const REPLAY_LIMITS = { defaultTriggers: 100, maxTriggers: 500, passes: 20_000 } as const;

export interface ReplayOptions {
  /** Occurred at or after / before (ISO 8601). Default: the newest triggers, whenever they were. */
  since?: string;
  until?: string;
  limit: number;
}

export interface ReplayedTrigger {
  event_id: string;
  event_type: string;
  occurred_at: string;
  record_id: string;
  /** The run it started in production, if any. */
  production_run_id: string | null;
  verdict: ReplayVerdict;
  differences: OutcomeComparison["differences"];
  production: RunOutcome | null;
  draft: RunOutcome | null;
}

export interface ReplayReport {
  workflow: { id: string; key: string; name: string };
  /** What was replayed against production. */
  tested: { version: number; source: WorkflowUnderTest["source"] };
  window: { since: string | null; until: string | null; limit: number };
  /** Triggers read, and those neither production nor the draft enrolled (not listed). */
  read: number;
  counts: Record<ReplayVerdict, number>;
  triggers: ReplayedTrigger[];
  /** The simulated timeline: from just before the first trigger to now. */
  simulated: { from: string | null; to: string | null };
}

/** One change of the timeline: a production event replayed verbatim at its instant. */
interface Item {
  at: string;
  /** The production event's id: kept as the sandbox event's id, so a run's trigger key names it. */
  eventId: string;
  recordId: string;
  object: StoredRecord["object"];
  entry: AuditEntry;
  /** The record's version after this change in production (its audit trail's index + 1). */
  version: number;
  trail: readonly AuditEntry[];
}

export async function replayWorkflow(
  deps: { store: Store; clock: Clock; openSandbox: SandboxOpener },
  ctx: CallContext,
  w: WorkflowUnderTest,
  live: WorkflowDefinition,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const types = replayableEventTypes(live.trigger.type, w.definition.trigger.type);
  const versions = await deps.store.workflows.listVersions(ctx.workspaceId, w.id);
  const liveSince = Math.min(...versions.flatMap((v) => (v.publishedAt !== null && v.sincePosition !== null ? [v.sincePosition] : [])));
  const read = await productionTriggers(
    deps.store,
    { workspaceId: ctx.workspaceId, id: w.id, object: live.object, liveSince: Number.isFinite(liveSince) ? liveSince : 0 },
    types,
    options,
  );
  const draftTrigger = triggerKind(w.definition.trigger);
  const kept = read.filter(
    (t) => t.run !== null || (t.event.object === w.definition.object && draftTrigger.fires(w.definition.trigger as never, t.event)),
  );
  const report: ReplayReport = {
    workflow: { id: w.id, key: w.key, name: w.name },
    tested: { version: w.version, source: w.source },
    window: { since: options.since ?? null, until: options.until ?? null, limit: options.limit },
    read: read.length,
    counts: countVerdicts([]),
    triggers: [],
    simulated: { from: null, to: null },
  };
  if (kept.length === 0) return report;

  const first = kept[0] as ProductionTrigger;
  const start = new Date(Date.parse(first.event.occurredAt) - 1);
  const end = deps.clock.now();
  const sandbox = await deps.openSandbox(ctx.workspaceId, {
    recordIds: [...new Set(kept.map((t) => t.event.recordId))],
    start,
    pinOwner: ownerPins(deps.store, ctx.workspaceId, w.definition, kept),
  });
  try {
    await installWorkflow(sandbox, ctx.workspaceId, w);
    const items = await timeline(deps.store, sandbox, ctx.workspaceId, w.id, kept, start, end);
    const settle = settleAsProduction(sandbox, ctx.workspaceId, kept);
    for (const item of items) {
      await advanceTo(sandbox, settle, Date.parse(item.at));
      await replayChange(sandbox, item);
      await runDue(sandbox, settle);
    }
    await advanceTo(sandbox, settle, end.getTime());
    const drafts = await draftRuns(sandbox, ctx.workspaceId, w.id);
    for (const t of kept) {
      const run = drafts.get(t.event.id);
      const draft = run ? (await readRun(sandbox.store, run)).outcome : null;
      const comparison = compareOutcomes(t.outcome, draft);
      if (!comparison) continue;
      report.triggers.push({
        event_id: t.event.id,
        event_type: t.event.type,
        occurred_at: t.event.occurredAt,
        record_id: t.event.recordId,
        production_run_id: t.run?.id ?? null,
        verdict: comparison.verdict,
        differences: comparison.differences,
        production: t.outcome,
        draft,
      });
    }
    report.counts = countVerdicts(report.triggers);
    report.simulated = { from: start.toISOString(), to: sandbox.clock.now().toISOString() };
    return report;
  } finally {
    await sandbox.close();
  }
}

const CREATED_AT = SYSTEM_FIELDS.find((f) => f.name === "created_at") as (typeof SYSTEM_FIELDS)[number];

/** The record's own fields as stored (the audit fold adds id and the instants for facts). */
function storedData(folded: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, ...data } = folded;
  return data;
}

/**
 * The changes to replay, oldest first: each trigger record's from its first trigger on, and each
 * record that came to point at one after the timeline's start from its creation — every change
 * but the workflow's own, up to now. Each such record is first put back in the sandbox as it was
 * just before its first replayed change (absent, for one replayed from its creation).
 */
async function timeline(
  store: Store,
  sandbox: SandboxRuntime,
  workspaceId: string,
  workflowId: string,
  kept: readonly ProductionTrigger[],
  start: Date,
  end: Date,
): Promise<Item[]> {
  const firstTrigger = new Map<string, DomainEvent>();
  for (const t of kept) if (!firstTrigger.has(t.event.recordId)) firstTrigger.set(t.event.recordId, t.event);
  const triggerIds = new Map(kept.map((t) => [`${t.event.recordId}@${t.event.recordVersion}`, t.event.id]));
  const later = await laterReferrers(sandbox, workspaceId, new Set(firstTrigger.keys()), start);
  const items: Item[] = [];
  let n = 0;
  for (const id of [...firstTrigger.keys(), ...later]) {
    const trail = (await store.audit.readAudit(workspaceId, id, 100_000)).reverse();
    const from = firstTrigger.get(id)?.recordVersion ?? 1;
    await placeRecord(sandbox, workspaceId, id, trail, from - 1);
    for (let version = from; version <= trail.length; version++) {
      const entry = trail[version - 1] as AuditEntry;
      if (Date.parse(entry.at) > end.getTime()) break;
      if (entry.actor.kind === "workflow" && entry.actor.id === workflowId) continue;
      const eventId = triggerIds.get(`${id}@${version}`) ?? `replay-${String(++n).padStart(6, "0")}`;
      items.push({ at: entry.at, eventId, recordId: id, object: entry.object, entry, version, trail });
    }
  }
  // Stable: a record's own changes keep their order when two share an instant.
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * Records in the sandbox created after `start` that point at a trigger record (its activities,
 * its tasks): they did not exist when the timeline starts, and are replayed from their creation.
 */
async function laterReferrers(sandbox: SandboxRuntime, workspaceId: string, triggers: ReadonlySet<string>, start: Date) {
  const out: string[] = [];
  for (const object of OBJECT_NAMES) {
    if (object === "user" || object === "team") continue;
    const rows = await sandbox.store.records.queryRecords({
      workspaceId,
      object,
      sort: { field: CREATED_AT, direction: "asc" },
      limit: 100_000,
    });
    for (const r of rows) if (!triggers.has(r.id) && Date.parse(r.createdAt) > start.getTime() && pointsAt(r, triggers)) out.push(r.id);
  }
  return out;
}

function pointsAt(r: StoredRecord, ids: ReadonlySet<string>): boolean {
  return Object.values(r.data).some((v) => typeof v === "string" && ids.has(v));
}

/** Puts the record in the sandbox as it was at `version` (0: absent). */
async function placeRecord(sandbox: SandboxRuntime, workspaceId: string, id: string, trail: readonly AuditEntry[], version: number) {
  const object = trail[0]?.object;
  if (!object) return;
  await sandbox.store.transaction(async (tx) => {
    const current = await tx.records.getRecord(workspaceId, id);
    if (version === 0) {
      if (current) await tx.records.deleteRecord(workspaceId, id, current.version);
      return;
    }
    const folded = recordAtVersion(trail, id, version);
    if (!folded) return;
    const row: StoredRecord = {
      workspaceId,
      id,
      object,
      version,
      data: storedData(folded),
      createdAt: trail[0]?.at as string,
      updatedAt: trail[version - 1]?.at as string,
    };
    if (current) await tx.records.updateRecord(row, current.version);
    else await tx.records.insertRecords([row]);
  });
}

/** One production change, made again in the sandbox with its event, as its actor made it. */
async function replayChange(sandbox: SandboxRuntime, item: Item) {
  const { entry } = item;
  await sandbox.store.transaction(async (tx) => {
    const current = await tx.records.getRecord(entry.workspaceId, item.recordId);
    let version = 1;
    const changes = entry.changes.map((c) => ({ ...c, old: current ? (current.data[c.field] ?? null) : c.old }));
    if (entry.action === "delete") {
      if (!current) return;
      version = current.version + 1;
      await tx.records.deleteRecord(entry.workspaceId, item.recordId, current.version);
    } else {
      const data: Record<string, unknown> = { ...(entry.action === "create" ? {} : current?.data) };
      for (const c of entry.changes) {
        if (c.new === null || c.new === undefined) delete data[c.field];
        else data[c.field] = c.new;
      }
      version = entry.action === "create" || !current ? 1 : current.version + 1;
      const row: StoredRecord = {
        workspaceId: entry.workspaceId,
        id: item.recordId,
        object: item.object,
        version,
        data,
        createdAt: current?.createdAt ?? item.at,
        updatedAt: item.at,
      };
      if (current) await tx.records.updateRecord(row, current.version);
      else await tx.records.insertRecords([row]);
    }
    await tx.events.appendEvents([
      {
        id: item.eventId,
        workspaceId: entry.workspaceId,
        type: entry.action === "create" ? "record.created" : entry.action === "update" ? "record.updated" : "record.deleted",
        object: item.object,
        recordId: item.recordId,
        recordVersion: version,
        actor: entry.actor,
        causeId: null,
        changes,
        occurredAt: item.at,
        depth: 0,
      },
    ]);
  });
}

/** Runs what is due now, external actions settled as production's were. */
async function runDue(sandbox: SandboxRuntime, settle: Settle) {
  for (let pass = 0; pass < REPLAY_LIMITS.passes; pass++) {
    await sandbox.drain();
    if ((await settle()) === 0) return;
  }
}

type Settle = () => Promise<number>;

/** How long an action production never settled stays unsettled in the sandbox: past any replay. */
const NEVER_MS = 100 * 365 * 86_400_000;

/**
 * Settles the sandbox's outbox as production's went: an action a run enqueued at a step where
 * production's run for the same trigger enqueued one ends as production's did (delivered, dead
 * with its error, or still pending: the run waits, as production's does); any other — a new
 * action, a subscription's webhook — is taken as delivered. Nothing is sent.
 */
function settleAsProduction(sandbox: SandboxRuntime, workspaceId: string, kept: readonly ProductionTrigger[]): Settle {
  const byEvent = new Map(kept.map((t) => [t.event.id, t]));
  return async () => {
    const items = await sandbox.store.outbox.claimOutbox("replay", 100, 60_000);
    if (items.length === 0) return 0;
    const now = sandbox.clock.now().toISOString();
    let settled = 0;
    for (const item of items) {
      const was = item.runId ? await productionItem(sandbox, workspaceId, item.runId, item.id, byEvent) : undefined;
      await sandbox.store.transaction(async (tx) => {
        if (was?.status === "pending") {
          await tx.outbox.settleOutbox(workspaceId, item.id, "replay", item.attempts, { status: "deferred", delayMs: NEVER_MS }, now);
          return;
        }
        const ok = was?.status !== "dead";
        const error = was?.lastError ?? "failed in production";
        const outcome = ok
          ? { status: "delivered" as const, lastStatus: null, result: null }
          : { status: "dead" as const, error, lastStatus: null };
        await tx.outbox.settleOutbox(workspaceId, item.id, "replay", item.attempts, outcome, now);
        if (item.runId)
          await tx.work.insertWorkItems([
            {
              workspaceId,
              runId: item.runId,
              input: { kind: "action_result", key: item.key, ok, ...(ok ? {} : { error }) },
              timerId: null,
              dueAt: now,
            },
          ]);
        settled += 1;
      });
    }
    return settled;
  };
}

/** Production's outbox item at the step of the sandbox's run that enqueued `itemId`, if any. */
async function productionItem(
  sandbox: SandboxRuntime,
  workspaceId: string,
  runId: string,
  itemId: string,
  byEvent: ReadonlyMap<string, ProductionTrigger>,
) {
  const run = await sandbox.store.runs.getRun(workspaceId, runId);
  const t = run ? byEvent.get(run.triggerKey) : undefined;
  if (!t) return undefined;
  const steps = await sandbox.store.runs.listRunSteps(workspaceId, runId);
  const step = steps.find((s) => enqueued(s.effects).some((e) => e.outboxId === itemId))?.step;
  return step ? t.deliveries.get(step) : undefined;
}

/** Moves simulated time to `atMs`, running every timer, milestone and schedule due on the way. */
async function advanceTo(sandbox: SandboxRuntime, settle: Settle, atMs: number) {
  for (let pass = 0; pass < REPLAY_LIMITS.passes; pass++) {
    await runDue(sandbox, settle);
    const inMs = await sandbox.nextDueInMs();
    const now = sandbox.clock.now().getTime();
    if (inMs === undefined || now + inMs > atMs) break;
    sandbox.clock.advance(Math.max(inMs, 1));
  }
  sandbox.clock.advance(atMs - sandbox.clock.now().getTime());
  await runDue(sandbox, settle);
}

/** The draft's runs in the sandbox by the production event that started them. */
async function draftRuns(sandbox: SandboxRuntime, workspaceId: string, workflowId: string): Promise<Map<string, RunRow>> {
  const runs = await sandbox.store.runs.queryRuns({ workspaceId, workflowId, limit: REPLAY_LIMITS.maxTriggers * 4 });
  return new Map(runs.map((r) => [r.triggerKey, r]));
}

/**
 * Production's owner for a run's assign step, when the draft's step of that id is the step
 * production's version ran: a replay keeps the decisions the change does not touch.
 */
function ownerPins(store: Store, workspaceId: string, draft: WorkflowDefinition, kept: readonly ProductionTrigger[]) {
  const byEvent = new Map(kept.filter((t) => t.run).map((t) => [t.event.id, t]));
  // Compared as parsed (defaults filled in), as the draft is: a version keeps what was saved.
  const versions = new Map<number, Promise<WorkflowDefinition | undefined>>();
  const productionDefinition = (run: RunRow) => {
    let def = versions.get(run.version);
    if (!def) {
      def = store.workflows.getVersion(workspaceId, run.workflowId, run.version).then((v) => {
        const parsed = v ? parseWorkflow(v.definition) : undefined;
        return parsed?.ok ? parsed.definition : undefined;
      });
      versions.set(run.version, def);
    }
    return def;
  };
  return async (triggerKey: string, step: string): Promise<string | null | undefined> => {
    const t = byEvent.get(triggerKey);
    if (!t?.run) return undefined;
    const was = (await productionDefinition(t.run))?.steps[step];
    if (!was || !isDeepStrictEqual(was, draft.steps[step])) return undefined;
    const steps = await store.runs.listRunSteps(workspaceId, t.run.id);
    for (const s of steps)
      if (s.step === step)
        for (const e of (Array.isArray(s.effects) ? s.effects : []) as Array<{ command?: string; user_id?: string | null }>)
          if (e.command === "assign_owner") return e.user_id ?? null;
    return undefined;
  };
}

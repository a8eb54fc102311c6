/**
 * Applies an engine decision's commands inside the step's transaction, as the workflow's
 * identity. Record writes go through the RecordWriter (validated, audited, evented like any
 * other write, caused by the run). Returns what was done, for the execution log.
 */
import type { CallContext } from "../app/context.js";
import type { IdGenerator } from "../app/ports.js";
import type { RecordWriter } from "../app/records/record-writer.js";
import { nextInRotation } from "../crm/assignment.js";
import type { ObjectName } from "../crm/fields.js";
import type { Command } from "../engine/commands.js";
import { DEFAULT_LIMITS, type PersonSpec, type WorkflowDefinition } from "../engine/definition.js";
import { initialState } from "../engine/run-state.js";
import type { StoredRecord, StoreTx } from "../store/ports.js";
import type { RunRow } from "../store/workflow-ports.js";
import { type BuiltOutboxPayload, buildOutboxPayload, loadOutboxView } from "./outbox-payloads.js";

/** A command that cannot be carried out (no such team, nobody to assign): the step fails. */
export class ApplyError extends Error {}

export interface Effect {
  command: Command["type"];
  [detail: string]: unknown;
}

export interface ApplyContext {
  tx: StoreTx;
  run: RunRow;
  /** The run's workflow version's quotas (engineering.md §3.10); defaults when unset. */
  limits?: WorkflowDefinition["limits"];
  record: StoredRecord;
  call: CallContext;
  writer: RecordWriter;
  ids: IdGenerator;
  now: string;
}

async function user(tx: StoreTx, workspaceId: string, id: unknown): Promise<StoredRecord | undefined> {
  if (typeof id !== "string") return undefined;
  const r = await tx.records.getRecord(workspaceId, id);
  return r?.object === "user" ? r : undefined;
}

/** Resolves a person spec against the record; undefined when it leads nowhere. */
export async function resolvePerson(
  tx: StoreTx,
  record: StoredRecord,
  spec: PersonSpec,
): Promise<{ userId: string; why: string } | undefined> {
  const ws = record.workspaceId;
  if ("user_id" in spec) return (await user(tx, ws, spec.user_id)) ? { userId: spec.user_id, why: `user ${spec.user_id}` } : undefined;
  if ("field" in spec) {
    const u = await user(tx, ws, record.data[spec.field]);
    return u ? { userId: u.id, why: `the record's ${spec.field} (${u.data.name})` } : undefined;
  }
  if ("manager_of" in spec) {
    const u = await user(tx, ws, record.data[spec.manager_of]);
    const m = await user(tx, ws, u?.data.manager_id);
    return m && u ? { userId: m.id, why: `${m.data.name}, manager of ${u.data.name}` } : undefined;
  }
  const u = await user(tx, ws, record.data[spec.team_lead_of]);
  const team = typeof u?.data.team_id === "string" ? await tx.records.getRecord(ws, u.data.team_id) : undefined;
  const lead = await user(tx, ws, team?.data.lead_id);
  return lead && team && u ? { userId: lead.id, why: `${lead.data.name}, lead of ${u.data.name}'s team ${team.data.name}` } : undefined;
}

async function findTeam(tx: StoreTx, workspaceId: string, idOrName: string): Promise<StoredRecord | undefined> {
  const byId = await tx.records.getRecord(workspaceId, idOrName);
  if (byId?.object === "team") return byId;
  const [byName] = await tx.records.queryRecords({
    workspaceId,
    object: "team",
    filter: { field: { name: "name", type: "string", label: "name" }, op: "eq", value: idOrName },
    sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
    limit: 1,
  });
  return byName;
}

async function chooseOwner(a: ApplyContext, c: Extract<Command, { type: "assign_owner" }>): Promise<{ userId: string; why: string }> {
  const { tx, record } = a;
  const ws = record.workspaceId;
  const current = record.data[c.field];
  const exclude = new Set<string>(c.excludeCurrent && typeof current === "string" ? [current] : []);
  if ("round_robin_team" in c.to) {
    const team = await findTeam(tx, ws, c.to.round_robin_team);
    if (!team) throw new ApplyError(`no team "${c.to.round_robin_team}" to rotate over`);
    const members = await tx.records.queryRecords({
      workspaceId: ws,
      object: "user",
      filter: { field: { name: "team_id", type: "reference", label: "team" }, op: "eq", value: team.id },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: 1_000,
    });
    const key = `team:${team.id}`;
    const choice = nextInRotation(
      `team ${team.data.name}`,
      members.map((m) => ({ id: m.id, name: String(m.data.name), active: m.data.active !== false && m.data.role !== "manager" })),
      await tx.rotations.getRotation(ws, key),
      exclude,
    );
    if (!choice.ok) throw new ApplyError(choice.why);
    await tx.rotations.setRotation(ws, key, choice.userId);
    return choice;
  }
  if ("company_owner" in c.to) {
    const company = typeof record.data.company_id === "string" ? await tx.records.getRecord(ws, record.data.company_id) : undefined;
    const owner = await user(tx, ws, company?.data.owner_id);
    if (!owner || !company || exclude.has(owner.id)) throw new ApplyError("the record's company has no owner to assign");
    return { userId: owner.id, why: `owner of company ${company.data.name}` };
  }
  const person = await resolvePerson(tx, record, c.to);
  if (!person || exclude.has(person.userId)) throw new ApplyError(`nobody to assign: ${JSON.stringify(c.to)} leads to no other user`);
  return person;
}

export async function applyCommands(a: ApplyContext, commands: readonly Command[]): Promise<Effect[]> {
  const effects: Effect[] = [];
  const ws = a.record.workspaceId;
  let record = a.record;
  const update = async (fields: Record<string, unknown>) => {
    record = await a.writer.update(a.call, record.object, { id: record.id, fields }, a.tx);
    return record;
  };
  for (const c of commands) {
    switch (c.type) {
      case "update_record":
        await update(c.fields);
        effects.push({ command: c.type, record_id: record.id, fields: c.fields });
        break;
      case "create_record": {
        const fields = { ...c.fields };
        if (c.owner && c.object === "task") {
          const owner = await resolvePerson(a.tx, record, c.owner);
          if (owner) fields.owner_id = owner.userId;
        }
        const [created] = await a.writer.createMany(a.call, c.object, [fields], { tx: a.tx, pathOf: () => [] });
        effects.push({ command: c.type, object: c.object, record_id: created?.id, fields });
        break;
      }
      case "assign_owner": {
        const choice = await chooseOwner({ ...a, record }, c);
        await update({ [c.field]: choice.userId });
        effects.push({ command: c.type, field: c.field, user_id: choice.userId, why: choice.why });
        break;
      }
      case "change_score": {
        const now = Number(record.data[c.field] ?? 0);
        await update({ [c.field]: now + c.by });
        effects.push({ command: c.type, field: c.field, from: now, to: now + c.by });
        break;
      }
      case "notify": {
        const to = await resolvePerson(a.tx, record, c.to);
        if (!to) throw new ApplyError(`nobody to notify: ${JSON.stringify(c.to)} leads to no user`);
        const id = a.ids.next();
        await a.tx.notifications.insertNotification({
          workspaceId: ws,
          id,
          userId: to.userId,
          message: c.message,
          recordId: record.id,
          runId: a.run.id,
          createdAt: a.now,
          readAt: null,
        });
        effects.push({ command: c.type, notification_id: id, user_id: to.userId, why: to.why });
        break;
      }
      case "start_timer":
        await a.tx.work.insertWorkItems([
          { workspaceId: ws, runId: a.run.id, input: { kind: "timer_fired", timerId: c.timerId }, timerId: c.timerId, dueAt: c.dueAt },
        ]);
        effects.push({ command: c.type, timer_id: c.timerId, due_at: c.dueAt });
        break;
      case "cancel_timer":
        await a.tx.work.cancelTimer(ws, c.timerId);
        effects.push({ command: c.type, timer_id: c.timerId });
        break;
      case "enroll": {
        const target = await a.tx.workflows.getWorkflowByKey(ws, c.workflow);
        const version = target?.liveVersion;
        if (!target || !version) throw new ApplyError(`workflow "${c.workflow}" is not published`);
        const def = (await a.tx.workflows.getVersion(ws, target.id, version))?.definition as
          | { start: string; object: ObjectName }
          | undefined;
        if (!def || def.object !== record.object)
          throw new ApplyError(`workflow "${c.workflow}" runs on ${def?.object ?? "another object"}, not ${record.object}`);
        const runId = a.ids.next();
        const inserted = await a.tx.runs.insertRun({
          workspaceId: ws,
          id: runId,
          workflowId: target.id,
          version,
          recordId: record.id,
          triggerKey: `enrolled-by:${a.run.id}:${a.run.seq + 1}`,
          state: initialState(def.start),
          seq: 0,
          depth: a.run.depth + 1,
          createdAt: a.now,
          updatedAt: a.now,
          finishedAt: null,
        });
        if (inserted)
          await a.tx.work.insertWorkItems([{ workspaceId: ws, runId, input: { kind: "continue" }, timerId: null, dueAt: a.now }]);
        effects.push({ command: c.type, workflow: c.workflow, run_id: runId });
        break;
      }
      case "unenroll": {
        const target = await a.tx.workflows.getWorkflowByKey(ws, c.workflow);
        const active = target ? (await a.tx.runs.activeRunsOf(ws, [record.id])).filter((r) => r.workflowId === target.id) : [];
        await a.tx.work.insertWorkItems(
          active.map((r) => ({
            workspaceId: ws,
            runId: r.id,
            input: { kind: "cancel", reason: `unenrolled by run ${a.run.id}` },
            timerId: null,
            dueAt: a.now,
          })),
        );
        effects.push({ command: c.type, workflow: c.workflow, runs: active.map((r) => r.id) });
        break;
      }
      case "enqueue_external": {
        // Nothing to send: the action failed, as if delivery had — the run takes its on_failure
        // path, or fails with this.
        const failed = async (reason: string) => {
          await a.tx.work.insertWorkItems([
            {
              workspaceId: ws,
              runId: a.run.id,
              input: { kind: "action_result", key: c.key, ok: false, error: reason },
              timerId: null,
              dueAt: a.now,
            },
          ]);
          effects.push({ command: c.type, key: c.key, error: reason });
        };
        // Rendered now, over the record as this step sees it; the dispatcher delivers it later.
        let built: BuiltOutboxPayload;
        try {
          built = buildOutboxPayload(c.action, await loadOutboxView(a.tx, record, c.action), c.key);
        } catch (error) {
          // No address, a template that fails on this record's values.
          await failed(`${c.action.type} could not be prepared: ${error instanceof Error ? error.message : String(error)}`);
          break;
        }
        const quota = quotaOf(c.action.type, a.limits);
        const window = hourOf(a.now);
        const use = await a.tx.quotas.takeQuota(ws, a.run.workflowId, quota.name, window, quota.limit);
        if (!use.taken) {
          const reason = `${c.action.type} not sent: this workflow's quota of ${quota.limit} ${quota.noun} per hour is used up (the hour from ${window})`;
          await a.tx.workflows.appendWorkflowLog([
            {
              workspaceId: ws,
              workflowId: a.run.workflowId,
              recordId: record.id,
              eventId: null,
              kind: "suppressed",
              message: reason,
              at: a.now,
            },
          ]);
          await failed(reason);
          break;
        }
        const id = a.ids.next();
        const inserted = await a.tx.outbox.insertOutboxItems([
          {
            workspaceId: ws,
            id,
            key: c.key,
            kind: built.kind,
            connector: built.connector,
            subscriptionId: null,
            runId: a.run.id,
            recordId: record.id,
            payload: built.payload,
            nextAttemptAt: a.now,
          },
        ]);
        effects.push({ command: c.type, outbox_id: inserted ? id : null, key: c.key, kind: built.kind, connector: built.connector });
        break;
      }
    }
  }
  return effects;
}

/** Which quota an external action counts against, and its limit for this workflow. */
function quotaOf(action: string, limits: WorkflowDefinition["limits"]): { name: string; noun: string; limit: number } {
  if (action === "send_email") return { name: "email", noun: "emails", limit: limits?.emails_per_hour ?? DEFAULT_LIMITS.emails_per_hour };
  return { name: "calls", noun: "calls", limit: limits?.calls_per_hour ?? DEFAULT_LIMITS.calls_per_hour };
}

/** The start of the clock hour (UTC) of an ISO-8601 UTC instant. */
function hourOf(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

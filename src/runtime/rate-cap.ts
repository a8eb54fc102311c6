/**
 * The workflow rate cap: a workflow starts at most `maxRunsPerWindow` runs per clock window
 * (500 per 60 s by default). Enrolments over the rate are not dropped: each takes the next free
 * start slot — in the current window while it has room, else in the first later window with
 * room, spread evenly over that window — and its run is created at once with its `continue`
 * work item due at the slot (a deferred run). So a burst of genuine enrolments (an import, a
 * busy web form, matching that catches up after a restart) starts in order at the capped rate;
 * only chains a workflow causes itself are stopped (matcher.ts: own writes, causal depth).
 *
 * The slots are counted in one row per workflow (`workflow_rates`: the window of the latest slot
 * and how many of its slots are taken), read and locked once per matcher pass for the workflows
 * it enrolls in and written back once: O(1) per workflow, whatever the number of runs.
 */
import type { IdGenerator } from "../app/ports.js";
import { fieldsOf } from "../crm/custom-fields.js";
import { checkFilter } from "../crm/filter.js";
import type { StoreTx } from "../store/ports.js";
import type { WorkflowRate } from "../store/rate-ports.js";
import type { WorkflowLogRow } from "../store/workflow-ports.js";

export interface RateLimits {
  /** Runs one workflow may start per window. Default 500. */
  maxRunsPerWindow: number;
  /** The window, aligned on multiples of it since the epoch (60 s: clock minutes). */
  windowMs: number;
  /** The admins are told when a workflow's backlog reaches this many windows. Default 5. */
  backlogAlertWindows: number;
}

const BY_ID = { field: { name: "id", type: "string", label: "id" }, direction: "asc" } as const;

/** Tell the admins about one workflow's backlog at most this often. */
export const ALERT_EVERY_MS = 60 * 60_000;

export interface Slot {
  /** When the run starts (epoch ms): now, or its slot in a later window. */
  atMs: number;
  deferred: boolean;
}

/**
 * Takes the next start slot of a workflow whose latest slot was the `used`-th of the window
 * starting at `windowStartMs`; moves the counter on (it is the caller's copy of the row).
 * Slots are given out in order: an enrolment never starts before an earlier one.
 */
export function takeSlot(rate: { windowStartMs: number; used: number }, nowMs: number, cap: number, windowMs: number): Slot {
  const current = Math.floor(nowMs / windowMs) * windowMs;
  if (rate.windowStartMs < current) {
    rate.windowStartMs = current;
    rate.used = 0;
  }
  if (rate.used >= cap) {
    rate.windowStartMs += windowMs;
    rate.used = 0;
  }
  const index = rate.used;
  rate.used += 1;
  if (rate.windowStartMs <= current) return { atMs: nowMs, deferred: false };
  return { atMs: rate.windowStartMs + Math.floor((index * windowMs) / cap), deferred: true };
}

const key = (workspaceId: string, workflowId: string) => `${workspaceId}\u0000${workflowId}`;

interface Deferrals {
  workspaceId: string;
  workflowId: string;
  count: number;
  recordId: string;
  firstMs: number;
  lastMs: number;
}

/**
 * The slots one transaction gives out (a matcher pass, a time trigger firing): the rows of its
 * workflows are read and locked on first use, moved in memory, and written back by `finish`
 * with one log entry per workflow that deferred enrolments, and an alert to the admins when a
 * workflow's backlog reaches `backlogAlertWindows` windows.
 */
export class RateBook {
  private readonly rows = new Map<string, { row: WorkflowRate; windowStartMs: number; used: number }>();
  private readonly loaded = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly deferrals = new Map<string, Deferrals>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: Date,
    private readonly ids: IdGenerator,
  ) {}

  /** Reads and locks the rows of these workflows, once (one statement for all of them). */
  async load(tx: StoreTx, workspaceId: string, workflowIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(workflowIds)].filter((id) => !this.loaded.has(key(workspaceId, id)));
    if (missing.length === 0) return;
    for (const row of await tx.rates.lockWorkflowRates(workspaceId, missing))
      this.rows.set(key(workspaceId, row.workflowId), { row, windowStartMs: Date.parse(row.windowStart), used: row.used });
    for (const id of missing) this.loaded.add(key(workspaceId, id));
  }

  /** The next start slot of the workflow, for the record's enrolment. */
  async take(tx: StoreTx, workspaceId: string, workflowId: string, recordId: string): Promise<Slot> {
    const k = key(workspaceId, workflowId);
    await this.load(tx, workspaceId, [workflowId]);
    let entry = this.rows.get(k);
    if (!entry) {
      const row: WorkflowRate = { workspaceId, workflowId, windowStart: this.now.toISOString(), used: 0, alertedAt: null };
      entry = { row, windowStartMs: 0, used: 0 };
      this.rows.set(k, entry);
    }
    const slot = takeSlot(entry, this.now.getTime(), this.limits.maxRunsPerWindow, this.limits.windowMs);
    this.dirty.add(k);
    if (slot.deferred) {
      const d = this.deferrals.get(k);
      if (d) {
        d.count += 1;
        d.lastMs = slot.atMs;
      } else this.deferrals.set(k, { workspaceId, workflowId, count: 1, recordId, firstMs: slot.atMs, lastMs: slot.atMs });
    }
    return slot;
  }

  /** Writes the moved rows, the log of deferrals and the admins' alerts. Call once, last. */
  async finish(tx: StoreTx): Promise<void> {
    if (this.dirty.size === 0) return;
    const { maxRunsPerWindow: cap, windowMs, backlogAlertWindows } = this.limits;
    const at = this.now.toISOString();
    const nowMs = this.now.getTime();
    const log: WorkflowLogRow[] = [];
    for (const d of this.deferrals.values()) {
      const entry = this.rows.get(key(d.workspaceId, d.workflowId));
      if (!entry) continue;
      const first = new Date(d.firstMs).toISOString();
      const last = new Date(d.lastMs).toISOString();
      log.push({
        workspaceId: d.workspaceId,
        workflowId: d.workflowId,
        recordId: d.count === 1 ? d.recordId : null,
        eventId: null,
        kind: "deferred",
        message:
          d.count === 1
            ? `rate cap: over ${cap} runs per ${windowMs / 1000} s; the enrolment of record ${d.recordId} is deferred, not dropped: its run starts at ${first}`
            : `rate cap: over ${cap} runs per ${windowMs / 1000} s; ${d.count} enrolments are deferred, not dropped: their runs start in order from ${first} to ${last}`,
        at,
      });
      const backlogMs = d.lastMs - nowMs;
      const alerted = entry.row.alertedAt ? Date.parse(entry.row.alertedAt) : undefined;
      if (backlogMs >= backlogAlertWindows * windowMs && (alerted === undefined || nowMs - alerted >= ALERT_EVERY_MS)) {
        entry.row = { ...entry.row, alertedAt: at };
        await this.alertAdmins(tx, d, last, backlogMs);
      }
    }
    await tx.rates.saveWorkflowRates(
      [...this.dirty].flatMap((k) => {
        const entry = this.rows.get(k);
        return entry ? [{ ...entry.row, windowStart: new Date(entry.windowStartMs).toISOString(), used: entry.used }] : [];
      }),
    );
    await tx.workflows.appendWorkflowLog(log);
    this.dirty.clear();
    this.deferrals.clear();
  }

  /** An in-app notification to every active admin (or to `admins` when no user record is an admin). */
  private async alertAdmins(tx: StoreTx, d: Deferrals, last: string, backlogMs: number) {
    const workflow = await tx.workflows.getWorkflow(d.workspaceId, d.workflowId);
    const waiting = await tx.rates.deferredRuns(d.workspaceId, d.workflowId);
    const { maxRunsPerWindow: cap, windowMs } = this.limits;
    const message =
      `Workflow "${workflow?.name ?? d.workflowId}" keeps enrolling faster than its rate cap of ${cap} runs per ${windowMs / 1000} s: ` +
      `${Math.max(waiting.count, d.count)} enrolments wait, the last starts at ${last} (in ${Math.round(backlogMs / 60_000)} min). ` +
      "Nothing is dropped; if this is not an expected burst (an import), look for a runaway, or raise HANDOFF_WORKFLOW_RATE_CAP.";
    const checked = checkFilter({ field: "role", op: "eq", value: "admin" }, fieldsOf("user", []));
    const admins = checked.ok
      ? (
          await tx.records.queryRecords({ workspaceId: d.workspaceId, object: "user", filter: checked.filter, sort: BY_ID, limit: 100 })
        ).filter((u) => u.data.active !== false)
      : [];
    const to = admins.length > 0 ? admins.map((u) => u.id) : ["admins"];
    for (const userId of to)
      await tx.notifications.insertNotification({
        workspaceId: d.workspaceId,
        id: this.ids.next(),
        userId,
        message,
        recordId: null,
        runId: null,
        createdAt: this.now.toISOString(),
        readAt: null,
      });
  }
}

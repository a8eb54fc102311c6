/**
 * Clocks follow records (docs/sla.md, "Clocks"): a matcher event hook, so that every change of a
 * clock commits with the matcher's pass over the event that caused it. For a record's event, for
 * each policy of its object:
 *
 * - an open clock **stops** when the policy's `stops` matches (a field's value among `in`; a
 *   field changed) — met or missed — or, as **cancelled**, when the record is deleted or
 *   `applies_when` no longer holds (the record is no longer measured: a ticket re-filed as spam),
 *   or when the record is merged into another (the survivor's `record.merged` names it: its
 *   clocks end "merged into <object> <id>"; the survivor's own clocks go on, and an undo of the
 *   merge does not reopen them — docs/data-quality.md "Merge");
 * - otherwise it **pauses** while `pause_when` holds and **resumes** when it stops holding; it
 *   is **retargeted** when the `targets_by` field changes (the consumed time kept, the rest
 *   measured against the new target) and moved to the new owner's calendar when the owner
 *   changes and the policy measures on the owner's or their team's calendar (`rebase`);
 * - an enabled policy without an open clock on the record **starts** one when `starts` matches,
 *   `applies_when` holds and `stops` is not already met, under the policy's lock
 *   (`slaPolicyLockKey`: a delete counting open clocks waits for it; the partial unique index is
 *   the last word).
 *
 * An activity's creation stops the open clocks of the record it is about (`related_id`) whose
 * policy stops on activities of its type — by the record's owner (the activity's `user_id`, else
 * the person who logged it) when `by` is `owner`.
 *
 * Instants are the event's (`occurred_at`: when the change was committed), never earlier than
 * the clock's last change. Conditions see the record as the matcher's pass read it, like
 * workflow conditions do.
 */

import { mergedInto } from "../../app/merges/merge-service.js";
import type { Clock, IdGenerator } from "../../app/ports.js";
import { type CalendarWorld, calendarWorld, type SlaCalendars } from "../../app/sla/clock-calendars.js";
import { slaPolicyLockKey } from "../../app/sla/sla-admin.js";
import { clockPlanFor, durationMs, targetFor } from "../../app/sla/sla-plan.js";
import { ownerFieldOf } from "../../crm/objects.js";
import { pauseClock, readClock, rebase, resumeClock, startClock, stopClock } from "../../crm/sla/clock.js";
import type { Facts } from "../../engine/conditions.js";
import { sameJson } from "../../engine/triggers/kind.js";
import { isSlaEvent } from "../../store/event-ports.js";
import type { DomainEvent, StoredRecord, StoreTx } from "../../store/ports.js";
import type { SlaClockRow, SlaStop } from "../../store/sla-ports.js";
import { loadFacts } from "../facts.js";
import type { EventHook } from "../matcher.js";
import type { CompiledSlaPolicy, SlaPolicies } from "./policies.js";
import { ClockChange } from "./state.js";

export interface FollowDeps {
  policies: SlaPolicies;
  calendars: SlaCalendars;
  clock: Clock;
  ids: IdGenerator;
}

const changeOf = (event: DomainEvent, field: string) => event.changes.find((c) => c.field === field);

/** Whether the value is one of `values`, compared as a condition compares (as JSON, or as text for numbers written as text). */
function among(value: unknown, values: readonly unknown[]): boolean {
  return values.some((v) => sameJson(v, value) || (value !== null && value !== undefined && String(v) === String(value)));
}

/** Why a record event stops the clock (met or missed), if it does. */
function stopsOn(stop: SlaStop, event: DomainEvent, record: StoredRecord): string | undefined {
  if (stop.on === "field_value") {
    const value = record.data[stop.field];
    return among(value, stop.in) ? `${stop.field} is ${String(value)}` : undefined;
  }
  if (stop.on === "field_changed") return changeOf(event, stop.field) ? `${stop.field} changed` : undefined;
  return undefined;
}

/** Whether the event is one the policy starts a clock on. */
function startsOn(p: CompiledSlaPolicy, event: DomainEvent): boolean {
  const s = p.def.starts;
  if (s.on === "created") return event.type === "record.created";
  if (event.type !== "record.created" && event.type !== "record.updated") return false;
  const c = changeOf(event, s.field);
  if (!c) return false;
  return s.to === undefined || among(c.new, s.to);
}

export function slaEventHook(deps: FollowDeps): EventHook {
  const follow = new FollowRecords(deps);
  return (tx, event, record) => follow.onEvent(tx, event, record);
}

class FollowRecords {
  constructor(private readonly deps: FollowDeps) {}

  async onEvent(tx: StoreTx, event: DomainEvent, record: StoredRecord | undefined): Promise<void> {
    if (isSlaEvent(event.type) || event.type === "external.received") return;
    if (event.object === "activity" && event.type === "record.created" && record) await this.onActivity(tx, event, record);
    if (event.type === "record.merged") await this.onMerged(tx, event);
    const policies = await this.deps.policies.of(tx, event.workspaceId, event.object);
    if (policies.length === 0) return;
    await this.onRecord(tx, event, record, policies);
  }

  private at(event: DomainEvent): number {
    const ms = Date.parse(event.occurredAt);
    return Number.isFinite(ms) ? ms : this.deps.clock.now().getTime();
  }

  private async onRecord(tx: StoreTx, event: DomainEvent, record: StoredRecord | undefined, policies: CompiledSlaPolicy[]) {
    const ws = event.workspaceId;
    const at = this.at(event);
    const open = await tx.sla.lockOpenSlaClocks(ws, event.recordId);
    const byId = new Map(policies.map((p) => [p.row.id, p]));
    let world: CalendarWorld | undefined;
    const worldOf = async () => {
      world ??= await calendarWorld(tx, ws);
      return world;
    };
    const factsCache = new Map<CompiledSlaPolicy, Facts>();
    const facts = async (p: CompiledSlaPolicy, r: StoredRecord) => {
      let f = factsCache.get(p);
      if (!f) {
        f = await loadFacts(tx, r, p.needs, at, event.changes);
        factsCache.set(p, f);
      }
      return f;
    };
    const hadClock = new Set<string>();
    for (const row of open) {
      hadClock.add(row.policyId);
      const p = byId.get(row.policyId);
      if (!p) continue;
      const change = new ClockChange(row, this.deps.calendars.stored(await worldOf(), row.calendar));
      const when = Math.max(at, change.state.since);
      if (!record) {
        this.stop(change, when, "cancelled", "the record was deleted");
      } else {
        await this.follow(tx, change, p, event, record, when, await facts(p, record), worldOf);
      }
      await write(tx, change);
    }
    if (!record || event.type === "record.deleted") return;
    for (const p of policies) {
      if (hadClock.has(p.row.id) || !p.def.enabled || !startsOn(p, event)) continue;
      const f = await facts(p, record);
      if (p.appliesWhen && !p.appliesWhen.test(f)) continue;
      if (stopsOn(p.def.stops, { ...event, changes: [] }, record) !== undefined) continue;
      await this.start(tx, p, record, at, f, await worldOf());
    }
  }

  /** An open clock's stop, cancellation, pause or resume, new target and new calendar on a record event. */
  private async follow(
    tx: StoreTx,
    change: ClockChange,
    p: CompiledSlaPolicy,
    event: DomainEvent,
    record: StoredRecord,
    at: number,
    facts: Facts,
    worldOf: () => Promise<CalendarWorld>,
  ) {
    const stopped = stopsOn(p.def.stops, event, record);
    if (stopped !== undefined) return this.stop(change, at, "by_policy", stopped);
    if (p.appliesWhen && !p.appliesWhen.test(facts))
      return this.stop(change, at, "cancelled", `the policy no longer applies: ${p.appliesWhen.explain(facts)}`);
    if (p.pauseWhen) {
      const holds = p.pauseWhen.test(facts);
      if (holds && change.state.phase === "running") {
        change.state = pauseClock(change.state, change.cal, at);
        change.note(at, "paused", { why: p.pauseWhen.explain(facts), consumed_ms: change.state.consumedMs });
      } else if (!holds && change.state.phase === "paused") {
        change.state = resumeClock(change.state, at);
        change.note(at, "resumed", { why: p.pauseWhen.explain(facts), consumed_ms: change.state.consumedMs });
      }
    }
    const by = p.def.targets_by;
    if (by && changeOf(event, by.field)) {
      const chosen = targetFor(p.def, record);
      const targetMs = durationMs(chosen.target);
      if (targetMs !== change.plan.targetMs) {
        const from = change.plan.targetMs;
        change.state = rebase(change.state, change.cal, at, targetMs);
        change.plan = { ...change.plan, targetMs };
        change.note(at, "retargeted", { target_ms: { from, to: targetMs }, by: chosen.by ?? null, field: by.field });
      }
    }
    const ref = change.calendar.ref;
    const ownerField = ownerFieldOf(record.object);
    if (ownerField && "of" in ref && ref.of !== "workspace" && changeOf(event, ownerField)) {
      const next = await this.deps.calendars.resolve(tx, await worldOf(), record, ref);
      if (next.stored.id !== change.calendar.id) {
        const from = { id: change.calendar.id, name: change.calendar.name };
        change.state = rebase(change.state, change.cal, at);
        change.calendar = next.stored;
        change.cal = next.cal;
        change.note(at, "retargeted", {
          calendar: { from, to: { id: next.stored.id, name: next.stored.name } },
          why: `${ownerField} changed`,
        });
      }
    }
  }

  /** Stops the clock: met or missed by the policy's stop, or cancelled (it no longer applies). */
  private stop(change: ClockChange, at: number, how: "by_policy" | "cancelled", why: string) {
    change.state = stopClock(change.state, change.cal, at);
    const outcome = how === "cancelled" ? "cancelled" : readClock(change.state, change.plan, change.cal, at).status;
    change.note(at, "stopped", { outcome, why, consumed_ms: change.state.consumedMs, target_ms: change.plan.targetMs });
  }

  private async start(tx: StoreTx, p: CompiledSlaPolicy, record: StoredRecord, at: number, facts: Facts, world: CalendarWorld) {
    const ws = record.workspaceId;
    // A delete of the policy counts its open clocks under the same lock: it waits for this
    // clock, or this start sees the policy gone (or switched off) once the delete committed.
    await tx.lockKey(slaPolicyLockKey(ws, p.row.id));
    const current = await tx.sla.getSlaPolicy(ws, p.row.id);
    if (!current?.definition.enabled) return;
    const policy = this.deps.policies.compile(current);
    const plan = clockPlanFor(policy.def, record);
    const { stored, cal } = await this.deps.calendars.resolve(tx, world, record, policy.def.calendar);
    const state = startClock(plan, at);
    const iso = new Date(at).toISOString();
    const row: SlaClockRow = {
      workspaceId: ws,
      id: this.deps.ids.next(),
      policyId: current.id,
      policyVersion: current.version,
      recordId: record.id,
      phase: state.phase,
      plan,
      calendar: stored,
      consumedMs: 0,
      since: iso,
      startedAt: iso,
      stoppedAt: null,
      fired: [],
      nextDueAt: null,
      version: 0,
    };
    const change = new ClockChange(row, cal);
    change.note(at, "started", {
      policy_version: current.version,
      target_ms: plan.targetMs,
      ...(targetFor(policy.def, record).by !== undefined ? { target_by: targetFor(policy.def, record).by } : {}),
      calendar: { id: stored.id, name: stored.name, time_zone: cal.zone },
    });
    if (policy.pauseWhen?.test(facts)) {
      change.state = pauseClock(change.state, cal, at);
      change.note(at, "paused", { why: policy.pauseWhen.explain(facts), consumed_ms: 0 });
    }
    const { row: written, history } = change.result();
    // The partial unique index (one open clock per policy and record) is the backstop.
    if (!(await tx.sla.insertSlaClock(written))) return;
    await tx.sla.appendSlaClockHistory(history);
  }

  /** The merged record of a survivor's `record.merged`: its open clocks end, cancelled, whatever their policy. */
  private async onMerged(tx: StoreTx, event: DomainEvent) {
    const mergedId = event.detail?.merged_id;
    if (typeof mergedId !== "string") return;
    const open = await tx.sla.lockOpenSlaClocks(event.workspaceId, mergedId);
    if (open.length === 0) return;
    const world = await calendarWorld(tx, event.workspaceId);
    const at = this.at(event);
    for (const row of open) {
      const change = new ClockChange(row, this.deps.calendars.stored(world, row.calendar));
      this.stop(change, Math.max(at, change.state.since), "cancelled", mergedInto(event.object, event.recordId));
      await write(tx, change);
    }
  }

  /** An activity logged on a record stops its clocks that wait for one of its type (by its owner, or anyone). */
  private async onActivity(tx: StoreTx, event: DomainEvent, activity: StoredRecord) {
    const relatedId = activity.data.related_id;
    if (typeof relatedId !== "string") return;
    const record = await tx.records.getRecord(activity.workspaceId, relatedId);
    if (!record) return;
    const policies = (await this.deps.policies.of(tx, record.workspaceId, record.object)).filter(
      (p) => p.def.stops.on === "activity" && p.def.stops.types.includes(String(activity.data.type)),
    );
    if (policies.length === 0) return;
    const open = await tx.sla.lockOpenSlaClocks(record.workspaceId, record.id);
    if (open.length === 0) return;
    const ownerField = ownerFieldOf(record.object);
    const owner = ownerField ? record.data[ownerField] : undefined;
    const by =
      typeof activity.data.user_id === "string" ? activity.data.user_id : event.actor.kind === "person" ? event.actor.id : undefined;
    const at = this.at(event);
    let world: CalendarWorld | undefined;
    for (const row of open) {
      const p = policies.find((x) => x.row.id === row.policyId);
      const stop = p?.def.stops;
      if (!p || stop?.on !== "activity") continue;
      if (stop.by === "owner" && (owner === undefined || owner === null || by !== owner)) continue;
      world ??= await calendarWorld(tx, record.workspaceId);
      const change = new ClockChange(row, this.deps.calendars.stored(world, row.calendar));
      const who = stop.by === "owner" ? "by the owner" : by ? `by ${by}` : "";
      this.stop(change, Math.max(at, change.state.since), "by_policy", `${activity.data.type} ${activity.id} logged ${who}`.trim());
      await write(tx, change);
    }
  }
}

async function write(tx: StoreTx, change: ClockChange) {
  if (!change.changed) return;
  const { row, history } = change.result();
  // Locked by this transaction (lockOpenSlaClocks): only a write outside the locks could move it.
  if (!(await tx.sla.updateSlaClock(row, change.row.version)))
    throw new Error(`SLA clock ${row.id} was changed meanwhile (version ${change.row.version}); the matcher's pass is redone`);
  await tx.sla.appendSlaClockHistory(history);
}

/**
 * SLA clocks as people read them (docs/sla.md, "Reading clocks"): a record's clocks with their
 * history, and the at-risk list — open clocks in warning or in breach, with the record, its owner
 * and the owner's team, by page. Each clock is read with the pure `readClock` at the moment of the
 * request: status (running, paused, warning, breached, met, missed; `cancelled` when it stopped
 * because the policy no longer applied or the record was deleted), the instant the target falls
 * due, the business time left and consumed, and the next milestone. Every signed-in role reads
 * them for the records of its workspace; another workspace's record is a 404.
 */

import type { ObjectName } from "../../crm/fields.js";
import { OBJECTS, ownerFieldOf } from "../../crm/objects.js";
import { type ClockStatus, nextDue, readClock } from "../../crm/sla/clock.js";
import type { Store, StoredRecord } from "../../store/ports.js";
import type { SlaClockEvent, SlaClockRow, SlaPolicyRow } from "../../store/sla-ports.js";
import type { CallContext } from "../context.js";
import { AppError, notFound } from "../errors.js";
import type { Clock } from "../ports.js";
import type { RecordReader } from "../records/record-reader.js";
import { type CalendarWorld, calendarWorld, type SlaCalendars } from "./clock-calendars.js";

export type SlaClockStatus = ClockStatus | "cancelled";

export interface SlaClockView {
  id: string;
  policy: { id: string; name: string };
  policy_version: number;
  record_id: string;
  status: SlaClockStatus;
  phase: "running" | "paused" | "stopped";
  /** When the target falls due while running; null when paused or stopped. */
  due_at: string | null;
  /** Business time left to the target, ms (negative once breached). */
  left_ms: number;
  consumed_ms: number;
  target_ms: number;
  /** The next milestone not fired yet and when it falls due (running clocks). */
  next_milestone: { key: string; level: number; due_at: string } | null;
  fired: string[];
  calendar: { name: string | null; time_zone: string };
  started_at: string;
  stopped_at: string | null;
}

export interface SlaHistoryView {
  seq: number;
  at: string;
  kind: string;
  detail: Record<string, unknown>;
}

export interface SlaClockWithHistory extends SlaClockView {
  history: SlaHistoryView[];
}

export interface SlaAtRiskItem extends SlaClockView {
  record: { id: string; object: string; title: string | null };
  owner: { id: string; name: string | null } | null;
  team: { id: string; name: string | null } | null;
}

export interface SlaClockListQuery {
  status?: string | undefined;
  policy?: string | undefined;
  team?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
/** Clocks one page looks through at most when a team narrows them (the rest is the next page's). */
const MAX_SCAN = 5_000;

export class SlaClockReader {
  constructor(
    private readonly store: Store,
    private readonly records: RecordReader,
    private readonly clock: Clock,
    private readonly calendars: SlaCalendars,
  ) {}

  /** A record's clocks, newest first, with their history. Reading the record first is the authorisation. */
  async ofRecord(ctx: CallContext, object: ObjectName, id: string): Promise<SlaClockWithHistory[]> {
    await this.records.get(ctx, object, id);
    const clocks = await this.store.sla.slaClocksOfRecord(ctx.workspaceId, id);
    if (clocks.length === 0) return [];
    const [histories, policies, world] = await Promise.all([
      this.store.sla.slaClockHistories(
        ctx.workspaceId,
        clocks.map((c) => c.id),
      ),
      this.policies(ctx.workspaceId),
      calendarWorld(this.store, ctx.workspaceId),
    ]);
    const now = this.clock.now().getTime();
    return clocks.map((c) => {
      const history = histories.get(c.id) ?? [];
      return { ...this.view(c, policies, world, now, history), history: history.map(historyView) };
    });
  }

  /** Open clocks, by id (the order they started in), optionally in warning or breach, of a policy, of a team's records. */
  async list(ctx: CallContext, q: SlaClockListQuery): Promise<{ data: SlaAtRiskItem[]; next_cursor: string | null }> {
    const ws = ctx.workspaceId;
    const limit = q.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      throw new AppError("bad_request", "invalid page size", [
        { path: ["limit"], code: "invalid_value", message: `limit must be an integer from 1 to ${MAX_PAGE}` },
      ]);
    if (q.status !== undefined && q.status !== "warning" && q.status !== "breached")
      throw new AppError("bad_request", "invalid status", [
        { path: ["status"], code: "invalid_value", message: "status is warning or breached", expected: ["warning", "breached"] },
      ]);
    const policies = await this.policies(ws);
    let policyId: string | undefined;
    if (q.policy !== undefined) {
      const p = [...policies.values()].find((x) => x.id === q.policy) ?? [...policies.values()].find((x) => x.definition.name === q.policy);
      if (!p) throw notFound(`SLA policy ${q.policy}`);
      policyId = p.id;
    }
    let teamId: string | undefined;
    if (q.team !== undefined) {
      const team = await this.team(ws, q.team);
      if (!team) throw notFound(`team ${q.team}`);
      teamId = team.id;
    }
    const world = await calendarWorld(this.store, ws);
    const now = this.clock.now().getTime();
    const out: SlaAtRiskItem[] = [];
    let after = q.cursor;
    let scanned = 0;
    let more = false;
    const people = new Map<string, StoredRecord | null>();
    const person = async (id: unknown) => {
      if (typeof id !== "string") return null;
      if (!people.has(id)) people.set(id, (await this.store.records.getRecord(ws, id)) ?? null);
      return people.get(id) ?? null;
    };
    // Without a team, one page of clocks is the answer; a team is checked on each clock's owner,
    // so clocks are read in chunks until the page is full (or MAX_SCAN were looked at).
    for (;;) {
      const want = teamId === undefined ? limit : Math.min(MAX_SCAN - scanned, limit * 4);
      const page = await this.store.sla.listOpenSlaClocks({
        workspaceId: ws,
        status: q.status as "warning" | "breached" | undefined,
        policyId,
        afterId: after,
        limit: want + 1,
      });
      const chunk = page.slice(0, want);
      const records = new Map((await this.store.records.getRecords(ws, [...new Set(chunk.map((c) => c.recordId))])).map((r) => [r.id, r]));
      more = page.length > want;
      for (const [i, c] of chunk.entries()) {
        after = c.id;
        scanned += 1;
        const record = records.get(c.recordId);
        if (!record) continue;
        const ownerField = ownerFieldOf(record.object);
        const owner = ownerField ? await person(record.data[ownerField]) : null;
        const team = owner?.object === "user" ? await person(owner.data.team_id) : null;
        if (teamId !== undefined && team?.id !== teamId) continue;
        out.push({
          ...this.view(c, policies, world, now, []),
          record: { id: record.id, object: record.object, title: titleOf(record) },
          owner: owner?.object === "user" ? { id: owner.id, name: nameOf(owner) } : null,
          team: team?.object === "team" ? { id: team.id, name: nameOf(team) } : null,
        });
        if (out.length >= limit) {
          more = more || i < chunk.length - 1;
          break;
        }
      }
      if (out.length >= limit || !more || scanned >= MAX_SCAN) break;
    }
    return { data: out, next_cursor: more && after !== undefined ? after : null };
  }

  private async policies(workspaceId: string): Promise<Map<string, SlaPolicyRow>> {
    return new Map((await this.store.sla.listSlaPolicies(workspaceId)).map((p) => [p.id, p]));
  }

  private async team(workspaceId: string, idOrName: string): Promise<StoredRecord | undefined> {
    const byId = await this.store.records.getRecord(workspaceId, idOrName);
    if (byId?.object === "team") return byId;
    const page = await this.store.records.queryRecords({
      workspaceId,
      object: "team",
      filter: { field: { name: "name", type: "string", label: "name" }, op: "eq", value: idOrName },
      sort: { field: { name: "id", type: "string", label: "id" }, direction: "asc" },
      limit: 1,
    });
    return page[0];
  }

  private view(
    c: SlaClockRow,
    policies: Map<string, SlaPolicyRow>,
    world: CalendarWorld,
    now: number,
    history: SlaClockEvent[],
  ): SlaClockView {
    const cal = this.calendars.stored(world, c.calendar);
    const state = {
      phase: c.phase,
      targetMs: c.plan.targetMs,
      consumedMs: c.consumedMs,
      since: Date.parse(c.since),
      startedAt: Date.parse(c.startedAt),
      stoppedAt: c.stoppedAt === null ? null : Date.parse(c.stoppedAt),
      fired: c.fired,
    };
    const reading = readClock(state, c.plan, cal, now);
    const next = nextDue(state, c.plan, cal);
    const stop = [...history].reverse().find((h) => h.kind === "stopped");
    const cancelled = c.phase === "stopped" && stop?.detail.outcome === "cancelled";
    return {
      id: c.id,
      policy: { id: c.policyId, name: policies.get(c.policyId)?.definition.name ?? c.policyId },
      policy_version: c.policyVersion,
      record_id: c.recordId,
      status: cancelled ? "cancelled" : reading.status,
      phase: c.phase,
      due_at: reading.dueAt === null ? null : new Date(reading.dueAt).toISOString(),
      left_ms: reading.leftMs,
      consumed_ms: reading.consumedMs,
      target_ms: c.plan.targetMs,
      next_milestone: next ? { key: next.milestone.key, level: next.milestone.level, due_at: new Date(next.at).toISOString() } : null,
      fired: [...c.fired],
      calendar: { name: c.calendar.name, time_zone: cal.zone },
      started_at: c.startedAt,
      stopped_at: c.stoppedAt,
    };
  }
}

const historyView = (h: SlaClockEvent): SlaHistoryView => ({ seq: h.seq, at: h.at, kind: h.kind, detail: h.detail });

function titleOf(record: StoredRecord): string | null {
  const v = record.data[OBJECTS[record.object].titleField];
  return typeof v === "string" ? v : null;
}

function nameOf(record: StoredRecord): string | null {
  return typeof record.data.name === "string" ? record.data.name : null;
}

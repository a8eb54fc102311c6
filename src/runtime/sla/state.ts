/** A clock row ↔ the pure clock's state (crm/sla/clock.ts), and a change of one with its history rows. */
import type { CompiledCalendar } from "../../crm/calendar/business-time.js";
import { type ClockPlan, type ClockState, nextDue } from "../../crm/sla/clock.js";
import type { SlaClockCalendar, SlaClockEvent, SlaClockEventKind, SlaClockRow } from "../../store/sla-ports.js";

const iso = (ms: number) => new Date(ms).toISOString();

export function stateOf(row: SlaClockRow): ClockState {
  return {
    phase: row.phase,
    targetMs: row.plan.targetMs,
    consumedMs: row.consumedMs,
    since: Date.parse(row.since),
    startedAt: Date.parse(row.startedAt),
    stoppedAt: row.stoppedAt === null ? null : Date.parse(row.stoppedAt),
    fired: row.fired,
  };
}

/**
 * One change of one clock: its new state, plan and calendar, and the history rows it writes.
 * The row is then written over the version it was read at, its version moved by one per
 * history row, each history row numbered by the version it made.
 */
export class ClockChange {
  state: ClockState;
  plan: ClockPlan;
  calendar: SlaClockCalendar;
  readonly history: Array<{ at: number; kind: SlaClockEventKind; detail: Record<string, unknown> }> = [];

  constructor(
    readonly row: SlaClockRow,
    public cal: CompiledCalendar,
  ) {
    this.state = stateOf(row);
    this.plan = row.plan;
    this.calendar = row.calendar;
  }

  note(at: number, kind: SlaClockEventKind, detail: Record<string, unknown> = {}): void {
    this.history.push({ at, kind, detail });
  }

  get changed(): boolean {
    return this.history.length > 0;
  }

  /** The row to write and its history rows. */
  result(): { row: SlaClockRow; history: SlaClockEvent[] } {
    const next = nextDue(this.state, this.plan, this.cal);
    const version = this.row.version + this.history.length;
    const row: SlaClockRow = {
      ...this.row,
      phase: this.state.phase,
      plan: this.plan,
      calendar: this.calendar,
      consumedMs: this.state.consumedMs,
      since: iso(this.state.since),
      stoppedAt: this.state.stoppedAt === null ? null : iso(this.state.stoppedAt),
      fired: [...this.state.fired],
      nextDueAt: next ? iso(next.at) : null,
      version,
    };
    const history = this.history.map((h, i) => ({
      workspaceId: row.workspaceId,
      clockId: row.id,
      seq: this.row.version + i + 1,
      at: iso(h.at),
      kind: h.kind,
      detail: h.detail,
    }));
    return { row, history };
  }
}

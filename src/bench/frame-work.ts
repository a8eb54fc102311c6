/**
 * How much main-thread work each frame of a Chrome trace cost — what the builder benchmark reports
 * as `pan_frame_p95_ms`. Pure: it reads trace events (the JSON of `Tracing` with the
 * devtools.timeline categories), nothing else.
 *
 * Why not the interval between animation frames: at a 60 Hz display that interval is 16.7 ms
 * however little work a frame takes, so a target under 16 ms could never be met or missed. The
 * work the page's main thread does per frame is what decides whether a frame is dropped, and it
 * goes up and down with the page's own cost.
 *
 * - The page's main thread is the one on which the two user-timing marks (`performance.mark`)
 *   that bracket the measured interaction were recorded: no guessing among renderer processes.
 * - Frames are the intervals between consecutive `BeginFrame` events of that process (the
 *   compositor's vsync ticks) between the two marks.
 * - Work is the union of the main thread's top-level task events (`RunTask`, and
 *   `ThreadControllerImpl::RunTask` which may nest with it: overlaps are counted once), clipped to
 *   each frame; a task that spans two frames counts in each for its part.
 * - Each frame's work is given twice: as wall time (`ms`: what decides a dropped frame) and as the
 *   thread's CPU time (`cpuMs`, from the events' `tdur`; a task cut by a frame boundary counts its
 *   CPU time in proportion). On a machine shared with other work the wall time includes the
 *   moments the thread waited for a core; the CPU time does not, so it moves less with the load.
 */

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  /** Microseconds. */
  ts: number;
  /** Microseconds, on complete ("X") events. */
  dur?: number;
  /** The thread's CPU time in microseconds, on complete events when Chromium measured it. */
  tdur?: number;
  pid: number;
  tid: number;
}

/** Names of the events Chromium records around each task of a thread's message loop. */
const TASK_NAMES = new Set(["RunTask", "ThreadControllerImpl::RunTask"]);
const FRAME_START = "BeginFrame";

interface Span {
  start: number;
  end: number;
  /** CPU microseconds spent in [start, end]. */
  cpu: number;
}

/**
 * Overlapping spans merged into disjoint ones, sorted. A span nested in another adds nothing (the
 * outer one's CPU time includes it); one that reaches past the last adds the CPU time of its part
 * beyond it, in proportion.
 */
function union(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) {
      if (span.end > last.end) {
        last.cpu += (span.cpu * (span.end - last.end)) / (span.end - span.start);
        last.end = span.end;
      }
    } else out.push({ ...span });
  }
  return out;
}

export interface Frame {
  /** Wall milliseconds of main-thread work in the frame. */
  ms: number;
  /** CPU milliseconds of the main thread in the frame. */
  cpuMs: number;
}

/**
 * The main thread's work in each frame between the marks `startMark` and `endMark`,
 * in frame order. Throws when a mark or the frames are missing (a trace recorded without the
 * frame category says nothing about frames, and a silent empty answer would read as "no work").
 */
export function frameWork(events: readonly TraceEvent[], startMark: string, endMark: string): Frame[] {
  const start = events.find((e) => e.name === startMark);
  const end = events.find((e) => e.name === endMark);
  if (!start || !end) throw new Error(`the trace has no user-timing mark ${start ? endMark : startMark}`);
  const { pid, tid } = start;
  const ticks = [
    ...new Set(events.filter((e) => e.name === FRAME_START && e.pid === pid && e.ts >= start.ts && e.ts <= end.ts).map((e) => e.ts)),
  ].sort((a, b) => a - b);
  if (ticks.length < 2)
    throw new Error(`the trace has ${ticks.length} ${FRAME_START} event(s) of the page between the marks: no frame to measure`);
  const tasks = union(
    events
      .filter((e) => e.ph === "X" && TASK_NAMES.has(e.name) && e.pid === pid && e.tid === tid && e.dur !== undefined)
      .map((e): Span => ({ start: e.ts, end: e.ts + (e.dur as number), cpu: e.tdur ?? (e.dur as number) })),
  );
  const frames: Frame[] = [];
  for (let i = 0; i + 1 < ticks.length; i++) {
    const from = ticks[i] as number;
    const to = ticks[i + 1] as number;
    let wall = 0;
    let cpu = 0;
    for (const t of tasks) {
      if (t.start >= to) break;
      if (t.end <= from) continue;
      const part = Math.min(t.end, to) - Math.max(t.start, from);
      wall += part;
      cpu += t.end > t.start ? (t.cpu * part) / (t.end - t.start) : 0;
    }
    frames.push({ ms: wall / 1000, cpuMs: cpu / 1000 });
  }
  return frames;
}

/** The event list of a trace file: Chrome writes either `{"traceEvents": [...]}` or a bare array. */
export function traceEvents(json: unknown): TraceEvent[] {
  if (Array.isArray(json)) return json as TraceEvent[];
  const events = (json as { traceEvents?: unknown } | null)?.traceEvents;
  if (!Array.isArray(events)) throw new Error("not a Chrome trace: no traceEvents");
  return events as TraceEvent[];
}

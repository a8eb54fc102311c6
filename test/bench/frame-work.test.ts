/**
 * The pan's per-frame work (src/bench/frame-work.ts) read from a tiny hand-made trace: which thread,
 * which frames, overlapping task events counted once, a task cut at a frame boundary, CPU time.
 */
import { describe, expect, it } from "vitest";
import { frameWork, type TraceEvent, traceEvents } from "../../src/bench/frame-work.js";

const MAIN = { pid: 1, tid: 1 };
const COMPOSITOR = { pid: 1, tid: 2 };
const mark = (name: string, ts: number): TraceEvent => ({ name, ph: "I", ts, ...MAIN });
const beginFrame = (ts: number, where = COMPOSITOR): TraceEvent => ({ name: "BeginFrame", ph: "I", ts, ...where });
const task = (ts: number, dur: number, more: Partial<TraceEvent> = {}): TraceEvent => ({
  name: "RunTask",
  ph: "X",
  ts,
  dur,
  ...MAIN,
  ...more,
});

describe("frameWork", () => {
  it("sums the main thread's tasks per frame, between the marks, counting nested and overlapping tasks once", () => {
    const events: TraceEvent[] = [
      beginFrame(0), // before the start mark: not a frame of the interaction
      mark("start", 500),
      beginFrame(1_000),
      task(1_100, 2_000, { tdur: 1_000 }),
      // Nested in the task above: adds nothing.
      { name: "ThreadControllerImpl::RunTask", ph: "X", ts: 1_200, dur: 500, tdur: 500, ...MAIN },
      // Child events are not tasks.
      { name: "FunctionCall", ph: "X", ts: 1_300, dur: 900, ...MAIN },
      beginFrame(17_000),
      // Crosses the next frame's start: 3 ms here, 1 ms there.
      task(30_000, 4_000, { tdur: 4_000 }),
      // Another thread, another process: not the page's main thread.
      task(20_000, 5_000, { tid: 2 }),
      task(20_000, 5_000, { pid: 2, tid: 1 }),
      beginFrame(20_000, { pid: 2, tid: 2 }),
      beginFrame(33_000),
      // Overlaps the end of the previous task: only its last 1.5 ms is new (and 1.5 of its 2 CPU ms).
      task(33_500, 2_000, { tdur: 2_000 }),
      beginFrame(33_000), // the same tick twice (two layer trees): one frame
      beginFrame(50_000),
      mark("end", 55_000),
      beginFrame(60_000), // after the end mark
      task(60_000, 9_000),
    ];
    const frames = frameWork(events, "start", "end");
    expect(frames.map((f) => f.ms)).toEqual([2, 3, 2.5]);
    expect(frames.map((f) => f.cpuMs)).toEqual([1, 3, 2.5]);
  });

  it("splits a task's CPU time between two frames in proportion, and takes the wall time when the trace has no CPU time", () => {
    const cut = frameWork(
      [mark("a", 0), beginFrame(1_000), task(9_000, 16_000, { tdur: 8_000 }), beginFrame(17_000), beginFrame(34_000), mark("b", 34_000)],
      "a",
      "b",
    );
    expect(cut).toEqual([
      { ms: 8, cpuMs: 4 },
      { ms: 8, cpuMs: 4 },
    ]);
    const frames = frameWork([mark("a", 0), beginFrame(1), task(2, 4_000), beginFrame(16_668), mark("b", 16_700)], "a", "b");
    expect(frames).toEqual([{ ms: 4, cpuMs: 4 }]);
  });

  it("refuses a trace without the marks or without frames rather than answer 'no work'", () => {
    expect(() => frameWork([mark("a", 0), beginFrame(1), beginFrame(2)], "a", "b")).toThrow(/no user-timing mark b/);
    expect(() => frameWork([mark("a", 0), beginFrame(1), task(2, 5), mark("b", 9)], "a", "b")).toThrow(/1 BeginFrame/);
  });

  it("reads both shapes of a trace file", () => {
    const events = [mark("a", 0)];
    expect(traceEvents({ traceEvents: events })).toEqual(events);
    expect(traceEvents(events)).toEqual(events);
    expect(() => traceEvents({ nothing: true })).toThrow(/no traceEvents/);
  });
});

/**
 * `npm run bench:builder` — how the workflow builder holds up on a large workflow (issue 15):
 * Handoff with the demo workspace (demo-web.ts), a generated 100-step workflow saved as a draft
 * through the API (a realistic mix: six kinds of action, branches, switches, delays and waits for
 * a call — builder-workflow.ts; it must pass POST /api/v1/workflows/validate), and Debian's
 * Chromium opening `/workflows/<id>/edit` from a fresh browser context (empty HTTP cache) as the
 * signed-in demo admin, at 1280 × 800.
 *
 * - `interactive_ms`: milliseconds from navigation start until the canvas is ready — a node for
 *   every step (`.react-flow__node[data-id=<step id>]`, noted by a MutationObserver installed
 *   before the app's first script: `all_nodes_ms`) and its first view done moving (the last change
 *   of `.react-flow__viewport`'s transform before the click: `settled_ms`, the later of the two) —
 *   plus how long a real mouse click on a step node then takes to be answered: from the click
 *   event reaching the page to the inspector (`aside[aria-label="Settings of the selection"]`)
 *   showing that step's id (`click_ms`). The benchmark clicks once the view has been still for
 *   150 ms, on a step node wholly in view (again if the click missed it); that wait and its own
 *   round trips are not counted.
 * - `pan_frame_p95_ms`: the 95th percentile of the main thread's work per frame while the mouse
 *   drags the pane — from an empty spot of `.react-flow__pane`, back and forth for about 2 s
 *   (`--pan-seconds`). A Chrome trace of the drag (`browser.startTracing`, the devtools.timeline
 *   categories) is cut into frames at the page's `BeginFrame` events and the main thread's tasks
 *   summed per frame (frame-work.ts): a frame whose work stays under 16.7 ms fits a 60 Hz display.
 *   `pan_frame_cpu_p95_ms` is the same from the thread's CPU time (it moves less with the machine's
 *   load), `pan_frame_median_ms` the median of the wall figure (a p95 near a frame's length says the
 *   thread was saturated, the median still shows how far); `traced_frames` counts the frames.
 *   `--save-trace FILE` keeps the last drag's trace.
 * - `pan_frame_interval_p95_ms`: what `pan_frame_p95_ms` was before Dec 5 2026 — the 95th
 *   percentile of the intervals between animation frames (`requestAnimationFrame` timestamps). They
 *   come at the display's rate, so it cannot go under 16.7 ms; one dropped frame in twenty shows as
 *   33. `late_frames` counts intervals over 25 ms, `frames` the intervals.
 *
 * Several iterations (`--iterations`, default 5): medians of the times, the p95 over every
 * recorded frame. One JSON line:
 *
 *   {"bench":"builder","steps":100,"interactive_ms":…,"pan_frame_p95_ms":…,"pan_frame_cpu_p95_ms":…,"pan_frame_median_ms":…,"pan_frame_interval_p95_ms":…,
 *    "nodes":…,"all_nodes_ms":…,"settled_ms":…,"click_ms":…,"frames":…,"traced_frames":…,"late_frames":…,"iterations":5}
 *
 * `nodes` counts the `.react-flow__node` elements rendered (the steps, the trigger, the ends).
 * Targets: interactive ≤ 1,000 ms and pan p95 ≤ 16 ms on this 2-core machine. `--quick` (what
 * `npm test` runs): 10 steps, one iteration, its invariants only — every step's node rendered, the
 * click selects the step, frames were recorded and traced and the pane moved — no timing; a broken
 * invariant gives a line with `"error"` and exit code 1. Needs `npm run build` first (web/dist).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { blockIds, largeWorkflow } from "./builder-workflow.js";
import { CHROMIUM_ARGS, type DemoWeb, logMachine, median, p95, startDemoWeb } from "./demo-web.js";
import { type Frame, frameWork, traceEvents } from "./frame-work.js";
import { log } from "./scratch.js";

const { values } = parseArgs({
  options: {
    steps: { type: "string" },
    iterations: { type: "string" },
    "pan-seconds": { type: "string" },
    timeout: { type: "string" },
    "save-trace": { type: "string" },
    quick: { type: "boolean", default: false },
  },
});
const STEPS = Number(values.steps ?? (values.quick ? 10 : 100));
const ITERATIONS = Number(values.iterations ?? (values.quick ? 1 : 5));
const PAN_MS = Number(values["pan-seconds"] ?? 2) * 1000;
const TIMEOUT_MS = Number(values.timeout ?? 30) * 1000;
const INSPECTOR = 'aside[aria-label="Settings of the selection"]';
/** An interval this long is a frame missed at 60 Hz (16.7 ms), with room for jitter. */
const LATE_MS = 25;
/** The timeline's tasks, the compositor's frames, and the user-timing marks that bracket the pan. */
const TRACE_CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "blink.user_timing",
];
const PAN_START = "bench:pan-start";
const PAN_END = "bench:pan-end";

interface BenchState {
  allNodesAt?: number;
  /** The viewport has been still for 150 ms, every node being there: time to try a click. */
  still?: boolean;
  /** The canvas ready for the click that selected: every node there, the view's last move before that click. */
  settledAt?: number;
  nodes?: number;
  target?: string;
  clickAt?: number;
  selectedAt?: number;
  recording?: boolean;
  frames: number[];
  panMoves: number;
}
type BenchWindow = Window & { __bench: BenchState };

/**
 * Installed before the app's scripts: notes when every step has its node on the canvas, when the
 * click reaches the page (capture phase, before the app's own handlers) and when the inspector
 * names the clicked step.
 */
const instrument = (stepIds: readonly string[]) => `(() => {
  const stepIds = ${JSON.stringify(stepIds)};
  const b = (window.__bench = { frames: [], panMoves: 0 });
  const nodes = document.getElementsByClassName("react-flow__node");
  const nodesShown = new MutationObserver(() => {
    if (nodes.length < stepIds.length) return;
    const ids = new Set(Array.from(nodes, (n) => n.getAttribute("data-id")));
    if (!stepIds.every((id) => ids.has(id))) return;
    b.allNodesAt = performance.now();
    b.nodes = nodes.length;
    nodesShown.disconnect();
  });
  nodesShown.observe(document, { childList: true, subtree: true });
  // The first view may still move (fit, then focus) after the nodes are there, and a click that
  // lands while it moves misses. The canvas counts as ready at the viewport's last move before the
  // click that selected a step; 150 ms of stillness only tells the benchmark when to try.
  let lastTransform, lastMove = 0;
  const watchView = () => {
    const transform = document.querySelector(".react-flow__viewport")?.style.transform;
    if (transform !== lastTransform) { lastTransform = transform; lastMove = performance.now(); }
    b.still = b.allNodesAt !== undefined && performance.now() - Math.max(b.allNodesAt, lastMove) >= 150;
    if (b.clickAt === undefined) requestAnimationFrame(watchView);
  };
  requestAnimationFrame(watchView);
  const selected = new MutationObserver(() => {
    if (b.clickAt === undefined || b.selectedAt !== undefined) return;
    if (document.querySelector(${JSON.stringify(INSPECTOR)})?.textContent?.includes(b.target)) {
      b.selectedAt = performance.now();
      selected.disconnect();
    }
  });
  selected.observe(document, { childList: true, subtree: true, characterData: true });
  // Capture phase: before the app's own handlers. Only a click on a step's node counts.
  window.addEventListener("click", (e) => {
    const id = e.target instanceof Element ? e.target.closest(".react-flow__node")?.getAttribute("data-id") : null;
    if (b.clickAt !== undefined || !stepIds.includes(id)) return;
    b.target = id;
    b.clickAt = performance.now();
    b.settledAt = Math.max(b.allNodesAt ?? 0, lastMove);
  }, true);
})();`;

/** A step node wholly on screen and not covered: its centre, to click like a person. */
async function visibleStepNode(tab: Page, stepIds: readonly string[]) {
  return tab.evaluate((ids) => {
    const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
    if (!pane) return undefined;
    for (const id of ids) {
      const node = document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
      const r = node?.getBoundingClientRect();
      if (!node || !r || r.width === 0 || r.left < pane.left || r.right > pane.right || r.top < pane.top || r.bottom > pane.bottom)
        continue;
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (document.elementFromPoint(x, y)?.closest(".react-flow__node") !== node) continue;
      return { id, x, y };
    }
    return undefined;
  }, stepIds);
}

/** A spot of the pane with nothing on it (dragging there pans; on a node it would not). */
async function emptyPaneSpot(tab: Page) {
  return tab.evaluate(() => {
    const pane = document.querySelector(".react-flow__pane");
    const r = pane?.getBoundingClientRect();
    if (!pane || !r) return undefined;
    for (let fy = 0.5; fy < 0.95; fy += 0.05)
      for (let fx = 0.1; fx < 0.95; fx += 0.05) {
        const x = r.left + r.width * fx;
        const y = r.top + r.height * fy;
        if (document.elementFromPoint(x, y) === pane) return { x, y };
      }
    return undefined;
  });
}

interface Open {
  allNodesMs: number;
  settledMs: number;
  clickMs: number;
  nodes: number;
  /** Intervals between animation frames while the pane was dragged. */
  intervals: number[];
  /** Main-thread work in each frame while the pane was dragged (wall and CPU milliseconds). */
  work: Frame[];
  panMoves: number;
}

async function openBuilder(browser: Browser, web: DemoWeb, workflowId: string, stepIds: readonly string[]): Promise<Open> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const origin = new URL(web.url);
    await context.addCookies([{ ...web.cookie, domain: origin.hostname, path: "/", httpOnly: true, sameSite: "Lax" }]);
    const tab = await context.newPage();
    await tab.addInitScript(instrument(stepIds));
    await tab.goto(`${web.url}/workflows/${encodeURIComponent(workflowId)}/edit`);
    const state = () => tab.evaluate(() => (window as unknown as BenchWindow).__bench);
    // A function, not a string: the app's CSP forbids eval.
    const waitFor = (what: string, key: "allNodesAt" | "still" | "selectedAt") =>
      tab
        .waitForFunction((k) => (window as unknown as BenchWindow).__bench[k], key, { timeout: TIMEOUT_MS, polling: 20 })
        .catch((e: Error) => {
          throw new Error(`${what} within ${TIMEOUT_MS} ms: ${e.message.split("\n")[0]}`);
        });

    await waitFor("no node for every step", "allNodesAt");
    await waitFor("the canvas's view did not stop moving", "still");
    // Click a step node wholly in view; a click that misses it (the view moved meanwhile) is tried again.
    for (let tries = 0; tries < 20 && (await state()).clickAt === undefined; tries++) {
      const target = await visibleStepNode(tab, stepIds);
      if (target) await tab.mouse.click(target.x, target.y);
      else await tab.waitForTimeout(50);
    }
    const clicked = (await state()).target;
    if (!clicked) throw new Error("no click landed on a step node wholly in view");
    await waitFor(`the inspector did not show step ${clicked} after a click on its node`, "selectedAt").catch(async (e: Error) => {
      const shown = await tab.evaluate((selector) => document.querySelector(selector)?.querySelector("h2")?.textContent, INSPECTOR);
      throw new Error(`${e.message} (it says “${shown ?? "nothing"}”)`);
    });

    const spot = await emptyPaneSpot(tab);
    if (!spot) throw new Error("no empty spot on the pane to drag");
    await tab.evaluate(() => {
      const b = (window as unknown as BenchWindow).__bench;
      const viewport = document.querySelector<HTMLElement>(".react-flow__viewport");
      let last = viewport?.style.transform;
      b.recording = true;
      const tick = (t: number) => {
        b.frames.push(t);
        const now = viewport?.style.transform;
        if (now !== last) b.panMoves++;
        last = now;
        if (b.recording) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // The trace of the pan: the main thread's tasks and the compositor's frames (frame-work.ts).
    await browser.startTracing(tab, { categories: TRACE_CATEGORIES });
    await tab.evaluate((mark) => performance.mark(mark), PAN_START);
    await tab.mouse.move(spot.x, spot.y);
    await tab.mouse.down();
    const started = Date.now();
    for (let t = 0; t < PAN_MS; t = Date.now() - started) {
      // Back and forth, 200 px sideways and 120 px up and down, as a person looks around.
      const phase = (2 * Math.PI * t) / 1000;
      await tab.mouse.move(spot.x + 200 * Math.sin(phase), spot.y - 120 * Math.sin(phase / 1.6));
    }
    await tab.mouse.up();
    await tab.evaluate((mark) => {
      (window as unknown as BenchWindow).__bench.recording = false;
      performance.mark(mark);
    }, PAN_END);
    const trace = await browser.stopTracing();
    if (values["save-trace"]) writeFileSync(values["save-trace"], trace);
    const work = frameWork(traceEvents(JSON.parse(trace.toString("utf8"))), PAN_START, PAN_END);

    const b = await state();
    if (b.allNodesAt === undefined || b.settledAt === undefined || b.clickAt === undefined || b.selectedAt === undefined)
      throw new Error("timings missing");
    const intervals = b.frames.slice(1).map((t, i) => t - (b.frames[i] as number));
    return {
      allNodesMs: b.allNodesAt,
      settledMs: b.settledAt,
      clickMs: b.selectedAt - b.clickAt,
      nodes: b.nodes ?? 0,
      intervals,
      work,
      panMoves: b.panMoves,
    };
  } finally {
    await context.close();
  }
}

/** Saves the generated workflow as a draft, after checking that the API finds nothing wrong with it. */
async function saveWorkflow(web: DemoWeb): Promise<string> {
  const definition = largeWorkflow(STEPS);
  const checked = (await (await web.api("/api/v1/workflows/validate", { method: "POST", body: { definition } })).json()) as {
    valid: boolean;
    errors: unknown[];
  };
  if (!checked.valid) throw new Error(`the generated workflow is not valid: ${JSON.stringify(checked.errors)}`);
  const saved = await web.api("/api/v1/workflows", { method: "POST", body: { definition } });
  if (saved.status !== 201) throw new Error(`saving the workflow answered ${saved.status}: ${await saved.text()}`);
  return ((await saved.json()) as { id: string }).id;
}

async function main() {
  logMachine();
  const web = await startDemoWeb("builder");
  let browser: Browser | undefined;
  try {
    const workflowId = await saveWorkflow(web);
    const stepIds = Array.from({ length: STEPS / 10 }, (_, b) => blockIds(b + 1)).flat();
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
    const opens: Open[] = [];
    let error: string | undefined;
    for (let i = 0; i < ITERATIONS && !error; i++) {
      try {
        const o = await openBuilder(browser, web, workflowId, stepIds);
        if (o.intervals.length === 0) throw new Error("no animation frame was recorded while dragging the pane");
        if (o.work.length === 0) throw new Error("the trace of the pan has no frame");
        if (o.panMoves === 0) throw new Error("dragging the pane did not move the canvas");
        log(
          `${i + 1}/${ITERATIONS}: all ${o.nodes} nodes at ${o.allNodesMs.toFixed(0)} ms, view settled at ${o.settledMs.toFixed(0)} ms, click answered in ${o.clickMs.toFixed(0)} ms, ` +
            `pan: main-thread work p95 ${p95(o.work.map((f) => f.ms)).toFixed(1)} ms (CPU ${p95(o.work.map((f) => f.cpuMs)).toFixed(1)} ms) over ${o.work.length} frames (median ${median(o.work.map((f) => f.ms)).toFixed(1)} ms), frame interval p95 ${p95(o.intervals).toFixed(1)} ms over ${o.intervals.length}`,
        );
        opens.push(o);
      } catch (e) {
        error = (e as Error).message;
      }
    }
    if (error) {
      log(error);
      process.stdout.write(
        `${JSON.stringify({ bench: "builder", steps: STEPS, interactive_ms: null, pan_frame_p95_ms: null, pan_frame_interval_p95_ms: null, error })}\n`,
      );
      process.exitCode = 1;
      return;
    }
    const intervals = opens.flatMap((o) => o.intervals);
    const work = opens.flatMap((o) => o.work);
    const allNodesMs = median(opens.map((o) => o.allNodesMs));
    const clickMs = median(opens.map((o) => o.clickMs));
    const line = {
      bench: "builder",
      steps: STEPS,
      interactive_ms: Math.round(median(opens.map((o) => o.settledMs + o.clickMs))),
      pan_frame_p95_ms: Math.round(p95(work.map((f) => f.ms)) * 10) / 10,
      pan_frame_cpu_p95_ms: Math.round(p95(work.map((f) => f.cpuMs)) * 10) / 10,
      pan_frame_median_ms: Math.round(median(work.map((f) => f.ms)) * 10) / 10,
      pan_frame_interval_p95_ms: Math.round(p95(intervals) * 10) / 10,
      nodes: Math.min(...opens.map((o) => o.nodes)),
      all_nodes_ms: Math.round(allNodesMs),
      settled_ms: Math.round(median(opens.map((o) => o.settledMs))),
      click_ms: Math.round(clickMs),
      frames: intervals.length,
      traced_frames: work.length,
      late_frames: intervals.filter((ms) => ms > LATE_MS).length,
      iterations: opens.length,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await browser?.close();
    await web.close();
  }
}

main().catch((e) => {
  log((e as Error).stack ?? String(e));
  process.exit(1);
});

/**
 * The workflow graph's model (web/src/components/graph): a definition → nodes and edges in
 * words, laid out top to bottom, and a run's path on it. Pure: no browser. Checked over every
 * step type and every recipe, and against the engine's own successors so that the graph cannot
 * show a path the engine would not take (or miss one it would).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import dagre from "@dagrejs/dagre";
import { describe, expect, it } from "vitest";
import { largeWorkflow } from "../../src/bench/builder-workflow.js";
import { workflowSchema } from "../../src/engine/definition.js";
import { stepHandler } from "../../src/engine/steps/registry.js";
import type { WorkflowDefinition } from "../../web/src/components/graph/definition.js";
import { durationWords, triggerWords } from "../../web/src/components/graph/describe.js";
import {
  END_ID,
  listInOrder,
  nodeLabel,
  TRIGGER_ID,
  type WorkflowGraphModel,
  workflowGraph,
} from "../../web/src/components/graph/graph-model.js";
import {
  definitionOrderCrosses,
  hasCrossings,
  layoutGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
  READ_ONLY_SIZES,
} from "../../web/src/components/graph/layout.js";

const dir = fileURLToPath(new URL("../../recipes/", import.meta.url));
const recipes = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();
/** As the API hands it out: parsed by the format's schema (defaults filled in). */
const recipe = (file: string) => workflowSchema.parse(JSON.parse(readFileSync(join(dir, file), "utf8"))) as unknown as WorkflowDefinition;

const node = (m: WorkflowGraphModel, id: string) => {
  const n = m.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
/** The top of a placed node. */
const yOf = (at: Map<string, { y: number }>, id: string) => {
  const p = at.get(id);
  if (!p) throw new Error(`${id} was not placed`);
  return p.y;
};
const edge = (m: WorkflowGraphModel, source: string, target: string) => {
  const e = m.edges.find((x) => x.source === source && x.target === target);
  if (!e) throw new Error(`no edge ${source} → ${target}`);
  return e;
};

describe("every recipe as a graph", () => {
  it("there are fifteen recipes", () => expect(recipes).toHaveLength(15));

  for (const file of recipes) {
    it(`${file}: the trigger, one node per step, the engine's successors as edges, laid out top to bottom`, () => {
      const def = recipe(file);
      const m = workflowGraph(def);
      const steps = Object.keys(def.steps);
      expect(m.nodes.filter((n) => n.stepId !== undefined).map((n) => n.id)).toEqual(steps);
      expect(node(m, TRIGGER_ID).title).toBe(triggerWords(def.trigger, def.object));
      expect(edge(m, TRIGGER_ID, def.start).kind).toBe("start");
      expect(m.nodes.some((n) => n.kind === "missing")).toBe(false);
      expect(m.goal === undefined).toBe(def.goal === undefined);

      for (const [id, spec] of Object.entries(def.steps)) {
        const engine = new Set(
          stepHandler(spec as never)
            .successors(spec as never)
            .map((s) => s.target),
        );
        const drawn = new Set(m.edges.filter((e) => e.source === id && e.target !== END_ID).map((e) => e.target));
        expect(drawn, `successors of ${id}`).toEqual(engine);
        expect(node(m, id).title.length).toBeGreaterThan(0);
        expect(node(m, id).title).not.toMatch(/undefined|\[object/);
        expect(node(m, id).detail).not.toMatch(/undefined|\[object/);
      }
      for (const e of m.edges) expect(e.label).not.toMatch(/undefined|\[object/);

      // Every recipe is acyclic: each edge goes down the page, and no two nodes overlap.
      const at = layoutGraph(m);
      const top = Math.min(...[...at.values()].map((p) => p.y));
      expect(at.get(TRIGGER_ID)?.y).toBe(top);
      for (const e of m.edges) expect(yOf(at, e.target), `${e.source} → ${e.target}`).toBeGreaterThan(yOf(at, e.source));
      const boxes = [...at.values()];
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1)) {
          const apart = Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT;
          expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
        }
    });
  }

  it("speed-to-lead reads as the story: assign, P1 call task, email, wait 15 min, reassign, alert the team lead", () => {
    const m = workflowGraph(recipe("speed-to-lead.json"));
    expect(node(m, TRIGGER_ID)).toMatchObject({ title: "When a lead is created", detail: "only if score > 40 and employee count > 10" });
    expect(node(m, "assign")).toMatchObject({ title: "Assign owner", detail: "next in queue Inbound reps" });
    expect(node(m, "call-task").title).toBe("Create P1 task");
    expect(node(m, "call-task").detail).toContain("due in 5 min for the owner");
    expect(node(m, "auto-reply").title).toBe("Send an email");
    expect(node(m, "wait-for-call").title).toBe("Wait 15 min");
    expect(node(m, "reassign").detail).toBe("next in queue Inbound reps, never the current owner");
    expect(node(m, "alert-lead").title).toBe("Notify the team lead of the owner");
    expect(node(m, "done").kind).toBe("end");
    // The email's success and failure both go on to the wait: one edge that says so.
    expect(edge(m, "auto-reply", "wait-for-call").label).toBe("if it succeeds or if it fails");
    expect(m.edges.filter((e) => e.source === "auto-reply")).toHaveLength(1);
    expect(m.goal).toBe("at least 1 activity where type = call");
    // Every path ends at an end step: no synthetic end.
    expect(m.nodes.some((n) => n.id === END_ID)).toBe(false);
  });

  it("the sla trigger in words: the escalation templates and each milestone combination", () => {
    expect(triggerWords(recipe("escalation-p1-breach.json").trigger, "ticket")).toBe("When the P1 resolution SLA is breached");
    expect(triggerWords(recipe("escalation-stale-lead.json").trigger, "lead")).toBe("When the Lead first contact SLA is breached");
    const sla = (milestones: Array<"warning" | "breach" | "escalation">, level?: number) =>
      triggerWords({ type: "sla", policy: "Ticket first response", milestones, ...(level ? { level } : {}) }, "ticket");
    expect(sla(["breach", "warning"])).toBe("When the Ticket first response SLA warns or is breached");
    expect(sla(["escalation"], 2)).toBe("When the Ticket first response SLA escalates to level 2");
    expect(sla(["warning", "breach", "escalation"])).toBe("When the Ticket first response SLA warns, is breached or escalates");
  });

  it("branches and switch cases are labelled edges", () => {
    const wl = workflowGraph(recipe("win-loss-post-mortem.json"));
    expect(edge(wl, "outcome", "win-review").label).toBe("Won");
    expect(edge(wl, "outcome", "loss-post-mortem").label).toBe("Lost");
    expect(edge(wl, "outcome", "done").label).toBe("otherwise");
    expect(node(wl, TRIGGER_ID).title).toBe("When a deal is updated (stage) where stage is one of closed_won, closed_lost");
    const ds = workflowGraph(recipe("deal-stage-progression.json"));
    expect(node(ds, "by-stage").title).toBe("Switch on stage");
    expect(edge(ds, "by-stage", "proposal-task")).toMatchObject({ kind: "case", label: "proposal" });
    expect(edge(ds, "by-stage", "done")).toMatchObject({ kind: "default", label: "any other value" });
    const re = workflowGraph(recipe("re-engagement-cold-leads.json"));
    expect(node(re, "wait-for-activity")).toMatchObject({ title: "Wait until an activity is logged", detail: "at most 14 days" });
    expect(edge(re, "wait-for-activity", "to-nurturing")).toMatchObject({ kind: "timeout", label: "after 14 days without it" });
    expect(edge(re, "wait-for-activity", "re-engaged").label).toBe("when it happens");
    const cr = workflowGraph(recipe("contract-renewal-reminder.json"));
    expect(node(cr, "wait-until-renewal").title).toBe("Wait until 90 days before contract end date");
    const en = workflowGraph(recipe("data-enrichment-on-create.json"));
    expect(node(en, "enrich")).toMatchObject({ title: "Call another system", detail: "POST enrichment/companies/enrich" });
    expect(edge(en, "enrich", "enrich-by-hand")).toMatchObject({ kind: "failure", label: "if it fails" });
  });
});

/** Every step type and shape, including the implicit ends and a dangling target of a draft. */
const everyType: WorkflowDefinition = {
  key: "every-type",
  name: "Every step type",
  object: "lead",
  trigger: { type: "field_changed", field: "status", to: "qualified" },
  start: "route",
  steps: {
    route: {
      type: "branch",
      rules: [
        {
          when: {
            and: [
              { field: "score", op: "gte", value: 50 },
              {
                or: [
                  { field: "country", op: "eq", value: "DE" },
                  { field: "country", op: "is_not_set" },
                ],
              },
            ],
          },
          next: "by-source",
        },
        { when: { field: "email", op: "contains", value: "@example.com" }, next: "ghost", label: "Test lead" },
      ],
    },
    "by-source": { type: "switch", field: "source", cases: { web: "tag", "trade show": "wait-call" } },
    tag: { type: "action", action: { type: "update_fields", fields: { status: "working", rating: "hot lead" } } },
    "wait-call": {
      type: "wait_for",
      event: { object: "activity", kind: "created", link: "related_id", where: { field: "type", op: "eq", value: "call" } },
      timeout: { hours: 2 },
      next: "nap",
      on_timeout: "until-nine",
    },
    nap: { type: "delay", duration: { days: 1, minutes: 30 }, next: "score" },
    "until-nine": { type: "delay", until_time: { time: "09:00", days: ["mon", "tue"], time_zone: "Europe/Berlin" }, next: "held" },
    held: { type: "wait_for", condition: { field: "score", op: "gt", value: 80 }, timeout: { days: 3 }, next: "score" },
    score: { type: "action", action: { type: "change_score", by: -10 }, next: "bye" },
    bye: { type: "end", description: "Nothing left to do." },
  },
};

describe("every step type", () => {
  const m = workflowGraph(everyType);

  it("words for each type", () => {
    expect(node(m, TRIGGER_ID)).toMatchObject({ title: "When status changes to qualified", detail: "no enrollment conditions" });
    expect(node(m, "route")).toMatchObject({ kind: "branch", title: "Branch" });
    expect(node(m, "by-source")).toMatchObject({ kind: "switch", title: "Switch on source" });
    expect(node(m, "tag")).toMatchObject({ kind: "action", title: "Update fields", detail: "status = working, rating = “hot lead”" });
    expect(node(m, "wait-call")).toMatchObject({ kind: "wait_for", title: "Wait until a call is logged", detail: "at most 2 h" });
    expect(node(m, "nap")).toMatchObject({ kind: "delay", title: "Wait 1 day 30 min" });
    expect(node(m, "until-nine")).toMatchObject({ title: "Wait until 09:00", detail: "on mon, tue, Europe/Berlin" });
    expect(node(m, "held")).toMatchObject({ title: "Wait until score > 80", detail: "at most 3 days" });
    expect(node(m, "score")).toMatchObject({ title: "Change score", detail: "score −10" });
    expect(node(m, "bye")).toMatchObject({ kind: "end", description: "Nothing left to do." });
    expect(durationWords({})).toBe("0 s");
  });

  it("labelled edges; a missing else, default, next or on_timeout leads to the end; a dangling target is shown", () => {
    expect(edge(m, "route", "by-source")).toMatchObject({ kind: "rule", label: "score ≥ 50 and (country = DE or country is empty)" });
    expect(edge(m, "route", "ghost")).toMatchObject({ kind: "rule", label: "Test lead" });
    expect(node(m, "ghost")).toMatchObject({ kind: "missing", title: "Missing step “ghost”" });
    expect(edge(m, "route", END_ID)).toMatchObject({ kind: "else", label: "otherwise" });
    expect(edge(m, "by-source", "wait-call")).toMatchObject({ kind: "case", label: "“trade show”" });
    expect(edge(m, "by-source", END_ID)).toMatchObject({ kind: "default", label: "any other value" });
    expect(edge(m, "tag", END_ID)).toMatchObject({ kind: "next", label: "" });
    expect(edge(m, "wait-call", "until-nine")).toMatchObject({ kind: "timeout", label: "after 2 h without it" });
    expect(edge(m, "held", "score").label).toBe("when it holds");
    expect(edge(m, "held", END_ID).kind).toBe("timeout");
    expect(m.edges.filter((e) => e.source === "bye")).toEqual([]);
    expect(node(m, END_ID)).toMatchObject({ kind: "implicit_end", title: "End" });
    expect(m.goal).toBeUndefined();
    // Laid out without a cycle: every edge downwards.
    const at = layoutGraph(m);
    for (const e of m.edges) expect(yOf(at, e.target)).toBeGreaterThan(yOf(at, e.source));
  });

  it("a node's accessible name says what it is, what it does and where the run stands", () => {
    expect(nodeLabel(node(m, "nap"))).toBe("Step nap: Wait 1 day 30 min, then go on");
    expect(nodeLabel(node(m, TRIGGER_ID))).toBe("Trigger: When status changes to qualified, no enrollment conditions");
    expect(nodeLabel(node(m, END_ID))).toBe("End, the run is complete");
  });
});

describe("a run's path on the graph", () => {
  const def = recipe("speed-to-lead.json");
  const taken = (m: WorkflowGraphModel) =>
    m.edges
      .filter((e) => e.taken)
      .map((e) => `${e.source}>${e.target}`)
      .sort();
  const runState = (m: WorkflowGraphModel) => Object.fromEntries(m.nodes.map((n) => [n.id, n.run]));

  it("a run waiting out its 15 minutes: the steps passed, the wait as where it is now, the rest untouched", () => {
    const m = workflowGraph(def, {
      status: "waiting",
      step: "wait-for-call",
      path: [
        { step: "assign", outcome: "assigned" },
        { step: "call-task", outcome: "created" },
        { step: "auto-reply", outcome: "enqueued" },
        { step: "auto-reply", outcome: "succeeded" },
        { step: "wait-for-call", outcome: "waiting" },
      ],
    });
    expect(runState(m)).toEqual({
      [TRIGGER_ID]: "visited",
      assign: "visited",
      "call-task": "visited",
      "auto-reply": "visited",
      "wait-for-call": "current",
      reassign: "none",
      "alert-lead": "none",
      done: "none",
    });
    expect(node(m, "auto-reply").outcome).toBe("succeeded");
    expect(taken(m)).toEqual(["__trigger>assign", "assign>call-task", "auto-reply>wait-for-call", "call-task>auto-reply"]);
    expect(nodeLabel(node(m, "wait-for-call"))).toBe("Step wait-for-call: Wait 15 min, then go on, the run is here now");
  });

  it("a failed run marks the step it failed at; after a retry that succeeded, nothing is marked failed", () => {
    const en = recipe("data-enrichment-on-create.json");
    const failedPath = [
      { step: "has-domain", outcome: "→ enrich" },
      { step: "enrich", outcome: "enqueued" },
      { step: "enrich", outcome: "failed" },
    ];
    const failed = workflowGraph(en, { status: "failed", step: "enrich", path: failedPath });
    expect(node(failed, "enrich").run).toBe("failed");
    expect(nodeLabel(node(failed, "enrich"))).toContain("the run failed here");
    expect(taken(failed)).toEqual(["__trigger>has-domain", "has-domain>enrich"]);

    const retried = workflowGraph(en, {
      status: "completed",
      step: null,
      path: [
        ...failedPath,
        { step: "enrich", outcome: "running" },
        { step: "enrich", outcome: "succeeded" },
        { step: "done", outcome: "completed" },
      ],
    });
    expect(retried.nodes.filter((n) => n.run === "failed")).toEqual([]);
    expect(node(retried, "done").run).toBe("visited");
    expect(taken(retried)).toEqual(["__trigger>has-domain", "enrich>done", "has-domain>enrich"]);
  });

  it("a completed run whose last step had no successor went on to the end; log entries of unknown steps are ignored", () => {
    const m = workflowGraph(everyType, {
      status: "completed",
      step: null,
      path: [
        { step: "route", outcome: "→ by-source" },
        { step: "by-source", outcome: "→ tag" },
        { step: "no-such-step", outcome: "?" },
        { step: "tag", outcome: "updated" },
      ],
    });
    expect(node(m, END_ID).run).toBe("visited");
    expect(taken(m)).toEqual(["__trigger>route", "by-source>tag", "route>by-source", `tag>${END_ID}`]);
    // Without a path, nothing is marked.
    expect(workflowGraph(everyType, { status: "running", step: "route", path: [] }).nodes.every((n) => n.run === "none")).toBe(true);
  });
});

describe("the graph as a list (the text alternative)", () => {
  it("reads from the trigger along the paths, the end last, each with where its paths lead", () => {
    const list = listInOrder(workflowGraph(recipe("data-enrichment-on-create.json")));
    expect(list.map((l) => l.node.id)).toEqual([TRIGGER_ID, "has-domain", "enrich", "enrich-by-hand", "done"]);
    const enrich = list.find((l) => l.node.id === "enrich");
    expect(enrich?.paths.map((p) => [p.label, p.to.id])).toEqual([
      ["if it succeeds", "done"],
      ["if it fails", "enrich-by-hand"],
    ]);
    const every = listInOrder(workflowGraph(everyType));
    expect(every.at(-1)?.node.id).toBe(END_ID);
    expect(every.map((l) => l.node.id).sort()).toEqual(
      workflowGraph(everyType)
        .nodes.map((n) => n.id)
        .sort(),
    );
    for (const file of recipes) {
      const m = workflowGraph(recipe(file));
      expect(listInOrder(m)).toHaveLength(m.nodes.length);
    }
  });
});

describe("the layout's quick path: the definition's order, without dagre's crossing minimisation", () => {
  // The builder's sizes (BuilderFlow: wider nodes, room for the arrows' labels) and the read-only graph's.
  const sizes = [READ_ONLY_SIZES, { width: 260, height: 88, labelExtra: 40 }];

  it("lays out every recipe and the benchmark's 100-step workflow without a crossing", () => {
    const workflows = [...recipes.map(recipe), workflowSchema.parse(largeWorkflow(100)) as unknown as WorkflowDefinition];
    for (const definition of workflows)
      for (const size of sizes) expect(definitionOrderCrosses(workflowGraph(definition), size), definition.name).toBe(false);
  });

  it("sees two arrows that cross, and not two that only meet at a node", () => {
    const graph = (points: Array<Array<{ x: number; y: number }>>) => {
      const g = new dagre.graphlib.Graph({ multigraph: true });
      g.setGraph({});
      points.forEach((p, i) => {
        g.setEdge(`s${i}`, `t${i}`, { points: p });
      });
      return g;
    };
    const crossing = [
      [
        { x: 0, y: 0 },
        { x: 3, y: 4 },
        { x: 10, y: 10 },
      ],
      [
        { x: 10, y: 0 },
        { x: 0, y: 10 },
      ],
    ];
    expect(hasCrossings(graph(crossing))).toBe(true);
    const meeting = [
      [
        { x: 0, y: 0 },
        { x: 5, y: 10 },
      ],
      [
        { x: 10, y: 0 },
        { x: 5, y: 10 },
      ],
    ];
    expect(hasCrossings(graph(meeting))).toBe(false);
  });
});

/**
 * The graph canvas: xyflow over the pure model (graph-model.ts) placed by dagre (layout.ts).
 * Read-only: nothing drags, connects or deletes; zoom, pan and fit stay. Each node is a
 * keyboard stop with an accessible name that says the step in words and where the run stands;
 * Enter or Space on a node (or a click) calls onSelectStep. Loaded lazily by WorkflowGraph.tsx,
 * with xyflow's stylesheet, so neither weighs on pages without a graph.
 */
import {
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  type NodeTypes,
  Position,
  ReactFlow,
  ReactFlowProvider,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { type KeyboardEvent, type MouseEvent, useMemo, useRef } from "react";
import { SHARED_CANVAS_PROPS } from "./canvas-props";
import { type CountState, END_ID, type GraphNode, type NodeHighlight, nodeLabel, TRIGGER_ID, workflowGraph } from "./graph-model";
import { fixedGeometry, layoutGraph, NODE_HEIGHT, NODE_WIDTH, READ_ONLY_SIZES, TALL_NODE_HEIGHT } from "./layout";
import { useFirstViewport } from "./useFirstViewport";
import { usePanCapture } from "./usePanCapture";
import type { WorkflowGraphProps } from "./WorkflowGraph";
import styles from "./WorkflowGraph.module.css";

type StepNodeData = {
  node: GraphNode;
  selected: boolean;
  tall: boolean;
  onOpenCount: ((stepId: string, state: CountState) => void) | undefined;
};
type StepFlowNode = Node<StepNodeData, "step">;

const KIND_WORDS: Record<GraphNode["kind"], string> = {
  trigger: "Trigger",
  action: "Action",
  branch: "Branch",
  switch: "Switch",
  delay: "Wait",
  wait_for: "Wait for",
  approval: "Approval",
  classify: "Classify",
  end: "End",
  implicit_end: "End",
  missing: "Missing",
};

const RUN_CLASS: Record<GraphNode["run"], string | undefined> = {
  none: undefined,
  visited: styles.visited,
  current: styles.current,
  failed: styles.failed,
};

const HIGHLIGHT_CLASS: Record<NodeHighlight, string | undefined> = {
  added: styles.added,
  changed: styles.changed,
  removed: styles.removed,
};

/** The diff's legend: only the marks a graph shows are listed under it. */
const LEGEND: Array<[NodeHighlight, string]> = [
  ["added", "“Added”: a new step"],
  ["changed", "“Changed”: a step (or the trigger) whose settings or paths changed"],
  ["removed", "“Removed”: a step the newer version no longer has"],
];

const COUNT_STATES: CountState[] = ["passed", "waiting", "failed"];
const COUNT_CLASS: Record<CountState, string | undefined> = {
  passed: styles.countPassed,
  waiting: styles.countWaiting,
  failed: styles.countFailed,
};
/** What a count's button opens, after its visible text: "3 passed: open the 3 runs that passed step tag". */
const COUNT_PHRASE: Record<CountState, string> = { passed: "that passed", waiting: "waiting at", failed: "that failed at" };

/** The step's runs by where they stand; each non-zero number a button that opens those runs. */
function StepCounts({ node, onOpen }: { node: GraphNode; onOpen: StepNodeData["onOpenCount"] }) {
  const counts = node.counts;
  const stepId = node.stepId;
  if (!counts || !stepId) return null;
  return (
    <span className={styles.counts}>
      {COUNT_STATES.map((state, i) => {
        const n = counts[state];
        const text = `${n} ${state}`;
        const sep = i > 0 ? <span aria-hidden="true"> · </span> : null;
        if (n === 0 || !onOpen)
          return (
            <span key={state} className={n > 0 ? COUNT_CLASS[state] : styles.countZero}>
              {sep}
              {text}
            </span>
          );
        return (
          <span key={state}>
            {sep}
            <button
              type="button"
              className={`nodrag nopan ${styles.countButton} ${COUNT_CLASS[state]}`}
              aria-label={`${text}: open ${n === 1 ? "the run" : `the ${n} runs`} ${COUNT_PHRASE[state]} step ${stepId}`}
              onClick={(e: MouseEvent) => {
                // The node's own click (choosing the step) is not this.
                e.stopPropagation();
                onOpen(stepId, state);
              }}
            >
              {text}
            </button>
          </span>
        );
      })}
    </span>
  );
}

// Node kinds are classes in camelCase (node-kinds.module.css): the step type `wait_for` is `styles.waitFor`.
function StepNode({ data }: NodeProps<StepFlowNode>) {
  const n = data.node;
  const classes = [
    styles.node,
    styles[n.kind === "implicit_end" ? "end" : n.kind === "wait_for" ? "waitFor" : n.kind],
    RUN_CLASS[n.run],
    n.highlight ? HIGHLIGHT_CLASS[n.highlight] : "",
    data.tall ? styles.tall : "",
    data.selected ? styles.selected : "",
  ];
  return (
    <div className={classes.filter(Boolean).join(" ")}>
      {n.id !== TRIGGER_ID ? <Handle type="target" position={Position.Top} isConnectable={false} className={styles.handle} /> : null}
      <span className={styles.kind}>
        {KIND_WORDS[n.kind]}
        {n.stepId ? <span className={styles.stepId}> · {n.stepId}</span> : null}
      </span>
      <span className={styles.title}>{n.title}</span>
      <span className={styles.detail}>{n.detail}</span>
      {n.run === "failed" ? <span className={styles.runNote}>Failed here</span> : null}
      {n.run === "current" ? <span className={styles.runNote}>The run is here</span> : null}
      {n.change ? <span className={styles.changeNote}>{n.change.replace(/^./, (c) => c.toUpperCase())}</span> : null}
      <StepCounts node={n} onOpen={data.onOpenCount} />
      {n.kind !== "end" && n.kind !== "implicit_end" ? (
        <Handle type="source" position={Position.Bottom} isConnectable={false} className={styles.handle} />
      ) : null}
    </div>
  );
}

const nodeTypes: NodeTypes = { step: StepNode };

/** xyflow's screen-reader texts, saying what this canvas allows (no moving, no editing). */
const ARIA = {
  "node.a11yDescription.default": "Press Enter or Space to show this step in the list of steps.",
  "node.a11yDescription.keyboardDisabled": "A step of the workflow.",
  "edge.a11yDescription.default": "A path between two steps.",
  "controls.ariaLabel": "Graph zoom",
  "controls.zoomIn.ariaLabel": "Zoom in",
  "controls.zoomOut.ariaLabel": "Zoom out",
  "controls.fitView.ariaLabel": "Fit the whole workflow in view",
};

export default function WorkflowGraphCanvas({
  definition,
  run,
  onSelectStep,
  selectedStep,
  label,
  highlight,
  highlightVersion,
  counts,
  onOpenCount,
  countsPeriod,
}: WorkflowGraphProps) {
  const model = useMemo(
    () => workflowGraph(definition, run, { highlight, highlightVersion, counts }),
    [definition, run, highlight, highlightVersion, counts],
  );
  // A node with a diff's words or runs counted has one more line.
  const tall = Boolean(counts || highlight);
  // Where the eye should land when the whole graph is too tall to read: where the run is or
  // failed, else the trigger.
  const focusId = model.nodes.find((n) => n.run === "failed" || n.run === "current")?.id ?? TRIGGER_ID;
  const nodeSize = useMemo(() => ({ width: NODE_WIDTH, height: tall ? TALL_NODE_HEIGHT : NODE_HEIGHT }), [tall]);
  const at = useMemo(() => layoutGraph(model, { ...READ_ONLY_SIZES, height: nodeSize.height }), [model, nodeSize]);
  const canvasBox = useRef<HTMLDivElement>(null);
  const firstView = useFirstViewport(canvasBox, at, nodeSize, focusId);
  usePanCapture(canvasBox);
  const { nodes, edges } = useMemo(() => {
    const { height } = nodeSize;
    const nodes: StepFlowNode[] = model.nodes.map((n) => ({
      id: n.id,
      type: "step",
      position: { x: at.get(n.id)?.x ?? 0, y: at.get(n.id)?.y ?? 0 },
      ...fixedGeometry(NODE_WIDTH, height, n.id !== TRIGGER_ID),
      data: { node: n, selected: n.stepId !== undefined && n.stepId === selectedStep, tall, onOpenCount },
      ariaLabel: nodeLabel(n),
      draggable: false,
      connectable: false,
      deletable: false,
      selectable: false,
    }));
    const edges: Edge[] = model.edges.map((e) => {
      const className = [
        styles.edge,
        e.taken ? styles.taken : "",
        e.kind === "failure" || e.kind === "timeout" || e.kind === "rejected" ? styles.alternate : "",
      ];
      return {
        id: e.id,
        source: e.source,
        target: e.target,
        type: "smoothstep",
        label: e.label || undefined,
        className: className.filter(Boolean).join(" "),
        labelClassName: styles.edgeLabel,
        labelBgPadding: [6, 3] as [number, number],
        labelBgBorderRadius: 4,
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        ariaLabel: `Path from ${nameOf(e.source)} to ${nameOf(e.target)}${e.label ? `: ${e.label}` : ""}${e.taken ? ", taken by this run" : ""}`,
        focusable: false,
        selectable: false,
        deletable: false,
      };
    });
    return { nodes, edges };
  }, [model, at, nodeSize, selectedStep, tall, onOpenCount]);

  // Enter or Space on a focused step node chooses it, as a click does. xyflow keeps a node's own
  // key handler (selection, which this read-only canvas turns off), so the keys are caught here
  // as they bubble up from the node.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    // A count's button inside the node answers its own keys.
    if ((e.target as HTMLElement).closest("button")) return;
    const id = (e.target as HTMLElement).closest(".react-flow__node")?.getAttribute("data-id");
    const stepId = id ? model.nodes.find((n) => n.id === id)?.stepId : undefined;
    if (stepId && onSelectStep) {
      e.preventDefault();
      onSelectStep(stepId);
    }
  };

  return (
    <div className={styles.layout}>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the keys come from the focusable nodes inside (see onKeyDown) */}
      <div className={styles.canvas} onKeyDown={onKeyDown} ref={canvasBox}>
        <ReactFlowProvider>
          {firstView ? (
            <ReactFlow
              aria-label={label ?? `Graph of ${definition.name}`}
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              nodesDraggable={false}
              onNodeClick={(_, n) => {
                const stepId = n.data.node.stepId;
                if (stepId && onSelectStep) onSelectStep(stepId);
              }}
              {...SHARED_CANVAS_PROPS}
              defaultViewport={firstView}
              ariaLabelConfig={ARIA}
              proOptions={{ hideAttribution: false }}
            >
              <Controls showInteractive={false} position="top-right" />
            </ReactFlow>
          ) : null}
        </ReactFlowProvider>
      </div>
      <aside className={styles.side} aria-label="About this graph">
        {model.goal ? (
          <section className={styles.goal}>
            <h3>Goal</h3>
            <p>A record leaves the workflow as soon as {model.goal}.</p>
          </section>
        ) : null}
        {highlight ? (
          <section>
            <h3>What changed{highlightVersion !== undefined ? ` in v${highlightVersion}` : ""}</h3>
            {Object.keys(highlight).length === 0 ? <p>Nothing is marked on this graph: none of its steps changed.</p> : null}
            <ul className={styles.legend}>
              {LEGEND.filter(([kind]) => Object.values(highlight).includes(kind)).map(([kind, words]) => (
                <li key={kind}>
                  <span className={`${styles.swatch} ${HIGHLIGHT_CLASS[kind]}`} aria-hidden="true" /> {words}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {counts ? (
          <section>
            <h3>Runs at each step</h3>
            <p>
              Of the {countsPeriod ?? "runs counted"}: <strong>passed</strong> went on from the step, <strong>waiting</strong> are there
              now, <strong>failed</strong> stopped there with an error.
              {onOpenCount ? " Choose a number to see those runs." : ""}
            </p>
          </section>
        ) : null}
        {run ? (
          <section>
            <h3>This run</h3>
            <ul className={styles.legend}>
              <li>
                <span className={`${styles.swatch} ${styles.visited}`} aria-hidden="true" /> steps it passed, with the paths it took
              </li>
              <li>
                <span className={`${styles.swatch} ${styles.current}`} aria-hidden="true" /> where it is now
              </li>
              <li>
                <span className={`${styles.swatch} ${styles.failed}`} aria-hidden="true" /> where it failed
              </li>
            </ul>
          </section>
        ) : null}
      </aside>
    </div>
  );
}

function nameOf(id: string) {
  if (id === TRIGGER_ID) return "the trigger";
  if (id === END_ID) return "the end";
  return `step ${id}`;
}

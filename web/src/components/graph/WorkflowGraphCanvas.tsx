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
  type ReactFlowInstance,
  ReactFlowProvider,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { type KeyboardEvent, useMemo } from "react";
import { END_ID, type GraphNode, nodeLabel, TRIGGER_ID, workflowGraph } from "./graph-model";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "./layout";
import type { WorkflowGraphProps } from "./WorkflowGraph";
import styles from "./WorkflowGraph.module.css";

type StepNodeData = { node: GraphNode; selected: boolean };
type StepFlowNode = Node<StepNodeData, "step">;

const KIND_WORDS: Record<GraphNode["kind"], string> = {
  trigger: "Trigger",
  action: "Action",
  branch: "Branch",
  switch: "Switch",
  delay: "Wait",
  wait_for: "Wait for",
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

// CSS Modules hand classes out in camelCase (vite.config.ts): `.wait_for` is `styles.waitFor`.
function StepNode({ data }: NodeProps<StepFlowNode>) {
  const n = data.node;
  const classes = [
    styles.node,
    styles[n.kind === "implicit_end" ? "end" : n.kind === "wait_for" ? "waitFor" : n.kind],
    RUN_CLASS[n.run],
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

export default function WorkflowGraphCanvas({ definition, run, onSelectStep, selectedStep, label }: WorkflowGraphProps) {
  const model = useMemo(() => workflowGraph(definition, run), [definition, run]);
  // Where the eye should land when the whole graph is too tall to read: where the run is or
  // failed, else the trigger.
  const focusId = model.nodes.find((n) => n.run === "failed" || n.run === "current")?.id ?? TRIGGER_ID;
  const { nodes, edges } = useMemo(() => {
    const at = layoutGraph(model);
    const nodes: StepFlowNode[] = model.nodes.map((n) => ({
      id: n.id,
      type: "step",
      position: { x: at.get(n.id)?.x ?? 0, y: at.get(n.id)?.y ?? 0 },
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      data: { node: n, selected: n.stepId !== undefined && n.stepId === selectedStep },
      ariaLabel: nodeLabel(n),
      draggable: false,
      connectable: false,
      deletable: false,
      selectable: false,
    }));
    const edges: Edge[] = model.edges.map((e) => {
      const className = [styles.edge, e.taken ? styles.taken : "", e.kind === "failure" || e.kind === "timeout" ? styles.alternate : ""];
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
  }, [model, selectedStep]);

  // Enter or Space on a focused step node chooses it, as a click does. xyflow keeps a node's own
  // key handler (selection, which this read-only canvas turns off), so the keys are caught here
  // as they bubble up from the node.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Enter" && e.key !== " ") return;
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
      <div className={styles.canvas} onKeyDown={onKeyDown}>
        <ReactFlowProvider>
          <ReactFlow
            aria-label={label ?? `Graph of ${definition.name}`}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            nodesDraggable={false}
            nodesConnectable={false}
            edgesFocusable={false}
            elementsSelectable={false}
            nodesFocusable
            deleteKeyCode={null}
            selectionKeyCode={null}
            multiSelectionKeyCode={null}
            onNodeClick={(_, n) => {
              const stepId = n.data.node.stepId;
              if (stepId && onSelectStep) onSelectStep(stepId);
            }}
            onInit={(flow) => initialView(flow, focusId)}
            fitViewOptions={FIT}
            minZoom={0.2}
            maxZoom={2}
            ariaLabelConfig={ARIA}
            proOptions={{ hideAttribution: false }}
          >
            <Controls showInteractive={false} position="top-right" />
          </ReactFlow>
        </ReactFlowProvider>
      </div>
      <aside className={styles.side} aria-label="About this graph">
        {model.goal ? (
          <section className={styles.goal}>
            <h3>Goal</h3>
            <p>A record leaves the workflow as soon as {model.goal}.</p>
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

const FIT = { padding: 0.08, maxZoom: 1 } as const;
/** Below this zoom a node's words are too small to read (13 px text at 0.7 is about 9 px). */
const READABLE_ZOOM = 0.7;

/**
 * The whole workflow when it fits at a readable size; otherwise a readable zoom centred on the
 * focus node — or, when that is the trigger, starting at the top (the rest is a pan or the fit
 * button away).
 */
async function initialView(flow: ReactFlowInstance<StepFlowNode>, focusId: string) {
  await flow.fitView(FIT);
  if (flow.getZoom() >= READABLE_ZOOM) return;
  await flow.fitView({ nodes: [{ id: focusId }], minZoom: 0.85, maxZoom: 0.85 });
  const node = flow.getNode(focusId);
  if (focusId === TRIGGER_ID && node) {
    // Centred, the trigger would sit mid-frame with empty space above it and half the
    // workflow cut off below: start it at the top of the frame instead.
    const { x, zoom } = flow.getViewport();
    await flow.setViewport({ x, y: TOP_MARGIN_PX - node.position.y * zoom, zoom });
  }
}

/** Room above the trigger when the view starts at the top of a tall workflow. */
const TOP_MARGIN_PX = 24;

function nameOf(id: string) {
  if (id === TRIGGER_ID) return "the trigger";
  if (id === END_ID) return "the end";
  return `step ${id}`;
}

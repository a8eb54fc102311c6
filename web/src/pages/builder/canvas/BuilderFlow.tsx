/**
 * The builder's editable canvas: the workflow laid out by dagre (no stored positions), with the
 * palette beside it. Insert: the "+" on an arrow opens "Add a step here"; or drag a palette item
 * onto a "+"; or choose an item and then a "+". Move: drag a step onto a "+" (with what follows
 * when Shift is held or "Move with what follows" is ticked), or "Move…" and then a "+". Delete /
 * Backspace asks how to delete; Ctrl+C and Ctrl+V copy steps and paste them on the selected
 * arrow or after the selected step. Every edit goes through model/edit.ts and comes back to the
 * page as a whole definition (onEdit), so undo covers it. Loaded lazily by BuilderCanvas.tsx.
 *
 * Speed: the graph model and its layout are memoised on the definition, so selecting, dragging,
 * panning and zooming never lay out again; nodes and edges are memoised components.
 */

import { useQuery } from "@tanstack/react-query";
import { Controls, MarkerType, MiniMap, type NodeChange, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { aiModelsQuery } from "../../ai/data";
import "@xyflow/react/dist/style.css";
import { type MouseEvent as ReactMouseEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, unwrap } from "../../../api/client";
import { SHARED_CANVAS_PROPS } from "../../../components/graph/canvas-props";
import { END_ID, type GraphEdge, nodeLabel, TRIGGER_ID, workflowGraph } from "../../../components/graph/graph-model";
import { fixedGeometry, layoutGraph } from "../../../components/graph/layout";
import { useFirstViewport } from "../../../components/graph/useFirstViewport";
import { usePanCapture } from "../../../components/graph/usePanCapture";
import {
  type Clipboard,
  copySteps,
  deletePreview,
  deleteStep,
  type EditResult,
  edgeTarget,
  insertStep,
  moveStep,
  pasteSteps,
  slotsAfter,
} from "../model/edit";
import { type PaletteId, paletteItem } from "../model/palette";
import { problemsByNode } from "../model/problems";
import type { BuilderPartProps } from "../types";
import styles from "./canvas.module.css";
import { DeleteDialog } from "./DeleteDialog";
import { type CanvasActions, CanvasContext, type InsertFlowEdge, type Placing, type StepFlowNode } from "./flow-types";
import { InsertEdge } from "./InsertEdge";
import { InsertMenu } from "./InsertMenu";
import { Palette } from "./Palette";
import { StepNode } from "./StepNode";

export const NODE_W = 260;
/** A node's height: taller when it carries a footer (run counts, a version mark). */
const NODE_H = 84;
const NODE_H_FOOTER = 106;
/** Room beside an edge's words for its "+". */
const LABEL_EXTRA = 40;
/** From this many nodes on, the minimap helps to find one's way. */
const MINIMAP_FROM = 12;
/** How near (screen pixels) the pointer dragging a step must come to a "+" for the step to land there. */
const DROP_RADIUS = 48;
/** Room below a step brought into view: the arrow after it and its "+". */
const REVEAL_BELOW = 70;

const nodeTypes = { step: StepNode };
const edgeTypes = { insert: InsertEdge };

const ARIA = {
  "node.a11yDescription.default": "Press Enter to open this step's settings, Delete to delete it, Ctrl+C to copy it.",
  "node.a11yDescription.keyboardDisabled": "A step of the workflow.",
  "edge.a11yDescription.default": "A path between two steps.",
  "controls.ariaLabel": "Canvas zoom",
  "controls.zoomIn.ariaLabel": "Zoom in",
  "controls.zoomOut.ariaLabel": "Zoom out",
  "controls.fitView.ariaLabel": "Fit the whole workflow in view",
  "minimap.ariaLabel": "Overview of the whole workflow",
};

function nameOf(id: string) {
  if (id === TRIGGER_ID) return "the trigger";
  if (id === END_ID) return "the end";
  return id;
}
const whereOf = (e: GraphEdge) => `between ${nameOf(e.source)} and ${nameOf(e.target)}${e.label ? ` (${e.label})` : ""}`;

export default function BuilderFlow(props: BuilderPartProps) {
  return (
    <ReactFlowProvider>
      <Flow {...props} />
    </ReactFlowProvider>
  );
}

function Flow({ definition, selection, onSelect, onEdit, problems, editable, counts, onOpenCount, highlight, tested }: BuilderPartProps) {
  const wrapper = useRef<HTMLDivElement>(null);
  const flowBox = useRef<HTMLDivElement>(null);
  const flow = useReactFlow<StepFlowNode, InsertFlowEdge>();
  /** The step an edit just added or moved: the canvas brings it into view (see the effect below). */
  const [reveal, setReveal] = useState<string>();
  const model = useMemo(() => workflowGraph(definition), [definition]);
  const nodeHeight = counts || highlight || tested ? NODE_H_FOOTER : NODE_H;
  const placed = useMemo(() => layoutGraph(model, { width: NODE_W, height: nodeHeight, labelExtra: LABEL_EXTRA }), [model, nodeHeight]);
  const byNode = useMemo(() => problemsByNode(problems), [problems]);
  const edgeById = useMemo(() => new Map(model.edges.map((e) => [e.id, e])), [model]);
  const otherWorkflows = useQuery({
    queryKey: ["workflows", "keys"],
    queryFn: async () => (unwrap(await api.GET("/api/v1/workflows")).data as { key: string }[]).map((w) => w.key),
    staleTime: 60_000,
    enabled: editable,
  });
  const aiModels = useQuery({ ...aiModelsQuery, enabled: editable });

  const [placing, setPlacing] = useState<Placing>();
  const [selectedEdge, setSelectedEdge] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  const [clipboard, setClipboard] = useState<Clipboard>();
  const [menuEdge, setMenuEdge] = useState<string>();
  const [menuError, setMenuError] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const [deleteError, setDeleteError] = useState<string>();
  const [message, setMessage] = useState("");
  const [withSubtree, setWithSubtree] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(true);
  const [drag, setDrag] = useState<{ id: string; position: { x: number; y: number } }>();
  const [dropEdge, setDropEdge] = useState<string>();
  const nodeSize = useMemo(() => ({ width: NODE_W, height: nodeHeight }), [nodeHeight]);
  const firstView = useFirstViewport(flowBox, placed, nodeSize);
  usePanCapture(flowBox);

  const selectedStep = selection.kind === "step" && definition.steps[selection.id] ? selection.id : undefined;

  /** An edit's outcome: the new definition to the page and its new step selected, or the refusal said. */
  const apply = useCallback(
    (r: EditResult, done: string): boolean => {
      if (!r.ok) {
        setMessage(r.reason);
        return false;
      }
      onEdit(r.definition);
      if (r.focus && r.definition.steps[r.focus]) {
        onSelect({ kind: "step", id: r.focus });
        setReveal(r.focus);
      } else onSelect({ kind: "workflow" });
      setSelectedEdge(undefined);
      setPicked([]);
      setMessage(done);
      return true;
    },
    [onEdit, onSelect],
  );

  const insert = useCallback(
    (edgeId: string, item: string): EditResult | undefined => {
      const e = edgeById.get(edgeId);
      if (!e) return undefined;
      const entry = paletteItem(item as PaletteId);
      const workflows = (otherWorkflows.data ?? []).filter((k) => k !== definition.key);
      const r = insertStep(definition, e.slots, entry.id, { object: definition.object, workflows, aiModels: aiModels.data });
      apply(r, `Added ${entry.label} ${whereOf(e)}.`);
      return r;
    },
    [edgeById, definition, apply, otherWorkflows.data, aiModels.data],
  );

  const move = useCallback(
    (id: string, edgeId: string, subtree: boolean) => {
      const e = edgeById.get(edgeId);
      if (e) apply(moveStep(definition, id, e.slots, subtree), `Moved ${id}${subtree ? " and what follows" : ""} ${whereOf(e)}.`);
    },
    [edgeById, definition, apply],
  );

  const paste = useCallback(
    (edgeId?: string) => {
      if (!clipboard) {
        setMessage("Nothing is copied yet: select a step and press Ctrl+C (or Copy).");
        return;
      }
      const e = edgeId ? edgeById.get(edgeId) : selectedEdge ? edgeById.get(selectedEdge) : undefined;
      const slots = e?.slots ?? (selectedStep ? slotsAfter(definition, selectedStep) : undefined);
      if (!slots) {
        setMessage("Choose where to paste: click the words of an arrow, or select a step to paste after it.");
        return;
      }
      apply(pasteSteps(definition, clipboard, slots), `Pasted ${clipboard.order.join(", ")}.`);
    },
    [clipboard, edgeById, selectedEdge, selectedStep, definition, apply],
  );

  const copy = useCallback(() => {
    const ids = [...new Set([...(selectedStep ? [selectedStep] : []), ...picked])];
    if (ids.length === 0) {
      setMessage("Select a step to copy first.");
      return;
    }
    setClipboard(copySteps(definition, ids));
    setMessage(`Copied ${ids.join(", ")}. Paste with Ctrl+V after a selected step, on a selected arrow, or from a + menu.`);
  }, [selectedStep, picked, definition]);

  const actions: CanvasActions = useMemo(
    () => ({
      editable,
      placing,
      onPlus: (edgeId) => {
        if (placing?.kind === "insert") insert(edgeId, placing.item);
        else if (placing?.kind === "move") move(placing.id, edgeId, placing.withSubtree);
        else {
          setMenuError(undefined);
          setMenuEdge(edgeId);
          return;
        }
        setPlacing(undefined);
      },
      onPickEdge: (edgeId) => {
        setSelectedEdge(edgeId);
        const e = edgeById.get(edgeId);
        if (e) setMessage(`Selected the arrow ${whereOf(e)}.${clipboard ? " Ctrl+V pastes here." : ""}`);
      },
      onDropItem: (edgeId, item) => {
        insert(edgeId, item);
        setPlacing(undefined);
      },
      onOpenCount,
    }),
    [editable, placing, insert, move, edgeById, clipboard, onOpenCount],
  );

  const nodes = useMemo<StepFlowNode[]>(
    () =>
      model.nodes.map((n) => {
        const at = placed.get(n.id) ?? { x: 0, y: 0 };
        const nodeProblems = byNode.get(n.id) ?? [];
        const problemCount = nodeProblems.length;
        const c = n.stepId ? counts?.[n.stepId] : undefined;
        const h = n.stepId ? highlight?.[n.stepId] : undefined;
        const taken = n.stepId ? tested?.[n.stepId] : undefined;
        const label = [
          nodeLabel(n),
          // The messages too: a screen reader hears what is wrong, not only that something is.
          problemCount > 0
            ? `${problemCount} ${problemCount === 1 ? "problem" : "problems"}: ${nodeProblems.map((p) => p.message).join("; ")}`
            : "",
          c ? `${c.passed} passed, ${c.waiting} waiting, ${c.failed} failed` : "",
          h ? `${h} in this version` : "",
          taken ? `taken by the test run as step ${taken.join(" and ")}` : "",
        ]
          .filter(Boolean)
          .join(", ");
        const isSelected =
          (n.kind === "trigger" && selection.kind === "trigger") ||
          (n.stepId !== undefined && (n.stepId === selectedStep || picked.includes(n.stepId)));
        return {
          id: n.id,
          type: "step" as const,
          position: { x: at.x, y: at.y },
          ...fixedGeometry(NODE_W, nodeHeight, n.kind !== "trigger"),
          data: { node: n, selected: isSelected, problems: problemCount, counts: c, highlight: h, tested: taken, label },
          ariaLabel: label,
          draggable: editable && n.stepId !== undefined,
          connectable: false,
          deletable: false,
          selectable: false,
        };
      }),
    [model, placed, nodeHeight, byNode, counts, highlight, tested, selection.kind, selectedStep, picked, editable],
  );
  const shown = useMemo(() => (drag ? nodes.map((n) => (n.id === drag.id ? { ...n, position: drag.position } : n)) : nodes), [nodes, drag]);

  // A step added (or moved, or pasted) below the visible part of the canvas would leave the person
  // looking at an unchanged picture, with the next "+" out of reach: when the step, and room for
  // the arrow after it, is not in view, the canvas centres on it at the same zoom. On the next
  // frame, once React Flow has the new layout.
  useEffect(() => {
    if (!reveal) return;
    const frame = requestAnimationFrame(() => {
      setReveal(undefined);
      const node = flow.getNode(reveal);
      const box = flowBox.current;
      if (!node || !box) return;
      const { x, y, zoom } = flow.getViewport();
      const left = node.position.x * zoom + x;
      const top = node.position.y * zoom + y;
      const right = left + (node.width ?? NODE_W) * zoom;
      const bottom = top + ((node.height ?? nodeHeight) + REVEAL_BELOW) * zoom;
      if (left >= 0 && top >= 0 && right <= box.clientWidth && bottom <= box.clientHeight) return;
      void flow.fitView({ nodes: [{ id: reveal }], minZoom: zoom, maxZoom: zoom });
    });
    return () => cancelAnimationFrame(frame);
  }, [reveal, flow, nodeHeight]);

  const edges = useMemo<InsertFlowEdge[]>(
    () =>
      model.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        type: "insert" as const,
        data: { edge: e, slots: e.slots, where: whereOf(e), selected: e.id === selectedEdge, dropTarget: e.id === dropEdge },
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        ariaLabel: `Path ${whereOf(e)}`,
        focusable: false,
        selectable: false,
        deletable: false,
      })),
    [model, selectedEdge, dropEdge],
  );

  /**
   * The edge whose "+" is nearest to a point of the screen, if near enough — never one into or out
   * of the step being moved. Read from the drawn chips, so it is where the person sees the "+".
   */
  const edgeNear = useCallback(
    (p: { x: number; y: number }, moving: string): string | undefined => {
      let best: { id: string; d: number } | undefined;
      for (const chip of wrapper.current?.querySelectorAll<HTMLElement>("[data-edge]") ?? []) {
        const id = chip.dataset.edge as string;
        const e = edgeById.get(id);
        if (!e || e.source === moving || e.target === moving) continue;
        const r = chip.getBoundingClientRect();
        const d = Math.hypot(r.x + r.width / 2 - p.x, r.y + r.height / 2 - p.y);
        if (d < DROP_RADIUS && (!best || d < best.d)) best = { id, d };
      }
      return best?.id;
    },
    [edgeById],
  );

  const onNodesChange = useCallback((changes: NodeChange<StepFlowNode>[]) => {
    for (const c of changes) if (c.type === "position" && c.position && c.dragging) setDrag({ id: c.id, position: c.position });
  }, []);

  const stepOf = (id: string) => model.nodes.find((n) => n.id === id);

  const openDelete = useCallback((id: string) => {
    setDeleteError(undefined);
    setDeleting(id);
  }, []);

  // Keys for the canvas: Delete / Backspace, Ctrl+C, Ctrl+V, Escape, and Enter on a node. Heard on
  // the window (an edit re-draws the node that had focus), but only when focus is on the canvas or
  // nowhere — never in a field, a dialog or the inspector.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const here = target === document.body || (target && wrapper.current?.contains(target));
      if (!here || !target || target.closest("dialog") || target.matches("input, textarea, select, [contenteditable]")) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (e.key === "Escape" && placing) {
        setPlacing(undefined);
        setMessage("Cancelled.");
      } else if ((e.key === "Delete" || e.key === "Backspace") && editable && selectedStep) openDelete(selectedStep);
      else if (mod && key === "c" && !e.shiftKey) copy();
      else if (mod && key === "v" && editable) paste();
      else if ((e.key === "Enter" || e.key === " ") && target.closest(".react-flow__node")) {
        const id = target.closest(".react-flow__node")?.getAttribute("data-id");
        const n = id ? model.nodes.find((x) => x.id === id) : undefined;
        if (n?.kind === "trigger") onSelect({ kind: "trigger" });
        else if (n?.stepId) onSelect({ kind: "step", id: n.stepId });
        else return;
      } else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [placing, editable, selectedStep, copy, paste, openDelete, model, onSelect]);

  const onNodeClick = (e: ReactMouseEvent, node: StepFlowNode) => {
    const n = node.data.node;
    if (n.kind === "trigger") onSelect({ kind: "trigger" });
    else if (n.stepId && e.shiftKey && selectedStep) {
      const id = n.stepId;
      setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
    } else if (n.stepId) {
      setPicked([]);
      onSelect({ kind: "step", id: n.stepId });
    }
  };

  const menu = menuEdge ? edgeById.get(menuEdge) : undefined;
  const preview = useMemo(
    () => (deleting && definition.steps[deleting] ? deletePreview(definition, deleting) : undefined),
    [deleting, definition],
  );
  const selectedNode = selectedStep ? stepOf(selectedStep) : undefined;
  const copyCount = [...new Set([...(selectedStep ? [selectedStep] : []), ...picked])].length;

  return (
    <CanvasContext.Provider value={actions}>
      <div className={`${styles.wrap} ${editable && paletteOpen ? "" : styles.noPalette}`} ref={wrapper}>
        {editable && paletteOpen ? (
          <Palette
            chosen={placing?.kind === "insert" ? placing.item : undefined}
            onChoose={(item) => setPlacing({ kind: "insert", item, label: paletteItem(item as PaletteId).label })}
            onHide={() => setPaletteOpen(false)}
          />
        ) : null}
        <div className={styles.main}>
          <div className={styles.bar}>
            {editable && !paletteOpen ? (
              <button type="button" className={styles.small} onClick={() => setPaletteOpen(true)} aria-expanded={false}>
                Show the steps to add
              </button>
            ) : null}
            {selectedNode ? (
              <span className={styles.selection}>
                Selected: <strong>{selectedNode.title}</strong> <span className={styles.muted}>({selectedStep})</span>
                {picked.length > 0 ? <span className={styles.muted}> and {picked.length} more (Shift+click)</span> : null}
              </span>
            ) : (
              <span className={styles.muted}>Click a step to select it; Shift+click more steps to copy them together.</span>
            )}
            {editable && selectedStep ? (
              <span className={styles.barActions}>
                <button type="button" className={styles.small} onClick={() => setPlacing({ kind: "move", id: selectedStep, withSubtree })}>
                  Move…
                </button>
                <button type="button" className={styles.small} onClick={copy} aria-keyshortcuts="Control+C">
                  Copy{copyCount > 1 ? ` ${copyCount} steps` : ""}
                </button>
                {clipboard ? (
                  <button type="button" className={styles.small} onClick={() => paste()} aria-keyshortcuts="Control+V">
                    Paste after it
                  </button>
                ) : null}
                <button type="button" className={styles.small} onClick={() => openDelete(selectedStep)} aria-keyshortcuts="Delete">
                  Delete…
                </button>
              </span>
            ) : null}
            {editable ? (
              <label className={styles.check}>
                <input type="checkbox" checked={withSubtree} onChange={(e) => setWithSubtree(e.target.checked)} /> Move with what follows
                <span className={styles.muted}>(or Shift while dragging)</span>
              </label>
            ) : null}
          </div>
          <div className={styles.statusRow}>
            <p role="status" aria-label="Canvas" className={styles.status}>
              {placing?.kind === "insert"
                ? `Choose where to put ${placing.label}: press a + on an arrow. Escape cancels.`
                : placing?.kind === "move"
                  ? `Choose where to move ${placing.id}${placing.withSubtree ? " and what follows" : ""}: press a + on an arrow. Escape cancels.`
                  : message}
            </p>
            {placing ? (
              <button type="button" className={styles.small} onClick={() => setPlacing(undefined)}>
                Cancel
              </button>
            ) : null}
          </div>
          {model.goal || highlight || tested ? (
            <div className={styles.aside}>
              {model.goal ? (
                <p className={styles.goal}>
                  <strong>Goal:</strong> a record leaves the workflow as soon as {model.goal}.
                </p>
              ) : null}
              {highlight ? <p className={styles.legend}>Steps marked Added, Changed or Removed differ from the version compared.</p> : null}
              {tested ? <p className={styles.legend}>Steps marked “Test run · step N” are the path the test run took, in order.</p> : null}
            </div>
          ) : null}
          <div className={styles.flow} ref={flowBox}>
            {firstView ? (
              <ReactFlow<StepFlowNode, InsertFlowEdge>
                aria-label={`Canvas of ${definition.name}`}
                nodes={shown}
                edges={edges}
                nodeTypes={nodeTypes}
                edgeTypes={edgeTypes}
                onNodesChange={onNodesChange}
                onNodeClick={onNodeClick}
                onNodeDragStart={(_, node) => setMessage(`Moving ${node.id}: drop it on a + of an arrow.`)}
                onNodeDrag={(e, node) => setDropEdge(edgeNear(pointer(e), node.id))}
                onNodeDragStop={(e, node) => {
                  const target = edgeNear(pointer(e), node.id);
                  setDrag(undefined);
                  setDropEdge(undefined);
                  if (target) move(node.id, target, withSubtree || e.shiftKey);
                  else setMessage("Drop a step on the + of an arrow to move it there.");
                }}
                onPaneClick={() => {
                  setSelectedEdge(undefined);
                  setPicked([]);
                }}
                nodesDraggable={editable}
                nodeDragThreshold={4}
                {...SHARED_CANVAS_PROPS}
                defaultViewport={firstView}
                ariaLabelConfig={ARIA}
              >
                <Controls showInteractive={false} position="top-right" />
                {model.nodes.length >= MINIMAP_FROM ? (
                  <MiniMap pannable zoomable position="bottom-right" nodeStrokeWidth={3} style={MINIMAP_SIZE} />
                ) : null}
              </ReactFlow>
            ) : null}
          </div>
        </div>
      </div>
      <InsertMenu
        open={menu !== undefined}
        where={menu ? whereOf(menu) : ""}
        endsHere={menu ? edgeTarget(definition, menu.slots) === undefined : false}
        canPaste={clipboard ? clipboard.order.join(", ") : undefined}
        error={menuError}
        onChoose={(item) => {
          if (!menuEdge) return;
          const r = insert(menuEdge, item);
          if (r?.ok) setMenuEdge(undefined);
          else if (r) setMenuError(r.reason);
        }}
        onPaste={() => {
          if (!menuEdge) return;
          paste(menuEdge);
          setMenuEdge(undefined);
        }}
        onClose={() => setMenuEdge(undefined)}
      />
      <DeleteDialog
        stepId={deleting}
        preview={preview}
        error={deleteError}
        onDelete={(mode) => {
          if (!deleting) return;
          const r = deleteStep(definition, deleting, mode);
          if (!r.ok) setDeleteError(r.reason);
          else {
            apply(r, mode === "reconnect" ? `Deleted ${deleting}.` : `Deleted ${deleting} and what follows it.`);
            setDeleting(undefined);
          }
        }}
        onClose={() => setDeleting(undefined)}
      />
    </CanvasContext.Provider>
  );
}

/** Where a mouse or touch event is on the screen. */
function pointer(e: MouseEvent | TouchEvent): { x: number; y: number } {
  const p = "touches" in e ? (e.changedTouches[0] ?? e.touches[0]) : e;
  return { x: p?.clientX ?? 0, y: p?.clientY ?? 0 };
}

const MINIMAP_SIZE = { width: 140, height: 100 };

/**
 * An edge of the builder's canvas: the path with its words ("otherwise", "if it fails") and a
 * "+" that opens the insert menu — or, while a palette item or a step is being placed, puts it
 * here. The label and "+" are also where a palette item is dropped and a dragged step lands.
 * A click on the words selects the edge (Ctrl+V pastes there).
 */
import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getSmoothStepPath } from "@xyflow/react";
import { type DragEvent, memo, useContext } from "react";
import styles from "./canvas.module.css";
import { CanvasContext, type InsertFlowEdge, PALETTE_MIME } from "./flow-types";

function InsertEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  markerEnd,
}: EdgeProps<InsertFlowEdge>) {
  const actions = useContext(CanvasContext);
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!data) return null;
  const e = data.edge;
  const placing = actions.placing;
  const name =
    placing?.kind === "insert"
      ? `Put ${placing.label} here, ${data.where}`
      : placing?.kind === "move"
        ? `Move ${placing.id}${placing.withSubtree ? " and what follows" : ""} here, ${data.where}`
        : `Add a step here, ${data.where}`;
  const over = (ev: DragEvent) => {
    if (!ev.dataTransfer.types.includes(PALETTE_MIME)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = "copy";
  };
  const drop = (ev: DragEvent) => {
    const item = ev.dataTransfer.getData(PALETTE_MIME);
    if (!item) return;
    ev.preventDefault();
    actions.onDropItem(id, item);
  };
  const classes = [
    styles.edge,
    e.kind === "failure" || e.kind === "timeout" || e.kind === "rejected" ? styles.alternate : "",
    data.selected ? styles.edgeSelected : "",
  ];
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={classes.filter(Boolean).join(" ")} interactionWidth={16} />
      <EdgeLabelRenderer>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop zone for the mouse; the "+" inside is the keyboard's way */}
        <div
          className={`nodrag nopan ${styles.edgeChip} ${data.dropTarget ? styles.dropTarget : ""} ${data.selected ? styles.chipSelected : ""} ${placing ? styles.placing : ""}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-edge={id}
          onDragOver={over}
          onDragEnter={over}
          onDrop={drop}
        >
          {e.label ? (
            // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: the "+" menu offers "Paste here" by keyboard
            <span className={styles.edgeLabel} onClick={() => actions.onPickEdge(id)}>
              {e.label}
            </span>
          ) : null}
          {actions.editable ? (
            <button type="button" className={styles.plus} aria-label={name} title={name} onClick={() => actions.onPlus(id)}>
              +
            </button>
          ) : null}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const InsertEdge = memo(InsertEdgeView);

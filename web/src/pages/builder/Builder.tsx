/**
 * The workflow builder (/workflows/$id/edit): the latest version of a workflow (its draft, or the
 * live version when there is no draft) on a canvas, with an inspector for what is selected and
 * undo / redo over every edit. The page owns the definition and its history; the canvas and the
 * inspector are told the definition and hand back edits (types.ts).
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useRouteContext } from "@tanstack/react-router";
import { useCallback, useEffect, useState } from "react";
import { api, unwrap } from "../../api/client";
import type { WorkflowDefinition } from "../../components/graph/definition";
import { ErrorMessage, PageHeader } from "../../components/ui";
import { BuilderCanvas } from "./BuilderCanvas";
import styles from "./builder.module.css";
import { Inspector } from "./Inspector";
import { canRedo, canUndo, type History, record, redo, startHistory, undo } from "./model/history";
import type { Problem } from "./model/problems";
import type { Selection } from "./types";

/** Roles that change workflows (the API's rule: admins and managers). */
const EDITORS = new Set(["admin", "manager"]);

export function Builder() {
  const { id } = useParams({ from: "/app/workflows/$id/edit" });
  const workflow = useQuery({
    queryKey: ["workflow", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}", { params: { path: { id } } })),
    // The builder holds its own copy from here on: a refetch must not replace what is being edited.
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (workflow.error)
    return (
      <>
        <PageHeader title="Workflow builder" />
        <ErrorMessage error={workflow.error} what="this workflow" />
        <p>
          <Link to="/workflows">Back to the workflows</Link>
        </p>
      </>
    );
  if (!workflow.data) return <p aria-live="polite">Loading the workflow…</p>;
  const w = workflow.data;
  const latest = w.versions.find((v) => v.version === w.latest_version) ?? w.versions[0];
  if (!latest) return <p>This workflow has no version to edit.</p>;
  return <BuilderEditor key={`${w.id}:${latest.version}`} workflowId={w.id} initial={latest.definition as WorkflowDefinition} />;
}

function BuilderEditor({ workflowId, initial }: { workflowId: string; initial: WorkflowDefinition }) {
  const { session } = useRouteContext({ from: "/app" });
  const editable = EDITORS.has(session.user.role);
  const [history, setHistory] = useState<History<WorkflowDefinition>>(() => startHistory(initial));
  const [selection, setSelection] = useState<Selection>({ kind: "workflow" });
  const problems: Problem[] = [];
  const definition = history.present;

  const onEdit = useCallback((next: WorkflowDefinition, mergeKey?: string) => setHistory((h) => record(h, next, Date.now(), mergeKey)), []);
  const onUndo = useCallback(() => setHistory(undo), []);
  const onRedo = useCallback(() => setHistory(redo), []);

  // Ctrl/Cmd+Z undoes and Ctrl/Cmd+Shift+Z (or Ctrl+Y) redoes anywhere on the page except in a
  // text field, where the browser's own undo of the typing is what a person expects.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || isTextField(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === "z" && !e.shiftKey) onUndo();
      else if ((key === "z" && e.shiftKey) || key === "y") onRedo();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onUndo, onRedo]);

  const parts = { definition, selection, onSelect: setSelection, onEdit, problems, editable };
  return (
    <div className={styles.page}>
      <header className={styles.toolbar}>
        <p className={styles.crumbs}>
          <Link to="/workflows">Workflows</Link> /{" "}
          <Link to="/workflows/$id" params={{ id: workflowId }}>
            {definition.key}
          </Link>{" "}
          / builder
        </p>
        <h1 className={styles.title}>{definition.name}</h1>
        <div className={styles.actions} role="toolbar" aria-label="Edit">
          <button type="button" onClick={onUndo} disabled={!canUndo(history)} aria-keyshortcuts="Control+Z">
            Undo
          </button>
          <button type="button" onClick={onRedo} disabled={!canRedo(history)} aria-keyshortcuts="Control+Shift+Z">
            Redo
          </button>
        </div>
      </header>
      <div className={styles.work}>
        <div className={styles.canvas}>
          <BuilderCanvas {...parts} />
        </div>
        <aside className={styles.inspector} aria-label="Settings of the selection">
          <Inspector {...parts} />
        </aside>
      </div>
    </div>
  );
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.tagName === "TEXTAREA" ||
    (target.tagName === "INPUT" && (target as HTMLInputElement).type !== "checkbox")
  );
}

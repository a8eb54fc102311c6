/**
 * The workflow builder (/workflows/$id/edit): the latest version of a workflow (its draft, or the
 * live version when there is no draft) on a canvas — or as JSON —, with an inspector for what is
 * selected and undo / redo over every edit. The page owns the definition and its history; the
 * canvas and the inspector are told the definition and hand back edits (types.ts). Edits save
 * themselves as the draft (useAutosave), are checked by the server as they are made
 * (useValidation: the problems), and the toolbar publishes with a change note (PublishDialog)
 * and shows the versions (VersionsDialog). "Test" swaps the inspector for the Test panel
 * (test/TestPanel.tsx): a sandbox run of the draft whose path is marked on the canvas, and beside it
 * the workflow's saved test cases (components/test-cases/TestCases.tsx), run against the draft.
 */
import { useQuery } from "@tanstack/react-query";
import { Link, useParams, useRouteContext } from "@tanstack/react-router";
import { useCallback, useEffect, useId, useMemo, useState } from "react";
import type { Schemas } from "../../api/client";
import type { WorkflowDefinition } from "../../components/graph/definition";
import { Segmented } from "../../components/Segmented";
import { TestCases } from "../../components/test-cases/TestCases";
import { ErrorMessage, PageHeader } from "../../components/ui";
import { PERIOD_KEYS, PERIODS, type Period, useStepCounts } from "../workflows/step-counts";
import { BuilderCanvas } from "./BuilderCanvas";
import styles from "./builder.module.css";
import { builderWorkflowQuery } from "./data";
import { Inspector } from "./Inspector";
import { JsonView } from "./JsonView";
import { canRedo, canUndo, type History, record, redo, startHistory, undo } from "./model/history";
import { PROBLEM_LIST_ID, ProblemList } from "./ProblemList";
import { PublishButton } from "./PublishButton";
import { PublishDialog, type Published } from "./PublishDialog";
import { problemCount } from "./problem-words";
import { SaveStatus } from "./SaveStatus";
import { TestPanel } from "./test/TestPanel";
import type { Selection } from "./types";
import { type Opened, useAutosave } from "./useAutosave";
import { useValidation } from "./useValidation";
import { VersionsDialog } from "./VersionsDialog";

const DROP_JSON = "The JSON text has an error, so it is not applied. Show the canvas and drop that text?";

/** Roles that change workflows (the API's rule: admins and managers). */
const EDITORS = new Set(["admin", "manager"]);

export function Builder() {
  const { id } = useParams({ from: "/app/workflows/$id/edit" });
  const workflow = useQuery(builderWorkflowQuery(id));
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
  // Keyed by the workflow alone: a save that makes a new draft version refetches the workflow, and
  // the editor (its definition, its undo history) must stay as it is.
  return (
    <BuilderEditor
      key={w.id}
      workflow={w}
      initial={latest.definition as WorkflowDefinition}
      opened={{ version: latest.version, savedAt: latest.created_at }}
    />
  );
}

function BuilderEditor({ workflow, initial, opened }: { workflow: Schemas["WorkflowPage"]; initial: WorkflowDefinition; opened: Opened }) {
  const workflowId = workflow.id;
  const { session } = useRouteContext({ from: "/app" });
  const editable = EDITORS.has(session.user.role);
  const [history, setHistory] = useState<History<WorkflowDefinition>>(() => startHistory(initial));
  const [selection, setSelection] = useState<Selection>({ kind: "workflow" });
  const [view, setView] = useState<"canvas" | "json">("canvas");
  const definition = history.present;
  const autosave = useAutosave(definition, opened, editable);
  const checks = useValidation(definition);
  const problems = checks.problems;
  const [problemsOpen, setProblemsOpen] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [published, setPublished] = useState<Published | undefined>();
  // The aside shows the inspector, or the Test panel; a test result's path is marked on the canvas.
  const [testing, setTesting] = useState(false);
  const [testPath, setTestPath] = useState<string[] | undefined>();
  // The Test panel shows a test run, or the workflow's saved test cases run against the draft.
  const [testTab, setTestTab] = useState<"run" | "cases">("run");
  const tested = useMemo(() => (testing && testPath ? placesOnPath(testPath) : undefined), [testing, testPath]);
  // Runs of the live version on the canvas (by step id), in a chosen period, or none.
  const liveVersion = published?.version ?? workflow.live_version;
  const [runsPeriod, setRunsPeriod] = useState<Period | "off">("7d");
  const runsId = useId();
  const runs = useStepCounts(workflowId, runsPeriod === "off" ? null : liveVersion, runsPeriod === "off" ? "7d" : runsPeriod);
  /** The JSON view holds text with an error, not applied: leaving the view would drop it, so it asks first. */
  const [jsonUnapplied, setJsonUnapplied] = useState(false);
  const switchView = useCallback(
    (next: "canvas" | "json") => {
      if (next === "canvas" && view === "json" && jsonUnapplied && !window.confirm(DROP_JSON)) return false;
      setView(next);
      return true;
    },
    [view, jsonUnapplied],
  );
  // Showing a problem's node leaves the JSON view for the canvas, where the node is.
  const showProblem = useCallback(
    (s: Selection) => {
      if (switchView("canvas")) setSelection(s);
    },
    [switchView],
  );

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
  // A test's path and the live runs would crowd one node's footer: while a test result is marked, it alone is.
  const withRuns =
    !tested && liveVersion !== null && runsPeriod !== "off" && runs.counts ? { counts: runs.counts, onOpenCount: runs.open } : {};
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
        <SaveStatus
          status={autosave.status}
          liveVersion={workflow.live_version}
          published={published}
          onRetry={() => void autosave.saveNow()}
        />
        <div className={styles.actions} role="toolbar" aria-label="Edit">
          <button type="button" className={styles.tool} onClick={onUndo} disabled={!canUndo(history)} aria-keyshortcuts="Control+Z">
            Undo
          </button>
          <button type="button" className={styles.tool} onClick={onRedo} disabled={!canRedo(history)} aria-keyshortcuts="Control+Shift+Z">
            Redo
          </button>
          <Segmented
            label="Show the workflow as"
            options={[
              { value: "canvas", label: "Canvas" },
              { value: "json", label: "JSON" },
            ]}
            value={view}
            onChange={switchView}
          />
          <button
            type="button"
            className={problems.length > 0 ? styles.problemsButton : styles.tool}
            aria-expanded={problemsOpen}
            aria-controls={PROBLEM_LIST_ID}
            onClick={() => setProblemsOpen((o) => !o)}
          >
            {checks.checking && problems.length === 0 ? "Checking…" : problemCount(problems.length)}
          </button>
          <button type="button" className={styles.tool} onClick={() => setVersionsOpen(true)}>
            Versions
          </button>
          {editable ? (
            <button type="button" className={styles.tool} aria-pressed={testing} onClick={() => setTesting((t) => !t)}>
              {testing ? "Close the test" : "Test"}
            </button>
          ) : null}
          {editable && liveVersion !== null ? (
            <Link to="/workflows/$id/replay" params={{ id: workflowId }} className={styles.tool}>
              What would this change have done?
            </Link>
          ) : null}
          {editable ? (
            <PublishButton
              problems={problems.length}
              checking={checks.checking}
              onPublish={() => setPublishOpen(true)}
              onShowProblems={() => setProblemsOpen(true)}
            />
          ) : null}
        </div>
        {liveVersion !== null ? (
          <div className={styles.runsChoice}>
            <label htmlFor={runsId}>Runs of live version {liveVersion} on the canvas</label>
            <select
              id={runsId}
              className={styles.runsSelect}
              value={runsPeriod}
              onChange={(e) => setRunsPeriod(e.target.value as Period | "off")}
            >
              <option value="off">not shown</option>
              {PERIOD_KEYS.map((p) => (
                <option key={p} value={p}>
                  started in the {PERIODS[p][0]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {checks.error ? (
          <p className={styles.checkError} role="alert">
            The workflow could not be checked just now ({checks.error}); the problems shown may be out of date.
          </p>
        ) : null}
        {problemsOpen ? (
          <ProblemList problems={problems} definition={definition} onShow={showProblem} onClose={() => setProblemsOpen(false)} />
        ) : null}
      </header>
      <div className={testing ? `${styles.work} ${styles.workTesting}` : styles.work}>
        <div className={styles.canvas}>
          {view === "json" ? (
            <JsonView definition={definition} onEdit={onEdit} editable={editable} onUnapplied={setJsonUnapplied} />
          ) : (
            <BuilderCanvas {...parts} {...withRuns} tested={tested} />
          )}
        </div>
        {testing ? (
          <aside className={styles.inspector} aria-label="Test">
            <div className={styles.testTabs}>
              <Segmented
                label="Show in the Test panel"
                options={[
                  { value: "run", label: "Test run" },
                  { value: "cases", label: "Test cases" },
                ]}
                value={testTab}
                onChange={setTestTab}
              />
            </div>
            {/* Hidden, not unmounted: the run's form and result stay while the cases are looked at. */}
            <div hidden={testTab !== "run"}>
              <TestPanel workflowId={workflowId} definition={definition} saveNow={autosave.saveNow} onPath={setTestPath} />
            </div>
            {testTab === "cases" ? <TestCases workflowId={workflowId} manage={editable} beforeRun={autosave.saveNow} /> : null}
          </aside>
        ) : (
          <aside className={styles.inspector} aria-label="Settings of the selection">
            <Inspector {...parts} />
          </aside>
        )}
      </div>
      {editable ? (
        <PublishDialog
          open={publishOpen}
          onClose={() => setPublishOpen(false)}
          workflowId={workflowId}
          needsDraft={autosave.version === workflow.live_version}
          saveNow={autosave.saveNow}
          onPublished={setPublished}
        />
      ) : null}
      <VersionsDialog open={versionsOpen} onClose={() => setVersionsOpen(false)} workflow={workflow} />
    </div>
  );
}

/** Each step of a test's path with its places on it (1-based), for the canvas's marks. */
function placesOnPath(path: readonly string[]): Record<string, number[]> {
  const places: Record<string, number[]> = {};
  path.forEach((step, i) => {
    places[step] = [...(places[step] ?? []), i + 1];
  });
  return places;
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.tagName === "TEXTAREA" ||
    (target.tagName === "INPUT" && (target as HTMLInputElement).type !== "checkbox")
  );
}

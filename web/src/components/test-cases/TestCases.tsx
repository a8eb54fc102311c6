/**
 * A workflow's test cases (issue 19, item 6; docs/testing-workflows.md "Test cases"): each saved
 * case with its last result — passed, or failed with the sentences of what differed —, when it
 * ran and on which version; "Run all", run one, edit (EditTestCase.tsx), delete (confirmed). Cases
 * run against the draft, else the live version. Admins and managers run, edit and delete; everyone
 * who sees the workflow reads. Cases are made in the builder's Test panel ("Save as test case").
 * One component for both places it is shown: the workflow's page, and the builder's Test panel
 * ("Test cases" tab), where `beforeRun` saves the draft being edited so that the cases run what
 * the canvas shows.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { ConfirmDialog } from "../ConfirmDialog";
import { when } from "../time";
import { ErrorMessage, ui } from "../ui";
import { EditTestCase } from "./EditTestCase";
import styles from "./test-cases.module.css";

type TestCase = Schemas["TestCase"];

export function TestCases({
  workflowId,
  manage,
  beforeRun,
}: {
  workflowId: string;
  manage: boolean;
  /** In the builder: saves the draft being edited before the cases run. */
  beforeRun?: () => Promise<unknown>;
}) {
  const client = useQueryClient();
  const key = ["test-cases", workflowId];
  const cases = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}/test-cases", { params: { path: { id: workflowId } } })).data,
  });
  const [deleting, setDeleting] = useState<TestCase>();
  const [editing, setEditing] = useState<TestCase>();
  const run = useMutation({
    mutationFn: async (caseId?: string) => {
      await beforeRun?.();
      return unwrap(
        await api.POST("/api/v1/workflows/{id}/test-cases/run", {
          params: { path: { id: workflowId } },
          body: caseId ? { case_id: caseId } : {},
        }),
      );
    },
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  const remove = useMutation({
    mutationFn: async (caseId: string) => {
      const r = await api.DELETE("/api/v1/workflows/{id}/test-cases/{caseId}", { params: { path: { id: workflowId, caseId } } });
      unwrap(r as { data?: unknown; error?: unknown; response: Response });
    },
    onSuccess: async () => {
      setDeleting(undefined);
      await client.invalidateQueries({ queryKey: key });
    },
  });
  const list = cases.data ?? [];
  const passed = list.filter((c) => c.last_result?.passed).length;
  const failed = list.filter((c) => c.last_result && !c.last_result.passed).length;

  return (
    <section className={ui.section} aria-labelledby="test-cases">
      <h2 id="test-cases">Test cases</h2>
      {cases.error ? <ErrorMessage error={cases.error} what="the test cases" /> : null}
      {cases.isPending ? <p aria-live="polite">Loading the test cases…</p> : null}
      {cases.data && list.length === 0 ? (
        <div className={styles.casesEmpty}>
          <p>
            <strong>No test cases yet.</strong> A test case is a record described once with what should happen to it — the path, the owner,
            the emails sent. Run them before publishing a change: a case that fails says which step differed. Save one from a test run in
            the builder ("Test", then "Save as test case").
          </p>
        </div>
      ) : null}
      {list.length > 0 ? (
        <>
          <div className={styles.casesBar}>
            <p role="status">
              {list.length} {list.length === 1 ? "case" : "cases"}: {passed} passed, {failed} failed
              {list.length - passed - failed > 0 ? `, ${list.length - passed - failed} not run yet` : ""}.
            </p>
            {manage ? (
              <button type="button" className={ui.button} disabled={run.isPending} onClick={() => run.mutate(undefined)}>
                {run.isPending && run.variables === undefined ? "Running…" : "Run all"}
              </button>
            ) : null}
          </div>
          {run.error ? <ErrorMessage error={run.error} what="the test cases' results" /> : null}
          <div className={styles.tableWrap}>
            <table className={ui.table}>
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">Last result</th>
                  <th scope="col">Ran</th>
                  {manage ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" className={styles.name}>
                      {c.name}
                    </th>
                    <td>
                      <CaseResult c={c} />
                    </td>
                    <td>{c.last_run_at ? `${when(c.last_run_at)}, on version ${c.last_version}` : "never"}</td>
                    {manage ? (
                      <td>
                        <div className={styles.actions}>
                          <button
                            type="button"
                            className={ui.secondary}
                            disabled={run.isPending}
                            aria-label={`Run ${c.name}`}
                            onClick={() => run.mutate(c.id)}
                          >
                            {run.isPending && run.variables === c.id ? "Running…" : "Run"}
                          </button>
                          <button type="button" className={ui.secondary} aria-label={`Edit ${c.name}`} onClick={() => setEditing(c)}>
                            Edit
                          </button>
                          <button type="button" className={ui.secondary} aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)}>
                            Delete
                          </button>
                        </div>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {manage && beforeRun ? (
        <p className={styles.muted}>
          Cases run against the draft as the canvas shows it. New cases are saved from a test run ("Test run").
        </p>
      ) : manage ? (
        <p className={styles.muted}>
          Cases run against the draft when there is one, else the live version. New cases are made in the{" "}
          <Link to="/workflows/$id/edit" params={{ id: workflowId }}>
            builder's Test panel
          </Link>
          .
        </p>
      ) : null}
      {manage ? <EditTestCase workflowId={workflowId} testCase={editing} onClose={() => setEditing(undefined)} /> : null}
      <ConfirmDialog
        open={deleting !== undefined}
        onOpenChange={(open) => {
          if (!open) setDeleting(undefined);
        }}
        title={`Delete the test case “${deleting?.name ?? ""}”?`}
        confirm="Delete test case"
        danger
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        pending={remove.isPending}
        pendingLabel="Deleting…"
        error={remove.error ? (remove.error as Error).message : undefined}
      >
        Its record and expectations are removed; the workflow is not changed.
      </ConfirmDialog>
    </section>
  );
}

/** Passed / failed in words (never by colour alone), with each failure's sentence. */
function CaseResult({ c }: { c: TestCase }) {
  const r = c.last_result;
  if (!r) return <span className={styles.muted}>Not run yet</span>;
  if (r.passed) return <span className={styles.casePassed}>Passed</span>;
  return (
    <div>
      <span className={styles.caseFailed}>Failed</span>
      <ul className={styles.failureList}>
        {r.failures.map((f) => (
          <li key={`${f.expectation}-${f.message}`}>{f.message}</li>
        ))}
      </ul>
    </div>
  );
}

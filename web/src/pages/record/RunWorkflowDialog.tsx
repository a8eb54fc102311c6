/**
 * "Run workflow": the published workflows that accept this record (a manual trigger on its
 * object), one chosen and confirmed in a dialog, then what happened — started (with a link to the
 * run) or skipped, and why (a run already under way, re-enrollment off). The API decides who may
 * (POST /workflows/{id}/enroll refuses a role that may not change the record); the page offers the
 * button only to those roles.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { AppLink } from "../../components/AppLink";
import { Modal } from "../../components/Modal";
import { ErrorMessage, ui } from "../../components/ui";
import { LIVE, type Workflow } from "./data";
import styles from "./RecordPage.module.css";

interface Manual {
  workflow: Workflow;
  description: string | null;
}

/** Live versions whose trigger is manual: read from each candidate's live definition. */
async function manualWorkflows(candidates: Workflow[]): Promise<Manual[]> {
  const found = await Promise.all(
    candidates.map(async (w) => {
      const view = unwrap(await api.GET("/api/v1/workflows/{id}", { params: { path: { id: w.id } } })) as {
        versions: Array<{ version: number; definition: { trigger?: { type?: string }; description?: string } }>;
      };
      const live = view.versions.find((v) => v.version === w.live_version);
      return live?.definition.trigger?.type === "manual" ? { workflow: w, description: live.definition.description ?? null } : null;
    }),
  );
  return found.filter((m): m is Manual => m !== null);
}

export function RunWorkflowDialog({
  recordId,
  objectName,
  objectLabel,
  workflows,
}: {
  recordId: string;
  objectName: string;
  objectLabel: string;
  workflows: Workflow[];
}) {
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const candidates = workflows.filter((w) => w.object === objectName && w.live_version !== null);
  const manual = useQuery({
    queryKey: ["record", "manual-workflows", objectName, candidates.map((w) => `${w.id}@${w.live_version}`).join(",")],
    queryFn: () => manualWorkflows(candidates),
    enabled: open,
  });
  const run = useMutation({
    mutationFn: async (workflowId: string) =>
      unwrap(await api.POST("/api/v1/workflows/{id}/enroll", { params: { path: { id: workflowId } }, body: { record_ids: [recordId] } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: LIVE }),
  });
  const choice = chosen ?? manual.data?.[0]?.workflow.id ?? null;
  const chosenName = manual.data?.find((m) => m.workflow.id === choice)?.workflow.name;

  const close = () => {
    setOpen(false);
    run.reset();
    setChosen(null);
  };

  return (
    <>
      <button type="button" className={ui.secondary} onClick={() => setOpen(true)}>
        Run workflow
      </button>
      <Modal
        open={open}
        onClose={close}
        title={`Run a workflow on this ${objectLabel.toLowerCase()}`}
        description={`Workflows published with a manual trigger for ${objectLabel.toLowerCase()}s. The run starts at once and shows in the Automation panel.`}
      >
        {manual.error ? <ErrorMessage error={manual.error} what="the workflows" /> : null}
        {manual.isPending ? <p aria-live="polite">Loading workflows…</p> : null}
        {manual.data && manual.data.length === 0 ? (
          <p>
            No published workflow with a manual trigger runs on {objectLabel.toLowerCase()}s. An admin or manager can publish one under
            Workflows.
          </p>
        ) : null}
        {manual.data && manual.data.length > 0 && !run.data ? (
          <fieldset className={styles.choices} disabled={run.isPending}>
            <legend>Workflow</legend>
            {manual.data.map((m) => (
              <label key={m.workflow.id} className={styles.choice}>
                <input
                  type="radio"
                  name="workflow"
                  value={m.workflow.id}
                  checked={choice === m.workflow.id}
                  onChange={() => setChosen(m.workflow.id)}
                />
                <span>
                  <strong>{m.workflow.name}</strong>
                  {m.description ? <span className={styles.muted}> — {m.description}</span> : null}
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
        {run.error ? <ErrorMessage error={run.error} what="a run started" /> : null}
        {run.data ? (
          <div role="status" className={styles.result}>
            {run.data.data.length > 0 ? (
              <p>
                Started {chosenName}. <AppLink href={`/runs/${run.data.data[0]?.id}`}>Open the run</AppLink>
              </p>
            ) : (
              <p>Not started: {run.data.skipped.map((s) => s.reason).join("; ")}.</p>
            )}
          </div>
        ) : null}
        <div className={styles.dialogActions}>
          {run.data ? null : (
            <button type="button" className={ui.button} disabled={!choice || run.isPending} onClick={() => choice && run.mutate(choice)}>
              {run.isPending ? "Starting…" : chosenName ? `Run ${chosenName}` : "Run"}
            </button>
          )}
          <button type="button" className={ui.secondary} onClick={() => close()}>
            {run.data ? "Close" : "Cancel"}
          </button>
        </div>
      </Modal>
    </>
  );
}

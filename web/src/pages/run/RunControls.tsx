/**
 * What an admin or a manager can do to a run: retry a failed run from the step it failed at,
 * cancel a run under way, skip a timed wait. Each button appears only when the run's state
 * allows it and the person's role may do it (the API refuses everyone else:
 * POST /api/v1/runs/{id}/retry|cancel|skip-wait answer 404 to other roles); each asks first, in
 * a dialog that says what will happen.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ui } from "../../components/ui";
import styles from "../RunInspector.module.css";
import type { RunDetail } from "./run-types";
import { elapsedWords } from "./run-words";

type Action = "retry" | "cancel" | "skip-wait";

const CALLS: Record<Action, (id: string) => ReturnType<typeof api.POST>> = {
  retry: (id) => api.POST("/api/v1/runs/{id}/retry", { params: { path: { id } } }),
  cancel: (id) => api.POST("/api/v1/runs/{id}/cancel", { params: { path: { id } } }),
  "skip-wait": (id) => api.POST("/api/v1/runs/{id}/skip-wait", { params: { path: { id } } }),
};

interface Offer {
  action: Action;
  label: string;
  title: string;
  says: string;
  confirm: string;
  danger?: boolean;
}

/** The controls the run's state allows, with what each will do in words. */
export function offers(run: RunDetail, nowMs: number): Offer[] {
  const out: Offer[] = [];
  if (run.status === "failed" && run.step)
    out.push({
      action: "retry",
      label: "Retry from the failed step",
      title: "Retry this run?",
      says: `The run starts again at step “${run.step}”, the one that failed, with the record as it is now. The steps before it are not done again.${run.reason ? ` It failed because: ${run.reason}.` : ""}`,
      confirm: "Retry",
    });
  const wait = run.wait;
  // A wait with a due time: a timer, a wait_for's timeout, an approval's time limit (a revision has none).
  const dueAt = wait && (wait.kind === "timer" || wait.kind === "wait_for" || wait.kind === "approval") ? wait.dueAt : null;
  if (run.status === "waiting" && wait && dueAt) {
    const left = Date.parse(dueAt) - nowMs;
    const then =
      wait.kind === "wait_for"
        ? ": the wait's timeout path"
        : wait.kind === "approval"
          ? ": what the approval's time limit says (escalate, decide, or take the timed-out path)"
          : "";
    out.push({
      action: "skip-wait",
      label: "Skip the wait",
      title: "Skip the wait?",
      says: `The run stops waiting at step “${run.step}” now instead of ${left > 0 ? `in ${elapsedWords(left)}` : "at its deadline"} (${new Date(dueAt).toLocaleString()}), and goes on as if the time had passed${then}.`,
      confirm: "Skip the wait",
    });
  }
  if (run.status === "running" || run.status === "waiting")
    out.push({
      action: "cancel",
      label: "Cancel the run",
      title: "Cancel this run?",
      says: "The run stops where it is and takes no further step; its timers are cancelled. What it already did stays done. A cancelled run cannot be resumed.",
      confirm: "Cancel the run",
      danger: true,
    });
  return out;
}

export function RunControls({ run, canControl }: { run: RunDetail; canControl: boolean }) {
  if (!canControl) return null;
  const available = offers(run, Date.now());
  if (available.length === 0) return null;
  return (
    <section className={styles.controls} aria-label="Run controls">
      {available.map((o) => (
        <Control key={o.action} run={run} offer={o} />
      ))}
    </section>
  );
}

function Control({ run, offer }: { run: RunDetail; offer: Offer }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ["run", run.id] });
    await queryClient.invalidateQueries({ queryKey: ["runs"] });
  };
  const act = useMutation({
    mutationFn: async () => unwrap(await CALLS[offer.action](run.id)),
    onSuccess: async () => {
      setOpen(false);
      await refresh();
    },
    // A 409 means the run moved on meanwhile (the worker was quicker): show it as it is now.
    onError: refresh,
  });
  const onOpenChange = (o: boolean) => {
    setOpen(o);
    if (!o) act.reset();
  };
  return (
    <>
      <button type="button" className={offer.danger ? styles.dangerButton : ui.secondary} onClick={() => setOpen(true)}>
        {offer.label}
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={onOpenChange}
        title={offer.title}
        confirm={offer.confirm}
        onConfirm={() => act.mutate()}
        danger={offer.danger}
        pending={act.isPending}
        error={
          act.error
            ? act.error instanceof ApiError && act.error.status === 409
              ? `Not possible any more: ${act.error.message}. The page shows the run as it is now.`
              : `Could not ${offer.confirm.toLowerCase()}: ${act.error.message}`
            : null
        }
      >
        {offer.says}
      </ConfirmDialog>
    </>
  );
}

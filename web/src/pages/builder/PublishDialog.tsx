/**
 * Publishing from the builder: the dialog saves the draft first (a draft must exist: publishing
 * again what is live saves it as a new draft), asks the server what publishing would do (GET
 * /publish-preview: for relative_date and inactivity triggers, how many records are already past
 * their date and could be enrolled now — the backfill), asks for the change note (required here:
 * what changed and why, kept with the version), lists the conflicts with live workflows the preview
 * found — publishing then needs the acknowledgement box ticked, and sends their ids — then POST
 * /publish {note, backfill, acknowledge_conflicts}.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import { Modal } from "../../components/Modal";
import { NoteField } from "../../components/NoteField";
import { ui } from "../../components/ui";
import styles from "./builder.module.css";
import { ConflictList } from "./ConflictWarnings";

/** The API's limit on a change note. */
export const NOTE_MAX = 2000;

export interface Published {
  version: number;
  at: Date;
  backfilled: number;
}

export function PublishDialog({
  open,
  onClose,
  workflowId,
  needsDraft,
  saveNow,
  onPublished,
}: {
  open: boolean;
  onClose: () => void;
  workflowId: string;
  /** The version being edited is the live one: save it as a new draft before publishing. */
  needsDraft: boolean;
  saveNow: (force?: boolean) => Promise<boolean>;
  onPublished: (p: Published) => void;
}) {
  const queryClient = useQueryClient();
  const noteId = useId();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | undefined>();
  const [backfill, setBackfill] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);

  // Opening the dialog saves the draft and asks what publishing would do.
  const preview = useQuery({
    queryKey: ["publish-preview", workflowId, open],
    enabled: open,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    queryFn: async () => {
      if (!(await saveNow(needsDraft)))
        throw new Error("The draft could not be saved, so there is nothing to publish yet: see the save status");
      return unwrap(await api.GET("/api/v1/workflows/{id}/publish-preview", { params: { path: { id: workflowId } } }));
    },
  });

  const publish = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/v1/workflows/{id}/publish", {
          params: { path: { id: workflowId } },
          body: {
            note: note.trim(),
            ...(backfill ? { backfill: true } : {}),
            // The ids read here: if a live workflow changed since, the server refuses them as stale.
            ...(conflicts.length > 0 && acknowledged ? { acknowledge_conflicts: conflicts.map((w) => w.id) } : {}),
          },
        }),
      ) as { live_version: number; backfilled: number },
    onSuccess: (answer) => {
      // Every workflow query: the page may be open by the workflow's key as well as by its id.
      void queryClient.invalidateQueries({ queryKey: ["workflow"] });
      void queryClient.invalidateQueries({ queryKey: ["workflows"] });
      onPublished({ version: answer.live_version, at: new Date(), backfilled: answer.backfilled });
      setNote("");
      setBackfill(false);
      setAcknowledged(false);
      onClose();
    },
  });

  const submit = () => {
    if (note.trim() === "") {
      setNoteError("Say what changed and why: the next person to open this workflow reads it in its history.");
      noteRef.current?.focus();
      return;
    }
    setNoteError(undefined);
    publish.mutate();
  };

  const backfillCount = preview.data?.backfill ?? null;
  const conflicts = preview.data?.conflicts ?? [];
  const unacknowledged = conflicts.length > 0 && !acknowledged;
  const refusal = publish.error ?? preview.error;
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={preview.data ? `Publish version ${preview.data.version}` : "Publish"}
      description="The published version goes live for new runs; runs under way stay on the version they started with."
      initialFocus={noteRef}
    >
      <form
        className={styles.dialogForm}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <NoteField
          id={noteId}
          label="What changed and why"
          hint="Required. Kept with the version and shown in its history, e.g. “Reassign after 15 minutes instead of 30: leads went cold.”"
          value={note}
          error={noteError}
          maxLength={NOTE_MAX}
          className={styles.textarea}
          inputRef={noteRef}
          onChange={(value) => {
            setNote(value);
            if (value.trim() !== "") setNoteError(undefined);
          }}
        />

        {preview.isPending ? <p aria-live="polite">Saving the draft and checking what publishing would do…</p> : null}
        {backfillCount !== null ? (
          <fieldset className={styles.backfill}>
            <legend>Records already past their date</legend>
            {backfillCount === 0 ? (
              <p>No record is already past its date: publishing enrolls records as their date comes.</p>
            ) : (
              <>
                <p>
                  {backfillCount} {backfillCount === 1 ? "record is" : "records are"} already past the date this trigger waits for. Without
                  backfill they never enroll; with it they enroll now, paced by the workflow's rate cap.
                </p>
                <label className={styles.check}>
                  <input type="checkbox" checked={backfill} onChange={(e) => setBackfill(e.target.checked)} /> Also enroll these{" "}
                  {backfillCount} {backfillCount === 1 ? "record" : "records"} now (backfill)
                </label>
              </>
            )}
          </fieldset>
        ) : null}

        {conflicts.length > 0 ? (
          <fieldset className={styles.conflictBox}>
            <legend>{conflicts.length === 1 ? "1 conflict" : `${conflicts.length} conflicts`} with live workflows</legend>
            <ConflictList warnings={conflicts} />
            <label className={styles.check}>
              <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} /> I have read these
              warnings and want to publish anyway
            </label>
          </fieldset>
        ) : null}

        {refusal ? <PublishRefusal error={refusal} /> : null}

        <div className={styles.dialogButtons}>
          <button type="button" className={ui.secondary} onClick={onClose}>
            Not now
          </button>
          <button
            type="submit"
            className={ui.button}
            disabled={publish.isPending || preview.isPending || preview.isError || unacknowledged}
          >
            {publish.isPending ? "Publishing…" : "Publish"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function PublishRefusal({ error }: { error: Error }) {
  const named = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  return (
    <div role="alert" className={ui.alert}>
      <strong>Not published.</strong> {error.message}
      {named.length > 0 ? (
        <ul>
          {named.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              {p.path ? <code>{p.path}</code> : null} {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

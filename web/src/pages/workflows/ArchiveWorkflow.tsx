/**
 * Archive, confirmed in a dialog that says what it does; the server's refusal is shown in it.
 * The Radix dialog is non-modal: its modal mode locks scrolling by injecting a <style> element,
 * which the app's CSP (style-src 'self') refuses. Our own backdrop covers the page instead, and
 * Escape, "Keep it" or a click outside close it.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import { ui } from "../../components/ui";
import styles from "./workflows.module.css";

export function ArchiveWorkflow({ id, name }: { id: string; name: string }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const archive = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/workflows/{id}/archive", { params: { path: { id } } })),
    onSuccess: async () => {
      setOpen(false);
      await Promise.all(["workflow", "workflows", "recipes"].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
    },
  });
  return (
    <Dialog.Root
      modal={false}
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) archive.reset();
      }}
    >
      <Dialog.Trigger asChild>
        <button type="button" className={ui.secondary}>
          Archive…
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <div className={styles.overlay} aria-hidden="true" />
        <Dialog.Content className={styles.dialog}>
          <Dialog.Title>Archive {name}?</Dialog.Title>
          <Dialog.Description>
            It stops starting runs at once. Runs under way finish on the version they started on. Its draft is archived too; to use it
            again, save and publish a new version (or install its recipe again).
          </Dialog.Description>
          {archive.error ? (
            <div role="alert" className={ui.alert}>
              <strong>Not archived.</strong> {archive.error.message}
              {archive.error instanceof ApiError && archive.error.status === 404 ? " Your role may not archive workflows." : ""}
            </div>
          ) : null}
          <div className={styles.actions}>
            <button type="button" className={styles.danger} onClick={() => archive.mutate()} disabled={archive.isPending}>
              {archive.isPending ? "Archiving…" : "Archive workflow"}
            </button>
            <Dialog.Close asChild>
              <button type="button" className={ui.secondary}>
                Keep it
              </button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

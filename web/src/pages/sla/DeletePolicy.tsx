/**
 * "Delete policy…": asks first (ConfirmDialog); the server refuses (409) while the policy has
 * open clocks, and its message — what blocks it — is shown inside the dialog, which stays open.
 * Deleted: back to the list.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { deletePolicy } from "./data";
import styles from "./Sla.module.css";

export function DeletePolicy({ id, name }: { id: string; name: string }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => deletePolicy(id),
    onSuccess: async () => {
      setOpen(false);
      // Leave the page first, so that nothing reads the deleted policy again (a 404 shown for a moment).
      await navigate({ to: "/sla/policies" });
      queryClient.removeQueries({ queryKey: ["sla", "policies", name] });
      await queryClient.invalidateQueries({ queryKey: ["sla", "policies"], exact: true });
    },
  });
  return (
    <>
      <button
        type="button"
        className={styles.dangerButton}
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        Delete policy…
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete the SLA policy ${name}?`}
        confirm="Delete policy"
        danger
        pending={remove.isPending}
        pendingLabel="Deleting…"
        onConfirm={() => remove.mutate()}
        error={remove.error ? `Not deleted: ${remove.error.message}.` : undefined}
      >
        It is removed for good, with the history of its stopped clocks. Workflows that trigger on it get no more warnings or breaches.
      </ConfirmDialog>
    </>
  );
}

/**
 * "Delete queue…": asks first (ConfirmDialog); the server refuses (409) while a rule set, another
 * queue's fallback or anything else still sends records to it, and its message — naming who
 * uses it — is shown inside the dialog, which stays open. Deleted: back to the list.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { queuesQuery } from "./data";
import { deleteQueue, QUEUE_WRITE_STALES } from "./queue-api";
import styles from "./Routing.module.css";

export function DeleteQueue({ id, name, held }: { id: string; name: string; held: number }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => deleteQueue(id),
    onSuccess: async () => {
      setOpen(false);
      // The list it returns to no longer shows it, even for the moment before it is read again.
      queryClient.setQueryData(queuesQuery.queryKey, (list) => list?.filter((q) => q.id !== id));
      // Leave the page first, so that nothing reads the deleted queue again (a 404 shown for a moment).
      await navigate({ to: "/routing/queues" });
      queryClient.removeQueries({ queryKey: ["routing", "queues", id] });
      await Promise.all(QUEUE_WRITE_STALES.map((queryKey) => queryClient.invalidateQueries({ queryKey: [...queryKey] })));
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
        Delete<span className="visually-hidden"> {name}</span> queue…
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete the queue ${name}?`}
        confirm="Delete queue"
        danger
        pending={remove.isPending}
        pendingLabel="Deleting…"
        onConfirm={() => remove.mutate()}
        error={remove.error ? `Not deleted: ${remove.error.message}.` : undefined}
      >
        It is removed for good. Rules and workflows can no longer send records to it
        {held > 0 ? `, and the ${held} record${held === 1 ? "" : "s"} waiting in it stay without an owner` : ""}.
      </ConfirmDialog>
    </>
  );
}

/** Archive, confirmed in a dialog that says what it does; the server's refusal is shown in it. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ui } from "../../components/ui";

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
    <>
      <button type="button" className={ui.secondary} onClick={() => setOpen(true)}>
        Archive…
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) archive.reset();
        }}
        title={`Archive ${name}?`}
        confirm="Archive workflow"
        onConfirm={() => archive.mutate()}
        danger
        cancel="Keep it"
        pending={archive.isPending}
        pendingLabel="Archiving…"
        error={
          archive.error ? (
            <>
              <strong>Not archived.</strong> {archive.error.message}
              {archive.error instanceof ApiError && archive.error.status === 404 ? " Your role may not archive workflows." : ""}
            </>
          ) : null
        }
      >
        It stops starting runs at once. Runs under way finish on the version they started on. Its draft is archived too; to use it again,
        save and publish a new version (or install its recipe again).
      </ConfirmDialog>
    </>
  );
}

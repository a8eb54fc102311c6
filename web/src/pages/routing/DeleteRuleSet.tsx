/**
 * "Delete rule set" with a confirmation that says what stops: records are no longer routed by it
 * on create; past assignment reasons stay. The server's refusal (a live workflow still assigns
 * through it, a role that may not, a rule set already gone) is shown inside the dialog, which
 * stays open; on success the list of rule sets opens.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { RuleSet } from "./data";
import edit from "./RuleEdit.module.css";

export function DeleteRuleSet({ set }: { set: RuleSet }) {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: async () => {
      const result = await api.DELETE("/api/v1/routing/rule-sets/{rule_set}", { params: { path: { rule_set: set.id } } });
      unwrap(result);
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ["routing", "rule-sets", set.id] });
      void queryClient.invalidateQueries({ queryKey: ["routing", "rule-sets"] });
      void navigate({ to: "/routing/rule-sets" });
    },
  });
  return (
    <>
      <button
        type="button"
        className={edit.danger}
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        Delete rule set
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete the rule set “${set.name}”?`}
        confirm="Delete rule set"
        danger
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        pendingLabel="Deleting…"
        error={remove.error ? `Not deleted: ${remove.error.message}` : undefined}
      >
        Its {set.rules.length === 1 ? "rule stops" : `${set.rules.length} rules stop`} routing {set.object}s
        {set.on_create ? " and new records are no longer assigned by it" : ""}. Records already assigned keep their owner and the reason.
        While a live workflow assigns through it, it cannot be deleted: point the workflow elsewhere first.
      </ConfirmDialog>
    </>
  );
}

/**
 * A rule set's own settings, for admins and managers: its name, why it exists (description) and
 * where a record goes when no rule matches (the default target, or nobody). Saved together by
 * one PATCH; a refusal keeps what was typed and shows each problem by its field (name,
 * description, default_target…).
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, ifMatch, isStale, unwrap } from "../../api/client";
import { ui } from "../../components/ui";
import { problemsOf, type RuleSet, type Target } from "./data";
import { FieldError } from "./FieldError";
import styles from "./Routing.module.css";
import edit from "./RuleEdit.module.css";
import { dottedProblems } from "./rule-edit";
import { TargetPicker, targetMissing } from "./TargetPicker";

export function RuleSetSettings({ set, onSaved }: { set: RuleSet; onSaved: (saved: RuleSet) => void }) {
  const [name, setName] = useState(set.name);
  const [description, setDescription] = useState(set.description);
  const [target, setTarget] = useState<Target | null>(set.default_target);
  const [missing, setMissing] = useState<string | undefined>();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH("/api/v1/routing/rule-sets/{rule_set}", {
          params: { path: { rule_set: set.id } },
          body: { name: name.trim(), description, default_target: target },
          headers: ifMatch(set.version),
        }),
      ),
    onSuccess: onSaved,
    // Someone else saved the rule set first: read theirs; what was typed here stays in the form.
    onError: (e) => {
      if (isStale(e)) void queryClient.invalidateQueries({ queryKey: ["routing", "rule-sets", set.id] });
    },
  });
  const problems = problemsOf(save.error);
  const errors = {
    name: problems?.at("name"),
    description: problems?.at("description"),
    target: missing ?? problems?.at("default_target"),
  };
  const claimed = errors.name || errors.description || errors.target;
  return (
    <form
      className={edit.settingsForm}
      aria-label="Rule set settings"
      onSubmit={(e) => {
        e.preventDefault();
        const m = targetMissing(target);
        setMissing(m);
        if (!m) save.mutate();
      }}
    >
      <div className={ui.field}>
        <label htmlFor="rule-set-name" className={ui.label}>
          Name
        </label>
        <input
          id="rule-set-name"
          className={ui.input}
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? "rule-set-name-error" : undefined}
        />
        <FieldError id="rule-set-name" message={errors.name} />
      </div>
      <div className={ui.field}>
        <label htmlFor="rule-set-description" className={ui.label}>
          Description
        </label>
        <span id="rule-set-description-hint" className={ui.hint}>
          Why this rule set exists and who asked for it, for whoever reviews it next.
        </span>
        <textarea
          id="rule-set-description"
          className={edit.prose}
          value={description}
          maxLength={2000}
          onChange={(e) => setDescription(e.target.value)}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? "rule-set-description-hint rule-set-description-error" : "rule-set-description-hint"}
        />
        <FieldError id="rule-set-description" message={errors.description} />
      </div>
      <TargetPicker
        id="default-target"
        legend="When no rule matches"
        value={target}
        onChange={setTarget}
        none="Nobody: leave the record unassigned"
        error={errors.target}
        gone={
          missing === undefined && dottedProblems(save.error).some((p) => p.path.startsWith("default_target") && p.code === "not_found")
        }
      />
      {problems && !claimed ? (
        <p role="alert" className={styles.fieldError}>
          {isStale(save.error)
            ? "Not saved: someone else saved this rule set meanwhile. Their version is shown now and what you typed is kept; save again to apply it."
            : `Not saved: ${problems.summary}`}
        </p>
      ) : null}
      <div className={styles.row}>
        <button type="submit" className={ui.button} disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </button>
        <span className={styles.muted} aria-live="polite">
          {save.isSuccess && !save.isPending ? "Settings saved." : claimed ? "Not saved: fix what is marked." : ""}
        </span>
      </div>
    </form>
  );
}

/**
 * Adding or changing one rule of a rule set: its name, its condition (the builder's condition
 * editor, through ConditionKit, over the rule set's object's fields — custom fields, fields of a
 * record it references and counts of related records included, nothing the object does not have)
 * and where a matching record goes (TargetPicker). Saving PATCHes every rule with this one in its
 * place; a refusal keeps what the person entered and shows each problem by the control its path
 * names (rules[i].name, rules[i].when…, rules[i].target…), anything else above the buttons.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api, ifMatch, isStale, unwrap } from "../../api/client";
import type { Condition } from "../../components/graph/definition";
import { ErrorMessage, ui } from "../../components/ui";
import { type ObjectInfo, objectsQuery } from "../../records/model";
import { ConditionEditor } from "../builder/panels/conditions/ConditionEditor";
import { ConditionKit } from "./ConditionKit";
import { problemsOf, queuesQuery, type RuleSet, type Target } from "./data";
import { FieldError } from "./FieldError";
import styles from "./Routing.module.css";
import edit from "./RuleEdit.module.css";
import { dottedProblems, namesSomethingGone, newRuleId, withRule } from "./rule-edit";
import { TargetPicker, targetMissing } from "./TargetPicker";

export interface RuleEditorProps {
  set: RuleSet;
  /** The rule's place: an existing rule's index, or the number of rules for a new one (added last). */
  index: number;
  onSaved: (saved: RuleSet) => void;
  onCancel: () => void;
}

export function RuleEditor(props: RuleEditorProps) {
  const objects = useQuery(objectsQuery);
  if (objects.error) return <ErrorMessage error={objects.error} what="the fields of this object" />;
  if (!objects.data) return <p aria-live="polite">Loading the fields…</p>;
  return <RuleForm {...props} objects={objects.data} />;
}

function RuleForm({ set, index, onSaved, onCancel, objects }: RuleEditorProps & { objects: readonly ObjectInfo[] }) {
  const queryClient = useQueryClient();
  const existing = set.rules[index];
  const isNew = existing === undefined;
  const base = `rule-${index}`;
  const [name, setName] = useState(existing?.name ?? "");
  const [when, setWhen] = useState<Condition | undefined>(existing?.when as Condition | undefined);
  const [target, setTarget] = useState<Target | null>(existing?.target ?? null);
  const [local, setLocal] = useState<{ name?: string; when?: string; target?: string }>({});
  // Opened by a button: the keyboard goes on in the form, at its first field.
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => nameInput.current?.focus(), []);

  const save = useMutation({
    mutationFn: async (rules: ReturnType<typeof withRule>) =>
      unwrap(
        await api.PATCH("/api/v1/routing/rule-sets/{rule_set}", {
          params: { path: { rule_set: set.id } },
          body: { rules },
          headers: ifMatch(set.version),
        }),
      ),
    onSuccess: onSaved,
    onError: (e) => {
      // A queue, person or team deleted since the lists were read: read them again, so the
      // picker shows the stale choice as "(not found)" next to the message.
      if (namesSomethingGone(e)) void queryClient.invalidateQueries({ queryKey: queuesQuery.queryKey });
      // Someone else saved the rule set first: read theirs; what was typed here stays in the form.
      if (isStale(e)) void queryClient.invalidateQueries({ queryKey: ["routing", "rule-sets", set.id] });
    },
  });
  const problems = problemsOf(save.error);
  const at = `rules[${index}]`;
  const nameError = local.name ?? problems?.at(`${at}.name`);
  const targetError = local.target ?? problems?.at(`${at}.target`);
  // The condition's problems go to its controls by their dotted paths; every message is also
  // listed in the alert, except those the name and the target show beside them.
  const conditionProblems = dottedProblems(save.error);
  const listed = conditionProblems.filter((p) => !p.path.startsWith(`rules.${index}.name`) && !p.path.startsWith(`rules.${index}.target`));

  const submit = () => {
    const missing = {
      ...(name.trim() === "" ? { name: "Give the rule a name, e.g. “Healthcare to the Health queue”." } : {}),
      ...(when === undefined ? { when: "Add at least one condition: a rule without one would take every record." } : {}),
      ...(target === null
        ? { target: "Choose where a matching record goes." }
        : targetMissing(target)
          ? { target: targetMissing(target) }
          : {}),
    };
    setLocal(missing);
    if (Object.keys(missing).length > 0 || when === undefined || target === null) return;
    const taken = set.rules.filter((_, i) => i !== index).map((r) => r.id);
    save.mutate(withRule(set.rules, index, { id: existing?.id ?? newRuleId(name, taken), name: name.trim(), when, target }));
  };

  return (
    <form
      className={edit.ruleForm}
      aria-label={isNew ? "New rule" : `Edit ${existing.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>{isNew ? `New rule (checked after the ${set.rules.length} before it)` : `Edit “${existing.name}”`}</h3>
      <div className={ui.field}>
        <label htmlFor={`${base}-name`} className={ui.label}>
          Rule name
        </label>
        <input
          ref={nameInput}
          id={`${base}-name`}
          className={ui.input}
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${base}-name-error` : undefined}
        />
        <FieldError id={`${base}-name`} message={nameError} />
      </div>
      <ConditionKit objects={objects} problems={conditionProblems} editable>
        <ConditionEditor
          path={`rules.${index}.when`}
          object={set.object}
          legend={`When the ${set.object}…`}
          empty={`No condition yet: add one to say which ${set.object}s this rule takes.`}
          changes={false}
          required
          value={when}
          onChange={(c) => setWhen(c)}
        />
      </ConditionKit>
      {local.when ? <p className={styles.fieldError}>{local.when}</p> : null}
      <TargetPicker
        id={`${base}-target`}
        legend="Goes to"
        value={target}
        onChange={setTarget}
        error={targetError}
        gone={
          local.target === undefined && conditionProblems.some((p) => p.path.startsWith(`rules.${index}.target`) && p.code === "not_found")
        }
      />
      {problems ? (
        <div role="alert" className={styles.fieldError}>
          {conditionProblems.length === 0 ? (
            `Not saved: ${problems.summary}`
          ) : listed.length === 0 ? (
            "Not saved: fix what is marked above."
          ) : (
            <>
              Not saved:
              <ul>
                {listed.map((p) => (
                  <li key={`${p.path}:${p.message}`}>{p.message}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
      <div className={styles.row}>
        <button type="submit" className={ui.button} disabled={save.isPending}>
          {save.isPending ? "Saving…" : isNew ? "Add rule" : "Save rule"}
        </button>
        <button type="button" className={ui.secondary} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

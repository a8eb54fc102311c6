/**
 * The editor of a validation rule or stage gate, new or existing: name and why, the records it
 * checks and its kind (both fixed once created), then for a gate the field that moves, the values
 * it guards and what must hold (the builder's condition editor through ConditionKit), for a rule
 * when a save is wrong; the message and the field it is shown on; refuse or warn; switched on.
 * The server decides what is valid: a refusal keeps everything typed and shows each problem by
 * the control its path names (`to.0`, `requires.field`, `when.and.0.op`), listed at the top too.
 * A 412 (someone else saved meanwhile) offers to reload their version into the form.
 */
import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { ApiError, isStale } from "../../api/client";
import type { Condition } from "../../components/graph/definition";
import { ui } from "../../components/ui";
import type { ObjectInfo } from "../../records/model";
import { ConditionEditor } from "../builder/panels/conditions/ConditionEditor";
import { FieldSelect } from "../builder/panels/inputs/FieldSelect";
import { fieldsOf } from "../builder/panels/kit";
import { PanelField } from "../builder/panels/PanelField";
import { ConditionKit } from "../routing/ConditionKit";
import { dottedProblems } from "../routing/rule-edit";
import { isObjectName, OBJECT_NAMES } from "../sla/draft";
import { Problems, ValuesPicker } from "../sla/parts";
import { ACTION_WORDS, type RuleDraft } from "./rule-draft";
import type { ValidationRule } from "./rules-data";
import { styles } from "./rules-styles";

export interface RuleFormProps {
  initial: RuleDraft;
  /** The rule being edited; undefined for a new one (its object and kind can still be chosen). */
  rule: ValidationRule | undefined;
  objects: readonly ObjectInfo[];
  save: (d: RuleDraft) => Promise<ValidationRule>;
  submitLabel: string;
  onSaved: (r: ValidationRule) => void;
  onReload?: () => Promise<void>;
}

const WHERE: Record<string, string> = {
  name: "Name",
  description: "Why",
  object: "Records",
  kind: "Kind",
  field: "Field",
  to: "Moving to",
  requires: "Requires",
  when: "Wrong when",
  shown_on: "Message shown on",
  message: "Message",
  action: "When broken",
  enabled: "Switched on",
};
const where = (path: string) => WHERE[path.split(/[.[]/)[0] ?? path] ?? path;

function Section({ id, title, hint, children }: { id: string; title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <section className={styles.card} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {hint ? <p className={styles.muted}>{hint}</p> : null}
      {children}
    </section>
  );
}

export function RuleForm({ initial, rule, objects, save, submitLabel, onSaved, onReload }: RuleFormProps) {
  const [draft, setDraft] = useState(initial);
  const [reloading, setReloading] = useState(false);
  const mutation = useMutation({ mutationFn: () => save(draft), onSuccess: onSaved });
  const problems = dottedProblems(mutation.error);
  const update = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const object = objects.find((o) => o.name === draft.object);
  const one = object?.label.toLowerCase() ?? draft.object;
  const fieldOf = (name: string) => fieldsOf({ objects }, draft.object).find((f) => f.name === name);
  const moving = fieldOf(draft.field);
  const error = mutation.error;
  const stale = isStale(error);
  const gate = draft.kind === "gate";
  const alert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) alert.current?.focus();
  }, [error]);

  return (
    <ConditionKit objects={objects} problems={problems} editable>
      <form
        className={styles.page}
        noValidate
        aria-label={rule ? `Edit ${rule.name}` : "New data rule"}
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate();
        }}
      >
        {error && stale ? (
          <div role="alert" className={ui.alert} ref={alert} tabIndex={-1}>
            <strong>Not saved: someone else saved this rule since you opened it.</strong> Reload their version to see what they changed
            (what you changed here is replaced), then make your change again.
            <div className={styles.row}>
              <button
                type="button"
                className={ui.secondary}
                disabled={reloading}
                onClick={async () => {
                  setReloading(true);
                  try {
                    await onReload?.();
                  } finally {
                    setReloading(false);
                  }
                }}
              >
                {reloading ? "Reloading…" : "Reload their version"}
              </button>
            </div>
          </div>
        ) : error ? (
          <div role="alert" className={ui.alert} ref={alert} tabIndex={-1}>
            <strong>Not saved: {error instanceof ApiError ? (error.problem?.detail ?? error.message) : error.message}.</strong>
            {problems.length > 0 ? (
              <>
                <ul>
                  {problems.map((p) => (
                    <li key={`${p.path}:${p.message}`}>
                      {where(p.path)}: {p.message}
                    </li>
                  ))}
                </ul>
                Each problem is also shown by its setting below; what you typed is kept.
              </>
            ) : error instanceof ApiError && error.status === 403 ? (
              " Only admins change data rules."
            ) : null}
          </div>
        ) : null}

        <Section id="rule-name" title="Name and purpose">
          <PanelField path="name" label="Name" hint="Shown in the list, on refused saves and on review items.">
            {(c) => (
              <input
                {...c}
                className={styles.input}
                value={draft.name}
                maxLength={120}
                required
                onChange={(e) => update({ name: e.target.value })}
              />
            )}
          </PanelField>
          <PanelField
            path="description"
            label="Why this rule exists"
            hint="For the people whose saves it refuses: what goes wrong without it."
          >
            {(c) => (
              <textarea
                {...c}
                className={styles.prose}
                value={draft.description}
                onChange={(e) => update({ description: e.target.value })}
              />
            )}
          </PanelField>
        </Section>

        <Section id="rule-what" title="What it checks">
          <PanelField path="object" label="Records of" hint={rule ? "Fixed once the rule exists." : "Fixed once the rule is created."}>
            {(c) => (
              <select
                {...c}
                disabled={rule !== undefined}
                className={styles.select}
                value={draft.object}
                onChange={(e) => {
                  const next = e.target.value;
                  if (!isObjectName(next)) return;
                  // Fields belong to the object: what named the old one's fields starts again.
                  setDraft((d) => ({ ...d, object: next, field: "", to: [], requires: undefined, when: undefined, shownOn: "" }));
                }}
              >
                {OBJECT_NAMES.filter((n) => objects.some((o) => o.name === n)).map((n) => (
                  <option key={n} value={n}>
                    {objects.find((o) => o.name === n)?.label ?? n}
                  </option>
                ))}
              </select>
            )}
          </PanelField>
          <fieldset className={styles.fieldset} disabled={rule !== undefined}>
            <legend>Kind</legend>
            <label className={styles.radio}>
              <input type="radio" name="rule-kind" checked={gate} onChange={() => update({ kind: "gate", field: "", to: [] })} />
              Stage gate: what must hold when a field moves to a value
            </label>
            <label className={styles.radio}>
              <input type="radio" name="rule-kind" checked={!gate} onChange={() => update({ kind: "rule", field: "" })} />
              Rule: when a save of a {one} is wrong
            </label>
            <Problems path="kind" />
          </fieldset>
        </Section>

        {gate ? (
          <Section
            id="rule-gate"
            title="The gate"
            hint={`Checked when a save moves the field to one of the values; a ${one} already there can still be edited.`}
          >
            <PanelField path="field" label="Field that moves">
              {(c) => (
                <FieldSelect
                  control={c}
                  object={draft.object}
                  value={draft.field || undefined}
                  only={(f) => !f.managed && (f.type === "enum" || f.type === "boolean")}
                  onChange={(field) => update({ field, to: [] })}
                />
              )}
            </PanelField>
            {draft.field ? (
              <ValuesPicker path="to" legend="Moving to" field={moving} values={draft.to} onChange={(to) => update({ to })} />
            ) : (
              <Problems path="to" />
            )}
            <ConditionEditor
              path="requires"
              object={draft.object}
              legend="The move needs…"
              empty="Nothing yet: add what must hold, such as “Budget confirmed is Yes” or “Amount is set”."
              changes={false}
              value={draft.requires}
              onChange={(c: Condition | undefined) => update({ requires: c })}
            />
          </Section>
        ) : (
          <Section id="rule-when" title="When a save is wrong" hint={`The ${one} as it will be after the save is checked.`}>
            <ConditionEditor
              path="when"
              object={draft.object}
              legend="The save is wrong when…"
              empty="Add the condition under which a save is wrong, such as “Stage is Closed won and Amount is not set”."
              changes
              value={draft.when}
              onChange={(c: Condition | undefined) => update({ when: c })}
            />
          </Section>
        )}

        <Section id="rule-message" title="What the person saving sees">
          <PanelField path="message" label="Message" hint="Plain text, shown next to the field: say what to do.">
            {(c) => (
              <textarea {...c} className={styles.prose} value={draft.message} onChange={(e) => update({ message: e.target.value })} />
            )}
          </PanelField>
          {gate ? (
            <PanelField
              path="shown_on"
              label="Shown next to"
              hint="Usually the field that must be filled in; by default the field that moves."
            >
              {(c) => (
                <FieldSelect
                  control={c}
                  object={draft.object}
                  value={draft.shownOn || undefined}
                  placeholder="The field that moves"
                  onChange={(shownOn) => update({ shownOn })}
                />
              )}
            </PanelField>
          ) : (
            <PanelField path="field" label="Shown next to">
              {(c) => (
                <FieldSelect control={c} object={draft.object} value={draft.field || undefined} onChange={(field) => update({ field })} />
              )}
            </PanelField>
          )}
          <fieldset className={styles.fieldset}>
            <legend>When it is broken</legend>
            {(["refuse", "warn"] as const).map((a) => (
              <label key={a} className={styles.radio}>
                <input type="radio" name="rule-action" checked={draft.action === a} onChange={() => update({ action: a })} />
                {ACTION_WORDS[a]}
                {a === "refuse" ? " (nothing is written)" : " (the record waits in the review queue)"}
              </label>
            ))}
            <Problems path="action" />
          </fieldset>
          <label className={styles.check}>
            <input type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.target.checked })} />
            Switched on
          </label>
        </Section>

        <div className={styles.row}>
          <button type="submit" className={ui.button} disabled={mutation.isPending}>
            {mutation.isPending ? "Saving…" : submitLabel}
          </button>
        </div>
      </form>
    </ConditionKit>
  );
}

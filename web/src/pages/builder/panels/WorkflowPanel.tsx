/**
 * The workflow's own settings: its name, why it exists, whether a record may go through it
 * again, whether its own writes may start it again, its hourly quotas of emails and calls, and
 * its goal (when met, the record leaves the workflow). The key and the object are fixed once the
 * workflow exists (runs and other workflows refer to them), so they are shown, not edited.
 */
import type { WorkflowDefinition } from "../../../components/graph/definition";
import { nodeOfProblem } from "../model/problems";
import { ConditionEditor } from "./conditions/ConditionEditor";
import { setKey } from "./edits";
import { objectInfo, useKit } from "./kit";
import { PanelField, ProblemSummary } from "./PanelField";
import styles from "./panels.module.css";

const LIMITS = [
  { key: "emails_per_hour", label: "Emails per hour at most", fallback: 1_000 },
  { key: "calls_per_hour", label: "Calls to other systems per hour at most", fallback: 10_000 },
] as const;

export function WorkflowPanel() {
  const kit = useKit();
  const d = kit.definition;
  const edit = (next: WorkflowDefinition, key?: string) => kit.onEdit(next, key);
  const noun = objectInfo(kit, d.object)?.label.toLowerCase() ?? d.object;
  return (
    <section className={styles.panel} aria-labelledby="inspector-title">
      <h2 id="inspector-title">Workflow settings</h2>
      <ProblemSummary select={(p) => nodeOfProblem(p.path) === "workflow"} />
      <dl className={styles.readonly}>
        <dt>Key</dt>
        <dd>
          <code>{d.key}</code>
        </dd>
        <dt>Runs on</dt>
        <dd>{objectInfo(kit, d.object)?.plural ?? d.object}</dd>
      </dl>
      <PanelField path="name" label="Name">
        {(c) => <input {...c} className={styles.input} value={d.name} onChange={(e) => edit({ ...d, name: e.target.value }, "name")} />}
      </PanelField>
      <PanelField
        path="description"
        label="Why this workflow exists"
        hint="For whoever reviews it next quarter: the rule it keeps and who asked for it."
      >
        {(c) => (
          <textarea
            {...c}
            className={styles.textarea}
            value={d.description ?? ""}
            onChange={(e) => edit(setKey(d, "description", e.target.value || undefined), "description")}
          />
        )}
      </PanelField>
      <PanelField path="reenrollment" label={`A ${noun} may go through it again after its run ended`} inline>
        {(c) => (
          <input
            {...c}
            type="checkbox"
            checked={d.reenrollment === true}
            onChange={(e) => edit(setKey(d, "reenrollment", e.target.checked || undefined))}
          />
        )}
      </PanelField>
      <PanelField
        path="allow_self_trigger"
        label="Its own changes may start it again"
        hint="Off, a change this workflow makes never starts it again (it protects against loops)."
        inline
      >
        {(c) => (
          <input
            {...c}
            type="checkbox"
            checked={d.allow_self_trigger === true}
            onChange={(e) => edit(setKey(d, "allow_self_trigger", e.target.checked || undefined))}
          />
        )}
      </PanelField>
      {LIMITS.map((l) => (
        <PanelField
          key={l.key}
          path={`limits.${l.key}`}
          label={l.label}
          hint={`Leave empty for the default, ${l.fallback.toLocaleString("en")}.`}
        >
          {(c) => (
            <input
              {...c}
              className={styles.input}
              type="number"
              min={1}
              step={1}
              value={d.limits?.[l.key] ?? ""}
              onChange={(e) => {
                const n = e.target.value === "" ? undefined : Math.floor(Number(e.target.value));
                const limits = setKey(d.limits ?? {}, l.key, n);
                edit(setKey(d, "limits", Object.keys(limits).length > 0 ? limits : undefined), `limits.${l.key}`);
              }}
            />
          )}
        </PanelField>
      ))}
      <ConditionEditor
        path="goal"
        object={d.object}
        legend="Goal: the record leaves the workflow when"
        empty={`No goal: a ${noun} stays until its run ends.`}
        changes={false}
        value={d.goal}
        onChange={(goal, key) => edit(setKey(d, "goal", goal), key)}
      />
    </section>
  );
}

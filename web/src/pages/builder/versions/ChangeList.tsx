/**
 * A version diff in words (model/diff.ts), for the compare view: the trigger, the enrollment
 * conditions, the goal and the workflow's settings when they changed, then each step added,
 * changed (every changed setting as "path: before → after", and its paths to other steps) or
 * removed, named by its id and what it does. The graphs beside it show the same by colour and
 * by the words on each node; this list is what a screen reader and an auditor read.
 */
import type { StepSpec, WorkflowDefinition } from "../../../components/graph/definition";
import { stepWords } from "../../../components/graph/describe";
import { type DefinitionDiff, isEmptyDiff, type SettingChange } from "../model/diff";
import styles from "./versions.module.css";

function Lines({ changes }: { changes: readonly SettingChange[] }) {
  return (
    <ul className={styles.lines}>
      {changes.map((c) => (
        <li key={c.path}>
          <code className={styles.path}>{c.path}</code>: {c.before} → {c.after}
        </li>
      ))}
    </ul>
  );
}

const title = (spec: StepSpec | undefined) => (spec ? stepWords(spec).title : "");

/** "1 step changed, 2 added, none removed" and whether the trigger, conditions, goal or settings changed. */
export function diffSummary(d: DefinitionDiff): string {
  if (isEmptyDiff(d)) return "The two versions are the same.";
  const n = (count: number, word: string) => `${count === 0 ? "none" : count} ${word}`;
  const steps = `${d.changed.length} ${d.changed.length === 1 ? "step" : "steps"} changed, ${n(d.added.length, "added")}, ${n(d.removed.length, "removed")}`;
  const parts = [
    d.trigger.length > 0 ? "the trigger" : "",
    d.conditions.length > 0 ? "the enrollment conditions" : "",
    d.goal.length > 0 ? "the goal" : "",
    d.settings.length > 0 ? "the workflow's settings" : "",
  ].filter(Boolean);
  return `${steps}${parts.length > 0 ? `; ${parts.join(", ")} changed too` : "; the trigger, conditions and goal are the same"}.`;
}

export function ChangeList({ diff, before, after }: { diff: DefinitionDiff; before: WorkflowDefinition; after: WorkflowDefinition }) {
  const parts: Array<[string, readonly SettingChange[]]> = [
    ["Trigger", diff.trigger],
    ["Enrollment conditions", diff.conditions],
    ["Goal", diff.goal],
    ["Workflow settings", diff.settings],
  ];
  return (
    <div className={styles.changes}>
      {parts
        .filter(([, changes]) => changes.length > 0)
        .map(([name, changes]) => (
          <section key={name} className={`${styles.change} ${styles.changedCard}`} aria-label={`${name}, changed`}>
            <h3>
              {name} <span className={styles.tag}>changed</span>
            </h3>
            <Lines changes={changes} />
          </section>
        ))}
      {diff.changed.map((s) => (
        <section key={s.id} className={`${styles.change} ${styles.changedCard}`} aria-label={`Step ${s.id}, changed`}>
          <h3>
            Step <code>{s.id}</code>: {title(after.steps[s.id])} <span className={styles.tag}>changed</span>
          </h3>
          {s.settings.length > 0 ? <Lines changes={s.settings} /> : null}
          {s.successors.length > 0 ? (
            <>
              <p className={styles.subhead}>Where its paths lead</p>
              <Lines changes={s.successors} />
            </>
          ) : null}
        </section>
      ))}
      {diff.added.map((id) => (
        <section key={id} className={`${styles.change} ${styles.addedCard}`} aria-label={`Step ${id}, added`}>
          <h3>
            Step <code>{id}</code>: {title(after.steps[id])} <span className={styles.tag}>added</span>
          </h3>
          <p>{after.steps[id] ? stepWords(after.steps[id]).detail : null}</p>
        </section>
      ))}
      {diff.removed.map((id) => (
        <section key={id} className={`${styles.change} ${styles.removedCard}`} aria-label={`Step ${id}, removed`}>
          <h3>
            Step <code>{id}</code>: {title(before.steps[id])} <span className={styles.tag}>removed</span>
          </h3>
          <p>{before.steps[id] ? stepWords(before.steps[id]).detail : null}</p>
        </section>
      ))}
    </div>
  );
}

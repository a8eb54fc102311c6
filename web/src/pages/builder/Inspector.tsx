/**
 * The panel beside the canvas: the settings of what is selected, in the admin's words.
 */

import styles from "./builder.module.css";
import { problemsAt } from "./model/problems";
import type { BuilderPartProps } from "./types";

export function Inspector({ definition, selection, onEdit, problems, editable }: BuilderPartProps) {
  if (selection.kind === "step") {
    const step = definition.steps[selection.id];
    if (!step) return <p>This step is no longer in the workflow.</p>;
    const path = `steps.${selection.id}`;
    return (
      <section className={styles.panel} aria-labelledby="inspector-title">
        <h2 id="inspector-title">Step {selection.id}</h2>
        <label className={styles.label} htmlFor="step-description">
          Why this step exists
        </label>
        <textarea
          id="step-description"
          className={styles.textarea}
          readOnly={!editable}
          value={step.description ?? ""}
          onChange={(e) =>
            onEdit(
              { ...definition, steps: { ...definition.steps, [selection.id]: { ...step, description: e.target.value || undefined } } },
              `${path}.description`,
            )
          }
        />
        <ProblemList problems={problemsAt(problems, path)} />
      </section>
    );
  }
  return (
    <section className={styles.panel} aria-labelledby="inspector-title">
      <h2 id="inspector-title">{selection.kind === "trigger" ? "Trigger" : "Workflow"}</h2>
      <label className={styles.label} htmlFor="workflow-name">
        Name
      </label>
      <input
        id="workflow-name"
        className={styles.input}
        readOnly={!editable}
        value={definition.name}
        onChange={(e) => onEdit({ ...definition, name: e.target.value }, "name")}
      />
      <label className={styles.label} htmlFor="workflow-description">
        Why this workflow exists
      </label>
      <textarea
        id="workflow-description"
        className={styles.textarea}
        readOnly={!editable}
        value={definition.description ?? ""}
        onChange={(e) => onEdit({ ...definition, description: e.target.value || undefined }, "description")}
      />
      <ProblemList problems={problems.filter((p) => !p.path.startsWith("steps."))} />
    </section>
  );
}

function ProblemList({ problems }: { problems: readonly { path: string; message: string }[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className={styles.problems} aria-label="Problems to fix">
      {problems.map((p) => (
        <li key={`${p.path}:${p.message}`}>
          <code>{p.path}</code>: {p.message}
        </li>
      ))}
    </ul>
  );
}

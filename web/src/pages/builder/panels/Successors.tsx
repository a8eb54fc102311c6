/**
 * Where a step leads, in words ("Then: Create P1 task (call)"), read-only: the paths are drawn
 * and changed on the canvas, and the panel only says where each goes.
 */
import type { StepSpec } from "../../../components/graph/definition";
import { stepWords, valueWords } from "../../../components/graph/describe";
import { approvalTimesOut } from "../../../components/graph/graph-model";
import { useKit } from "./kit";
import styles from "./panels.module.css";

/** Each path out of a step: what takes it, and the step it leads to (undefined: the run ends). */
export function pathsOf(step: StepSpec): { when: string; to: string | undefined }[] {
  switch (step.type) {
    case "action":
      return [{ when: "Then", to: step.next }, ...(step.on_failure ? [{ when: "If it fails", to: step.on_failure }] : [])];
    case "branch":
      return [
        ...step.rules.map((r, i) => ({ when: `If ${r.label ? `“${r.label}”` : `rule ${i + 1}`} holds`, to: r.next })),
        { when: "Otherwise", to: step.else },
      ];
    case "switch":
      return [
        ...Object.entries(step.cases).map(([value, to]) => ({ when: `When it is ${valueWords(value)}`, to })),
        { when: "Any other value", to: step.default },
      ];
    case "delay":
      return [{ when: "Then", to: step.next }];
    case "wait_for":
      return [
        { when: "When it happens", to: step.next },
        { when: "If the time runs out", to: step.on_timeout ?? step.next },
      ];
    case "approval":
      return [
        { when: "If approved", to: step.on_approved },
        { when: "If rejected", to: step.on_rejected },
        ...(approvalTimesOut(step) ? [{ when: "If it times out", to: step.on_timeout }] : []),
      ];
    case "classify":
      return [
        { when: "When the model is sure enough", to: step.next },
        { when: "When it is unsure (or off)", to: step.low_confidence ?? step.next },
      ];
    case "end":
      return [];
  }
}

export function Successors({ step }: { step: StepSpec }) {
  const kit = useKit();
  const paths = pathsOf(step);
  if (paths.length === 0) return <p className={styles.hint}>The run ends here.</p>;
  return (
    <section aria-labelledby="successors-title" className={styles.field}>
      <h3 id="successors-title">Where it leads</h3>
      <ul className={styles.successors}>
        {paths.map((p) => {
          const target = p.to ? kit.definition.steps[p.to] : undefined;
          const name = p.to ? (target ? `${stepWords(target).title} (${p.to})` : `a missing step “${p.to}”`) : "the end of the workflow";
          return (
            <li key={`${p.when}:${p.to}`}>
              <strong>{p.when}:</strong> {name}
            </li>
          );
        })}
      </ul>
      <span className={styles.hint}>Change where a path leads on the canvas.</span>
    </section>
  );
}

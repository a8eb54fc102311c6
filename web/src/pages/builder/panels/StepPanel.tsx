/**
 * One step's settings: what kind of step it is, why it exists, its own settings (one panel per
 * step type; an action's by its action type) and where it leads, in words.
 */
import type { StepSpec } from "../../../components/graph/definition";
import { stepWords } from "../../../components/graph/describe";
import { setKey, withStep } from "./edits";
import { useKit } from "./kit";
import { assertNever } from "./never";
import { PanelField, ProblemSummary } from "./PanelField";
import styles from "./panels.module.css";
import { Successors } from "./Successors";
import { ActionStepPanel } from "./steps/ActionStepPanel";
import { ApprovalPanel } from "./steps/ApprovalPanel";
import { BranchPanel } from "./steps/BranchPanel";
import { ClassifyPanel } from "./steps/ClassifyPanel";
import { DelayPanel } from "./steps/DelayPanel";
import { SwitchPanel } from "./steps/SwitchPanel";
import { WaitForPanel } from "./steps/WaitForPanel";

const KIND: Record<StepSpec["type"], string> = {
  action: "Action",
  branch: "Branch (if / else)",
  switch: "Switch (one path per value)",
  delay: "Wait",
  wait_for: "Wait for something",
  approval: "Approval",
  classify: "Classify with AI",
  end: "End",
};

export function StepPanel({ id }: { id: string }) {
  const kit = useKit();
  const step = kit.definition.steps[id];
  if (!step) return <p>This step is no longer in the workflow.</p>;
  const path = `steps.${id}`;
  return (
    <section className={styles.panel} aria-labelledby="inspector-title">
      <p className={styles.kind}>
        {KIND[step.type]} · step <code>{id}</code>
      </p>
      <h2 id="inspector-title">{stepWords(step).title}</h2>
      <ProblemSummary path={path} shownBelow />
      <PanelField path={`${path}.description`} label="Why this step exists" hint="In a sentence, for whoever reads this workflow later.">
        {(c) => (
          <textarea
            {...c}
            className={styles.textarea}
            value={step.description ?? ""}
            onChange={(e) =>
              kit.onEdit(withStep(kit.definition, id, setKey(step, "description", e.target.value || undefined)), `${path}.description`)
            }
          />
        )}
      </PanelField>
      <StepSettings id={id} step={step} />
      <Successors step={step} />
    </section>
  );
}

function StepSettings({ id, step }: { id: string; step: StepSpec }) {
  switch (step.type) {
    case "action":
      return <ActionStepPanel id={id} step={step} />;
    case "branch":
      return <BranchPanel id={id} step={step} />;
    case "switch":
      return <SwitchPanel id={id} step={step} />;
    case "delay":
      return <DelayPanel id={id} step={step} />;
    case "wait_for":
      return <WaitForPanel id={id} step={step} />;
    case "approval":
      return <ApprovalPanel id={id} step={step} />;
    case "classify":
      return <ClassifyPanel id={id} step={step} />;
    case "end":
      return null;
    default:
      return assertNever(step);
  }
}

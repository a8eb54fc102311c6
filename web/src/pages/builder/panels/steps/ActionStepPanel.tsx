/**
 * An action step: the action's own panel, chosen from the registry by its type, and what happens
 * when the action fails — the run fails there (the format's default), or it goes on to a step
 * after this one (`on_failure`: an auto-reply that bounces must not hold up the call).
 */
import type { ActionSpec, StepSpec } from "../../../../components/graph/definition";
import { stepWords } from "../../../../components/graph/describe";
import type { ActionPanelProps } from "../actions/actionProps";
import { ACTION_PANELS } from "../actions/registry";
import { setKey, withAction, withStep } from "../edits";
import { useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { pathsOf } from "../Successors";
import type { StepPanelProps } from "./stepProps";

export function ActionStepPanel({ id, step }: StepPanelProps<"action">) {
  const kit = useKit();
  // The registry is typed per action; one call site over the union needs its panel as the union's.
  const Panel = ACTION_PANELS[step.action.type] as React.ComponentType<ActionPanelProps<ActionSpec["type"]>>;
  // Only steps after this one: a failure path back to it or before it would make a loop.
  const after = stepsAfter(kit.definition.steps, step.next);
  return (
    <>
      <Panel
        id={id}
        action={step.action}
        path={`steps.${id}.action`}
        save={(next, key) => kit.onEdit(withAction(kit.definition, id, next), key)}
      />
      <PanelField path={`steps.${id}.on_failure`} label="If it fails" hint="An error the retries do not cure: a bounce, a refusal.">
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={step.on_failure ?? ""}
            onChange={(e) => kit.onEdit(withStep(kit.definition, id, setKey(step, "on_failure", e.target.value || undefined)))}
          >
            <option value="">The run fails here</option>
            {step.on_failure && !after.includes(step.on_failure) ? (
              <option value={step.on_failure}>Go on to {step.on_failure}</option>
            ) : null}
            {after.map((s) => {
              const target = kit.definition.steps[s];
              return (
                <option key={s} value={s}>
                  Go on to {target ? stepWords(target).title : s} ({s})
                </option>
              );
            })}
          </select>
        )}
      </PanelField>
    </>
  );
}

/** The steps reachable from `start`, nearest first. */
function stepsAfter(steps: Record<string, StepSpec>, start: string | undefined): string[] {
  const seen: string[] = [];
  const queue = start ? [start] : [];
  while (queue.length > 0) {
    const s = queue.shift() as string;
    const step = steps[s];
    if (seen.includes(s) || !step) continue;
    seen.push(s);
    for (const p of pathsOf(step)) if (p.to) queue.push(p.to);
  }
  return seen;
}

/** create_task: the task's subject and description (templates), when it is due, its priority and who owns it. */
import { setKey } from "../edits";
import { DurationPicker } from "../inputs/DurationPicker";
import { PersonPicker } from "../inputs/PersonPicker";
import { TemplateInput } from "../inputs/TemplateInput";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import type { ActionPanelProps } from "./actionProps";

export const PRIORITIES = [
  ["P1", "P1 — urgent"],
  ["P2", "P2 — high"],
  ["P3", "P3 — normal"],
  ["P4", "P4 — low"],
] as const;

export function CreateTaskPanel({ action, path, save }: ActionPanelProps<"create_task">) {
  return (
    <>
      <TemplateInput
        path={`${path}.subject`}
        label="Task subject"
        short
        action="create_task"
        part="subject"
        value={action.subject}
        onChange={(subject) => save({ ...action, subject }, `${path}.subject`)}
      />
      <TemplateInput
        path={`${path}.description`}
        label="Task description"
        action="create_task"
        part="description"
        value={action.description ?? ""}
        onChange={(d) => save(setKey(action, "description", d || undefined), `${path}.description`)}
      />
      <div className={styles.row}>
        <PanelField path={`${path}.priority`} label="Priority">
          {(c) => (
            <select
              {...c}
              className={styles.select}
              value={action.priority ?? "P3"}
              onChange={(e) => save({ ...action, priority: e.target.value })}
            >
              {PRIORITIES.map(([p, words]) => (
                <option key={p} value={p}>
                  {words}
                </option>
              ))}
            </select>
          )}
        </PanelField>
      </div>
      <PanelField path={`${path}.due_in`} label="Due in" hint="From when the task is created; 0: no due date.">
        {(c) => (
          <DurationPicker
            control={c}
            label="Due in"
            value={action.due_in}
            onChange={(d, typed) =>
              save(setKey(action, "due_in", Object.values(d).some((n) => n) ? d : undefined), typed ? `${path}.due_in` : undefined)
            }
          />
        )}
      </PanelField>
      <PanelField path={`${path}.owner`} label="Owner of the task">
        {(c) => (
          <PersonPicker
            control={c}
            label="Owner of the task"
            value={action.owner ?? { field: "owner_id" }}
            onChange={(owner) => save({ ...action, owner })}
          />
        )}
      </PanelField>
    </>
  );
}

/** add_activity: a note, call, email or meeting logged on the record's timeline, with its subject and body (templates). */
import { setKey } from "../edits";
import { TemplateInput } from "../inputs/TemplateInput";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import type { ActionPanelProps } from "./actionProps";

const TYPES = [
  ["note", "A note"],
  ["call", "A call"],
  ["email", "An email"],
  ["meeting", "A meeting"],
] as const;

export function AddActivityPanel({ action, path, save }: ActionPanelProps<"add_activity">) {
  return (
    <>
      <PanelField path={`${path}.activity_type`} label="Log">
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={action.activity_type ?? "note"}
            onChange={(e) => save({ ...action, activity_type: e.target.value })}
          >
            {TYPES.map(([t, words]) => (
              <option key={t} value={t}>
                {words}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      <TemplateInput
        path={`${path}.subject`}
        label="Subject"
        short
        action="add_activity"
        part="subject"
        value={action.subject}
        onChange={(subject) => save({ ...action, subject }, `${path}.subject`)}
      />
      <TemplateInput
        path={`${path}.body`}
        label="Body"
        action="add_activity"
        part="body"
        value={action.body ?? ""}
        onChange={(body) => save(setKey(action, "body", body || undefined), `${path}.body`)}
      />
    </>
  );
}

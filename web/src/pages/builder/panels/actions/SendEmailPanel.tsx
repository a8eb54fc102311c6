/**
 * send_email: to the record's own email or to a person, with a subject and an HTML and / or text
 * body (templates that may read the record, its owner and its company), sent in the owner's name
 * when asked, through an SMTP connector.
 */
import type { PersonSpec } from "../../../../components/graph/definition";
import { setKey } from "../edits";
import { PersonPicker } from "../inputs/PersonPicker";
import { TemplateInput } from "../inputs/TemplateInput";
import { objectInfo, useKit } from "../kit";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import type { ActionPanelProps } from "./actionProps";
import { ConnectorPicker } from "./ConnectorPicker";

export function SendEmailPanel({ action, path, save }: ActionPanelProps<"send_email">) {
  const kit = useKit();
  const noun = objectInfo(kit, kit.definition.object)?.label.toLowerCase() ?? "record";
  const toRecord = "record_email" in action.to;
  return (
    <>
      <PanelField path={`${path}.to`} label="Send to">
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={toRecord ? "record" : "person"}
            onChange={(e) => save({ ...action, to: e.target.value === "record" ? { record_email: true } : { field: "owner_id" } })}
          >
            <option value="record">The {noun}'s own email</option>
            <option value="person">A person</option>
          </select>
        )}
      </PanelField>
      {toRecord ? null : (
        <PanelField path={`${path}.to`} label="Which person" suffix="-person" showProblems={false}>
          {(c) => (
            <PersonPicker control={c} label="Which person" value={action.to as PersonSpec} onChange={(to) => save({ ...action, to })} />
          )}
        </PanelField>
      )}
      <TemplateInput
        path={`${path}.subject`}
        label="Subject"
        short
        action="send_email"
        part="subject"
        value={action.subject}
        onChange={(subject) => save({ ...action, subject }, `${path}.subject`)}
      />
      <TemplateInput
        path={`${path}.text`}
        label="Plain-text body"
        hint="At least one of the bodies. Variables: {{ record.first_name }}, {{ owner.name }}, {{ company.name }}…"
        action="send_email"
        part="text"
        value={action.text ?? ""}
        onChange={(text) => save(setKey(action, "text", text || undefined), `${path}.text`)}
      />
      <TemplateInput
        path={`${path}.html`}
        label="HTML body"
        hint="Record values are escaped: a name cannot add markup."
        action="send_email"
        part="html"
        value={action.html ?? ""}
        onChange={(html) => save(setKey(action, "html", html || undefined), `${path}.html`)}
      />
      <PanelField path={`${path}.reply_to_owner`} label={`Send in the name of the ${noun}'s owner (replies go to them)`} inline>
        {(c) => (
          <input
            {...c}
            type="checkbox"
            checked={action.reply_to_owner === true}
            onChange={(e) => save({ ...action, reply_to_owner: e.target.checked })}
          />
        )}
      </PanelField>
      <ConnectorPicker
        path={path}
        kind="smtp"
        value={action.connector ?? "email"}
        onChange={(connector) => save({ ...action, connector })}
      />
    </>
  );
}

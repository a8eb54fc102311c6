/** notify: a message (template) in a person's Handoff inbox. */
import { PersonPicker } from "../inputs/PersonPicker";
import { TemplateInput } from "../inputs/TemplateInput";
import { PanelField } from "../PanelField";
import type { ActionPanelProps } from "./actionProps";

export function NotifyPanel({ action, path, save }: ActionPanelProps<"notify">) {
  return (
    <>
      <PanelField path={`${path}.to`} label="Who is notified">
        {(c) => <PersonPicker control={c} label="Who is notified" value={action.to} onChange={(to) => save({ ...action, to })} />}
      </PanelField>
      <TemplateInput
        path={`${path}.message`}
        label="Message"
        action="notify"
        part="message"
        value={action.message}
        onChange={(message) => save({ ...action, message }, `${path}.message`)}
      />
    </>
  );
}

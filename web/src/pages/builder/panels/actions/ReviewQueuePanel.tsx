/** add_to_review_queue: why a person should look at the record (template), and who works it (or anyone). */
import { PersonPicker } from "../inputs/PersonPicker";
import { TemplateInput } from "../inputs/TemplateInput";
import { PanelField } from "../PanelField";
import type { ActionPanelProps } from "./actionProps";

export function ReviewQueuePanel({ action, path, save }: ActionPanelProps<"add_to_review_queue">) {
  const { assign_to, ...rest } = action;
  return (
    <>
      <TemplateInput
        path={`${path}.reason`}
        label="Why it needs a look"
        hint="Shown in the review queue. Queued once while the same reason is open on the record."
        action="add_to_review_queue"
        part="reason"
        value={action.reason}
        onChange={(reason) => save({ ...action, reason }, `${path}.reason`)}
      />
      <PanelField path={`${path}.assign`} label="Give it to someone" hint="Otherwise it waits unassigned and anyone takes it.">
        {(c) => (
          <input
            {...c}
            type="checkbox"
            checked={assign_to !== undefined}
            onChange={(e) => save(e.target.checked ? { ...rest, assign_to: { field: "owner_id" } } : rest)}
          />
        )}
      </PanelField>
      {assign_to ? (
        <PanelField path={`${path}.assign_to`} label="Who works it">
          {(c) => <PersonPicker control={c} label="Who works it" value={assign_to} onChange={(to) => save({ ...action, assign_to: to })} />}
        </PanelField>
      ) : null}
    </>
  );
}

/**
 * The settings of each trigger kind: the watched fields of an update, the field and the values
 * of a change, the date field, offset and time of a relative date, the days of inactivity, the
 * score, threshold and direction, the outside event's key, the schedule's cron and zone, the SLA
 * policy (of the workflow's object), its milestones and level, the email engagements (opened, clicked).
 * One case per kind of the format; a kind left out is a compile error.
 */
import {
  EMAIL_ENGAGEMENTS,
  type EmailEngagement,
  REVIEW_QUEUE_KINDS,
  type ReviewKind,
  SLA_MILESTONES,
  type SlaMilestone,
  type TriggerSpec,
} from "../../../../components/graph/definition";
import { withTrigger } from "../edits";
import { CheckGroup } from "../inputs/CheckGroup";
import { FieldSelect } from "../inputs/FieldSelect";
import { OffsetPicker } from "../inputs/OffsetPicker";
import { SlaPolicyPicker } from "../inputs/SlaPolicyPicker";
import { TimeZoneInput } from "../inputs/TimeZoneInput";
import { ValueInput } from "../inputs/ValueInput";
import { fieldsOf, useKit } from "../kit";
import { assertNever } from "../never";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import { isDateField, isNumberField } from "./kinds";

const REVIEW_KIND_LABELS: { [K in ReviewKind]: string } = {
  duplicate: "Possible duplicate",
  rule: "Rule warning",
  format: "Format to check",
  required: "Missing field",
  manual: "Flagged by a person or a workflow",
};

const MILESTONE_LABELS: { [M in SlaMilestone]: string } = {
  warning: "warns",
  breach: "is breached",
  escalation: "escalates",
};

const ENGAGEMENT_LABELS: { [E in EmailEngagement]: string } = {
  opened: "opens an email a workflow sent them",
  clicked: "clicks a link in it",
};

export function TriggerSettings({ trigger }: { trigger: TriggerSpec }) {
  const kit = useKit();
  const object = kit.definition.object;
  const fields = fieldsOf(kit, object);
  const set = (t: TriggerSpec, key?: string) => kit.onEdit(withTrigger(kit.definition, t), key);
  switch (trigger.type) {
    case "record_created":
    case "record_deleted":
    case "manual":
      return null;
    case "record_updated": {
      const watched = trigger.fields ?? [];
      return (
        <CheckGroup
          path="trigger.fields"
          legend="Only when one of these fields changes"
          hint="None ticked: any change starts it."
          options={fields.filter((f) => !f.managed).map((f) => ({ value: f.name, label: f.label }))}
          checked={watched}
          onChange={(next) => {
            const { fields: _f, ...rest } = trigger;
            set(next.length > 0 ? { ...rest, fields: next } : rest);
          }}
        />
      );
    }
    case "field_changed": {
      const field = fields.find((f) => f.name === trigger.field);
      return (
        <>
          <PanelField path="trigger.field" label="Field">
            {(c) => (
              <FieldSelect
                control={c}
                object={object}
                value={trigger.field}
                onChange={(name) => set({ type: "field_changed", field: name })}
                only={(f) => !f.managed}
              />
            )}
          </PanelField>
          {(["from", "to"] as const).map((end) => (
            <PanelField
              key={end}
              path={`trigger.${end}`}
              label={end === "from" ? "Changed from (empty: any value)" : "Changed to (empty: any value)"}
            >
              {(c) => (
                <ValueInput
                  field={field}
                  control={c}
                  value={trigger[end]}
                  onChange={(v) => {
                    const { [end]: _old, ...rest } = trigger;
                    set(v === undefined || v === "" ? rest : { ...rest, [end]: v }, `trigger.${end}`);
                  }}
                />
              )}
            </PanelField>
          ))}
        </>
      );
    }
    case "relative_date":
      return (
        <>
          <PanelField path="trigger.field" label="Date field">
            {(c) => (
              <FieldSelect
                control={c}
                object={object}
                value={trigger.field}
                only={isDateField}
                onChange={(field) => set({ ...trigger, field })}
              />
            )}
          </PanelField>
          <PanelField path="trigger.offset" label="How long before or after it">
            {(c) => (
              <OffsetPicker
                control={c}
                label="How long"
                value={trigger.offset}
                onChange={(offset, typed) => set({ ...trigger, offset }, typed ? "trigger.offset" : undefined)}
              />
            )}
          </PanelField>
          <PanelField path="trigger.at" label="At this time of day (empty: the instant itself)">
            {(c) => (
              <input
                {...c}
                className={styles.input}
                type="time"
                value={trigger.at ?? ""}
                onChange={(e) => {
                  const { at: _a, ...rest } = trigger;
                  set(e.target.value ? { ...rest, at: e.target.value } : rest, "trigger.at");
                }}
              />
            )}
          </PanelField>
        </>
      );
    case "inactivity":
      return (
        <>
          <PanelField path="trigger.days" label="Days without activity">
            {(c) => (
              <input
                {...c}
                className={styles.input}
                type="number"
                min={1}
                step={1}
                value={trigger.days}
                onChange={(e) => set({ ...trigger, days: Math.floor(Number(e.target.value)) }, "trigger.days")}
              />
            )}
          </PanelField>
          <PanelField path="trigger.field" label="Counted from this date field">
            {(c) => (
              <FieldSelect
                control={c}
                object={object}
                value={trigger.field ?? "last_activity_at"}
                only={isDateField}
                onChange={(field) => set({ ...trigger, field })}
              />
            )}
          </PanelField>
        </>
      );
    case "score_threshold":
      return (
        <>
          <PanelField path="trigger.field" label="Score field">
            {(c) => (
              <FieldSelect
                control={c}
                object={object}
                value={trigger.field ?? "score"}
                only={isNumberField}
                onChange={(field) => set({ ...trigger, field })}
              />
            )}
          </PanelField>
          <div className={styles.row}>
            <PanelField path="trigger.direction" label="When it goes">
              {(c) => (
                <select
                  {...c}
                  className={styles.select}
                  value={trigger.direction ?? "up"}
                  onChange={(e) => set({ ...trigger, direction: e.target.value === "down" ? "down" : "up" })}
                >
                  <option value="up">above</option>
                  <option value="down">below</option>
                </select>
              )}
            </PanelField>
            <PanelField path="trigger.threshold" label="Threshold">
              {(c) => (
                <input
                  {...c}
                  className={styles.input}
                  type="number"
                  value={trigger.threshold}
                  onChange={(e) => set({ ...trigger, threshold: Number(e.target.value) }, "trigger.threshold")}
                />
              )}
            </PanelField>
          </div>
        </>
      );
    case "review_queued": {
      const kinds = trigger.kinds ?? [];
      return (
        <CheckGroup
          path="trigger.kinds"
          legend="Only these problems"
          hint="None ticked: anything that enters the queue starts it."
          options={REVIEW_QUEUE_KINDS.map((k) => ({ value: k, label: REVIEW_KIND_LABELS[k] }))}
          checked={kinds}
          onChange={(next) => {
            const { kinds: _k, ...rest } = trigger;
            set(next.length > 0 ? { ...rest, kinds: next as ReviewKind[] } : rest);
          }}
        />
      );
    }
    case "external":
      return (
        <PanelField path="trigger.key" label="Event key" hint="The key of the hook or form whose submissions start it.">
          {(c) => (
            <input
              {...c}
              className={styles.input}
              value={trigger.key}
              onChange={(e) => set({ ...trigger, key: e.target.value }, "trigger.key")}
            />
          )}
        </PanelField>
      );
    case "schedule":
      return (
        <>
          <PanelField
            path="trigger.cron"
            label="Schedule (cron)"
            hint="Minute, hour, day of month, month, day of week: “0 9 * * 1” is Mondays at 9:00."
          >
            {(c) => (
              <input
                {...c}
                className={styles.input}
                spellCheck={false}
                value={trigger.cron}
                onChange={(e) => set({ ...trigger, cron: e.target.value }, "trigger.cron")}
              />
            )}
          </PanelField>
          <PanelField path="trigger.time_zone" label="Time zone">
            {(c) => (
              <TimeZoneInput
                control={c}
                value={trigger.time_zone ?? "UTC"}
                onChange={(time_zone) => set({ ...trigger, time_zone }, "trigger.time_zone")}
              />
            )}
          </PanelField>
        </>
      );
    case "sla":
      return (
        <>
          <PanelField path="trigger.policy" label="SLA policy" hint="The policies of this workflow's object (SLA policies page).">
            {(c) => (
              <SlaPolicyPicker control={c} object={object} value={trigger.policy} onChange={(policy) => set({ ...trigger, policy })} />
            )}
          </PanelField>
          <CheckGroup
            path="trigger.milestones"
            legend="When its clock"
            options={SLA_MILESTONES.map((m) => ({ value: m, label: MILESTONE_LABELS[m] }))}
            checked={trigger.milestones}
            onChange={(milestones) => set({ ...trigger, milestones })}
          />
          <PanelField
            path="trigger.level"
            label="Only this level (empty: any)"
            hint="1 is the breach; 2 and up are the policy's escalation levels."
          >
            {(c) => (
              <input
                {...c}
                className={styles.input}
                type="number"
                min={1}
                max={11}
                step={1}
                value={trigger.level ?? ""}
                onChange={(e) => {
                  const { level: _l, ...rest } = trigger;
                  set(e.target.value === "" ? rest : { ...rest, level: Math.floor(Number(e.target.value)) }, "trigger.level");
                }}
              />
            )}
          </PanelField>
        </>
      );
    case "email_engaged":
      return (
        <CheckGroup
          path="trigger.on"
          legend="When the person"
          hint="Only with email tracking on (Settings). Once per email for an open, once per link for a click."
          options={EMAIL_ENGAGEMENTS.map((e) => ({ value: e, label: ENGAGEMENT_LABELS[e] }))}
          checked={trigger.on ?? ["opened"]}
          onChange={(on) => set({ ...trigger, on: on as EmailEngagement[] })}
        />
      );
    default:
      return assertNever(trigger);
  }
}

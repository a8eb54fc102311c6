/**
 * The trigger: what starts the workflow (every kind of the format, in words) and its settings,
 * the filter the kinds that have one check on the record, and the enrollment conditions every
 * record must meet to start a run.
 */
import type { Condition, TriggerSpec } from "../../../components/graph/definition";
import { triggerWords } from "../../../components/graph/describe";
import { ConditionEditor } from "./conditions/ConditionEditor";
import { setKey, withTrigger } from "./edits";
import { fieldsOf, objectInfo, useKit } from "./kit";
import { PanelField, ProblemSummary } from "./PanelField";
import styles from "./panels.module.css";
import { defaultTrigger, TRIGGER_KINDS, type TriggerKind } from "./trigger/kinds";
import { TriggerSettings } from "./trigger/TriggerSettings";

/** Kinds whose run starts from a change, so conditions may ask what changed. */
const ON_CHANGE = new Set<TriggerKind>(["record_updated", "field_changed"]);

export function TriggerPanel() {
  const kit = useKit();
  const d = kit.definition;
  const t = d.trigger;
  const noun = objectInfo(kit, d.object)?.label.toLowerCase() ?? d.object;
  const changes = ON_CHANGE.has(t.type);
  return (
    <section className={styles.panel} aria-labelledby="inspector-title">
      <h2 id="inspector-title">Trigger</h2>
      <p className={styles.kind}>{triggerWords(t, noun)}</p>
      <ProblemSummary select={(p) => p.path === "trigger" || p.path === "start"} />
      <PanelField path="trigger.type" label="What starts it">
        {(c) => (
          <select
            {...c}
            className={styles.select}
            value={t.type}
            onChange={(e) => kit.onEdit(withTrigger(d, defaultTrigger(e.target.value as TriggerKind, fieldsOf(kit, d.object))))}
          >
            {(Object.keys(TRIGGER_KINDS) as TriggerKind[]).map((k) => (
              <option key={k} value={k}>
                {TRIGGER_KINDS[k](noun)}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      <TriggerSettings trigger={t} />
      {t.type === "record_created" || t.type === "record_updated" || t.type === "schedule" ? (
        <ConditionEditor
          path="trigger.filter"
          object={d.object}
          legend={t.type === "schedule" ? `Which ${noun} records it runs for` : "Only when"}
          empty={
            t.type === "schedule" ? `Every ${noun} each time.` : `Every ${noun} ${t.type === "record_created" ? "created" : "updated"}.`
          }
          changes={changes}
          value={t.filter}
          onChange={(filter, key) =>
            kit.onEdit(withTrigger(d, setKey<TriggerSpec & { filter?: Condition }, "filter">(t, "filter", filter)), key)
          }
        />
      ) : null}
      <ConditionEditor
        path="conditions"
        object={d.object}
        legend="Enrollment conditions"
        empty={`None: every ${noun} it triggers on enrolls. With conditions, only a ${noun} that meets them does.`}
        changes={changes}
        value={d.conditions}
        onChange={(conditions, key) => kit.onEdit(setKey(d, "conditions", conditions), key)}
      />
    </section>
  );
}

/**
 * One group of rules in the model editor — its name, its cap, and its rules — for fit (each rule
 * a condition on the record and its company, the builder's condition editor, or an AI
 * prediction: a conversion model's chance × the rule's points, PredictionRule.tsx) or engagement
 * (each rule counts activities of some types, with an optional condition on the activity, or
 * deliveries from forms and inbound hooks, with an optional condition on the record they left). Controls are named by the definition path they edit
 * ("fit.groups.0.rules.1.points"), so the server's problems show by the box they name.
 */
import type { Condition } from "../../components/graph/definition";
import type { ObjectInfo } from "../../records/model";
import { ConditionEditor } from "../builder/panels/conditions/ConditionEditor";
import { CheckGroup } from "../builder/panels/inputs/CheckGroup";
import { useKit } from "../builder/panels/kit";
import { PanelField } from "../builder/panels/PanelField";
import { Problems } from "../sla/parts";
import { emptyRule, type FitKind, type GroupDraft, type RuleDraft, type Scope } from "./draft";
import { PredictionRule } from "./PredictionRule";
import type { Source } from "./sources";
import { styles } from "./styles";
import { activityWords } from "./words";

export interface GroupEditorProps {
  scope: Scope;
  index: number;
  group: GroupDraft;
  object: string;
  objects: readonly ObjectInfo[];
  sources: readonly Source[];
  onChange: (g: GroupDraft) => void;
  onRemove: () => void;
}

export function GroupEditor({ scope, index, group, object, objects, sources, onChange, onRemove }: GroupEditorProps) {
  const kit = useKit();
  const path = `${scope}.groups.${index}`;
  const name = group.label.trim() || `Group ${index + 1}`;
  const setRule = (i: number, r: RuleDraft) => onChange({ ...group, rules: group.rules.map((x, j) => (j === i ? r : x)) });
  return (
    <fieldset className={styles.group} data-testid={`${scope}-group-${index}`}>
      <legend>{name}</legend>
      <div className={styles.groupHead}>
        <PanelField path={`${path}.label`} label="Group name" hint="Shown in each record's breakdown.">
          {(c) => (
            <input
              {...c}
              className={styles.input}
              value={group.label}
              maxLength={80}
              onChange={(e) => onChange({ ...group, label: e.target.value })}
            />
          )}
        </PanelField>
        <PanelField path={`${path}.cap`} label={`Cap for ${name}`} hint="Most points the group gives together; empty for no cap.">
          {(c) => (
            <input
              {...c}
              className={styles.number}
              inputMode="decimal"
              value={group.cap}
              onChange={(e) => onChange({ ...group, cap: e.target.value })}
            />
          )}
        </PanelField>
      </div>
      <Problems path={`${path}.rules`} exact />
      <ol className={styles.rules} aria-label={`Rules of ${name}`}>
        {group.rules.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a rule has no identity before it is sent; its index is its path
          <li key={`${path}.rules.${i}`} className={styles.rule}>
            <RuleEditor
              scope={scope}
              path={`${path}.rules.${i}`}
              position={i + 1}
              rule={r}
              object={object}
              objects={objects}
              sources={sources}
              onChange={(next) => setRule(i, next)}
              onRemove={() => onChange({ ...group, rules: group.rules.filter((_, j) => j !== i) })}
            />
          </li>
        ))}
      </ol>
      {kit.editable ? (
        <div className={styles.row}>
          <button type="button" className={styles.small} onClick={() => onChange({ ...group, rules: [...group.rules, emptyRule(scope)] })}>
            Add a rule to {name}
          </button>
          <button type="button" className={styles.remove} onClick={onRemove}>
            Remove the group {name}
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}

function RuleEditor({
  scope,
  path,
  position,
  rule,
  object,
  objects,
  sources,
  onChange,
  onRemove,
}: {
  scope: Scope;
  path: string;
  position: number;
  rule: RuleDraft;
  object: string;
  objects: readonly ObjectInfo[];
  sources: readonly Source[];
  onChange: (r: RuleDraft) => void;
  onRemove: () => void;
}) {
  const kit = useKit();
  const name = rule.label.trim() || `Rule ${position}`;
  const predicted = scope === "fit" && rule.fitKind === "prediction";
  const objectLabel = objects.find((o) => o.name === object)?.label.toLowerCase() ?? object;
  const types = objects.find((o) => o.name === "activity")?.fields.find((f) => f.name === "type")?.options ?? [];
  // A key a stored rule names that the workspace no longer has stays visible (and the server says so).
  const sourceOptions = [...sources.map((s) => ({ value: s.key, label: s.label }))];
  for (const k of rule.external) if (!sources.some((s) => s.key === k)) sourceOptions.push({ value: k, label: `${k} (not found)` });
  return (
    <div className={styles.ruleBody} data-testid="rule">
      <div className={styles.ruleHead}>
        <PanelField path={`${path}.label`} label={`Rule ${position}`} hint="What it rewards, as the breakdown and the ledger will say it.">
          {(c) => (
            <input
              {...c}
              className={styles.input}
              value={rule.label}
              maxLength={120}
              placeholder={scope === "fit" ? "300+ employees" : "Opened an email"}
              onChange={(e) => onChange({ ...rule, label: e.target.value })}
            />
          )}
        </PanelField>
        <PanelField
          path={`${path}.points`}
          label={predicted ? `Most points for ${name}` : `Points for ${name}`}
          hint={predicted ? "Given in full at a 100 % chance to convert." : "Negative to take points away."}
        >
          {(c) => (
            <input
              {...c}
              className={styles.number}
              inputMode="decimal"
              value={rule.points}
              onChange={(e) => onChange({ ...rule, points: e.target.value })}
            />
          )}
        </PanelField>
      </div>
      {scope === "fit" ? (
        <>
          <fieldset className={styles.fieldset}>
            <legend>{name} gives points for</legend>
            {(
              [
                ["condition", "Condition", "all its points while a condition on the record holds"],
                ["prediction", "AI prediction", `the predicted chance the ${objectLabel} converts × its points`],
              ] as const satisfies ReadonlyArray<readonly [FitKind, string, string]>
            ).map(([k, label, what]) => (
              <label key={k} className={styles.radio}>
                <input
                  type="radio"
                  name={`${path}-fit-kind`}
                  disabled={!kit.editable}
                  checked={rule.fitKind === k}
                  onChange={() => onChange({ ...rule, fitKind: k })}
                />
                {label}: {what}
              </label>
            ))}
          </fieldset>
          {predicted ? (
            <PredictionRule
              path={path}
              name={name}
              object={object}
              objectLabel={objectLabel}
              prediction={rule.prediction}
              points={rule.points}
              onChange={(prediction) => onChange({ ...rule, prediction })}
            />
          ) : (
            <ConditionEditor
              path={`${path}.when`}
              object={object}
              legend={`${name} applies when…`}
              empty="Add what must hold, such as “Company size is at least 300” or “Company › Industry is Software”."
              changes={false}
              value={rule.when}
              onChange={(c: Condition | undefined) => onChange({ ...rule, when: c })}
            />
          )}
        </>
      ) : (
        <>
          <fieldset className={styles.fieldset}>
            <legend>{name} counts</legend>
            <label className={styles.radio}>
              <input
                type="radio"
                name={`${path}-on`}
                disabled={!kit.editable}
                checked={rule.on === "activity"}
                onChange={() => onChange({ ...rule, on: "activity", when: undefined })}
              />
              Activities logged on the record (emails opened, meetings, calls…)
            </label>
            <label className={styles.radio}>
              <input
                type="radio"
                name={`${path}-on`}
                disabled={!kit.editable}
                checked={rule.on === "external"}
                onChange={() => onChange({ ...rule, on: "external", when: undefined })}
              />
              Submissions of a form or deliveries of an inbound hook (a page visit sent by the website…)
            </label>
          </fieldset>
          {rule.on === "activity" ? (
            <>
              <CheckGroup
                path={`${path}.on.activity`}
                legend={`Activity types ${name} counts`}
                hint="Each activity of a ticked type gives the points once."
                options={types.map((t) => ({ value: t, label: activityWords(t) }))}
                checked={rule.activities}
                onChange={(activities) => onChange({ ...rule, activities })}
              />
              <ConditionEditor
                path={`${path}.when`}
                object="activity"
                legend={`Only activities where… (optional)`}
                empty="Every activity of the ticked types counts."
                changes={false}
                value={rule.when}
                onChange={(c: Condition | undefined) => onChange({ ...rule, when: c })}
              />
            </>
          ) : (
            <>
              <CheckGroup
                path={`${path}.on.external`}
                legend={`Forms and hooks ${name} counts`}
                hint={
                  sourceOptions.length === 0 ? "This workspace has no form or inbound hook yet." : "Each delivery gives the points once."
                }
                options={sourceOptions}
                checked={rule.external}
                onChange={(external) => onChange({ ...rule, external })}
              />
              <ConditionEditor
                path={`${path}.when`}
                object={object}
                legend="Only when the record, as the delivery left it… (optional)"
                empty="Every delivery from the ticked forms and hooks counts."
                changes={false}
                value={rule.when}
                onChange={(c: Condition | undefined) => onChange({ ...rule, when: c })}
              />
            </>
          )}
        </>
      )}
      {kit.editable ? (
        <div>
          <button type="button" className={styles.remove} onClick={onRemove}>
            Remove the rule {name}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The SLA policy editor, for a new policy and an existing one: one section per question the
 * admin answers (which records, when the clock starts, when it stops, the target, the calendar
 * it is measured on, what pauses it, the warning, the escalations), with the whole policy in one
 * paragraph at the top, rewritten as they type. The conditions (`applies_when`, `pause_when`) are
 * the builder's condition editor through ConditionKit; fields and values are the builder's
 * pickers, typed by the field. The server decides what is valid: a refusal keeps everything
 * typed and shows each problem by the control its path names (`target`, `warning`,
 * `pause_when.field`, `calendar.name`, `targets_by.values.P1`), all of them listed at the top too.
 * A 412 (someone else saved meanwhile) offers to reload their version into the form.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { ApiError, isStale } from "../../api/client";
import type { Condition } from "../../components/graph/definition";
import { ui } from "../../components/ui";
import type { ObjectInfo } from "../../records/model";
import { ConditionEditor } from "../builder/panels/conditions/ConditionEditor";
import { CheckGroup } from "../builder/panels/inputs/CheckGroup";
import { FieldSelect } from "../builder/panels/inputs/FieldSelect";
import { ValueInput } from "../builder/panels/inputs/ValueInput";
import { fieldsOf } from "../builder/panels/kit";
import { PanelField } from "../builder/panels/PanelField";
import { ConditionKit } from "../routing/ConditionKit";
import { dottedProblems } from "../routing/rule-edit";
import { calendarsQuery } from "./data";
import {
  ACTIVITY_TYPES,
  calendarKey,
  calendarOfKey,
  type Draft,
  isObjectName,
  OBJECT_NAMES,
  type Policy,
  type SlaDuration,
  type WarningKind,
} from "./draft";
import { DurationFields, Problems, ValuesPicker } from "./parts";
import styles from "./Sla.module.css";
import { policySummary } from "./words";

export interface PolicyFormProps {
  initial: Draft;
  /** The policy being edited; undefined for a new one (its object can still be chosen). */
  policy: Policy | undefined;
  objects: readonly ObjectInfo[];
  save: (d: Draft) => Promise<Policy>;
  submitLabel: string;
  onSaved: (p: Policy) => void;
  /** After a 412: read the stored policy again and start the form from it. */
  onReload?: () => Promise<void>;
}

/** Where a problem's path is, in the admin's words, for the list at the top. */
function where(path: string): string {
  const head = path.split(/[.[]/)[0] ?? path;
  const words: Record<string, string> = {
    name: "Name",
    description: "Why",
    object: "Records",
    enabled: "Switched on",
    applies_when: "Which records",
    starts: "When the clock starts",
    stops: "When it stops",
    target: "Target",
    targets_by: "Different targets",
    calendar: "Measured on",
    pause_when: "Paused while",
    warning: "Warning",
    escalations: "Escalations",
  };
  return words[head] ?? path;
}

function Section({ id, title, hint, children }: { id: string; title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <section className={styles.card} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {hint ? <p className={styles.muted}>{hint}</p> : null}
      {children}
    </section>
  );
}

export function PolicyForm({ initial, policy, objects, save, submitLabel, onSaved, onReload }: PolicyFormProps) {
  const [draft, setDraft] = useState(initial);
  const [reloading, setReloading] = useState(false);
  const calendars = useQuery(calendarsQuery);
  const mutation = useMutation({ mutationFn: () => save(draft), onSuccess: onSaved });
  const problems = dottedProblems(mutation.error);
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const object = objects.find((o) => o.name === draft.object);
  const fields = fieldsOf({ objects }, draft.object).filter((f) => !f.managed);
  const fieldOf = (name: string) => fieldsOf({ objects }, draft.object).find((f) => f.name === name);
  const plural = object ? object.plural.charAt(0).toUpperCase() + object.plural.slice(1) : draft.object;
  const one = object?.label.toLowerCase() ?? draft.object;
  const stale = isStale(mutation.error);
  const error = mutation.error;
  // A refusal is read first: the alert at the top takes the focus (the Save button is far below it).
  const alert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) alert.current?.focus();
  }, [error]);

  return (
    <ConditionKit objects={objects} problems={problems} editable>
      <form
        className={styles.page}
        noValidate
        aria-label={policy ? `Edit ${policy.name}` : "New SLA policy"}
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate();
        }}
      >
        <section className={styles.summary} aria-labelledby="summary-heading">
          <h2 id="summary-heading">This policy in words</h2>
          <p data-testid="policy-summary">{policySummary(draft, plural)}</p>
        </section>

        {error && stale ? (
          <div role="alert" className={ui.alert} ref={alert} tabIndex={-1}>
            <strong>Not saved: someone else saved this policy since you opened it.</strong>
            Reload their version to see what they changed (what you changed here is replaced), then make your change again.
            <div className={styles.row}>
              <button
                type="button"
                className={ui.secondary}
                disabled={reloading}
                onClick={async () => {
                  setReloading(true);
                  try {
                    await onReload?.();
                  } finally {
                    setReloading(false);
                  }
                }}
              >
                {reloading ? "Reloading…" : "Reload their version"}
              </button>
            </div>
          </div>
        ) : error ? (
          <div role="alert" className={ui.alert} ref={alert} tabIndex={-1}>
            <strong>Not saved: {error instanceof ApiError ? (error.problem?.title ?? error.message) : error.message}.</strong>
            {problems.length > 0 ? (
              <>
                <ul>
                  {problems.map((p) => (
                    <li key={`${p.path}:${p.message}`}>
                      {where(p.path)}: {p.message}
                    </li>
                  ))}
                </ul>
                Each problem is also shown by its setting below; what you typed is kept.
              </>
            ) : error instanceof ApiError && error.status === 403 ? (
              " Only admins change SLA policies."
            ) : null}
          </div>
        ) : null}

        <Section id="policy-name" title="Name and purpose">
          <PanelField path="name" label="Name" hint="Workflows and the CLI find the policy by this name.">
            {(c) => (
              <input
                {...c}
                className={styles.input}
                value={draft.name}
                maxLength={120}
                required
                onChange={(e) => update({ name: e.target.value })}
              />
            )}
          </PanelField>
          <PanelField path="description" label="Why this policy exists" hint="For the people who read it later: the promise it keeps.">
            {(c) => (
              <textarea
                {...c}
                className={styles.prose}
                value={draft.description}
                onChange={(e) => update({ description: e.target.value })}
              />
            )}
          </PanelField>
        </Section>

        <Section id="policy-records" title="Which records">
          <PanelField
            path="object"
            label="Records of"
            hint={
              policy
                ? "Fixed once the policy exists: a policy measures one kind of record for its whole life."
                : "Fixed once the policy is created."
            }
          >
            {(c) => (
              <select
                {...c}
                disabled={policy !== undefined}
                className={styles.select}
                value={draft.object}
                onChange={(e) => {
                  const next = e.target.value;
                  if (!isObjectName(next)) return;
                  // Fields belong to the object: what named the old one's fields starts again.
                  setDraft((d) => ({
                    ...d,
                    object: next,
                    appliesWhen: undefined,
                    pauseWhen: undefined,
                    starts: { on: d.starts.on, field: "", to: [] },
                    stops: { ...d.stops, field: "", in: [] },
                    targetsBy: null,
                  }));
                }}
              >
                {OBJECT_NAMES.filter((n) => objects.some((o) => o.name === n)).map((n) => (
                  <option key={n} value={n}>
                    {objects.find((o) => o.name === n)?.label ?? n}
                  </option>
                ))}
              </select>
            )}
          </PanelField>
          <ConditionEditor
            path="applies_when"
            object={draft.object}
            legend={`Only ${one} records where…`}
            empty={`Every ${one} is measured. Add a condition to measure only some (category is not spam, plan is Enterprise).`}
            changes={false}
            value={draft.appliesWhen}
            onChange={(c: Condition | undefined) => update({ appliesWhen: c })}
          />
        </Section>

        <Section id="policy-starts" title="When the clock starts">
          <fieldset className={styles.fieldset}>
            <legend>The clock starts</legend>
            <label className={styles.radio}>
              <input
                type="radio"
                name="starts-on"
                checked={draft.starts.on === "created"}
                onChange={() => update({ starts: { ...draft.starts, on: "created" } })}
              />
              When the {one} is created
            </label>
            <label className={styles.radio}>
              <input
                type="radio"
                name="starts-on"
                checked={draft.starts.on === "field_changed"}
                onChange={() => update({ starts: { ...draft.starts, on: "field_changed" } })}
              />
              When a field changes (the owner changes = it was assigned)
            </label>
            <Problems path="starts.on" />
          </fieldset>
          {draft.starts.on === "field_changed" ? (
            <div className={styles.indent}>
              <PanelField path="starts.field" label="Field that changes">
                {(c) => (
                  <FieldSelect
                    control={c}
                    object={draft.object}
                    value={draft.starts.field}
                    only={(f) => !f.managed}
                    onChange={(field) => update({ starts: { ...draft.starts, field, to: [] } })}
                  />
                )}
              </PanelField>
              {draft.starts.field ? (
                <ValuesPicker
                  path="starts.to"
                  legend="Only when it changes to"
                  hint="None given: any change starts the clock."
                  field={fieldOf(draft.starts.field)}
                  values={draft.starts.to}
                  onChange={(to) => update({ starts: { ...draft.starts, to } })}
                />
              ) : null}
            </div>
          ) : null}
        </Section>

        <Section id="policy-stops" title="When it stops">
          <fieldset className={styles.fieldset}>
            <legend>The clock stops</legend>
            {(
              [
                ["activity", "When an activity is logged on the record (a first response)"],
                ["field_value", "When a field reaches a value (resolved: status is solved or closed)"],
                ["field_changed", "When a field changes (a stuck deal: the stage moves)"],
              ] as const
            ).map(([on, label]) => (
              <label key={on} className={styles.radio}>
                <input
                  type="radio"
                  name="stops-on"
                  checked={draft.stops.on === on}
                  onChange={() => update({ stops: { ...draft.stops, on } })}
                />
                {label}
              </label>
            ))}
            <Problems path="stops.on" />
          </fieldset>
          <div className={styles.indent}>
            {draft.stops.on === "activity" ? (
              <>
                <CheckGroup
                  path="stops.types"
                  legend="Activity types that stop it"
                  options={ACTIVITY_TYPES.map((t) => ({ value: t, label: t.charAt(0).toUpperCase() + t.slice(1) }))}
                  checked={draft.stops.types.filter((t): t is (typeof ACTIVITY_TYPES)[number] =>
                    (ACTIVITY_TYPES as readonly string[]).includes(t),
                  )}
                  onChange={(types) => update({ stops: { ...draft.stops, types } })}
                />
                <fieldset className={styles.fieldset}>
                  <legend>Logged by</legend>
                  <label className={styles.radio}>
                    <input
                      type="radio"
                      name="stops-by"
                      checked={draft.stops.by === "owner"}
                      onChange={() => update({ stops: { ...draft.stops, by: "owner" } })}
                    />
                    The {one}'s owner
                  </label>
                  <label className={styles.radio}>
                    <input
                      type="radio"
                      name="stops-by"
                      checked={draft.stops.by === "anyone"}
                      onChange={() => update({ stops: { ...draft.stops, by: "anyone" } })}
                    />
                    Anyone
                  </label>
                </fieldset>
              </>
            ) : (
              <PanelField path="stops.field" label={draft.stops.on === "field_value" ? "Field" : "Field that changes"}>
                {(c) => (
                  <FieldSelect
                    control={c}
                    object={draft.object}
                    value={draft.stops.field}
                    only={(f) => !f.managed}
                    onChange={(field) => update({ stops: { ...draft.stops, field, in: [] } })}
                  />
                )}
              </PanelField>
            )}
            {draft.stops.on === "field_value" && draft.stops.field ? (
              <ValuesPicker
                path="stops.in"
                legend="Values that stop the clock"
                field={fieldOf(draft.stops.field)}
                values={draft.stops.in}
                onChange={(vs) => update({ stops: { ...draft.stops, in: vs } })}
              />
            ) : null}
          </div>
        </Section>

        <Section
          id="policy-target"
          title="Target"
          hint="Business time: counted only while the calendar below is open. 4 hours on a 9-to-5 calendar started at 3 pm ends at 11 am the next working day."
        >
          <DurationFields
            path="target"
            legend="Target"
            hint="Hours and minutes of open time. A day here is 24 open hours, not a working day: on a 9-to-5 calendar one such day lasts three working days."
            days
            value={draft.target}
            onChange={(target) => update({ target })}
          />
          <label className={styles.check}>
            <input
              type="checkbox"
              checked={draft.targetsBy !== null}
              onChange={(e) =>
                update({
                  targetsBy: e.target.checked
                    ? { field: fields.some((f) => f.name === "priority") ? "priority" : "", rows: [{ value: "", target: { hours: 1 } }] }
                    : null,
                })
              }
            />
            A different target by a field (priority, plan, tier …)
          </label>
          {draft.targetsBy ? <TargetsBy draft={draft} update={update} fieldOf={fieldOf} /> : null}
        </Section>

        <Section id="policy-calendar" title="Measured on">
          <PanelField
            path="calendar"
            label="Calendar"
            hint="The owner's calendar is their own, else their team's, else the workspace's. A workspace without a default calendar is open around the clock."
          >
            {(c) => (
              <select
                {...c}
                className={styles.select}
                value={calendarKey(draft.calendar)}
                onChange={(e) => update({ calendar: calendarOfKey(e.target.value) })}
              >
                <option value="of:workspace">The workspace's calendar (its default)</option>
                <option value="of:owner">The owner's calendar</option>
                <option value="of:team">The owner's team's calendar</option>
                {calendars.data && calendars.data.length > 0 ? (
                  <optgroup label="A named calendar">
                    {calendars.data.map((cal) => (
                      <option key={cal.id} value={`name:${cal.name}`}>
                        {cal.name} ({cal.time_zone})
                      </option>
                    ))}
                  </optgroup>
                ) : null}
                {"name" in draft.calendar &&
                !calendars.data?.some((cal) => "name" in draft.calendar && cal.name === draft.calendar.name) ? (
                  <option value={calendarKey(draft.calendar)}>{draft.calendar.name} (not found)</option>
                ) : null}
              </select>
            )}
          </PanelField>
          {calendars.error ? (
            <p className={styles.muted}>The workspace's named calendars could not be read; the three above still work.</p>
          ) : null}
        </Section>

        <Section id="policy-pause" title="Paused while">
          <ConditionEditor
            path="pause_when"
            object={draft.object}
            legend="The clock stops counting while…"
            empty="Never paused. Add a condition such as “status is pending” to stop the clock while you wait on the customer; it counts again when the condition no longer holds."
            changes={false}
            value={draft.pauseWhen}
            onChange={(c: Condition | undefined) => update({ pauseWhen: c })}
          />
        </Section>

        <Section id="policy-warning" title="Warning">
          <WarningChoice draft={draft} update={update} />
        </Section>

        <Section
          id="policy-escalations"
          title="Escalations after the breach"
          hint="The breach is level 1. Each further level comes this long after the breach, in business time. Workflows that trigger on the policy do the warning, breach and escalation actions (notify, reassign, page)."
        >
          <Escalations levels={draft.escalations} onChange={(escalations) => update({ escalations })} />
        </Section>

        <section className={styles.card} aria-labelledby="policy-save-heading">
          <h2 id="policy-save-heading" className="visually-hidden">
            Save
          </h2>
          <label className={styles.check}>
            <input type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.target.checked })} />
            Switched on: start clocks on {one} records that match
          </label>
          <p className={styles.muted}>
            {policy
              ? "Clocks already running keep the version they started on; a change applies to clocks started from now on."
              : "Switch it off to save it without starting any clock yet."}
          </p>
          <div className={styles.row}>
            <button type="submit" className={ui.button} disabled={mutation.isPending}>
              {mutation.isPending ? "Saving…" : submitLabel}
            </button>
            <Link to="/sla/policies" className={ui.secondary}>
              Back to the policies
            </Link>
            <p className={styles.muted} aria-live="polite">
              {mutation.isSuccess && policy ? `Saved as version ${mutation.data.version}.` : ""}
            </p>
          </div>
        </section>
      </form>
    </ConditionKit>
  );
}

type Update = (patch: Partial<Draft>) => void;

/** "A different target by <field>": the field, then one row per value (value → hours and minutes), rows added and removed. */
function TargetsBy({
  draft,
  update,
  fieldOf,
}: {
  draft: Draft;
  update: Update;
  fieldOf: (name: string) => ReturnType<typeof fieldsOf>[number] | undefined;
}) {
  const by = draft.targetsBy;
  if (!by) return null;
  const field = fieldOf(by.field);
  const setRows = (rows: typeof by.rows) => update({ targetsBy: { ...by, rows } });
  return (
    <div className={styles.indent}>
      <PanelField
        path="targets_by.field"
        label="Field that sets the target"
        hint="A value not listed below (or none) takes the target above."
      >
        {(c) => (
          <FieldSelect
            control={c}
            object={draft.object}
            value={by.field}
            only={(f) => !f.managed && ["enum", "string", "integer", "number", "boolean"].includes(f.type)}
            onChange={(name) => update({ targetsBy: { field: name, rows: by.rows.map((r) => ({ ...r, value: "" })) } })}
          />
        )}
      </PanelField>
      <ol className={styles.levels} aria-label="Targets by value">
        {by.rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <li key={i} className={styles.byRow}>
            <PanelField path={`targets_by.values.${row.value}`} suffix={`-value-${i}`} label={`Value ${i + 1}`} showProblems={false}>
              {(c) => (
                <ValueInput
                  field={field}
                  control={c}
                  value={row.value}
                  onChange={(v) => setRows(by.rows.map((r, j) => (j === i ? { ...r, value: v === undefined ? "" : String(v) } : r)))}
                />
              )}
            </PanelField>
            <DurationFields
              path={`targets_by.values.${row.value || `row${i}`}`}
              legend={row.value ? `Target when ${field?.label.toLowerCase() ?? by.field} is ${row.value}` : `Target for value ${i + 1}`}
              value={row.target}
              onChange={(target) => setRows(by.rows.map((r, j) => (j === i ? { ...r, target } : r)))}
            />
            <button type="button" className={styles.small} onClick={() => setRows(by.rows.filter((_, j) => j !== i))}>
              Remove<span className="visually-hidden"> value {row.value || i + 1}</span>
            </button>
          </li>
        ))}
      </ol>
      <Problems path="targets_by.values" exact />
      <div>
        <button type="button" className={styles.small} onClick={() => setRows([...by.rows, { value: "", target: { hours: 1 } }])}>
          Add a value
        </button>
      </div>
    </div>
  );
}

function WarningChoice({ draft, update }: { draft: Draft; update: Update }) {
  const w = draft.warning;
  const set = (patch: Partial<Draft["warning"]>) => update({ warning: { ...w, ...patch } });
  const choice = (kind: WarningKind, label: ReactNode) => (
    <label className={styles.radio}>
      <input type="radio" name="warning-kind" checked={w.kind === kind} onChange={() => set({ kind })} />
      {label}
    </label>
  );
  const num = (text: string) => (text.trim() === "" ? undefined : Number(text));
  return (
    <fieldset className={styles.fieldset} aria-describedby="warning-hint">
      <legend>Warn before the breach</legend>
      <span id="warning-hint" className={styles.hint}>
        The warning must come before the smallest target.
      </span>
      {choice("none", "No warning")}
      {choice("fraction", "When a share of the target has passed")}
      {w.kind === "fraction" ? (
        <div className={styles.indent}>
          <PanelField path="warning" suffix="-percent" label="Percent of the target">
            {(c) => (
              <div className={styles.inlineInput}>
                <input
                  {...c}
                  className={styles.number}
                  type="number"
                  min={1}
                  max={99}
                  value={w.percent ?? ""}
                  onChange={(e) => set({ percent: num(e.target.value) })}
                />
                <span aria-hidden="true">%</span>
              </div>
            )}
          </PanelField>
        </div>
      ) : null}
      {choice("before", "A set time before the target")}
      {w.kind === "before" ? (
        <div className={styles.indent}>
          <PanelField path="warning" suffix="-minutes" label="Minutes before the target">
            {(c) => (
              <input
                {...c}
                className={styles.number}
                type="number"
                min={1}
                value={w.minutes ?? ""}
                onChange={(e) => set({ minutes: num(e.target.value) })}
              />
            )}
          </PanelField>
        </div>
      ) : null}
      {w.kind === "none" ? <Problems path="warning" /> : null}
    </fieldset>
  );
}

function Escalations({ levels, onChange }: { levels: SlaDuration[]; onChange: (levels: SlaDuration[]) => void }) {
  return (
    <>
      {levels.length === 0 ? <p className={styles.muted}>None: nothing more happens after the breach.</p> : null}
      <ol className={styles.levels} aria-label="Escalation levels">
        {levels.map((after, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a level is its place in the order
          <li key={i} className={styles.level}>
            <DurationFields
              path={`escalations.${i}.after`}
              legend={`Level ${i + 2}: after the breach`}
              value={after}
              onChange={(d) => onChange(levels.map((l, j) => (j === i ? d : l)))}
            />
            <button type="button" className={styles.small} onClick={() => onChange(levels.filter((_, j) => j !== i))}>
              Remove<span className="visually-hidden"> level {i + 2}</span>
            </button>
          </li>
        ))}
      </ol>
      <Problems path="escalations" exact />
      <div>
        <button
          type="button"
          className={styles.small}
          disabled={levels.length >= 10}
          onClick={() => onChange([...levels, levels.length === 0 ? { hours: 1 } : { hours: (levels.at(-1)?.hours ?? 0) + 3 }])}
        >
          Add an escalation level
        </button>
      </div>
    </>
  );
}

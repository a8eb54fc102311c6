/**
 * An approval (a human checkpoint, docs/approvals.md): what is being approved (a template, shown
 * to the approvers with the fields at stake), what is locked while it is pending, who asks, and
 * the routes in order — the first whose condition holds decides, the last (no condition) is the
 * default — each asking levels of approvers in sequence (who, and how many of them must approve)
 * or deciding at once (approve or reject, telling someone). Then the time limit (none, a length
 * of time, business hours or days on a calendar) and what happens after it (escalate to other
 * approvers, approve, reject, or take the "timed out" path), and how many rounds a request may
 * go through when it is sent back for revision. The three paths (approved, rejected, timed out)
 * are drawn and changed on the canvas; a time limit that needs the timed-out path opens it to a
 * new end step, and one that no longer needs it closes it (model/edit.ts `replaceStep`).
 */
import type { ApprovalLevel, ApprovalRoute, ApprovalTimeout, StepSpec } from "../../../../components/graph/definition";
import { replaceStep } from "../../model/edit";
import { ConditionEditor, useNewCondition } from "../conditions/ConditionEditor";
import { CalendarRefField, OWNER_CALENDAR_HINT } from "../inputs/CalendarRefPicker";
import { CheckGroup } from "../inputs/CheckGroup";
import { DurationPicker } from "../inputs/DurationPicker";
import { PersonPicker, useUserFields } from "../inputs/PersonPicker";
import { TemplateInput } from "../inputs/TemplateInput";
import { WholeNumberInput } from "../inputs/WholeNumberInput";
import { fieldsOf, useKit } from "../kit";
import { exactProblems, PanelField } from "../PanelField";
import panels from "../panels.module.css";
import { ApproverList } from "./approval/ApproverList";
import styles from "./approval/approval.module.css";
import {
  addRoute,
  canMove,
  DECISION_WORDS,
  type Decision,
  decisionOf,
  isDefaultRoute,
  moveRoute,
  newLevel,
  type RequireMode,
  removeAt,
  replaceAt,
  requireModeOf,
  THEN_WORDS,
  TIMEOUT_WORDS,
  type TimeoutMode,
  timeoutModeOf,
  withDecision,
  withRequireMode,
  withTimeoutMode,
} from "./approval/approval-edit";
import type { StepPanelProps } from "./stepProps";

type Approval = Extract<StepSpec, { type: "approval" }>;

const LOCK_WORDS = {
  fields: "The fields at stake",
  record: "The whole record",
  none: "Nothing",
} as const;

export function ApprovalPanel({ id, step }: StepPanelProps<"approval">) {
  const kit = useKit();
  const d = kit.definition;
  const path = `steps.${id}`;
  const newCondition = useNewCondition(d.object);
  const save = (s: Approval, key?: string) => kit.onEdit(replaceStep(d, id, s), key);
  const routes = step.routes;
  const setRoutes = (next: ApprovalRoute[], key?: string) => save({ ...step, routes: next }, key);
  const fields = fieldsOf(kit, d.object).filter((f) => !f.managed);
  return (
    <>
      <TemplateInput
        path={`${path}.summary`}
        label="What is being approved"
        hint="Shown to the approvers, with the fields at stake: e.g. Discount {{ record.discount_pct }}%."
        action="notify"
        part="message"
        short
        value={step.summary}
        onChange={(summary) => save({ ...step, summary }, `${path}.summary`)}
      />
      <CheckGroup
        path={`${path}.fields`}
        legend="Fields at stake"
        hint="Shown to the approvers with their values when the request opens."
        options={fields.map((f) => ({ value: f.name, label: f.custom ? `${f.label} (custom)` : f.label }))}
        checked={step.fields ?? []}
        onChange={(next) => save({ ...step, fields: next })}
      />
      <PanelField
        path={`${path}.lock`}
        label="Locked while it waits for a decision"
        hint="Nobody but an admin can change what is locked until the request is decided."
      >
        {(c) => (
          <select
            {...c}
            className={panels.select}
            value={step.lock ?? "fields"}
            onChange={(e) => save({ ...step, lock: e.target.value as keyof typeof LOCK_WORDS })}
          >
            {(Object.keys(LOCK_WORDS) as (keyof typeof LOCK_WORDS)[]).map((k) => (
              <option key={k} value={k}>
                {LOCK_WORDS[k]}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      <PanelField
        path={`${path}.submitter`}
        label="Who asks for it"
        hint="The submitter: told of the decision, resubmits after a revision, and never approves their own request."
      >
        {(c) => (
          <PersonPicker
            control={c}
            label="Who asks for it"
            value={step.submitter ?? { field: "owner_id" }}
            onChange={(submitter) => save({ ...step, submitter })}
          />
        )}
      </PanelField>

      <h3>Who approves</h3>
      <p className={panels.hint}>
        The first route whose condition holds decides; the last route has no condition and applies when no other does.
      </p>
      {routes.map((route, i) => (
        <RouteSettings
          // Routes have no id of their own; their place in the list is what the problems name too.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          key={i}
          path={`${path}.routes.${i}`}
          i={i}
          routes={routes}
          route={route}
          onChange={(r, key) => setRoutes(replaceAt(routes, i, r), key)}
          onRoutes={setRoutes}
        />
      ))}
      {kit.editable ? (
        <button type="button" className={panels.small} onClick={() => setRoutes(addRoute(routes, newCondition()).routes)}>
          Add a route with a condition
        </button>
      ) : null}

      <TimeLimit path={path} step={step} save={save} />

      <PanelField
        path={`${path}.max_rounds`}
        label="Rounds at most"
        hint="An approver may send the request back for revision; each resubmission is a new round. One more than this is rejected."
      >
        {(c) => (
          <WholeNumberInput
            control={c}
            value={step.max_rounds}
            onChange={(n) => {
              const { max_rounds: _m, ...rest } = step;
              save(n === undefined ? rest : { ...rest, max_rounds: n }, `${path}.max_rounds`);
            }}
          />
        )}
      </PanelField>
    </>
  );
}

function RouteSettings({
  path,
  i,
  routes,
  route,
  onChange,
  onRoutes,
}: {
  path: string;
  i: number;
  routes: readonly ApprovalRoute[];
  route: ApprovalRoute;
  onChange: (r: ApprovalRoute, key?: string) => void;
  onRoutes: (next: ApprovalRoute[]) => void;
}) {
  const kit = useKit();
  const d = kit.definition;
  const isDefault = isDefaultRoute(routes, i);
  const last = i === routes.length - 1;
  const decision = decisionOf(route);
  const levels = route.levels ?? [];
  const n = i + 1;
  return (
    <fieldset className={styles.route}>
      <legend>
        Route {n}
        {isDefault ? (routes.length === 1 ? " — every record" : " — when no other route applies") : ""}
      </legend>
      <PanelField path={`${path}.label`} label="Label" hint="Names the route in the run's log and in the request, e.g. “Big discount”.">
        {(c) => (
          <input
            {...c}
            className={panels.input}
            value={route.label ?? ""}
            onChange={(e) => {
              const { label: _l, ...rest } = route;
              onChange(e.target.value ? { ...rest, label: e.target.value } : rest, `${path}.label`);
            }}
          />
        )}
      </PanelField>
      {isDefault ? null : (
        <ConditionEditor
          path={`${path}.when`}
          object={d.object}
          legend={`Route ${n} applies when`}
          empty={last ? "No condition: the default route." : "No condition yet: only the last route may have none."}
          changes={false}
          required={!last}
          value={route.when}
          onChange={(when, key) => {
            const { when: _w, ...rest } = route;
            onChange(when ? { ...rest, when } : rest, key);
          }}
        />
      )}
      <PanelField path={path} exact label="Then" suffix="-decision">
        {(c) => (
          <select
            {...c}
            className={panels.select}
            value={decision}
            onChange={(e) => onChange(withDecision(route, e.target.value as Decision))}
          >
            {(Object.keys(DECISION_WORDS) as Decision[]).map((k) => (
              <option key={k} value={k}>
                {DECISION_WORDS[k]}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      {decision === "levels" ? (
        <>
          {exactProblems(kit.problems, `${path}.levels`).map((p) => (
            <p key={p.message} className={panels.error}>
              {p.message}
            </p>
          ))}
          {levels.map((level, j) => (
            <LevelSettings
              // biome-ignore lint/suspicious/noArrayIndexKey: levels have no id; their place is what the problems name
              key={j}
              path={`${path}.levels.${j}`}
              j={j}
              count={levels.length}
              level={level}
              onChange={(l, key) => onChange({ ...route, levels: replaceAt(levels, j, l) }, key)}
              onRemove={() => onChange({ ...route, levels: removeAt(levels, j) })}
            />
          ))}
          {kit.editable ? (
            <button type="button" className={panels.small} onClick={() => onChange({ ...route, levels: [...levels, newLevel()] })}>
              Add a level{levels.length > 0 ? " (asked after the ones above approve)" : ""}
            </button>
          ) : null}
        </>
      ) : (
        <Notify path={path} route={route} onChange={onChange} />
      )}
      {kit.editable ? (
        <div className={styles.buttons}>
          {canMove(routes, i, -1) ? (
            <button type="button" className={panels.small} onClick={() => onRoutes(moveRoute(routes, i, -1))}>
              Move route {n} up
            </button>
          ) : null}
          {canMove(routes, i, 1) ? (
            <button type="button" className={panels.small} onClick={() => onRoutes(moveRoute(routes, i, 1))}>
              Move route {n} down
            </button>
          ) : null}
          {routes.length > 1 ? (
            <button type="button" className={panels.remove} onClick={() => onRoutes(removeAt(routes, i))}>
              Remove route {n}
            </button>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}

/** Whom an automatic decision is told to (optional): a checkbox, then the person. */
function Notify({ path, route, onChange }: { path: string; route: ApprovalRoute; onChange: (r: ApprovalRoute) => void }) {
  const kit = useKit();
  const userFields = useUserFields(kit.definition.object);
  const notify = route.notify;
  return (
    <>
      <PanelField path={`${path}.notify.on`} label="Tell someone about the automatic decision" inline showProblems={false}>
        {(c) => (
          <input
            {...c}
            type="checkbox"
            checked={notify !== undefined}
            onChange={(e) => {
              const { notify: _n, ...rest } = route;
              onChange(e.target.checked ? { ...rest, notify: { manager_of: userFields[0]?.value ?? "owner_id" } } : rest);
            }}
          />
        )}
      </PanelField>
      {notify ? (
        <PanelField path={`${path}.notify`} label="Who is told">
          {(c) => <PersonPicker control={c} label="Who is told" value={notify} onChange={(p) => onChange({ ...route, notify: p })} />}
        </PanelField>
      ) : null}
    </>
  );
}

const REQUIRE_WORDS: Record<RequireMode, string> = {
  any: "Any one of them",
  all: "All of them",
  number: "A number of them",
};

function LevelSettings({
  path,
  j,
  count,
  level,
  onChange,
  onRemove,
}: {
  path: string;
  j: number;
  count: number;
  level: ApprovalLevel;
  onChange: (l: ApprovalLevel, key?: string) => void;
  onRemove: () => void;
}) {
  const kit = useKit();
  const mode = requireModeOf(level);
  const many = level.approvers.some((a) => "role" in a || "queue" in a);
  return (
    <fieldset className={styles.level}>
      <legend>Level {j + 1}</legend>
      <PanelField path={`${path}.name`} label="Name" hint="Shown to the approvers, e.g. VP Sales.">
        {(c) => (
          <input
            {...c}
            className={panels.input}
            value={level.name ?? ""}
            onChange={(e) => {
              const { name: _n, ...rest } = level;
              onChange(e.target.value ? { ...rest, name: e.target.value } : rest, `${path}.name`);
            }}
          />
        )}
      </PanelField>
      <ApproverList
        path={`${path}.approvers`}
        legend="Approvers"
        value={level.approvers}
        onChange={(approvers, key) => onChange({ ...level, approvers }, key)}
      />
      <PanelField path={`${path}.require`} label="How many must approve" showProblems={mode !== "number"}>
        {(c) => (
          <select
            {...c}
            className={panels.select}
            value={mode}
            onChange={(e) => onChange(withRequireMode(level, e.target.value as RequireMode))}
          >
            {(Object.keys(REQUIRE_WORDS) as RequireMode[]).map((k) => (
              <option key={k} value={k}>
                {REQUIRE_WORDS[k]}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      {mode === "number" ? (
        <PanelField
          path={`${path}.require`}
          suffix="-number"
          label="How many"
          hint={many ? "A role or a queue counts everyone in it." : `Of the ${level.approvers.length} above.`}
        >
          {(c) => (
            <WholeNumberInput
              control={c}
              value={typeof level.require === "number" ? level.require : undefined}
              onChange={(n) => {
                if (n !== undefined) onChange({ ...level, require: n }, `${path}.require`);
              }}
            />
          )}
        </PanelField>
      ) : null}
      {kit.editable && count > 1 ? (
        <div className={styles.buttons}>
          <button type="button" className={panels.remove} onClick={onRemove}>
            Remove level {j + 1}
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}

/** The time limit: none, a length of time, business hours or days on a calendar; then what it does, and escalations. */
function TimeLimit({ path, step, save }: { path: string; step: Approval; save: (s: Approval, key?: string) => void }) {
  const kit = useKit();
  const t = step.timeout;
  const mode = timeoutModeOf(t);
  const tp = `${path}.timeout`;
  const writeTimeout = (next: ApprovalTimeout | undefined, key?: string) => {
    const { timeout: _t, ...rest } = step;
    save(next ? { ...rest, timeout: next } : rest, key);
  };
  const whole = exactProblems(kit.problems, `${tp}.business`);
  return (
    <fieldset className={panels.fieldset}>
      <legend>Time limit</legend>
      <PanelField path={tp} exact label="If nobody decides within" suffix="-mode">
        {(c) => (
          <select
            {...c}
            className={panels.select}
            value={mode}
            onChange={(e) => writeTimeout(withTimeoutMode(t, e.target.value as TimeoutMode))}
          >
            {(Object.keys(TIMEOUT_WORDS) as TimeoutMode[]).map((k) => (
              <option key={k} value={k}>
                {TIMEOUT_WORDS[k]}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      {t && mode === "after" ? (
        <PanelField path={`${tp}.after`} label="How long">
          {(c) => (
            <DurationPicker
              control={c}
              label="How long"
              value={t.after}
              onChange={(after, typed) => writeTimeout({ ...t, after }, typed ? `${tp}.after` : undefined)}
            />
          )}
        </PanelField>
      ) : null}
      {t?.business && (mode === "business_hours" || mode === "business_days") ? (
        <>
          <PanelField
            path={`${tp}.business.${mode === "business_days" ? "days" : "hours"}`}
            label={mode === "business_days" ? "Business days" : "Business hours"}
          >
            {(c) => (
              <WholeNumberInput
                control={c}
                value={mode === "business_days" ? t.business?.days : t.business?.hours}
                onChange={(n) => {
                  const unit = mode === "business_days" ? "days" : "hours";
                  const { [unit]: _old, ...rest } = t.business ?? {};
                  writeTimeout({ ...t, business: n === undefined ? rest : { ...rest, [unit]: n } }, `${tp}.business.${unit}`);
                }}
              />
            )}
          </PanelField>
          {whole.length > 0 ? <p className={panels.error}>{whole.map((p) => p.message).join(" ")}</p> : null}
          <CalendarRefField
            path={`${tp}.business.calendar`}
            hint={`Only open time counts: nights, weekends and holidays are skipped. ${OWNER_CALENDAR_HINT}`}
            value={t.business?.calendar}
            onChange={(ref) => {
              const { calendar: _c, ...rest } = t.business ?? {};
              writeTimeout({ ...t, business: ref ? { ...rest, calendar: ref } : rest });
            }}
          />
        </>
      ) : null}
      {t ? (
        <>
          <PanelField path={`${tp}.then`} label="Then">
            {(c) => (
              <select
                {...c}
                className={panels.select}
                value={t.then}
                onChange={(e) => {
                  const then = e.target.value as ApprovalTimeout["then"];
                  const { escalate_to: _e, ...rest } = t;
                  writeTimeout(then === "escalate" ? { ...rest, then, escalate_to: t.escalate_to ?? [] } : { ...rest, then });
                }}
              >
                {(Object.keys(THEN_WORDS) as ApprovalTimeout["then"][]).map((k) => (
                  <option key={k} value={k}>
                    {THEN_WORDS[k]}
                  </option>
                ))}
              </select>
            )}
          </PanelField>
          {t.then === "escalate" ? (
            <>
              <ApproverList
                path={`${tp}.escalate_to`}
                legend="Escalate to"
                hint="Any one of them may then decide alone."
                value={t.escalate_to ?? []}
                onChange={(escalate_to, key) => writeTimeout({ ...t, escalate_to }, key)}
              />
              <PanelField
                path={`${tp}.escalations`}
                label="Escalate at most this many times"
                hint="Each time the limit passes again without a decision; after the last, the run takes the “timed out” path."
              >
                {(c) => (
                  <WholeNumberInput
                    control={c}
                    value={t.escalations}
                    onChange={(n) => {
                      const { escalations: _n, ...rest } = t;
                      writeTimeout(n === undefined ? rest : { ...rest, escalations: n }, `${tp}.escalations`);
                    }}
                  />
                )}
              </PanelField>
            </>
          ) : null}
          {t.then === "path" || t.then === "escalate" ? (
            <p className={panels.hint}>The “timed out” path is drawn on the canvas; change where it leads there.</p>
          ) : null}
        </>
      ) : null}
    </fieldset>
  );
}

/**
 * Who approves (a level's approvers, or who a time limit escalates to): a list of approver specs,
 * each a kind — a named person, the manager or team lead of the user in a field, the lead of a
 * team, everyone with a role, the members of a queue — and its value, picked with the builder's
 * pickers (people, the object's user fields, teams, roles, routing's queues). The problems at the
 * list's own path ("a level needs at least one approver") are shown under its legend and read
 * with it and with its "Add an approver" button; each approver's own under it.
 */
import { APPROVER_ROLES, type ApproverSpec } from "../../../../../components/graph/definition";
import { ByName } from "../../inputs/ByName";
import { Choice } from "../../inputs/Choice";
import { useQueues, useTeams } from "../../inputs/directory";
import { PeopleSelect, useUserFields } from "../../inputs/PersonPicker";
import { controlId, objectInfo, useKit } from "../../kit";
import { exactProblems, PanelField } from "../../PanelField";
import panels from "../../panels.module.css";
import styles from "./approval.module.css";
import {
  APPROVER_KINDS,
  type ApproverKind,
  approverKind,
  approverValue,
  makeApprover,
  ROLE_WORDS,
  removeAt,
  replaceAt,
  startApprover,
} from "./approval-edit";

export function ApproverList({
  path,
  legend,
  hint,
  value,
  onChange,
}: {
  /** The definition path of the list ("steps.approval.routes.0.levels.0.approvers"). */
  path: string;
  legend: string;
  hint?: string;
  value: readonly ApproverSpec[];
  onChange: (next: ApproverSpec[], mergeKey?: string) => void;
}) {
  const kit = useKit();
  const userFields = useUserFields(kit.definition.object);
  const id = controlId(path);
  const problems = exactProblems(kit.problems, path);
  const errorId = problems.length > 0 ? `${id}-error` : undefined;
  const described = [hint ? `${id}-hint` : "", errorId ?? ""].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={styles.list} aria-describedby={described} aria-invalid={problems.length > 0 ? true : undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <span id={`${id}-hint`} className={panels.hint}>
          {hint}
        </span>
      ) : null}
      {errorId ? (
        <span id={errorId} className={panels.error}>
          {problems.map((p) => p.message).join(" ")}
        </span>
      ) : null}
      {value.length === 0 ? <p className={panels.hint}>Nobody yet: add who approves.</p> : null}
      {value.map((a, k) => (
        <ApproverRow
          // Approvers have no id of their own; their place in the list is what the problems name too.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          key={k}
          path={`${path}.${k}`}
          n={k + 1}
          value={a}
          onChange={(next, mergeKey) => onChange(replaceAt(value, k, next), mergeKey)}
          onRemove={() => onChange(removeAt(value, k))}
        />
      ))}
      {kit.editable ? (
        <button
          type="button"
          className={panels.small}
          aria-describedby={errorId}
          onClick={() => onChange([...value, startApprover("user_id", userFields[0]?.value ?? "owner_id")])}
        >
          Add an approver
        </button>
      ) : null}
    </fieldset>
  );
}

function ApproverRow({
  path,
  n,
  value,
  onChange,
  onRemove,
}: {
  path: string;
  n: number;
  value: ApproverSpec;
  onChange: (next: ApproverSpec, mergeKey?: string) => void;
  onRemove: () => void;
}) {
  const kit = useKit();
  const userFields = useUserFields(kit.definition.object);
  const teams = useTeams();
  const queues = useQueues();
  const kind = approverKind(value);
  const v = approverValue(value);
  const noun = objectInfo(kit, kit.definition.object)?.label.toLowerCase() ?? kit.definition.object;
  const set = (s: string) => onChange(makeApprover(kind, s));
  return (
    <fieldset className={styles.approver}>
      <legend>Approver {n}</legend>
      <PanelField path={path} label="Who" showProblems={false}>
        {(c) => (
          <select
            {...c}
            className={panels.select}
            value={kind}
            onChange={(e) => onChange(startApprover(e.target.value as ApproverKind, userFields[0]?.value ?? "owner_id"))}
          >
            {APPROVER_KINDS.map((k) => (
              <option key={k.key} value={k.key}>
                {k.words}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      {kind === "user_id" ? (
        <PanelField path={path} label="Person" suffix="-who">
          {(c) => <PeopleSelect control={c} value={v} onChange={set} />}
        </PanelField>
      ) : null}
      {kind === "manager_of" || kind === "team_lead_of" ? (
        <PanelField path={path} label={`The user in this field of the ${noun}`} suffix="-who">
          {(c) => <Choice control={c} value={v} placeholder="Choose a field…" options={userFields} onChange={set} />}
        </PanelField>
      ) : null}
      {kind === "team_lead" ? (
        <PanelField path={path} label="Team" suffix="-who">
          {(c) => (
            <Choice
              control={c}
              value={v}
              loading={teams.isPending}
              placeholder="Choose a team…"
              options={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
              onChange={set}
            />
          )}
        </PanelField>
      ) : null}
      {kind === "role" ? (
        <PanelField path={path} label="Role" suffix="-who" hint="Every active user with this role.">
          {(c) => (
            <select {...c} className={panels.select} value={v} onChange={(e) => set(e.target.value)}>
              {APPROVER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_WORDS[r]}
                </option>
              ))}
            </select>
          )}
        </PanelField>
      ) : null}
      {kind === "queue" ? (
        <PanelField path={path} label="Queue" suffix="-who" hint="Its members, as routing knows them.">
          {(c) => <ByName control={c} list={queues} what="queue" value={v} onChange={set} />}
        </PanelField>
      ) : null}
      {kit.editable ? (
        <div className={styles.buttons}>
          <button type="button" className={panels.remove} onClick={onRemove}>
            Remove approver {n}
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}

/**
 * assign_owner: who becomes the owner — the next member of a routing queue (its strategy,
 * availability and fallback decide) or a rule set's choice, a named person, the user in a field,
 * that user's manager or team lead, the next member of a team by round-robin, or the owner of
 * the record's company —
 * which field is written (owner by default), and whether the current owner is skipped.
 */
import type { ActionSpec, PersonSpec } from "../../../../components/graph/definition";
import { ByName } from "../inputs/ByName";
import { Choice } from "../inputs/Choice";
import { useQueues, useRuleSets, useTeams } from "../inputs/directory";
import { makePerson, PERSON_KINDS, PeopleSelect, type PersonKind, personKind, personValue, useUserFields } from "../inputs/PersonPicker";
import { useKit } from "../kit";
import type { ControlProps } from "../PanelField";
import { PanelField } from "../PanelField";
import styles from "../panels.module.css";
import type { ActionPanelProps } from "./actionProps";

type To = Extract<ActionSpec, { type: "assign_owner" }>["to"];
type Mode = PersonKind | "queue" | "rule_set" | "round_robin_team" | "company_owner";

const MODES: { key: Mode; words: string }[] = [
  { key: "queue", words: "The next member of a queue (its strategy and availability)" },
  { key: "rule_set", words: "Whoever a rule set chooses" },
  { key: "round_robin_team", words: "The next member of a team (round-robin)" },
  ...PERSON_KINDS.map((k) => ({ key: k.key as Mode, words: k.words })),
  { key: "company_owner", words: "The owner of the record's company" },
];

const modeOf = (to: To): Mode =>
  "queue" in to
    ? "queue"
    : "rule_set" in to
      ? "rule_set"
      : "round_robin_team" in to
        ? "round_robin_team"
        : "company_owner" in to
          ? "company_owner"
          : personKind(to);

export function AssignOwnerPanel({ action, path, save }: ActionPanelProps<"assign_owner">) {
  const kit = useKit();
  const userFields = useUserFields(kit.definition.object);
  const mode = modeOf(action.to);
  const setTo = (to: To) => save({ ...action, to });
  const start = (m: Mode): To => {
    if (m === "queue") return { queue: "" };
    if (m === "rule_set") return { rule_set: "" };
    if (m === "round_robin_team") return { round_robin_team: "" };
    if (m === "company_owner") return { company_owner: true };
    return makePerson(m, m === "user_id" ? "" : (userFields[0]?.value ?? "owner_id"));
  };
  const who = `${path}.to`;
  const queues = useQueues();
  // A rule set assigns records of one object: only this workflow's are offered (publish checks it too).
  const allRuleSets = useRuleSets();
  const ruleSets = { ...allRuleSets, data: allRuleSets.data?.filter((r) => r.detail === kit.definition.object) };
  return (
    <>
      <PanelField path={who} label="New owner" showProblems={false}>
        {(c) => (
          <select {...c} className={styles.select} value={mode} onChange={(e) => setTo(start(e.target.value as Mode))}>
            {MODES.map((m) => (
              <option key={m.key} value={m.key}>
                {m.words}
              </option>
            ))}
          </select>
        )}
      </PanelField>
      {"queue" in action.to ? (
        <PanelField path={`${who}.queue`} label="Queue" suffix="-queue">
          {(c) => (
            <ByName
              control={c}
              list={queues}
              what="queue"
              value={(action.to as { queue: string }).queue}
              onChange={(queue) => setTo({ queue })}
            />
          )}
        </PanelField>
      ) : null}
      {"rule_set" in action.to ? (
        <PanelField path={`${who}.rule_set`} label="Rule set" suffix="-rule-set">
          {(c) => (
            <ByName
              control={c}
              list={ruleSets}
              what="rule set"
              value={(action.to as { rule_set: string }).rule_set}
              onChange={(ruleSet) => setTo({ rule_set: ruleSet })}
            />
          )}
        </PanelField>
      ) : null}
      {"round_robin_team" in action.to ? (
        <PanelField path={who} label="Team" suffix="-team">
          {(c) => (
            <RoundRobinTeam
              control={c}
              value={(action.to as { round_robin_team: string }).round_robin_team}
              onChange={(team) => setTo({ round_robin_team: team })}
            />
          )}
        </PanelField>
      ) : null}
      {mode === "user_id" ? (
        <PanelField path={who} label="Person" suffix="-person">
          {(c) => <PeopleSelect control={c} value={personValue(action.to as PersonSpec)} onChange={(id) => setTo({ user_id: id })} />}
        </PanelField>
      ) : null}
      {mode === "field" || mode === "manager_of" || mode === "team_lead_of" || mode === "on_call_of" ? (
        <PanelField path={who} label="The user in the field" suffix="-field">
          {(c) => (
            <Choice
              control={c}
              value={personValue(action.to as PersonSpec)}
              placeholder="Choose a field…"
              options={userFields}
              onChange={(f) => setTo(makePerson(mode, f))}
            />
          )}
        </PanelField>
      ) : null}
      {mode === "company_owner" ? <span className={styles.hint}>The record's company must have an owner.</span> : null}
      <PanelField path={`${path}.field`} label="Write the new owner into">
        {(c) => (
          <Choice
            control={c}
            value={action.field ?? "owner_id"}
            placeholder="Choose a field…"
            options={userFields}
            onChange={(field) => save({ ...action, field })}
          />
        )}
      </PanelField>
      <PanelField path={`${path}.exclude_current`} label="Never hand the record back to its current owner" inline>
        {(c) => (
          <input
            {...c}
            type="checkbox"
            checked={action.exclude_current === true}
            onChange={(e) => save({ ...action, exclude_current: e.target.checked })}
          />
        )}
      </PanelField>
    </>
  );
}

/**
 * The team a round-robin rotates over, written by its name as the recipes write it (the engine
 * takes a team's name or id): the canvas then reads "round-robin in team Americas East", not an
 * id, and a recipe's team shows as chosen instead of "not found". A team stored by its id (an
 * older draft) shows as that team too.
 */
function RoundRobinTeam({ control, value, onChange }: { control: ControlProps; value: string; onChange: (team: string) => void }) {
  const teams = useTeams();
  const list = teams.data ?? [];
  const shown = list.find((t) => t.id === value)?.name ?? value;
  return (
    <Choice
      control={control}
      value={shown}
      loading={teams.isPending}
      placeholder="Choose a team…"
      options={list.map((t) => ({ value: t.name, label: t.name }))}
      onChange={onChange}
    />
  );
}

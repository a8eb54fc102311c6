/**
 * One routing decision in words (an assignment reason, docs/routing.md "The reason record"),
 * shared by the record page's "Why this owner" and the timeline's routing entries: the one-line
 * headline ("Assigned to Dana by queue Inbound reps (weighted round-robin)"), what started it,
 * the rules checked (matched or not, with what was compared), the queue and its strategy, and
 * every candidate — eligible or excluded, with the reason.
 */
import type { Schemas } from "../../api/client";
import { AppLink } from "../../components/AppLink";
import { STRATEGY_NAMES, type Strategy } from "../routing/data";
import rstyles from "../routing/Routing.module.css";

export type Assignment = Schemas["Assignment"];

const strategyName = (strategy: string) => STRATEGY_NAMES[strategy as Strategy]?.label ?? strategy;

/** "no rule matched; …" reads as a sentence on its own. */
export const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What decided: the queue (with its strategy), else the rule that named a person or team, else the rule set. */
function decidedBy(a: Assignment): string {
  if (a.queue) return `queue ${a.queue.name} (${strategyName(a.queue.strategy).toLowerCase()})`;
  // matched_rule is the rule's name (the router's reason record), not its id.
  const rule = a.rules.find((r) => r.name === a.matched_rule || r.id === a.matched_rule);
  if (rule) return `rule “${rule.name}”${a.rule_set ? ` of ${a.rule_set.name}` : ""}`;
  if (a.rule_set) return `rule set ${a.rule_set.name} (its default target)`;
  return "routing";
}

/** The decision in one line, as the timeline lists it. */
export function assignmentHeadline(a: Assignment): string {
  switch (a.outcome) {
    case "assigned":
      return `Assigned to ${a.user_name ?? "someone"} by ${decidedBy(a)}`;
    case "held":
      return `Held in queue ${a.queue?.name ?? "(deleted)"} — nobody available`;
    case "failed":
      return `Routing failed: ${a.why}`;
  }
}

function SourceWords({ a, objectLabel }: { a: Assignment; objectLabel: string }) {
  const s = a.source;
  switch (s.kind) {
    case "workflow":
      return (
        <>
          Decided by step “{s.step}” of a workflow (<AppLink href={`/runs/${s.run_id}`}>open the run</AppLink>).
        </>
      );
    case "on_create":
      return <>Decided when the {objectLabel} was created (the rule set runs on every new one).</>;
    case "hold_released":
      return <>Decided when someone in the queue became free: the {objectLabel} had been held until then.</>;
    case "rule_set_applied":
      return <>Decided when an admin applied the rule set to records without an owner.</>;
    case "simulation":
      return <>A simulation: nothing was written.</>;
  }
}

/**
 * The reason's detail. `objectLabel`: the record's object in words ("lead"). The rules and the
 * candidates are a list and a table named "Rules checked" and "Candidates".
 */
export function AssignmentReason({ a, objectLabel }: { a: Assignment; objectLabel: string }) {
  return (
    <>
      <p className={rstyles.muted}>
        <SourceWords a={a} objectLabel={objectLabel} />
      </p>
      {a.rule_set ? (
        <div>
          <h3>Rule set “{a.rule_set.name}”</h3>
          {a.rules.length > 0 ? (
            <ul aria-label="Rules checked">
              {a.rules.map((r) => (
                <li key={r.id}>
                  {r.matched ? "Matched" : "Did not match"}: <strong>{r.name}</strong> — {r.why}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {a.queue ? (
        <p>
          Queue <strong>{a.queue.name}</strong>, {strategyName(a.queue.strategy)}.
        </p>
      ) : null}
      {a.candidates.length > 0 ? (
        <table className={rstyles.candidates} aria-label="Candidates">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Eligible</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {a.candidates.map((c) => (
              <tr key={c.user_id}>
                <td>{c.name}</td>
                <td className={c.eligible ? rstyles.eligible : rstyles.excluded}>{c.eligible ? "Eligible" : "Excluded"}</td>
                <td>{c.reason ?? (c.user_id === a.user_id ? "chosen" : "—")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {a.fallbacks.length > 0 ? <p className={rstyles.muted}>Fallbacks taken: {a.fallbacks.join(" → ")}</p> : null}
    </>
  );
}

/**
 * "Why this owner": the record's latest assignment reason (GET /api/v1/routing/assignments): the
 * outcome, the rule set and the rule that matched (and the rules that did not, with why), the
 * queue and its strategy, and every candidate — eligible or excluded, with the reason. Hidden
 * when routing never assigned the record.
 */
import { useQuery } from "@tanstack/react-query";
import { ErrorMessage } from "../../components/ui";
import { assignmentsQuery, STRATEGY_NAMES, type Strategy } from "../routing/data";
import rstyles from "../routing/Routing.module.css";
import styles from "./RecordPage.module.css";

const OUTCOMES = { assigned: "Assigned", held: "Held in the queue until someone is free", failed: "Not assigned" } as const;

/** "no rule matched; …" reads as a sentence after the date. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `fields`: the record's values now, to say when someone or something changed the owner since. */
export function WhyOwner({ recordId, fields }: { recordId: string; fields: Record<string, unknown> }) {
  const reasons = useQuery(assignmentsQuery(recordId));
  if (reasons.error) return <ErrorMessage error={reasons.error} what="why this owner was chosen" />;
  const a = reasons.data?.[0];
  if (!a) return null;
  const strategy = a.queue ? (STRATEGY_NAMES[a.queue.strategy as Strategy]?.label ?? a.queue.strategy) : null;
  return (
    <section className={styles.card} aria-labelledby="why-owner-heading">
      <h2 id="why-owner-heading">Why this owner</h2>
      <p>
        <strong>{OUTCOMES[a.outcome]}</strong>
        {a.user_name ? ` to ${a.user_name}` : ""} on {new Date(a.at).toLocaleString()}. {sentence(a.why)}
      </p>
      {a.outcome === "assigned" && (fields[a.field] ?? null) !== a.user_id ? (
        <p className={rstyles.muted}>The owner has changed since this decision (see the timeline for who changed it).</p>
      ) : null}
      {a.rule_set ? (
        <div>
          <h3>Rule set “{a.rule_set.name}”</h3>
          <ul aria-label="Rules checked">
            {a.rules.map((r) => (
              <li key={r.id}>
                {r.matched ? "Matched" : "Did not match"}: <strong>{r.name}</strong> — {r.why}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {a.queue ? (
        <p>
          Queue <strong>{a.queue.name}</strong>, {strategy}.
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
    </section>
  );
}

/**
 * "Why this owner": the record's latest assignment reason (GET /api/v1/routing/assignments): the
 * outcome, then the reason's detail (AssignmentReason, shared with the timeline's routing
 * entries): the rule set and the rule that matched (and the rules that did not, with why), the
 * queue and its strategy, and every candidate — eligible or excluded, with the reason. Hidden
 * when routing never assigned the record; earlier decisions are on the timeline.
 */
import { useQuery } from "@tanstack/react-query";
import { ErrorMessage } from "../../components/ui";
import { assignmentsQuery } from "../routing/data";
import rstyles from "../routing/Routing.module.css";
import { AssignmentReason, sentence } from "./AssignmentReason";
import styles from "./RecordPage.module.css";

const OUTCOMES = { assigned: "Assigned", held: "Held in the queue until someone is free", failed: "Not assigned" } as const;

/**
 * `fields`: the record's values now, to say when someone or something changed the owner since;
 * `objectLabel`: the record's object in words ("lead").
 */
export function WhyOwner({
  recordId,
  fields,
  objectLabel,
  refetchInterval,
}: {
  recordId: string;
  fields: Record<string, unknown>;
  objectLabel: string;
  /** The page's polling (live.ts): a routing step that runs after the page opened shows without a reload. */
  refetchInterval?: number;
}) {
  const reasons = useQuery({ ...assignmentsQuery(recordId), refetchInterval });
  if (reasons.error) return <ErrorMessage error={reasons.error} what="why this owner was chosen" />;
  const a = reasons.data?.[0];
  if (!a) return null;
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
      <AssignmentReason a={a} objectLabel={objectLabel} />
    </section>
  );
}

/**
 * The record's "Chance to convert" (issue 24; docs/web.md "Chance to convert on the record page"):
 * for each conversion AI model of the record's object that is on, what it says of the record now —
 * the chance as a percent, and the things that raised it most, in words ("2 meetings logged",
 * "source = referral"). Asked when the page loads (POST …/predict with the record's id: the
 * model counts its activities; nothing is written), again with the page's refresh. Scoring's AI
 * prediction rules read the same chance (the score panel shows the points it gives). No panel
 * when the object has no such model.
 */
import { queryOptions, useQueries, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api, unwrap } from "../../api/client";
import { ErrorMessage } from "../../components/ui";
import { aiModelsQuery } from "../ai/data";
import { LIVE } from "./data";
import styles from "./PredictionsPanel.module.css";
import { percent } from "./prediction-words";
import card from "./RecordPage.module.css";

export function ConversionChance({
  object,
  id,
  objectLabel,
  refetchInterval,
}: {
  object: string;
  id: string;
  objectLabel: string;
  refetchInterval: number;
}) {
  const models = useQuery(aiModelsQuery);
  const mine = (models.data ?? []).filter((m) => m.kind === "conversion" && m.enabled && m.object === object);
  const chances = useQueries({
    queries: mine.map((m) =>
      queryOptions({
        // Under the page's live prefix: an activity logged or a field changed asks again.
        queryKey: [...LIVE, "conversion", m.id, m.version, id],
        queryFn: async () =>
          unwrap(await api.POST("/api/v1/ai/models/{model}/predict", { params: { path: { model: m.id } }, body: { record_id: id } })),
        refetchInterval,
      }),
    ),
  });
  if (models.error) return <ErrorMessage error={models.error} what="the AI models" />;
  if (mine.length === 0) return null;
  const what = objectLabel.toLowerCase();
  return (
    <section className={card.card} aria-labelledby="conversion-heading" data-testid="conversion-chance">
      <h2 id="conversion-heading">Chance to convert</h2>
      <p className={card.muted}>
        What an AI model trained on this workspace's earlier {what}s — those that converted and those that did not — says of this one now.
      </p>
      <ul className={styles.list} aria-label="Chance to convert, by model">
        {mine.map((m, i) => {
          const q = chances[i];
          const p = q?.data;
          const chance = p?.probabilities.converted;
          return (
            <li key={m.id} className={styles.item} aria-labelledby={`conversion-${m.id}`}>
              <h3 id={`conversion-${m.id}`} className={styles.head}>
                <span>
                  <Link to="/ai">{m.name}</Link>
                </span>
                <span data-testid="conversion-percent">{chance === undefined ? "…" : `${percent(chance)} likely to convert`}</span>
              </h3>
              {q?.error ? <ErrorMessage error={q.error} what={`what ${m.name} says`} /> : null}
              {p ? (
                p.reasons.length > 0 ? (
                  <div>
                    <span className={card.muted}>What raised it most:</span>
                    <ul className={styles.reasons} aria-label={`Why ${m.name} says ${percent(chance ?? 0)}`}>
                      {p.reasons.map((r) => (
                        <li key={r.feature}>{r.text}</li>
                      ))}
                    </ul>
                  </div>
                ) : (
                  <p className={card.muted}>Nothing about it raised the chance above how often {what}s convert.</p>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

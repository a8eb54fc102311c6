/**
 * A model's override rate on the AI models page (issue 24; docs/ai.md "Corrections"): week by
 * week over the last eight (GET /api/v1/ai/models/{model}/overrides), the predictions its
 * classify steps wrote into records, how many of those a person corrected afterwards, and the
 * share — the figure that says whether people trust it. A table (with a bar beside each rate that
 * only repeats the number) so that a screen reader reads the same figures.
 */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { api, unwrap } from "../../api/client";
import { ui } from "../../components/ui";
import styles from "./OverrideRate.module.css";

/** Weeks shown: two months, enough to see a trend without a chart. */
export const OVERRIDE_WEEKS = 8;

export const overridesQuery = (modelId: string) =>
  queryOptions({
    queryKey: ["ai-models", modelId, "overrides", OVERRIDE_WEEKS],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/ai/models/{model}/overrides", {
          params: { path: { model: modelId }, query: { weeks: String(OVERRIDE_WEEKS) } },
        }),
      ).weeks,
  });

const rateText = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toLocaleString("en", { maximumFractionDigits: 1 })} %`);
/** "30 Nov": the Monday a week starts on, as written in the API (UTC), not moved to the reader's zone. */
const weekText = (monday: string) =>
  new Date(`${monday}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

export function OverrideRate({
  modelId,
  modelName,
  object,
  target,
}: {
  modelId: string;
  modelName: string;
  object: string;
  target: string;
}) {
  const weeks = useQuery(overridesQuery(modelId));
  const headingId = useId();
  const written = (weeks.data ?? []).reduce((a, w) => a + w.applied, 0);
  const corrected = (weeks.data ?? []).reduce((a, w) => a + w.overridden, 0);
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <h3 id={headingId}>How often people correct it</h3>
      {weeks.error ? (
        <p role="alert" className={styles.bad}>
          Could not read its corrections: {weeks.error.message}.
        </p>
      ) : null}
      {weeks.isPending ? <p aria-live="polite">Loading its corrections…</p> : null}
      {weeks.data && written === 0 ? (
        <p className={styles.muted}>
          No {target} written by a workflow in the last {OVERRIDE_WEEKS} weeks: once a workflow's “Classify with AI” step uses it, each
          week's corrections show here.
        </p>
      ) : null}
      {weeks.data && written > 0 ? (
        <>
          <p data-testid="override-summary">
            In the last {OVERRIDE_WEEKS} weeks it wrote the {target} of <strong>{written.toLocaleString("en")}</strong> {object}
            {written === 1 ? "" : "s"}; people changed <strong>{corrected.toLocaleString("en")}</strong> of them afterwards (
            <strong>{rateText(corrected / written)}</strong>).
          </p>
          <table className={`${ui.table} ${styles.table}`} aria-label={`${modelName}: corrections by week`}>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col" className={styles.numeric}>
                  Predictions written
                </th>
                <th scope="col" className={styles.numeric}>
                  Corrected by a person
                </th>
                <th scope="col">Override rate</th>
              </tr>
            </thead>
            <tbody>
              {weeks.data.map((w) => (
                <tr key={w.week}>
                  <th scope="row">
                    <time dateTime={w.week}>{weekText(w.week)}</time>
                  </th>
                  <td className={styles.numeric}>{w.applied}</td>
                  <td className={styles.numeric}>{w.overridden}</td>
                  <td>
                    <span className={styles.rate}>
                      <span className={styles.rateText}>{rateText(w.rate)}</span>
                      {/* The bar repeats the number for the eye; the text is what is read out. */}
                      <span className={styles.bar} aria-hidden="true">
                        <span style={{ width: `${Math.round((w.rate ?? 0) * 100)}%` }} />
                      </span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className={styles.muted}>
            Weeks start on Monday (UTC). A correction is a person changing a value the model wrote; it counts in the week the value was
            written. Training again learns from the corrected values.
          </p>
        </>
      ) : null}
    </section>
  );
}

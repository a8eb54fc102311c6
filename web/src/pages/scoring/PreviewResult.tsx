/**
 * What a preview found: the distribution of the scores the model as typed would give the existing
 * records (a histogram, with its numbers in a table for screen readers), the mean and median, how
 * many records' scores would change and which way, and the rules that would give the most points.
 * Nothing was written. A preview of an older draft says so.
 */
import { Chart } from "../../components/charts/Chart";
import { barOption } from "../../components/charts/chart-option";
import { ui } from "../../components/ui";
import type { Preview, ScoreDefinition } from "./data";
import { styles } from "./styles";

const n = (x: number) => x.toLocaleString(undefined, { maximumFractionDigits: 1 });
const bin = (b: { from: number; to: number }) => (b.to - b.from <= 1 ? `${n(b.from)}` : `${n(b.from)}–${n(b.to - 1)}`);

/** A group's label by key, from the definition previewed (the preview names groups by key). */
const groupLabels = (d: ScoreDefinition) =>
  new Map([...(d.fit?.groups ?? []), ...(d.engagement?.groups ?? [])].map((g) => [g.key, g.label] as const));

export function PreviewResult({
  preview,
  definition,
  stale,
  objectLabel,
}: {
  preview: Preview;
  definition: ScoreDefinition;
  stale: boolean;
  objectLabel: string;
}) {
  const records = objectLabel.toLowerCase();
  const groups = groupLabels(definition);
  const same = preview.records - preview.changed;
  const fullest = preview.histogram.reduce((a, b) => (b.count > a.count ? b : a), preview.histogram[0] ?? { from: 0, to: 0, count: 0 });
  return (
    <section className={styles.preview} aria-labelledby="preview-heading" data-testid="preview">
      <h3 id="preview-heading">
        Preview: {preview.records === 1 ? `1 ${records}` : `${n(preview.records)} ${records}s`} scored, nothing written
      </h3>
      {stale ? (
        <p className={styles.staleNote} role="status">
          You changed the model since this preview: preview again to see the scores it would give now.
        </p>
      ) : null}
      <dl className={styles.figures}>
        <Stat label="Mean score" value={n(preview.mean)} />
        <Stat label="Median score" value={n(preview.median)} />
        <Stat label="Would go up" value={n(preview.up)} />
        <Stat label="Would go down" value={n(preview.down)} />
        <Stat label="Would stay the same" value={n(same)} />
      </dl>
      {preview.records === 0 ? (
        <p className={styles.muted}>There are no {records}s yet: the model scores them as they are created.</p>
      ) : (
        <Chart
          label="Distribution of the previewed scores"
          option={barOption({
            categories: preview.histogram.map(bin),
            series: [{ name: `${objectLabel}s`, values: preview.histogram.map((b) => b.count) }],
            xName: "Score",
            yName: `${objectLabel}s`,
          })}
          summary={`Most ${records}s (${n(fullest.count)}) would score ${bin(fullest)}; half would score ${n(preview.median)} or less. ${n(preview.changed)} of ${n(preview.records)} scores would change: ${n(preview.up)} up, ${n(preview.down)} down.`}
          table={
            <table className={ui.table} aria-label="Previewed scores by range">
              <thead>
                <tr>
                  <th scope="col">Score</th>
                  <th scope="col" className={styles.numeric}>
                    {objectLabel}s
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.histogram.map((b) => (
                  <tr key={b.from}>
                    <td>{bin(b)}</td>
                    <td className={styles.numeric}>{n(b.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
      )}
      {preview.top_rules.length > 0 ? (
        <>
          <h4>Rules that apply to the most {records}s</h4>
          <table className={ui.table} aria-label={`Rules that apply to the most ${records}s`}>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Group</th>
                <th scope="col" className={styles.numeric}>
                  {objectLabel}s it applies to
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.top_rules.map((r) => (
                <tr key={`${r.group}.${r.rule}`}>
                  <td>{r.label}</td>
                  <td>{groups.get(r.group) ?? r.group}</td>
                  <td className={styles.numeric}>{n(r.records)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className={styles.figure}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

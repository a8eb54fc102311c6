/**
 * The record's Score panel (issue 21): for each enabled scoring model of its object, the total,
 * fit and engagement now; the breakdown by group and rule (each rule's current points — an
 * engagement rule's after decay, an AI prediction rule's chance × its points out of its most —
 * and a group's cap when it holds the group back); the history
 * of the total as a chart (ECharts, loaded only here) with its numbers as a table; and the
 * ledger — every change with its cause (the rule, the field change or the event), before → after,
 * when, and the model version that made it. Shown only when a model scores this object.
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Chart } from "../../components/charts/Chart";
import { stepLineOption } from "../../components/charts/chart-option";
import { ui } from "../../components/ui";
import {
  fetchLedgerPage,
  type LedgerRow,
  modelQuery,
  modelsQuery,
  type RecordScore,
  recordScoreQuery,
  type ScoreDefinition,
} from "../scoring/data";
import { causeWords, type Labels, labelsOf } from "../scoring/ledger-words";
import score from "../scoring/Scoring.module.css";
import { KIND_WORDS, signed } from "../scoring/words";
import type { ObjectInfo } from "./data";
import card from "./RecordPage.module.css";
import { clock } from "./words";

/** Shown when the record's object has an enabled model; nothing otherwise (no request made). */
export function ScorePanel({ plural, id, def, refetchInterval }: { plural: string; id: string; def: ObjectInfo; refetchInterval: number }) {
  const models = useQuery(modelsQuery);
  const scored = (models.data ?? []).some((m) => m.object === def.name && m.enabled);
  const scores = useQuery({ ...recordScoreQuery(plural, id), enabled: scored, refetchInterval });
  if (!scored) return null;
  return (
    <section className={card.card} aria-labelledby="score-heading" data-testid="score">
      <h2 id="score-heading">Score</h2>
      {scores.error ? <p className={score.error}>Could not read the score: {scores.error.message}.</p> : null}
      {scores.isPending ? <p aria-live="polite">Loading the score…</p> : null}
      {scores.data?.map((s) => (
        <ModelScore
          key={s.model.key}
          s={s}
          plural={plural}
          id={id}
          def={def}
          many={scores.data.length > 1}
          refetchInterval={refetchInterval}
        />
      ))}
    </section>
  );
}

const n = (x: number) => x.toLocaleString(undefined, { maximumFractionDigits: 1 });

function ModelScore({
  s,
  plural,
  id,
  def,
  many,
  refetchInterval,
}: {
  s: RecordScore;
  plural: string;
  id: string;
  def: ObjectInfo;
  many: boolean;
  refetchInterval: number;
}) {
  const heading = `score-${s.model.key}`;
  const label = (f: string | null | undefined) => (f ? (def.fields.find((x) => x.name === f)?.label ?? f) : undefined);
  // The weights and the cap are the model's, not the record's: read from the model (cached with the Scoring pages).
  const model = useQuery(modelQuery(s.model.key));
  const weights = model.data?.definition.weights ?? { fit: 1, engagement: 1 };
  const cap = model.data?.definition.total_cap;
  return (
    <section className={score.modelScore} aria-labelledby={heading}>
      <h3 id={heading}>
        <Link to="/scoring/$key" params={{ key: s.model.key }}>
          {s.model.name}
        </Link>{" "}
        <span className={score.muted}>version {s.version}</span>
      </h3>
      <dl className={score.figures} aria-label={`${s.model.name} now`}>
        <div className={score.figure}>
          <dt>Total{label(s.fields.total) ? ` (${label(s.fields.total)})` : ""}</dt>
          <dd data-testid="score-total">{s.total}</dd>
        </div>
        <div className={score.figure}>
          <dt>Fit</dt>
          <dd data-testid="score-fit">{n(s.exact.fit)}</dd>
        </div>
        <div className={score.figure}>
          <dt>Engagement</dt>
          <dd data-testid="score-engagement">{n(s.exact.engagement)}</dd>
        </div>
      </dl>
      {model.data ? (
        <p className={score.muted}>
          Total = fit × {n(weights.fit)} + engagement × {n(weights.engagement)}
          {cap !== undefined ? `, at most ${n(cap)}` : ""}, rounded.
          {cap !== undefined && weights.fit * s.exact.fit + weights.engagement * s.exact.engagement > cap
            ? " The cap on the total holds it back now."
            : ""}
        </p>
      ) : null}
      <Breakdown s={s} predictions={predictionRules(model.data?.definition)} />
      <Ledger s={s} plural={plural} id={id} def={def} many={many} refetchInterval={refetchInterval} />
    </section>
  );
}

/** The fit rules that read an AI prediction, by "group/rule": the AI model each reads. */
function predictionRules(definition: ScoreDefinition | undefined): ReadonlyMap<string, string> {
  return new Map(
    (definition?.fit?.groups ?? []).flatMap((g) =>
      g.rules.flatMap((r) => (r.prediction === undefined ? [] : [[`${g.key}/${r.key}`, r.prediction] as const])),
    ),
  );
}

function Breakdown({ s, predictions }: { s: RecordScore; predictions: ReadonlyMap<string, string> }) {
  const part = (scope: "fit" | "engagement") => s.groups.filter((g) => g.part === scope);
  return (
    <table className={`${ui.table} ${score.breakdown}`} aria-label={`Breakdown of ${s.model.name}`}>
      <thead>
        <tr>
          <th scope="col">Group and rule</th>
          <th scope="col" className={score.numeric}>
            Points now
          </th>
        </tr>
      </thead>
      {(["fit", "engagement"] as const).map((scope) => (
        <tbody key={scope}>
          <tr className={score.scopeRow}>
            <th scope="rowgroup" colSpan={2}>
              {scope === "fit" ? `Fit: ${n(s.exact.fit)}` : `Engagement: ${n(s.exact.engagement)}`}
            </th>
          </tr>
          {part(scope).length === 0 ? (
            <tr>
              <td colSpan={2} className={score.muted}>
                No {scope} groups in this model.
              </td>
            </tr>
          ) : null}
          {part(scope).flatMap((g) => {
            const giving = g.rules.filter((r) => Math.abs(r.current) >= 0.05);
            const idle = g.rules.filter((r) => Math.abs(r.current) < 0.05);
            const uncapped = g.rules.reduce((sum, r) => sum + r.current, 0);
            const capped = g.cap !== null && uncapped > g.cap;
            return [
              <tr key={`${scope}.${g.key}`} className={score.groupRow}>
                <th scope="row">
                  {g.label}
                  {capped ? <span className={score.capBadge}>cap of {n(g.cap ?? 0)} reached</span> : null}
                </th>
                <td className={score.numeric}>
                  {n(g.value)}
                  {capped ? <span className={score.muted}> (rules give {n(uncapped)})</span> : null}
                </td>
              </tr>,
              ...giving.map((r) => (
                <tr key={`${scope}.${g.key}.${r.key}`}>
                  <td className={score.ruleCell}>{r.label}</td>
                  <td className={score.numeric}>
                    {signed(r.current)}
                    {scope === "engagement" && r.hits > 1 ? <span className={score.muted}> ({r.hits} times)</span> : null}
                    {predictions.has(`${g.key}/${r.key}`) ? (
                      <>
                        <span className={score.muted}> of {n(r.points)}</span>
                        <span className={score.predictionNote}>
                          {predictions.get(`${g.key}/${r.key}`)}’s chance to convert × {n(r.points)}
                        </span>
                      </>
                    ) : null}
                  </td>
                </tr>
              )),
              ...(idle.length > 0
                ? [
                    <tr key={`${scope}.${g.key}.idle`}>
                      <td colSpan={2} className={`${score.ruleCell} ${score.muted}`}>
                        Not giving points now: {idle.map((r) => r.label).join(", ")}
                      </td>
                    </tr>,
                  ]
                : []),
            ];
          })}
        </tbody>
      ))}
    </table>
  );
}

function Ledger({
  s,
  plural,
  id,
  def,
  many,
  refetchInterval,
}: {
  s: RecordScore;
  plural: string;
  id: string;
  def: ObjectInfo;
  many: boolean;
  refetchInterval: number;
}) {
  const fieldName = (f: string) => def.fields.find((x) => x.name === f)?.label ?? f;
  const ledger = useInfiniteQuery({
    queryKey: ["record", "live", plural, id, "score", "ledger", s.model.key],
    queryFn: ({ pageParam }) => fetchLedgerPage(plural, id, s.model.key, pageParam),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval,
  });
  const rows = ledger.data?.pages.flatMap((p) => p.data) ?? [];
  // Oldest first for the chart: each row's "after" holds until the next row.
  const points = [...rows].reverse().map((r) => [Date.parse(r.at), r.after] as [number, number]);
  const first = rows[rows.length - 1];
  if (first && ledger.hasNextPage === false) points.unshift([Date.parse(first.at) - 1, first.before]);
  const name = many ? ` of ${s.model.name}` : "";
  const labels = labelsOf(s);
  return (
    <>
      <h4 className={score.subheading}>History{name}</h4>
      {ledger.error ? <p className={score.error}>Could not read the ledger: {ledger.error.message}.</p> : null}
      {rows.length === 0 && ledger.isSuccess ? <p className={score.muted}>No change of this score yet.</p> : null}
      {rows.length > 0 ? (
        <Chart
          label={`Total score${name} over time`}
          size="small"
          option={stepLineOption({ points, yName: "Score", now: Date.now() })}
          summary={historySummary(rows, ledger.hasNextPage)}
          tableLabel="Show the ledger as a table"
          table={<LedgerTable rows={rows} labels={labels} fieldName={fieldName} caption={`Ledger${name}`} />}
        />
      ) : null}
      {rows.length > 0 ? (
        <>
          <h4 className={score.subheading}>Ledger{name}</h4>
          <ol className={score.ledger} aria-label={`Ledger${name}, newest first`}>
            {rows.map((r) => (
              <li key={r.id} className={score.ledgerItem}>
                <span className={score.ledgerChange}>
                  <span className={score.kind}>{KIND_WORDS[r.kind] ?? r.kind}</span>{" "}
                  <strong>
                    {n(r.before)} → {n(r.after)}
                  </strong>{" "}
                  <span className={score.muted}>({signed(r.change)})</span>
                </span>
                <span>{causeWords(r, labels, fieldName)}</span>
                <span className={score.muted}>
                  <time dateTime={r.at} title={new Date(r.at).toLocaleString()}>
                    {clock(r.at)}
                  </time>{" "}
                  · version {r.version}
                </span>
              </li>
            ))}
          </ol>
          {ledger.hasNextPage ? (
            <button type="button" className={ui.secondary} disabled={ledger.isFetchingNextPage} onClick={() => void ledger.fetchNextPage()}>
              {ledger.isFetchingNextPage ? "Loading…" : "Show older changes"}
            </button>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function historySummary(rows: LedgerRow[], more: boolean): string {
  const newest = rows[0];
  const oldest = rows[rows.length - 1];
  if (!newest || !oldest) return "";
  const ups = rows.filter((r) => r.after > r.before).length;
  const downs = rows.filter((r) => r.after < r.before).length;
  // The ledger holds the model's own totals: a field that held a value before the model first scored
  // the record (typed, imported) shows it in the timeline, not here.
  const start = more ? "" : " It starts when the model first scored this record; a value the field held before is in the timeline.";
  return `${more ? `The latest ${rows.length} changes` : rows.length === 1 ? "One change" : `${rows.length} changes`}: from ${n(oldest.before)} (${clock(oldest.at)}) to ${n(newest.after)} now; ${ups} up, ${downs} down. Points fade between the changes shown when the model has decay.${start}`;
}

function LedgerTable({
  rows,
  labels,
  fieldName,
  caption,
}: {
  rows: LedgerRow[];
  labels: Labels;
  fieldName: (f: string) => string;
  caption: string;
}) {
  return (
    <table className={ui.table} aria-label={caption}>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What changed</th>
          <th scope="col" className={score.numeric}>
            Before
          </th>
          <th scope="col" className={score.numeric}>
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>{new Date(r.at).toLocaleString()}</td>
            <td>{causeWords(r, labels, fieldName)}</td>
            <td className={score.numeric}>{n(r.before)}</td>
            <td className={score.numeric}>{n(r.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Related records: those this record points at (its company, contact, owner …) and those that
 * point at it (a company's contacts, deals and tickets; a lead's tasks and activities), found from
 * the field definitions — a custom reference field shows up here too. Each links to its own page.
 */
import { useQueries } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ErrorMessage } from "../../components/ui";
import { fetchPointing, type ObjectInfo, type RecordWithRelated } from "./data";
import styles from "./RecordPage.module.css";
import { type Rec, recordTitle } from "./words";

const SHOWN = 5;
/** People and teams are pointed at by nearly every record (owners): listing them here says little. */
const DIRECTORY = new Set(["user", "team"]);

function RecordLink({ r, objects }: { r: Rec; objects: ObjectInfo[] }) {
  const plural = objects.find((o) => o.name === r.object)?.plural ?? r.object;
  return (
    <Link to="/records/$object/$id" params={{ object: plural, id: r.id }}>
      {recordTitle(r)}
    </Link>
  );
}

export function Related({ record, def, objects }: { record: RecordWithRelated; def: ObjectInfo; objects: ObjectInfo[] }) {
  const pointedAt = def.fields
    .filter((f) => f.type === "reference" && typeof record[f.name] === "string")
    .map((f) => ({ field: f, target: record.related?.[f.name.replace(/_id$/, "")] ?? null }));
  const pointing = DIRECTORY.has(def.name)
    ? []
    : objects.flatMap((o) =>
        DIRECTORY.has(o.name)
          ? []
          : o.fields.filter((f) => f.type === "reference" && f.references?.includes(def.name)).map((f) => ({ object: o, field: f })),
      );
  const lists = useQueries({
    queries: pointing.map(({ object, field }) => ({
      queryKey: ["record", "pointing", object.plural, field.name, record.id],
      queryFn: () => fetchPointing(object.plural, field.name, record.id, SHOWN),
    })),
  });
  return (
    <section className={styles.card} aria-labelledby="related-heading">
      <h2 id="related-heading">Related records</h2>
      {pointedAt.length > 0 ? (
        <dl className={styles.fields}>
          {pointedAt.map(({ field, target }) => (
            <div key={field.name}>
              <dt>{field.label}</dt>
              <dd>{target ? <RecordLink r={target} objects={objects} /> : <span className={styles.muted}>not visible to you</span>}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {pointing.map(({ object, field }, i) => {
        const q = lists[i];
        const heading = `${object.label === "Activity" ? "Activities" : `${object.label}s`}${field.name !== "related_id" && field.name !== `${def.name}_id` ? ` (${field.label})` : ""}`;
        return (
          <div key={`${object.name}.${field.name}`} className={styles.relatedGroup}>
            <h3>{heading}</h3>
            {q?.error ? <ErrorMessage error={q.error} what={heading.toLowerCase()} /> : null}
            {q?.isPending ? <p className={styles.muted}>Loading…</p> : null}
            {q?.data && q.data.data.length === 0 ? <p className={styles.muted}>None.</p> : null}
            {q?.data && q.data.data.length > 0 ? (
              <ul className={styles.relatedList}>
                {q.data.data.map((r) => (
                  <li key={r.id}>
                    <RecordLink r={r} objects={objects} />
                    {typeof r.status === "string" ? <span className={styles.muted}> · {r.status}</span> : null}
                    {typeof r.stage === "string" ? <span className={styles.muted}> · {r.stage}</span> : null}
                  </li>
                ))}
                {q.data.more ? <li className={styles.muted}>and more (the newest {SHOWN} are shown)</li> : null}
              </ul>
            ) : null}
          </div>
        );
      })}
      {pointedAt.length === 0 && pointing.length === 0 ? <p className={styles.muted}>This record has no related records.</p> : null}
    </section>
  );
}

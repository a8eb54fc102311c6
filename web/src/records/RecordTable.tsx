/**
 * A page of records as a table: the chosen columns, each header a sort button (aria-sort says
 * the current order), the first column linking to the record's page. The table scrolls
 * sideways inside its own frame, so at 200 % zoom the page itself keeps its width; the frame is
 * focusable and labelled, so keyboard users can scroll it too.
 */

import { ui } from "../components/ui";
import { sortOf } from "./filters";
import { type ApiRecord, displayValue, type FieldInfo, type ObjectInfo, recordTitle } from "./model";
import { RecordLink } from "./RecordLink";
import styles from "./records.module.css";

export interface RecordTableProps {
  object: ObjectInfo;
  objects: readonly ObjectInfo[];
  columns: readonly FieldInfo[];
  records: readonly ApiRecord[];
  sort: string | undefined;
  onSort: (sort: string) => void;
  caption: string;
}

export function RecordTable({ object, objects, columns, records, sort, onSort, caption }: RecordTableProps) {
  const objectOf = (name: string | undefined) => objects.find((o) => o.name === name);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it (WCAG 2.1.1)
    // biome-ignore lint/a11y/useSemanticElements: a <section> would add a landmark per table; the region is the scroll frame
    <div className={styles.tableFrame} role="region" aria-label={caption} tabIndex={0}>
      <table className={`${ui.table} ${styles.table}`}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((f) => {
              const order = sortOf(sort, f.name);
              const next = order === "ascending" ? `-${f.name}` : f.name;
              return (
                <th key={f.name} scope="col" aria-sort={order}>
                  <button type="button" className={styles.sortButton} onClick={() => onSort(next)}>
                    {/* The title column of people shows "first last", so it is the name, though it sorts by last name. */}
                    {f.name === "last_name" && isTitle(object, f) ? "Name" : f.label}
                    <span aria-hidden="true" className={styles.sortMark}>
                      {order === "ascending" ? "▲" : order === "descending" ? "▼" : "↕"}
                    </span>
                    <span className="visually-hidden">
                      {order === "ascending" ? ", sorted ascending; sort descending" : ", sort ascending"}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id}>
              {columns.map((f, i) => {
                // The API embeds an included reference under its name without "_id" (owner_id → related.owner).
                const related = f.type === "reference" ? r.related?.[f.name.replace(/_id$/, "")] : undefined;
                const text =
                  i === 0 && f.name === columns[0]?.name && isTitle(object, f)
                    ? recordTitle(object, r)
                    : displayValue(f, r[f.name], related, objectOf(related?.object));
                return i === 0 ? (
                  <th key={f.name} scope="row">
                    <RecordLink plural={object.plural} id={r.id}>
                      {text === "—" ? r.id : text}
                    </RecordLink>
                  </th>
                ) : (
                  <td key={f.name}>{text}</td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function isTitle(object: ObjectInfo, f: FieldInfo): boolean {
  return ["name", "subject", "last_name"].includes(f.name) && object.fields.some((x) => x.name === f.name);
}

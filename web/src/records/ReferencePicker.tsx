/**
 * Finding a referenced record by name instead of pasting its id: a search box under a
 * reference input ("Find owner"), and the matches as buttons that put their id in the input.
 * It searches each object the reference may point at, through the same list route and
 * `contains` filters the lists use, a few matches each.
 */
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ui } from "../components/ui";
import { toApiFilter } from "./filters";
import { type FieldInfo, objectsQuery, recordTitle } from "./model";
import styles from "./records.module.css";
import { listRecords } from "./recordsApi";

const MATCHES = 6;

export function ReferencePicker({ field, onPick }: { field: FieldInfo; onPick: (id: string) => void }) {
  const id = useId();
  const objects = useQuery(objectsQuery);
  const [text, setText] = useState("");
  const [words, setWords] = useState("");
  const targets = (field.references ?? []).map((n) => objects.data?.find((o) => o.name === n)).filter((o) => o !== undefined);
  const found = useQuery({
    queryKey: ["reference-search", field.references, words],
    enabled: words !== "" && targets.length > 0,
    queryFn: async () => {
      const pages = await Promise.all(
        targets.map(async (target) => {
          const page = await listRecords(target.plural, { filter: toApiFilter(target, { q: words }), limit: MATCHES });
          return page.data.map((r) => ({ id: r.id, title: recordTitle(target, r), object: target.label }));
        }),
      );
      return pages.flat();
    },
  });
  const search = (e: FormEvent) => {
    e.preventDefault();
    setWords(text.trim());
  };
  const noun = field.label.toLowerCase();
  const kinds = targets.map((t) => t.label.toLowerCase());
  const kindText = kinds.length > 1 ? `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}` : (kinds[0] ?? "record");
  return (
    <details className={styles.picker}>
      <summary>
        Find a {kindText} by name<span className="visually-hidden"> for {noun}</span>
      </summary>
      {/* Not a nested <form> (the record form holds it): Enter in the box searches through onKeyDown. */}
      <div className={styles.pickerSearch}>
        <label className="visually-hidden" htmlFor={`${id}-q`}>
          Find {noun}
        </label>
        <input
          id={`${id}-q`}
          type="search"
          className={ui.input}
          value={text}
          placeholder="Name or email"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") search(e);
          }}
        />
        <button type="button" className={ui.secondary} onClick={search}>
          Find
        </button>
      </div>
      <div aria-live="polite">
        {found.isFetching ? <span className={ui.hint}>Searching…</span> : null}
        {found.error ? <span className={ui.fieldError}>The search failed: {String((found.error as Error).message)}</span> : null}
        {found.data && found.data.length === 0 ? <span className={ui.hint}>Nothing matches “{words}”.</span> : null}
        {found.data && found.data.length > 0 ? (
          <ul className={styles.pickerList} aria-label={`Matches for ${noun}`}>
            {found.data.map((m) => (
              <li key={m.id}>
                <button type="button" className={styles.pickerItem} onClick={() => onPick(m.id)}>
                  {m.title}
                  <span className={ui.hint}> · {m.object}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </details>
  );
}

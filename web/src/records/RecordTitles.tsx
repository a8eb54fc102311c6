/**
 * Records named by id in a list (a page of runs): their titles, read with one list request per
 * object (`id in […]`) through the records API — so the caller's role and field permissions
 * apply, and what they may not see stays an id — instead of one request per row.
 */
import { useQueries, useQuery } from "@tanstack/react-query";
import { objectsQuery, recordTitle } from "./model";
import { RecordLink } from "./RecordLink";
import { listRecords } from "./recordsApi";

export interface RecordRef {
  /** The object's singular name, as runs and workflows give it (`lead`). */
  object: string;
  id: string;
}

export interface FoundRecord {
  title: string;
  /** Where its page is: /records/{plural}/{id}. */
  plural: string;
}

/** Each readable record's title (and its object's plural) by id. */
export function useRecordTitles(refs: readonly RecordRef[]): Map<string, FoundRecord> {
  const objects = useQuery(objectsQuery).data ?? [];
  const byObject = new Map<string, Set<string>>();
  for (const r of refs) byObject.set(r.object, (byObject.get(r.object) ?? new Set()).add(r.id));
  const asked = [...byObject].flatMap(([name, ids]) => {
    const object = objects.find((o) => o.name === name);
    return object ? [{ object, ids: [...ids].sort() }] : [];
  });
  const answers = useQueries({
    queries: asked.map(({ object, ids }) => ({
      queryKey: ["record-titles", object.plural, ids],
      queryFn: () => listRecords(object.plural, { filter: { field: "id", op: "in", value: ids }, limit: ids.length }),
      staleTime: 60_000,
    })),
  });
  const titles = new Map<string, FoundRecord>();
  answers.forEach((answer, i) => {
    const object = asked[i]?.object;
    if (!object) return;
    for (const record of answer.data?.data ?? []) titles.set(record.id, { title: recordTitle(object, record), plural: object.plural });
  });
  return titles;
}

/** A record in a table cell: its title linked to its page, or its id while (or if) it has none. */
export function RecordTitleLink({ id, found }: { id: string; found: FoundRecord | undefined }) {
  if (!found) return <code>{id}</code>;
  return (
    <RecordLink plural={found.plural} id={id}>
      {found.title}
    </RecordLink>
  );
}

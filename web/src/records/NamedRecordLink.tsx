/**
 * A link to a record named by its object's singular name (as runs and notifications name it),
 * showing the record's title ("Dana Scully · Lead") once it is read; until then, or when the
 * record is gone or hidden from the caller, the id.
 */
import { useQuery } from "@tanstack/react-query";
import { objectsQuery, recordTitle } from "./model";
import { RecordLink } from "./RecordLink";
import { getRecord } from "./recordsApi";

export function NamedRecordLink({ object, id }: { object: string; id: string }) {
  const target = useQuery(objectsQuery).data?.find((o) => o.name === object);
  const record = useQuery({
    queryKey: ["record-title", object, id],
    enabled: target !== undefined,
    queryFn: () => getRecord(target?.plural ?? "", id),
    retry: false,
  });
  if (!target) return <>{id}</>;
  const title = record.data ? recordTitle(target, record.data) : id;
  return (
    <RecordLink plural={target.plural} id={id}>
      {title} · {target.label}
    </RecordLink>
  );
}

/**
 * Under a reference input: the name of the record the id points at ("Acme Corp · Company"), or
 * that no such record is visible. A reference may point at several objects (a task's related
 * record): each is asked in turn, and the first that has the id names it.
 */
import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import { ui } from "../components/ui";
import { type FieldInfo, objectsQuery, recordTitle } from "./model";
import { getRecord } from "./recordsApi";

/** Ids are ULIDs: 26 characters of Crockford's base 32. Anything else is not looked up. */
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

export function ReferenceName({ field, id }: { field: FieldInfo; id: string }) {
  const objects = useQuery(objectsQuery);
  const trimmed = id.trim();
  const targets = (field.references ?? []).map((name) => objects.data?.find((o) => o.name === name)).filter((o) => o !== undefined);
  const found = useQuery({
    queryKey: ["reference", field.references, trimmed],
    enabled: ID.test(trimmed) && targets.length > 0,
    queryFn: async () => {
      for (const target of targets) {
        try {
          const record = await getRecord(target.plural, trimmed);
          return { title: recordTitle(target, record), object: target.label };
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        }
      }
      return null;
    },
  });
  if (trimmed === "") return null;
  let text = "";
  if (!ID.test(trimmed)) text = "Not an id yet: ids are 26 letters and digits.";
  else if (found.isPending) text = "Looking it up…";
  else if (found.data) text = `${found.data.title} · ${found.data.object}`;
  else if (found.data === null) text = `No ${targets.map((t) => t.label.toLowerCase()).join(" or ")} has this id.`;
  return (
    <span className={ui.hint} aria-live="polite" data-testid={`reference-${field.name}`}>
      {text}
    </span>
  );
}

/**
 * Which columns a person shows for an object, remembered per object in this browser
 * (localStorage): a choice is a preference of the person at this screen, not of the list's
 * URL. Names that are no longer fields of the object (a deleted custom field) are dropped.
 */
import { useCallback, useState } from "react";
import { defaultColumns, listableFields, type ObjectInfo } from "./model";

const key = (plural: string) => `handoff.columns.${plural}`;

function read(object: ObjectInfo): string[] {
  const known = new Set(listableFields(object).map((f) => f.name));
  try {
    const raw = localStorage.getItem(key(object.plural));
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    if (Array.isArray(parsed)) {
      const names = parsed.filter((n): n is string => typeof n === "string" && known.has(n));
      if (names.length > 0) return names;
    }
  } catch {
    // Storage refused (private mode) or held something else: fall back to the defaults.
  }
  return defaultColumns(object);
}

export function useColumns(object: ObjectInfo): [string[], (names: string[]) => void, () => void] {
  const [columns, setColumns] = useState(() => read(object));
  const [forObject, setForObject] = useState(object.plural);
  if (forObject !== object.plural) {
    setForObject(object.plural);
    setColumns(read(object));
  }
  const choose = useCallback(
    (names: string[]) => {
      // Keep the object's field order, whatever order the boxes were ticked in.
      const order = listableFields(object).map((f) => f.name);
      const sorted = order.filter((n) => names.includes(n));
      setColumns(sorted);
      try {
        localStorage.setItem(key(object.plural), JSON.stringify(sorted));
      } catch {
        // Not remembered, but still applied to this page.
      }
    },
    [object],
  );
  const reset = useCallback(() => {
    try {
      localStorage.removeItem(key(object.plural));
    } catch {
      // Nothing to forget.
    }
    setColumns(defaultColumns(object));
  }, [object]);
  return [columns, choose, reset];
}

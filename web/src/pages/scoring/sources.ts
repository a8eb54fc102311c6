/**
 * The inbound hooks and forms an engagement rule can count (their `external.received` events
 * name the hook's or form's key): read from the admin-only /api/v1/inbound-hooks and /api/v1/forms,
 * so only the editor (admins) asks for them. Their answers are untyped in the API document, so
 * only `key` and a name are read, defensively.
 */
import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";

export interface Source {
  key: string;
  label: string;
  kind: "form" | "hook";
}

const rows = (answer: unknown): Record<string, unknown>[] => {
  const data = answer && typeof answer === "object" && "data" in answer ? (answer as { data: unknown }).data : answer;
  return Array.isArray(data) ? data.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null) : [];
};

export const sourcesQuery = queryOptions({
  queryKey: ["scoring", "sources"],
  staleTime: 60_000,
  queryFn: async (): Promise<Source[]> => {
    const [hooks, forms] = await Promise.all([api.GET("/api/v1/inbound-hooks"), api.GET("/api/v1/forms")]);
    const out: Source[] = [];
    for (const f of rows(unwrap(forms)))
      if (typeof f.key === "string")
        out.push({ key: f.key, kind: "form", label: `Form: ${typeof f.title === "string" ? f.title : f.key}` });
    for (const h of rows(unwrap(hooks)))
      if (typeof h.key === "string")
        out.push({ key: h.key, kind: "hook", label: `Inbound hook: ${typeof h.name === "string" ? h.name : h.key}` });
    return out;
  },
});

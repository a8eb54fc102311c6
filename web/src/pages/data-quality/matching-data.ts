/**
 * Match rules and duplicate scans over the API (docs/data-quality.md "Matching and duplicates",
 * "Scan"): the rules' query keys the Matching pages share, their writes over the version read
 * (If-Match; a 412 when someone saved since), and a scan's start and poll. Every role reads
 * rules; admins change them and start scans (the API answers 403 to anyone else).
 */
import { queryOptions } from "@tanstack/react-query";
import { api, ifMatch, type Schemas, unwrap } from "../../api/client";

export type MatchRule = Schemas["MatchRule"];
export type DedupeScan = Schemas["DedupeScan"];
export type MatchObject = MatchRule["object"];
export type MatchKey = MatchRule["keys"][number];
export type Similarity = MatchRule["fields"][number]["similarity"];
export type MatchAction = MatchRule["action"];

export const MATCH_OBJECTS: readonly MatchObject[] = ["lead", "contact", "company"];
export const MATCH_KEYS: readonly MatchKey[] = ["email", "email_domain", "phone", "company", "surname_phonetic"];
export const SIMILARITIES: readonly Similarity[] = ["exact", "levenshtein", "jaro_winkler"];
export const MATCH_ACTIONS: readonly MatchAction[] = ["allow", "block", "alert", "merge"];

export type MatchRuleBody = Pick<
  MatchRule,
  "name" | "description" | "object" | "compare_with" | "keys" | "fields" | "threshold" | "action" | "merge_above" | "enabled"
>;

const fetchRules = async () => unwrap(await api.GET("/api/v1/data-quality/match-rules")).data;
const fetchRule = async (rule: string) => unwrap(await api.GET("/api/v1/data-quality/match-rules/{rule}", { params: { path: { rule } } }));

export const matchRulesQuery = queryOptions({ queryKey: ["matchRules"], queryFn: fetchRules });
export const matchRuleQuery = (rule: string) => queryOptions({ queryKey: ["matchRules", rule], queryFn: () => fetchRule(rule) });

export const createMatchRule = async (body: MatchRuleBody) => unwrap(await api.POST("/api/v1/data-quality/match-rules", { body }));

export const updateMatchRule = async (id: string, version: number, body: Partial<MatchRuleBody>) =>
  unwrap(await api.PATCH("/api/v1/data-quality/match-rules/{rule}", { params: { path: { rule: id } }, body, headers: ifMatch(version) }));

export const startScan = async (object: MatchObject) => unwrap(await api.POST("/api/v1/data-quality/scans", { body: { object } }));

/** A running scan, read again every second until it is done or failed. */
export const scanQuery = (id: string) =>
  queryOptions({
    queryKey: ["dedupeScans", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/data-quality/scans/{scan}", { params: { path: { scan: id } } })),
    refetchInterval: (q) => (q.state.data?.status === "running" || q.state.data === undefined ? 1000 : false),
  });

/** Only admins change match rules and start scans; every signed-in role reads them. */
export const mayEditMatching = (role: string) => role === "admin";

/**
 * Validation rules, stage gates and phone formats (the /api/v1/data-quality/rules and /formats
 * API, docs/data-quality.md): the query keys the Data rules pages share, the writes (each over
 * the version read: If-Match), and who may change them (admins; the API answers 403 to others).
 */
import { queryOptions } from "@tanstack/react-query";
import { api, ifMatch, type Schemas, unwrap } from "../../api/client";

export type ValidationRule = Schemas["ValidationRule"];
export type FieldFormat = Schemas["FieldFormat"];
export type OnInvalid = FieldFormat["on_invalid"];
export type RuleObject = ValidationRule["object"];
type Paths = import("../../api/schema").paths;
export type RuleBody = NonNullable<Paths["/api/v1/data-quality/rules"]["post"]["requestBody"]>["content"]["application/json"];
export type RulePatch = NonNullable<Paths["/api/v1/data-quality/rules/{rule}"]["patch"]["requestBody"]>["content"]["application/json"];

const fetchRules = async () => unwrap(await api.GET("/api/v1/data-quality/rules")).data;
const fetchRule = async (rule: string) => unwrap(await api.GET("/api/v1/data-quality/rules/{rule}", { params: { path: { rule } } }));
const fetchFormats = async () => unwrap(await api.GET("/api/v1/data-quality/formats")).data;

export const rulesQuery = queryOptions({ queryKey: ["data-quality", "rules"], queryFn: fetchRules });
export const ruleQuery = (rule: string) => queryOptions({ queryKey: ["data-quality", "rules", rule], queryFn: () => fetchRule(rule) });
export const formatsQuery = queryOptions({ queryKey: ["data-quality", "formats"], queryFn: fetchFormats });

export const createRule = async (body: RuleBody) => unwrap(await api.POST("/api/v1/data-quality/rules", { body }));

export const updateRule = async (id: string, version: number, body: RulePatch) =>
  unwrap(await api.PATCH("/api/v1/data-quality/rules/{rule}", { params: { path: { rule: id } }, body, headers: ifMatch(version) }));

export const deleteRule = async (id: string) =>
  unwrap(await api.DELETE("/api/v1/data-quality/rules/{rule}", { params: { path: { rule: id } } }));

/** One phone field's action, over the version listed (0 while the default applies). */
export const setFormat = async (f: FieldFormat, on_invalid: OnInvalid) =>
  unwrap(
    await api.PUT("/api/v1/data-quality/formats/{object}/{field}", {
      params: { path: { object: f.object, field: f.field } },
      body: { on_invalid },
      headers: ifMatch(f.version),
    }),
  );

/** Only admins change rules and formats; every signed-in role reads them (the API enforces the same). */
export const mayEditRules = (role: string) => role === "admin";

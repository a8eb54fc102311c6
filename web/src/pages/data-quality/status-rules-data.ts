/**
 * Status rules (the /api/v1/data-quality/status-rules API, docs/data-quality.md "Status rules"):
 * the query key the Data rules page and the KPI page share, and the writes (each over the version
 * read: If-Match). Admins write; the API answers 403 to others.
 */
import { queryOptions } from "@tanstack/react-query";
import { api, ifMatch, type Schemas, unwrap } from "../../api/client";

export type StatusRule = Schemas["StatusRule"];
type Paths = import("../../api/schema").paths;
export type StatusRuleBody = NonNullable<Paths["/api/v1/data-quality/status-rules"]["post"]["requestBody"]>["content"]["application/json"];
export type StatusRulePatch = NonNullable<
  Paths["/api/v1/data-quality/status-rules/{rule}"]["patch"]["requestBody"]
>["content"]["application/json"];

const fetchStatusRules = async () => unwrap(await api.GET("/api/v1/data-quality/status-rules")).data;
export const statusRulesQuery = queryOptions({ queryKey: ["data-quality", "status-rules"], queryFn: fetchStatusRules });

export const createStatusRule = async (body: StatusRuleBody) => unwrap(await api.POST("/api/v1/data-quality/status-rules", { body }));

export const updateStatusRule = async (id: string, version: number, body: StatusRulePatch) =>
  unwrap(await api.PATCH("/api/v1/data-quality/status-rules/{rule}", { params: { path: { rule: id } }, body, headers: ifMatch(version) }));

export const deleteStatusRule = async (id: string) =>
  unwrap(await api.DELETE("/api/v1/data-quality/status-rules/{rule}", { params: { path: { rule: id } } }));

/**
 * SLA policies' reads and writes (the /api/v1/sla/policies API, docs/sla.md) and the calendars a
 * policy can be measured on (GET /api/v1/calendars): the query keys the pages share, and who may
 * change a policy (admins; the API answers 403 to anyone else).
 */
import { queryOptions } from "@tanstack/react-query";
import { api, ifMatch, unwrap } from "../../api/client";
import type { PolicyBody } from "./draft";

const fetchPolicies = async () => unwrap(await api.GET("/api/v1/sla/policies")).data;
const fetchPolicy = async (policy: string) => unwrap(await api.GET("/api/v1/sla/policies/{policy}", { params: { path: { policy } } }));
const fetchCalendars = async () => unwrap(await api.GET("/api/v1/calendars")).data;

export const policiesQuery = queryOptions({ queryKey: ["sla", "policies"], queryFn: fetchPolicies });
export const policyQuery = (policy: string) => queryOptions({ queryKey: ["sla", "policies", policy], queryFn: () => fetchPolicy(policy) });
export const calendarsQuery = queryOptions({ queryKey: ["calendars"], queryFn: fetchCalendars, staleTime: 60_000 });

export const createPolicy = async (body: PolicyBody) => unwrap(await api.POST("/api/v1/sla/policies", { body }));

export const updatePolicy = async (id: string, version: number, body: Omit<PolicyBody, "object"> | { enabled: boolean }) =>
  unwrap(await api.PATCH("/api/v1/sla/policies/{policy}", { params: { path: { policy: id } }, body, headers: ifMatch(version) }));

export const deletePolicy = async (id: string) =>
  unwrap(await api.DELETE("/api/v1/sla/policies/{policy}", { params: { path: { policy: id } } }));

/** Only admins change SLA policies; every signed-in role reads them (the API enforces the same). */
export const mayEditSla = (role: string) => role === "admin";

/**
 * The workspace's people, teams, workflows and connectors, for the pickers of the panels: read
 * once through the Query cache (the same routes the rest of the app uses, so roles apply — a
 * role that may not list connectors gets no list, and the picker falls back to typing a key).
 */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../../api/client";
import { listRecords } from "../../../../records/recordsApi";

export interface Named {
  id: string;
  name: string;
  detail?: string;
}

const MINUTE = 60_000;

/** Everyone who can own a record: users by name, with their email to tell two Alexes apart. */
export function usePeople() {
  return useQuery({
    queryKey: ["builder", "people"],
    staleTime: 5 * MINUTE,
    queryFn: async (): Promise<Named[]> =>
      (await listRecords("users", { sort: "name", limit: 500 })).data.map((u) => ({
        id: u.id,
        name: typeof u.name === "string" ? u.name : u.id,
        ...(typeof u.email === "string" ? { detail: u.email } : {}),
      })),
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ["builder", "teams"],
    staleTime: 5 * MINUTE,
    queryFn: async (): Promise<Named[]> =>
      (await listRecords("teams", { sort: "name", limit: 500 })).data.map((t) => ({
        id: t.id,
        name: typeof t.name === "string" ? t.name : t.id,
      })),
  });
}

/** Routing's queues and rule sets by name (what assign_owner names), with the strategy or object. */
export function useQueues() {
  return useQuery({
    queryKey: ["builder", "queues"],
    staleTime: MINUTE,
    queryFn: async (): Promise<Named[]> =>
      unwrap(await api.GET("/api/v1/routing/queues")).data.map((q) => ({ id: q.id, name: q.name, detail: q.strategy })),
  });
}

export function useRuleSets() {
  return useQuery({
    queryKey: ["builder", "rule-sets"],
    staleTime: MINUTE,
    queryFn: async (): Promise<Named[]> =>
      unwrap(await api.GET("/api/v1/routing/rule-sets")).data.map((r) => ({ id: r.id, name: r.name, detail: r.object })),
  });
}

/** Workflows by key (what enroll and unenroll name), with their names. */
export function useWorkflowKeys() {
  return useQuery({
    queryKey: ["builder", "workflow-keys"],
    staleTime: MINUTE,
    queryFn: async (): Promise<Named[]> =>
      unwrap(await api.GET("/api/v1/workflows")).data.map((w) => ({ id: w.key, name: w.name, detail: w.status })),
  });
}

export interface ConnectorChoice {
  key: string;
  kind: string;
  name: string;
}

/** The workspace's connectors (admins and managers may list them; `enabled` false for the others). */
export function useConnectors(enabled: boolean) {
  return useQuery({
    queryKey: ["builder", "connectors"],
    enabled,
    staleTime: MINUTE,
    retry: false,
    queryFn: async (): Promise<ConnectorChoice[]> =>
      unwrap(await api.GET("/api/v1/connectors")).data.map((c) => ({ key: c.key, kind: c.kind, name: c.name })),
  });
}

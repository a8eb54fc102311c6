/**
 * Runs per step of one version in a chosen period (GET /workflows/{id}/step-counts), as the
 * workflow page's graph and the builder's canvas both show them, and where a count leads: the
 * runs list filtered to exactly those runs. Polled at the pace of a list others change.
 */
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { api, unwrap } from "../../api/client";
import { LIST_MS } from "../../api/live";
import type { CountState, StepRunCounts } from "../../components/graph/graph-model";

export const PERIODS = { "1d": ["last 24 hours", 1], "7d": ["last 7 days", 7], "30d": ["last 30 days", 30] } as const;
export type Period = keyof typeof PERIODS;
export const PERIOD_KEYS = Object.keys(PERIODS) as Period[];

/** The counts of `version` over `period` (nothing is fetched while `version` is null), and what opening one does. */
export function useStepCounts(workflowId: string, version: number | null, period: Period) {
  const navigate = useNavigate();
  const counts = useQuery({
    queryKey: ["step-counts", workflowId, version, period],
    enabled: version !== null,
    queryFn: async () => {
      const since = new Date(Date.now() - PERIODS[period][1] * 86_400_000).toISOString();
      return unwrap(
        await api.GET("/api/v1/workflows/{id}/step-counts", {
          params: { path: { id: workflowId }, query: { version: String(version), since } },
        }),
      );
    },
    // Runs move on by themselves: the counts follow at the pace of a list others change.
    refetchInterval: LIST_MS,
  });
  const data = counts.data;
  const open = (step: string, state: CountState) => {
    if (!data || version === null) return;
    navigate({ to: "/runs", search: { workflow: workflowId, version, since: data.since, step, step_state: state } });
  };
  return {
    counts: data ? (data.steps as Record<string, StepRunCounts>) : undefined,
    error: counts.error,
    open,
    /** What the counts cover, in words ("runs started in the last 7 days"). */
    period: `runs started in the ${PERIODS[period][0]}`,
  };
}

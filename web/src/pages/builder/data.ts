/**
 * What the builder reads before it can show anything — the workflow, the objects' fields (the
 * settings panel's pickers) and the canvas's code (xyflow and dagre, a chunk of its own) — and
 * the route's loader that starts all three at once, while the page's own chunk is still loading,
 * instead of one after the other (bench:builder measures the difference).
 */
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { objectsQuery } from "../../records/model";

export const builderWorkflowQuery = (id: string) =>
  queryOptions({
    queryKey: ["workflow", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/workflows/{id}", { params: { path: { id } } })),
    // The builder holds its own copy from here on: a refetch must not replace what is being edited.
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The canvas's chunk, fetched once; BuilderCanvas's lazy import then finds it loaded. */
export const loadCanvas = () => import("./canvas/BuilderFlow");

export function prefetchBuilder(queryClient: QueryClient, id: string) {
  void queryClient.prefetchQuery(builderWorkflowQuery(id));
  void queryClient.prefetchQuery(objectsQuery);
  void loadCanvas();
}

/**
 * KPIs over HTTP (issue 22; docs/kpis.md): every KPI over a period and a cut, one KPI, and the
 * records behind a cohort KPI. Every signed-in role reads. There is no rebuild here: a rebuild
 * empties every workspace's rollups and re-reads the whole log, so it is the operator's command
 * (`handoff kpis rebuild`), not something one workspace's admin may start for all of them.
 * Each read can be had as CSV (`format=csv`), the data of the chart it draws. Registered before the
 * record routes, whose `/api/v1/{objects}` would otherwise take `/api/v1/kpis`.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { tableCsv as csvOf } from "../../app/csv/table-csv.js";
import type { KpiPoint, KpiRecordView, KpiView } from "../../app/kpis/kpi-service.js";
import type { Services } from "../../composition/root.js";
import { KPI_KEYS } from "../../engine/kpis/definitions.js";
import type { ApiEnv } from "../env.js";
import { json, problemJson } from "../openapi/doc.js";

const point = z.object({
  day: z.string().describe("the point's UTC day, YYYY-MM-DD"),
  hour: z.number().int().min(0).max(23).optional().describe("granularity=hour: the point's UTC hour, 0–23"),
  value: z.number().nullable(),
  count: z.number(),
});
export const kpiSchema = z
  .object({
    key: z.enum(KPI_KEYS),
    title: z.string(),
    unit: z.enum(["minutes", "days", "touches", "notifications", "overrides", "percent"]),
    better: z.enum(["lower", "higher"]),
    definition: z.string(),
    drill: z.boolean().describe("whether GET /api/v1/kpis/{key}/records lists the records behind it"),
    value: z.number().nullable().describe("null when there is nothing to measure in the period"),
    count: z.number().describe("how many records, writes, SLA targets or runs the value is over"),
    series: z
      .array(point)
      .describe(
        "per UTC day (or hour, with granularity=hour): creation day for cohort KPIs, write day for automation share, end day for SLA attainment",
      ),
    breakdown: z
      .array(
        z.object({
          workflow_id: z.string(),
          workflow_name: z.string(),
          version: z.number(),
          runs: z.number(),
          failed: z.number(),
          failure_rate: z.number().nullable(),
        }),
      )
      .optional(),
    overrides_by_workflow: z
      .array(
        z.object({
          workflow_id: z.string(),
          workflow_name: z.string(),
          version: z.number().nullable().describe("null when no run of the workflow on the record is found any more"),
          overrides: z.number(),
        }),
      )
      .optional()
      .describe("workflow_overrides: per workflow and version, most first"),
    truncated: z
      .boolean()
      .optional()
      .describe(
        "workflow_overrides: the period held more changes by people than are read (5,000, newest first), a lower bound; data-quality KPIs: the cohort held more than 50,000 records and the figure is over the oldest 50,000",
      ),
  })
  .openapi("Kpi");
const filters = z
  .object({
    from: z.string(),
    to: z.string(),
    object: z.string(),
    ownerId: z.string().optional(),
    teamId: z.string().optional(),
    workflow: z.object({ id: z.string(), version: z.number().optional(), handled: z.boolean() }).optional(),
    granularity: z.enum(["day", "hour"]),
    asAt: z.enum(["now", "end"]),
  })
  .passthrough();
const query = z.object({
  from: z.string().optional().describe("first day, YYYY-MM-DD (UTC); default: 29 days before `to`"),
  to: z.string().optional().describe("last day, YYYY-MM-DD (UTC), inclusive; default today"),
  object: z
    .string()
    .optional()
    .describe("the object of manual touches, notifications per record, automation share and SLA attainment; default lead"),
  owner_id: z.string().optional(),
  team_id: z.string().optional().describe("the team's members as owners"),
  workflow: z.string().optional().describe("a workflow's id: only records its runs were on (or, with handled=false, none were)"),
  version: z.string().optional().describe("with workflow: that version's runs only"),
  handled: z.enum(["true", "false"]).optional(),
  onboarding_days: z
    .string()
    .optional()
    .describe("onboarding handoff completion: the days after a win the onboarding ticket has to be ready in, 1–90, default 3"),
  as_at: z
    .enum(["now", "end"])
    .optional()
    .describe("the data-quality KPIs: the records judged as they stand now (default) or as they stood at the period's end"),
  granularity: z
    .enum(["day", "hour"])
    .optional()
    .describe("the series' points: one per UTC day (default) or per UTC hour — a period of at most 7 days"),
  format: z.enum(["json", "csv"]).optional(),
});
const keyParam = z.object({ key: z.enum(KPI_KEYS) });

function queryOf(c: { req: { queries(): Record<string, string[]> } }): { q: Record<string, string | undefined>; csv: boolean } {
  const q: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(c.req.queries())) q[k] = v.at(-1);
  const csv = q.format === "csv";
  delete q.format;
  return { q, csv };
}

/** The series as CSV; by hour, with an `hour` column after the day. */
const seriesCsv = (kpis: readonly KpiView[], byHour: boolean) =>
  byHour
    ? csvOf(
        ["kpi", "day", "hour", "value", "count"],
        kpis.flatMap((k) => k.series.map((p: KpiPoint) => [k.key, p.day, p.hour ?? null, p.value, p.count])),
      )
    : csvOf(
        ["kpi", "day", "value", "count"],
        kpis.flatMap((k) => k.series.map((p: KpiPoint) => [k.key, p.day, p.value, p.count])),
      );

export function kpiRoutes(app: OpenAPIHono<ApiEnv>, services: Services) {
  const reg = app.openAPIRegistry;
  const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
  const tags = ["KPIs"];
  const bad = problemJson(
    "A parameter out of range: an unknown one, a day that is not YYYY-MM-DD, a period over 400 days (7 by hour), an unknown object (each problem names it)",
  );

  reg.registerPath({
    method: "get",
    path: "/api/v1/kpis",
    tags,
    security,
    summary: "Every KPI over a period and a cut, with its daily series (CSV with format=csv: the series)",
    request: { query },
    responses: {
      200: { description: "OK", ...json(z.object({ filters, data: z.array(kpiSchema) })) },
      400: bad,
      404: problemJson("No such workflow or team in this workspace"),
    },
  });
  app.get("/api/v1/kpis", async (c) => {
    const { q, csv } = queryOf(c);
    const { filters: f, kpis } = await services.kpis.overview(c.get("call"), q);
    if (csv) return c.text(seriesCsv(kpis, f.granularity === "hour"), 200, { "content-type": "text/csv; charset=utf-8" });
    return c.json({ filters: f, data: kpis });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/kpis/{key}",
    tags,
    security,
    summary: "One KPI over a period and a cut (CSV with format=csv: its series, or its breakdown by workflow and version)",
    request: { params: keyParam, query },
    responses: {
      200: { description: "OK", ...json(z.object({ filters, data: kpiSchema })) },
      400: bad,
      404: problemJson("No such KPI, workflow or team"),
    },
  });
  app.get("/api/v1/kpis/:key", async (c) => {
    const { q, csv } = queryOf(c);
    const { filters: f, kpi } = await services.kpis.one(c.get("call"), c.req.param("key"), q);
    if (csv)
      return c.text(
        kpi.overrides_by_workflow
          ? csvOf(
              ["workflow_id", "workflow_name", "version", "overrides"],
              kpi.overrides_by_workflow.map((b) => [b.workflow_id, b.workflow_name, b.version, b.overrides]),
            )
          : kpi.breakdown
            ? csvOf(
                ["workflow_id", "workflow_name", "version", "runs", "failed", "failure_rate"],
                kpi.breakdown.map((b) => [b.workflow_id, b.workflow_name, b.version, b.runs, b.failed, b.failure_rate]),
              )
            : seriesCsv([kpi], f.granularity === "hour"),
        200,
        { "content-type": "text/csv; charset=utf-8" },
      );
    return c.json({ filters: f, data: kpi });
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/kpis/{key}/records",
    tags,
    security,
    summary:
      "The records behind a KPI that lists them: lead response time, manual touches, notifications per record, deal cycle time, SLA attainment, escalation completion, onboarding handoff completion, adoption (the ones that weigh most first: for adoption, the records no workflow reached), and the data-quality KPIs (the records with a problem, oldest first, each with `why`)",
    request: { params: keyParam, query: query.extend({ limit: z.string().optional().describe("1–1000, default 100") }) },
    responses: {
      200: {
        description: "OK",
        ...json(
          z.object({
            kpi: z.enum(KPI_KEYS),
            data: z.array(
              z.object({
                id: z.string(),
                object: z.string(),
                created_at: z.string(),
                owner_id: z.string().nullable(),
                value: z
                  .number()
                  .nullable()
                  .describe(
                    "the record's own figure (docs/kpis.md): minutes to answer, touches, notifications, days to close; adoption: the runs on it (0: no workflow reached it); SLA attainment and escalation completion: the percent of its own met or resolved in time; onboarding: days to hand off",
                  ),
                why: z
                  .string()
                  .optional()
                  .describe(
                    "data-quality KPIs: what is wrong with the record (missing fields, the suspected pair, the status rules it breaks)",
                  ),
              }),
            ),
            truncated: z.boolean(),
          }),
        ),
      },
      400: problemJson(
        "A KPI with no records to list (one that counts writes, runs, overrides or AI predictions), or a bad parameter (each problem names it; adoption refuses handled=false)",
      ),
      404: problemJson("No such KPI, workflow or team"),
    },
  });
  app.get("/api/v1/kpis/:key/records", async (c) => {
    const { q, csv } = queryOf(c);
    const out = await services.kpis.records(c.get("call"), c.req.param("key"), q);
    if (csv)
      return c.text(
        csvOf(
          ["id", "object", "created_at", "owner_id", "value", "why"],
          out.data.map((r: KpiRecordView) => [r.id, r.object, r.created_at, r.owner_id, r.value, r.why ?? null]),
        ),
        200,
        { "content-type": "text/csv; charset=utf-8" },
      );
    return c.json(out);
  });
}

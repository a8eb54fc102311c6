/**
 * `handoff kpis [show] | kpis records KEY | kpis rebuild` (issue 22; docs/kpis.md): the KPIs over
 * a period and a cut, the records behind a cohort KPI, and a rebuild of every workspace's rollups
 * from the whole event log (the operator's command: the API has none). Through the same service and checks as GET /api/v1/kpis. Before reading, the events
 * not folded yet are folded (the rollup runs beside `serve`; a CLI read should not lag it).
 */
import { systemContext } from "../../app/context.js";
import type { KpiView } from "../../app/kpis/kpi-service.js";
import { KPI_KEYS, KPIS } from "../../engine/kpis/definitions.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { configFrom, withServices } from "./open.js";

const UNIT: Record<KpiView["unit"], string> = { minutes: " min", days: " d", touches: "", notifications: "", overrides: "", percent: " %" };

const shown = (k: KpiView, value: number | null) => (value === null ? "—" : `${value}${UNIT[k.unit]}`);

function line(k: KpiView): string {
  return `${k.title.padEnd(28)} ${shown(k, k.value).padStart(10)}   over ${k.count}`;
}

/** A series point's line under its KPI (--series): its day, its hour by hour, its value and what it is over. */
function pointLine(k: KpiView, p: KpiView["series"][number]): string {
  const when = p.hour === undefined ? p.day : `${p.day} ${String(p.hour).padStart(2, "0")}:00`;
  return `  ${when.padEnd(26)} ${shown(k, p.value).padStart(10)}   over ${p.count}`;
}

export async function kpisCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    from: { type: "string" },
    to: { type: "string" },
    object: { type: "string" },
    owner: { type: "string" },
    team: { type: "string" },
    workflow: { type: "string" },
    version: { type: "string" },
    "not-handled": { type: "boolean", default: false },
    limit: { type: "string" },
    "onboarding-days": { type: "string" },
    granularity: { type: "string" },
    "as-at": { type: "string" },
    series: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  });
  const [action = "show", key] = positionals;
  const query: Record<string, string | undefined> = {
    from: values.from,
    to: values.to,
    object: values.object,
    owner_id: values.owner,
    team_id: values.team,
    workflow: values.workflow,
    version: values.version,
    handled: values["not-handled"] ? "false" : undefined,
    limit: values.limit,
    onboarding_days: values["onboarding-days"],
    granularity: values.granularity,
    as_at: values["as-at"],
  };
  for (const k of Object.keys(query)) if (query[k] === undefined) delete query[k];
  await withServices(configFrom(values), async (s) => {
    if (action === "rebuild") {
      // Every workspace's rollups: the cursor is one for the whole log.
      const { events } = await s.kpis.rebuild(systemContext("*"));
      console.log(`KPIs of every workspace rebuilt from ${events} events`);
      return;
    }
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    switch (action) {
      case "show": {
        await s.kpiRollup.catchUp();
        const { filters, kpis } = await s.kpis.overview(ctx, query);
        if (values.json) {
          console.log(JSON.stringify({ filters, data: kpis }, null, 2));
          return;
        }
        console.log(`KPIs of ${workspace.slug}, ${filters.fromDay} to ${filters.to.slice(0, 10)} (exclusive), ${filters.object}:`);
        for (const k of kpis) {
          console.log(line(k));
          if (values.series) for (const p of k.series) console.log(pointLine(k, p));
          for (const b of k.breakdown ?? []) console.log(`  ${b.workflow_name} v${b.version}: ${b.runs} runs, ${b.failed} failed`);
          for (const b of k.overrides_by_workflow ?? [])
            console.log(`  ${b.workflow_name} v${b.version ?? "?"}: ${b.overrides} overridden`);
        }
        return;
      }
      case "records": {
        if (!key) throw new UsageError(`kpis records takes a KPI key: one of ${KPI_KEYS.filter((k) => KPIS[k].drill).join(", ")}`);
        await s.kpiRollup.catchUp();
        const out = await s.kpis.records(ctx, key, query);
        if (values.json) console.log(JSON.stringify(out, null, 2));
        else for (const r of out.data) console.log(`${r.id}  ${r.object}  created ${r.created_at}  ${r.why ?? r.value ?? "—"}`);
        return;
      }
      default:
        throw new UsageError("kpis takes show, records KEY or rebuild");
    }
  });
}

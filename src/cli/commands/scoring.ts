/**
 * `handoff scoring …` (issue 21; docs/scoring.md): scoring models, a record's score and its
 * ledger from the command line. Like `review-queue`, it acts as the person whose token is in
 * HANDOFF_TOKEN, over the API of a running Handoff (../api-client.ts): publishing is an admin's.
 */
import type {
  LedgerView,
  PreviewView,
  RecordScoreView,
  RescoreView,
  ScoreModelDetail,
  ScoreModelSummary,
} from "../../app/scoring/scoring-views.js";
import { OBJECTS, objectByPlural } from "../../crm/objects.js";
import { type PersonCommand, runPersonCommand } from "../api-client.js";
import { UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";

const options = {
  url: { type: "string" },
  json: { type: "boolean", default: false },
  note: { type: "string" },
  model: { type: "string" },
  at: { type: "string" },
  cursor: { type: "string" },
} as const;

const model = (key: string, rest = "") => `/api/v1/scoring/models/${encodeURIComponent(key)}${rest}`;
const progress = (r: RescoreView | null) => (r ? `rescore v${r.version} ${r.state} ${r.done}/${r.total}` : "no rescore");
const out = (json: boolean, value: unknown, text: () => string) => console.log(json ? JSON.stringify(value, null, 2) : text());

/** The plural of an object given as `lead` or `leads`. */
function plural(object: string): string {
  const byName = (OBJECTS as Record<string, { plural: string } | undefined>)[object];
  if (byName) return byName.plural;
  if (objectByPlural(object)) return object;
  throw new UsageError(`no object "${object}"`);
}

/** A model file: the definition itself, or `{definition, note}`. */
async function bodyOf(file: string, note: string | undefined) {
  const raw = (await readJsonFile(file)) as Record<string, unknown>;
  const definition = raw && typeof raw === "object" && "definition" in raw ? raw.definition : raw;
  return { definition, ...(note !== undefined ? { note } : {}) };
}

const commands: Record<string, PersonCommand<typeof options>> = {
  models: {
    args: [],
    flags: ["json"],
    run: async (api, _, v) => {
      const { data } = await api<{ data: ScoreModelSummary[] }>("/api/v1/scoring/models");
      out(v.json, data, () =>
        data.length === 0
          ? "no scoring models"
          : data
              .map((m) =>
                [
                  m.key,
                  m.name,
                  m.object,
                  `v${m.version}`,
                  m.enabled ? "enabled" : "disabled",
                  `→ ${m.fields.total}`,
                  progress(m.rescore),
                ].join("\t"),
              )
              .join("\n"),
      );
    },
  },
  show: {
    args: ["KEY"],
    flags: ["json"],
    run: async (api, [key], v) => {
      const m = await api<ScoreModelDetail>(model(key as string));
      out(v.json, m, () =>
        [
          `${m.name} (${m.key}) on ${m.object}, version ${m.version}, ${m.enabled ? "enabled" : "disabled"}; ${progress(m.rescore)}`,
          ...m.versions.map((x) => `  v${x.version}  ${x.published_at}  ${x.published_by ?? ""}${x.note ? `  ${x.note}` : ""}`),
          JSON.stringify(m.definition, null, 2),
        ].join("\n"),
      );
    },
  },
  publish: {
    args: ["FILE"],
    flags: ["note", "json"],
    run: async (api, [file], v) => {
      const body = await bodyOf(file as string, v.note);
      const key = (body.definition as { key?: unknown } | undefined)?.key;
      if (typeof key !== "string") throw new UsageError("the model file needs a definition with a key");
      const { data } = await api<{ data: ScoreModelSummary[] }>("/api/v1/scoring/models");
      const m = data.some((x) => x.key === key)
        ? await api<ScoreModelDetail>(model(key, "/versions"), body)
        : await api<ScoreModelDetail>("/api/v1/scoring/models", body);
      out(v.json, m, () => `published ${m.key} version ${m.version}; ${progress(m.rescore)}`);
    },
  },
  preview: {
    args: ["FILE"],
    flags: ["json"],
    run: async (api, [file], v) => {
      const body = await bodyOf(file as string, undefined);
      const key = (body.definition as { key?: unknown } | undefined)?.key;
      const { data } = await api<{ data: ScoreModelSummary[] }>("/api/v1/scoring/models");
      const path = typeof key === "string" && data.some((x) => x.key === key) ? model(key, "/preview") : "/api/v1/scoring/preview";
      const p = await api<PreviewView>(path, body);
      out(v.json, p, () =>
        [
          `${p.records} records: mean ${p.mean}, median ${p.median}; ${p.changed} would change (${p.up} up, ${p.down} down)`,
          ...p.histogram.map((h) => `  ${String(h.from).padStart(5)}–${String(h.to).padEnd(5)} ${h.count}`),
          ...p.top_rules.map((r) => `  ${r.group}/${r.rule}  ${r.label}: ${r.records} records`),
        ].join("\n"),
      );
    },
  },
  disable: {
    args: ["KEY"],
    flags: ["json"],
    run: async (api, [key], v) => {
      const m = await api<ScoreModelDetail>(model(key as string), { enabled: false }, "PATCH");
      out(v.json, m, () => `${m.key} is disabled: its fields keep their values and no longer change`);
    },
  },
  "rescore-status": {
    args: ["KEY"],
    flags: ["json"],
    run: async (api, [key], v) => {
      const r = await api<RescoreView>(model(key as string, "/rescores/latest"));
      out(
        v.json,
        r,
        () => `${progress(r)}, ${r.changed} changed${r.finished_at ? `, finished ${r.finished_at}` : ""}${r.error ? ` — ${r.error}` : ""}`,
      );
    },
  },
  score: {
    args: ["OBJECT", "ID"],
    flags: ["at", "json"],
    run: async (api, [object, id], v) => {
      const q = v.at ? `?at=${encodeURIComponent(v.at)}` : "";
      const { data } = await api<{ data: RecordScoreView[] }>(
        `/api/v1/${plural(object as string)}/${encodeURIComponent(id as string)}/score${q}`,
      );
      out(v.json, data, () =>
        data.length === 0
          ? "no scoring model scores this object"
          : data
              .map((s) =>
                [
                  `${s.model.key} v${s.version}: total ${s.total} (fit ${s.fit}, engagement ${s.engagement})${s.next_change_at ? `; decays next at ${s.next_change_at}` : ""}`,
                  ...s.groups.map(
                    (g) =>
                      `  ${g.part} ${g.key}: ${g.rounded}${g.cap !== null ? ` (cap ${g.cap})` : ""}  ${g.rules
                        .filter((r) => r.hits > 0)
                        .map((r) => `${r.key} ${r.rounded}`)
                        .join(", ")}`,
                  ),
                ].join("\n"),
              )
              .join("\n"),
      );
    },
  },
  ledger: {
    args: ["OBJECT", "ID"],
    flags: ["model", "cursor", "json"],
    run: async (api, [object, id], v) => {
      const q = new URLSearchParams();
      if (v.model) q.set("model", v.model);
      if (v.cursor) q.set("cursor", v.cursor);
      const page = await api<{ data: LedgerView[]; next_cursor: string | null }>(
        `/api/v1/${plural(object as string)}/${encodeURIComponent(id as string)}/score/ledger${q.size > 0 ? `?${q}` : ""}`,
      );
      out(v.json, page, () =>
        [
          ...page.data.map((r) =>
            [
              r.at,
              `${r.model.key}@v${r.version}`,
              r.kind,
              r.rule ?? "",
              `${r.change >= 0 ? "+" : ""}${r.change.toFixed(2)}`,
              `${r.before.toFixed(2)} → ${r.after.toFixed(2)}`,
              JSON.stringify(r.cause),
            ].join("\t"),
          ),
          ...(page.next_cursor ? [`… more: --cursor ${page.next_cursor}`] : []),
        ].join("\n"),
      );
    },
  },
};

export function scoringCommand(argv: string[]) {
  return runPersonCommand("scoring", options, commands, "models", argv);
}

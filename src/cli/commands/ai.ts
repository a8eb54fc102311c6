/**
 * `handoff ai …`: the workspace's AI models (issue 24; docs/ai.md) — thin edges over the model
 * service, acting as the workspace's system administrator, with the same checks and problems (by
 * path) as /api/v1/ai/models.
 *
 *   handoff ai [models] [--json] | ai show NAME [--json] | ai create --file F | ai update NAME --file F | ai delete NAME
 *   handoff ai train NAME          trains on the labelled records, printing its progress (stderr); then the held-out quality
 *   handoff ai versions NAME [--json]   the versions its trainings kept, newest first
 *   handoff ai on|off NAME         turns a trained model on (past the label gate) or off
 *   handoff ai predict NAME (--record ID | --file F [--activities meeting=2,call=1])   what it says of a record, and why
 */
import type { AiModelView, PredictionView } from "../../app/ai/ai-model-admin.js";
import type { ModelVersionView, TrainingJobView } from "../../app/ai/ai-trainer.js";
import { systemContext } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { readJsonFile } from "../json-file.js";
import { configFrom, withServices } from "./open.js";

const options = {
  ...commonOptions,
  file: { type: "string" },
  record: { type: "string" },
  activities: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

const pct = (n: number | null) => (n === null ? "—" : `${(n * 100).toFixed(1)} %`);

/** `Ticket category	ticket.category	on	trained 2026-12-07 on 800 (accuracy 85.4 %, baseline 24.8 %)` */
const modelLine = (m: AiModelView) =>
  `${m.name}\t${m.kind === "conversion" ? `chance ${m.object}.${m.target} → ${m.converted.join("/")}` : `${m.object}.${m.target}`}\t${m.enabled ? "on" : "off"}\t${
    m.training
      ? `trained ${m.training.trained_at.slice(0, 10)} on ${m.training.records} (accuracy ${pct(m.training.quality.accuracy)}, baseline ${pct(m.training.quality.baseline)})`
      : "not trained"
  }`;

export function trainingLines(m: AiModelView): string[] {
  const t = m.training;
  if (!t) return [`${m.name}: not trained yet`];
  const q = t.quality;
  return [
    `${m.name}: trained on ${t.records} labelled ${m.object}s, ${t.held_out} held out`,
    `accuracy   ${pct(q.accuracy)} (always "${q.baselineLabel}": ${pct(q.baseline)})`,
    ...q.classes.map(
      (c) =>
        `  ${c.label.padEnd(20)} precision ${pct(c.precision).padStart(8)}  recall ${pct(c.recall).padStart(8)}  (${c.support} held out)`,
    ),
    t.ready
      ? m.kind === "conversion"
        ? "ready: at least 120 converted and 50 lost records"
        : "ready: every label has at least 50 labelled records"
      : `not ready: ${t.shortfalls.length > 0 ? t.shortfalls.map((s) => `${s.label} needs ${s.more} more`).join(", ") : "it needs two labels at least"}`,
  ];
}

/** `v3  2026-12-07 10:41  800 records (2026-11-01 … 2026-12-07)  accuracy 85.4 % (baseline 24.8 %)  ready` */
const versionLine = (v: ModelVersionView) =>
  `v${v.version}\t${v.trained_at.slice(0, 16).replace("T", " ")}\t${v.data.records} records (${v.data.first_created_at?.slice(0, 10) ?? "—"} … ${
    v.data.last_created_at?.slice(0, 10) ?? "—"
  })\taccuracy ${pct(v.quality.accuracy)} (baseline ${pct(v.quality.baseline)})\t${v.ready ? "ready" : "not ready"}`;

/** `training Ticket category: learning 45 %` — on stderr, so that stdout stays the result. */
const progressLine = (name: string, j: TrainingJobView) =>
  `training ${name}: ${j.state === "queued" || j.state === "running" ? `${j.phase} ${Math.round(j.progress * 100)} %` : j.phase}`;

const predictionLines = (p: PredictionView) => [
  `${p.field} = ${p.value} (confidence ${pct(p.confidence)}${p.low_confidence ? ", below the threshold: low confidence" : ""})`,
  ...p.reasons.map((r) => `  because of ${r.text} (+${r.weight})`),
];

const ACTIONS: Record<string, { name: boolean; file: "needed" | "no" | "optional" }> = {
  models: { name: false, file: "no" },
  show: { name: true, file: "no" },
  create: { name: false, file: "needed" },
  update: { name: true, file: "needed" },
  delete: { name: true, file: "no" },
  train: { name: true, file: "no" },
  versions: { name: true, file: "no" },
  on: { name: true, file: "no" },
  off: { name: true, file: "no" },
  predict: { name: true, file: "optional" },
};

export async function aiCommand(argv: string[]) {
  const { values, positionals } = parse(argv, options);
  const [action = "models", name, extra] = positionals;
  const shape = ACTIONS[action];
  if (!shape) throw new UsageError(`unknown ai command "${action}"; ai takes ${Object.keys(ACTIONS).join(", ")}`);
  if (shape.name && !name) throw new UsageError(`ai ${action} needs NAME`);
  if (extra !== undefined || (!shape.name && name !== undefined)) throw new UsageError(`unexpected argument "${extra ?? name}"`);
  if (shape.file === "needed" && values.file === undefined) throw new UsageError(`ai ${action} needs --file F`);
  if (shape.file === "no" && values.file !== undefined) throw new UsageError(`--file does not go with ai ${action}`);
  if (action === "predict" && (values.file === undefined) === (values.record === undefined))
    throw new UsageError("ai predict takes --record ID or --file F (the record's fields as JSON), one of them");
  if (action !== "predict" && values.record !== undefined) throw new UsageError(`--record does not go with ai ${action}`);
  if (values.activities !== undefined && values.file === undefined)
    throw new UsageError("--activities goes with ai predict --file F (a saved record's own activities are counted)");
  const activities = values.activities === undefined ? undefined : activityCounts(values.activities);
  const input = values.file !== undefined ? await readJsonFile(values.file) : undefined;
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    const m = s.aiModels;
    const id = name as string;
    const print = (x: unknown, lines: string[]) => console.log(values.json ? JSON.stringify(x, null, 2) : lines.join("\n"));
    switch (action) {
      case "models": {
        const all = await m.list(ctx);
        return print({ data: all }, all.length === 0 ? ["no AI models"] : all.map(modelLine));
      }
      case "show": {
        const one = await m.get(ctx, id);
        return print(one, [modelLine(one), ...trainingLines(one)]);
      }
      case "create": {
        const made = await m.create(ctx, input);
        return console.log(`created AI model ${made.name} (id ${made.id}): train it with handoff ai train "${made.name}"`);
      }
      case "update": {
        const changed = await m.update(ctx, id, input);
        return console.log(`updated AI model ${changed.name} to version ${changed.version}${changed.training ? "" : " (not trained)"}`);
      }
      case "delete":
        await m.delete(ctx, id);
        return console.log(`deleted AI model ${id}`);
      case "train": {
        const started = await s.aiTraining.start(ctx, id);
        let shown = "";
        const job = await s.aiTraining.wait(ctx, started.id, (j) => {
          // A line per phase and per tenth of the way: enough to see it move, not a flood.
          const line = progressLine(id, { ...j, progress: Math.floor(j.progress * 10) / 10 });
          if (line === shown) return;
          shown = line;
          process.stderr.write(`${line}\n`);
        });
        if (job.state !== "succeeded") throw new AppError("conflict", `the training of ${id} failed: ${job.error}`);
        const trained = await m.get(ctx, id);
        return print(trained, trainingLines(trained));
      }
      case "versions": {
        const all = await s.aiTraining.versions(ctx, id);
        return print({ data: all }, all.length === 0 ? [`${id}: no versions yet (train it)`] : all.map(versionLine));
      }
      case "on":
      case "off": {
        const set = await m.update(ctx, id, { enabled: action === "on" });
        return console.log(`${set.name} is ${set.enabled ? "on" : "off"}`);
      }
      default: {
        const body = values.record !== undefined ? { record_id: values.record } : { record: input, ...(activities ? { activities } : {}) };
        const p = await m.predict(ctx, id, body);
        return print(p, predictionLines(p));
      }
    }
  });
}

/** `meeting=2,call=1` → {meeting: 2, call: 1}; the numbers go as written, for the service to check (whole, 0–10,000). */
function activityCounts(text: string): Record<string, number> {
  const pairs = text.split(",").map((part): [string, number] => {
    const [type, count, more] = part.split("=").map((x) => x.trim());
    if (!type || count === undefined || count === "" || more !== undefined || Number.isNaN(Number(count)))
      throw new UsageError(`--activities takes TYPE=COUNT pairs separated by commas (meeting=2,call=1), not "${part}"`);
    return [type, Number(count)];
  });
  // fromEntries defines own properties: a type typed as "__proto__" stays a key the service refuses by name.
  return Object.fromEntries(pairs);
}

/** `handoff import` and `handoff export`: CSV with a progress bar. */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { systemContext } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { isObjectName, type ObjectName } from "../../crm/fields.js";
import { type FilterNode, parseShorthand } from "../../crm/filter.js";
import { objectByPlural } from "../../crm/objects.js";
import { commonOptions, parse, UsageError } from "../args.js";
import { progressBar } from "../progress.js";
import { configFrom, withServices } from "./open.js";

export function objectArg(name: string | undefined): ObjectName {
  if (!name) throw new UsageError("name the object, e.g. contacts");
  if (isObjectName(name)) return name;
  const byPlural = objectByPlural(name);
  if (byPlural) return byPlural.name;
  throw new UsageError(`unknown object "${name}"`);
}

export async function importCommand(argv: string[]) {
  const { values, positionals } = parse(argv, commonOptions);
  const object = objectArg(positionals[0]);
  const file = positionals[1];
  if (!file) throw new UsageError("import needs a CSV file");
  const csv = await readFile(file, "utf8");
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const bar = progressBar(`import ${object}`);
    try {
      const created = await s.csv.import(systemContext(workspace.id), object, csv, (done, total) => bar.update(done, total));
      bar.stop();
      console.log(`imported ${created.length} ${object} records into "${workspace.slug}"`);
    } finally {
      bar.stop();
    }
  });
}

export async function exportCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { ...commonOptions, out: { type: "string" }, where: { type: "string", multiple: true } });
  const object = objectArg(positionals[0]);
  await withServices(configFrom(values), async (s) => {
    const workspace = await s.workspaces.bySlug(values.workspace ?? "demo");
    const ctx = systemContext(workspace.id);
    let filter: FilterNode | undefined;
    if (values.where?.length) {
      const parsed = parseShorthand(values.where, await s.records.fields(ctx, object));
      if (!parsed.ok) throw new AppError("bad_request", "invalid --where", parsed.issues);
      filter = parsed.node;
    }
    const total = await s.store.records.countRecords(workspace.id, object);
    const out = values.out ? createWriteStream(values.out) : process.stdout;
    const bar = values.out ? progressBar(`export ${object}`) : { update: () => {}, stop: () => {} };
    let rows = -1; // the header line is not a record
    for await (const chunk of s.csv.export(ctx, object, filter)) {
      if (!out.write(chunk)) await once(out, "drain");
      rows += chunk.split("\n").length - 1;
      bar.update(Math.min(rows, total), total);
    }
    bar.stop();
    if (values.out) {
      out.end();
      await once(out, "finish");
      console.error(`exported ${rows} ${object} records to ${values.out}`);
    }
  });
}

/** `handoff migrate` and `handoff seed`. */

import { seedDemo } from "../../seed/demo.js";
import { commonOptions, parse } from "../args.js";
import { configFrom, withServices } from "./open.js";

export async function migrateCommand(argv: string[]) {
  const { values } = parse(argv, commonOptions);
  // compose() migrates; opening is enough.
  await withServices(configFrom(values), async (s) => {
    console.log(`schema up to date (${s.store.dialect})`);
  });
}

export async function seedCommand(argv: string[]) {
  const { values } = parse(argv, { ...commonOptions, seed: { type: "string", default: "42" } });
  await withServices(configFrom(values), async (s) => {
    const slug = values.workspace ?? "demo";
    if (await s.workspaces.find(slug)) {
      console.log(`workspace "${slug}" already exists; nothing seeded`);
      return;
    }
    const started = performance.now();
    const { counts, recipes } = await seedDemo(s, {
      slug,
      seed: Number(values.seed),
      onStep: (object, n) => process.stderr.write(`  ${object}: ${n}\n`),
    });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`seeded workspace "${slug}": ${total} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const r of recipes) {
      console.log(
        r.state === "published"
          ? `  published recipe ${r.key} v${r.version}${r.backfilled !== undefined ? ` (${r.backfilled} backfilled)` : ""}`
          : `  draft recipe ${r.key}: ${r.reason}`,
      );
    }
  });
}

/**
 * `npm run bench:dedupe` — duplicate detection on every create, and the one-off scan (issue 20;
 * docs/data-quality.md; engineering.md §5). In one run per store:
 *
 * - holds `--existing` contacts (default 100,000) written through the RecordWriter (so with their
 *   match keys): people from src/seed/duplicates.ts, about 5 % of them variants of others (exact,
 *   case, punctuation, typo, phone format) with the truth of which pairs are duplicates;
 * - creates_per_s_on / _off: single contact creates through the RecordWriter by `--clients`
 *   concurrent callers (default 4), with the default contact match rule enabled (`alert`: keys
 *   looked up, candidates scored, pairs queued) and disabled, in alternating rounds of
 *   `--seconds` each (default 5, two rounds each) so that a drift of the machine hits both alike.
 *   "Off" still writes the keys: they are part of every create, rule or not;
 * - scan_s: a full scan of the contacts (re-keying all of them, then scoring every record's
 *   candidates and queueing the pairs);
 * - precision / recall: the scan's pairs against the seeded truth.
 *
 * Checks afterwards: every create is stored, the scan is `done` with every record gone through,
 * recall ≥ 0.95 and precision ≥ 0.98. Options: --store sqlite|postgres|both (default both),
 * --existing, --seconds, --clients, --quick (2,000 existing, rounds of 0.3 s: what `npm test`
 * runs, for the checks, not the figures). Progress goes to stderr; one JSON line per store on stdout.
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { systemContext } from "../app/context.js";
import { buildServices } from "../composition/root.js";
import { DEFAULT_MATCH_RULES, duplicateVariants, pairQuality, syntheticPeople } from "../seed/duplicates.js";
import { Random } from "../seed/random.js";
import type { StoredRecord } from "../store/ports.js";
import { subjectKeyOf } from "../store/review-queue-ports.js";
import { benchPerStore, log, measure, round, type Scratch, scratchFor } from "./scratch.js";

interface Options {
  existing: number;
  seconds: number;
  clients: number;
}

async function benchStore(name: "sqlite" | "postgres", o: Options) {
  const scratch: Scratch = await scratchFor(name);
  try {
    await scratch.store.migrate();
    const s = buildServices(scratch.store);
    const ws = await s.workspaces.create("dedupe-bench", "Dedupe bench");
    const ctx = systemContext(ws.id, "bench");
    const rnd = new Random(20);
    // Originals and ~5 % variants of them make `existing`; the people after them are the new creates.
    const originals = Math.round(o.existing / 1.05);
    const pool = syntheticPeople(originals + 400_000, rnd);
    const seeded = duplicateVariants(pool.slice(0, originals), (o.existing - originals) / originals, rnd);
    log(`${name}: writing ${originals} contacts and ${seeded.rows.length} duplicates of them`);
    const t0 = performance.now();
    const written: StoredRecord[] = [];
    for (let i = 0; i < originals; i += 5_000)
      written.push(...(await s.writer.createMany(ctx, "contact", pool.slice(i, Math.min(i + 5_000, originals)), { max: 5_000 })));
    const variants: StoredRecord[] = [];
    for (let i = 0; i < seeded.rows.length; i += 5_000)
      variants.push(...(await s.writer.createMany(ctx, "contact", seeded.rows.slice(i, i + 5_000), { max: 5_000 })));
    log(`  written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const truth = variants.map((v, k) => subjectKeyOf("duplicate", v.id, (written[seeded.of[k] as number] as { id: string }).id));

    const rule = await s.matchRules.create(ctx, { ...DEFAULT_MATCH_RULES[0], enabled: false });
    let next = originals;
    const create = async () => {
      const person = pool[next++];
      if (!person) throw new Error("the pool of new people ran out: lower --seconds");
      await s.writer.create(ctx, "contact", person);
    };
    const rounds = { on: 0, onS: 0, off: 0, offS: 0 };
    for (let round = 0; round < 2; round++)
      for (const enabled of [false, true]) {
        await s.matchRules.update(ctx, rule.id, { enabled });
        const r = await measure(`creates, detection ${enabled ? "on" : "off"}`, o.seconds, o.clients, create, o.seconds > 1 ? 0.5 : 0);
        if (enabled) {
          rounds.on += r.ops;
          rounds.onS += r.seconds;
        } else {
          rounds.off += r.ops;
          rounds.offS += r.seconds;
        }
      }
    await s.matchRules.update(ctx, rule.id, { enabled: true });
    const stored = await scratch.store.records.countRecords(ws.id, "contact");
    const expected = originals + variants.length + (next - originals);
    if (stored !== expected) throw new Error(`${expected} contacts were created but ${stored} are stored`);

    log(`  scanning ${stored} contacts`);
    const t1 = performance.now();
    const { scan, pairs } = await s.dedupeScans.scan(ctx, "contact");
    const scanS = (performance.now() - t1) / 1000;
    if (scan.status !== "done" || scan.done !== scan.total) throw new Error(`the scan ended ${scan.status} at ${scan.done}/${scan.total}`);
    const q = pairQuality(pairs, truth);
    log(`  scan ${scanS.toFixed(1)} s: ${pairs.length} pairs, precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}`);
    if (q.recall < 0.95 || q.precision < 0.98)
      throw new Error(`the scan's recall ${q.recall} or precision ${q.precision} is below 0.95 / 0.98`);
    await s.worker.stop();
    const on = rounds.on / rounds.onS;
    const off = rounds.off / rounds.offS;
    return {
      bench: "dedupe",
      store: name,
      existing: o.existing,
      creates_per_s_on: round(on, 1),
      creates_per_s_off: round(off, 1),
      ratio: round(on / off),
      scan_s: round(scanS, 2),
      pairs_seeded: truth.length,
      pairs_found: pairs.length,
      precision: round(q.precision, 4),
      recall: round(q.recall, 4),
      clients: o.clients,
      cpus: cpus().length,
      load: round(loadavg()[0] ?? 0, 2),
    };
  } finally {
    await scratch.dispose();
  }
}

benchPerStore(
  { existing: { full: 100_000, quick: 2_000 }, seconds: { full: 5, quick: 0.3, fraction: true }, clients: { full: 4, quick: 2 } },
  (name, sizes) => benchStore(name, sizes),
);

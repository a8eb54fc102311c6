/**
 * `handoff ai …` end to end (issue 24): the real binary against a temp SQLite data directory with a
 * workspace "acme" holding 800 labelled tickets. A model is made from a file, trained (its
 * held-out quality printed), turned on, asked about a ticket (its reasons printed); a bad model is
 * refused by path with nothing saved; activity counts given to a classifier are refused by path;
 * usage mistakes exit 2.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../../src/app/context.js";
import { buildServices } from "../../src/composition/root.js";
import { labelledTickets } from "../../src/seed/demo-ticket-texts.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, runCli } from "./process.js";

let dir: string;
const acme = (...args: string[]) => runCli([...args, "-w", "acme", "--data-dir", dir]);
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};
const MODEL = { name: "Ticket category", object: "ticket", target: "category", text_fields: ["subject", "description"] };

beforeAll(async () => {
  assertBuilt();
  dir = tempDir("handoff-ai-cli-");
  const store = openSqliteStore({ file: join(dir, "handoff.db"), now: () => new Date().toISOString() });
  try {
    await store.migrate();
    const s = buildServices(store);
    const ws = await s.workspaces.create("acme", "Acme");
    await s.writer.createMany(
      systemContext(ws.id),
      "ticket",
      labelledTickets(800).map(({ subject, description, category }) => ({ subject, description, category })),
    );
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("handoff ai", () => {
  it("makes a model from a file, trains it, turns it on and explains a prediction", async () => {
    const made = await acme("ai", "create", "--file", file("model.json", MODEL));
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^created AI model Ticket category \(id \w+\): train it with handoff ai train "Ticket category"\n$/);
    expect((await acme("ai", "on", "Ticket category")).stderr).toContain("cannot be turned on before it is trained");

    const trained = await acme("ai", "train", "Ticket category");
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/^Ticket category: trained on 800 labelled tickets, \d+ held out\n/);
    // The most common label of the training side depends on which records the ids hold out (how-to and bug are close).
    expect(trained.stdout).toMatch(/accuracy {3}\d+\.\d % \(always "(how-to|bug)": \d+\.\d %\)/);
    expect(trained.stdout).toMatch(/\n {2}outage +precision +\d+\.\d % +recall/);
    expect(trained.stdout).toContain("ready: every label has at least 50 labelled records");
    // It waited for the background training, saying how far it was on stderr, phase by phase.
    const progress = trained.stderr.split("\n").filter((l) => l.startsWith("training Ticket category: "));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toBe("training Ticket category: done");
    const order = ["queued", "reading records", "learning", "measuring", "saving"];
    const seen = progress.slice(0, -1).map((l) => /^training Ticket category: ([a-z ]+) (\d+) %$/.exec(l));
    for (const m of seen) expect(m, progress.join("\n")).not.toBeNull();
    // Phases in their order, never back.
    const at = seen.map((m) => order.indexOf(m?.[1] ?? ""));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    // The version it kept.
    const versions = await acme("ai", "versions", "Ticket category");
    expect(versions.code, versions.stderr).toBe(0);
    expect(versions.stdout).toMatch(
      /^v1\t\d{4}-\d\d-\d\d \d\d:\d\d\t800 records \(\d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d\)\taccuracy \d+\.\d % \(baseline \d+\.\d %\)\tready\n$/,
    );

    const on = await acme("ai", "on", "Ticket category");
    expect(on.stdout).toBe("Ticket category is on\n");
    expect((await acme("ai")).stdout).toMatch(/^Ticket category\tticket\.category\ton\ttrained \d{4}-\d\d-\d\d on 800 \(accuracy/);

    const asked = await acme(
      "ai",
      "predict",
      "Ticket category",
      "--file",
      file("ticket.json", { subject: "Refund for invoice 4411", description: "We were charged twice, please refund." }),
    );
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toMatch(/^category = billing \(confidence \d+\.\d %\)\n {2}because of "\w+" in the (subject|description) \(\+\d/);
    const json = JSON.parse(
      (await acme("ai", "predict", "Ticket category", "--file", file("t2.json", { subject: "Site is down" }), "--json")).stdout,
    );
    expect(json).toMatchObject({ field: "category", value: "outage" });
    // Seven processes, each opening the store: minutes on a loaded machine.
  }, 120_000);

  it("refuses a bad model by path and usage mistakes with exit 2", async () => {
    const bad = await acme("ai", "create", "--file", file("bad.json", { ...MODEL, name: "Bad", target: "mood", threshold: 2 }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("threshold");
    expect((await acme("ai", "models")).stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect((await acme("ai", "predict", "Ticket category")).code).toBe(2);
    expect((await acme("ai", "train")).code).toBe(2);
    expect((await acme("ai", "dance")).code).toBe(2);
    // --activities reaches the service with the described record (a classifier counts none: refused by path)…
    const counted = await acme(
      "ai",
      "predict",
      "Ticket category",
      "--file",
      file("t3.json", { subject: "Hi" }),
      "--activities",
      "meeting=2",
    );
    expect(counted.code).toBe(1);
    expect(counted.stderr).toContain("activities.meeting");
    expect(counted.stderr).toContain('"Ticket category" counts no activities');
    // …and is a usage mistake beside a saved record or written otherwise than TYPE=COUNT.
    expect((await acme("ai", "predict", "Ticket category", "--record", "x", "--activities", "meeting=1")).code).toBe(2);
    expect((await acme("ai", "predict", "Ticket category", "--file", file("t4.json", {}), "--activities", "meeting")).code).toBe(2);
  }, 120_000);
});

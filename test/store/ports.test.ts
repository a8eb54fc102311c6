/**
 * The shape of the storage ports (issue 13), on both stores: the transaction and the store are
 * sets of small ports by feature, not one interface. That every port of `TxPorts` / `StorePorts`
 * is wired is checked by the compiler (sql-store.ts: `implements StoreTx` / `implements Store`);
 * what it cannot see is checked here: each port stays small, a method name is on one port only
 * (the name says which port it is on; the call-site codemod relies on it), and the benchmark's
 * scratch table and raw insert are in neither the production port nor the production schema.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreTx } from "../../src/store/ports.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { STORES, type TestStore } from "../helpers/stores.js";

const MAX_METHODS = 25;

/** A port's methods: the functions on its prototype chain, short of Object's. */
function methodsOf(port: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(port); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const name of Object.getOwnPropertyNames(p))
      if (name !== "constructor" && typeof (port as Record<string, unknown>)[name] === "function") names.add(name);
  return [...names];
}

/** The ports of a transaction or a store: its properties that are port implementations (sql/ports/*.ts). */
function portsOf(holder: object): Map<string, string[]> {
  const ports = new Map<string, string[]>();
  for (const [name, value] of Object.entries(holder))
    if (typeof value === "object" && value !== null && /^Sql[A-Z]/.test(value.constructor.name)) ports.set(name, methodsOf(value));
  return ports;
}

for (const kind of STORES) {
  describe.skipIf(kind.skip)(`storage ports on ${kind.name}`, () => {
    let t: TestStore;
    let txPorts: Map<string, string[]>;

    beforeAll(async () => {
      t = await kind.open();
      let seen: StoreTx | undefined;
      await t.store.transaction(async (tx) => {
        seen = tx;
      });
      txPorts = portsOf(seen as StoreTx);
    });
    afterAll(() => t.dispose());

    it("a transaction is a set of ports, none of more than 25 methods", () => {
      expect(txPorts.size).toBeGreaterThan(10);
      for (const [name, methods] of txPorts) expect(methods.length, `tx.${name}: ${methods.join(", ")}`).toBeLessThanOrEqual(MAX_METHODS);
      expect(txPorts.get("records")).toContain("getRecord");
    });

    it("a method name is on one port only", () => {
      const owner = new Map<string, string>();
      for (const [name, methods] of [...txPorts, ...portsOf(t.store)])
        for (const m of methods) {
          const first = owner.get(m);
          if (first !== undefined) expect(first, `${m} is on ${first} and on ${name}`).toBe(name);
          owner.set(m, name);
        }
    });

    it("the store's ports are the transaction's, plus the store's own (idempotency keys, the sandbox copy, the operational figures)", () => {
      const storePorts = portsOf(t.store);
      const own = ["idempotency", "sandboxCopy", "operations"];
      for (const [name, methods] of storePorts) {
        if (own.includes(name)) continue;
        expect(txPorts.get(name), `store.${name} has no port on the transaction`).toEqual(methods);
      }
      for (const name of own) {
        expect([...storePorts.keys()]).toContain(name);
        expect([...txPorts.keys()]).not.toContain(name);
      }
    });

    it("has no benchmark method and, migrated, no benchmark table (016 dropped bench_raw)", async () => {
      expect("rawInsert" in t.store).toBe(false);
      if (!(t.store instanceof SqlStore)) throw new Error("the test stores are SQL stores");
      const tables = (await t.store.db.introspection.getTables()).map((table) => table.name);
      expect(tables).toContain("records");
      expect(tables).not.toContain("bench_raw");
    });
  });
}

/**
 * Owner choice as pure strategies (crm/assignment): candidates, the rotation's state and the
 * target in; the owner, the rotation's new state and the reason out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Candidate, chooseOwner, OWNER_STRATEGIES, type RotationState } from "../../../src/crm/assignment/index.js";

const TEAM = { strategy: "round_robin", pool: "team Sales" } as const;
const none: ReadonlySet<string> = new Set();
const member = (id: string, name: string, active = true): Candidate => ({ id, name, active });

describe("round-robin", () => {
  const members = [member("u3", "Cleo"), member("u1", "Ann"), member("u2", "Bob", false), member("u4", "Dan")];

  it("picks the next active member after the last one, by id, wrapping around, and says why", () => {
    const first = chooseOwner({ target: TEAM, candidates: members, rotation: undefined, exclude: none });
    expect(first).toEqual({ ok: true, userId: "u1", why: "round-robin over team Sales: Ann is next (3 eligible)", rotation: "u1" });
    const second = chooseOwner({ target: TEAM, candidates: members, rotation: "u1", exclude: none });
    expect(second).toEqual({
      ok: true,
      userId: "u3",
      why: "round-robin over team Sales: Cleo is next after Ann (3 eligible)",
      rotation: "u3",
    });
    const wrapped = chooseOwner({ target: TEAM, candidates: members, rotation: "u4", exclude: none });
    expect(wrapped).toMatchObject({ ok: true, userId: "u1", why: "round-robin over team Sales: Ann is next after Dan (3 eligible)" });
  });

  it("names an inactive last pick, and skips the excluded current owner", () => {
    const choice = chooseOwner({ target: TEAM, candidates: members, rotation: "u2", exclude: new Set(["u3"]) });
    expect(choice).toEqual({
      ok: true,
      userId: "u4",
      why: "round-robin over team Sales: Dan is next after Bob (2 eligible)",
      rotation: "u4",
    });
  });

  it("fails with the reason when nobody is eligible", () => {
    expect(chooseOwner({ target: TEAM, candidates: [], rotation: undefined, exclude: none })).toEqual({
      ok: false,
      why: "team Sales has no active member to assign",
    });
    expect(chooseOwner({ target: TEAM, candidates: [member("u1", "Ann")], rotation: "u1", exclude: new Set(["u1"]) })).toEqual({
      ok: false,
      why: "team Sales has no active member to assign besides the current owner",
    });
  });

  it("over N calls gives each of k candidates ⌊N/k⌋ or ⌈N/k⌉ of them, wherever the rotation stood", () => {
    // Ids as the store makes them (ULIDs: digits and upper-case letters).
    const id = fc.string({ unit: fc.constantFrom(..."0123456789ABCDEFGHJKMNPQRSTVWXYZ"), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 100 }),
        fc.option(id, { nil: undefined }),
        (ids, n, start) => {
          const candidates = ids.map((i) => member(i, `name ${i}`));
          const counts = new Map<string, number>(ids.map((i) => [i, 0]));
          let rotation: RotationState = start;
          for (let call = 0; call < n; call++) {
            const choice = OWNER_STRATEGIES.round_robin({ target: TEAM, candidates, rotation, exclude: none });
            if (!choice.ok) throw new Error(choice.why);
            counts.set(choice.userId, (counts.get(choice.userId) ?? 0) + 1);
            rotation = choice.rotation;
          }
          const k = ids.length;
          for (const count of counts.values()) expect([Math.floor(n / k), Math.ceil(n / k)]).toContain(count);
        },
      ),
    );
  });
});

describe("a named person", () => {
  const target = { strategy: "person", spec: '{"field":"owner_id"}' } as const;
  const ann: Candidate = { id: "u1", name: "u1", active: true, found: "the record's owner_id (Ann)" };

  it("is chosen, with how they were found as the reason, and leaves the rotation alone", () => {
    expect(chooseOwner({ target, candidates: [ann], rotation: "u9", exclude: none })).toEqual({
      ok: true,
      userId: "u1",
      why: "the record's owner_id (Ann)",
      rotation: "u9",
    });
  });

  it("fails when the name leads nowhere, or back to the current owner", () => {
    const nobody = { ok: false, why: 'nobody to assign: {"field":"owner_id"} leads to no other user' };
    expect(chooseOwner({ target, candidates: [], rotation: undefined, exclude: none })).toEqual(nobody);
    expect(chooseOwner({ target, candidates: [ann], rotation: undefined, exclude: new Set(["u1"]) })).toEqual(nobody);
  });
});

describe("the company's owner", () => {
  const owner = member("u5", "Eve");

  it("is chosen, as the owner of the company", () => {
    expect(
      chooseOwner({ target: { strategy: "company_owner", company: "Acme" }, candidates: [owner], rotation: undefined, exclude: none }),
    ).toEqual({ ok: true, userId: "u5", why: "owner of company Acme", rotation: undefined });
  });

  it("fails without a company, an owner, or when the owner is excluded", () => {
    const why = "the record's company has no owner to assign";
    expect(
      chooseOwner({ target: { strategy: "company_owner", company: undefined }, candidates: [owner], rotation: undefined, exclude: none }),
    ).toEqual({ ok: false, why });
    expect(
      chooseOwner({ target: { strategy: "company_owner", company: "Acme" }, candidates: [], rotation: undefined, exclude: none }),
    ).toEqual({ ok: false, why });
    expect(
      chooseOwner({
        target: { strategy: "company_owner", company: "Acme" },
        candidates: [owner],
        rotation: undefined,
        exclude: new Set(["u5"]),
      }),
    ).toEqual({ ok: false, why });
  });
});

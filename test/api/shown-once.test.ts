/** What the idempotency middleware keeps of a response that carries a secret shown once. */
import { describe, expect, it } from "vitest";
import { WITHHELD_MESSAGE, withholdSecrets } from "../../src/api/shown-once.js";

describe("withholdSecrets", () => {
  it("removes the marked members, nested ones too, and says which", () => {
    const kept = withholdSecrets(JSON.stringify({ id: "h1", secret: "whsec_x", signing: { secret: "s", alg: "hmac" } }), [
      "secret",
      "signing.secret",
    ]);
    expect(kept.withheld).toEqual(["secret", "signing.secret"]);
    expect(JSON.parse(kept.body)).toEqual({
      id: "h1",
      signing: { alg: "hmac" },
      secret_withheld: { fields: ["secret", "signing.secret"], message: WITHHELD_MESSAGE },
    });
  });

  it("leaves a body without the marked members as it is (the route answered with an error)", () => {
    const problem = JSON.stringify({ type: "/problems/validation", status: 422 });
    expect(withholdSecrets(problem, ["secret"])).toEqual({ body: problem, withheld: [] });
  });

  it("keeps nothing of a body it cannot read", () => {
    for (const body of ["whsec_plain text", '["whsec_x"]', '"whsec_x"']) {
      const kept = withholdSecrets(body, ["secret"]);
      expect(kept.body).not.toContain("whsec_");
      expect(JSON.parse(kept.body)).toEqual({ secret_withheld: { fields: ["secret"], message: WITHHELD_MESSAGE } });
    }
  });
});

import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newMasterKey, parseMasterKey, SecretBox } from "../../src/app/secrets/secret-box.js";
import { SecretsUnavailableError } from "../../src/connectors/contract.js";

describe("SecretBox", () => {
  const box = new SecretBox(randomBytes(32));

  it("seals so that the plaintext does not appear, and opens what it sealed", () => {
    const sealed = box.seal({ password: "hunter2-very-secret" });
    expect(sealed).not.toContain("hunter2");
    expect(box.open(sealed)).toEqual({ password: "hunter2-very-secret" });
    expect(box.seal({ a: "x" })).not.toBe(box.seal({ a: "x" }));
  });

  it("fails closed, naming both keys, when another master key is configured", () => {
    const sealed = box.seal({ token: "t" });
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(sealed)).toThrow(SecretsUnavailableError);
    expect(() => other.open(sealed)).toThrow(new RegExp(`master key ${box.keyId}.*key ${other.keyId}`));
  });

  it("refuses a tampered value", () => {
    const parts = box.seal({ token: "t" }).split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => box.open(parts.join("."))).toThrow(/integrity/);
  });

  it("refuses to seal or open without a master key", () => {
    const none = new SecretBox(undefined);
    expect(none.configured).toBe(false);
    expect(() => none.seal({ a: "b" })).toThrow(/HANDOFF_MASTER_KEY/);
  });

  it("parses keys as hex or base64 and rejects other lengths", () => {
    expect(parseMasterKey(newMasterKey())).toHaveLength(32);
    expect(parseMasterKey("ab".repeat(32))).toHaveLength(32);
    expect(() => parseMasterKey("c2hvcnQ=")).toThrow(/32 bytes/);
  });
});

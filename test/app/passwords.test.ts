/** Password hashing (scrypt): right and wrong passwords, and hashes that fail closed. */
import { describe, expect, it } from "vitest";
import { hashPassword, passwordIssues, verifyPassword } from "../../src/app/auth/passwords.js";
import { SignInLimiter } from "../../src/app/auth/sign-in-limiter.js";

describe("password hashing", () => {
  it("verifies the password it was made from, and no other", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash: the same password twice gives two hashes", async () => {
    const [a, b] = await Promise.all([hashPassword("the same password"), hashPassword("the same password")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("the same password", a)).toBe(true);
    expect(await verifyPassword("the same password", b)).toBe(true);
  });

  it("fails closed on a tampered, truncated or hostile hash", async () => {
    const password = "correct horse battery staple";
    const hash = await hashPassword(password);
    const parts = hash.split("$");
    const flip = (s: string) => (s[0] === "A" ? `B${s.slice(1)}` : `A${s.slice(1)}`);
    const tampered = [
      [parts[0], parts[1], parts[2], parts[3], parts[4], flip(parts[5] as string)].join("$"), // key changed
      [parts[0], parts[1], parts[2], parts[3], flip(parts[4] as string), parts[5]].join("$"), // salt changed
      [parts[0], "16384", parts[2], parts[3], parts[4], parts[5]].join("$"), // N changed
      [parts[0], String(1 << 30), parts[2], parts[3], parts[4], parts[5]].join("$"), // N huge: refused, not computed
      [parts[0], "1000", parts[2], parts[3], parts[4], parts[5]].join("$"), // N not a power of two
      [parts[0], parts[1], "0", parts[3], parts[4], parts[5]].join("$"),
      [parts[0], parts[1], parts[2], "99", parts[4], parts[5]].join("$"),
      ["bcrypt", ...parts.slice(1)].join("$"),
      parts.slice(0, 5).join("$"), // no key
      `${hash}$extra`,
      [parts[0], parts[1], parts[2], parts[3], parts[4], "a+b/c="].join("$"),
      [parts[0], parts[1], parts[2], parts[3], parts[4], "AAAA"].join("$"), // key too short
      "",
      password,
    ];
    for (const stored of tampered) expect(await verifyPassword(password, stored), stored).toBe(false);
  });

  it("names the field for a password that is too short, too long, not text or not a string", () => {
    expect(passwordIssues("x".repeat(12))).toEqual([]);
    expect(passwordIssues("x".repeat(1024))).toEqual([]);
    for (const bad of ["x".repeat(11), "x".repeat(1025), "twelve chars\u0000!", "twelve chars\uD800!", 123456789012345, null, undefined]) {
      const issues = passwordIssues(bad);
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toEqual(["password"]);
    }
  });
});

describe("the sign-in limiter", () => {
  it("refuses after the limit per email and per address, for as long as the oldest failure counts", () => {
    let now = 0;
    const limiter = new SignInLimiter({ perEmail: 3, perIp: 5, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter("1.1.1.1", "a@x.test")).toBe(0);
      limiter.fail("1.1.1.1", "a@x.test");
      now += 1_000;
    }
    expect(limiter.retryAfter("1.1.1.1", "A@x.test")).toBe(57);
    expect(limiter.retryAfter("2.2.2.2", "a@x.test")).toBe(57);
    expect(limiter.retryAfter("1.1.1.1", "b@x.test")).toBe(0);
    limiter.fail("1.1.1.1", "b@x.test");
    limiter.fail("1.1.1.1", "c@x.test");
    expect(limiter.retryAfter("1.1.1.1", "d@x.test")).toBeGreaterThan(0);
    expect(limiter.retryAfter("2.2.2.2", "d@x.test")).toBe(0);
    now += 60_000;
    expect(limiter.retryAfter("1.1.1.1", "a@x.test")).toBe(0);
  });
});

/**
 * Who the client is (src/composition/trusted-proxies.ts), as a rule: from a peer that is not a
 * trusted proxy the forwarding headers change nothing; behind trusted proxies X-Forwarded-For is
 * read from the right past every trusted hop; a header that cannot be read leaves the peer.
 * And HANDOFF_TRUSTED_PROXIES itself: what it takes, and the start-up error naming a bad entry.
 * The same rules over real HTTP: test/api/trusted-proxies.test.ts.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/composition/config.js";
import { type RequestOrigin, TrustedProxies } from "../../src/composition/trusted-proxies.js";

const origin = (peer: string, headers: { xff?: string; proto?: string } = {}, tls = false): RequestOrigin => ({
  peer,
  tls,
  forwardedFor: headers.xff,
  forwardedProto: headers.proto,
});

describe("the client of a request", () => {
  it("is the peer, headers ignored, when nothing is trusted (the default)", () => {
    const none = new TrustedProxies([]);
    expect(none.clientOf(origin("203.0.113.9", { xff: "198.51.100.1", proto: "https" }))).toEqual({
      address: "203.0.113.9",
      https: false,
    });
    expect(none.clientOf(origin("203.0.113.9", {}, true))).toEqual({ address: "203.0.113.9", https: true });
    expect(none.clientOf({ peer: undefined, tls: false, forwardedFor: "198.51.100.1", forwardedProto: undefined })).toEqual({
      address: "unknown",
      https: false,
    });
  });

  it("ignores the headers of a peer that is not listed, however they are spelled", () => {
    const trusted = new TrustedProxies(["10.0.0.0/8"]);
    for (const xff of ["10.0.0.1", "198.51.100.1", "198.51.100.1, 10.0.0.1", "garbage"]) {
      expect(trusted.clientOf(origin("203.0.113.9", { xff, proto: "https" })), xff).toEqual({ address: "203.0.113.9", https: false });
    }
  });

  it("behind a trusted proxy, is the address it forwarded for, and believes its X-Forwarded-Proto", () => {
    const trusted = new TrustedProxies(["10.0.0.5"]);
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "198.51.100.1", proto: "https" }))).toEqual({
      address: "198.51.100.1",
      https: true,
    });
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "198.51.100.1", proto: "http" })).https).toBe(false);
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "198.51.100.1", proto: "HTTPS" })).https).toBe(true);
    // The scheme the client-facing proxy saw comes first when a proxy appends.
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "198.51.100.1", proto: "https, http" })).https).toBe(true);
    // A TLS connection is HTTPS whatever the header says.
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "198.51.100.1", proto: "http" }, true)).https).toBe(true);
    // No header: the proxy itself is the client (its health checks, say).
    expect(trusted.clientOf(origin("10.0.0.5"))).toEqual({ address: "10.0.0.5", https: false });
    expect(trusted.clientOf(origin("10.0.0.5", { xff: " , " }))).toEqual({ address: "10.0.0.5", https: false });
  });

  it("takes the rightmost untrusted hop: what a client writes in the header itself is to the left of it", () => {
    const trusted = new TrustedProxies(["10.0.0.5"]);
    // The client sent "X-Forwarded-For: 192.0.2.77"; the proxy appended the address it saw.
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "192.0.2.77, 198.51.100.1" })).address).toBe("198.51.100.1");
    // Anything left of the client's hop is never read, not even when it is garbage.
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "garbage, 198.51.100.1" })).address).toBe("198.51.100.1");
  });

  it("walks a chain of several trusted proxies to the first hop that is not one", () => {
    const trusted = new TrustedProxies(["10.0.0.0/8", "192.168.1.10", "fd00::/8"]);
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "192.0.2.77, 198.51.100.1, 192.168.1.10, 10.9.8.7" })).address).toBe("198.51.100.1");
    expect(trusted.clientOf(origin("fd00::1", { xff: "2001:db8::42, fd00::2" })).address).toBe("2001:db8::42");
    // Every hop trusted: the furthest one is the client (someone inside the proxies' own network).
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "10.1.1.1, 192.168.1.10" })).address).toBe("10.1.1.1");
    // Several X-Forwarded-For lines arrive joined with commas: the same walk.
    expect(trusted.clientOf(origin("10.0.0.5", { xff: "198.51.100.1,10.2.2.2" })).address).toBe("198.51.100.1");
  });

  it("falls back to the peer when a hop it has to read is not an address, and never throws", () => {
    const trusted = new TrustedProxies(["10.0.0.0/8"]);
    for (const xff of [
      "unknown",
      "198.51.100.1, not-an-ip",
      "198.51.100.1,,10.0.0.2",
      "010.0.0.1",
      "127.1",
      "1.2.3.4.5",
      "x".repeat(8_000),
    ]) {
      expect(trusted.clientOf(origin("10.0.0.5", { xff, proto: "https" })), xff).toEqual({ address: "10.0.0.5", https: true });
    }
  });

  it("reads hops with ports and in brackets, and spells each address one way (one client, one key)", () => {
    const trusted = new TrustedProxies(["10.0.0.5"]);
    const address = (xff: string) => trusted.clientOf(origin("10.0.0.5", { xff })).address;
    expect(address("198.51.100.1:51234")).toBe("198.51.100.1");
    expect(address("[2001:DB8:0::1]:443")).toBe("2001:db8::1");
    expect(address("[2001:db8::1]")).toBe("2001:db8::1");
    expect(address("::ffff:198.51.100.1")).toBe("198.51.100.1");
  });

  it("recognises a trusted peer in the spelling of a dual-stack socket (IPv4-mapped IPv6)", () => {
    const trusted = new TrustedProxies(["127.0.0.1"]);
    expect(trusted.clientOf(origin("::ffff:127.0.0.1", { xff: "198.51.100.1" })).address).toBe("198.51.100.1");
    expect(new TrustedProxies(["10.0.0.0/8"]).clientOf(origin("::ffff:10.3.3.3", { xff: "198.51.100.1" })).address).toBe("198.51.100.1");
    // ::1 is not 127.0.0.1: each loopback is listed on its own.
    expect(trusted.clientOf(origin("::1", { xff: "198.51.100.1" })).address).toBe("::1");
  });
});

describe("HANDOFF_TRUSTED_PROXIES", () => {
  it("is empty by default and takes addresses and CIDR ranges, IPv4 and IPv6, comma-separated", () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ HANDOFF_TRUSTED_PROXIES: "" }).trustedProxies).toEqual([]);
    expect(loadConfig({ HANDOFF_TRUSTED_PROXIES: " 10.0.0.5, 10.0.0.0/8 ,, ::1, [fd00::7], fd00::/8 " }).trustedProxies).toEqual([
      "10.0.0.5",
      "10.0.0.0/8",
      "::1",
      "[fd00::7]",
      "fd00::/8",
    ]);
  });

  it("refuses a malformed entry at start, naming it (names, shorthands and bad ranges included)", () => {
    for (const bad of ["proxy.internal", "10.0.0.0/33", "fd00::/129", "127.1", "10", "010.0.0.1", "10.0.0.5:8080", "10/8", "*"]) {
      const env = { HANDOFF_TRUSTED_PROXIES: `10.0.0.5, ${bad}` };
      expect(() => loadConfig(env), bad).toThrow(ConfigError);
      expect(() => loadConfig(env), bad).toThrow(
        `trustedProxies.1: HANDOFF_TRUSTED_PROXIES entry "${bad}" is not an IP address or CIDR range`,
      );
    }
  });

  it("is refused the same way by the edge itself, should a list reach it unchecked", () => {
    expect(() => new TrustedProxies(["10.0.0.5", "proxy.internal"])).toThrow(/"proxy\.internal"/);
  });
});

/**
 * Which IP addresses an outbound call may reach by default. Pure: parsing and range tables come
 * from ipaddr.js; only what it lacks is written here (cloud metadata endpoints, IPv4-compatible
 * IPv6, and decoding the IPv4 address that NAT64 / 6to4 / Teredo addresses carry).
 *
 * The rule: only a `unicast` address (ipaddr.js's name for "none of the special ranges") is
 * reachable. Every other range — including ones a future ipaddr.js adds — is refused.
 */
import ipaddr from "ipaddr.js";

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Link-local or private, but worth naming: they hand out cloud credentials. */
const METADATA: ReadonlyMap<string, string> = new Map([
  ["169.254.169.254", "link-local (cloud metadata)"],
  ["169.254.170.2", "link-local (cloud metadata: ECS task credentials)"],
  ["100.100.100.200", "shared address space (cloud metadata: Alibaba Cloud)"],
  ["fd00:ec2::254", "unique-local (cloud metadata: EC2 over IPv6)"],
]);

const IPV4_REASONS: Readonly<Record<string, string>> = {
  unspecified: "unspecified (0.0.0.0/8, this network)",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local",
  loopback: "loopback",
  carrierGradeNat: "shared address space (CGNAT 100.64.0.0/10)",
  private: "private (RFC 1918)",
  reserved: "reserved",
  as112: "reserved (AS112 DNS sink)",
  amt: "reserved (AMT relay anycast)",
};

const IPV6_REASONS: Readonly<Record<string, string>> = {
  unspecified: "unspecified (::)",
  linkLocal: "link-local",
  multicast: "multicast",
  loopback: "loopback",
  uniqueLocal: "unique-local (fc00::/7)",
  deprecatedSiteLocal: "site-local (deprecated, fec0::/10)",
  discard: "discard-only (100::/64)",
  benchmarking: "reserved (benchmarking)",
  amt: "reserved (AMT)",
  as112v6: "reserved (AS112 DNS sink)",
  deprecatedOrchid: "reserved (ORCHID)",
  orchid2: "reserved (ORCHIDv2)",
  droneRemoteIdProtocolEntityTags: "reserved (DRIP entity tags)",
  segmentRouting: "reserved (segment routing)",
  reserved: "reserved (documentation or unassigned)",
};

/** The same address, for the cases where ipaddr.js gives an IPv6 address that carries an IPv4 one. */
interface Embedded {
  form: string;
  ipv4: ipaddr.IPv4[];
}

function ipv4From(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** IPv6 forms that reach an IPv4 address; a refused IPv4 address stays refused in them. */
function embeddedIpv4(address: ipaddr.IPv6): Embedded | undefined {
  const p = address.parts;
  switch (address.range()) {
    case "ipv4Mapped":
      return { form: "IPv4-mapped", ipv4: [ipv4From(p[6] ?? 0, p[7] ?? 0)] };
    case "rfc6145":
      return { form: "IPv4-translated", ipv4: [ipv4From(p[6] ?? 0, p[7] ?? 0)] };
    case "rfc6052":
      // 64:ff9b::/96 carries the address in its last 32 bits; the local-use 64:ff9b:1::/48 may
      // place it elsewhere (RFC 6052 §2.2), so that one is refused whole below.
      return p[2] === 0 ? { form: "NAT64", ipv4: [ipv4From(p[6] ?? 0, p[7] ?? 0)] } : undefined;
    case "6to4":
      return { form: "6to4", ipv4: [ipv4From(p[1] ?? 0, p[2] ?? 0)] };
    case "teredo":
      // Teredo: the server's address in bits 32–63, the client's in the last 32 bits, inverted.
      return { form: "Teredo", ipv4: [ipv4From(p[2] ?? 0, p[3] ?? 0), ipv4From(~(p[6] ?? 0) & 0xffff, ~(p[7] ?? 0) & 0xffff)] };
    case "unicast":
      // IPv4-compatible ::a.b.c.d (deprecated, RFC 4291 §2.5.5.1); ipaddr.js calls it unicast.
      return p.slice(0, 6).every((x) => x === 0) ? { form: "IPv4-compatible", ipv4: [ipv4From(p[6] ?? 0, p[7] ?? 0)] } : undefined;
    default:
      return undefined;
  }
}

/** Why `address` may not be reached by default, or undefined when it is a public unicast address. */
export function refusalReason(address: IpAddress): string | undefined {
  const metadata = METADATA.get(address.toNormalizedString()) ?? METADATA.get(address.toString());
  if (metadata) return metadata;
  if (address.kind() === "ipv4") {
    const range = address.range();
    return range === "unicast" ? undefined : (IPV4_REASONS[range] ?? `reserved (${range})`);
  }
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIpv4(v6);
  if (embedded) {
    for (const ipv4 of embedded.ipv4) {
      const reason = refusalReason(ipv4);
      if (reason) return `${embedded.form} ${ipv4.toString()}, which is ${reason}`;
    }
    return undefined;
  }
  const range = v6.range();
  if (range === "rfc6052") return "NAT64 local-use prefix (64:ff9b:1::/48)";
  return range === "unicast" ? undefined : (IPV6_REASONS[range] ?? `reserved (${range})`);
}

/** Parses an address as the resolver or the URL parser spells it; IPv6 zone ids are dropped. */
export function parseAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return undefined;
  const address = ipaddr.parse(bare);
  if (address.kind() === "ipv6") delete (address as ipaddr.IPv6).zoneId;
  return address;
}

/** The IPv4 address behind an IPv4-mapped IPv6 one, else the address itself: for allow-list matches. */
export function unmapped(address: IpAddress): IpAddress {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

/**
 * An IP address or a CIDR range as an operator writes one in a setting: the one parser and the
 * one match of both, shared by the egress allow-list (HANDOFF_EGRESS_ALLOW) and the trusted
 * proxies (HANDOFF_TRUSTED_PROXIES). An IPv4-mapped IPv6 address matches as its IPv4 address,
 * so "10.0.0.0/8" also covers ::ffff:10.0.0.1, the spelling a dual-stack socket reports.
 */
import ipaddr from "ipaddr.js";
import { type IpAddress, parseAddress, unmapped } from "./addresses.js";

export type AddressPattern = { kind: "address"; address: IpAddress } | { kind: "range"; range: [IpAddress, number] };

/** A CIDR range ("10.0.0.0/8", "fd00::/8"), or undefined when `text` is not one. */
export function parseRange(text: string): [IpAddress, number] | undefined {
  return ipaddr.isValidCIDR(text) ? ipaddr.parseCIDR(text) : undefined;
}

/**
 * An address written in full: IPv4 as four decimal parts, IPv6 bare or in brackets (a zone id is
 * dropped). The shorthands ipaddr.js also reads are refused — "127.1", "10" (0.0.0.10), octal
 * "010.0.0.1" (8.0.0.1) — where an address decides whom to trust, a surprise is a hole.
 */
export function parseFullAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  return bare.includes(":") && ipaddr.IPv6.isValid(bare) ? parseAddress(bare) : undefined;
}

/**
 * An address ("10.1.2.3", "::1", "[::1]") or a CIDR range ("10.0.0.0/8", "fd00::/8"), each
 * address written in full, or undefined when `text` is neither.
 */
export function parseAddressPattern(text: string): AddressPattern | undefined {
  const entry = text.trim();
  const slash = entry.indexOf("/");
  if (slash >= 0) {
    const range = parseFullAddress(entry.slice(0, slash)) ? parseRange(entry) : undefined;
    return range ? { kind: "range", range } : undefined;
  }
  const address = parseFullAddress(entry);
  return address ? { kind: "address", address: unmapped(address) } : undefined;
}

/** Whether `address` is the pattern's address or lies in its range, in either spelling of a mapped address. */
export function matchesPattern(pattern: AddressPattern, address: IpAddress): boolean {
  return [address, unmapped(address)].some((a) =>
    pattern.kind === "address"
      ? a.kind() === pattern.address.kind() && a.toNormalizedString() === pattern.address.toNormalizedString()
      : a.kind() === pattern.range[0].kind() && a.match(pattern.range),
  );
}

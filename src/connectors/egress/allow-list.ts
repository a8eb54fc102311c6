/**
 * The operator's allow-list: hosts, host:port pairs, addresses and CIDR ranges that the egress
 * guard lets through even though they are private, loopback … (tests, on-premise systems).
 * Entries are parsed once; a malformed entry is a configuration error, not a silent no-op.
 */
import { matchesPattern, parseRange } from "./address-patterns.js";
import { type IpAddress, parseAddress, unmapped } from "./addresses.js";

type Entry =
  | { kind: "host"; host: string; port?: number }
  | { kind: "address"; address: IpAddress; port?: number }
  | { kind: "range"; range: [IpAddress, number] };

export class AllowEntryError extends Error {}

/** Lower case, no trailing dot: the form in which hostnames are compared. */
export function canonicalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}

/** Parses one entry; throws AllowEntryError saying what is wrong with it. */
export function parseAllowEntry(text: string): Entry {
  const entry = text.trim();
  const invalid = (why: string) => new AllowEntryError(`egress allow-list entry "${text}": ${why}`);
  if (entry.includes("/")) {
    const range = parseRange(entry);
    if (!range) throw invalid("not a CIDR range such as 10.0.0.0/8 or fd00::/8");
    return { kind: "range", range };
  }
  // A bare IPv6 address has colons of its own; it can only carry a port inside brackets.
  const bare = parseAddress(entry);
  if (bare && entry.includes(":")) return { kind: "address", address: unmapped(bare) };
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!match?.[1]) throw invalid("expected host, host:port, an IP address or a CIDR range");
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw invalid("port out of range");
  let host: string;
  try {
    // The URL parser normalises the host as it will be normalised in requests (127.1 → 127.0.0.1, IDN → punycode).
    host = new URL(`http://${match[1]}/`).hostname;
  } catch {
    throw invalid("not a valid host name");
  }
  const address = parseAddress(host);
  if (address) return { kind: "address", address: unmapped(address), ...(port ? { port } : {}) };
  return { kind: "host", host: canonicalHost(host), ...(port ? { port } : {}) };
}

export class AllowList {
  private readonly entries: readonly Entry[];

  constructor(entries: readonly string[]) {
    this.entries = entries.filter((e) => e.trim() !== "").map(parseAllowEntry);
  }

  /** Whether the host name itself (as written in the URL or given for SMTP) is allowed on this port. */
  allowsHost(host: string, port: number): boolean {
    const name = canonicalHost(host);
    return this.entries.some((e) => e.kind === "host" && e.host === name && (e.port === undefined || e.port === port));
  }

  /** Whether a resolved address is allowed on this port by an address or CIDR entry. */
  allowsAddress(address: IpAddress, port: number): boolean {
    // An IPv4-mapped address is compared in both spellings, so "10.0.0.0/8" also opens ::ffff:10.0.0.1.
    return this.entries.some((e) => {
      if (e.kind === "address") return matchesPattern(e, address) && (e.port === undefined || e.port === port);
      if (e.kind === "range") return matchesPattern(e, address);
      return false;
    });
  }
}

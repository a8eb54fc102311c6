/**
 * The egress guard (engineering.md §4.1): every user-configured outbound call asks it where to
 * connect. It resolves the host once, refuses the whole destination if any resolved address is
 * loopback, private, link-local, metadata … (unless the allow-list opens it), and hands back the
 * checked addresses so that the caller connects to exactly those — no second resolution that a
 * DNS rebinding attacker could answer differently.
 */
import { lookup } from "node:dns/promises";
import { type IpAddress, parseAddress, refusalReason } from "./addresses.js";
import { AllowList } from "./allow-list.js";

/** The destination is not allowed. Permanent: retrying cannot change the answer. */
export class EgressRefusedError extends Error {
  readonly retryable = false;
  constructor(
    /** The host as given (URL host or SMTP host). */
    readonly host: string,
    /** Why, e.g. "169.254.169.254 is link-local (cloud metadata)". */
    readonly reason: string,
  ) {
    super(`egress refused: ${reason}`);
    this.name = "EgressRefusedError";
  }
}

/** An allowed host name could not be resolved (no such name, resolver down). Retryable. */
export class HostLookupError extends Error {
  readonly retryable = true;
  constructor(
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot resolve ${host}: ${(options?.cause as Error | undefined)?.message ?? "no address"}`, options);
    this.name = "HostLookupError";
  }
}

export interface EgressOptions {
  /**
   * Destinations opened despite the default refusals: "host", "host:port", an IP address
   * ("10.1.2.3", "[::1]:8080") or a CIDR range ("10.0.0.0/8"). Default: none.
   */
  allow: readonly string[];
}

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

export interface CheckedDestination extends CheckedAddress {
  url: URL;
  /** Every address the host resolved to, all checked, in resolver order (`address` is the first). */
  addresses: readonly CheckedAddress[];
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443 };

export class EgressGuard {
  private readonly allow: AllowList;

  constructor(options: EgressOptions) {
    this.allow = new AllowList(options.allow);
  }

  /**
   * Checks a URL (http/https only) and resolves it; returns the address to connect to. Throws
   * EgressRefusedError, or HostLookupError (retryable) when the name does not resolve.
   */
  async check(url: string | URL): Promise<CheckedDestination> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new EgressRefusedError(String(url), `${String(url)} is not a valid URL`);
    }
    const defaultPort = DEFAULT_PORTS[parsed.protocol];
    if (defaultPort === undefined) {
      throw new EgressRefusedError(parsed.host, `scheme ${parsed.protocol} is not allowed (only http: and https:)`);
    }
    // The WHATWG parser has already turned 127.1, 0x7f000001, 0177.0.0.1 … into 127.0.0.1.
    const port = parsed.port === "" ? defaultPort : Number(parsed.port);
    const checked = await this.resolveHost(parsed.hostname, port);
    return { url: parsed, ...checked };
  }

  /**
   * For non-HTTP protocols (SMTP): resolves host and returns a checked address to connect to
   * (`addresses`: all of them, for a client that tries several). Throws as `check` does.
   */
  async resolveChecked(host: string, port: number): Promise<CheckedAddress & { addresses: readonly CheckedAddress[] }> {
    return this.resolveHost(normalizeHost(host), port);
  }

  private async resolveHost(hostname: string, port: number): Promise<CheckedAddress & { addresses: readonly CheckedAddress[] }> {
    const literal = parseAddress(hostname);
    const addresses = literal ? [toChecked(literal)] : await resolveAll(hostname);
    // A host name on the allow-list opens every address it resolves to (an on-premise system's name).
    const openedByName = !literal && this.allow.allowsHost(hostname, port);
    for (const checked of openedByName ? [] : addresses) {
      const address = parseAddress(checked.address);
      if (!address) throw new EgressRefusedError(hostname, `${hostname} resolved to an unparseable address ${checked.address}`);
      if (this.allow.allowsAddress(address, port)) continue;
      const reason = refusalReason(address);
      if (reason === undefined) continue;
      const subject = literal ? `${checked.address} is` : `${hostname} resolves to ${checked.address}, which is`;
      throw new EgressRefusedError(hostname, `${subject} ${reason}`);
    }
    const [first] = addresses;
    if (!first) throw new HostLookupError(hostname);
    return { ...first, addresses };
  }
}

/**
 * Brings an SMTP-style host (no URL around it) into the form URLs have: odd IPv4 spellings as
 * dotted quads, IPv6 in brackets, names in lower-case punycode. The resolver would accept the
 * odd spellings too; normalising them first makes the check and the refusal message exact.
 */
function normalizeHost(host: string): string {
  const bracketed = !host.startsWith("[") && parseAddress(host)?.kind() === "ipv6" ? `[${host}]` : host;
  try {
    return new URL(`http://${bracketed}/`).hostname;
  } catch {
    throw new EgressRefusedError(host, `${host} is not a valid host name`);
  }
}

function toChecked(address: IpAddress): CheckedAddress {
  return { address: address.toString(), family: address.kind() === "ipv4" ? 4 : 6 };
}

/** All addresses, so that one private address among public ones is still caught. */
async function resolveAll(hostname: string): Promise<CheckedAddress[]> {
  try {
    const found = await lookup(hostname, { all: true });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch (cause) {
    throw new HostLookupError(hostname, { cause });
  }
}

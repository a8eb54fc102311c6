/**
 * Who the client is: the one answer every use of the client's address reads (the sign-in
 * limiter, the approval links' limiter) and the one judge of whether the request came over
 * HTTPS (the session cookie's Secure flag). See docs/security.md, "Behind a reverse proxy".
 *
 * Without trusted proxies (the default) the client is the connection's peer and the forwarding
 * headers are never read. When the peer is one of HANDOFF_TRUSTED_PROXIES, its headers are
 * believed: the client is the first address of `X-Forwarded-For` read from the right that is not
 * a trusted proxy itself (each proxy appends the address it saw, so everything left of that is
 * whatever the client chose to send), and `X-Forwarded-Proto: https` means the client used TLS.
 * A header that cannot be read as addresses leaves the peer as the client: never a crash, and
 * never an address an attacker wrote.
 */
import { type AddressPattern, matchesPattern, parseAddressPattern, parseFullAddress } from "../connectors/egress/address-patterns.js";
import { type IpAddress, unmapped } from "../connectors/egress/addresses.js";

/** What the request's connection and headers say, as the HTTP edge reads them. */
export interface RequestOrigin {
  /** The connection's peer as the socket reports it (undefined when there is no socket, e.g. in-process requests). */
  peer: string | undefined;
  /** Whether the connection itself is TLS. */
  tls: boolean;
  forwardedFor: string | undefined;
  forwardedProto: string | undefined;
}

export interface Client {
  /** The client's address, normalised (an IPv4-mapped address as IPv4, IPv6 in its short form), or "unknown". */
  address: string;
  /** Whether the client reached Handoff over HTTPS (this connection's TLS, or a trusted proxy's word). */
  https: boolean;
}

/** Why a HANDOFF_TRUSTED_PROXIES entry cannot be read, or undefined when it can. */
export function trustedProxyEntryProblem(entry: string): string | undefined {
  if (parseAddressPattern(entry)) return undefined;
  return `HANDOFF_TRUSTED_PROXIES entry "${entry}" is not an IP address or CIDR range written in full (such as 10.0.0.5, 10.0.0.0/8, ::1 or fd00::/8; names are not resolved)`;
}

export class TrustedProxies {
  private readonly patterns: readonly AddressPattern[];

  /** Entries as the configuration checked them; a malformed one throws, naming it. */
  constructor(entries: readonly string[]) {
    this.patterns = entries.map((entry) => {
      const pattern = parseAddressPattern(entry);
      if (!pattern) throw new Error(trustedProxyEntryProblem(entry));
      return pattern;
    });
  }

  /** The client of a request with this origin. */
  clientOf(origin: RequestOrigin): Client {
    const peer = origin.peer === undefined ? undefined : parseFullAddress(origin.peer);
    const fromPeer = { address: peer ? spelled(peer) : (origin.peer ?? "unknown"), https: origin.tls };
    if (!peer || !this.trusts(peer)) return fromPeer;
    const https = origin.tls || firstValue(origin.forwardedProto) === "https";
    const hops = origin.forwardedFor?.split(",") ?? [];
    if (hops.every((h) => h.trim() === "")) return { address: fromPeer.address, https };
    let client: IpAddress | undefined;
    for (let i = hops.length - 1; i >= 0; i--) {
      client = forwardedAddress(hops[i] as string);
      if (!client) return { address: fromPeer.address, https };
      if (!this.trusts(client)) break;
    }
    // Every hop trusted: the leftmost is the furthest Handoff can see.
    return { address: spelled(client as IpAddress), https };
  }

  private trusts(address: IpAddress): boolean {
    return this.patterns.some((p) => matchesPattern(p, address));
  }
}

/** One hop of X-Forwarded-For: an address, some proxies adding the port ("1.2.3.4:5678", "[2001:db8::1]:443"). */
function forwardedAddress(hop: string): IpAddress | undefined {
  const text = hop.trim();
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  const v6WithPort = /^(\[[^\]]+\]):\d{1,5}$/.exec(text);
  return parseFullAddress(v4WithPort?.[1] ?? v6WithPort?.[1] ?? text);
}

/**
 * The first value of X-Forwarded-Proto, the scheme the client-facing proxy saw (a proxy that
 * appends rather than sets it leaves that first). A client can only lie about its own cookie's
 * Secure flag with it, and only by sending it through a trusted proxy that passes it on.
 */
function firstValue(header: string | undefined): string | undefined {
  return header?.split(",")[0]?.trim().toLowerCase();
}

/** One spelling per address, so that one client is one key of a rate limit. */
function spelled(address: IpAddress): string {
  return unmapped(address).toString();
}

/**
 * The egress guard and the guarded HTTP transport, over real sockets: receivers are real HTTP
 * servers on 127.0.0.1, opened by the allow-list. There is no public DNS here, so the resolution
 * path is exercised with `localhost`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/composition/config.js";
import { AllowEntryError } from "../../src/connectors/egress/allow-list.js";
import { EgressGuard, EgressRefusedError } from "../../src/connectors/egress/guard.js";
import {
  HttpConnectionError,
  HttpTimeoutError,
  ResponseTooLargeError,
  sendHttp,
  TooManyRedirectsError,
} from "../../src/connectors/egress/http-transport.js";

const noAllow = new EgressGuard({ allow: [] });

async function refusal(work: Promise<unknown>): Promise<EgressRefusedError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EgressRefusedError);
  return error as EgressRefusedError;
}

describe("EgressGuard refuses non-public destinations", () => {
  // URL → what the refusal must say. Odd IPv4 spellings reach the guard normalised by the URL parser.
  const refused: [string, RegExp][] = [
    ["http://127.0.0.1/", /127\.0\.0\.1 is loopback/],
    ["http://127.1/", /127\.0\.0\.1 is loopback/],
    ["http://0x7f000001/", /127\.0\.0\.1 is loopback/],
    ["http://2130706433/", /127\.0\.0\.1 is loopback/],
    ["http://0177.0.0.1/", /127\.0\.0\.1 is loopback/],
    ["http://017700000001/", /127\.0\.0\.1 is loopback/],
    ["http://0x7f.0.0.1/", /127\.0\.0\.1 is loopback/],
    ["http://0x7f.1/", /127\.0\.0\.1 is loopback/],
    ["http://127.0.0.1./", /127\.0\.0\.1 is loopback/],
    ["http://user:pass@127.0.0.1:6379/", /127\.0\.0\.1 is loopback/],
    ["http://[::1]/", /::1 is loopback/],
    ["http://[::ffff:127.0.0.1]/", /IPv4-mapped 127\.0\.0\.1, which is loopback/],
    ["http://[::ffff:7f00:1]/", /IPv4-mapped 127\.0\.0\.1, which is loopback/],
    ["http://[0:0:0:0:0:ffff:127.0.0.1]/", /IPv4-mapped 127\.0\.0\.1, which is loopback/],
    ["http://[::ffff:0:7f00:1]/", /IPv4-translated 127\.0\.0\.1, which is loopback/],
    ["http://[::7f00:1]/", /IPv4-compatible 127\.0\.0\.1, which is loopback/],
    ["http://localhost/", /localhost resolves to 127\.0\.0\.1, which is loopback/],
    ["http://LOCALHOST:8080/", /localhost resolves to 127\.0\.0\.1, which is loopback/],
    ["http://10.0.0.1/", /10\.0\.0\.1 is private \(RFC 1918\)/],
    ["https://172.16.0.1:8443/x", /172\.16\.0\.1 is private/],
    ["http://192.168.1.1/", /192\.168\.1\.1 is private/],
    ["http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254 is link-local \(cloud metadata\)/],
    ["http://169.254.170.2/v2/credentials", /169\.254\.170\.2 is link-local \(cloud metadata/],
    ["http://[::ffff:169.254.169.254]/", /IPv4-mapped 169\.254\.169\.254, which is link-local \(cloud metadata\)/],
    ["http://[fd00:ec2::254]/", /fd00:ec2::254 is unique-local \(cloud metadata/],
    ["http://169.254.1.1/", /169\.254\.1\.1 is link-local$/],
    ["http://[fe80::1]/", /fe80::1 is link-local/],
    ["http://100.64.0.1/", /100\.64\.0\.1 is shared address space \(CGNAT/],
    ["http://0.0.0.0/", /0\.0\.0\.0 is unspecified/],
    ["http://0/", /0\.0\.0\.0 is unspecified/],
    ["http://[::]/", /:: is unspecified/],
    ["http://[fc00::1]/", /fc00::1 is unique-local/],
    ["http://[64:ff9b::7f00:1]/", /NAT64 127\.0\.0\.1, which is loopback/],
    ["http://[64:ff9b::a9fe:a9fe]/", /NAT64 169\.254\.169\.254, which is link-local \(cloud metadata\)/],
    ["http://[64:ff9b:1::a00:1]/", /NAT64 local-use/],
    ["http://[2002:7f00:1::]/", /6to4 127\.0\.0\.1, which is loopback/],
    ["http://[2002:a00:1::1]/", /6to4 10\.0\.0\.1, which is private/],
    ["http://[2001:0:7f00:1::]/", /Teredo 127\.0\.0\.1, which is loopback/],
    ["http://[2001:0:808:808::f5ff:fffe]/", /Teredo 10\.0\.0\.1, which is private/],
    ["http://224.0.0.1/", /224\.0\.0\.1 is multicast/],
    ["http://255.255.255.255/", /255\.255\.255\.255 is broadcast/],
    ["http://[ff02::1]/", /ff02::1 is multicast/],
    ["http://192.0.0.1/", /192\.0\.0\.1 is reserved/],
    ["http://240.0.0.1/", /240\.0\.0\.1 is reserved/],
    ["http://198.18.0.1/", /198\.18\.0\.1 is reserved/],
    ["http://[2001:db8::1]/", /2001:db8::1 is reserved/],
    ["http://[fec0::1]/", /fec0::1 is site-local/],
    ["file:///etc/passwd", /scheme file: is not allowed/],
    ["gopher://127.0.0.1:70/_INFO", /scheme gopher: is not allowed/],
    ["ftp://example.com/", /scheme ftp: is not allowed/],
    ["data:text/plain,hello", /scheme data: is not allowed/],
    ["javascript:alert(1)", /scheme javascript: is not allowed/],
    ["ws://93.184.215.14/", /scheme ws: is not allowed/],
    ["not a url", /not a valid URL/],
  ];

  it.each(refused)("%s", async (url, reason) => {
    const error = await refusal(noAllow.check(url));
    expect(error.message).toMatch(reason);
    expect(error.retryable).toBe(false);
  });

  it("lets public unicast addresses through, without DNS for literals", async () => {
    await expect(noAllow.check("http://93.184.215.14/")).resolves.toMatchObject({ address: "93.184.215.14", family: 4 });
    await expect(noAllow.check("https://[2606:4700::1111]:8443/x")).resolves.toMatchObject({ address: "2606:4700::1111", family: 6 });
    // Embedded forms are judged by the IPv4 address they carry.
    await expect(noAllow.check("http://[::ffff:93.184.215.14]/")).resolves.toMatchObject({ family: 6 });
    await expect(noAllow.check("http://[64:ff9b::808:808]/")).resolves.toMatchObject({ address: "64:ff9b::808:808" });
  });

  it("refuses the same spellings for non-HTTP protocols (SMTP host)", async () => {
    for (const host of ["127.1", "0x7f000001", "2130706433", "0177.0.0.1", "::1", "[::1]", "::ffff:127.0.0.1", "localhost", "10.0.0.1"]) {
      const error = await refusal(noAllow.resolveChecked(host, 25));
      expect(error.message, host).toMatch(/loopback|private/);
    }
    await expect(noAllow.resolveChecked("8.8.8.8", 25)).resolves.toEqual({
      address: "8.8.8.8",
      family: 4,
      addresses: [{ address: "8.8.8.8", family: 4 }],
    });
  });
});

describe("EgressGuard allow-list", () => {
  it("opens a host name, optionally on one port, and resolves it once", async () => {
    const guard = new EgressGuard({ allow: ["localhost:2525"] });
    await expect(guard.resolveChecked("localhost", 2525)).resolves.toMatchObject({ address: "127.0.0.1", family: 4 });
    await refusal(guard.resolveChecked("localhost", 25));
    const anyPort = new EgressGuard({ allow: ["LocalHost."] });
    await expect(anyPort.check("http://localhost:1234/")).resolves.toMatchObject({ address: "127.0.0.1" });
    // The name opens the name, not the address it happens to resolve to.
    await refusal(anyPort.check("http://127.0.0.1:1234/"));
  });

  it("opens addresses and CIDR ranges, with the URL's default port", async () => {
    const guard = new EgressGuard({ allow: ["127.0.0.1:80", "10.0.0.0/8", "[::1]:8443", "fd00::/8"] });
    await expect(guard.check("http://127.0.0.1/")).resolves.toMatchObject({ address: "127.0.0.1" });
    await expect(guard.check("http://127.1:80/")).resolves.toMatchObject({ address: "127.0.0.1" });
    await refusal(guard.check("https://127.0.0.1/"));
    await refusal(guard.check("http://127.0.0.2/"));
    await expect(guard.check("http://10.200.3.4:9999/")).resolves.toMatchObject({ address: "10.200.3.4" });
    await expect(guard.check("http://[::ffff:10.1.1.1]/")).resolves.toMatchObject({ family: 6 });
    await expect(guard.check("https://[::1]:8443/")).resolves.toMatchObject({ address: "::1", family: 6 });
    await refusal(guard.check("https://[::1]/"));
    await expect(guard.check("http://[fd12::1]/")).resolves.toMatchObject({ address: "fd12::1" });
    // A range does not open what lies outside it.
    await refusal(guard.check("http://192.168.0.1/"));
    // The metadata address stays refused unless listed itself.
    await refusal(guard.check("http://169.254.169.254/"));
  });

  it("rejects malformed entries, in the guard and in the configuration", () => {
    for (const entry of ["10.0.0.0/33", "host:99999", "a b", "http://x/", "[::1"]) {
      expect(() => new EgressGuard({ allow: [entry] }), entry).toThrow(AllowEntryError);
    }
    expect(loadConfig({}).egressAllow).toEqual([]);
    expect(loadConfig({ HANDOFF_EGRESS_ALLOW: " crm.internal:8443, 10.0.0.0/8 ,," }).egressAllow).toEqual([
      "crm.internal:8443",
      "10.0.0.0/8",
    ]);
    expect(() => loadConfig({ HANDOFF_EGRESS_ALLOW: "crm.internal, not valid" })).toThrow(/egressAllow\.1/);
  });
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface Receiver {
  url: string;
  port: number;
  /** Requests seen, with their headers and body. */
  seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

async function startReceiver(handler: Handler): Promise<Receiver> {
  const seen: Receiver["seen"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("sendHttp", () => {
  let echo: Receiver;
  let other: Receiver;
  let guard: EgressGuard;
  const receivers: Receiver[] = [];

  const echoHandler: Handler = (req, res, body) => {
    res.setHeader("content-type", "application/json");
    res.setHeader("set-cookie", ["a=1", "b=2"]);
    res.end(JSON.stringify({ method: req.method, url: req.url, authorization: req.headers.authorization ?? null, body }));
  };

  beforeAll(async () => {
    echo = await startReceiver((req, res, body) => {
      const url = new URL(req.url ?? "/", "http://x");
      const to = url.searchParams.get("to");
      if (to) {
        res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: to });
        res.end("redirect body that nobody reads");
        return;
      }
      echoHandler(req, res, body);
    });
    other = await startReceiver(echoHandler);
    receivers.push(echo, other);
    // Both receivers by address and port; 127.0.0.2 stays refused.
    guard = new EgressGuard({ allow: [`127.0.0.1:${echo.port}`, `127.0.0.1:${other.port}`, "localhost"] });
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  const base = () => ({ guard, timeoutMs: 5_000, maxResponseBytes: 64 * 1024 });

  it("reaches an allowed receiver and returns status, headers and body", async () => {
    const res = await sendHttp(
      { method: "post", url: `${echo.url}/hook?x=1`, headers: { "Content-Type": "application/json" }, body: '{"a":1}' },
      base(),
    );
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${echo.url}/hook?x=1`);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["set-cookie"]).toBe("a=1, b=2");
    expect(JSON.parse(res.body.toString())).toEqual({ method: "POST", url: "/hook?x=1", authorization: null, body: '{"a":1}' });
    expect(echo.seen.at(-1)?.headers["content-length"]).toBe("7");
  });

  it("refuses the same receiver when it is not on the allow-list, before connecting", async () => {
    const before = echo.seen.length;
    await refusal(sendHttp({ method: "GET", url: `${echo.url}/` }, { ...base(), guard: noAllow }));
    expect(echo.seen.length).toBe(before);
  });

  it("resolves a host name once and connects to the checked address (localhost allowed by name)", async () => {
    const res = await sendHttp({ method: "GET", url: `http://localhost:${other.port}/by-name` }, base());
    expect(JSON.parse(res.body.toString()).url).toBe("/by-name");
    expect(other.seen.at(-1)?.headers.host).toBe(`localhost:${other.port}`);
  });

  it("connects to the address the guard returned, never resolving the name again", async () => {
    // A guard that vouches for a name no resolver knows: had the transport looked the name up
    // again (where DNS rebinding would strike), this could not connect at all.
    class PinningGuard extends EgressGuard {
      override async check(url: string | URL) {
        return { url: new URL(url), address: "127.0.0.1", family: 4 as const, addresses: [{ address: "127.0.0.1", family: 4 as const }] };
      }
    }
    const res = await sendHttp(
      { method: "GET", url: `http://no-such-host.invalid:${other.port}/pinned` },
      { ...base(), guard: new PinningGuard({ allow: [] }) },
    );
    expect(JSON.parse(res.body.toString()).url).toBe("/pinned");
    expect(other.seen.at(-1)?.headers.host).toBe(`no-such-host.invalid:${other.port}`);
  });

  it("reports an allowed name that does not resolve as a retryable connection error", async () => {
    const guard = new EgressGuard({ allow: ["no-such-host.invalid"] });
    const error = await sendHttp({ method: "GET", url: "http://no-such-host.invalid/" }, { ...base(), guard }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpConnectionError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/cannot resolve no-such-host\.invalid/);
  });

  it("refuses a redirect to cloud metadata or to a loopback address that is not allowed", async () => {
    const toMetadata = `${echo.url}/?to=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`;
    expect((await refusal(sendHttp({ method: "GET", url: toMetadata }, base()))).message).toMatch(
      /169\.254\.169\.254 is link-local \(cloud metadata\)/,
    );
    const loopback = await startReceiver(echoHandler);
    receivers.push(loopback);
    const toLoopback = `${echo.url}/?to=${encodeURIComponent(`http://127.0.0.2:${loopback.port}/`)}`;
    expect((await refusal(sendHttp({ method: "GET", url: toLoopback }, base()))).message).toMatch(/127\.0\.0\.2 is loopback/);
    const toFile = `${echo.url}/?to=${encodeURIComponent("file:///etc/passwd")}`;
    expect((await refusal(sendHttp({ method: "GET", url: toFile }, base()))).message).toMatch(/scheme file:/);
    expect(loopback.seen).toEqual([]);
  });

  it("follows a redirect to another allowed URL, relative or absolute", async () => {
    const res = await sendHttp({ method: "GET", url: `${echo.url}/?to=${encodeURIComponent(`${other.url}/landed`)}` }, base());
    expect(res.url).toBe(`${other.url}/landed`);
    expect(JSON.parse(res.body.toString()).url).toBe("/landed");
    const relative = await sendHttp({ method: "GET", url: `${echo.url}/?to=/here` }, base());
    expect(relative.url).toBe(`${echo.url}/here`);
  });

  it("stops after maxRedirects", async () => {
    const hop = (to: string) => `${echo.url}/?to=${encodeURIComponent(to)}`;
    const twice = hop(hop(`${other.url}/end`));
    await expect(sendHttp({ method: "GET", url: twice }, { ...base(), maxRedirects: 2 })).resolves.toMatchObject({ status: 200 });
    await expect(sendHttp({ method: "GET", url: twice }, { ...base(), maxRedirects: 1 })).rejects.toThrow(TooManyRedirectsError);
    await expect(sendHttp({ method: "GET", url: hop(`${other.url}/`) }, { ...base(), maxRedirects: 0 })).rejects.toThrow(
      /more than 0 redirects/,
    );
  });

  it("turns POST into GET without a body on 303 (and 302), keeps it on 307", async () => {
    const post = (status: number) =>
      sendHttp(
        {
          method: "POST",
          url: `${echo.url}/?status=${status}&to=${encodeURIComponent(`${other.url}/after`)}`,
          headers: { "content-type": "text/plain" },
          body: "payload",
        },
        base(),
      );
    for (const status of [303, 302]) {
      const body = JSON.parse((await post(status)).body.toString());
      expect(body, String(status)).toMatchObject({ method: "GET", body: "" });
      expect(other.seen.at(-1)?.headers["content-type"]).toBeUndefined();
    }
    expect(JSON.parse((await post(307)).body.toString())).toMatchObject({ method: "POST", body: "payload" });
  });

  it("drops Authorization on a cross-origin hop and keeps it on a same-origin one", async () => {
    const auth = { authorization: "Bearer s3cret" };
    const cross = await sendHttp({ method: "GET", url: `${echo.url}/?to=${encodeURIComponent(`${other.url}/x`)}`, headers: auth }, base());
    expect(JSON.parse(cross.body.toString()).authorization).toBeNull();
    expect(other.seen.at(-1)?.headers.authorization).toBeUndefined();
    const same = await sendHttp({ method: "GET", url: `${echo.url}/?to=/y`, headers: auth }, base());
    expect(JSON.parse(same.body.toString()).authorization).toBe("Bearer s3cret");
  });

  it("times out on a receiver that never answers, and on one that trickles its body", async () => {
    const silent = await startReceiver(() => {});
    const trickle = await startReceiver((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("."), 50);
      res.on("close", () => clearInterval(timer));
    });
    receivers.push(silent, trickle);
    const allow = new EgressGuard({ allow: ["127.0.0.1"] });
    for (const r of [silent, trickle]) {
      const started = Date.now();
      const error = await sendHttp({ method: "GET", url: r.url }, { guard: allow, timeoutMs: 300, maxResponseBytes: 1e6 }).catch((e) => e);
      expect(error).toBeInstanceOf(HttpTimeoutError);
      expect(error.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
    }
  });

  it("caps the response body, declared or streamed, and stops reading", async () => {
    const declared = await startReceiver((_req, res) => {
      res.writeHead(200, { "content-length": "10000" });
      res.end(Buffer.alloc(10_000, "a"));
    });
    // Streams without end: if the cap did not stop reading, this would run into the timeout.
    const endless = await startReceiver((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write(Buffer.alloc(4096, "b")), 5);
      res.on("close", () => clearInterval(timer));
    });
    receivers.push(declared, endless);
    const allow = new EgressGuard({ allow: ["127.0.0.0/8"] });
    for (const r of [declared, endless]) {
      const error = await sendHttp({ method: "GET", url: r.url }, { guard: allow, timeoutMs: 10_000, maxResponseBytes: 1_000 }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error.retryable).toBe(false);
    }
    const fits = await sendHttp({ method: "GET", url: declared.url }, { guard: allow, timeoutMs: 5_000, maxResponseBytes: 10_000 });
    expect(fits.body.length).toBe(10_000);
    // HEAD: the declared length is the GET body's; there is nothing to read.
    const head = await sendHttp({ method: "HEAD", url: declared.url }, { guard: allow, timeoutMs: 5_000, maxResponseBytes: 1_000 });
    expect(head).toMatchObject({ status: 200, headers: { "content-length": "10000" } });
    expect(head.body.length).toBe(0);
  });

  it("respects the caller's signal", async () => {
    const silent = await startReceiver(() => {});
    receivers.push(silent);
    const controller = new AbortController();
    const sending = sendHttp(
      { method: "GET", url: silent.url },
      { guard: new EgressGuard({ allow: ["127.0.0.1"] }), timeoutMs: 10_000, maxResponseBytes: 1e6, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error("shutting down")), 100);
    await expect(sending).rejects.toThrow("shutting down");
  });

  it("rejects at once when the caller's signal is already aborted", async () => {
    const before = other.seen.length;
    const error = await sendHttp({ method: "GET", url: other.url }, { ...base(), signal: AbortSignal.abort() }).catch((e) => e);
    expect(error.name).toBe("AbortError");
    expect(other.seen.length).toBe(before);
  });

  it("reports a refused connection as a retryable connection error", async () => {
    const gone = await startReceiver(echoHandler);
    await gone.close();
    const error = await sendHttp({ method: "GET", url: gone.url }, { ...base(), guard: new EgressGuard({ allow: ["127.0.0.1"] }) }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(HttpConnectionError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});

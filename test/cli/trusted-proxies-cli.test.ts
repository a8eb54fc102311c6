/**
 * HANDOFF_TRUSTED_PROXIES at start, with the real binary: a malformed entry stops `serve` before
 * it listens (exit 2, the entry named on stderr); a good list starts it and says at start whose
 * forwarding headers it believes. What the setting does: test/api/trusted-proxies.test.ts.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/stores.js";
import { assertBuilt, freePort, killServer, runCli, type ServerProcess, startServerOnFreePort } from "./process.js";

describe("HANDOFF_TRUSTED_PROXIES when serve starts", () => {
  let dir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    assertBuilt();
    dir = tempDir("handoff-proxies-");
  });
  afterAll(async () => {
    await killServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to start on a malformed entry, naming it, and listens on nothing", async () => {
    const port = await freePort();
    const res = await runCli(["serve", "--data-dir", dir, "--port", String(port), "--host", "127.0.0.1"], {
      env: { HANDOFF_TRUSTED_PROXIES: "10.0.0.0/8, proxy.internal" },
    });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toContain("invalid configuration");
    expect(res.stderr).toContain('trustedProxies.1: HANDOFF_TRUSTED_PROXIES entry "proxy.internal" is not an IP address or CIDR range');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it("starts with a good list and logs whose X-Forwarded-* headers it believes", async () => {
    // The line is logged once the server listens: ready when both are there.
    const ready = async (s: ServerProcess) => (await fetch(`${s.url}/health`)).ok && s.output().includes("trusted_proxies");
    server = await startServerOnFreePort(["--data-dir", dir, "--no-worker"], ready, 3, {
      HANDOFF_TRUSTED_PROXIES: "127.0.0.1, fd00::/8",
      LOG_LEVEL: "info",
    });
    const started = server.output();
    expect(started).toContain('"trusted_proxies":["127.0.0.1","fd00::/8"]');
    expect(started).toContain("believed from the trusted proxies");
  });
});

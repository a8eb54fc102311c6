/**
 * A request answered before its body was read (401, 404, 413 …) must not leave a keep-alive
 * connection that the server then closes under the client's next request: the answer says
 * `Connection: close` (RFC 9112 §9.6), so the client opens a new connection for its next request.
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import { useTestServer } from "../helpers/server.js";
import { sqliteTestStore } from "../helpers/stores.js";

interface Answer {
  status: number;
  connection: string | undefined;
}

/** One request over `agent`, the body written in chunks as a slow client would send it. */
function send(agent: http.Agent, url: string, method: string, path: string, body?: Buffer, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      {
        agent,
        method,
        headers: {
          ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      },
    );
    req.on("error", reject);
    if (!body) return req.end();
    const chunk = 16 * 1024;
    let at = 0;
    const pump = () => {
      if (at >= body.length) return req.end();
      const part = body.subarray(at, at + chunk);
      at += chunk;
      if (req.write(part)) setTimeout(pump, 5);
      else req.once("drain", () => setTimeout(pump, 5));
    };
    pump();
  });
}

describe("keep-alive after an answer that did not read the body", () => {
  const env = useTestServer({ open: sqliteTestStore }, { bodyLimitBytes: 256 * 1024 });

  it("says Connection: close when the body was not read, and keeps the connection when it was", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const big = Buffer.alloc(200 * 1024, 0x20);
    const unread = await send(agent, env.s.url, "POST", "/api/v1/leads", big);
    expect(unread.status).toBe(401);
    expect(unread.connection).toBe("close");
    const tooLarge = await send(agent, env.s.url, "POST", "/api/v1/leads", Buffer.alloc(400 * 1024, 0x20), env.s.token);
    expect(tooLarge).toEqual({ status: 413, connection: "close" });
    const read = await send(agent, env.s.url, "POST", "/api/v1/leads", Buffer.from('{"last_name":"Read"}'), env.s.token);
    expect(read.status).toBe(201);
    expect(read.connection).toBe("keep-alive");
    agent.destroy();
  });
});

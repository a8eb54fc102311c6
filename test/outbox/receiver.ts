/**
 * A real HTTP receiver for outbox tests: a node:http server on 127.0.0.1 whose answers the test
 * scripts per path prefix, recording every request (with its arrival time) as it arrives.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** Answer with status, headers and body — or `hold` (never answer; the test's deadline fires). */
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | "hold";
export type Script = (req: Received, nth: number) => Answer;

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  /** Requests whose path starts with `prefix`. */
  to(prefix: string): Received[];
  /** Sets the answers for paths starting with `prefix` (nth counts that prefix's requests from 1). */
  script(prefix: string, script: Script): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const scripts = new Map<string, Script>();
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      requests.push(r);
      const prefix = [...scripts.keys()].find((p) => r.path.startsWith(p));
      const nth = prefix ? requests.filter((x) => x.path.startsWith(prefix)).length : 0;
      const answer: Answer = prefix ? (scripts.get(prefix) as Script)(r, nth) : { status: 404, body: { error: "unscripted" } };
      if (answer === "hold") {
        held.push(res);
        return;
      }
      const body = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        ...(typeof answer.body === "object" ? { "content-type": "application/json" } : {}),
        ...answer.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    to: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    script: (prefix, script) => {
      scripts.set(prefix, script);
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

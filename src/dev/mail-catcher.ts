/**
 * A development mail catcher: an SMTP server on loopback that accepts every message and keeps
 * it, in memory and — when given a folder — as `<timestamp>-<id>.eml` files an email client can
 * open. `serve --demo` points the demo workspace's email connector at it, so a demo sends real
 * SMTP without mail leaving the machine; tests use it as a real protocol peer.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  id: string;
  /** The Message-ID header, if the message had one. */
  messageId: string | undefined;
  from: string | undefined;
  to: string[];
  raw: string;
  /** Where it was written, when the catcher has a folder. */
  file: string | undefined;
}

export interface MailCatcher {
  host: string;
  port: number;
  messages: CaughtMail[];
  close(): Promise<void>;
}

export interface MailCatcherOptions {
  host?: string;
  /** 0 (default) = any free port. */
  port?: number;
  /** Folder for .eml files (created if missing); none = memory only. */
  dir?: string;
  /** At most this many kept in memory (oldest dropped). Default 1,000. */
  keep?: number;
}

const header = (raw: string, name: string): string | undefined => {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  return new RegExp(`^${name}:\\s*(.+)$`, "im").exec(head)?.[1]?.trim();
};

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? "127.0.0.1";
  const keep = options.keep ?? 1_000;
  const messages: CaughtMail[] = [];
  if (options.dir) await mkdir(options.dir, { recursive: true });
  const server = new SMTPServer({
    // Loopback only, no credentials: nothing to protect and no certificate to trust.
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const id = randomBytes(6).toString("hex");
        const mail: CaughtMail = {
          id,
          messageId: header(raw, "Message-ID"),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          file: options.dir ? join(options.dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${id}.eml`) : undefined,
        };
        const saved = mail.file ? writeFile(mail.file, raw) : Promise.resolve();
        saved.then(
          () => {
            messages.push(mail);
            if (messages.length > keep) messages.shift();
            callback(null, `queued as ${id}`);
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // smtp-server reports a client's broken connection (a sender killed mid-message: ECONNRESET)
  // as an 'error' on the server; unhandled, that would bring down the process the catcher runs
  // in (`serve --demo`, bench:burst). The sender retries; the catcher keeps serving.
  server.on("error", () => {});
  const port = (server.server.address() as AddressInfo).port;
  return {
    host,
    port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

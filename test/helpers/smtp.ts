/**
 * A real SMTP server for end-to-end tests (smtp-server, in this process, on 127.0.0.1): it keeps
 * every message it accepted, counts RCPT TO per address, and answers RCPT TO or DATA as the test
 * scripts it per recipient. `parseMail` decodes what nodemailer wrote (7bit, quoted-printable or
 * base64 parts) so a test can compare the rendered subject and bodies exactly.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface SmtpMessage {
  messageId: string | undefined;
  to: string[];
  raw: string;
}

export interface SmtpReply {
  code: number;
  message: string;
}

export interface TestSmtp {
  port: number;
  /** Messages the server accepted (answered 250 to DATA), in arrival order. */
  messages: SmtpMessage[];
  /** RCPT TO commands per lower-cased address, whatever the answer. */
  rcpts: Map<string, number>;
  /** Answer RCPT TO for an address (lower-cased) with this reply instead of accepting it; null accepts again. */
  rejectRcpt(address: string, reply: SmtpReply | null): void;
  /** Answer DATA of a message to this address (lower-cased) with this reply; null accepts again. */
  rejectData(address: string, reply: SmtpReply | null): void;
  /** Messages (accepted) to one address. */
  to(address: string): SmtpMessage[];
  close(): Promise<void>;
}

const header = (raw: string, name: string): string | undefined => {
  const head = (raw.split(/\r?\n\r?\n/, 1)[0] ?? "").replace(/\r?\n[ \t]+/g, " ");
  return new RegExp(`^${name}:\\s*(.+)$`, "im").exec(head)?.[1]?.trim();
};

/** Starts on `port` (0 = any free one); rejects when the port is taken. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const messages: SmtpMessage[] = [];
  const rcpts = new Map<string, number>();
  const rcptReplies = new Map<string, SmtpReply>();
  const dataReplies = new Map<string, SmtpReply>();
  const fail = (reply: SmtpReply) => Object.assign(new Error(reply.message), { responseCode: reply.code });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, cb) {
      const to = address.address.toLowerCase();
      rcpts.set(to, (rcpts.get(to) ?? 0) + 1);
      const reply = rcptReplies.get(to);
      cb(reply ? fail(reply) : undefined);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const reply = to.map((a) => dataReplies.get(a)).find((r) => r !== undefined);
        if (reply) return cb(fail(reply));
        const raw = Buffer.concat(chunks).toString("utf8");
        messages.push({ messageId: header(raw, "Message-ID"), to, raw });
        cb(null, "queued");
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    rcpts,
    rejectRcpt: (address, reply) => void (reply ? rcptReplies.set(address, reply) : rcptReplies.delete(address)),
    rejectData: (address, reply) => void (reply ? dataReplies.set(address, reply) : dataReplies.delete(address)),
    to: (address) => messages.filter((m) => m.to.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The Message-ID Handoff writes for an outbox key (src/connectors/smtp/email-payload.ts: `:` as `=3A`). */
export const messageIdOf = (key: string): string => `<${key.replace(/:/g, "=3A")}@handoff>`;

/** The headers and decoded text/html parts of a message as nodemailer writes it. */
export function parseMail(raw: string): { header(name: string): string | undefined; text: string | undefined; html: string | undefined } {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const headers = head.replace(/\r\n[ \t]+/g, " ");
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(headers)?.[1];
  const body = rest.join("\r\n\r\n");
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [`${head}\r\n\r\n${body}`];
  const decoded: Record<string, string> = {};
  for (const part of parts) {
    const [ph = "", ...pb] = part.replace(/^\r\n/, "").split("\r\n\r\n");
    const content = pb.join("\r\n\r\n").replace(/\r\n$/, "");
    const type = /content-type: ([\w/]+)/i.exec(ph)?.[1]?.toLowerCase() ?? "";
    const enc = /content-transfer-encoding: ([\w-]+)/i.exec(ph)?.[1]?.toLowerCase();
    decoded[type] =
      enc === "base64"
        ? Buffer.from(content, "base64").toString("utf8")
        : enc === "quoted-printable"
          ? Buffer.from(
              content.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
              "latin1",
            ).toString("utf8")
          : content;
  }
  return {
    header: (name) => new RegExp(`^${name}: (.*)$`, "im").exec(headers)?.[1],
    text: decoded["text/plain"]?.replace(/\r\n/g, "\n"),
    html: decoded["text/html"]?.replace(/\r\n/g, "\n"),
  };
}

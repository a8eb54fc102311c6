/** The settings of an SMTP connector: the public `config` (Zod, defaults filled in when parsed). */
import { isIPv6 } from "node:net";
import { z } from "zod";

/** `a@b.c` or `Name <a@b.c>`: the display name is kept, the address part must be an email. */
const fromAddress = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .refine((v) => {
    const angle = /<([^<>]+)>\s*$/.exec(v);
    return z.email().safeParse(angle ? angle[1] : v).success;
  }, 'expected an email address, e.g. "crm@example.com" or "Handoff <crm@example.com>"');

/**
 * A host name, an IPv4 address or an IPv6 literal (bare `2001:db8::25` or bracketed
 * `[2001:db8::25]`, kept without the brackets), never a scheme or a port.
 */
const hostName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .transform((v) => (/^\[[^\]]*\]$/.test(v) ? v.slice(1, -1) : v))
  .refine(
    (v) => isIPv6(v) || /^[^\s/:[\]]+$/.test(v),
    "a host name or address (IPv6 as 2001:db8::25 or [2001:db8::25]), without scheme or port",
  );

export const smtpConfigSchema = z
  .object({
    host: hostName,
    port: z.number().int().min(1).max(65535).default(587),
    /** true: TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless STARTTLS succeeds (only meaningful when secure is false). */
    require_tls: z.boolean().optional(),
    from: fromAddress,
    username: z.string().min(1).max(320).optional(),
  })
  .strict();
export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

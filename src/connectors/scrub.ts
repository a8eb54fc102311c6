/**
 * Removes secret values from text that is about to be stored or shown: an error message from a
 * transport can echo a URL with a token in it, a header, a server's reply quoting the password.
 * Pure; the dispatcher runs it over every error string before it is written to the outbox.
 */

/** Shorter values are not scrubbed: replacing every "a" or "1" would mangle the message and hide nothing. */
const MIN_LENGTH = 4;

export function scrubSecrets(text: string, secrets: Readonly<Record<string, string>>): string {
  const needles = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value !== "string" || value.length < MIN_LENGTH) continue;
    // Each secret as written, and as it appears inside a URL or a form body.
    for (const form of [value, encodeURIComponent(value), Buffer.from(value).toString("base64")]) {
      if (form.length >= MIN_LENGTH && !needles.has(form)) needles.set(form, name);
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  let out = text;
  for (const [needle, name] of [...needles].sort((a, b) => b[0].length - a[0].length)) {
    out = out.split(needle).join(`[secret ${name}]`);
  }
  return out;
}

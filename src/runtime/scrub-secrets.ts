/**
 * Removes a connector's secret values from text that will be stored or logged (an error message
 * that echoes a header, a receiver that reflects the request). Also their base64 forms, which is
 * how Basic auth carries a password.
 */
const MIN_LENGTH = 4;

export function scrubSecrets(text: string, secrets: Readonly<Record<string, string>>): string {
  let out = text;
  for (const value of Object.values(secrets)) {
    if (value.length < MIN_LENGTH) continue;
    for (const form of [value, Buffer.from(value).toString("base64"), encodeURIComponent(value)]) {
      out = out.split(form).join("[redacted]");
    }
  }
  return out;
}

/**
 * A feature in words a person reads on a prediction (docs/ai.md, "Why"): `subject:refund` is
 * "refund" in the subject, `description:not_working` is "not working" in the description,
 * `plan=enterprise` is plan = enterprise.
 */
export function featureInWords(feature: string): string {
  const eq = feature.indexOf("=");
  const colon = feature.indexOf(":");
  if (eq > 0 && (colon < 0 || eq < colon)) return `${feature.slice(0, eq)} = ${feature.slice(eq + 1)}`;
  if (colon < 0) return feature;
  const field = feature.slice(0, colon);
  const token = feature.slice(colon + 1);
  if (token === "<number>") return `a number in the ${field}`;
  const word = token.startsWith("not_") ? `not ${token.slice(4)}` : token;
  return `"${word}" in the ${field}`;
}

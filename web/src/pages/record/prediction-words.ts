/** Words of the AI predictions panel (PredictionsPanel.tsx), pure so that a test reads them without a browser. */

/**
 * "91 %". Whole percents, except where rounding would make a confidence just under the threshold
 * read as equal to it ("60 % sure, below the threshold 60 %"): then one decimal ("59.7 %").
 */
export function percent(x: number, threshold?: number): string {
  const whole = Math.round(x * 100);
  if (threshold !== undefined && x !== threshold && whole === Math.round(threshold * 100)) return `${(x * 100).toFixed(1)} %`;
  return `${whole} %`;
}

/** "7 Dec 2026, 09:40" in the reader's language and zone. */
export const dateTime = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

/**
 * The record page's AI predictions panel in words (issue 24): how a confidence is written beside
 * its threshold. The panel itself is tested in Chromium (ai-predictions.test.ts).
 */
import { describe, expect, it } from "vitest";
import { percent } from "../../web/src/pages/record/prediction-words.js";

describe("the predictions panel's percents", () => {
  it("writes whole percents, with a decimal only where rounding would read as the threshold", () => {
    expect(percent(0.9134)).toBe("91 %");
    expect(percent(1)).toBe("100 %");
    expect(percent(0.4809, 0.6)).toBe("48 %");
    // 59.7 % is below 60 %: "60 % sure, below the threshold 60 %" would contradict itself.
    expect(percent(0.597, 0.6)).toBe("59.7 %");
    expect(percent(0.6, 0.6)).toBe("60 %");
    expect(percent(0.6049, 0.6)).toBe("60.5 %");
  });
});

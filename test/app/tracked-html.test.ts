/**
 * The pure parts of email tracking: rewriting an HTML body's links and adding the pixel
 * (app/email/tracked-html.ts), and the signed tokens (app/email/tracking-tokens.ts).
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { trackableUrl, trackHtml } from "../../src/app/email/tracked-html.js";
import { TrackingTokens } from "../../src/app/email/tracking-tokens.js";
import { SecretBox } from "../../src/app/secrets/secret-box.js";

const click = (url: string) => `https://h.example/t/c/${Buffer.from(url).toString("base64url")}`;
const back = (href: string) => Buffer.from(href.slice("https://h.example/t/c/".length), "base64url").toString();

describe("trackHtml", () => {
  it("rewrites absolute http(s) links however they are quoted, decodes references, and keeps the rest of the tag", () => {
    const html =
      '<p><a href="https://a.example/x?a=1&amp;b=2" class="btn">A</a> <A HREF=\'http://b.example\'>B</A> <a title="t" href=https://c.example/p>C</a></p>';
    const { html: out, links } = trackHtml(html, { click });
    expect(links).toEqual(["https://a.example/x?a=1&b=2", "http://b.example/", "https://c.example/p"]);
    const hrefs = [...out.matchAll(/href="([^"]+)"/gi)].map((m) => back(m[1] ?? ""));
    expect(hrefs).toEqual(links);
    expect(out).toContain('class="btn">A</a>');
    expect(out).toContain('<a title="t" href="');
  });

  it("leaves alone what is not an absolute http(s) link, or is hidden in comments, scripts and attribute values", () => {
    const html = [
      '<a href="mailto:x@y.example">m</a>',
      '<a href="/relative">r</a>',
      '<a href="#top">t</a>',
      '<a href="javascript:alert(1)">j</a>',
      '<a href="https://x.example/&copy;">unknown reference</a>',
      '<a name="anchor">no href</a>',
      '<!-- <a href="https://hidden.example/">h</a> -->',
      "<script>var s = '<a href=\"https://script.example/\">';</script>",
      "<img alt=\"<a href='https://alt.example/'>\">",
    ].join("");
    const { html: out, links } = trackHtml(html, { click });
    expect(links).toEqual([]);
    expect(out).toBe(html);
  });

  it("tracks a repeated link once, caps the number of links, and skips overlong URLs", () => {
    const many = Array.from({ length: 5 }, (_, i) => `<a href="https://x.example/${i}">${i}</a>`).join("");
    const twice = '<a href="https://x.example/0">again</a>';
    const { html: out, links } = trackHtml(`${many}${twice}`, { click, maxLinks: 3 });
    expect(links).toEqual(["https://x.example/0", "https://x.example/1", "https://x.example/2"]);
    // The 4th and 5th are sent as written; the repeat of the first is tracked like it.
    expect(out).toContain('<a href="https://x.example/3">');
    expect(out).toContain('<a href="https://x.example/4">');
    expect(out.match(new RegExp(click("https://x.example/0"), "g"))).toHaveLength(2);
    expect(trackableUrl(`https://x.example/${"a".repeat(2_100)}`)).toBeUndefined();
    expect(trackableUrl(" https://x.example ")).toBe("https://x.example/");
  });

  it("puts the pixel before </body>, or at the end, and nothing without a pixel URL", () => {
    expect(trackHtml("<html><BODY><p>x</p></BODY></html>", { pixel: "https://h.example/t/o/abc" }).html).toBe(
      '<html><BODY><p>x</p><img src="https://h.example/t/o/abc" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0"></BODY></html>',
    );
    expect(trackHtml("<p>x</p>", { pixel: "https://h.example/t/o/abc" }).html).toMatch(/^<p>x<\/p><img src=/);
    expect(trackHtml('<p><a href="https://a.example/">a</a></p>', {})).toEqual({
      html: '<p><a href="https://a.example/">a</a></p>',
      links: [],
    });
  });

  it("survives unterminated markup", () => {
    for (const html of ["<a href=", '<a href="https://a.example/', "<!-- open", "<script>never closed", "<", "<a"]) {
      expect(() => trackHtml(html, { click, pixel: "p" })).not.toThrow();
    }
  });
});

describe("TrackingTokens", () => {
  const tokens = TrackingTokens.from(new SecretBox(randomBytes(32)));
  const click = { kind: "click", workspaceId: "w1", messageId: "m1", url: "https://a.example/" } as const;

  it("verifies its own tokens of the kind asked for only", () => {
    const c = tokens.sign(click) as string;
    const o = tokens.sign({ kind: "open", workspaceId: "w1", messageId: "m1" }) as string;
    expect(tokens.verify(c, "click")).toEqual(click);
    expect(tokens.verify(o, "open")).toEqual({ kind: "open", workspaceId: "w1", messageId: "m1" });
    expect(tokens.verify(c, "open")).toBeUndefined();
    expect(tokens.verify(o, "click")).toBeUndefined();
  });

  it("refuses altered tokens, another key's, garbage and huge ones", () => {
    const c = tokens.sign(click) as string;
    const [body = "", mac = ""] = c.split(".");
    const altered = Buffer.from(JSON.stringify(["c", "w1", "m1", "https://evil.example/"])).toString("base64url");
    expect(tokens.verify(`${altered}.${mac}`, "click")).toBeUndefined();
    expect(tokens.verify(`${body}.${mac.slice(0, -2)}`, "click")).toBeUndefined();
    expect(TrackingTokens.from(new SecretBox(randomBytes(32))).verify(c, "click")).toBeUndefined();
    for (const bad of ["", ".", "a.b.c", "not-a-token", `${body}.`, `${"A".repeat(5_000)}.${mac}`])
      expect(tokens.verify(bad, "click")).toBeUndefined();
  });

  it("signs nothing without a master key", () => {
    const none = TrackingTokens.from(new SecretBox(undefined));
    expect(none.available).toBe(false);
    expect(none.sign(click)).toBeUndefined();
    expect(none.verify("x.y", "click")).toBeUndefined();
  });
});

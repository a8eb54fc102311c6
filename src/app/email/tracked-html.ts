/**
 * Makes an HTML email trackable, as it is enqueued (pure): every absolute http(s) link of an
 * `<a href>` is replaced by its signed redirect, and the open pixel is put before `</body>` (or at
 * the end). Returns the links as sent, in order and once each — what a click may lead to.
 *
 * The HTML is the admin's template rendered with every record value escaped, so a scan of start
 * tags is enough: comments and the contents of script/style/textarea/title are copied untouched,
 * attribute values are read quoted or unquoted as HTML reads them, and an href's character
 * references are decoded before the URL is judged (`&amp;` in a query string). A link that is not
 * absolute http(s), is longer than MAX_TRACKED_URL, holds a reference we do not decode, or comes
 * after the first `maxLinks` distinct ones is sent as written — untracked, never broken.
 */
import { MAX_TRACKED_URL } from "./tracking-tokens.js";

export interface TrackOptions {
  /** The redirect URL of a link (its target normalised); undefined leaves the link as it is. Absent: links untouched. */
  click?: ((url: string) => string | undefined) | undefined;
  /** The pixel's URL; absent: no pixel. */
  pixel?: string | undefined;
  maxLinks?: number;
}

export const DEFAULT_MAX_LINKS = 100;

const RAW_TEXT = new Set(["script", "style", "textarea", "title"]);
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The value an attribute means; undefined when it holds a named reference not decoded here. */
function decodeAttr(raw: string): string | undefined {
  let unknown = false;
  const out = raw.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);?/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const named = NAMED[ref.toLowerCase()];
    if (named === undefined || !whole.endsWith(";")) unknown = true;
    return named ?? whole;
  });
  return unknown ? undefined : out;
}

/** An absolute http(s) URL, normalised as a browser would send it; undefined for anything else. */
export function trackableUrl(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_TRACKED_URL) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  return url.href.length > MAX_TRACKED_URL ? undefined : url.href;
}

interface Attr {
  name: string;
  /** Where the value starts and ends in the HTML, quotes included. */
  start: number;
  end: number;
  value: string;
}

/** Reads a start tag's attributes from `i` (just after its name); returns them and the index after `>`. */
function readAttrs(html: string, i: number): { attrs: Attr[]; end: number } {
  const attrs: Attr[] = [];
  let j = i;
  const n = html.length;
  while (j < n) {
    while (j < n && /[\s/]/.test(html[j] as string)) j++;
    if (j >= n) break;
    if (html[j] === ">") return { attrs, end: j + 1 };
    const nameStart = j;
    while (j < n && !/[\s/>=]/.test(html[j] as string)) j++;
    const name = html.slice(nameStart, j).toLowerCase();
    while (j < n && /\s/.test(html[j] as string)) j++;
    if (html[j] !== "=") {
      attrs.push({ name, start: j, end: j, value: "" });
      continue;
    }
    j++;
    while (j < n && /\s/.test(html[j] as string)) j++;
    const start = j;
    const quote = html[j];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, j + 1);
      j = close < 0 ? n : close + 1;
      attrs.push({ name, start, end: j, value: html.slice(start + 1, close < 0 ? n : close) });
    } else {
      while (j < n && !/[\s>]/.test(html[j] as string)) j++;
      attrs.push({ name, start, end: j, value: html.slice(start, j) });
    }
  }
  return { attrs, end: n };
}

export function trackHtml(html: string, options: TrackOptions): { html: string; links: string[] } {
  const links: string[] = [];
  const max = options.maxLinks ?? DEFAULT_MAX_LINKS;
  let out = "";
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    if (html.startsWith("<!--", lt)) {
      const close = html.indexOf("-->", lt + 4);
      const stop = close < 0 ? html.length : close + 3;
      out += html.slice(lt, stop);
      i = stop;
      continue;
    }
    const tag = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(lt, lt + 40));
    if (!tag?.[1]) {
      out += "<";
      i = lt + 1;
      continue;
    }
    const name = tag[1].toLowerCase();
    const { attrs, end } = readAttrs(html, lt + 1 + tag[1].length);
    const href = name === "a" && options.click ? attrs.find((a) => a.name === "href") : undefined;
    const decoded = href ? decodeAttr(href.value) : undefined;
    const target = decoded !== undefined ? trackableUrl(decoded) : undefined;
    const known = target !== undefined && links.includes(target);
    const redirect = target !== undefined && (known || links.length < max) ? options.click?.(target) : undefined;
    if (href && target !== undefined && redirect !== undefined) {
      if (!known) links.push(target);
      out += `${html.slice(lt, href.start)}"${escapeAttr(redirect)}"${html.slice(href.end, end)}`;
    } else {
      out += html.slice(lt, end);
    }
    i = end;
    if (RAW_TEXT.has(name)) {
      const close = html.toLowerCase().indexOf(`</${name}`, i);
      const stop = close < 0 ? html.length : close;
      out += html.slice(i, stop);
      i = stop;
    }
  }
  if (options.pixel !== undefined) {
    const img = `<img src="${escapeAttr(options.pixel)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`;
    const body = out.toLowerCase().lastIndexOf("</body");
    out = body < 0 ? `${out}${img}` : `${out.slice(0, body)}${img}${out.slice(body)}`;
  }
  return { html: out, links };
}

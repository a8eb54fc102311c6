/**
 * The web app's build (web/dist, made by `npm run build`) served at `/` on the API's port:
 * files by their content type, hashed assets (`/assets/…`) cached for a year, `index.html`
 * (never cached, with the security headers) for every other GET that is not a server route, so
 * that the app's client routes (`/sign-in`, `/workflows` …) load the app. Server routes — the
 * API, the OpenAPI document, hooks, forms, unsubscribe, approval and tracking links, health and metrics — are never
 * answered with the app: an unknown path under them stays a 404 problem.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type { Context, Hono } from "hono";
import type { ApiEnv } from "./env.js";
import { problem } from "./problem.js";

/** web/dist beside src/ (and beside dist/, where the compiled server runs from). */
export const DEFAULT_WEB_DIST = resolve(import.meta.dirname, "..", "..", "web", "dist");

/** Paths that belong to the server: the app's fallback never answers under them. */
export const SERVER_PREFIXES = [
  "/api",
  "/openapi.json",
  "/hooks",
  "/forms",
  "/unsubscribe",
  "/approval-links",
  // Email tracking: the open pixel (/t/o/…) and tracked links (/t/c/…).
  "/t",
  "/metrics",
  "/health",
  "/healthz",
] as const;

export const isServerPath = (path: string): boolean =>
  SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}.`) || path.startsWith(`${p}?`));

/** The app may load only its own scripts, styles and data; nothing may frame it. */
export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

const YEAR = "public, max-age=31536000, immutable";

async function fileIn(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const file = resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  try {
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Registers the web app's routes; call after every server route and before notFound. */
export function webAppRoutes(app: Hono<ApiEnv>, distDir: string = DEFAULT_WEB_DIST) {
  const root = resolve(distDir);
  const indexFile = join(root, "index.html");

  const sendIndex = async (c: Context<ApiEnv>) => {
    let html: Buffer;
    try {
      html = await readFile(indexFile);
    } catch {
      return problem(c, "not_found", `the web app is not built (no ${indexFile}); run \`npm run build\` and restart the server`);
    }
    return c.body(new Uint8Array(html), 200, {
      ...APP_SECURITY_HEADERS,
      "content-type": CONTENT_TYPES[".html"] as string,
      "cache-control": "no-cache",
    });
  };

  const handler = async (c: Context<ApiEnv>, next: () => Promise<void>) => {
    const path = c.req.path;
    if (isServerPath(path)) return next();
    if (path === "/" || path === "/index.html") return sendIndex(c);
    const file = await fileIn(root, path);
    if (file) {
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
      const body = await readFile(file);
      return c.body(new Uint8Array(body), 200, {
        "content-type": type,
        "cache-control": path.startsWith("/assets/") ? YEAR : "no-cache",
        "x-content-type-options": "nosniff",
      });
    }
    // A missing asset or file is a 404, never the app (a stale page asking for an old chunk).
    if (path.startsWith("/assets/") || extname(path) !== "") return next();
    return sendIndex(c);
  };
  app.get("*", handler);
}

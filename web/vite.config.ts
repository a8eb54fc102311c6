/** The web app's build: web/ → web/dist, served by `handoff serve` at `/` (src/api/web-app.ts). */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  plugins: [react()],
  css: { modules: { localsConvention: "camelCaseOnly" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // The CSP allows no inline script or style: keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
    // The one chunk over Vite's 500 kB default is ECharts' (≈516 kB, ≈173 kB gzipped), loaded
    // only when a chart is shown (docs/adr/0011-charts.md); anything else that large still warns.
    chunkSizeWarningLimit: 560,
  },
  server: {
    // `npm run dev:web`: the API runs on 3000 (`handoff serve`); the dev server proxies to it.
    proxy: { "/api": "http://127.0.0.1:3000", "/openapi.json": "http://127.0.0.1:3000" },
  },
});

import { start } from "./harness.mjs";
import { readFileSync } from "node:fs";
const env = await start();
const { page: first, context } = await env.open();
await first.close();
for (let i = 0; i < 2; i++) {
const page = await context.newPage();
await page.addInitScript(() => { addEventListener("TrunkApplicationStarted", () => { window.__interactive = performance.now(); }); });
await env.browser.startTracing(page, { path: "/tmp/probe/trace.json", categories: ["devtools.timeline", "v8", "v8.wasm", "blink", "loading", "disabled-by-default-devtools.timeline"] });
await page.goto(env.server.url + "/");
await page.waitForFunction(() => window.__interactive !== undefined);
await page.waitForTimeout(300);
await env.browser.stopTracing();
console.log("interactive", await page.evaluate(() => window.__interactive));
await page.close();
const t = JSON.parse(readFileSync("/tmp/probe/trace.json", "utf8"));
const ev = t.traceEvents || t;
const nav = ev.find((e) => e.name === "navigationStart" || e.name === "NavigationTiming" ) ;
const byName = new Map();
let t0 = Math.min(...ev.filter((e) => e.name === "navigationStart").map((e) => e.ts));
const rows = ev.filter((e) => e.ph === "X" && e.dur > 3000).map((e) => [((e.ts - t0) / 1000).toFixed(1), (e.dur / 1000).toFixed(1), e.name, e.tid, JSON.stringify(e.args?.data?.url ?? e.args?.data?.functionName ?? "").slice(0, 60)]);
rows.sort((a, b) => a[0] - b[0]);
for (const r of rows) if (r[0] > -5 && r[0] < 500) console.log(r.join("  "));
}
await env.close();

import { start } from "./harness.mjs";
const env = await start();
const { page: first, context } = await env.open();
await first.close();
for (let i = 0; i < 4; i++) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    addEventListener("TrunkApplicationStarted", () => { window.__interactive = performance.now(); });
  });
  await page.goto(env.server.url + "/");
  await page.waitForFunction(() => window.__interactive !== undefined);
  const r = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const res = performance.getEntriesByType("resource").map((e) => `${e.name.split("/").pop().slice(0, 30)} ${e.startTime.toFixed(0)}-${e.responseEnd.toFixed(0)} ${e.transferSize}`);
    const paint = performance.getEntriesByType("paint").map((e) => `${e.name} ${e.startTime.toFixed(0)}`);
    return { nav: `resp ${nav.responseEnd.toFixed(0)} dcl ${nav.domContentLoadedEventEnd.toFixed(0)} load ${nav.loadEventEnd.toFixed(0)}`, res, paint, interactive: window.__interactive.toFixed(0) };
  });
  console.log(JSON.stringify(r));
  await page.close();
}
await env.close();

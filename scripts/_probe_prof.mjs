import { chromium } from "playwright-core";
import { serve } from "../tests/e2e/server.mjs";
const root = process.argv[2], file = process.argv[3];
const server = await serve(root, { mounts: { "/bench/": "/tmp/fleet" } });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", `--js-flags=--prof --logfile=/tmp/v8prof/%p.log`] });
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(server.url + "/");
await page.getByTestId("paste").focus();
await page.waitForTimeout(3000);
const r = await page.evaluate(async ({ url, name }) => {
  const text = await (await fetch(url)).text();
  const shown = new Promise((ok) => {
    const check = () => document.querySelector('[data-testid="fleet-row"],[data-testid="finding"]') && ok(performance.now());
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true });
  });
  const area = document.querySelector('[data-testid="paste"]');
  area.value = text;
  const t0 = performance.now();
  document.querySelector('[data-testid="diagnose"]').click();
  return (await shown) - t0;
}, { url: "/bench/" + file, name: file });
console.log("ms", r);
await page.waitForTimeout(1000);
await browser.close();
await server.close();

import { start } from "./harness.mjs";
import { execFileSync } from "node:child_process";
const env = await start();
const { page, context } = await env.open({ viewport: { width: 1440, height: 900 } });
const fleet = execFileSync(process.env.SSM_DOCTOR, ["generate", "--kind", "instance-patch-states", "--instances", "3000", "--seed", "9"], { encoding: "utf8", maxBuffer: 64 << 20 });
await page.evaluate((text) => { const a = document.querySelector('[data-testid="paste"]'); a.value = text; a.dispatchEvent(new Event("input", { bubbles: true })); }, fleet);
await page.getByTestId("diagnose").click();
await page.getByTestId("node-row").first().waitFor({timeout: 60000});
for (let i = 0; i < 4; i++) {
  await page.evaluate((y) => window.scrollTo(0, y), i * 880);
  await page.screenshot({ path: `/tmp/fleet-${i}.png` });
}
console.log(await page.evaluate(() => document.body.scrollHeight));
await context.close(); await env.close();

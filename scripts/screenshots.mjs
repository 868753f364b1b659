// Takes the README's screenshots from headless Chromium against the built dist/.
// Usage: scripts/build.sh && node scripts/screenshots.mjs
import { join } from "node:path";
import { repo, start } from "../tests/e2e/harness.mjs";

const out = join(repo, "docs/screenshots");
const env = await start();
try {
  const shot = async (name, { colorScheme = "light", width = 1280, height = 860, example, collect = false, lang } = {}) => {
    const { page, context } = await env.open({ colorScheme, viewport: { width, height } });
    if (example) {
      await page.locator(`[data-testid="example"][data-file="${example}"]`).click();
      await page.locator('[data-testid="node-card"]').first().waitFor();
    }
    if (lang) await page.getByTestId("lang").selectOption(lang);
    if (collect) {
      await page.locator('[data-testid="collect"] summary').click();
      await page.getByTestId("collect-script").scrollIntoViewIfNeeded();
    }
    await page.screenshot({ path: join(out, `${name}.png`) });
    await context.close();
    console.log(`wrote docs/screenshots/${name}.png`);
  };
  await shot("start");
  await shot("diagnosis", { example: "pending-reboot.txt" });
  await shot("diagnosis-dark-zh", { example: "failed.txt", colorScheme: "dark", lang: "zh-CN" });
  await shot("collect", { example: "not-managed.txt", collect: true });
  await shot("phone", { example: "missing.txt", width: 360, height: 780 });
  {
    const { execFileSync } = await import("node:child_process");
    const doctor = process.env.SSM_DOCTOR ?? join(repo, "target/release/ssm-doctor");
    const fleet = execFileSync(doctor, ["generate", "--kind", "instance-patch-states", "--instances", "25", "--seed", "3"], { encoding: "utf8" });
    const { page, context } = await env.open({ viewport: { width: 1280, height: 860 } });
    await page.getByTestId("paste").fill(fleet);
    await page.getByTestId("diagnose").click();
    await page.getByTestId("fleet-row").first().waitFor();
    await page.getByTestId("fleet").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(out, "fleet.png") });
    await context.close();
    console.log("wrote docs/screenshots/fleet.png");
  }
} finally {
  await env.close();
}

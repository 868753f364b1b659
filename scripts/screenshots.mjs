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
      await page.locator('[data-testid="answer"]').first().waitFor();
      // On a phone the example scrolled the answer into view; the screenshot shows that.
      await page.waitForTimeout(300);
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
  // The answer first, at the three widths the layout is tested at.
  await shot("diagnosis", { example: "pending-reboot.txt" });
  await shot("tablet", { example: "failed.txt", width: 768, height: 1000 });
  await shot("phone", { example: "missing.txt", width: 360, height: 780 });
  await shot("diagnosis-dark-zh", { example: "failed.txt", colorScheme: "dark", lang: "zh-CN" });
  await shot("collect", { example: "not-managed.txt", collect: true });
  {
    // Sharing: the redacted report to send, its categories and the link to the step.
    const { page, context } = await env.open({ viewport: { width: 1280, height: 860 } });
    await page.locator('[data-testid="example"][data-file="failed.txt"]').click();
    await page.getByTestId("answer").first().waitFor();
    await page.locator('[data-testid="share"] summary').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="export-preview"]')?.value ?? "").startsWith("# "));
    await page.getByTestId("export-categories").scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -260));
    await page.screenshot({ path: join(out, "share.png") });
    await context.close();
    console.log("wrote docs/screenshots/share.png");
  }
  {
    // No data at all: the guide answered alone, to the cause and the check after the fix.
    const { page, context } = await env.open({ viewport: { width: 1280, height: 860 } });
    for (const value of ["association", "online", "failed", "step-failed"]) {
      const step = page.getByTestId("guide-step");
      const id = await step.getAttribute("data-id");
      await step.locator(`[data-testid="guide-choice"][data-value="${value}"]`).click();
      await page.waitForFunction((id) => document.querySelector('[data-testid="guide-step"]')?.dataset.id !== id, id);
    }
    await page.getByTestId("answer").first().waitFor();
    await page.screenshot({ path: join(out, "answered-alone.png") });
    await context.close();
    console.log("wrote docs/screenshots/answered-alone.png");
  }
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

// Browser tests of the examples gallery, the settings that rewrite commands (region, profile,
// shell), the theme, the collection script, and accessibility (axe-core) on each screen.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, fixtureText, paste, repo, start } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const EXAMPLES = {
  "missing.txt": "P6", "failed.txt": "P3", "pending-reboot.txt": "P4", "rejected.txt": "P5",
  "association.txt": "AS0", "inventory.txt": "INV0", "custom.txt": "CU0", "not-managed.txt": "G1",
};

test("each example of the gallery loads and shows the cause of its branch", async () => {
  const { page, context, foreign, errors } = await env.open();
  for (const [file, ref] of Object.entries(EXAMPLES)) {
    await page.locator(`[data-testid="example"][data-file="${file}"]`).click();
    await page.locator(`[data-testid="finding"][data-role="cause"][data-ref="${ref}"]`).first().waitFor({ timeout: 5000 });
    const rows = await page.getByTestId("input-row").count();
    assert.equal(rows, 1, `${file}: an example replaces the inputs`);
  }
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("region and profile typed in rewrite every AWS CLI command; the shell switch gives PowerShell forms", async () => {
  const { page, context, errors } = await env.open();
  await paste(page, fixtureText("awscli-describe-instance-patch-states.json"));
  const awsTexts = () => page.locator('[data-testid="command"][data-shell="aws-cli"] [data-testid="command-text"]').allInnerTexts();
  assert.ok((await awsTexts()).some((t) => t.includes("<region>")));
  await page.getByTestId("region").fill("eu-west-3");
  await page.getByTestId("profile").fill("support-ro");
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-shell="aws-cli"] [data-testid="command-text"]')].some((e) => e.textContent.includes("<region>")));
  for (const text of await awsTexts()) {
    assert.ok(text.endsWith("--profile support-ro"), text);
  }
  assert.ok((await awsTexts()).some((t) => t.includes("--region eu-west-3")));
  // A hostile profile is not written into commands.
  await page.getByTestId("profile").fill("x; rm -rf ~");
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="command-text"]')].some((e) => e.textContent.includes("--profile")));
  assert.ok((await awsTexts()).every((t) => !t.includes("rm -rf")));

  // Without a region the N0 check offers a bash loop; in PowerShell it must be PowerShell.
  await page.getByTestId("region").fill("");
  const finder = page.locator('[data-testid="finding"][data-code="region-unknown"] [data-testid="command-text"]').last();
  assert.match(await finder.innerText(), /^for r in/);
  await page.getByTestId("shell").selectOption("powershell");
  await page.waitForFunction(() => [...document.querySelectorAll('[data-code="region-unknown"] [data-testid="command-text"]')].some((e) => e.textContent.startsWith("foreach")));
  assert.deepEqual(errors, []);
  await context.close();
});

test("dark mode follows the system, can be forced, and is remembered", async () => {
  const { page, context, errors } = await env.open({ colorScheme: "dark" });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await background(), "rgb(17, 20, 24)", "system dark");
  await page.getByTestId("theme").selectOption("light");
  await page.waitForFunction(() => document.documentElement.dataset.theme === "light");
  assert.equal(await background(), "rgb(246, 247, 249)");
  await page.reload();
  await page.getByTestId("paste").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light", "remembered");
  await page.getByTestId("theme").selectOption("dark");
  await page.locator('[data-testid="example"]').first().click();
  await page.screenshot({ path: join(artifacts, "dark.png") });
  assert.deepEqual(errors, []);
  await context.close();
});

test("collect everything: a read-only script for the node of the inputs, copied exactly", async () => {
  const { page, context, errors } = await env.open();
  await page.locator('[data-testid="example"][data-file="pending-reboot.txt"]').click();
  await page.locator('[data-testid="collect"] summary').click();
  assert.equal(await page.getByTestId("collect-instance").inputValue(), "i-0f9e8d7c6b5a40312");
  const script = await page.getByTestId("collect-script").innerText();
  assert.match(script, /aws ssm describe-instance-patch-states --instance-ids i-0f9e8d7c6b5a40312 --region ap-southeast-2 --output json/);
  for (const line of script.split("\n").filter((l) => l.includes("; aws "))) {
    assert.match(line, /aws ssm (describe|list|get)-/, line);
  }
  await page.getByTestId("collect-copy").click();
  await page.locator('[data-testid="collect-copy"][data-state="copied"]').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), script);
  await page.getByTestId("collect-kind").selectOption("node-windows");
  assert.match(await page.getByTestId("collect-script").innerText(), /Get-Content \$env:ProgramData\\Amazon\\SSM\\Logs\\amazon-ssm-agent\.log/);
  await page.getByTestId("collect-instance").fill("i-123; shutdown");
  assert.match(await page.getByTestId("collect-error").innerText(), /not an instance id/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe-core finds no accessibility violations on each screen, light and dark", async () => {
  const axe = readFileSync(join(repo, "node_modules/axe-core/axe.min.js"), "utf8");
  for (const colorScheme of ["light", "dark"]) {
    // axe is injected by the test, so this context bypasses the page's CSP.
    const context = await env.browser.newContext({ colorScheme, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(env.server.url + "/");
    await page.getByTestId("paste").waitFor();
    const screens = {
      empty: async () => {},
      results: async () => page.locator('[data-testid="example"][data-file="failed.txt"]').click(),
      "collect and chinese": async () => {
        await page.locator('[data-testid="collect"] summary').click();
        await page.getByTestId("lang").selectOption("zh-CN");
      },
    };
    for (const [name, show] of Object.entries(screens)) {
      await show();
      await page.waitForTimeout(100);
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ["violations"] });
        return result.violations.map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0]?.target})`);
      });
      assert.deepEqual(violations, [], `${colorScheme} / ${name}`);
    }
    await context.close();
  }
});

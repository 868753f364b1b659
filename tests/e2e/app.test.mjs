// End-to-end tests of the built app in headless Chromium, against dist/ served on 127.0.0.1.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { artifacts, corpus, fixture, fixtureText, paste, start } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test("pasting describe-instance-patch-states shows each NON_COMPLIANT state with a tailored command", async () => {
  const { page, context, foreign, errors } = await env.open();
  await paste(page, fixtureText("awscli-describe-instance-patch-states-for-patch-group-missing-rejected.json"));

  const card = page.locator('[data-testid="node-card"][data-node="i-02573cafcfEXAMPLE"]');
  await card.waitFor();
  const refs = await card.locator('[data-testid="finding"][data-role="cause"]').evaluateAll((els) => els.map((e) => e.dataset.ref));
  assert.deepEqual(refs.sort(), ["P4", "P5", "P6"]);

  const reboot = card.locator('[data-testid="finding"][data-ref="P4"]');
  assert.match(await reboot.locator(".title-text").innerText(), /1 patch is installed but waits for a reboot/);
  assert.match(await reboot.locator('[data-testid="evidence-line"]').first().innerText(), /"InstalledPendingRebootCount": 1/);
  const commands = await reboot.locator('[data-testid="command-text"]').allInnerTexts();
  assert.ok(commands.includes("aws ec2 reboot-instances --instance-ids i-02573cafcfEXAMPLE --region '<region>'"), commands.join("\n"));

  // A command that changes something carries a badge and says what it changes; a check does not.
  const rebootCommand = reboot.locator('[data-testid="command"]', { hasText: "reboot-instances" });
  assert.equal(await rebootCommand.getByTestId("changes-badge").count(), 1);
  assert.match(await rebootCommand.getByTestId("changes-warning").innerText(), /Running it reboots the instance\./);
  const listing = card.locator('[data-testid="command"]', { hasText: "describe-instance-patches " }).first();
  assert.equal(await listing.getByTestId("changes-badge").count(), 0);
  assert.equal(await listing.getByTestId("changes-warning").count(), 0);

  // Copy puts exactly the command on the clipboard and says so.
  const first = reboot.locator('[data-testid="command"]').first();
  await first.getByTestId("copy").click();
  await assert.doesNotReject(first.locator('[data-testid="copy"][data-state="copied"]').waitFor({ timeout: 5000 }));
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clipboard, await first.getByTestId("command-text").innerText());

  // The input list says what was recognised.
  const row = page.getByTestId("input-row");
  assert.equal(await row.getAttribute("data-kind"), "instance-patch-states");
  assert.equal(await row.getAttribute("data-status"), "ok");

  await page.screenshot({ path: join(artifacts, "patch-states.png"), fullPage: true });
  assert.deepEqual(foreign, [], "the page must not contact any other origin");
  assert.deepEqual(errors, [], "no page errors (CSP, panics)");
  assert.ok(env.server.requests.every((p) => !p.includes("..")));
  await context.close();
});

test("several files at once: UTF-16 Windows log, broken docs JSON and a log are each recognised", async () => {
  const { page, context, foreign, errors } = await env.open();
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixtureText("docs-windows-patch-policy-access-denied.log"), "utf16le")]);
  const utf16Path = join(artifacts, "patch-windows-utf16.log");
  writeFileSync(utf16Path, utf16);
  await page.getByTestId("file-input").setInputFiles([
    utf16Path,
    fixture("awscli-list-commands-runpatchbaseline.json"),
    fixture("docs-ubuntu-dpkg-frontend-locked.log"),
  ]);
  const rows = page.getByTestId("input-row");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="input-row"]').length === 3);
  const seen = await rows.evaluateAll((els) => els.map((e) => `${e.dataset.kind}/${e.dataset.status}`));
  assert.deepEqual(seen, ["patch-windows-output/ok", "commands/repaired", "patch-linux-output/ok"]);
  assert.match(await rows.nth(0).innerText(), /UTF-16 LE/);
  assert.match(await rows.nth(1).innerText(), /missing `,`/);
  for (const ref of ["W4", "L10", "P1"]) {
    await page.locator(`[data-testid="finding"][data-ref="${ref}"]`).first().waitFor();
  }
  // Removing an input removes its findings.
  await rows.nth(2).getByTestId("remove-input").click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="finding"][data-ref="L10"]'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the interface and the diagnosis switch to Simplified Chinese", async () => {
  const { page, context, errors } = await env.open();
  await paste(page, fixtureText("awscli-describe-instance-patch-states-for-patch-group-missing-rejected.json"));
  await page.getByTestId("lang").selectOption("zh-CN");
  const title = page.locator('[data-testid="finding"][data-ref="P4"] .title-text');
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  // The worker writes the report again in the new language.
  await page.waitForFunction(() => /等待重启/.test(document.querySelector('[data-testid="finding"][data-ref="P4"] .title-text')?.textContent ?? ""));
  assert.match(await title.innerText(), /等待重启/);
  assert.match(await page.getByTestId("diagnose").innerText(), /诊断/);
  // Commands stay verbatim.
  assert.match(await page.locator('[data-testid="command-text"]').first().innerText(), /^aws /);
  assert.deepEqual(errors, []);
  await context.close();
});

test("unreadable input is explained, not fatal", async () => {
  const { page, context, errors } = await env.open();
  await paste(page, "hello, this is not an AWS output");
  const row = page.getByTestId("input-row");
  await row.waitFor();
  assert.equal(await row.getAttribute("data-status"), "unrecognized");
  assert.match(await row.innerText(), /Paste AWS CLI output/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("two inputs about one failure give one cause citing both, the symptom listed under it", async () => {
  const { page, context, foreign, errors } = await env.open();
  // The patch states show 2 Failed; the Install's output says why (the dpkg lock).
  await page.getByTestId("file-input").setInputFiles(corpus("faulty/dpkg-locked-with-failed-patches"));
  const causes = page.locator('[data-testid="finding"][data-role="cause"]');
  await causes.first().waitFor();
  assert.deepEqual(await causes.evaluateAll((els) => els.map((e) => e.dataset.ref)), ["L10"]);
  // Each line says where it was read: the input's name (in full in its title) and line.
  const cited = await causes.first().locator('[data-testid="evidence-line"] .where').evaluateAll((els) => els.map((e) => e.title));
  const inputs = new Set(cited);
  assert.equal(inputs.size, 2, cited.join("\n"));
  assert.equal(await causes.first().locator('[data-testid="supporting"] li[data-ref="P3"]').count(), 1);
  await page.screenshot({ path: join(artifacts, "correlated-cause.png"), fullPage: true });
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

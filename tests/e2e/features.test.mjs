// Browser tests of the examples gallery, the settings that rewrite commands (region, profile,
// shell), the theme, the collection script, and accessibility (axe-core) on each screen.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { artifacts, assertNoRawText, example, fixtureText, openGuide, paste, prose, repo, settled, start } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

// The deepest cause each example shows, and the symptom of its branch listed under it.
const EXAMPLES = {
  "missing.txt": ["P6", "N1"], "failed.txt": ["L13", "P3"], "pending-reboot.txt": ["P4"], "rejected.txt": ["P5"],
  "association.txt": ["A7", "AS0"], "inventory.txt": ["I1", "INV0"], "custom.txt": ["CU0", "N1"],
  "not-managed.txt": ["G1", "M0.1"],
};

test("each example of the gallery loads and shows the deepest cause of its branch", async () => {
  const { page, context, foreign, errors } = await env.open();
  for (const [file, [ref, symptom]] of Object.entries(EXAMPLES)) {
    await page.locator(`[data-testid="example"][data-file="${file}"]`).click();
    const cause = page.locator(`[data-testid="finding"][data-role="cause"][data-ref="${ref}"]`).first();
    await cause.waitFor({ timeout: 5000 });
    if (symptom) {
      const under = await cause.locator(`[data-testid="supporting"] li[data-ref="${symptom}"]`).count();
      assert.ok(under >= 1, `${file}: ${symptom} under ${ref}`);
    }
    const rows = await page.getByTestId("input-row").count();
    assert.equal(rows, 1, `${file}: an example replaces the inputs`);
    assertNoRawText(assert, await prose(page), file);
  }
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
  // The same in Chinese: no bare slot or backtick on screen.
  const zh = await env.open({ locale: "zh-CN" });
  const named = [];
  for (const [file, [ref]] of Object.entries(EXAMPLES)) {
    await zh.page.locator(`[data-testid="example"][data-file="${file}"]`).click();
    await zh.page.locator(`[data-testid="finding"][data-role="cause"][data-ref="${ref}"]`).first().waitFor({ timeout: 5000 });
    const text = await prose(zh.page);
    assertNoRawText(assert, text, `${file} (zh-CN)`);
    // Chinese punctuation is full-width: no half-width colon, comma or bracket against a Chinese character.
    const half = text.match(/[\u4e00-\u9fff][:;,(]|[:;,)][\u4e00-\u9fff]/);
    assert.equal(half, null, `${file} (zh-CN): half-width punctuation in …${half && text.slice(Math.max(0, half.index - 30), half.index + 30)}…`);
    // AWS's compliance types by their zh-CN console names (a custom type stays as written).
    for (const types of await zh.page.getByTestId("compliance-types").allInnerTexts()) {
      assert.doesNotMatch(types, /\b(Patch|Association)\b/, `${file} (zh-CN): ${types}`);
      named.push(types);
    }
  }
  assert.ok(named.some((t) => /补丁/.test(t)), `the examples name the Patch type in Chinese: ${named}`);
  await zh.context.close();
});

test("an instance typed in reaches every command of the guided path and the collector, with no data", async () => {
  const { page, context, errors } = await env.open();
  await openGuide(page);
  // A branch, then its first question: its command names a node.
  await page.locator('[data-testid="guide-step"][data-id="N1"] [data-testid="guide-choice"][data-value="patch"]').click();
  const commands = () => page.locator('[data-testid="guide"] [data-testid="command-text"]').allInnerTexts();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="guide"] [data-testid="command-text"]')].some((e) => e.textContent.includes("<instance-id>")));
  await page.getByTestId("instance").fill(" i-0123456789abcdef0 ");
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="command-text"]')].some((e) => e.textContent.includes("<instance-id>")));
  assert.ok((await commands()).some((t) => t.includes("i-0123456789abcdef0")), (await commands()).join("\n"));
  // The collector takes the same instance: one field for the page.
  await page.getByTestId("collect").locator("summary").click();
  assert.equal((await page.getByTestId("collect-instance").inputValue()).trim(), "i-0123456789abcdef0");
  assert.match(await page.getByTestId("collect-script").innerText(), /i-0123456789abcdef0/);
  // What is not an instance id is said, and never reaches a command.
  await page.getByTestId("instance").fill("i-0123; rm -rf ~");
  await page.getByTestId("instance-error").filter({ hasText: /instance id/ }).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="guide"] [data-testid="command-text"]')].some((e) => e.textContent.includes("<instance-id>")));
  assert.ok((await commands()).every((t) => !t.includes("rm -rf")));
  assert.deepEqual(errors, []);
  await context.close();
});

test("region and profile typed in rewrite every AWS CLI command; the shell switch gives PowerShell forms", async () => {
  const { page, context, errors } = await env.open();
  await paste(page, fixtureText("awscli-describe-instance-patch-states.json"));
  // The text of every command, also of the findings below the fold, which the browser has not
  // laid out yet (`content-visibility: auto`): innerText reads only what is laid out.
  const awsTexts = () => page.locator('[data-testid="command"][data-shell="aws-cli"] [data-testid="command-text"]').allTextContents();
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
  assert.match(await finder.textContent(), /^for r in/);
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
  await example(page, "pending-reboot.txt");
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
  assert.match(await page.getByTestId("collect-script").innerText(), /Get-Content "\$env:ProgramData\\Amazon\\SSM\\Logs\\amazon-ssm-agent\.log"/);
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
      fleet: async () => {
        const fleet = execFileSync(process.env.SSM_DOCTOR, ["generate", "--kind", "instance-patch-states", "--instances", "12"], { encoding: "utf8" });
        await page.getByTestId("clear-inputs").click();
        await page.getByTestId("paste").fill(fleet);
        await page.getByTestId("diagnose").click();
        await page.getByTestId("fleet-row").first().waitFor();
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

test("files dropped anywhere on the page are read, with a visible drop target while dragging", async () => {
  const { page, context, errors } = await env.open();
  const dataTransfer = await page.evaluateHandle(([log, json]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([log], "patch-stdout.log", { type: "text/plain" }));
    dt.items.add(new File([json], "states.json", { type: "application/json" }));
    return dt;
  }, [fixtureText("docs-linux-unable-to-download-payload-exit156.log"), fixtureText("awscli-describe-instance-patch-states.json")]);
  await page.dispatchEvent("main", "dragenter", { dataTransfer });
  await page.locator(".drop-overlay.visible").waitFor();
  await page.dispatchEvent("main", "drop", { dataTransfer });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="input-row"]').length === 2);
  assert.equal(await page.locator(".drop-overlay.visible").count(), 0);
  const kinds = await page.getByTestId("input-row").evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(kinds, ["patch-linux-output", "instance-patch-states"]);
  await page.locator('[data-testid="finding"][data-ref="L4"]').first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a fleet export gets a filterable, sortable table of causes with their instances", async () => {
  const { page, context, errors } = await env.open();
    // The CLI generates a realistic fleet export (the test command builds it first).
  assert.ok(process.env.SSM_DOCTOR, "SSM_DOCTOR must point at the ssm-doctor binary");
  const fleet = execFileSync(process.env.SSM_DOCTOR, ["generate", "--kind", "instance-patch-states", "--instances", "40", "--seed", "5"], { encoding: "utf8" });
  await paste(page, fleet);
  const rows = page.getByTestId("fleet-row");
  await rows.first().waitFor();
  assert.equal(await rows.first().getAttribute("data-role"), "cause");
  const total = await rows.count();
  await page.getByTestId("fleet-filter").fill("P4");
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="fleet-row"]').length < n, total);
  assert.ok((await rows.evaluateAll((els) => els.map((e) => e.dataset.ref))).every((r) => r === "P4"));
  await page.getByTestId("fleet-filter").fill("");
  await page.getByTestId("fleet-sort").selectOption("nodes");
  const counts = await rows.evaluateAll((els) => els.map((e) => Number(e.dataset.count)));
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.deepEqual(errors, []);
  await context.close();
});

test("guided path: the person picks the branch, pastes each output the guide asks for, moves back and forth", async () => {
  const { page, context, errors } = await env.open();
  const crumb = (id) => page.locator(`[data-testid="guide-crumb"][data-id="${id}"]`);
  const step = page.getByTestId("guide-step");
  const at = (id) => page.waitForFunction((id) => document.querySelector('[data-testid="guide-step"]')?.dataset.id === id, id);
  // Choosing Patch opens the patch branch; the node gate comes first.
  await step.locator('[data-testid="guide-choice"][data-value="patch"]').click();
  await at("M0");
  assert.match(await step.getByTestId("command-text").innerText(), /describe-instance-information --filters "Key=InstanceIds,Values=<instance-id>"/);
  // Its output, pasted into the step's box, answers it (as evidence, not as the person's word)
  // and names the instance: the next step's command is written for it.
  const node = "i-0e5f6a7b8c9d0e1f2";
  await page.getByTestId("guide-answer").fill(JSON.stringify({ InstanceInformationList: [{ InstanceId: node, PingStatus: "Online", AgentVersion: "3.3.1142.0", IsLatestVersion: true, PlatformType: "Linux" }] }));
  await page.getByTestId("guide-add").click();
  await at("P0");
  assert.equal(await crumb("M0").getAttribute("data-status"), "answered");
  assert.equal(await crumb("N0").getAttribute("data-status"), "answered", "the instance is known");
  assert.match(await step.getByTestId("command-text").innerText(), new RegExp(`describe-instance-patch-states --instance-ids ${node}`));
  // The patch states answer P0 and P2 and prove the cause; the path ends with the check after the fix.
  const states = fixtureText("awscli-describe-instance-patch-states-for-patch-group-missing-rejected.json").replaceAll("i-02573cafcfEXAMPLE", node);
  await page.getByTestId("guide-answer").fill(states);
  await page.getByTestId("guide-add").click();
  await at("V");
  assert.equal(await crumb("P0").getAttribute("data-status"), "answered");
  assert.equal(await crumb("P2").getAttribute("data-status"), "answered");
  await page.locator('[data-testid="answer"][data-from="inputs"]').first().waitFor();
  await page.locator('[data-testid="finding"][data-ref="P4"]').first().waitFor();
  assert.match(await step.getByTestId("command-text").innerText(), new RegExp(`Operation=Scan --instance-ids ${node}`));
  // Back and next move between steps; the evidence now answers N1 too.
  await page.getByTestId("guide-back").click();
  const before = await step.getAttribute("data-id");
  assert.notEqual(before, "V");
  await page.getByTestId("guide-next").click();
  assert.equal(await step.getAttribute("data-id"), "V");
  await crumb("N1").click();
  assert.equal(await step.getAttribute("data-id"), "N1");
  assert.equal(await crumb("N1").getAttribute("data-status"), "answered");
  assert.deepEqual(errors, []);
  await context.close();
});

test("keyboard only: load an example, walk the guide, copy a command", async () => {
  const { page, context, errors } = await env.open();
  const tabTo = async (testid) => {
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate((id) => document.activeElement?.dataset?.testid === id, testid)) return;
    }
    throw new Error(`Tab never reached ${testid}`);
  };
  await tabTo("example");
  await page.keyboard.press("Enter");
  await page.getByTestId("node-card").first().waitFor();
  // The inputs settled the path, so it is folded: open it from the keyboard.
  await tabTo("guide-summary");
  await page.keyboard.press("Enter");
  await tabTo("guide-crumb");
  await page.keyboard.press("Enter");
  assert.equal(await page.getByTestId("guide-step").getAttribute("data-id"), "N0");
  await tabTo("copy");
  // A visible focus ring on the focused control.
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), "none");
  await page.keyboard.press("Enter");
  await page.locator('[data-testid="copy"][data-state="copied"]').first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a large paste shows its progress, then a fleet view whose node table holds only the rows in view", async () => {
  // 1,440 px: where a group's opened commands once widened the page to 1,908 px.
  const { page, context, errors } = await env.open({ viewport: { width: 1440, height: 900 } });
  const fleet = execFileSync(process.env.SSM_DOCTOR, ["generate", "--kind", "instance-patch-states", "--instances", "3000", "--seed", "9"], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.ok(fleet.length > 1_000_000);
  // Record whether the busy status ever appeared (it may be brief).
  await page.evaluate(() => {
    window.__sawBusy = "";
    new MutationObserver(() => {
      const busy = document.querySelector('[data-testid="busy"]');
      if (busy) window.__sawBusy = busy.textContent;
    }).observe(document.body, { childList: true, subtree: true });
  });
  // Like a paste: one input event with the whole text (Playwright's fill types it in slowly).
  await page.evaluate((text) => {
    const area = document.querySelector('[data-testid="paste"]');
    area.value = text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, fleet);
  await page.getByTestId("diagnose").click();
  await settled(page, 60000);
  assert.match(await page.evaluate(() => window.__sawBusy), /Sending Pasted text 1|Reading Pasted text 1|Diagnosing/);
  // 3000 instances: the fleet form. Each cause once, with its count and its commands.
  const p3 = page.locator('[data-testid="fleet-row"][data-ref="P3"][data-role="cause"]');
  await p3.waitFor();
  assert.ok(Number(await p3.getAttribute("data-count")) > 100);
  // Its commands are written into the page when opened.
  assert.equal(await p3.getByTestId("command").count(), 0);
  await p3.getByTestId("group-commands").locator("summary").click();
  await p3.getByTestId("command").first().waitFor();
  // The summary counts as the CLI does (one rule): nodes with a cause.
  const cli = execFileSync(process.env.SSM_DOCTOR, ["--format", "text", "-"], { input: fleet, encoding: "utf8", maxBuffer: 256 << 20 });
  const withCause = cli.match(/^3000 nodes, (\d+) with a cause\./m)[1];
  assert.match(await page.getByTestId("fleet-summary").innerText(), new RegExp(`^3000 instances, ${withCause} with a cause\\.`));
  // Under a fleet: no single node's guided path and no "Nothing to report" until a node is opened.
  assert.equal(await page.getByTestId("guide").count(), 0);
  await page.getByTestId("guide-fleet-note").waitFor();
  assert.doesNotMatch(await page.getByTestId("results").innerText(), /Nothing to report/);
  // The commands scroll inside their blocks: the page stays as wide as the window.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the page widened");
  // Every node of the group, not the first 50: the reboot and the Scan loop over the group's
  // node file, which the page downloads whole (the page itself holds only the first 100 ids).
  const p4 = page.locator('[data-testid="fleet-row"][data-ref="P4"][data-role="cause"]');
  await p4.getByTestId("group-commands").locator("summary").click();
  await p4.getByTestId("command").first().waitFor();
  const count = Number(await p4.getAttribute("data-count"));
  assert.ok(count > 50, `${count} nodes`);
  const texts = await p4.getByTestId("command").locator("pre").allInnerTexts();
  const looped = texts.filter((t) => t.includes("--instance-ids"));
  assert.ok(looped.length >= 2 && looped.every((t) => /while read -r -a ids <&3; .*done 3< 'nodes-[a-z-]+\.txt'/s.test(t)), texts.join("\n"));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the page widened");
  const [download] = await Promise.all([page.waitForEvent("download"), p4.getByTestId("group-node-file").click()]);
  assert.ok(looped[0].includes(download.suggestedFilename()), download.suggestedFilename());
  const lines = readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.ok(lines.every((l) => l.split(" ").length <= 50));
  const ids = lines.flatMap((l) => l.split(" "));
  assert.equal(new Set(ids).size, count);
  assert.ok(ids.every((id) => /^i-[0-9a-f]{17}$/.test(id)));
  // The node table counts every node but holds only the rows in view.
  const table = page.getByTestId("node-table");
  await page.getByTestId("node-row").first().waitFor();
  assert.match(await table.locator("h3").innerText(), /3000/);
  const inDom = await page.getByTestId("node-row").count();
  assert.ok(inDom > 10 && inDom < 60, `${inDom} rows in the page`);
  // Scrolling to the end brings the last rows (asked from the worker), still only a window.
  await page.locator(".node-scroll").evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="node-row"]')].some((r) => r.getAttribute("aria-rowindex") === "3001"));
  assert.ok((await page.getByTestId("node-row").count()) < 60);
  // Opening a node shows its findings in full, with commands.
  const row = page.getByTestId("node-row").first();
  const node = await row.getAttribute("data-node");
  await row.locator("button").click();
  // A round trip to the worker, which writes that node's findings in full: as slow as the
  // diagnosis on a loaded machine, so the same allowance.
  await page.locator(`[data-testid="node-card"][data-node="${node}"] [data-testid="finding"]`).first().waitFor({ timeout: 60000 });
  // Its guided path is that node's.
  await page.getByTestId("guide").waitFor();
  // …and brings it into view (it once opened 1,500 px below, as if the click did nothing).
  await page.waitForFunction((node) => {
    const box = document.querySelector(`[data-testid="node-card"][data-node="${node}"]`).getBoundingClientRect();
    return box.top > -1 && box.top < window.innerHeight; // sub-pixel: -0.48 when aligned to the top
  }, node, { timeout: 5000 });
  await page.screenshot({ path: join(artifacts, "fleet-nodes.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("guided path on the association, custom and inventory branches", async () => {
  const { page, context, errors } = await env.open();
  const crumbs = async () => page.getByTestId("guide-crumb").evaluateAll((els) => els.map((e) => `${e.dataset.id}:${e.dataset.status}`));
  await example(page, "association.txt");
  await openGuide(page);
  assert.deepEqual((await crumbs()).filter((c) => c.startsWith("AS")), ["AS0:answered", "AS2:answered"]);
  await page.locator('[data-testid="guide-crumb"][data-id="AS2"]').click();
  assert.match(await page.getByTestId("guide-step").innerText(), /AllowTcpForwardin/, "the answering evidence line is quoted");
  await example(page, "custom.txt");
  await openGuide(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="guide-crumb"][data-id="CU0"]'));
  assert.ok((await crumbs()).includes("CU0:answered"));
  await example(page, "inventory.txt");
  await openGuide(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="guide-crumb"][data-id="INV0"]')?.dataset.status === "answered");
  await page.locator('[data-testid="guide-crumb"][data-id="INV0"]').click();
  assert.match(await page.getByTestId("guide-step").innerText(), /inventory/i, "I1 answers which inventory association fails");
  assert.deepEqual(errors, []);
  await context.close();
});

test("copy falls back to a hidden textarea when the Clipboard API refuses", async () => {
  const { page, context, errors } = await env.open();
  // Make the async Clipboard API fail, as it does on plain http or without a user grant.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException("denied", "NotAllowedError"));
  });
  await example(page, "missing.txt");
  const command = page.locator('[data-testid="finding"][data-ref="P6"] [data-testid="command"]').first();
  await command.getByTestId("copy").click();
  await command.locator('[data-testid="copy"][data-state="copied"]').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await command.getByTestId("command-text").innerText());
  // Node cards name the compliance types involved.
  assert.match(await page.getByTestId("compliance-types").first().innerText(), /Patch/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("guided path: answering by choice adds what you said as evidence, and changing it replaces it", async () => {
  const { page, context, errors } = await env.open();
  const crumb = (id) => page.locator(`[data-testid="guide-crumb"][data-id="${id}"]`);
  const step = page.getByTestId("guide-step");
  await step.locator('[data-testid="guide-choice"][data-value="patch"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="guide-step"]')?.dataset.id === "M0");
  assert.equal(await crumb("M0").getAttribute("data-status"), "ask");
  await step.locator('[data-testid="guide-choice"][data-value="connection-lost"]').click();
  await page.locator('[data-testid="finding"][data-ref="G3"]').first().waitFor();
  assert.equal(await crumb("M0").getAttribute("data-status"), "answered");
  // The finding quotes what the person said, not the output the answer stands for.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="finding"][data-ref="G3"] [data-testid="evidence-line"]')]
    .some((l) => l.textContent.includes("You answered")));
  const quoted = await page.locator('[data-testid="finding"][data-ref="G3"]').first().getByTestId("evidence-line").allTextContents();
  assert.ok(quoted.every((l) => /You answered “.+” · /.test(l) && !l.includes("{")), quoted.join("\n"));
  const names = () => page.locator('[data-testid="input-row"] .input-name').allInnerTexts();
  // What was said shows in the guide, not as an input ("Your answer (M0) … 55 B").
  assert.deepEqual(await names(), []);
  assert.equal(await page.getByTestId("input-row").count(), 0);
  // Change the answer: the earlier one is replaced, its cause goes away.
  await crumb("M0").click();
  await page.getByTestId("guide-step").locator('[data-testid="guide-choice"][data-value="online"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="finding"][data-ref="G3"]'));
  assert.deepEqual(await names(), []);
  await crumb("M0").click();
  assert.equal(await page.getByTestId("guide-step").locator('[data-value="online"]').getAttribute("aria-pressed"), "true");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an answer steps aside when real data arrives: the data's cause heads the page, never compared with what was said", async () => {
  const { page, context, errors } = await env.open();
  const crumb = (id) => page.locator(`[data-testid="guide-crumb"][data-id="${id}"]`);
  const step = page.getByTestId("guide-step");
  await step.locator('[data-testid="guide-choice"][data-value="patch"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="guide-step"]')?.dataset.id === "M0");
  await step.locator('[data-testid="guide-choice"][data-value="online"]').click();
  await crumb("P2").click();
  await page.getByTestId("guide-step").locator('[data-testid="guide-choice"][data-value="missing"]').click();
  const p6 = page.locator('[data-testid="finding"][data-ref="P6"]').first();
  await p6.waitFor();
  // What was said is not embellished: no operation the person never named.
  assert.doesNotMatch(await p6.innerText(), /last operation was a Scan/i);
  // Real data: its own cause, alone; the answer is not a second scan source.
  await paste(page, JSON.stringify({ InstancePatchStates: [{ InstanceId: "i-0123456789abcdef0", FailedCount: 2, Operation: "Install", OperationEndTime: "2026-11-30T00:00:00Z" }] }));
  await page.locator('[data-testid="finding"][data-ref="P3"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="finding"][data-ref="P6"]').count(), 0);
  assert.equal(await page.locator('[data-testid="finding"][data-code="competing-scanners"]').count(), 0);
  const headline = page.getByTestId("answer").first();
  assert.match(await headline.innerText(), /fail/i);
  assert.equal(await headline.getByTestId("from-your-answers").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a large file can be cancelled, and removing a large input restarts the engine to give its memory back", async () => {
  const { page, context, errors } = await env.open();
  const workers = [];
  page.on("worker", (w) => workers.push(w.url()));
  const big = join(artifacts, "fleet-20mb.json");
  writeFileSync(big, execFileSync(process.env.SSM_DOCTOR, ["generate", "--kind", "instance-patch-states", "--instances", "22000", "--seed", "4"], { maxBuffer: 1 << 28 }));
  // Cancel while it is on its way or being diagnosed: the input is dropped, nothing is stuck.
  await page.getByTestId("file-input").setInputFiles(big);
  await page.getByTestId("cancel").click();
  await settled(page);
  assert.equal(await page.getByTestId("input-row").count(), 0);
  assert.equal(await page.getByTestId("busy").count(), 0);
  // The engine still works afterwards.
  await paste(page, fixtureText("awscli-describe-instance-patch-states.json"));
  assert.equal(await page.getByTestId("input-row").count(), 1);
  // A large input, read, then removed: a new worker takes over, with the other inputs.
  await page.getByTestId("file-input").setInputFiles(big);
  await settled(page, 60000);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="input-row"]').length === 2);
  const before = workers.length;
  await page.locator('[data-testid="input-row"]', { hasText: "fleet-20mb.json" }).getByTestId("remove-input").click();
  await settled(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="input-row"]').length === 1);
  assert.equal(workers.length, before + 1, "a new worker");
  assert.match(await page.getByTestId("input-row").innerText(), /Pasted text 1/);
  await page.locator('[data-testid="finding"][data-ref="P6"]').first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("clearing every input starts the next engine at once: the next paste does not wait for it", async () => {
  const { page, context, errors } = await env.open();
  const workers = [];
  page.on("worker", (w) => workers.push(w.url()));
  await paste(page, fixtureText("awscli-describe-instance-patch-states.json"));
  await page.locator('[data-testid="finding"][data-ref="P6"]').first().waitFor();
  const before = workers.length;
  // Nothing is given after "clear": the new worker is started by the clearing alone (one
  // started by the next input compiled the engine while reading it, 0.5 s for a 1 MB log).
  await Promise.all([page.waitForEvent("worker", { timeout: 10000 }), page.getByTestId("clear-inputs").click()]);
  await page.waitForFunction(() => !document.querySelector('[data-testid="input-row"]'));
  assert.equal(workers.length, before + 1, "a new worker, with nothing given");
  await paste(page, fixtureText("awscli-describe-instance-patch-states.json"));
  await page.locator('[data-testid="finding"][data-ref="P6"]').first().waitFor();
  assert.equal(workers.length, before + 1, "the paste is read by the worker the clearing started");
  assert.deepEqual(errors, []);
  await context.close();
});

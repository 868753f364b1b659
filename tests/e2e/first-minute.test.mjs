// Browser tests of the first minute: the guided path with no data (each main branch answered
// alone), a paste diagnosed without a click, the answer first, a guide that asks only what can
// still change the verdict, steps in the URL, and a page that fits a 360 px phone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { artifacts, axeViolations, corpus, example, fixture, fixtureText, openGuide, paste, settled, start } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const PHONE = { width: 360, height: 780 };

/**
 * Records in `window.seen` every change, once findings show, to how many elements match
 * `selector`, with whether the list of findings said busy then: what each frame of an arriving
 * report showed.
 */
async function recordFrames(page, selector) {
  await page.evaluate((selector) => {
    window.seen = [];
    new MutationObserver(() => {
      const findings = document.querySelectorAll('[data-testid="finding"]').length;
      const count = document.querySelectorAll(selector).length;
      const busy = document.querySelector('[data-testid="results"]')?.getAttribute("aria-busy");
      if (findings && count !== window.seen.at(-1)?.count) window.seen.push({ count, busy });
    }).observe(document.body, { childList: true, subtree: true, attributes: true });
  }, selector);
}

/** Answers the open step of the guide with `value`, then waits for the walk to move on. */
async function answer(page, value) {
  const step = page.getByTestId("guide-step");
  const id = await step.getAttribute("data-id");
  await step.locator(`[data-testid="guide-choice"][data-value="${value}"]`).click();
  await page.waitForFunction((id) => document.querySelector('[data-testid="guide-step"]')?.dataset.id !== id, id);
  await settled(page);
}

const crumbs = (page) => page.getByTestId("guide-crumb").evaluateAll((els) => els.map((e) => `${e.dataset.id}:${e.dataset.status}`));

// Each main branch, answered alone: the choices in order, the cause they prove, the command the
// verdict gives, and the check after the fix the guide ends with.
const BY_ANSWERS = {
  patch: { picks: [["N1", "patch"], ["M0", "online"], ["P0", "reported"], ["P2", "pending-reboot"]], cause: "P4", command: /^aws ec2 reboot-instances --instance-ids/, verify: /AWS-RunPatchBaseline --parameters Operation=Scan/ },
  association: { picks: [["N1", "association"], ["M0", "online"], ["AS0", "failed"], ["AS2", "step-failed"]], cause: "A7", command: /describe-association-executions .*Value=Failed/, verify: /start-associations-once/ },
  inventory: { picks: [["N1", "inventory"], ["M0", "online"], ["INV0", "multiple"]], cause: "I1", command: /describe-instance-associations-status/, verify: /start-associations-once/ },
  custom: { picks: [["N1", "custom"], ["M0", "online"], ["CU0", "custom-item"]], cause: "CU0", command: /lookup-events .*PutComplianceItems/, verify: /list-resource-compliance-summaries/ },
  // A lost connection is a cause, and the guide goes on to why: the unmanaged-node walk (M1, the
  // instance in EC2) before the check after the fix.
  node: { picks: [["N1", "patch"], ["M0", "connection-lost"]], cause: "G3", command: /describe-instances .*State\.Name/, next: "M1", verify: /^aws ec2 describe-instances --instance-ids/ },
};

test("with no data, answering the guide alone reaches the cause and its command on each main branch", async () => {
  for (const [branch, { picks, cause, command, verify, next = "V" }] of Object.entries(BY_ANSWERS)) {
    const { page, context, foreign, errors } = await env.open();
    // The empty page starts with the article's first question, its choices and its command.
    const step = page.getByTestId("guide-step");
    assert.equal(await step.getAttribute("data-id"), "N1", branch);
    assert.equal(await page.getByTestId("guide").evaluate((d) => d.open), true);
    for (const [id, value] of picks) {
      assert.equal(await step.getAttribute("data-id"), id, `${branch}: the guide asks ${id} next`);
      assert.match(await step.getByTestId("command-text").first().innerText(), /^aws /, `${branch}/${id}: the command that answers it`);
      assert.equal(await step.getByTestId("guide-answer").count(), 1, `${branch}/${id}: a box for its output`);
      await answer(page, value);
    }
    // The answer first, marked as resting on the person's answers.
    const verdict = page.locator(`[data-testid="answer"][data-ref="${cause}"]`);
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute("data-from"), "answers", branch);
    assert.equal(await verdict.getByTestId("from-your-answers").count(), 1);
    // Why: what the person said, in the words they chose (not the output it stands for).
    assert.match(await verdict.getByTestId("you-said").innerText(), /^You answered .+ · .+/);
    assert.match(await verdict.getByTestId("command-text").first().innerText(), command, branch);
    // The same cause as pasted evidence would give, with its full finding below.
    await page.locator(`[data-testid="finding"][data-role="cause"][data-ref="${cause}"]`).first().waitFor();
    // The guide stays open at the check after the fix (or first at what refines the cause).
    assert.equal(await step.getAttribute("data-id"), next, branch);
    assert.match(await step.getByTestId("command-text").first().innerText(), verify, branch);
    const statuses = await crumbs(page);
    for (const [id] of picks) assert.ok(statuses.includes(`${id}:answered`), `${branch}: ${id} answered in ${statuses}`);
    // The URL holds the answers, never a pasted byte.
    const hash = decodeURIComponent(new URL(page.url()).hash);
    for (const [id, value] of picks) assert.ok(hash.includes(`${id}:${value}`), `${branch}: ${hash}`);
    if (branch === "association") await page.screenshot({ path: join(artifacts, "answered-alone.png"), fullPage: true });
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("the engine loads once the page idles after its first paint, and waits for the person where the browser saves data", async () => {
  for (const saveData of [false, true]) {
    const context = await env.browser.newContext();
    if (saveData) {
      await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "connection", { get: () => ({ saveData: true }) }));
    }
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const painted = () => page.evaluate(() => performance.getEntriesByName("first-contentful-paint").length > 0);
    const started = page.waitForEvent("worker", { timeout: 5000 }).then(async () => ({ painted: await painted() }), () => null);
    await page.goto(env.server.url + "/");
    await page.getByTestId("paste").waitFor();
    const worker = await started;
    if (saveData) {
      assert.equal(worker, null, "with Save-Data the engine waits for the person");
      await Promise.all([page.waitForEvent("worker"), page.getByTestId("paste").focus()]);
    } else {
      assert.ok(worker, "the engine started while the page idled, with nobody touching it");
      assert.ok(worker.painted, "the page was drawn before the engine was asked for");
    }
    // Either way, the engine answers the first paste.
    await paste(page, fixtureText("awscli-describe-instance-patch-states.json"));
    await page.getByTestId("answer").first().waitFor({ timeout: 10000 });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("a paste is diagnosed at once, without a click, and the answer comes first and into view", async () => {
  const { page, context, errors } = await env.open({ viewport: PHONE });
  await page.getByTestId("paste").focus();
  await page.evaluate((text) => navigator.clipboard.writeText(text), fixtureText("awscli-describe-instance-patch-states.json"));
  await page.keyboard.press("Control+V");
  const verdict = page.getByTestId("answer").first();
  await verdict.waitFor({ timeout: 10000 });
  assert.equal(await page.getByTestId("input-row").count(), 1);
  // What is wrong, why we think so (a quoted line), what to do (a command to copy).
  assert.equal(await verdict.getAttribute("data-from"), "inputs");
  assert.match(await verdict.locator(".answer-why").innerText(), /why we think so[\s\S]*Pasted text 1/i);
  assert.equal(await verdict.getByTestId("copy").count(), 1);
  // First in the results: above the guide and the findings.
  const order = await page.evaluate(() => {
    const results = document.querySelector(".results");
    const at = (sel) => [...results.querySelectorAll("[data-testid]")].findIndex((e) => e.matches(sel));
    return { answers: at('[data-testid="answers"]'), guide: at('[data-testid="guide"]'), finding: at('[data-testid="finding"]') };
  });
  assert.ok(order.answers >= 0 && order.answers < order.guide && order.guide < order.finding, JSON.stringify(order));
  // On a phone the paste box fills the first screen: the answer was scrolled into view.
  await page.waitForFunction(() => {
    const top = document.querySelector('[data-testid="answer"]').getBoundingClientRect().top;
    return top >= 0 && top < window.innerHeight / 2;
  });
  // Typed text is diagnosed once the person pauses.
  await page.getByTestId("paste").fill(fixtureText("awscli-list-compliance-items.json"));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="input-row"]').length === 2, null, { timeout: 5000 });
  await settled(page);
  assert.equal(await page.getByTestId("paste").inputValue(), "", "the box is emptied once read");
  await page.screenshot({ path: join(artifacts, "paste-phone.png") });
  assert.deepEqual(errors, []);
  await context.close();
});

test("with data, the answer is in the first screenful and the guide asks only what could change it", async () => {
  const { page, context, errors } = await env.open({ viewport: { width: 1280, height: 800 } });
  await example(page, "pending-reboot.txt");
  const verdict = page.getByTestId("answer").first();
  await verdict.waitFor();
  assert.equal(await verdict.getAttribute("data-ref"), "P4");
  const box = await verdict.boundingBox();
  assert.ok(box.y + 120 < 800, `the answer starts at ${box.y}px`);
  // The inputs settled the path: it is folded, and says so.
  const guide = page.getByTestId("guide");
  assert.equal(await guide.evaluate((d) => d.open), false);
  assert.match(await page.getByTestId("guide-summary").innerText(), /4 of 4 steps answered/);
  await openGuide(page);
  // "Is the node online?" cannot change "waiting for a reboot": not asked. The path ends with
  // the check after the fix, for this instance.
  assert.deepEqual(await crumbs(page), ["N0:answered", "N1:answered", "P0:answered", "P2:answered", "V:ask"]);
  const step = page.getByTestId("guide-step");
  assert.equal(await step.getAttribute("data-id"), "V");
  assert.match(await step.getByTestId("command-text").innerText(), /Operation=Scan --instance-ids i-0f9e8d7c6b5a40312/);
  // A step the inputs answered quotes the line that answered it.
  await page.locator('[data-testid="guide-crumb"][data-id="P2"]').click();
  assert.match(await step.innerText(), /InstalledPendingRebootCount/);
  // Failed patches: why they failed can still sharpen the cause, so that is asked first.
  await example(page, "failed.txt");
  await openGuide(page);
  const failed = await crumbs(page);
  assert.ok(!failed.some((c) => c.startsWith("M0")), `${failed}`);
  assert.equal(failed.at(-1), "V:ask");
  assert.deepEqual(errors, []);
  await context.close();
});

test("steps and answers live in the URL: back and forward move through them, and a link opens the same step", async () => {
  const { page, context, errors } = await env.open();
  const step = page.getByTestId("guide-step");
  const current = () => step.getAttribute("data-id");
  await answer(page, "patch");
  assert.equal(await current(), "M0");
  assert.match(decodeURIComponent(page.url()), /#.*answers=N1:patch/);
  await answer(page, "online");
  assert.equal(await current(), "P0");
  // Back: the answer to M0 is taken back, and M0 is asked again.
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('[data-testid="guide-step"]')?.dataset.id === "M0");
  assert.ok((await crumbs(page)).includes("M0:ask"));
  assert.doesNotMatch(decodeURIComponent(page.url()), /M0:online/);
  // Forward: answered again.
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('[data-testid="guide-step"]')?.dataset.id === "P0");
  assert.ok((await crumbs(page)).includes("M0:answered"));
  // Moving to a step is a step in the history too.
  await page.locator('[data-testid="guide-crumb"][data-id="N1"]').click();
  assert.equal(await current(), "N1");
  assert.match(decodeURIComponent(page.url()), /step=N1/);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('[data-testid="guide-step"]')?.dataset.id === "P0");
  // A link opens the same step in a fresh browser, with the answers given so far.
  const link = new URL(page.url()).hash;
  await context.close();
  const fresh = await env.open({ hash: link });
  await fresh.page.waitForFunction(() => document.querySelector('[data-testid="guide-step"]')?.dataset.id === "P0");
  assert.ok((await crumbs(fresh.page)).includes("N1:answered"));
  assert.equal(await fresh.page.locator('[data-testid="guide-choice"][data-value="reported"]').count(), 1);
  // A link with something that is not a step or an answer is ignored, not obeyed.
  const odd = await env.open({ hash: "#step=<img>&answers=N1:patch,X:y;rm" });
  await odd.page.waitForFunction(() => document.querySelector('[data-testid="guide-step"]')?.dataset.id === "M0");
  assert.deepEqual(odd.errors, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors, []);
  await fresh.context.close();
  await odd.context.close();
});

/** Horizontal overflow, commands broken inside a token, and touch targets under 44 px. */
function phoneProblems() {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    problems.push(`page is ${document.documentElement.scrollWidth}px wide`);
  }
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden" && !e.closest(".visually-hidden, .offscreen");
  for (const tok of document.querySelectorAll(".command .tok")) {
    // One rect per line box (and per child, on the same line): a token on one line has one top.
    const lines = new Set([...tok.getClientRects()].map((r) => Math.round(r.top)));
    if (visible(tok) && lines.size > 1) problems.push(`token broken: ${tok.textContent}`);
  }
  for (const e of document.querySelectorAll("button, select, input:not([type=file]), summary, textarea")) {
    if (!visible(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 44 || r.width < 44) problems.push(`${e.dataset.testid ?? e.tagName} is ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  // A command's caption never runs under its Copy button (a badge once did).
  for (const head of document.querySelectorAll(".command-head")) {
    const copy = head.querySelector("button.copy");
    if (!visible(head) || !copy) continue;
    const b = copy.getBoundingClientRect();
    for (const part of head.querySelectorAll(".command-label > *")) {
      const r = part.getBoundingClientRect();
      const overlaps = r.right > b.left + 0.5 && r.left < b.right && r.bottom > b.top && r.top < b.bottom;
      if (visible(part) && overlaps) problems.push(`${part.className || part.tagName} runs under Copy: ${part.textContent.slice(0, 30)}`);
    }
  }
  // Anything that sticks out on the right without being inside a scrolling block.
  for (const e of document.querySelectorAll("body *")) {
    if (!visible(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.right > window.innerWidth + 0.5 && !e.closest("pre, .node-scroll, .fleet table")) problems.push(`${e.tagName}.${e.className} ends at ${Math.round(r.right)}px`);
  }
  return [...new Set(problems)].slice(0, 20);
}

test("at 360 px nothing scrolls sideways, commands break only at spaces, touch targets are 44 px", async () => {
  const { page, context, errors } = await env.open({ viewport: PHONE });
  // The header and settings fold into one line.
  assert.equal(await page.locator(".settings").evaluate((d) => d.open), false);
  assert.match(await page.getByTestId("settings").innerText(), /Settings[\s\S]*English · bash/);
  assert.deepEqual(await page.evaluate(phoneProblems), [], "empty page");
  await page.getByTestId("settings").click();
  await page.getByTestId("region").fill("ap-southeast-2");
  assert.match(await page.getByTestId("settings").innerText(), /ap-southeast-2/);
  assert.deepEqual(await page.evaluate(phoneProblems), [], "settings open");
  await page.getByTestId("settings").click();
  for (const file of ["failed.txt", "association.txt", "not-managed.txt"]) {
    // Choosing an example (below the results on a phone) brings its answer into view.
    await page.locator(`[data-testid="example"][data-file="${file}"]`).click();
    await settled(page);
    await page.waitForFunction(() => {
      const a = document.querySelector('[data-testid="answer"]');
      const top = a?.getBoundingClientRect().top;
      return a && top >= 0 && top < window.innerHeight / 2;
    });
    await openGuide(page);
    await page.locator('[data-testid="finding"] .evidence summary').first().click().catch(() => {});
    assert.deepEqual(await page.evaluate(phoneProblems), [], file);
  }
  await page.locator('[data-testid="collect"] summary').click();
  await page.getByTestId("collect-script").waitFor();
  assert.deepEqual(await page.evaluate(phoneProblems), [], "collect everything");
  // A long command stays one token per line: it scrolls inside its block if it must, and a
  // block with more to scroll to shows a shadow on that side (a cut-off line never looks whole).
  const wide = await page.locator('[data-testid="command"] pre').evaluateAll((els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => getComputedStyle(e).backgroundImage));
  assert.ok(wide.length > 0, "some command is wider than a phone");
  assert.ok(wide.every((b) => (b.match(/radial-gradient/g) ?? []).length === 2), wide[0]);
  await page.getByTestId("answer").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, "phone-360.png") });
  assert.deepEqual(errors, []);
  await context.close();
});

test("at 360 px a failed command's evidence is its matching line, and a Chinese page's input messages are Chinese", async () => {
  const { page, context, errors } = await env.open({ viewport: PHONE, locale: "zh-CN" });
  // A get-command-invocation whose output (one JSON string of 40 lines) holds the yum error.
  const invocation = corpus("faulty/yum-dependency-with-failed-states").find((f) => f.endsWith("install-invocation.json"));
  await paste(page, readFileSync(invocation, "utf8"));
  const cause = page.locator('[data-testid="finding"][data-role="cause"]').first();
  await cause.waitFor();
  const lines = await cause.getByTestId("evidence-line").evaluateAll((els) => els.map((e) => e.innerText));
  assert.ok(lines.some((l) => /yum update failed with result code: 1/.test(l)), lines.join("\n"));
  assert.ok(lines.every((l) => !l.includes("\\n") && !l.includes('"StandardOutputContent"')), lines.join("\n"));
  // A paste the reader repairs, and one it cannot read: what it says of them is in Chinese.
  await paste(page, "hello there\n{\"InstancePatchStates\": [{\"InstanceId\": \"i-0123456789abcdef0\", \"MissingCount\": 1, ...}]}\n");
  const messages = await page.locator('[data-testid="input-list"] .messages li').evaluateAll((els) => els.map((e) => e.innerText));
  assert.ok(messages.length >= 2, messages.join("\n"));
  for (const m of messages) {
    assert.match(m, /[\u4e00-\u9fff]/, m);
    assert.doesNotMatch(m.replace(/`[^`]*`/g, ""), /\b[a-z]+(?: [a-z]+){3,}\b/, m);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("Copied shows, then the button reads Copy again", async () => {
  const { page, context, errors } = await env.open();
  await example(page, "missing.txt");
  const copy = page.getByTestId("answer").first().getByTestId("copy");
  await copy.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="answer"] [data-testid="copy"]').dataset.state === "copied");
  assert.equal(await copy.innerText(), "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await page.getByTestId("answer").first().getByTestId("command-text").innerText());
  await page.waitForFunction(() => document.querySelector('[data-testid="answer"] [data-testid="copy"]').dataset.state === "idle", null, { timeout: 5000 });
  assert.equal(await copy.innerText(), "Copy");
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe-core finds no violations on the first-minute screens, phone and desktop", async () => {
  for (const viewport of [PHONE, { width: 1280, height: 900 }]) {
    const { page, context } = await env.open({ viewport, bypassCSP: true });
    const where = `${viewport.width}px`;
    assert.deepEqual(await axeViolations(page), [], `${where} / empty page with the first question`);
    // On a phone the settings are folded; on a desktop they are an open toolbar.
    if (viewport.width < 960) await page.getByTestId("settings").click();
    assert.deepEqual(await axeViolations(page), [], `${where} / settings`);
    await answer(page, "patch");
    assert.deepEqual(await axeViolations(page), [], `${where} / a step with its command and paste box`);
    await answer(page, "connection-lost");
    await page.getByTestId("answer").first().waitFor();
    assert.deepEqual(await axeViolations(page), [], `${where} / an answer from the person's answers`);
    await example(page, "pending-reboot.txt");
    await openGuide(page);
    assert.deepEqual(await axeViolations(page), [], `${where} / the answer with a folded guide, opened`);
    await page.getByTestId("lang").selectOption("zh-CN");
    assert.deepEqual(await axeViolations(page), [], `${where} / Chinese`);
    await context.close();
  }
});

test("invalid values are named beside their field, in the interface language, only once typed", async () => {
  const { page, context, errors } = await env.open({ locale: "zh-CN" });
  // Nothing typed: no complaint, anywhere (the collect panel waits for an instance).
  assert.equal(await page.getByTestId("region-error").innerText(), "");
  await page.locator('[data-testid="collect"] summary').click();
  assert.match(await page.getByTestId("collect-waiting").innerText(), /输入实例 ID/);
  assert.equal(await page.getByTestId("collect-error").count(), 0);
  // A region that is not one: said beside the field, in Chinese, and commands keep <region>.
  await page.getByTestId("region").fill("eu-west");
  await page.waitForFunction(() => document.querySelector('[data-testid="region-error"]').textContent.length > 0);
  assert.match(await page.getByTestId("region-error").innerText(), /不是区域/);
  assert.equal(await page.getByTestId("region").getAttribute("aria-invalid"), "true");
  await page.getByTestId("collect-instance").fill("i-123");
  assert.match(await page.getByTestId("collect-error").innerText(), /^i-123 不是实例 ID/);
  assert.equal(await page.getByTestId("collect-error").locator("code").innerText(), "i-123", "the value as code, not in backticks");
  // Corrected: the message goes, the value is used.
  await page.getByTestId("region").fill("eu-west-1");
  await page.waitForFunction(() => document.querySelector('[data-testid="region-error"]').textContent === "");
  await page.getByTestId("collect-instance").fill("i-0123456789abcdef0");
  assert.match(await page.getByTestId("collect-script").innerText(), /--region eu-west-1/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a report shows its first findings in the frame it arrives in, the rest once painted, and is busy till then", async () => {
  const { page, context, errors } = await env.open();
  await recordFrames(page, '[data-testid="finding"]');
  // Eight findings: the command history of a patch run that failed on several nodes.
  await paste(page, fixtureText("awscli-list-commands-runpatchbaseline.json"));
  const seen = await page.evaluate(() => window.seen);
  assert.deepEqual(seen.map((s) => s.count), [3, 8]);
  assert.equal(seen[0].busy, "true", "busy while findings are still to come");
  assert.equal(await page.getByTestId("finding").count(), 8);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a finding's first evidence lines show with it, the rest once the report is painted", async () => {
  const { page, context, errors } = await env.open();
  await recordFrames(page, '[data-testid="evidence-line"]');
  // The ssm-cli diagnostics table: its first finding quotes eleven of the table's lines.
  const file = "docs-ssm-cli-get-diagnostics-table-linux.txt";
  await paste(page, fixtureText(file));
  const report = JSON.parse(execFileSync(process.env.SSM_DOCTOR, ["--format", "json", fixture(file)], { encoding: "utf8" }));
  const quoted = report.findings.map((f) => f.evidence.length);
  assert.ok(Math.max(...quoted) > 5, `a finding quotes more than five lines: ${quoted}`);
  const seen = await page.evaluate(() => window.seen);
  const all = quoted.reduce((a, b) => a + b, 0);
  assert.equal(seen.at(-1).count, all, "every line, once painted");
  assert.ok(seen[0].count < all, `fewer lines in the first frame: ${JSON.stringify(seen)}`);
  assert.equal(seen[0].busy, "true", "busy while lines are still to come");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a paste into the empty box goes to the engine without entering the box; into a box with text, the whole box is read", async () => {
  const { page, context, errors } = await env.open();
  const box = page.getByTestId("paste");
  await box.focus();
  // A paste the browser puts into the box fires `input`; one taken straight to the engine does not.
  await page.evaluate(() => {
    window.inputs = 0;
    document.querySelector('[data-testid="paste"]').addEventListener("input", () => window.inputs++);
  });
  await page.evaluate((text) => navigator.clipboard.writeText(text), fixtureText("awscli-describe-instance-patch-states.json"));
  await page.keyboard.press("Control+V");
  await page.getByTestId("answer").first().waitFor({ timeout: 10000 });
  await settled(page);
  assert.equal(await page.evaluate(() => window.inputs), 0, "the pasted text never entered the box");
  assert.equal(await box.inputValue(), "");
  assert.equal(await page.getByTestId("input-row").count(), 1);
  // Text typed first, then a paste after it: one input of both, read from the box.
  await box.fill("Operation: Install");
  await page.evaluate((text) => navigator.clipboard.writeText(text), "\nMissing count: 3, Failed count: 1\n");
  await page.keyboard.press("End");
  await page.keyboard.press("Control+V");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="input-row"]').length === 2);
  await settled(page);
  assert.equal(await box.inputValue(), "", "the box is emptied once read");
  assert.deepEqual(errors, []);
  await context.close();
});

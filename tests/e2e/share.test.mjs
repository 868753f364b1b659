// Browser tests of sharing: the report to send (redacted, previewed exactly, each category
// switchable, copied and downloaded as previewed), a reply restored, a share link that carries
// the path and no data, the print-out, and inputs kept in the tab only on request.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { artifacts, assertNoRawText, axeViolations, fixtureText, paste, prose, settled, start } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const INFO = "awscli-describe-instance-information.json";
const EVENT = "docs-eventbridge-patch-noncompliant.json";
const STATES = "awscli-describe-instance-patch-states.json";

/** The identifying values of a text, found independently of the app's redactor. */
function identifying(text) {
  const found = new Set();
  for (const line of text.split("\n")) {
    for (const m of line.matchAll(/\b(?:i|mi)-[0-9a-zA-Z]{4,}\b|\b\d{11,13}\b|\barn:aws[^\s"]+|\b[a-z]{1,12}-[0-9a-f]{8,17}\b/g)) found.add(m[0]);
    if (!/version/i.test(line)) for (const m of line.matchAll(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g)) found.add(m[0]);
  }
  return [...found];
}

async function openShare(page) {
  const share = page.getByTestId("share");
  if (!(await share.evaluate((d) => d.open))) await share.locator("summary").click();
}

/** The preview once the worker has written it (and again after a change). */
async function preview(page, previous = null) {
  const box = page.getByTestId("export-preview");
  await page.waitForFunction((prev) => {
    const v = document.querySelector('[data-testid="export-preview"]')?.value ?? "";
    return v.startsWith("# ") && v !== prev;
  }, previous);
  return box.inputValue();
}

test("an exported report holds no original id, leaves exactly as previewed, and a reply is restored", async () => {
  const { page, foreign, errors } = await env.open();
  const texts = [fixtureText(INFO), fixtureText(EVENT)];
  await paste(page, texts.join("\n"));
  await openShare(page);
  const markdown = await preview(page);
  const originals = identifying(texts.join("\n"));
  assert.ok(originals.length >= 5, `the fixtures hold ids: ${originals}`);
  for (const value of originals) assert.ok(!markdown.includes(value), `the export leaks ${value}`);
  assert.match(markdown, /INSTANCE-1/);
  assert.match(markdown, /## Decision path/, "the path taken is part of the report");
  assert.match(markdown, /```bash\n\s*aws ssm /, "with its commands");
  // Each category found is listed with its count, and hidden by default.
  const categories = await page.getByTestId("export-category").evaluateAll((els) => els.map((e) => `${e.dataset.category}:${e.checked}`));
  assert.ok(categories.includes("instance:true") && categories.every((c) => c.endsWith(":true")), categories.join(" "));

  // Downloaded and copied: byte for byte the preview.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-download").click()]);
  assert.equal(download.suggestedFilename(), "ssm-compliance-report.md");
  assert.equal(readFileSync(await download.path(), "utf8"), markdown);
  await page.getByTestId("export-copy").click();
  await page.locator('[data-testid="export-copy"][data-state="copied"]').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), markdown);

  // A category switched off is in clear; the others stay hidden.
  await page.locator('[data-testid="export-category"][data-category="instance"]').uncheck();
  const clear = await preview(page, markdown);
  assert.ok(clear.includes("i-01234567890abcdef"), "instance ids in clear on request");
  for (const value of originals.filter((v) => !/^(i|mi)-/.test(v))) assert.ok(!clear.includes(value), `${value} still hidden`);

  // A support reply written with the pseudonyms, back with the real values, here only.
  await page.getByTestId("restore-input").fill("Please reboot INSTANCE-1, then INSTANCE-2; not INSTANCE-99.");
  await page.getByTestId("restore-button").click();
  const restored = page.getByTestId("restored");
  await restored.waitFor();
  assert.equal(await restored.innerText(), "Please reboot i-01234567890abcdef, then i-028ea792daEXAMPLE; not INSTANCE-99.");
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
});

test("a share link opened in a fresh browser lands on the same step, names the findings, and carries no data", async () => {
  const a = await env.open();
  const states = fixtureText(STATES);
  await paste(a.page, states);
  const guide = a.page.getByTestId("guide");
  if (!(await guide.evaluate((d) => d.open))) await a.page.getByTestId("guide-summary").click();
  // Move to an earlier step, as a support engineer pointing at it would.
  await a.page.locator('[data-testid="guide-crumb"][data-id="P0"]').click();
  await a.page.locator('[data-testid="guide-step"][data-id="P0"]').waitFor();
  await openShare(a.page);
  const link = await a.page.getByTestId("share-link").inputValue();
  const fragment = new URL(link).hash;
  assert.match(fragment, /step=P0/);
  assert.match(fragment, /answers=N1:patch/, "the branch the inputs proved travels as an answer");
  assert.match(fragment, /[#&]v=[0-9a-f]{8}/);
  assert.match(fragment, /[#&]f=[a-z0-9-]+(,[a-z0-9-]+)*/);
  for (const value of identifying(states)) assert.ok(!link.includes(value), `the link carries ${value}`);
  assert.ok(link.length < 400, `a short link: ${link.length} characters`);
  const codes = decodeURIComponent(fragment).match(/f=([^&]+)/)[1].split(",");

  // A fresh browser context: nothing pasted, same step, the sender's findings named.
  const b = await env.open({ hash: fragment });
  await b.page.locator('[data-testid="guide-step"][data-id="P0"]').waitFor();
  assert.equal(await b.page.locator('[data-testid="guide-crumb"][aria-current="step"]').getAttribute("data-id"), "P0");
  const note = b.page.getByTestId("shared-note");
  await note.waitFor();
  await b.page.getByTestId("shared-finding").first().waitFor();
  const named = await b.page.getByTestId("shared-finding").evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.deepEqual(named, codes);
  assert.equal(await b.page.getByTestId("shared-version").count(), 0, "same knowledge base");
  assert.equal(await b.page.getByTestId("input-row").count(), 0, "no data came with the link");
  assert.match(await note.innerText(), /paste your own output/);
  assert.deepEqual(b.foreign, []);
  assertNoRawText(assert, await prose(b.page), "share link");

  // A link naming findings whose titles carry values (counts, baselines, sources) names them
  // without the values it does not carry, in both languages.
  const crafted = fragment.replace(/f=[^&]+/, "f=patch-pending-reboot,competing-scanners,patch-baseline-summary,baseline-mismatch,patch-installed-rejected");
  for (const locale of ["en-US", "zh-CN"]) {
    const d = await env.open({ hash: crafted, locale });
    await d.page.getByTestId("shared-finding").nth(4).waitFor();
    assertNoRawText(assert, await prose(d.page), `share link (${locale})`);
    await d.context.close();
  }

  // A link made with another knowledge base says so.
  const c = await env.open({ hash: fragment.replace(/v=[0-9a-f]{8}/, "v=00000000") });
  await c.page.getByTestId("shared-version").waitFor();
  await a.context.close();
  await b.context.close();
  await c.context.close();
});

test("sharing is one click from the answer, at phone and desktop widths", async () => {
  for (const viewport of [{ width: 360, height: 780 }, { width: 1280, height: 900 }]) {
    const { page, context } = await env.open({ viewport });
    await paste(page, fixtureText(STATES));
    // The button sits under the answer, in the first screens; the panel itself far below.
    const go = page.getByTestId("go-share");
    await go.click();
    await page.getByTestId("export-preview").waitFor();
    assert.equal(await page.getByTestId("share").evaluate((d) => d.open), true);
    const top = await page.getByTestId("share").evaluate((d) => d.getBoundingClientRect().top);
    assert.ok(top >= -1 && top < viewport.height, `${viewport.width}px: the share panel in view (${top})`);
    await preview(page);
    await context.close();
  }
});

test("print: the redacted report alone, laid out for paper", async () => {
  const { page, context } = await env.open();
  const texts = [fixtureText(INFO), fixtureText(EVENT)];
  await paste(page, texts.join("\n"));
  await openShare(page);
  await preview(page);
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await page.getByTestId("export-print").click();
  assert.equal(await page.evaluate(() => window.printed), 1, "the browser's print dialog is opened");
  await page.emulateMedia({ media: "print" });
  const report = page.getByTestId("print-report");
  assert.ok(await report.isVisible(), "the report is printed");
  for (const hidden of ["paste", "share", "guide", "settings"]) {
    assert.equal(await page.getByTestId(hidden).isVisible(), false, `${hidden} is not printed`);
  }
  const printed = await report.innerText();
  for (const value of identifying(texts.join("\n"))) assert.ok(!printed.includes(value), `the print-out leaks ${value}`);
  assert.match(printed, /INSTANCE-1/);
  const pdf = join(artifacts, "report.pdf");
  await page.pdf({ path: pdf, format: "A4" });
  assert.ok(statSync(pdf).size > 10_000, "a PDF with content");
  await page.screenshot({ path: join(artifacts, "print-preview.png"), fullPage: true });
  await context.close();

  // A larger report: dated, the verdicts first, and findings flowing from page to page (each
  // one started a new page, 7 A4 pages with page 1 three-quarters blank).
  const big = await env.open();
  await paste(big.page, [BIG_PRINT].flat().map(fixtureText).join("\n"));
  await openShare(big.page);
  await preview(big.page);
  await big.page.emulateMedia({ media: "print" });
  const top = big.page.getByTestId("print-report");
  assert.match(await top.getByTestId("print-date").innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  assert.match(await top.getByTestId("print-verdicts").innerText(), /INSTANCE-1: .+\n.*INSTANCE-2: /);
  const findings = await top.getByTestId("finding").count();
  const bigPdf = join(artifacts, "report-large.pdf");
  await big.page.pdf({ path: bigPdf, format: "A4" });
  const pages = (readFileSync(bigPdf, "latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages > 1 && pages < findings, `${pages} pages for ${findings} findings`);
  await big.context.close();
});

const BIG_PRINT = ["awscli-describe-instance-patch-states-for-patch-group-missing-rejected.json", "docs-linux-yum-dependency-failure.log", "awscli-describe-instance-information.json"];

test("inputs are kept in the tab only on request, and forgotten when it is turned off", async () => {
  const { page, context } = await env.open();
  const states = fixtureText(STATES);
  await paste(page, states);
  const stored = () => page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  assert.ok(!(await stored()).includes("i-1234567890abcdef0"), "nothing pasted is stored by default");
  await page.reload();
  await page.getByTestId("paste").waitFor();
  assert.equal(await page.getByTestId("input-row").count(), 0, "by default a reload forgets the inputs");

  await paste(page, states);
  await openShare(page);
  await page.getByTestId("keep-inputs").check();
  await page.waitForFunction(() => Object.keys(sessionStorage).some((k) => k.includes("input-0")));
  await page.reload();
  await page.getByTestId("input-row").first().waitFor();
  await settled(page);
  assert.equal(await page.getByTestId("input-row").count(), 1);
  await page.locator('[data-testid="finding"][data-ref="P3"]').first().waitFor();
  // A new paste does not take the kept one's name.
  await paste(page, fixtureText(INFO));
  assert.equal(await page.getByTestId("input-row").count(), 2);

  await openShare(page);
  assert.equal(await page.getByTestId("keep-inputs").isChecked(), true);
  await page.getByTestId("keep-inputs").uncheck();
  assert.ok(!(await stored()).includes("i-1234567890abcdef0"), "turned off, the tab keeps nothing");
  await context.close();
});

test("the share panel passes axe and fits a phone", async () => {
  const { page, context } = await env.open({ bypassCSP: true, viewport: { width: 360, height: 780 } });
  await paste(page, fixtureText(STATES));
  await openShare(page);
  await preview(page);
  await page.getByTestId("share").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, "share-phone.png"), fullPage: false });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, "no sideways scrolling");
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});

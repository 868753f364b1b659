// Shared set-up for the browser tests: serve dist/ on 127.0.0.1, drive Debian's Chromium with
// Playwright, and record every request to another origin (the page must make none) and every
// page error (a CSP violation or a panic shows up here).
import { chromium } from "playwright-core";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "../..");
export const artifacts = join(repo, "tests/e2e/artifacts");
mkdirSync(artifacts, { recursive: true });

/** The repository's copy of the fixtures (tests/fixtures): a clone tests on its own. */
export function fixture(name) {
  const path = resolve(repo, "tests/fixtures", name);
  if (!existsSync(path)) throw new Error(`missing fixture ${path}`);
  return path;
}
export const fixtureText = (name) => readFileSync(fixture(name), "utf8");

/** A sample of tests/corpus: a file, or the files of a correlation scenario's folder. */
export function corpus(name) {
  const path = resolve(repo, "tests/corpus", name);
  if (!existsSync(path)) throw new Error(`missing corpus sample ${path}`);
  return statSync(path).isDirectory() ? readdirSync(path).sort().map((f) => join(path, f)) : [path];
}

const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function start({ mounts = {}, root = join(repo, "dist") } = {}) {
  const server = await serve(root, { mounts });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  return {
    server,
    browser,
    /** A fresh context and page. `bypassCSP` only for tests that inject axe-core; `hash` opens
     * the page at that URL fragment (a link to a step); `path` where the page is served. */
    async open({ colorScheme = "light", viewport = { width: 1280, height: 900 }, locale = "en-US", bypassCSP = false, hash = "", path = "/" } = {}) {
      const context = await browser.newContext({ colorScheme, viewport, locale, bypassCSP });
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
      const foreign = [];
      const errors = [];
      // Block and record anything not from our own server.
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(server.url + "/") || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
        foreign.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      await page.goto(server.url + path + hash);
      await page.getByTestId("paste").waitFor();
      return { page, context, foreign, errors };
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Waits until the worker has answered for every input given so far. */
export async function settled(page, timeout = 30000) {
  await page.locator('[data-testid="results"][aria-busy="false"]').waitFor({ state: "attached", timeout });
}

/** Pastes text into the paste area and runs the diagnosis, then waits for its answer. */
export async function paste(page, text) {
  await page.getByTestId("paste").fill(text);
  await page.getByTestId("diagnose").click();
  await settled(page);
}

/** Clicks an example of the gallery and waits for its diagnosis. */
export async function example(page, file) {
  await page.locator(`[data-testid="example"][data-file="${file}"]`).click();
  await settled(page);
}

/** Opens the guided path if it is folded (it folds once the inputs prove a cause). */
export async function openGuide(page) {
  const guide = page.getByTestId("guide");
  if (!(await guide.evaluate((d) => d.open))) await page.getByTestId("guide-summary").click();
}

/** Runs axe-core (injected by the test: the context must bypass the page's CSP) and returns
 * its violations as "rule: target" lines. */
export async function axeViolations(page) {
  const { readFileSync } = await import("node:fs");
  await page.evaluate(readFileSync(join(repo, "node_modules/axe-core/axe.min.js"), "utf8"));
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
  });
}

/** What the page shows as prose: its visible text without commands, inputs and quoted lines
 * (they hold the shells' and the inputs' own braces and backticks). */
export async function prose(page) {
  return page.evaluate(() => {
    const copy = document.body.cloneNode(true);
    for (const el of copy.querySelectorAll("pre, textarea, input, script, style, code, .evidence-line, [data-testid=\"evidence\"]")) el.remove();
    return copy.textContent;
  });
}

/** Fails on a bare `{slot}` or a literal backtick in what the page shows. */
export function assertNoRawText(assert, text, where) {
  const slot = text.match(/\{[a-z_]+(?::[^{}]*)?\}/);
  assert.equal(slot, null, `${where}: a bare ${slot?.[0]} on screen`);
  assert.ok(!text.includes("`"), `${where}: a literal backtick on screen: …${text.slice(Math.max(0, text.indexOf("`") - 60), text.indexOf("`") + 60)}…`);
}

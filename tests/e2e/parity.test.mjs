// The app and the ssm-doctor CLI share one diagnosis crate: for the same input they must show
// the same findings. Feeds every shared fixture to the page and compares with the CLI's JSON.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fixture, settled, start } from "./harness.mjs";

const doctor = process.env.SSM_DOCTOR;
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test("every fixture: the page shows exactly the findings ssm-doctor reports", async () => {
  assert.ok(doctor, "SSM_DOCTOR must point at the ssm-doctor binary (scripts/test.sh sets it)");
  const dir = dirname(fixture("SOURCES.md"));
  const files = readdirSync(dir).filter((f) => f !== "SOURCES.md").sort();
  const { page, context, foreign, errors } = await env.open();
  const mismatches = [];
  for (const file of files) {
    const report = JSON.parse(execFileSync(doctor, ["--format", "json", fixture(file)], { encoding: "utf8" }));
    // Age checks depend on the clock, which the page and the CLI read separately.
    const key = (f) => `${f.code}|${f.ref}|${f.role}|${f.node ?? ""}`;
    const want = report.findings.filter((f) => f.ref !== "P0" || f.code !== "patch-data-stale").map(key).sort();
    await page.getByTestId("file-input").setInputFiles(fixture(file));
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="input-row"]').length === n, 1);
    // A report's first findings show at once, the rest a frame later: the list is busy till then.
    await settled(page);
    const got = (await page.locator('[data-testid="finding"]').evaluateAll((els) =>
      els.map((e) => `${e.dataset.code}|${e.dataset.ref}|${e.dataset.role}|${e.closest('[data-testid="node-card"]').dataset.node}`),
    )).filter((k) => !k.startsWith("patch-data-stale|")).sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ file, want, got });
    await page.getByTestId("clear-inputs").click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="input-row"]'));
  }
  assert.deepEqual(mismatches, []);
  assert.ok(files.length >= 30);
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

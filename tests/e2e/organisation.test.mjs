// Browser test of organisation scale: the result of the SQL views (Athena's CSV of
// ssm_doctor_node_causes; here the CLI's identical rows for a generated Resource Data Sync tree)
// dropped on the page is the fleet view grouped by cause, with states as notes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { artifacts, settled, start } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test("an organisation's result CSV dropped on the page gives the fleet view grouped by cause", async () => {
  const tree = mkdtempSync(join(tmpdir(), "ssm-sync-"));
  const file = join(artifacts, "ssm_doctor_node_causes.csv");
  try {
    execFileSync(process.env.SSM_DOCTOR, ["generate", "--kind", "resource-data-sync", "--accounts", "2", "--regions", "2", "--instances", "150", "--seed", "5", "--out", tree], { stdio: "pipe" });
    writeFileSync(file, execFileSync(process.env.SSM_DOCTOR, ["sync", tree, "--format", "csv", "--now", "2026-12-01T00:00:00Z"], { maxBuffer: 1 << 26 }));
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
  const { page, context, foreign, errors } = await env.open();
  await page.getByTestId("file-input").setInputFiles(file);
  await settled(page, 60000);
  assert.match(await page.getByTestId("input-row").innerText(), /Organisation verdicts/);
  for (const ref of ["P3", "P4", "P6", "W5", "AS2", "P0"]) {
    await page.locator(`[data-testid="fleet-row"][data-ref="${ref}"][data-role="cause"]`).first().waitFor();
  }
  // A terminated or stopped instance and a silent node are states: notes, never causes.
  await page.locator('[data-testid="fleet-row"][data-ref="G12"][data-role="note"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="fleet-row"][data-ref="G12"][data-role="cause"]').count(), 0);
  const titles = await page.locator('[data-testid="fleet-row"]').allInnerTexts();
  assert.ok(titles.every((t) => !t.includes("{")), titles.join("\n"));
  await page.screenshot({ path: join(artifacts, "organisation-fleet.png"), fullPage: true });
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

// Table 3 of scripts/bench.sh: the built page (dist/) in headless Chromium.
//
//   node scripts/bench-browser.mjs SIZE_MB ...      (SSM_DOCTOR: the CLI that generates inputs)
//
// For each size, a generated describe-instance-patch-states export is served beside the page
// and given to the app as a file (as a drop would), and the time to the first result on screen
// is measured next to what the same page takes to JSON.parse the same text and filter its
// non-compliant instances (the baseline). The longest main-thread task while the app works
// comes from the Long Tasks API. Start to interactive is the time from navigation to the app
// mounted and listening. Numbers only: nothing here passes or fails.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { start } from "../tests/e2e/harness.mjs";

const doctor = process.env.SSM_DOCTOR;
if (!doctor) throw new Error("SSM_DOCTOR must name the ssm-doctor binary");
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-bench-"));

function generate(mb, kind = "instance-patch-states") {
  const sample = execFileSync(doctor, ["generate", "--kind", kind, "--instances", "1000"], { maxBuffer: 1 << 26 });
  const instances = Math.max(1, Math.round((mb * 1e6) / (sample.length / 1000)));
  const name = kind === "instance-patch-states" ? `fleet-${mb}.json` : `${kind}-${mb}.json`;
  const file = join(dir, name);
  writeFileSync(file, execFileSync(doctor, ["generate", "--kind", kind, "--instances", String(instances)], { maxBuffer: 1 << 30 }));
  return { file, name, instances, kind };
}

// A log of about `mb` MB: the corpus's faulty logs, one after another, as a person pastes a
// long agent or patch log (every signature and the kind's recognition run over it).
function generateLog(mb) {
  const corpus = join(dirname(fileURLToPath(import.meta.url)), "../tests/corpus/faulty");
  const logs = readdirSync(corpus).filter((f) => f.endsWith(".log")).sort().map((f) => readFileSync(join(corpus, f), "utf8"));
  let text = "";
  for (let i = 0; text.length < mb * 1e6; i++) text += logs[i % logs.length];
  const name = `log-${mb}.log`;
  writeFileSync(join(dir, name), text);
  return { file: join(dir, name), name, instances: 0 };
}

const env = await start({ mounts: { "/bench/": dir } });
const rows = [];
try {
  // Start to interactive: navigation to the app mounted (trunk's event, after main() ran), in
  // a context that has loaded the page once (its files cached, as on a second visit). One load
  // varies from the next by tens of milliseconds on this machine (80 to 160 ms in one series of
  // 41): the median of fifteen, and the quartiles around it (a median of five moved by 15 ms
  // between runs of the same build).
  const { page: first, context: firstContext } = await env.open();
  await first.close();
  const starts = [];
  for (let i = 0; i < 15; i++) {
    const page0 = await firstContext.newPage();
    await page0.addInitScript(() => {
      addEventListener("TrunkApplicationStarted", () => { window.__interactive = performance.now(); });
    });
    await page0.goto(env.server.url + "/");
    await page0.getByTestId("paste").waitFor();
    await page0.waitForFunction(() => window.__interactive !== undefined);
    starts.push(await page0.evaluate(() => window.__interactive));
    await page0.close();
  }
  await firstContext.close();
  starts.sort((a, b) => a - b);
  const interactive = starts[7];

  const cases = sizes.flatMap((mb) => {
    const fleet = generate(mb);
    const hows = mb <= 1 ? ["file", "paste"] : ["file"];
    // A log is pasted twice: set in the box and clicked, as above, and as a person pastes it,
    // with Ctrl+V into the empty box (the browser's own insertion of the text included).
    const log = mb <= 1 ? generateLog(mb) : null;
    // And once more after "clear", as a person who starts over pastes it: the engine that
    // reads it is the one the clearing started.
    const logs = log ? ["paste", "Ctrl+V", "paste after clear"].map((how) => ({ mb, how, ...log })) : [];
    // A large export is loaded three times, each in a new page: one load varies by a tenth
    // from the next on this machine, so the table gives the median time and baseline.
    const loads = mb >= 20 ? 3 : 1;
    // A large export of the other kind a fleet is listed in, compliance items: its findings
    // differ by their items, and a cost that grew faster than it (slots hashed without them:
    // 22 s at 150 MB) went unseen while only patch states were measured here.
    const itemsExport = mb >= 20 ? generate(mb, "compliance-items") : null;
    const items = itemsExport ? Array.from({ length: loads }, () => ({ mb, how: "file", ...itemsExport })) : [];
    return [...hows.flatMap((how) => Array.from({ length: loads }, () => ({ mb, how, ...fleet }))), ...items, ...logs];
  });
  for (const { name, file, instances, how, kind } of cases) {
    const bytes = statSync(file).size;
    const { page, context, errors } = await env.open();
    // The engine loads when a person starts to give the page something (focus, a drag).
    await page.getByTestId("paste").focus();
    await page.waitForTimeout(1000);
    if (how === "paste after clear") {
      await page.evaluate(async (url) => {
        document.querySelector('[data-testid="paste"]').value = await (await fetch(url)).text();
        document.querySelector('[data-testid="diagnose"]').click();
      }, `/bench/${name}`);
      await page.locator('[data-testid="finding"]').first().waitFor();
      await page.getByTestId("clear-inputs").click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="finding"]'));
      await page.waitForTimeout(1000);
    }
    // In the page: the baseline, then the input given (window.t0: when), the first result awaited.
    const baseline = await page.evaluate(async ({ url, name, how, kind }) => {
      window.long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.long.push([e.startTime, e.duration]);
      }).observe({ type: "longtask", buffered: true });
      const blob = await (await fetch(url)).blob();
      // Baseline: decode the text, JSON.parse it, filter the non-compliant instances (items);
      // for a log, split it into lines and keep those that say ERROR.
      const b0 = performance.now();
      if (name.endsWith(".log")) (await blob.text()).split("\n").filter((l) => /ERROR/.test(l)).length;
      else if (kind === "compliance-items") JSON.parse(await blob.text()).ComplianceItems.filter((i) => i.Status === "NON_COMPLIANT").length;
      else JSON.parse(await blob.text()).InstancePatchStates.filter((s) => s.MissingCount + s.FailedCount + s.InstalledPendingRebootCount + s.InstalledRejectedCount > 0).length;
      const baseline = performance.now() - b0;
      if (how === "Ctrl+V") await navigator.clipboard.writeText(await blob.text());
      await new Promise((r) => setTimeout(r, 200));
      window.shown = new Promise((ok) => {
        const check = () => document.querySelector('[data-testid="fleet-row"],[data-testid="finding"]') && ok(performance.now());
        new MutationObserver(check).observe(document.body, { childList: true, subtree: true });
      });
      if (how === "Ctrl+V") {
        document.addEventListener("keydown", () => { window.t0 = performance.now(); }, { capture: true, once: true });
      } else if (how.startsWith("paste")) {
        const area = document.querySelector('[data-testid="paste"]');
        area.value = await blob.text();
        window.t0 = performance.now();
        document.querySelector('[data-testid="diagnose"]').click();
      } else {
        const transfer = new DataTransfer();
        transfer.items.add(new File([blob], name));
        const input = document.querySelector('[data-testid="file-input"]');
        input.files = transfer.files;
        window.t0 = performance.now();
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return baseline;
    }, { url: `/bench/${name}`, name, how, kind });
    if (how === "Ctrl+V") await page.keyboard.press("Control+V");
    const result = await page.evaluate(async () => {
      const t1 = await window.shown;
      await new Promise((r) => setTimeout(r, 300));
      const during = window.long.filter(([s]) => s >= window.t0 - 1 && s <= t1 + 300).map(([, d]) => d);
      return { app: t1 - window.t0, longest: Math.max(0, ...during) };
    });
    if (errors.length) throw new Error(errors.join("\n"));
    rows.push({ mb: bytes / 1e6, instances, how, kind, log: name.endsWith(".log"), baseline, ...result });
    await context.close();
  }
  // The loads of one input, as one row: the median time and baseline, the longest task of any.
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const loaded = [];
  for (const r of rows) {
    const same = loaded.find((l) => l.mb === r.mb && l.how === r.how && l.log === r.log && l.kind === r.kind);
    if (same) same.runs.push(r);
    else loaded.push({ ...r, runs: [r] });
  }
  rows.length = 0;
  for (const l of loaded) {
    rows.push({ ...l, loads: l.runs.length, app: median(l.runs.map((r) => r.app)), baseline: median(l.runs.map((r) => r.baseline)), longest: Math.max(...l.runs.map((r) => r.longest)) });
  }
  console.log("Table 3: the page in headless Chromium (time to the first result on screen; a large export: the median of 3 loads)");
  console.log(`${"input".padEnd(32)} ${"app ms".padStart(9)} ${"parse+filter ms".padStart(16)} ${"x baseline".padStart(11)} ${"longest task ms".padStart(16)}`);
  for (const r of rows) {
    const items = r.kind === "compliance-items" ? " items" : "";
    const label = r.log ? `${r.mb.toFixed(1)} MB log ${r.how}` : `${r.mb.toFixed(1)} MB${items} ${r.how} (${r.instances})`;
    console.log(`${label.padEnd(32)} ${r.app.toFixed(0).padStart(9)} ${r.baseline.toFixed(0).padStart(16)} ${(r.app / r.baseline).toFixed(2).padStart(11)} ${r.longest.toFixed(0).padStart(16)}`);
  }
  const quartiles = `${starts[3].toFixed(0)}-${starts[11].toFixed(0)}`;
  console.log(`start to interactive: ${interactive.toFixed(0)} ms (loopback; median of 15, quartiles ${quartiles})`);
  console.log("targets: <= 3x parse+filter at 150 MB (stretch 1x), no task over 50 ms, first finding <= 100 ms after a 1 MB paste (an export or a log, clicked or pasted with Ctrl+V, on a new page or after clear; the log's baseline splits its lines and keeps those with ERROR), start to interactive <= 100 ms");
} finally {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
}

// Table 4 of scripts/bench.sh, and the first-visit budget the test command enforces: the
// release bundle's files, raw, gzip -9 and brotli (quality 11), and the sum of what a first
// visit downloads before it is interactive (everything but the worker, which loads once the page
// idles after its first paint, and the examples, which load on first use).
//
//   node scripts/sizes.mjs [dist] [--budget BYTES]     exits 1 when the first visit is over budget
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const dist = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a)) ?? "dist";
const budgetAt = args.indexOf("--budget");
const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : 250 * 1000;

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
})(dist);

// Loaded after the first visit's paint: the engine (worker) when the page idles or gets its
// first input, an example when one is chosen.
const later = (path) => /(^|\/)worker/.test(path) || path.includes("/examples/") || path.startsWith("examples/");

const rows = files.map((path) => {
  const body = readFileSync(path);
  return {
    file: relative(dist, path),
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
rows.sort((a, b) => Number(later(a.file)) - Number(later(b.file)) || b.raw - a.raw);

console.log("Table 4: the release bundle (bytes)");
console.log(`${"file".padEnd(40)} ${"raw".padStart(9)} ${"gzip".padStart(8)} ${"brotli".padStart(8)}  loaded`);
for (const r of rows) {
  const when = later(r.file) ? "later" : "first visit";
  console.log(`${r.file.padEnd(40)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(8)} ${String(r.brotli).padStart(8)}  ${when}`);
}
const first = rows.filter((r) => !later(r.file));
const sum = (key) => first.reduce((total, r) => total + r[key], 0);
console.log(`${"first visit".padEnd(40)} ${String(sum("raw")).padStart(9)} ${String(sum("gzip")).padStart(8)} ${String(sum("brotli")).padStart(8)}  budget ${budget} gzip`);
if (sum("gzip") > budget) {
  console.error(`sizes: the first visit is ${sum("gzip")} B gzip, over the budget of ${budget} B`);
  process.exit(1);
}

// Minifies the page's JavaScript glue with terser (trunk's own minifier gives up on it) and
// updates its `integrity` in index.html: 2 KB gzip of the first visit.
//
//   node scripts/minify.mjs [dist]
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const dist = process.argv[2] ?? "dist";
const name = readdirSync(dist).find((n) => /^app-[0-9a-f]+\.js$/.test(n));
const path = join(dist, name);
const source = readFileSync(path, "utf8");
const integrity = (text) => "sha384-" + createHash("sha384").update(text, "utf8").digest("base64");
const { code } = await minify(source, { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } });
writeFileSync(path, code);
const indexPath = join(dist, "index.html");
const index = readFileSync(indexPath, "utf8");
const updated = index.replaceAll(integrity(source), integrity(code));
if (updated === index) throw new Error(`minify: no integrity for ${name} in ${indexPath}`);
writeFileSync(indexPath, updated);
console.error(`minify: ${name} ${source.length} → ${code.length} bytes`);

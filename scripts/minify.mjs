// Minifies the page's JavaScript glue with terser (trunk's own minifier gives up on it) and
// updates its `integrity` in index.html: 2 KB gzip of the first visit. Drops the custom
// sections of the page's wasm (the toolchain's notes about itself): 0.2 KB gzip more.
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
const integrity = (body) => "sha384-" + createHash("sha384").update(body).digest("base64");
const { code } = await minify(source, { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } });
writeFileSync(path, code);
const indexPath = join(dist, "index.html");
const index = readFileSync(indexPath, "utf8");
const updated = index.replaceAll(integrity(source), integrity(code));
if (updated === index) throw new Error(`minify: no integrity for ${name} in ${indexPath}`);
writeFileSync(indexPath, updated);
console.error(`minify: ${name} ${source.length} → ${code.length} bytes`);

// The page's wasm without its custom sections (the toolchain's `producers`, `target_features`
// and wasm-split's marker: nothing the browser reads), its `integrity` updated likewise.
const wasmName = readdirSync(dist).find((n) => /^app-[0-9a-f]+_bg\.wasm$/.test(n));
const wasmPath = join(dist, wasmName);
const wasm = readFileSync(wasmPath);
const stripped = withoutCustomSections(wasm);
const withWasm = updated.replaceAll(integrity(wasm), integrity(stripped));
if (withWasm === updated) throw new Error(`minify: no integrity for ${wasmName} in ${indexPath}`);
writeFileSync(wasmPath, stripped);
writeFileSync(indexPath, withWasm);
console.error(`minify: ${wasmName} ${wasm.length} → ${stripped.length} bytes`);

/** The module with every custom section (id 0) left out; the other sections byte for byte. */
function withoutCustomSections(module) {
  if (module.readUInt32LE(0) !== 0x6d736100) throw new Error("minify: not a wasm module");
  const kept = [module.subarray(0, 8)];
  let at = 8;
  while (at < module.length) {
    const start = at;
    const id = module[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = module[at++];
      size += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    at += size;
    if (at > module.length) throw new Error("minify: a wasm section runs past the end");
    if (id !== 0) kept.push(module.subarray(start, at));
  }
  return Buffer.concat(kept);
}

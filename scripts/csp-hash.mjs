// Pins trunk's inline loader script in the page's Content-Security-Policy by its SHA-256, so
// the policy can forbid every other inline script (no 'unsafe-inline').
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2] ?? "dist/index.html";
let html = readFileSync(file, "utf8");
const scripts = [...html.matchAll(/<script(?:\s[^>]*)?>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const hashes = scripts.map((body) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
const before = html;
html = html.replace(/script-src 'self'( 'sha256-[^']+')*/, `script-src 'self' ${hashes.join(" ")}`.trimEnd());
if (html === before && hashes.length) {
  console.error(`csp-hash: no "script-src 'self'" in ${file}`);
  process.exit(1);
}
writeFileSync(file, html);
console.error(`csp-hash: pinned ${hashes.length} inline script(s) in ${file}`);

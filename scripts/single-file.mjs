// Writes dist-single/index.html: the whole app in one file (the page's wasm and JS, the
// engine's wasm and JS, the CSS, the icon and the examples inlined), for support engineers to
// carry on a laptop or attach to a ticket. It works opened from file://: the engine starts
// from a blob made of its own bytes, the examples are answered from memory, and nothing is
// fetched. The Content-Security-Policy stays strict: no network at all, scripts and styles
// pinned by their hashes.
//
//   node scripts/single-file.mjs [dist] [out-dir]
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = process.argv[2] ?? "dist";
const out = process.argv[3] ?? "dist-single";
const find = (re) => {
  const name = readdirSync(dist).find((n) => re.test(n));
  if (!name) throw new Error(`single-file: no ${re} in ${dist}`);
  return join(dist, name);
};
const b64 = (path) => readFileSync(path).toString("base64");
const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

// The page's module, as one script: its exports become plain declarations, and its default
// export (wasm-bindgen's init) is called by name.
let appJs = readFileSync(find(/^app-[0-9a-f]+\.js$/), "utf8");
let init = "__wbg_init";
appJs = appJs.replace(/export\s*\{([^}]*)\};?/g, (_, list) => {
  for (const entry of list.split(",")) {
    const [local, exported] = entry.trim().split(/\s+as\s+/);
    if (exported === "default") init = local;
  }
  return "";
});
appJs = appJs.replace(/\bexport (class|function|const|let|async function) /g, "$1 ").replaceAll("import.meta.url", "location.href");
if (/\bexport\s*(\{|default\b|class\b|function\b|const\b|let\b|var\b)|\bimport\s*(\{|\*|[\w$]+\s+from\b)/.test(appJs)) {
  throw new Error("single-file: the page's module still imports or exports");
}

const examples = {};
for (const name of readdirSync(join(dist, "examples"))) {
  examples[`./examples/${name}`] = readFileSync(join(dist, "examples", name), "utf8");
}
const workerSource =
  readFileSync(join(dist, "worker.js"), "utf8") +
  `\n;wasm_bindgen({ module_or_path: Uint8Array.from(atob(${JSON.stringify(b64(join(dist, "worker_bg.wasm")))}), (c) => c.charCodeAt(0)) });\n`;

const script = `
const EXAMPLES = ${JSON.stringify(examples)};
const fetchFromNetwork = window.fetch.bind(window);
window.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input && input.url;
  return url in EXAMPLES ? Promise.resolve(new Response(EXAMPLES[url])) : fetchFromNetwork(input, init);
};
window.SSM_DOCTOR_WORKER = URL.createObjectURL(new Blob([${JSON.stringify(workerSource)}], { type: "text/javascript" }));
${appJs}
await ${init}({ module_or_path: Uint8Array.from(atob(${JSON.stringify(b64(find(/^app-[0-9a-f]+_bg\.wasm$/)))}), (c) => c.charCodeAt(0)) });
`;
const style = readFileSync(find(/^style-[0-9a-f]+\.css$/), "utf8");
const icon = `data:image/svg+xml;base64,${b64(find(/^favicon-[0-9a-f]+\.svg$/))}`;
const page = readFileSync(join(dist, "index.html"), "utf8");
const description = (page.match(/<meta content="([^"]*)" name=description>/) ?? [])[1] ?? "";
// The built page's body: what it says when the app cannot start.
const body = (page.match(/<body>([\s\S]*?)(?:<\/body>|<\/html>|$)/) ?? [])[1] ?? "";
// The body's own script (it says what the app needs where WebAssembly SIMD is missing), pinned too.
const bodyScripts = [...body.matchAll(/<script(?:\s[^>]*)?>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const csp = [
  "default-src 'none'",
  `script-src ${[script, ...bodyScripts].map(sha256).join(" ")} 'wasm-unsafe-eval'`,
  "worker-src blob:",
  `style-src ${sha256(style)}`,
  "img-src data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${description}">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>SSM Compliance Doctor</title>
<link rel="icon" href="${icon}">
<style>${style}</style>
<script type="module">${script}</script>
</head>
<body>${body}</body>
</html>
`;
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "index.html"), html);
console.error(`single-file: ${out}/index.html, ${(html.length / 1e6).toFixed(1)} MB`);

// A static file server for dist/ on 127.0.0.1, used by `scripts/serve.sh` and the browser tests.
// It serves only files under the root and records every request, so tests can assert the page
// asked for nothing else.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
};

/**
 * Serves `root`; `mounts` maps a path prefix to another directory (the benchmark serves its
 * generated inputs under `/bench/`).
 */
export async function serve(root, { port = 0, host = "127.0.0.1", mounts = {} } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    const mount = Object.keys(mounts).find((prefix) => path.startsWith(prefix));
    const base = resolve(mount ? mounts[mount] : root);
    let file = normalize(join(base, mount ? path.slice(mount.length) : path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(port, host, ok));
  const { port: actual } = server.address();
  return { url: `http://${host}:${actual}`, requests, close: () => new Promise((ok) => server.close(ok)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [root = "dist", port = "8080"] = process.argv.slice(2);
  const { url } = await serve(root, { port: Number(port) });
  console.log(`SSM Compliance Doctor: ${url}/ (Ctrl+C to stop)`);
}

// The bench's own loopback servers (the e2e harness stays untouched):
//   pages  — bench/pages/page.html as /pages/wasm.html or /pages/reference.html, the reader script and {{ARTICLE}} filled from the query string;
//   static — with CORS, as a CDN would: /reference/reader.js (`referenceFile`: bench/reference/reader.js or its minified copy),
//            /dist/… (READER_DIST), /articles/long.json (generated), /articles/short.json (the demo fixture).
//            Under /enc/… the same files are sent compressed (br when the browser offers it, else gzip),
//            as a real CDN sends them; without /enc/ they go uncompressed, like the harness's servers.
import { createServer } from "node:http";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
};

function listen(handler) {
  const server = createServer((req, res) => {
    try {
      handler(req, res);
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

function inside(base, path) {
  const full = normalize(join(base, decodeURIComponent(path)));
  return full.startsWith(base) ? full : null;
}

/** `root`: the repository; `dist`, `referenceDir`: directories; `referenceFile`: the reference served as reader.js; `longJson`, `shortJson`: article bytes. */
export async function startBenchServers({ root, dist, referenceDir, referenceFile, longJson, shortJson }) {
  const cache = new Map();
  const encoded = (key, bytes, encoding) => {
    const id = `${encoding}:${key}`;
    if (!cache.has(id)) {
      cache.set(
        id,
        encoding === "br"
          ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
          : gzipSync(bytes, { level: 9 }),
      );
    }
    return cache.get(id);
  };
  // Compress everything /enc/ serves before the first request: brotli -q 11 of the wasm takes long
  // enough to stall the server's event loop in the middle of a measured run otherwise.
  const warm = [["/articles/short.json", shortJson]];
  for (const name of readdirSync(dist)) if (/\.(js|wasm)$/.test(name)) warm.push([`/dist/${name}`, readFileSync(join(dist, name))]);
  warm.push(["/reference/reader.js", readFileSync(referenceFile)]);
  for (const [key, bytes] of warm) for (const encoding of ["br", "gzip"]) encoded(key, bytes, encoding);
  const seenEncodings = new Set();
  const staticServer = await listen((req, res) => {
    let path = new URL(req.url, "http://x").pathname;
    const compress = path.startsWith("/enc/");
    if (compress) path = path.slice(4);
    let file = null;
    let bytes = null;
    if (path === "/articles/long.json") bytes = longJson;
    else if (path === "/articles/short.json") bytes = shortJson;
    else if (path === "/reference/reader.js") file = referenceFile;
    else if (path.startsWith("/reference/")) file = inside(referenceDir, path.slice("/reference/".length));
    else if (path.startsWith("/dist/")) file = inside(dist, path.slice("/dist/".length));
    if (file && existsSync(file)) bytes = readFileSync(file);
    const headers = { "access-control-allow-origin": "*", "cache-control": "no-store" };
    if (!bytes) {
      res.writeHead(404, headers);
      return res.end();
    }
    headers["content-type"] = TYPES[extname(path)] ?? "application/octet-stream";
    const accepted = String(req.headers["accept-encoding"] ?? "");
    seenEncodings.add(accepted);
    if (compress) {
      const encoding = /\bbr\b/.test(accepted) ? "br" : /\bgzip\b/.test(accepted) ? "gzip" : null;
      if (encoding) {
        bytes = encoded(path, bytes, encoding);
        headers["content-encoding"] = encoding;
        headers.vary = "accept-encoding";
      }
    }
    res.writeHead(200, headers);
    res.end(bytes);
  });
  const pagesServer = await listen((req, res) => {
    const url = new URL(req.url, "http://x");
    const name = url.pathname.match(/^\/pages\/(wasm|reference)\.html$/)?.[1];
    if (!name) {
      res.writeHead(404);
      return res.end();
    }
    const cdn = url.searchParams.get("cdn") ?? "";
    const script = name === "wasm" ? `${cdn}/embed.js` : `${url.searchParams.get("ref") ?? ""}/reader.js`;
    // the hints of the README's snippet ("Embed on your site")
    const hints = name === "wasm"
      ? `\n  <link rel="modulepreload" href="${cdn}/commune-reader.js">` +
        `\n  <link rel="preload" as="fetch" type="application/wasm" crossorigin href="${cdn}/commune-reader_bg.wasm">`
      : "";
    const html = readFileSync(join(root, "bench/pages/page.html"), "utf8")
      .replaceAll("{{READER_SCRIPT}}", script)
      .replaceAll("{{READER_HINTS}}", hints)
      .replaceAll("{{ARTICLE}}", url.searchParams.get("article") ?? "");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  });
  const servers = [staticServer, pagesServer];
  return {
    static: `http://127.0.0.1:${staticServer.address().port}`,
    pages: `http://127.0.0.1:${pagesServer.address().port}`,
    seenEncodings,
    close: () => Promise.all(servers.map((s) => new Promise((done) => { s.closeAllConnections?.(); s.close(done); }))),
  };
}

// Shared end-to-end harness: real HTTP servers on loopback and Debian's headless Chromium.
//
// Three origins, as on a real portal: the page (the portal), the CDN (the reader's files) and the
// API (the article JSON). Each is a plain node:http server on 127.0.0.1 with an ephemeral port.
import { createServer, request as httpRequest } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
/** The built reader; READER_DIST lets a parallel build be tested without touching dist/. */
export const DIST = process.env.READER_DIST ?? join(ROOT, "dist");
const PAGES = join(ROOT, "tests/e2e/pages");
const ARTICLES = join(ROOT, "demo/articles");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

async function sendFile(res, path, extraHeaders = {}) {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error("not a file");
    const body = await readFile(path);
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", ...extraHeaders });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/html", ...extraHeaders });
    res.end("<!doctype html><title>404</title><h1>Không tìm thấy</h1>");
  }
}

function safeJoin(base, urlPath) {
  const path = normalize(join(base, decodeURIComponent(urlPath)));
  return path.startsWith(base) ? path : join(base, "__nope__");
}

function listen(handler) {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

/** Counts of requests per path on the API origin, so tests can prove what was (not) fetched. */
export const apiHits = new Map();

/** Routes of the article API: fixtures, and every fault a countryside network or an old CMS produces. */
async function api(req, res, counterUrl) {
  const url = new URL(req.url, "http://x");
  apiHits.set(url.pathname, (apiHits.get(url.pathname) ?? 0) + 1);
  const cors = { "access-control-allow-origin": "*" };
  if (url.pathname.startsWith("/api/") && counterUrl) return proxy(req, res, counterUrl);
  const fault = url.pathname.match(/^\/status\/(\d{3})$/);
  if (fault) {
    res.writeHead(Number(fault[1]), { "content-type": "text/html", ...cors });
    return res.end(`<!doctype html><h1>Lỗi ${fault[1]}</h1>`);
  }
  if (url.pathname === "/stall") {
    // Never answers: the reader's timeout (or its removal) must end the request.
    req.on("close", () => apiHits.set("/stall:closed", (apiHits.get("/stall:closed") ?? 0) + 1));
    return;
  }
  if (url.pathname === "/json") {
    // The body comes from the query, so a test can send any malformed payload.
    res.writeHead(200, { "content-type": "application/json", ...cors });
    return res.end(Buffer.from(url.searchParams.get("b") ?? "", "base64"));
  }
  if (url.pathname === "/flaky") {
    // Fails with 503 `fail` times per key, then serves the fixture.
    const key = `flaky:${url.searchParams.get("key")}`;
    const seen = (apiHits.get(key) ?? 0) + 1;
    apiHits.set(key, seen);
    if (seen <= Number(url.searchParams.get("fail") ?? 1)) {
      res.writeHead(503, cors);
      return res.end("busy");
    }
    return sendFile(res, join(ARTICLES, "ducpho-truc-bao.json"), cors);
  }
  if (url.pathname.startsWith("/articles/")) {
    return sendFile(res, safeJoin(ARTICLES, url.pathname.slice("/articles/".length)), cors);
  }
  if (url.pathname === "/html200") {
    // A CMS error or login page sent with status 200.
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...cors });
    return res.end("<!DOCTYPE html><html><head><title>Lỗi</title></head><body><h1>Hệ thống đang bảo trì</h1></body></html>");
  }
  if (url.pathname === "/big") {
    // A valid article of `bytes` bytes; `length` = declared (Content-Length), chunked (none), or lie
    // (a Content-Length of `declared` bytes, default ≈ 1 TB, in front of a small body).
    const size = Number(url.searchParams.get("bytes") ?? 6 * 1024 * 1024);
    const mode = url.searchParams.get("length") ?? "declared";
    const head = Buffer.from('{"title":"Bài rất lớn","content_text":"');
    const tail = Buffer.from('"}');
    const body = Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), "a"), tail]);
    if (mode === "lie") {
      res.writeHead(200, { "content-type": "application/json", "content-length": url.searchParams.get("declared") ?? "999999999999", ...cors });
      return res.write(Buffer.from('{"title":"Nói dối","content_text":"x"}'));
    }
    res.writeHead(200, { "content-type": "application/json", ...(mode === "declared" ? { "content-length": body.length } : {}), ...cors });
    if (mode === "declared") return res.end(body);
    for (let at = 0; at < body.length; at += 256 * 1024) res.write(body.subarray(at, at + 256 * 1024));
    return res.end();
  }
  if (url.pathname === "/deep") {
    // Nesting `levels` deep (too long for a query string): JSON arrays, JSON objects, or HTML divs in the body.
    const n = Number(url.searchParams.get("levels") ?? 10_000);
    const kind = url.searchParams.get("kind") ?? "array";
    const body = {
      array: `{"title":"Sâu","x":${"[".repeat(n)}1${"]".repeat(n)}}`,
      object: `{"title":"Sâu",${'"a":{'.repeat(n)}"b":1${"}".repeat(n)}}`,
      html: JSON.stringify({ title: "HTML lồng sâu", content_html: `${"<div><b>".repeat(n)}đáy${"</b></div>".repeat(n)}<p>Đoạn cuối.</p>` }),
    }[kind];
    res.writeHead(200, { "content-type": "application/json", ...cors });
    return res.end(body);
  }
  if (url.pathname.startsWith("/edges/")) return edges(url, res, cors);
  res.writeHead(404, cors);
  res.end();
}

/** Routes of tests/e2e/edges.test.mjs. `seen(what)` counts, per route and `key`, in `apiHits`. */
function edges(url, res, cors) {
  const key = `${url.pathname}:${url.searchParams.get("key")}`;
  const seen = (what, n = 1) => apiHits.set(`${key}:${what}`, (apiHits.get(`${key}:${what}`) ?? 0) + n);
  seen("requests");
  const json = { "content-type": "application/json", ...cors };
  if (url.pathname === "/edges/trickle" || url.pathname === "/edges/endless") {
    // trickle: a valid article, 1 KB every 50 ms for `seconds`, as over slow phone data.
    // endless: 64 KiB every 10 ms with no Content-Length, until the client hangs up.
    // Both count the bytes sent, and "aborted" when the client closed the connection first.
    const trickle = url.pathname === "/edges/trickle";
    const chunk = Buffer.alloc(trickle ? 1024 : 64 * 1024, "a");
    const until = Date.now() + 1000 * Number(url.searchParams.get("seconds") ?? 30);
    res.writeHead(200, json);
    res.write(`{"title":"${trickle ? "Bài tải chậm" : "Bài vô tận"}","content_text":"`);
    const timer = setInterval(() => {
      if (trickle && Date.now() > until) {
        clearInterval(timer);
        return res.end('"}');
      }
      res.write(chunk);
      seen("bytes", chunk.length);
    }, trickle ? 50 : 10);
    res.on("error", () => {}); // a write racing the client's hang-up
    res.on("close", () => {
      clearInterval(timer);
      if (!res.writableFinished) seen("aborted");
    });
    return;
  }
  if (url.pathname === "/edges/html") {
    // content_html of `n` plain <div>s, nested (shape=nested) or side by side (shape=flat), or of
    // `n` numbered paragraphs (shape=paragraphs).
    const n = Number(url.searchParams.get("n") ?? 50_000);
    const html = {
      flat: () => "<div>x</div>".repeat(n),
      nested: () => `${"<div>".repeat(n)}đáy${"</div>".repeat(n)}`,
      paragraphs: () => Array.from({ length: n }, (_, i) => `<p>Đoạn ${i + 1} của một bài rất dài.</p>`).join(""),
    }[url.searchParams.get("shape") ?? "nested"]();
    res.writeHead(200, json);
    return res.end(JSON.stringify({ title: "Thân bài khổng lồ", content_html: `${html}<p>Đoạn cuối.</p>` }));
  }
  res.writeHead(404, cors);
  res.end();
}

function proxy(req, res, target) {
  const upstream = new URL(req.url, target);
  const forward = httpRequest(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (reply) => {
    res.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(res);
  });
  forward.on("error", () => {
    res.writeHead(502);
    res.end();
  });
  req.pipe(forward);
}

/**
 * Starts the three origins. `page` serves the built demo (dist/) and the test pages (/t/…);
 * `cdn` serves dist/ with CORS, as a provincial CDN would; `api` serves articles and faults.
 * With `counterUrl`, `/api/…` on the page and API origins is proxied to a running counter.
 */
export async function startServers({ counterUrl } = {}) {
  const cdn = await listen((req, res) =>
    sendFile(res, safeJoin(DIST, new URL(req.url, "http://x").pathname), { "access-control-allow-origin": "*" }),
  );
  const apiServer = await listen((req, res) => api(req, res, counterUrl));
  const origins = {
    cdn: `http://127.0.0.1:${cdn.address().port}`,
    api: `http://127.0.0.1:${apiServer.address().port}`,
  };
  const page = await listen(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path.startsWith("/api/") && counterUrl) return proxy(req, res, counterUrl);
    if (path.startsWith("/t/")) {
      // Test pages name the other origins as {{CDN}} and {{API}}.
      try {
        const html = (await readFile(safeJoin(PAGES, path.slice(3)), "utf8"))
          .replaceAll("{{CDN}}", origins.cdn)
          .replaceAll("{{API}}", origins.api);
        const headers = { "content-type": TYPES[extname(path)] ?? "text/html; charset=utf-8" };
        const csp = html.match(/<!-- CSP: (.*) -->/);
        if (csp) headers["content-security-policy"] = csp[1].replaceAll("{{CDN}}", origins.cdn);
        res.writeHead(200, headers);
        return res.end(html);
      } catch {
        res.writeHead(404);
        return res.end();
      }
    }
    if (path.startsWith("/x/")) {
      // A demo page served as a portal on another origin would serve it: the reader's files from
      // the CDN origin, the article JSON from the API origin, the page's own files from here.
      try {
        const html = (await readFile(safeJoin(DIST, path.slice(2)), "utf8"))
          .replaceAll('"/embed.js"', `"${origins.cdn}/embed.js"`)
          .replaceAll('"/demo/articles/', `"${origins.api}/articles/`)
          .replace("script-src 'self'", `script-src ${origins.cdn}`)
          .replace("connect-src 'self'", `connect-src ${origins.cdn} ${origins.api}`);
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(html);
      } catch {
        res.writeHead(404);
        return res.end();
      }
    }
    return sendFile(res, safeJoin(DIST, path === "/" ? "/index.html" : path));
  });
  origins.page = `http://127.0.0.1:${page.address().port}`;
  const servers = [cdn, apiServer, page];
  return {
    ...origins,
    close: () => Promise.all(servers.map((s) => new Promise((done) => { s.closeAllConnections?.(); s.close(done); }))),
  };
}

/** Flags that keep Chromium quiet on a machine whose only network is loopback. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** One browser and the three origins for a whole test file, closed by the `after` hook given:
 *  `const { browser, servers } = await openBrowserAndServers(after);` */
export async function openBrowserAndServers(afterHook, options) {
  const browser = await launch();
  const servers = await startServers(options);
  afterHook(async () => {
    await browser.close();
    await servers.close();
  });
  return { browser, servers };
}

export function launch(extraArgs = []) {
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 900 } };
/** Outside Vietnam on purpose: dates must still read in Vietnam time. */
export const FAR_TIME_ZONE = "America/Los_Angeles";
/** A plain phone browser: the counter does not count headless Chromium, by design. */
export const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 10; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";

/** A context with the console watched: any console error or page error fails the test that checks. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ timezoneId: FAR_TIME_ZONE, locale: "vi-VN", ...options });
  context.problems = [];
  context.on("page", (page) => watch(page, context.problems));
  return context;
}

function watch(page, problems) {
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()} ${message.location().url ?? ""}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
}

/** Waits until the reader inside `host` shows an article or an error, and returns which. */
export async function readerState(page, host = "[data-commune-reader]", { timeout = 20_000, polling = "raf" } = {}) {
  const handle = await page.waitForFunction(
    (selector) => {
      const root = document.querySelector(selector)?.shadowRoot;
      if (root?.querySelector("article")) return "article";
      if (root?.querySelector(".error")) return "error";
      return null;
    },
    host,
    { timeout, polling },
  );
  return handle.jsonValue();
}

/** Opens the fault page (tests/e2e/pages/faults.html) with its healthy reader loaded, collecting page errors. */
export async function openFaultPage(context, servers) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(servers.page + "/t/faults.html");
  if ((await readerState(page, "#healthy", { timeout: 30_000 })) !== "article") throw new Error("the healthy reader failed");
  return { page, errors };
}

/** Polls `fn(hostElement, arg)` until `until(value)` holds (10 s at most: CI machines are busy) and returns the last value. */
export async function pollOnHost(page, fn, until, { arg, host = "[data-commune-reader]", timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  do {
    value = await page.locator(host).first().evaluate(fn, arg);
    if (until(value)) return value;
    await new Promise((done) => setTimeout(done, 25));
  } while (Date.now() < deadline);
  return value;
}

/** Runs `fn(hostElement, arg)` in the page on the first element matching `host` (a reader's mount point). */
export function onHost(page, fn, arg, host = "[data-commune-reader]") {
  return page.locator(host).first().evaluate(fn, arg);
}

/** Runs axe-core with the WCAG 2.2 AA tag set the project holds itself to; returns the violations. */
export async function axeViolations(page, include) {
  const { default: AxeBuilder } = await import("@axe-core/playwright");
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

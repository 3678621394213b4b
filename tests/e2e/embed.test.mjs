// Issue 3 acceptance: embedded in pages we do not control, several per page, sealed off both ways.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, PHONE, apiHits, newContext, onHost, openBrowserAndServers, pollOnHost, readerState } from "./harness.mjs";

const { browser, servers } = await openBrowserAndServers(after);

const READER_PROPERTIES = [
  "font-family", "font-size", "font-style", "font-weight", "line-height", "color", "text-transform",
  "text-indent", "text-align", "letter-spacing", "margin-top", "margin-bottom", "display",
];

function readerStyles(host, properties) {
  const pick = (element) => {
    const style = getComputedStyle(element);
    return Object.fromEntries(properties.map((name) => [name, style.getPropertyValue(name)]));
  };
  const root = host.shadowRoot;
  return {
    title: pick(root.querySelector(".title")),
    body: pick(root.querySelector(".body p")),
    meta: pick(root.querySelector(".meta")),
    button: pick(root.querySelector("button")),
  };
}

const noProblems = (context, allow = () => false) => assert.deepEqual(context.problems.filter((p) => !allow(p)), []);
const counterMissing = (problem) => problem.endsWith("/api/views"); // the demo names a counter; none runs here

test("the reader looks the same on the hostile CMS page as on a bare page", async () => {
  const context = await newContext(browser, DESKTOP);
  const page = await context.newPage();
  await page.goto(servers.page + "/t/bare.html");
  assert.equal(await readerState(page), "article");
  const bare = await onHost(page, readerStyles, READER_PROPERTIES);
  await page.goto(servers.page + "/");
  assert.equal(await readerState(page), "article");
  const hostile = await onHost(page, readerStyles, READER_PROPERTIES);
  assert.deepEqual(hostile, bare);
  assert.equal(bare.body["font-size"], "18px", "body text is 18 px from the browser default, not the host's 62.5 % root");
  noProblems(context, counterMissing);
  await context.close();
});

test("the host page's own styles are the same before and after the reader loads", async () => {
  const hostElements = ["body", ".site-header h1", ".menu a", ".breadcrumb", ".other-news-title", ".sidebar", ".site-footer p", ".menu-toggle", "#main-content"];
  const hostStyles = (selectors) =>
    selectors.map((selector) => {
      const style = getComputedStyle(document.querySelector(selector));
      return [selector, style.fontSize, style.fontFamily, style.color, style.lineHeight, style.margin, style.textTransform, style.background];
    });
  const context = await newContext(browser, DESKTOP);
  const page = await context.newPage();
  await page.route("**/embed.js", (route) => route.abort());
  await page.goto(servers.page + "/");
  const before = await page.evaluate(hostStyles, hostElements);
  await page.unroute("**/embed.js");
  const loaded = await context.newPage();
  await loaded.goto(servers.page + "/");
  await readerState(loaded);
  assert.deepEqual(await loaded.evaluate(hostStyles, hostElements), before);
  await context.close();
});

test("clicks work although the page's jQuery stops propagation on the reader's ancestors", async () => {
  const context = await newContext(browser, DESKTOP);
  const page = await context.newPage();
  await page.goto(servers.page + "/");
  await readerState(page);
  assert.equal(await page.evaluate(() => typeof window.jQuery), "function");
  await page.getByRole("button", { name: "A+ Tăng cỡ chữ" }).click();
  const size = await pollOnHost(page, (host) => host.shadowRoot.querySelector("article").style.fontSize, (s) => s === "1.15em");
  assert.equal(size, "1.15em");
  await context.close();
});

test("the host's skip link lands on the article and moves keyboard focus into it", async () => {
  const context = await newContext(browser, DESKTOP);
  const page = await context.newPage();
  await page.goto(servers.page + "/");
  await readerState(page);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Truy cập nội dung luôn");
  await page.keyboard.press("Enter");
  const focused = await pollOnHost(page, (host) => ({
    host: document.activeElement === host,
    inside: host.shadowRoot.activeElement?.tagName ?? null,
  }), (f) => f.inside === "ARTICLE");
  assert.deepEqual(focused, { host: true, inside: "ARTICLE" });
  // The next Tab continues inside the article (the first link or control after it), not at the page top.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main-content");
  await context.close();
});

test("two readers on one page are independent; later and lazy ones mount; removal stops one only", async () => {
  apiHits.clear();
  const context = await newContext(browser, PHONE);
  const page = await context.newPage();
  const cdnFiles = [];
  page.on("response", (response) => {
    if (response.url().startsWith(servers.cdn)) cdnFiles.push(new URL(response.url()).pathname);
  });
  await page.goto(servers.page + "/x/demo/two-readers.html");
  assert.equal(await readerState(page, "#reader-feed"), "article");
  assert.equal(await readerState(page, "#reader-wordpress"), "article");
  assert.deepEqual(cdnFiles.sort(), ["/commune-reader.js", "/commune-reader_bg.wasm", "/embed.js"], "the reader's files came from the CDN origin");
  const title = (id) => onHost(page, (host) => host.shadowRoot.querySelector(".title").textContent, undefined, id);
  assert.equal(await title("#reader-feed"), "Ra quân hưởng ứng phong trào “Ngày Chủ nhật Xanh” đầu năm 2024");
  assert.equal(await title("#reader-wordpress"), "Lịch tiếp công dân tháng 01/2024 – UBND thị xã Đức Phổ");
  assert.equal(await onHost(page, (h) => h.shadowRoot.querySelector(".views").textContent, undefined, "#reader-feed"), "1.234 lượt xem");

  // Lazy: its article has not been fetched while it is far below the viewport.
  assert.equal(apiHits.get("/articles/ducpho-truc-bao.json") ?? 0, 0, "the lazy reader fetched nothing yet");

  // A font change in one reader leaves the other alone.
  await page.locator("#reader-feed").getByRole("button", { name: "A+ Tăng cỡ chữ" }).click();
  const sizes = () => page.evaluate(() => ["#reader-feed", "#reader-wordpress"].map((id) => document.querySelector(id).shadowRoot.querySelector("article").style.fontSize));
  await pollOnHost(page, (h) => h.shadowRoot.querySelector("article").style.fontSize, (s) => s === "1.15em", { host: "#reader-feed" });
  assert.deepEqual(await sizes(), ["1.15em", "1em"]);

  // The host page's own buttons and click counting still work.
  await page.locator("#load-more").click();
  assert.equal(await readerState(page, "#reader-ajax"), "article", "a reader added after load mounts");
  assert.equal(await page.locator("#host-clicks").textContent(), "Trang đã nhận 2 lần bấm");

  await page.locator("#remove-first").click();
  assert.equal(await page.locator("#reader-feed").count(), 0);
  await page.locator("#reader-wordpress").getByRole("button", { name: "A+ Tăng cỡ chữ" }).click();
  await pollOnHost(page, (h) => h.shadowRoot.querySelector("article").style.fontSize, (s) => s === "1.15em", { host: "#reader-wordpress" });

  // Scrolling near the lazy reader mounts it and fetches its article.
  await page.locator("#reader-lazy").scrollIntoViewIfNeeded();
  assert.equal(await readerState(page, "#reader-lazy"), "article");
  noProblems(context);
  await context.close();
});

test("removing a reader cancels its request", async () => {
  apiHits.clear();
  const context = await newContext(browser, DESKTOP);
  const page = await context.newPage();
  await page.goto(servers.page + "/t/faults.html");
  await readerState(page, "#healthy");
  await page.evaluate((api) => window.addReader("stalled", { "data-src": `${api}/stall`, "data-timeout": "60" }), servers.api);
  await page.waitForFunction(() => document.querySelector("#stalled")?.shadowRoot?.querySelector(".loading"));
  await new Promise((done) => setTimeout(done, 300));
  assert.equal(apiHits.get("/stall"), 1);
  await page.evaluate(() => document.querySelector("#stalled").remove());
  const deadline = Date.now() + 5000;
  while (!apiHits.get("/stall:closed") && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
  assert.equal(apiHits.get("/stall:closed"), 1, "the server saw the request cancelled");
  await context.close();
});

test("under a strict Content-Security-Policy the reader works and reports no violation", async () => {
  const context = await newContext(browser, DESKTOP);
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  await page.goto(servers.page + "/x/demo/csp.html");
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  assert.ok(!/'unsafe-inline'|'unsafe-eval'/.test(csp), csp);
  assert.equal(await readerState(page), "article");
  await page.getByRole("button", { name: "A+ Tăng cỡ chữ" }).click();
  await pollOnHost(page, (h) => h.shadowRoot.querySelector("article").style.fontSize, (s) => s === "1.15em");
  const styled = await onHost(page, (host) => getComputedStyle(host.shadowRoot.querySelector(".title")).fontWeight);
  assert.equal(styled, "700", "the reader's stylesheet applied under the policy");
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  noProblems(context);
  await context.close();
});

test("with WebAssembly disabled the administrator's fallback link stays, with a short note", async () => {
  // Debian's Chromium ignores --js-flags=--noexpose_wasm, so the browser without WebAssembly is
  // emulated by removing it before any page script runs (as old Android WebViews and locked-down
  // enterprise browsers present themselves).
  const context = await newContext(browser, DESKTOP);
  await context.addInitScript(() => { delete globalThis.WebAssembly; });
  const page = await context.newPage();
  await page.goto(servers.page + "/");
  await page.waitForSelector("#main-content .commune-reader-note");
  assert.equal(await page.evaluate(() => typeof WebAssembly), "undefined");
  const fallback = page.locator("#main-content a");
  assert.ok(await fallback.isVisible(), "the fallback link is visible");
  assert.match(await fallback.textContent(), /Đọc bài/);
  assert.match(await page.locator("#main-content .commune-reader-note").textContent(), /không chạy được trình đọc/);
  // Trunk's own loader in the demo page fails without WebAssembly; the embed snippet does not.
  noProblems(context, (problem) => problem.includes("WebAssembly is not defined"));
  await context.close();
});

test("the fallback stays visible while the article loads", async () => {
  const context = await newContext(browser, DESKTOP);
  const page = await context.newPage();
  await page.goto(servers.page + "/t/faults.html");
  await readerState(page, "#healthy");
  await page.evaluate((api) => {
    window.addReader("slow", { "data-src": `${api}/stall`, "data-timeout": "60" });
    const link = document.createElement("a");
    link.href = "https://ducpho.quangngai.gov.vn/";
    link.textContent = "Đọc bài trên cổng thông tin";
    document.querySelector("#slow").appendChild(link);
  }, servers.api);
  await page.waitForFunction(() => document.querySelector("#slow")?.shadowRoot?.querySelector(".loading"));
  assert.ok(await page.locator("#slow > a").isVisible(), "the light-DOM link is slotted in during loading");
  await page.evaluate(() => document.querySelector("#slow").remove());
  await context.close();
});

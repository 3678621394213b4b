// A commune portal written from scratch around the README's snippet, taken verbatim from README.md:
// the `<head>` lines and the mount `<div>` of "Embed on your site", with the README's own addresses
// (https://cdn.tinh.gov.vn/…, https://xa.example.gov.vn/…). Playwright answers those addresses from
// the built reader (dist/) and the demo article, so the page is exactly what an administrator pastes.
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { DIST, ROOT } from "./harness.mjs";

const CDN = "https://cdn.tinh.gov.vn/commune-reader/";
const PORTAL = "https://xa.example.gov.vn/";
export const PORTAL_PAGE = PORTAL + "tin-tuc/123.html";
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json; charset=utf-8" };

/** The README's ```html blocks of "Embed on your site", in order: the head lines, then the mount element. */
export async function readmeSnippet() {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Embed on your site"), readme.indexOf("### Attributes"));
  const blocks = [...section.matchAll(/```html\n([\s\S]*?)```/g)].map((match) => match[1]);
  if (blocks.length < 2) throw new Error("README: the snippet's two html blocks are missing");
  return { head: blocks[0], mount: blocks[1] };
}

/** A Liferay-style portal page: skip link, menu, breadcrumb, the reader, other news below it, sidebar, footer. */
export async function portalHtml({ mount } = {}) {
  const snippet = await readmeSnippet();
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tin tức – Xã Ví Dụ</title>
<style>
  html { font-size: 62.5%; } body { margin: 0; font: 1.4rem/1.4 Arial, sans-serif; color: #222; }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; }
  header { background: #a00; color: #fff; padding: 12px; } header h1 { margin: 0; font-size: 2rem; }
  nav ul { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; margin: 0; padding: 8px; background: #eee; }
  .wrap { display: flex; flex-wrap: wrap; max-width: 1200px; margin: 0 auto; }
  main { flex: 3 1 600px; padding: 12px; min-width: 0; } aside { flex: 1 1 240px; padding: 12px; }
  .other a { display: block; padding: 10px 0; } footer { padding: 12px; background: #333; color: #fff; }
</style>
${snippet.head}</head>
<body>
<a class="skip" href="#main-content">Truy cập nội dung luôn</a>
<header><h1>Cổng thông tin điện tử xã Ví Dụ</h1></header>
<nav aria-label="Menu chính"><ul>
  <li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
  <li><a href="/tin-tuc">Tin tức – Sự kiện</a></li><li><a href="/lien-he">Liên hệ</a></li>
</ul></nav>
<div class="wrap">
<main>
<p class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a></p>
${mount ?? snippet.mount}
<h2>Các tin khác</h2>
<ul class="other">
  <li><a href="/tin-tuc/124.html">Hội nghị tổng kết công tác Mặt trận năm 2023</a></li>
  <li><a href="/tin-tuc/125.html">Ra quân chiến dịch “Ngày Chủ nhật Xanh”</a></li>
  <li><a href="/tin-tuc/126.html">Tiêm chủng mở rộng tại trạm y tế xã</a></li>
</ul>
</main>
<aside aria-label="Liên kết"><h2>Liên kết website</h2>
  <a href="/dich-vu-cong">Cổng dịch vụ công</a>
</aside>
</div>
<footer><p>Ủy ban nhân dân xã Ví Dụ</p></footer>
</body></html>`;
}

/**
 * Answers the README's addresses in `context`: the reader's files from dist/ (with CORS, as a CDN),
 * the portal page, and `articles` (path under https://xa.example.gov.vn/ → { body, type }); by default
 * the snippet's `api/bai-viet/123.json` is the demo article. `delayMs(url)` holds a response back.
 */
export async function servePortal(context, { html, articles = {}, delayMs = () => 0 } = {}) {
  const demo = await readFile(join(ROOT, "demo/articles/ducpho-truc-bao.json"), "utf8");
  const routes = { "api/bai-viet/123.json": { body: demo, type: TYPES[".json"] }, ...articles };
  const page = html ?? (await portalHtml());
  const wait = (url) => new Promise((done) => setTimeout(done, delayMs(url)));
  await context.route(CDN + "**", async (route) => {
    const name = new URL(route.request().url()).pathname.split("/").pop();
    await wait(route.request().url());
    try {
      const body = await readFile(join(DIST, name));
      await route.fulfill({ body, contentType: TYPES[extname(name)] ?? "application/octet-stream", headers: { "access-control-allow-origin": "*" } });
    } catch {
      await route.fulfill({ status: 404, body: "" });
    }
  });
  await context.route(PORTAL + "**", async (route) => {
    const url = new URL(route.request().url());
    await wait(url.href);
    if (url.pathname.startsWith("/tin-tuc/")) return route.fulfill({ body: page, contentType: "text/html; charset=utf-8" });
    const article = routes[url.pathname.slice(1)];
    if (article) return route.fulfill({ body: article.body, contentType: article.type, status: article.status ?? 200 });
    return route.fulfill({ status: 404, contentType: "text/html", body: "<!doctype html><title>404</title>" });
  });
}

/** The element that has keyboard focus, looked up through shadow roots, as "tag: name". */
export function focused(page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return "body";
    const name = (element.getAttribute("aria-label") || element.textContent || "").trim().replace(/\s+/g, " ");
    const inReader = element.getRootNode() !== document;
    return `${inReader ? "reader " : ""}${element.tagName.toLowerCase()}: ${name.slice(0, 40)}`;
  });
}

/**
 * Headless Chromium has no speech voices at all, so the speech engine is replaced by a recording
 * double before any page script runs: getVoices() lists the given voices, speak() records what it
 * is asked to say (and which paragraph is highlighted at that moment) in `window.spoken` and ends
 * each utterance asynchronously, as a real engine does.
 */
export function speechDouble(voices) {
  window.spoken = [];
  class FakeSpeech extends EventTarget {
    getVoices() {
      return voices;
    }
    speak(utterance) {
      const root = document.querySelector("[data-commune-reader]")?.shadowRoot;
      const paragraphs = [...(root?.querySelector(".body")?.children ?? [])];
      const marked = paragraphs.filter((p) => p.classList.contains("speaking"));
      window.spoken.push({ text: utterance.text, lang: utterance.lang, rate: utterance.rate, paragraph: marked.length === 1 ? paragraphs.indexOf(marked[0]) : -1 });
      setTimeout(() => utterance.dispatchEvent(new Event("end")), 5);
    }
    cancel() {}
    pause() {}
    resume() {}
  }
  Object.defineProperty(window, "speechSynthesis", { value: new FakeSpeech(), configurable: true });
}

// Issue 15: what portals already serve — a Liferay web content (Headless Delivery) and RSS/Atom
// feeds — shown through the README snippet, the format told from the response; broken and hostile
// XML each end in a clear message, never a hang.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PHONE, ROOT, launch, newContext, readerState, startServers } from "./harness.mjs";
import { PORTAL_PAGE, portalHtml, servePortal } from "./portal.mjs";

const browser = await launch();
after(() => browser.close());

const fixture = (name) => readFile(join(ROOT, "core/tests/fixtures", name), "utf8");
const RSS = "application/rss+xml; charset=utf-8";

/** Opens the portal with one mount element `<div … data-src=src>` (other attributes in `extra`). */
async function open(src, article, extra = "") {
  const context = await newContext(browser, PHONE);
  const mount = `<div id="main-content" data-commune-reader data-src="https://xa.example.gov.vn/${src}" ${extra}>
  <a href="https://xa.example.gov.vn/tin-tuc/123.html">Đọc bài viết trên cổng thông tin</a></div>`;
  await servePortal(context, { html: await portalHtml({ mount }), articles: { [src.split("?")[0]]: article } });
  const page = await context.newPage();
  const asked = [];
  page.on("request", (request) => request.url().includes(src.split("?")[0]) && asked.push(request.headers()));
  await page.goto(PORTAL_PAGE);
  const state = await readerState(page);
  const shown = await page.evaluate(() => {
    const root = document.querySelector("[data-commune-reader]").shadowRoot;
    const text = (selector) => root.querySelector(selector)?.textContent.trim() ?? null;
    return { title: text(".title"), time: text("time"), byline: text(".byline"), body: text(".body"), error: text(".error p"),
      images: [...root.querySelectorAll(".body img")].map((img) => img.getAttribute("src")),
      links: [...root.querySelectorAll(".body a")].map((a) => a.getAttribute("href")) };
  });
  return { context, page, state, shown, asked };
}

test("a Liferay structured content (Headless Delivery) is shown, its date in Vietnam time", async () => {
  const body = await fixture("liferay-structured-content.json");
  const src = "o/headless-delivery/v1.0/sites/20119/structured-contents/by-key/40519";
  const { context, state, shown, asked } = await open(src, { body, type: "application/json" });
  assert.equal(state, "article");
  assert.equal(shown.title, "Thường trực Thị ủy trực báo với Ủy ban MTTQ Việt Nam thị xã");
  assert.ok(asked.length > 0 && asked.every((headers) => headers["accept-language"]?.startsWith("vi-VN")), "asked in Vietnamese");
  const expected = JSON.parse(body);
  assert.ok(shown.body.length > 200, "the body comes from contentFields");
  assert.match(shown.time, /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
  const utc = new Date(expected.datePublished);
  const vn = new Date(utc.getTime() + 7 * 3600_000);
  const two = (n) => String(n).padStart(2, "0");
  assert.equal(shown.time, `${two(vn.getUTCDate())}/${two(vn.getUTCMonth() + 1)}/${vn.getUTCFullYear()} ${two(vn.getUTCHours())}:${two(vn.getUTCMinutes())}`);
  await context.close();
});

test("a page of Liferay structured contents: data-item picks one by its key", async () => {
  const body = await fixture("liferay-structured-contents-page.json");
  const items = JSON.parse(body).items;
  const wanted = items.at(-1);
  const src = "o/headless-delivery/v1.0/sites/20119/structured-contents";
  const { context, state, shown } = await open(src, { body, type: "application/json" }, `data-item="${wanted.key}"`);
  assert.equal(state, "article");
  assert.equal(shown.title, wanted.title);
  await context.close();
});

test("an RSS 2.0 feed: data-item picks the item by its guid; relative links resolved against the channel", async () => {
  const body = await fixture("rss-portal.xml");
  const { context, state, shown } = await open("rss/tin-tuc.rss", { body, type: RSS }, 'data-item="ducpho-tin-2417"');
  assert.equal(state, "article");
  assert.equal(shown.title, "Lịch tiếp công dân tháng 01/2024 – UBND thị xã Đức Phổ", "entities escaped twice are decoded");
  assert.equal(shown.time, "08/01/2024 07:30");
  assert.match(shown.byline, /Văn phòng HĐND và UBND thị xã/);
  assert.ok(shown.images.includes("https://ducpho.quangngai.gov.vn/uploads/2024/01/tiep-dan.jpg"), JSON.stringify(shown.images));
  await context.close();
});

test("an RSS feed with no data-item shows its first item; served as text/html it is still read as a feed", async () => {
  const body = await fixture("rss-portal.xml");
  const { context, state, shown } = await open("rss/tin-tuc.rss", { body, type: "text/html; charset=utf-8" });
  assert.equal(state, "article");
  assert.match(shown.title, /^Lịch tiếp công dân tháng 01\/2024/);
  await context.close();
});

test("when the text does not tell (a long prologue of comments), the Content-Type decides", async () => {
  const rss = await fixture("rss-portal.xml");
  const body = rss.replace("?>", "?>" + "<!-- cổng thông tin -->".repeat(40));
  const asFeed = await open("rss/prologue.rss", { body, type: RSS });
  assert.equal(asFeed.state, "article");
  assert.match(asFeed.shown.title, /^Lịch tiếp công dân/);
  await asFeed.context.close();
  const asPage = await open("rss/prologue.rss", { body, type: "text/html; charset=utf-8" });
  assert.equal(asPage.state, "error", "served as a web page, it is taken for one");
  await asPage.context.close();
});

test("an Atom 1.0 feed is shown", async () => {
  const body = await fixture("atom-portal.xml");
  const { context, state, shown } = await open("tin-tuc.atom", { body, type: "application/atom+xml" });
  assert.equal(state, "article");
  assert.equal(shown.title, "Họp dân thôn 3 & thôn 4 lấy ý kiến quy hoạch");
  await context.close();
});

const BAD_FEED = "Bản tin RSS/Atom nhận được bị lỗi nên không đọc được.";
const hostile = [
  ["a parser error (not well-formed XML)", '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Bài</title></item></rss>', BAD_FEED],
  [
    "a billion-laughs document",
    `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "hahahahahahahahahaha">${[..."bcdefghij"]
      .map((name, i) => `<!ENTITY ${name} "${`&${"abcdefghij"[i]};`.repeat(10)}">`)
      .join("")}]><rss version="2.0"><channel><item><title>&j;</title><description>&j;</description></item></channel></rss>`,
    BAD_FEED,
  ],
  [
    "an external entity",
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>Bài &secret;</title><description>&secret;</description></item></channel></rss>',
    BAD_FEED,
  ],
];

for (const [name, body, message] of hostile) {
  test(`${name} ends in a clear message, never a hang`, async () => {
    const started = Date.now();
    const { context, page, state, shown } = await open("rss/hostile.rss", { body, type: RSS });
    assert.equal(state, "error", JSON.stringify(shown));
    assert.equal(shown.error, message);
    assert.ok(Date.now() - started < 15_000);
    const text = await page.evaluate(() => document.querySelector("[data-commune-reader]").shadowRoot.textContent);
    assert.doesNotMatch(text, /root:|hahaha/, "nothing from the entities reaches the page");
    await context.close();
  });
}

test("an HTML page posing as RSS gets the not-an-article message", async () => {
  const body = "<!DOCTYPE html><html><head><title>Đăng nhập</title></head><body><form>…</form></body></html>";
  const { context, state, shown } = await open("rss/login.rss", { body, type: RSS });
  assert.equal(state, "error");
  assert.ok(shown.error && shown.error !== BAD_FEED, shown.error);
  await context.close();
});

test("the demo's Liferay and RSS examples are served by the demo server and shown", async () => {
  const servers = await startServers();
  after(() => servers.close());
  const context = await newContext(browser, PHONE);
  const page = await context.newPage();
  await page.goto(servers.page + "/demo/sources.html");
  assert.equal(await readerState(page, "#reader-liferay"), "article");
  assert.equal(await readerState(page, "#reader-rss"), "article");
  const titles = await page.evaluate(() =>
    ["#reader-liferay", "#reader-rss"].map((id) => document.querySelector(id).shadowRoot.querySelector(".title").textContent));
  assert.deepEqual(titles, ["Thường trực Thị ủy trực báo với Ủy ban MTTQ Việt Nam thị xã", "Lịch tiếp công dân tháng 01/2024 – UBND thị xã Đức Phổ"]);
  // The sample articles' images live on the portals they came from, unreachable here.
  assert.deepEqual(context.problems.filter((problem) => !/Failed to load resource.*(\.jpg|documents\/)/.test(problem)), []);
  await context.close();
});

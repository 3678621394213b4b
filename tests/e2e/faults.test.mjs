// Issue "nothing a CMS or a stranger sends may run or break the page": malformed data and a bad network.
//
// Each case puts one reader on tests/e2e/pages/faults.html, next to a healthy reader and a host button,
// and asserts exactly what the faulty reader shows, and that the healthy reader and the host page
// still work and no page error (a wasm panic shows as "unreachable") happened.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { DESKTOP, apiHits, newContext, openBrowserAndServers, openFaultPage, readerState } from "./harness.mjs";

const FIXTURE_TEXT = await readFile(new URL("../../demo/articles/ducpho-truc-bao.json", import.meta.url), "utf8");
const FIXTURE = JSON.parse(FIXTURE_TEXT);

/** The Vietnamese messages of core/src/text.rs. */
const SAYS = {
  notAnArticle: "Dữ liệu nhận được không phải là một bài viết.",
  noContent: "Bài viết không có nội dung.",
  gone: "Bài viết không còn tồn tại hoặc đã được gỡ xuống.",
  tooLarge: "Bài viết quá lớn để hiển thị trên thiết bị này.",
  server: "Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.",
  refused: "Máy chủ từ chối yêu cầu đọc bài viết này.",
  timedOut: "Máy chủ phản hồi quá lâu. Vui lòng thử lại.",
  network: "Không tải được bài viết. Vui lòng kiểm tra kết nối mạng rồi thử lại.",
  missingSrc: "Chưa cấu hình địa chỉ bài viết (thuộc tính data-src).",
};

const { browser, servers } = await openBrowserAndServers(after);

/** `/json?b=…` serves exactly these bytes with status 200. */
const bytesUrl = (bytes) => `${servers.api}/json?b=${encodeURIComponent(Buffer.from(bytes).toString("base64"))}`;
const jsonUrl = (value) => bytesUrl(typeof value === "string" ? value : JSON.stringify(value));



/** Everything a reader shows, read from its shadow root. */
function shown(host) {
  const root = host.shadowRoot;
  const text = (selector) => root.querySelector(selector)?.textContent ?? null;
  const error = root.querySelector(".error");
  if (error) {
    return {
      state: "error",
      message: error.querySelector("p")?.textContent ?? null,
      retry: error.querySelector("button.retry")?.textContent ?? null,
      article: root.querySelector("article") !== null,
    };
  }
  return {
    state: root.querySelector("article") ? "article" : "loading",
    title: text(".title"),
    paragraphs: [...root.querySelectorAll(".body p")].map((p) => p.textContent),
    bodyText: root.querySelector(".body")?.textContent ?? null,
    time: root.querySelector(".meta time")?.getAttribute("datetime") ?? null,
    views: text(".views"),
    byline: text("footer.byline"),
    notice: text(".notice"),
    retry: root.querySelector("button.retry") !== null,
  };
}

/** Adds the faulty reader, waits for it to settle, and returns what it shows. */
async function addFault(page, attributes, id = "fault", timeout) {
  await page.evaluate(([i, a]) => window.addReader(i, a), [id, attributes]);
  await readerState(page, `#${id}`, { timeout: timeout ?? 30_000 });
  return page.locator(`#${id}`).evaluate(shown);
}

/** The host page and the healthy reader next to the fault still respond. */
async function assertHostStillWorks(page, errors) {
  const before = Number(await page.locator("#host-count").textContent());
  await page.locator("#host-button").click();
  assert.equal(Number(await page.locator("#host-count").textContent()), before + 1, "the host's button still counts");
  const size = () => page.locator("#healthy").evaluate((host) => getComputedStyle(host.shadowRoot.querySelector(".body p")).fontSize);
  const start = await size();
  await page.locator("#healthy").getByRole("button", { name: "A+ Tăng cỡ chữ" }).click();
  let now = start;
  for (let i = 0; i < 100 && now === start; i++) {
    await page.waitForTimeout(20);
    now = await size();
  }
  assert.ok(parseFloat(now) > parseFloat(start), `the healthy reader's A+ still works (${start} → ${now})`);
  assert.deepEqual(errors, [], "no page error, so no wasm panic");
}

/** One case: a reader with `attributes`, what it must show, and the host page afterwards. */
function fault(name, attributes, expected, { timeout } = {}) {
  test(name, async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const actual = await addFault(page, typeof attributes === "function" ? attributes() : attributes, "fault", timeout);
    assert.deepEqual(pick(actual, expected), expected);
    await assertHostStillWorks(page, errors);
    await context.close();
  });
}

/** Compares only the fields a case names, but every field it names. */
const pick = (actual, expected) => Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key]]));
const error = (message, retry = null) => ({ state: "error", message, retry, article: false });
const src = (url) => () => ({ "data-src": url() });

describe("malformed data", { concurrency: 4 }, () => {
  fault("invalid JSON", src(() => jsonUrl('{"title": "Thiếu ngoặc", "content_text": "x"')), error(SAYS.notAnArticle));
  fault("an HTML error page with status 200", src(() => `${servers.api}/html200`), error(SAYS.notAnArticle));
  fault("an empty body", src(() => jsonUrl("")), error(SAYS.notAnArticle));
  fault("a body of white space", src(() => jsonUrl(" \r\n\t ")), error(SAYS.notAnArticle));
  fault("JSON that is not an object", src(() => jsonUrl("[1,2,3]")), error(SAYS.notAnArticle));
  fault("JSON null", src(() => jsonUrl("null")), error(SAYS.notAnArticle));
  fault("an object with no article fields", src(() => jsonUrl({ id: "x", status: "ok" })), error(SAYS.notAnArticle));
  fault(
    "fields of the wrong type render best effort",
    src(() => jsonUrl({
      id: ["x"], title: "Tiêu đề đúng kiểu", language: 7, date_published: 20231227, authors: "Thúy Yến",
      content_html: { p: 1 }, content_text: "Đoạn một.\n\nĐoạn hai.", url: 5, _reader: { views: "nhiều", source: ["x"] },
    })),
    { state: "article", title: "Tiêu đề đúng kiểu", paragraphs: ["Đoạn một.", "Đoạn hai."], time: null, views: "", byline: null, notice: null },
  );
  fault("every field of the wrong type", src(() => jsonUrl({ title: 42, content_html: ["x"], content_text: false })), error(SAYS.noContent));
  fault(
    "a missing title",
    src(() => jsonUrl({ content_html: "<p>Chỉ có thân bài.</p>" })),
    { state: "article", paragraphs: ["Chỉ có thân bài."], time: null, views: "" },
  );
  fault(
    "a missing body",
    src(() => jsonUrl({ title: "Chỉ có tiêu đề" })),
    { state: "article", title: "Chỉ có tiêu đề", paragraphs: [], bodyText: "" },
  );
  fault("an empty title and an empty body", src(() => jsonUrl({ title: " ", content_html: "  " })), error(SAYS.noContent));
  fault(
    "unknown extra fields are ignored",
    src(() => jsonUrl({ ...FIXTURE, content: 5, extra: { nested: [1, { a: null }] }, _reader: { ...FIXTURE._reader, x: true }, "": "" })),
    { state: "article", title: FIXTURE.title, time: "2023-12-27T09:14:00+07:00", views: "98 lượt xem" },
  );
  fault("a 6 MB body with its Content-Length", src(() => `${servers.api}/big?bytes=${6 * 1024 * 1024}`), error(SAYS.tooLarge));
  fault("a 6 MB body sent in chunks", src(() => `${servers.api}/big?bytes=${6 * 1024 * 1024}&length=none`), error(SAYS.tooLarge));
  fault("a declared Content-Length over the cap", src(() => `${servers.api}/big?length=lie&declared=${5 * 1024 * 1024}`), error(SAYS.tooLarge));
  // Past 4 GiB the length no longer fits a wasm32 usize: it must still be refused, not waited for.
  fault(
    "a declared Content-Length of a terabyte",
    () => ({ "data-src": `${servers.api}/big?length=lie&declared=999999999999`, "data-timeout": "3" }),
    error(SAYS.tooLarge),
  );
  fault(
    "a body just under the size cap still renders",
    src(() => `${servers.api}/big?bytes=${4 * 1024 * 1024 - 1024}&length=none`),
    { state: "article", title: "Bài rất lớn" },
  );
  // The browser's JSON.parse takes deep nesting in its stride; the reader reads only the fields it
  // knows, so the deep one costs nothing and the article renders.
  const deepArticle = { state: "article", title: "Sâu", paragraphs: [], bodyText: "" };
  fault("JSON arrays nested 10,000 deep", src(() => `${servers.api}/deep?levels=10000&kind=array`), deepArticle);
  fault("JSON objects nested 10,000 deep", src(() => `${servers.api}/deep?levels=10000&kind=object`), deepArticle);
  fault("JSON arrays nested 2,000,000 deep (as deep as the size cap allows)", src(() => `${servers.api}/deep?levels=2000000&kind=array`), deepArticle);
  test("HTML nested 10,000 deep renders its text, flattened", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const actual = await addFault(page, { "data-src": `${servers.api}/deep?levels=10000&kind=html` });
    assert.equal(actual.state, "article");
    assert.equal(actual.title, "HTML lồng sâu");
    assert.ok(actual.bodyText.includes("đáy"), "the innermost text is shown");
    assert.ok(actual.paragraphs.includes("Đoạn cuối."), "the paragraph after the nesting is shown");
    const depth = await page.locator("#fault").evaluate((host) => {
      let deepest = 0;
      for (const element of host.shadowRoot.querySelectorAll(".body *")) {
        let d = 0;
        for (let e = element; e && !e.classList?.contains("body"); e = e.parentElement) d++;
        deepest = Math.max(deepest, d);
      }
      return deepest;
    });
    assert.ok(depth <= 64, `the rebuilt tree is shallow (${depth})`);
    await assertHostStillWorks(page, errors);
    await context.close();
  });
  fault(
    "an impossible date renders without a time element",
    src(() => jsonUrl({ title: "Ngày không có thật", date_published: "2023-02-30T25:61:00+07:00", content_text: "Nội dung." })),
    { state: "article", title: "Ngày không có thật", time: null, paragraphs: ["Nội dung."] },
  );
  fault(
    "a MySQL zero date renders without a time element",
    src(() => jsonUrl({ title: "Ngày số không", date_published: "0000-00-00 00:00:00", content_text: "Nội dung." })),
    { state: "article", title: "Ngày số không", time: null },
  );
  fault(
    "a negative view count is not shown",
    src(() => jsonUrl({ title: "Lượt xem âm", content_text: "x", _reader: { views: -5 } })),
    { state: "article", title: "Lượt xem âm", views: "" },
  );
  fault(
    "an absurd view count is not shown",
    src(() => jsonUrl('{"title":"Lượt xem vô lý","content_text":"x","_reader":{"views":1e30}}')),
    { state: "article", views: "" },
  );
  fault(
    "an absurd view count as text is not shown",
    src(() => jsonUrl({ title: "Lượt xem chữ", content_text: "x", _reader: { views: "99999999999999" } })),
    { state: "article", views: "" },
  );
  fault(
    "a byte-order mark renders",
    src(() => bytesUrl(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FIXTURE_TEXT)]))),
    { state: "article", title: FIXTURE.title, views: "98 lượt xem" },
  );
  // The platform's UTF-8 decoder replaces bad bytes (U+FFFD): the article renders best-effort.
  fault(
    "invalid UTF-8 renders best-effort",
    src(() => bytesUrl(Buffer.concat([Buffer.from('{"title":"Lỗi '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' mã","content_text":"Đoạn."}')]))),
    { state: "article", title: "Lỗi \uFFFD\uFFFD\uFFFD mã", paragraphs: ["Đoạn."] },
  );
  fault("no data-src at all", () => ({ "data-lang": "vi" }), error(SAYS.missingSrc));
});

describe("network faults", { concurrency: 4 }, () => {
  fault("404: no longer exists, no retry", src(() => `${servers.api}/status/404`), error(SAYS.gone));
  fault("410: no longer exists, no retry", src(() => `${servers.api}/status/410`), error(SAYS.gone));
  fault("403: refused, no retry", src(() => `${servers.api}/status/403`), error(SAYS.refused));

  test("500: the retry button appears after the bounded automatic retries", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const started = Date.now();
    const actual = await addFault(page, { "data-src": `${servers.api}/status/500` });
    assert.deepEqual(actual, error(SAYS.server, "Thử lại"));
    assert.equal(apiHits.get("/status/500"), 3, "the first attempt and two automatic retries");
    assert.ok(Date.now() - started >= 3_500, "with back-off between them");
    await assertHostStillWorks(page, errors);
    await context.close();
  });

  test("503, then healthy: clicking the retry button shows the article", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const key = `retry-${Date.now()}`;
    const first = await addFault(page, { "data-src": `${servers.api}/flaky?key=${key}&fail=3` });
    assert.deepEqual(first, error(SAYS.server, "Thử lại"));
    assert.equal(apiHits.get(`flaky:${key}`), 3);
    await page.locator("#fault").getByRole("button", { name: "Thử lại" }).click();
    await page.waitForFunction(() => document.querySelector("#fault").shadowRoot.querySelector("article"), null, { timeout: 15_000 });
    const second = await page.locator("#fault").evaluate(shown);
    assert.deepEqual(pick(second, { state: 0, title: 0, notice: 0 }), { state: "article", title: FIXTURE.title, notice: null });
    assert.equal(apiHits.get(`flaky:${key}`), 4, "one request for the click");
    await assertHostStillWorks(page, errors);
    await context.close();
  });

  test("a stall with data-timeout=2: timeout message and retry button", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const closedBefore = apiHits.get("/stall:closed") ?? 0;
    const actual = await addFault(page, { "data-src": `${servers.api}/stall?case=timeout`, "data-timeout": "2" });
    assert.deepEqual(actual, error(SAYS.timedOut, "Thử lại"));
    await page.waitForTimeout(200);
    // data-timeout is the whole wait: one attempt takes it all, and is aborted at the deadline.
    assert.ok((apiHits.get("/stall:closed") ?? 0) - closedBefore >= 1, "the timed-out request was aborted");
    await assertHostStillWorks(page, errors);
    await context.close();
  });

  test("a refused connection: network message and retry button", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const actual = await addFault(page, { "data-src": "http://127.0.0.1:9/bai-viet.json" });
    assert.deepEqual(actual, error(SAYS.network, "Thử lại"));
    await assertHostStillWorks(page, errors);
    await context.close();
  });

  test("one 503 is ridden out by the automatic retry, with no user action", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const key = `once-${Date.now()}`;
    const actual = await addFault(page, { "data-src": `${servers.api}/flaky?key=${key}&fail=1` });
    assert.deepEqual(pick(actual, { state: 0, title: 0, notice: 0, retry: 0 }), { state: "article", title: FIXTURE.title, notice: null, retry: false });
    assert.equal(apiHits.get(`flaky:${key}`), 2);
    await assertHostStillWorks(page, errors);
    await context.close();
  });

  test("offline after a successful read: the saved copy is shown with its notice", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const url = `${servers.api}/articles/ducpho-truc-bao.json?offline-case=1`;
    const online = await addFault(page, { "data-src": url });
    assert.deepEqual(pick(online, { state: 0, title: 0, notice: 0 }), { state: "article", title: FIXTURE.title, notice: null });
    // Now the network is gone for that address (gloo-net may append a bare "&", hence the prefix);
    // the page is reloaded, the healthy reader's address still works.
    let attempts = 0;
    await context.route((address) => address.href.startsWith(url), (route) => {
      attempts += 1;
      return route.abort("internetdisconnected");
    });
    await page.reload();
    errors.length = 0;
    assert.equal(await readerState(page, "#healthy", { timeout: 30_000 }), "article");
    const offline = await addFault(page, { "data-src": url });
    assert.equal(offline.state, "article");
    assert.equal(offline.title, FIXTURE.title);
    assert.equal(offline.paragraphs.length, 5);
    assert.match(offline.notice, /^Đang hiển thị bản đã lưu lúc \d{2}\/\d{2}\/\d{4},? \d{2}:\d{2}, vì không tải được bản mới\.$/);
    assert.equal(attempts, 3, "the saved copy comes only after the automatic retries");
    await assertHostStillWorks(page, errors);
    await context.close();
  });

  test("a taken-down article is not replaced by its saved copy", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const url = `${servers.api}/articles/ducpho-truc-bao.json?gone-case=1`;
    assert.equal((await addFault(page, { "data-src": url })).state, "article");
    await context.route((address) => address.href.startsWith(url), (route) => route.fulfill({ status: 410, body: "", headers: { "access-control-allow-origin": "*" } }));
    await page.reload();
    errors.length = 0;
    const gone = await addFault(page, { "data-src": url });
    assert.deepEqual(gone, error(SAYS.gone));
    await assertHostStillWorks(page, errors);
    await context.close();
  });
});

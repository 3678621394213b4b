// The reader's edges with the network and with hostile bodies: the size cap on a body that never
// ends (issue 13), removal stopping the download embed.js started (14.5), `data-timeout` as the
// whole wait (14.6), and the sanitiser's bounds on huge or deep bodies (14.7).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, apiHits, newContext, openBrowserAndServers, openFaultPage, readerState } from "./harness.mjs";

const SAYS = {
  tooLarge: "Bài viết quá lớn để hiển thị trên thiết bị này.",
  server: "Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.",
  timedOut: "Máy chủ phản hồi quá lâu. Vui lòng thử lại.",
};

const { browser, servers } = await openBrowserAndServers(after);

/** What the harness route `path` with `key` saw (see `edges` in harness.mjs). */
const seen = (path, key, what) => apiHits.get(`${path}:${key}:${what}`) ?? 0;

/** Polls `check` every 50 ms until it holds or `ms` have passed; returns whether it held. */
async function eventually(check, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((done) => setTimeout(done, 50));
  }
  return true;
}


/** The error a reader shows: its message and whether it offers a retry. */
const errorShown = (host) => {
  const error = host.shadowRoot.querySelector(".error");
  return { message: error?.querySelector("p")?.textContent ?? null, retry: error?.querySelector("button.retry") !== null };
};


/** Adds a reader with `attributes` and returns how long (ms, measured in the page) until it settled, and how. */
async function addAndTime(page, attributes) {
  await page.evaluate((a) => {
    window.addedAt = performance.now();
    window.addReader("fault", a);
  }, attributes);
  const state = await readerState(page, "#fault", { timeout: 60_000, polling: 50 });
  const elapsed = await page.evaluate(() => performance.now() - window.addedAt);
  return { state, elapsed };
}

/** The host page's own button still counts its clicks. */
async function assertHostResponds(page) {
  const before = Number(await page.locator("#host-count").textContent());
  await page.locator("#host-button").click();
  assert.equal(Number(await page.locator("#host-count").textContent()), before + 1, "the host page's button still works");
}

describe("the size cap on what arrives (issue 13)", () => {
  test("a body that never ends, with no Content-Length, is cut off at the cap and refused", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const key = `endless-${Date.now()}`;
    const { state, elapsed } = await addAndTime(page, { "data-src": `${servers.api}/edges/endless?key=${key}`, "data-timeout": "8" });
    assert.equal(state, "error");
    assert.deepEqual(await page.locator("#fault").evaluate(errorShown), { message: SAYS.tooLarge, retry: false });
    assert.ok(elapsed < 6_000, `refused as it passed the cap, not at the timeout (${elapsed.toFixed(0)} ms)`);
    assert.ok(await eventually(() => seen("/edges/endless", key, "aborted") === 1), "the server saw the download stopped");
    const sent = seen("/edges/endless", key, "bytes");
    assert.ok(sent < 64 * 1024 * 1024, `the download was cut off near the cap (${sent} bytes sent)`);
    assert.equal(seen("/edges/endless", key, "requests"), 1, "too large is not retried");
    await assertHostResponds(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("removing a mount element stops its download (issue 14.5)", () => {
  /** The page whose mount element is in its HTML, its article trickling in (30 s of 1 KB / 50 ms). */
  const openInHtml = async (context, key) => {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${servers.page}/t/in-html.html?key=${key}`);
    return { page, errors };
  };

  /** After removal: the server saw the connection closed, and no byte was sent after that. */
  async function assertStopped(key) {
    assert.ok(await eventually(() => seen("/edges/trickle", key, "aborted") === 1), "the server saw the article request aborted");
    const sent = seen("/edges/trickle", key, "bytes");
    await new Promise((done) => setTimeout(done, 500));
    assert.equal(seen("/edges/trickle", key, "bytes"), sent, "no further bytes were sent");
    assert.equal(seen("/edges/trickle", key, "requests"), 1, "one request for the article: the reader took over the one embed.js started");
  }

  test("after the reader has mounted", async () => {
    const context = await newContext(browser, DESKTOP);
    const key = `mounted-${Date.now()}`;
    const { page, errors } = await openInHtml(context, key);
    await page.waitForFunction(() => document.querySelector("#slow")?.shadowRoot?.querySelector(".loading"));
    assert.ok(await eventually(() => seen("/edges/trickle", key, "bytes") > 0), "the article is on its way");
    await page.evaluate(() => document.querySelector("#slow").remove());
    await assertStopped(key);
    await assertHostResponds(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("before the wasm has even arrived", async () => {
    const context = await newContext(browser, DESKTOP);
    const key = `early-${Date.now()}`;
    // The wasm is held back until the element is gone.
    let release;
    const held = new Promise((done) => (release = done));
    await context.route(`${servers.cdn}/commune-reader_bg.wasm`, async (route) => {
      await held;
      await route.continue();
    });
    const { page, errors } = await openInHtml(context, key);
    assert.ok(await eventually(() => seen("/edges/trickle", key, "bytes") > 0), "the article download started before the wasm");
    assert.equal(await page.evaluate(() => document.querySelector("#slow").shadowRoot), null, "no reader yet");
    await page.evaluate(() => document.querySelector("#slow").remove());
    await assertStopped(key);
    release();
    // The reader starts, finds no mount element, and the page is fine.
    await page.evaluate((api) => window.addReader("later", { "data-src": `${api}/articles/ducpho-truc-bao.json` }), servers.api);
    assert.equal(await readerState(page, "#later", { timeout: 60_000, polling: 50 }), "article", "the reader started");
    assert.equal(seen("/edges/trickle", key, "requests"), 1, "the reader did not start the removed element's download again");
    await assertHostResponds(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("data-timeout is the whole wait before the reader says something (issue 14.6)", () => {
  const TOLERANCE_MS = 1_000;

  test("a request that never answers: the message and the retry button at the deadline", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const { state, elapsed } = await addAndTime(page, { "data-src": `${servers.api}/stall?case=deadline`, "data-timeout": "2" });
    assert.equal(state, "error");
    assert.deepEqual(await page.locator("#fault").evaluate(errorShown), { message: SAYS.timedOut, retry: true });
    assert.ok(elapsed >= 1_900 && elapsed <= 2_000 + TOLERANCE_MS, `told after ${elapsed.toFixed(0)} ms, data-timeout="2"`);
    await assertHostResponds(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a server error: retried within the deadline, the message by the deadline", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const key = `deadline-500-${Date.now()}`;
    // /flaky fails `fail` times per key with 503: 9 means it never recovers here.
    const { state, elapsed } = await addAndTime(page, { "data-src": `${servers.api}/flaky?key=${key}&fail=9`, "data-timeout": "2" });
    assert.equal(state, "error");
    assert.deepEqual(await page.locator("#fault").evaluate(errorShown), { message: SAYS.server, retry: true });
    assert.ok(elapsed <= 2_000 + TOLERANCE_MS, `told after ${elapsed.toFixed(0)} ms, data-timeout="2"`);
    assert.equal(apiHits.get(`flaky:${key}`), 2, "the first attempt and the one retry that fits in 2 s");
    await assertHostResponds(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a server that fails once, then answers: the automatic retry within the deadline shows the article", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, errors } = await openFaultPage(context, servers);
    const key = `deadline-once-${Date.now()}`;
    const { state, elapsed } = await addAndTime(page, { "data-src": `${servers.api}/flaky?key=${key}&fail=1`, "data-timeout": "2" });
    assert.equal(state, "article");
    assert.ok(elapsed <= 2_000 + TOLERANCE_MS, `shown after ${elapsed.toFixed(0)} ms`);
    assert.equal(apiHits.get(`flaky:${key}`), 2);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("the sanitiser's work is bounded by the body's size and depth (issue 14.7)", () => {
  /** What the rebuilt body holds: nodes, element depth below `.body`, the cut notice, its text. */
  const rebuilt = (host) => {
    const body = host.shadowRoot.querySelector(".body");
    let depth = 0;
    for (const element of body.querySelectorAll("*")) {
      let d = 0;
      for (let e = element; e && e !== body; e = e.parentElement) d++;
      depth = Math.max(depth, d);
    }
    let nodes = 0;
    // Elements and text: what is shown (the view layer keeps an empty comment of its own in .body).
    for (const walker = document.createTreeWalker(body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT); walker.nextNode(); ) nodes++;
    return { nodes, depth, notice: body.querySelector(".cut-notice")?.textContent ?? null, text: body.textContent };
  };

  /** Records, for every document the page's DOMParser makes, its elements and their depth. */
  const watchParser = () => {
    const parse = DOMParser.prototype.parseFromString;
    window.parsed = [];
    DOMParser.prototype.parseFromString = function (...args) {
      const inert = parse.apply(this, args);
      const elements = inert.getElementsByTagName("*");
      let depth = 0;
      for (const element of elements) {
        let d = 0;
        for (let e = element; e; e = e.parentElement) d++;
        depth = Math.max(depth, d);
      }
      window.parsed.push({ elements: elements.length, depth });
      return inert;
    };
  };

  const nodesIn = (host) => {
    let nodes = 0;
    for (const walker = document.createTreeWalker(host.shadowRoot.querySelector(".body"), NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT); walker.nextNode(); ) nodes++;
    return nodes;
  };

  async function openWith(shape, n) {
    const context = await newContext(browser, DESKTOP);
    await context.addInitScript(watchParser);
    const { page, errors } = await openFaultPage(context, servers);
    await page.evaluate(() => (window.parsed = []));
    const { state } = await addAndTime(page, { "data-src": `${servers.api}/edges/html?shape=${shape}&n=${n}&key=${shape}` });
    assert.equal(state, "article");
    // A long body is built in slices, over several tasks: wait until it stops growing.
    for (let last = -1, same = 0, tries = 0; same < 3 && tries < 150; tries++) {
      const now = await page.locator("#fault").evaluate(nodesIn);
      same = now === last ? same + 1 : 0;
      last = now;
      await page.waitForTimeout(200);
    }
    const shown = await page.locator("#fault").evaluate(rebuilt);
    // Every document the parser made for this reader (a long body is parsed in chunks): how many,
    // their elements besides html, head and body, and the deepest.
    const parsed = await page.evaluate(() => ({
      documents: window.parsed.length,
      elements: window.parsed.reduce((sum, one) => sum + one.elements - 3, 0),
      depth: Math.max(...window.parsed.map((one) => one.depth)),
    }));
    return { context, page, errors, shown, parsed };
  }

  test("50,000 nested <div>s: flattened before parsing; the text, and what follows, shows", async () => {
    const { context, page, errors, shown, parsed } = await openWith("nested", 50_000);
    // html and body above, the final <p> besides the divs left in.
    assert.ok(parsed.depth <= 64 + 2 && parsed.elements <= 64 + 1, `the parser was given at most 64 levels (${JSON.stringify(parsed)})`);
    assert.ok(shown.depth <= 48, `the rebuilt tree is at most 48 deep (${shown.depth})`);
    assert.ok(shown.text.includes("đáy") && shown.text.includes("Đoạn cuối."), "the innermost text and what follows are shown");
    assert.equal(shown.notice, null, "nothing was cut: no notice");
    await assertHostResponds(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("5,000 paragraphs: all shown (built in slices, over several tasks), no notice", async () => {
    const { context, page, errors, shown, parsed } = await openWith("paragraphs", 5_000);
    // The route adds a last paragraph, "Đoạn cuối."
    assert.equal(parsed.elements, 5_001, "the parser was given every paragraph");
    assert.ok(parsed.documents > 1, `in chunks (${parsed.documents})`);
    assert.equal(shown.nodes, 10_002, "5,001 paragraphs and their text");
    assert.ok(shown.text.endsWith("Đoạn 5000 của một bài rất dài.Đoạn cuối."), "the last paragraphs are there");
    assert.equal(shown.notice, null);
    await assertHostResponds(page);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("200,000 <div>s side by side: cut before parsing, with a notice", async () => {
    const { context, page, errors, shown, parsed } = await openWith("flat", 200_000);
    assert.ok(parsed.elements <= 20_000, `the parser was given at most 20,000 of them (${parsed.elements})`);
    assert.ok(shown.nodes <= 20_001, `the walk built at most 20,000 nodes, and the notice (${shown.nodes})`);
    assert.equal(shown.notice, "Phần còn lại của bài quá dài hoặc quá phức tạp để hiển thị ở đây.");
    assert.ok(shown.text.startsWith("xxx"), "the content up to the cut is shown");
    await assertHostResponds(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

// Issue 14.1: a keyboard user on a portal that pasted the README snippet as printed (its mount
// element has id="main-content", the target of the portal's skip link) reaches every reader
// control with Tab from the top of the page, in visual order, and the skip link still lands in
// the article.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, PHONE, launch, newContext, readerState } from "./harness.mjs";
import { PORTAL_PAGE, focused, servePortal, speechDouble } from "./portal.mjs";

const browser = await launch();
after(() => browser.close());

async function openPortal(device) {
  const context = await newContext(browser, device);
  await context.addInitScript(speechDouble, [{ lang: "vi-VN", name: "Tiếng Việt", default: true }]);
  await servePortal(context);
  const page = await context.newPage();
  await page.goto(PORTAL_PAGE);
  assert.equal(await readerState(page), "article");
  // The read-aloud button appears once the voice lookup (after the first paint) has found a voice.
  await page.waitForFunction(() => {
    const root = document.querySelector("[data-commune-reader]").shadowRoot;
    return [...root.querySelectorAll("button")].some((b) => b.textContent.trim() === "Nghe đọc bài" && !b.hidden);
  });
  return { context, page };
}

/** Presses Tab until `last` has focus (or 60 presses) and returns every stop on the way. */
async function tabThrough(page, last) {
  const stops = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const stop = await focused(page);
    stops.push(stop);
    if (stop.includes(last)) break;
  }
  return stops;
}

const READER_CONTROLS = [
  "reader button: A− Giảm cỡ chữ",
  "reader button: A Cỡ chữ mặc định",
  "reader button: A+ Tăng cỡ chữ",
  "reader button: Nghe đọc bài",
  "reader button: Tùy chỉnh hiển thị",
];

for (const [label, device] of [["phone", PHONE], ["desktop", DESKTOP]]) {
  test(`${label}: Tab from the top of the page reaches every reader control in visual order`, async () => {
    const { context, page } = await openPortal(device);
    const stops = await tabThrough(page, "Cổng dịch vụ công");
    assert.equal(stops[0], "a: Truy cập nội dung luôn", "the portal's skip link comes first");
    const controls = stops.filter((stop) => stop.startsWith("reader button"));
    assert.deepEqual(controls.map((stop) => READER_CONTROLS.find((name) => stop.startsWith(name)) ?? stop), READER_CONTROLS);
    // Visual order: the menu above the reader, the reader's controls, then what follows it on the page.
    const index = (text) => stops.findIndex((stop) => stop.includes(text));
    assert.ok(index("Liên hệ") < index("Giảm cỡ chữ"), stops.join("\n"));
    assert.ok(index("Tùy chỉnh hiển thị") < index("Hội nghị tổng kết"), stops.join("\n"));
    assert.ok(index("Hội nghị tổng kết") < index("Cổng dịch vụ công"), stops.join("\n"));
    // The controls are on screen, top to bottom then left to right, in the order Tab visits them.
    const boxes = await page.evaluate(() => {
      const root = document.querySelector("[data-commune-reader]").shadowRoot;
      return [...root.querySelectorAll(".toolbar > .font-controls > button, .toolbar > button")]
        .filter((b) => !b.hidden)
        .map((b) => b.getBoundingClientRect())
        .map((r) => ({ top: Math.round(r.top), left: Math.round(r.left) }));
    });
    for (let i = 1; i < boxes.length; i++) {
      const [a, b] = [boxes[i - 1], boxes[i]];
      assert.ok(b.top > a.top || (b.top === a.top && b.left > a.left), `control ${i} comes after control ${i - 1} on screen`);
    }
    await context.close();
  });
}

test("the skip link lands in the article; the next Tab continues after it", async () => {
  const { context, page } = await openPortal(PHONE);
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "a: Truy cập nội dung luôn");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("[data-commune-reader]").shadowRoot.activeElement?.tagName === "ARTICLE");
  assert.match(await focused(page), /^reader article: /);
  // Following the skip link again (the address already ends in #main-content: no hashchange) works too.
  await page.keyboard.press("Shift+Tab");
  await page.evaluate(() => document.querySelector(".skip").focus());
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("[data-commune-reader]").shadowRoot.activeElement?.tagName === "ARTICLE");
  await page.keyboard.press("Tab");
  const next = await focused(page);
  assert.ok(!next.includes("Truy cập nội dung luôn") && next !== "body", `Tab after the article goes on from there, got ${next}`);
  assert.equal(await page.evaluate(() => document.querySelector("#main-content").hasAttribute("tabindex")), false,
    "the mount element is not given a tabindex (a negative one would take the reader out of the Tab order)");
  await context.close();
});

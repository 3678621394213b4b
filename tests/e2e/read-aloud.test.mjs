// Issue 14.2 and 14.3: long official sentences go to the speech engine in pieces Chrome will not
// cut off, and every change of the reading (start, pause, resume, stop) is announced.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, launch, newContext, readerState } from "./harness.mjs";
import { PORTAL_PAGE, servePortal, speechDouble } from "./portal.mjs";

const browser = await launch();
after(() => browser.close());

// 448 characters, commas only, as district reports write them.
const LONG_SENTENCE =
  "Thực hiện kế hoạch của huyện về chuyển đổi số năm 2024, Ủy ban nhân dân xã đã chỉ đạo các thôn tổ chức tuyên truyền " +
  "sâu rộng đến từng hộ gia đình, hướng dẫn 1.234 người dân cài đặt và sử dụng ứng dụng VNeID, dịch vụ công trực tuyến, " +
  "thanh toán không dùng tiền mặt, phối hợp với Bưu điện huyện, Viettel Quảng Ngãi và Đoàn Thanh niên ra quân ngày 27/12/2023 " +
  "lúc 07:30 tại nhà văn hóa thôn An Bình 2, bảo đảm đúng, đủ, sạch theo chỉ đạo của UBND tỉnh";

function longArticle() {
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    id: "bao-cao-chuyen-doi-so",
    title: "Báo cáo chuyển đổi số năm 2024",
    content_html: `<p>${LONG_SENTENCE}.</p><p>Đoạn thứ hai ngắn.</p>`,
  });
}

async function openReader() {
  const context = await newContext(browser, PHONE);
  await context.addInitScript(speechDouble, [{ lang: "vi-VN", name: "Tiếng Việt", default: true }]);
  await servePortal(context, { articles: { "api/bai-viet/123.json": { body: longArticle(), type: "application/json" } } });
  const page = await context.newPage();
  await page.goto(PORTAL_PAGE);
  assert.equal(await readerState(page), "article");
  return { context, page };
}

test("a 448-character sentence is read in pieces of at most 250 characters, numbers and dates whole", async () => {
  assert.equal(LONG_SENTENCE.length + 1, 448);
  const { context, page } = await openReader();
  await page.getByRole("button", { name: "Nghe đọc bài" }).click();
  const spoken = await page
    .waitForFunction(() => window.spoken.some((u) => u.text.includes("Đoạn thứ hai")) && window.spoken.map((u) => u.text))
    .then((handle) => handle.jsonValue());
  const pieces = spoken.slice(0, -1);
  assert.ok(pieces.length >= 2, `split into ${pieces.length}`);
  for (const piece of pieces) assert.ok(piece.length <= 250, `${piece.length}: ${piece}`);
  assert.equal(pieces.join(" ").replace(/\s+/g, " "), (LONG_SENTENCE + ".").replace(/\s+/g, " "), "nothing lost or reordered");
  for (const whole of ["1.234", "27/12/2023", "07:30", "UBND", "VNeID"]) {
    assert.ok(pieces.some((piece) => piece.includes(whole)), `${whole} stays in one piece`);
  }
  await context.close();
});

test("starting, pausing, resuming and stopping are each announced", async () => {
  const { context, page } = await openReader();
  // Slow the double, so the reading is still going when it is paused.
  await page.evaluate(() => {
    const synth = window.speechSynthesis;
    synth.speak = (u) => {
      window.spoken.push({ text: u.text });
      setTimeout(() => u.dispatchEvent(new Event("end")), 2000);
    };
  });
  const status = () =>
    page.evaluate(() => document.querySelector("[data-commune-reader]").shadowRoot.querySelector('[role="status"][aria-live="polite"]').textContent);
  const announced = async (text) => {
    await page.waitForFunction(
      (wanted) => document.querySelector("[data-commune-reader]").shadowRoot.querySelector('[role="status"][aria-live="polite"]').textContent === wanted,
      text,
    );
    assert.equal(await status(), text);
  };
  await page.getByRole("button", { name: "Nghe đọc bài" }).click();
  await announced("Đang đọc bài");
  await page.getByRole("button", { name: "Tạm dừng" }).click();
  await announced("Đã tạm dừng");
  await page.getByRole("button", { name: "Tiếp tục nghe" }).click();
  await announced("Tiếp tục đọc");
  await page.getByRole("button", { name: "Dừng đọc" }).click();
  await announced("Đã dừng đọc");
  await context.close();
});

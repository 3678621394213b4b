// Issue 2 acceptance: the demo page at a phone and a desktop viewport, in a time zone far from Vietnam.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, PHONE, axeViolations, newContext, onHost, openBrowserAndServers, pollOnHost, readerState } from "./harness.mjs";

const FIXTURE = JSON.parse(await (await import("node:fs/promises")).readFile(new URL("../../demo/articles/ducpho-truc-bao.json", import.meta.url), "utf8"));

const { browser, servers } = await openBrowserAndServers(after);

const measureBody = (host) => parseFloat(getComputedStyle(host.shadowRoot.querySelector(".body p")).fontSize);
const bodyFontSize = (page) => onHost(page, measureBody);
/** Font changes reach the DOM on the next tick of Leptos's scheduler: wait for them. */
const bodyFontSizeBecomes = (page, wanted) => pollOnHost(page, measureBody, wanted);

for (const [name, device] of [["phone 360×740", PHONE], ["desktop", DESKTOP]]) {
  describe(`demo page on a ${name}`, () => {
    test("shows the whole article, dated in Vietnam time, with views and byline", async () => {
      const context = await newContext(browser, device);
      const page = await context.newPage();
      await page.goto(servers.page + "/");
      assert.equal(await readerState(page), "article");
      const shown = await onHost(page, (host) => {
        const root = host.shadowRoot;
        return {
          lang: root.querySelector("article").getAttribute("lang"),
          title: root.querySelector("h2.title")?.textContent,
          datetime: root.querySelector("time").getAttribute("datetime"),
          date: root.querySelector("time").textContent,
          views: root.querySelector(".views").textContent,
          paragraphs: [...root.querySelectorAll(".body p")].map((p) => p.textContent),
          byline: root.querySelector("footer").textContent,
        };
      });
      assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), "America/Los_Angeles");
      assert.equal(shown.lang, "vi");
      assert.equal(shown.title, FIXTURE.title);
      assert.equal(shown.datetime, "2023-12-27T09:14:00+07:00");
      assert.equal(shown.date, "27/12/2023 09:14");
      assert.equal(shown.views, "98 lượt xem");
      assert.equal(shown.paragraphs.length, 5);
      assert.ok(shown.paragraphs[0].startsWith("Chiều ngày 26/12/2023"));
      assert.ok(shown.paragraphs[4].endsWith("giám sát và phản biện xã hội./."));
      assert.equal(shown.byline, "Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ");
      // No counter runs in this test: its 404 is expected and handled quietly by the reader.
      assert.deepEqual(context.problems.filter((p) => !p.endsWith("/api/views")), []);
      await context.close();
    });

    test("A+ to the top step doubles the body text, survives a reload, never scrolls sideways, stays axe-clean", async () => {
      const context = await newContext(browser, device);
      const page = await context.newPage();
      await page.goto(servers.page + "/");
      await readerState(page);
      assert.deepEqual(await axeViolations(page, "[data-commune-reader]"), [], "axe at the default size");
      const base = await bodyFontSize(page);
      const larger = page.getByRole("button", { name: "A+ Tăng cỡ chữ" });
      const smaller = page.getByRole("button", { name: "A− Giảm cỡ chữ" });
      assert.equal(await smaller.getAttribute("aria-disabled"), "false");
      // Keyboard only: focus the button and press Enter until the top step.
      await larger.focus();
      for (let i = 0; i < 10; i++) await page.keyboard.press("Enter");
      const top = await bodyFontSizeBecomes(page, (size) => size >= 2 * base);
      assert.equal(await larger.getAttribute("aria-disabled"), "true", "the top of the range is marked");
      assert.equal(await larger.evaluate((el) => el === el.getRootNode().activeElement), true, "focus stays on A+");
      assert.ok(top >= 2 * base, `body text ${top}px is at least twice ${base}px`);
      const status = await onHost(page, (host) => host.shadowRoot.querySelector("[aria-live=polite]").textContent);
      assert.equal(status, "Cỡ chữ 200 %");
      await page.reload();
      await readerState(page);
      assert.equal(await bodyFontSize(page), top, "the size is remembered across visits");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at 200 % (overflow ${overflow}px)`);
      assert.deepEqual(await axeViolations(page, "[data-commune-reader]"), [], "axe at the largest size");
      // Targets are at least 44×44 CSS px.
      for (const name of ["A− Giảm cỡ chữ", "A Cỡ chữ mặc định", "A+ Tăng cỡ chữ"]) {
        const box = await page.getByRole("button", { name }).boundingBox();
        assert.ok(box.width >= 44 && box.height >= 44, `${name}: ${box.width}×${box.height}`);
      }
      await page.getByRole("button", { name: "A Cỡ chữ mặc định" }).click();
      assert.equal(await bodyFontSizeBecomes(page, (size) => size === base), base, "A restores the default");
      await context.close();
    });
  });
}

test("the remembered size is applied before the first paint of the article", async () => {
  const context = await newContext(browser, PHONE);
  await context.addInitScript(() => localStorage.setItem("commune-reader:font-scale", "150"));
  const page = await context.newPage();
  // Record the article's font-size the moment it first appears in the shadow root.
  await page.addInitScript(() => {
    window.firstArticleSize = null;
    const look = () => {
      const article = document.querySelector("[data-commune-reader]")?.shadowRoot?.querySelector("article");
      if (article && window.firstArticleSize === null) window.firstArticleSize = article.style.fontSize;
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.goto(servers.page + "/");
  await readerState(page);
  assert.equal(await page.evaluate(() => window.firstArticleSize), "1.5em");
  await context.close();
});

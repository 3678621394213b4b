// Issue 14.8: the page must not jump when the article arrives. A portal page built from the README
// snippet verbatim, with news links below the reader, on a phone and a desktop, fast and throttled
// (4× CPU slowdown, the reader's files and the article held back as on slow phone data): the
// Cumulative Layout Shift that PerformanceObserver records stays below 0.1 ("good").
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, launch, newContext, readerState } from "./harness.mjs";
import { PORTAL_PAGE, servePortal, speechDouble } from "./portal.mjs";

const browser = await launch();
after(() => browser.close());

const DESKTOP_WIDE = { viewport: { width: 1350, height: 940 } };
/** Slow phone data: the wasm and the article come late, the page itself at once. */
const slow = (url) => (url.endsWith(".wasm") ? 1500 : url.endsWith(".json") ? 900 : url.endsWith(".js") ? 400 : 0);

function recordShifts() {
  window.shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) window.shifts.push({ value: entry.value, sources: entry.sources.map((s) => `${s.node?.nodeName ?? "?"} ${JSON.stringify(s.previousRect)}→${JSON.stringify(s.currentRect)}`) });
    }
  }).observe({ type: "layout-shift", buffered: true });
}

async function layoutShift(device, throttled) {
  const context = await newContext(browser, device);
  await context.addInitScript(recordShifts);
  // Voices that appear a moment after the page, as on Android: the read-aloud button comes late.
  await context.addInitScript(speechDouble, [{ lang: "vi-VN", name: "Tiếng Việt", default: true }]);
  await servePortal(context, { delayMs: throttled ? slow : () => 0 });
  const page = await context.newPage();
  if (throttled) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  }
  await page.goto(PORTAL_PAGE);
  assert.equal(await readerState(page), "article");
  // Everything that comes after the first paint: voice lookup, view count, late frames.
  await page.waitForTimeout(1500);
  const shifts = await page.evaluate(() => window.shifts);
  await context.close();
  const total = shifts.reduce((sum, shift) => sum + shift.value, 0);
  return { total, shifts };
}

for (const [label, device] of [["phone", PHONE], ["desktop 1350 px", DESKTOP_WIDE]]) {
  for (const throttled of [false, true]) {
    test(`${label}, ${throttled ? "throttled" : "fast"}: cumulative layout shift below 0.1`, async () => {
      const { total, shifts } = await layoutShift(device, throttled);
      console.log(`CLS ${label} ${throttled ? "throttled" : "fast"}: ${total.toFixed(4)} (${shifts.length} shifts)`);
      assert.ok(total < 0.1, `CLS ${total.toFixed(3)}: ${JSON.stringify(shifts)}`);
    });
  }
}

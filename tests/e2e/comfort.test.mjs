// "Reading comfort beyond font size": themes, spacing, large text, read aloud, print, share, JSON-LD.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, newContext, onHost, openBrowserAndServers, PHONE, pollOnHost, readerState } from "./harness.mjs";
import { speechDouble } from "./portal.mjs";

const { browser, servers } = await openBrowserAndServers(after);

const READER = "[data-commune-reader]";
const counterMissing = (problem) => problem.endsWith("/api/views"); // the demo names a counter; none runs here
const noProblems = (context) => assert.deepEqual(context.problems.filter((p) => !counterMissing(p)), []);

async function openDemo(options = {}, init) {
  const context = await newContext(browser, { ...PHONE, ...options });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto(servers.page + "/");
  assert.equal(await readerState(page), "article");
  return { context, page };
}

const openPanel = (page) => page.getByRole("button", { name: "Tùy chỉnh hiển thị" }).click();

/** Relative luminance contrast of two `rgb(…)` colours, as WCAG defines it. */
function contrast(a, b) {
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const colours = (host) => {
  const root = host.shadowRoot;
  const style = (selector) => getComputedStyle(root.querySelector(selector));
  return {
    theme: ["auto", "light", "sepia", "dark", "contrast"].find((name) => root.querySelector(".reader").classList.contains(name)),
    background: style(".reader").backgroundColor,
    body: style(".body p").color,
    muted: style(".meta").color,
  };
};

describe("themes", () => {
  for (const [label, theme] of [["Tự động", "auto"], ["Sáng", "light"], ["Nâu đỏ", "sepia"], ["Tối", "dark"], ["Tương phản cao", "contrast"]]) {
    test(`${label}: chosen from the radio group, remembered, axe-clean, readable`, async () => {
      const { context, page } = await openDemo();
      await openPanel(page);
      await page.getByRole("radio", { name: label }).check();
      const shown = await pollOnHost(page, colours, (c) => c.theme === theme);
      assert.equal(shown.theme, theme);
      assert.deepEqual(await axeViolations(page, READER), [], `axe in the ${theme} theme`);
      const minimum = theme === "contrast" ? 7 : 4.5;
      assert.ok(contrast(shown.body, shown.background) >= minimum, `body ${shown.body} on ${shown.background}`);
      assert.ok(contrast(shown.muted, shown.background) >= 4.5, `muted ${shown.muted} on ${shown.background}`);
      // The focus outline is drawn, and in a colour distinct from the background.
      await page.getByRole("radio", { name: label }).focus();
      await page.keyboard.press("Tab");
      await page.keyboard.press("Shift+Tab");
      const outline = await onHost(page, (host) => {
        const focused = host.shadowRoot.activeElement;
        const style = getComputedStyle(focused);
        return { width: parseFloat(style.outlineWidth), style: style.outlineStyle, colour: style.outlineColor };
      });
      assert.ok(outline.width >= 2 && outline.style !== "none", JSON.stringify(outline));
      assert.ok(contrast(outline.colour, shown.background) >= 3, `focus ${outline.colour} on ${shown.background}`);
      await page.reload();
      await readerState(page);
      assert.equal((await onHost(page, colours)).theme, theme, "the theme is remembered");
      noProblems(context);
      await context.close();
    });
  }

  test("high contrast keeps body text at 7:1 or more", async () => {
    const { context, page } = await openDemo({}, () => localStorage.setItem("commune-reader:comfort", "contrast 1 1 1 0"));
    const shown = await onHost(page, colours);
    assert.equal(shown.theme, "contrast");
    const ratio = contrast(shown.body, shown.background);
    assert.ok(ratio >= 7, `contrast ${ratio.toFixed(2)}:1`);
    await context.close();
  });

  test("the automatic theme follows the device's dark setting; data-theme sets the site's default", async () => {
    const context = await newContext(browser, { ...PHONE, colorScheme: "dark" });
    const page = await context.newPage();
    await page.goto(servers.page + "/");
    await readerState(page);
    const dark = await onHost(page, colours);
    assert.equal(dark.theme, "auto");
    assert.ok(contrast(dark.background, "rgb(0, 0, 0)") < 2, `dark background ${dark.background}`);
    assert.deepEqual(await axeViolations(page, READER), [], "axe in automatic dark");
    // A portal that prefers sepia says so on the mount element.
    await page.evaluate(() => {
      const old = document.querySelector("[data-commune-reader]");
      const copy = old.cloneNode(false);
      copy.setAttribute("data-theme", "sepia");
      old.replaceWith(copy);
    });
    assert.equal((await pollOnHost(page, colours, (c) => c.theme === "sepia")).theme, "sepia");
    await context.close();
  });

  test("forced colours: system colours, axe-clean", async () => {
    const { context, page } = await openDemo();
    await page.emulateMedia({ forcedColors: "active" });
    await openPanel(page);
    assert.deepEqual(await axeViolations(page, READER), [], "axe under forced colours");
    noProblems(context);
    await context.close();
  });
});

const articleStyle = (host) => {
  const article = host.shadowRoot.querySelector("article");
  const p = article.querySelector(".body p");
  const style = getComputedStyle(article);
  const width = `${Math.round(parseFloat(style.maxWidth) / parseFloat(style.fontSize))}em`;
  return { font: parseFloat(getComputedStyle(p).fontSize), line: getComputedStyle(p).lineHeight, width, large: host.shadowRoot.querySelector(".reader").classList.contains("large") };
};

test("spacing: line height and text width each have steps, and the reset restores them", async () => {
  const { context, page } = await openDemo();
  const before = await onHost(page, articleStyle);
  await openPanel(page);
  await page.getByRole("radio", { name: "2,0" }).check();
  await page.getByRole("radio", { name: "Hẹp" }).check();
  const changed = await pollOnHost(page, articleStyle, (s) => s.width === "32em" && parseFloat(s.line) === 2 * s.font);
  assert.equal(changed.width, "32em");
  assert.equal(parseFloat(changed.line), 2 * changed.font);
  await page.getByRole("radio", { name: "1,5", exact: true }).check();
  assert.equal(parseFloat((await pollOnHost(page, articleStyle, (s) => parseFloat(s.line) === 1.5 * s.font)).line), 1.5 * before.font);
  await page.getByRole("button", { name: "Khôi phục mặc định" }).click();
  const reset = await pollOnHost(page, articleStyle, (s) => s.width === "42em");
  assert.deepEqual(reset, before);
  assert.equal(await page.getByRole("radio", { name: "1,7" }).isChecked(), true);
  await context.close();
});

test("Chữ lớn sets 150 % text, double spacing and bigger controls; it persists; defaults come back", async () => {
  const { context, page } = await openDemo();
  const before = await onHost(page, articleStyle);
  const smallButton = await page.getByRole("button", { name: "A+ Tăng cỡ chữ" }).boundingBox();
  await openPanel(page);
  const large = page.getByRole("button", { name: "Chữ lớn" });
  assert.equal(await large.getAttribute("aria-pressed"), "false");
  // Keyboard only.
  await large.focus();
  await page.keyboard.press("Enter");
  const on = await pollOnHost(page, articleStyle, (s) => s.large && s.font === 1.5 * before.font);
  assert.equal(on.font, 1.5 * before.font);
  assert.equal(parseFloat(on.line), 2 * on.font);
  assert.equal(await large.getAttribute("aria-pressed"), "true");
  const bigButton = await page.getByRole("button", { name: "A+ Tăng cỡ chữ" }).boundingBox();
  assert.ok(bigButton.height > smallButton.height, `controls grow: ${smallButton.height} → ${bigButton.height}`);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok((await overflow()) <= 0, "no horizontal scrolling at 360 px in large-text mode");
  assert.deepEqual(await axeViolations(page, READER), [], "axe in large-text mode");
  await page.reload();
  await readerState(page);
  assert.deepEqual(await onHost(page, articleStyle), on, "large text is remembered");
  await openPanel(page);
  await page.getByRole("button", { name: "Khôi phục mặc định" }).click();
  assert.deepEqual(await pollOnHost(page, articleStyle, (s) => !s.large && s.font === before.font), before);
  const status = await onHost(page, (host) => host.shadowRoot.querySelector("[aria-live=polite]").textContent);
  assert.equal(status, "Đã khôi phục hiển thị mặc định");
  await page.reload();
  await readerState(page);
  assert.deepEqual(await onHost(page, articleStyle), before, "the defaults are remembered too");
  await context.close();
});

test("the display panel is a disclosure: Esc closes it and focus returns to its button", async () => {
  const { context, page } = await openDemo();
  const toggle = page.getByRole("button", { name: "Tùy chỉnh hiển thị" });
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal(await page.getByRole("radio", { name: "Tối" }).count(), 0, "closed panel is hidden");
  await toggle.focus();
  await page.keyboard.press("Enter");
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  await page.keyboard.press("Tab");
  const radio = page.getByRole("radio", { name: "Tự động" });
  assert.equal(await radio.evaluate((el) => el === el.getRootNode().activeElement), true, "Tab enters the panel");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getByRole("radio", { name: "Sáng" }).isChecked(), true, "arrow keys pick a theme");
  await page.keyboard.press("Escape");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal(await toggle.evaluate((el) => el === el.getRootNode().activeElement), true, "focus is back on the button");
  // Every control in the panel is at least 44×44 CSS px (radios through their labels).
  await toggle.click();
  const small = await onHost(page, (host) =>
    [...host.shadowRoot.querySelectorAll(".toolbar button, .toolbar label")]
      .filter((el) => el.getClientRects().length > 0) // hidden ones (no voice here) take no space
      .map((el) => [el.textContent.trim(), el.getBoundingClientRect()])
      .filter(([, box]) => box.width < 44 || box.height < 44)
      .map(([name, box]) => `${name}: ${box.width}×${box.height}`),
  );
  assert.deepEqual(small, []);
  await context.close();
});

test("the meta line shows the reading time", async () => {
  const { context, page } = await openDemo();
  const meta = await onHost(page, (host) => host.shadowRoot.querySelector(".meta").textContent);
  assert.match(meta, /≈ \d+ phút đọc/);
  await context.close();
});

describe("read aloud", () => {
  test("speaks vi-VN sentence by sentence, highlighting paragraphs in order; pause and stop work", async () => {
    const context2 = await newContext(browser, PHONE);
    await context2.addInitScript(speechDouble, [{ lang: "vi-VN", name: "Tiếng Việt", default: true, localService: true }]);
    const page2 = await context2.newPage();
    await page2.goto(servers.page + "/");
    await readerState(page2);
    assert.deepEqual(await page2.evaluate(() => window.spoken), [], "never starts by itself");
    const listen = page2.getByRole("button", { name: "Nghe đọc bài" });
    await listen.focus();
    await page2.keyboard.press("Enter");
    // The whole article is read; the double ends each utterance after a few milliseconds.
    const paragraphs = await onHost(page2, (host) => host.shadowRoot.querySelectorAll(".body > *").length);
    const spoken = await page2.waitForFunction(
      (expectedParagraphs) => {
        const spoken = window.spoken;
        return spoken.length > 0 && spoken.at(-1).paragraph === expectedParagraphs - 1 && spoken.at(-1).text.endsWith("./.") && spoken;
      },
      paragraphs,
      { timeout: 15_000 },
    ).then((handle) => handle.jsonValue());
    assert.ok(spoken.length > paragraphs, `${spoken.length} utterances for ${paragraphs} paragraphs`);
    for (const utterance of spoken) {
      assert.equal(utterance.lang, "vi-VN");
      assert.equal(utterance.rate, 1);
      // At most one sentence: no sentence end followed by more text inside an utterance.
      assert.doesNotMatch(utterance.text, /[.!?…]\s+\p{Lu}/u, utterance.text);
    }
    const order = spoken.map((u) => u.paragraph);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), "paragraphs are highlighted in order");
    assert.deepEqual([...new Set(order)], [...Array(paragraphs).keys()], "every paragraph is read");
    assert.ok(spoken[0].text.startsWith("Chiều ngày 26/12/2023"));
    // Finished: highlight gone, button back to its start label.
    await page2.getByRole("button", { name: "Nghe đọc bài" }).waitFor();
    assert.equal(await onHost(page2, (host) => host.shadowRoot.querySelectorAll(".speaking").length), 0);
    // Speed, then pause and stop by keyboard.
    await openPanel(page2);
    await page2.getByRole("radio", { name: "1,5×" }).check();
    await page2.evaluate(() => (window.spoken = []));
    await page2.getByRole("button", { name: "Nghe đọc bài" }).click();
    const pause = page2.getByRole("button", { name: "Tạm dừng" });
    await pause.focus();
    await page2.keyboard.press("Enter");
    const resume = page2.getByRole("button", { name: "Tiếp tục nghe" });
    await resume.waitFor();
    const countAtPause = await page2.evaluate(() => window.spoken.length);
    await page2.waitForTimeout(100);
    assert.equal(await page2.evaluate(() => window.spoken.length), countAtPause, "nothing is spoken while paused");
    assert.equal(await page2.evaluate(() => window.spoken[0].rate), 1.5);
    await page2.getByRole("button", { name: "Dừng đọc" }).click();
    await page2.getByRole("button", { name: "Nghe đọc bài" }).waitFor();
    assert.equal(await onHost(page2, (host) => host.shadowRoot.querySelectorAll(".speaking").length), 0);
    noProblems(context2);
    await context2.close();
  });

  test("stops when the reader is removed from the page", async () => {
    const context = await newContext(browser, PHONE);
    await context.addInitScript(speechDouble, [{ lang: "vi-VN", name: "Tiếng Việt" }]);
    await context.addInitScript(() => {
      // Slow the double down so removal happens mid-article, and count cancellations.
      window.cancels = 0;
      const synth = window.speechSynthesis;
      synth.speak = (u) => {
        window.spoken.push({ text: u.text });
        setTimeout(() => u.dispatchEvent(new Event("end")), 200);
      };
      synth.cancel = () => window.cancels++;
    });
    const page = await context.newPage();
    await page.goto(servers.page + "/");
    await readerState(page);
    await page.getByRole("button", { name: "Nghe đọc bài" }).click();
    await page.waitForFunction(() => window.spoken.length >= 1);
    await page.evaluate(() => document.querySelector("[data-commune-reader]").remove());
    await page.waitForFunction(() => window.cancels >= 1);
    const count = await page.evaluate(() => window.spoken.length);
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(() => window.spoken.length), count, "nothing more is spoken");
    noProblems(context);
    await context.close();
  });

  test("a hidden page pauses the reading; it goes on only when asked", async () => {
    const context = await newContext(browser, PHONE);
    await context.addInitScript(speechDouble, [{ lang: "vi-VN", name: "Tiếng Việt" }]);
    const page = await context.newPage();
    await page.goto(servers.page + "/");
    await readerState(page);
    await page.getByRole("button", { name: "Nghe đọc bài" }).click();
    await page.waitForFunction(() => window.spoken.length >= 1);
    await page.evaluate(() => {
      Object.defineProperty(document, "hidden", { value: true, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await page.getByRole("button", { name: "Tiếp tục nghe" }).waitFor();
    const count = await page.evaluate(() => window.spoken.length);
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => window.spoken.length), count, "silent while hidden");
    await context.close();
  });

  test("the button is absent where no voice speaks the article's language", async () => {
    const context = await newContext(browser, PHONE);
    await context.addInitScript(speechDouble, [{ lang: "en-US", name: "English" }]);
    const page = await context.newPage();
    await page.goto(servers.page + "/");
    await readerState(page);
    assert.equal(await page.getByRole("button", { name: "Nghe đọc bài" }).count(), 0);
    await context.close();
  });

  test("a Vietnamese voice that loads late (voiceschanged) brings the button", async () => {
    const context = await newContext(browser, PHONE);
    await context.addInitScript(speechDouble, []);
    const page = await context.newPage();
    await page.goto(servers.page + "/");
    await readerState(page);
    assert.equal(await page.getByRole("button", { name: "Nghe đọc bài" }).count(), 0);
    const articleTop = () => onHost(page, (host) => host.shadowRoot.querySelector("article").getBoundingClientRect().top);
    const before = await articleTop();
    await page.evaluate(() => {
      window.speechSynthesis.getVoices = () => [{ lang: "vi_VN", name: "Tiếng Việt" }];
      window.speechSynthesis.dispatchEvent(new Event("voiceschanged"));
    });
    await page.getByRole("button", { name: "Nghe đọc bài" }).waitFor({ timeout: 5_000 });
    assert.equal(await articleTop(), before, "the button had kept its place: the article does not move");
    await context.close();
  });
});

test("print: only the article, with agency, date and address, and no controls", async () => {
  const { context, page } = await openDemo();
  await openPanel(page);
  assert.equal(await page.getByRole("button", { name: "In bài" }).count(), 1);
  await page.emulateMedia({ media: "print" });
  const printed = await onHost(page, (host) => {
    const root = host.shadowRoot;
    const shown = (el) => el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
    return {
      toolbar: getComputedStyle(root.querySelector(".toolbar")).display,
      buttons: [...root.querySelectorAll("button")].map((b) => getComputedStyle(b).display),
      date: shown(root.querySelector("time")) && root.querySelector("time").textContent,
      byline: shown(root.querySelector(".byline")) && root.querySelector(".byline").textContent,
      url: shown(root.querySelector(".print-only")) && root.querySelector(".print-only").textContent,
      title: shown(root.querySelector(".title")),
      body: shown(root.querySelector(".body p")),
    };
  });
  assert.equal(printed.toolbar, "none");
  assert.ok(printed.buttons.length > 0 && printed.buttons.every((d) => d === "none"), printed.buttons.join());
  assert.equal(printed.date, "27/12/2023 09:14");
  assert.match(printed.byline, /Trung tâm TT-VH-TT thị xã Đức Phổ/);
  assert.match(printed.url, /^Địa chỉ bài viết: https?:\/\//);
  assert.ok(printed.title && printed.body);
  await context.close();
});

test("the print button prints this article alone, then gives the host page back", async () => {
  // window.print is replaced by a recorder: headless Chromium has no print dialog. Its
  // `afterprint` is dispatched by hand below, as the browser does when the dialog closes.
  const { context, page } = await openDemo({}, () => {
    window.print = () => {
      const host = document.querySelector("[data-commune-reader]");
      window.printCalls = (window.printCalls ?? 0) + 1;
      window.markedWhilePrinting = host.hasAttribute("data-commune-reader-printing");
    };
  });
  await openPanel(page);
  await page.getByRole("button", { name: "In bài" }).click();
  assert.deepEqual(await page.evaluate(() => [window.printCalls, window.markedWhilePrinting]), [1, true]);
  const visibility = () => page.evaluate(() => ({
    header: getComputedStyle(document.querySelector(".site-header")).visibility,
    sidebar: getComputedStyle(document.querySelector(".sidebar")).visibility,
    reader: getComputedStyle(document.querySelector("[data-commune-reader]")).visibility,
    title: getComputedStyle(document.querySelector("[data-commune-reader]").shadowRoot.querySelector(".title")).visibility,
  }));
  await page.emulateMedia({ media: "print" });
  assert.deepEqual(await visibility(), { header: "hidden", sidebar: "hidden", reader: "visible", title: "visible" });
  await page.emulateMedia({ media: "screen" });
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  assert.deepEqual(
    await page.evaluate(() => [document.adoptedStyleSheets.length, document.querySelector("[data-commune-reader]").hasAttribute("data-commune-reader-printing")]),
    [0, false],
    "nothing is left on the host page after printing",
  );
  await page.emulateMedia({ media: "print" });
  assert.equal((await visibility()).header, "visible", "a later print of the page itself prints the page");
  await context.close();
});

test("share without navigator.share copies the link and says so", async () => {
  const { context, page } = await openDemo({}, () => {
    Object.defineProperty(Navigator.prototype, "share", { value: undefined, configurable: true });
    window.copied = [];
    Object.defineProperty(Navigator.prototype, "clipboard", {
      value: { writeText: (text) => (window.copied.push(text), Promise.resolve()) },
      configurable: true,
    });
  });
  await openPanel(page);
  await page.getByRole("button", { name: "Chia sẻ" }).click();
  const status = await pollOnHost(page, (host) => host.shadowRoot.querySelector("[aria-live=polite]").textContent, (s) => s !== "");
  assert.equal(status, "Đã sao chép liên kết");
  const copied = await page.evaluate(() => window.copied);
  assert.equal(copied.length, 1);
  assert.match(copied[0], /^https?:\/\//);
  noProblems(context);
  await context.close();
});

test("data-structured-data adds a NewsArticle JSON-LD to the head, removed with the reader", async () => {
  const { context, page } = await openDemo();
  assert.equal(await page.locator('head script[type="application/ld+json"]').count(), 0, "off by default");
  await page.evaluate(() => {
    const old = document.querySelector("[data-commune-reader]");
    const copy = old.cloneNode(false);
    copy.setAttribute("data-structured-data", "");
    old.replaceWith(copy);
  });
  await readerState(page);
  const script = page.locator('head script[type="application/ld+json"]');
  await script.waitFor({ state: "attached" });
  const data = JSON.parse(await script.textContent());
  assert.equal(data["@type"], "NewsArticle");
  assert.match(data.headline, /^Thường trực Thị ủy/);
  assert.equal(data.datePublished, "2023-12-27T09:14:00+07:00");
  assert.equal(data.inLanguage, "vi");
  assert.deepEqual(data.author, [{ "@type": "Person", name: "Thúy Yến" }]);
  assert.equal(data.publisher.name, "Trung tâm TT-VH-TT thị xã Đức Phổ");
  assert.equal(data.interactionStatistic.userInteractionCount, 98);
  await page.evaluate(() => document.querySelector("[data-commune-reader]").remove());
  await page.waitForFunction(() => !document.querySelector('head script[type="application/ld+json"]'));
  noProblems(context);
  await context.close();
});

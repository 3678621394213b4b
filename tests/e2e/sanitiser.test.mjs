// Issue "nothing a CMS or a stranger sends may run or break the page": the HTML sanitiser, end to end.
//
// Every payload of corpus/hostile.json is served as an article's `content_html` to a reader on a
// page whose `window.__pwned` records calls. In headless Chromium nothing may run (no call, no
// dialog, no navigation, no popup, no page error), nothing meant to be stripped may be fetched
// (corpus URLs under /pwned…), the host page stays usable and uncovered, and what survives in each
// reader's shadow root is on the allowlist. Payloads are batched 25 readers per page to stay fast.
// corpus/benign.json checks the other side: real CMS and Word HTML keeps its text and structure.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { DESKTOP, PHONE, newContext, openBrowserAndServers } from "./harness.mjs";

const corpus = async (name) => JSON.parse(await readFile(new URL(`./corpus/${name}.json`, import.meta.url), "utf8"));
const HOSTILE = await corpus("hostile");
const BENIGN = await corpus("benign");
const BATCH = 25;

const { browser, servers } = await openBrowserAndServers(after);

/** The article JSON travels in the query (`/json?b=<base64>`), so each payload is its own URL. */
const articleUrl = (article) =>
  `${servers.api}/json?b=${encodeURIComponent(Buffer.from(JSON.stringify(article)).toString("base64"))}`;

/** The policy the reader promises, written independently of `sanitize_rules.rs`. */
const POLICY = {
  global: ["lang", "dir", "title"],
  tags: {
    p: [], br: [], hr: [], b: [], strong: [], i: [], em: [], u: [], s: [], small: [], sub: [], sup: [], mark: [],
    abbr: ["abbr"], cite: [], q: ["cite"], time: ["datetime"], code: [], pre: [], kbd: [], blockquote: ["cite"],
    ul: [], ol: ["type", "start", "reversed"], li: [], dl: [], dt: [], dd: [], h2: [], h3: [], h4: [], h5: [], h6: [],
    a: ["href", "rel"], img: ["src", "alt", "width", "height", "loading", "decoding"], figure: [], figcaption: [],
    table: [], caption: [], thead: [], tbody: [], tfoot: [], tr: [], th: ["scope", "abbr", "colspan", "rowspan"],
    td: ["abbr", "colspan", "rowspan"], colgroup: ["span"], col: ["span"],
    // Only as the sanitiser's own scroll box around a table.
    div: ["class", "role", "tabindex", "aria-label"],
  },
  linkSchemes: ["http:", "https:", "mailto:", "tel:"],
  imageSchemes: ["http:", "https:"],
  /**
   * Never anywhere in a reader's shadow root, the reader's own interface included (which may use
   * `id`, `name` or `class`; the article body may not, as the allowlist above says).
   */
  forbidden: ["srcset", "srcdoc", "formaction", "action", "xlink:href", "background", "poster", "ping",
    "autofocus", "contenteditable", "target", "data", "code", "codebase", "manifest", "lowsrc", "dynsrc"],
};

/** In the page: every reader's shadow root against the policy. Returns `[hostId, problem]` pairs. */
function audit({ ids, policy }) {
  const XHTML = "http://www.w3.org/1999/xhtml";
  const problems = [];
  const schemeOf = (value) => {
    try {
      return new URL(value).protocol;
    } catch {
      return "unparseable";
    }
  };
  for (const id of ids) {
    const root = document.getElementById(id)?.shadowRoot;
    const body = root?.querySelector("article .body");
    if (!body) {
      problems.push([id, "no article body"]);
      continue;
    }
    for (const element of root.querySelectorAll("*")) {
      if (element.namespaceURI !== XHTML) problems.push([id, `foreign element <${element.localName}>`]);
      if (["script", "style", "iframe", "object", "embed", "form", "input", "button", "svg", "math", "template",
        "link", "meta", "base", "frame", "dialog", "portal", "video", "audio", "marquee", "textarea", "select"]
        .includes(element.localName) && body.contains(element)) problems.push([id, `<${element.localName}> in body`]);
      for (const { name } of element.attributes) {
        if (/^on/i.test(name) || policy.forbidden.includes(name)) problems.push([id, `${name} on <${element.localName}>`]);
      }
    }
    for (const element of body.querySelectorAll("*")) {
      const tag = element.localName;
      const allowed = policy.tags[tag];
      if (!allowed) {
        problems.push([id, `<${tag}> is not on the allowlist`]);
        continue;
      }
      if (tag === "div" && element.getAttribute("class") !== "table-scroll") problems.push([id, "a <div> that is not a table scroll box"]);
      for (const { name, value } of element.attributes) {
        if (!policy.global.includes(name) && !allowed.includes(name)) problems.push([id, `${name}="${value}" on <${tag}>`]);
      }
      const link = element.getAttribute("href");
      if (tag === "a" && link !== null && !policy.linkSchemes.includes(schemeOf(link))) problems.push([id, `link ${link}`]);
      if ((tag === "q" || tag === "blockquote") && element.hasAttribute("cite")
        && !policy.linkSchemes.includes(schemeOf(element.getAttribute("cite")))) problems.push([id, `cite ${element.getAttribute("cite")}`]);
      if (tag === "img" && element.hasAttribute("src") && !policy.imageSchemes.includes(schemeOf(element.getAttribute("src")))) {
        problems.push([id, `image ${element.getAttribute("src")}`]);
      }
      if (tag === "a" && element.getAttribute("rel") !== "noopener noreferrer") problems.push([id, "link without rel=noopener noreferrer"]);
      if (tag === "img" && element.getAttribute("loading") !== "lazy") problems.push([id, "image not lazy"]);
    }
  }
  return problems;
}

/**
 * In the page: points of a grid over the viewport where a reader shows although the point is outside
 * that reader's own box (an overlay), plus the host column's points that are not the host's.
 */
function coveredPoints() {
  const covered = [];
  const readerOf = (element) => element?.closest?.("[data-commune-reader]") ?? null;
  for (let x = 5; x < innerWidth; x += Math.floor(innerWidth / 24)) {
    for (let y = 5; y < innerHeight; y += Math.floor(innerHeight / 18)) {
      const hit = document.elementFromPoint(x, y);
      const reader = readerOf(hit);
      if (reader) {
        // One pixel of slack: boxes sit at fractional positions and hit testing snaps them to pixels.
        const box = reader.getBoundingClientRect();
        if (x < box.left - 1 || x > box.right + 1 || y < box.top - 1 || y > box.bottom + 1) covered.push(`${x},${y} by #${reader.id}`);
      } else if (x < 300 && !hit?.closest?.("#host-column")) {
        covered.push(`${x},${y} host column shows <${hit?.localName}>`);
      }
    }
  }
  return covered;
}

/** In the page: the host page's own state that a payload could clobber, steal or restyle. */
function hostState() {
  const button = document.getElementById("host-button");
  const box = button.getBoundingClientRect();
  return {
    pwnedCalls: window.__pwnedCalls,
    pwnedIsOriginal: String(window.__pwned).includes("__pwnedCalls.push"),
    addReader: typeof window.addReader,
    getElementById: typeof document.getElementById,
    cookie: document.cookie,
    focus: document.activeElement?.localName ?? null,
    buttonIsHost: button.closest("#host-column") !== null && button.textContent === "Nút của trang",
    buttonVisible: box.width > 0 && box.height > 0 && getComputedStyle(button).display !== "none",
    buttonOnTop: document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === button,
    bodyDisplay: getComputedStyle(document.body).display,
    readersBox: document.getElementById("readers").getBoundingClientRect().left,
  };
}

/** Collects what must never happen on a page: calls, dialogs, navigations, popups, errors, leaks. */
function watchPage(page) {
  const seen = { dialogs: [], navigations: [], popups: [], errors: [], leaks: [] };
  let loaded = false;
  page.on("dialog", (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("framenavigated", (frame) => {
    if (loaded && frame === page.mainFrame()) seen.navigations.push(frame.url());
  });
  page.on("popup", (popup) => seen.popups.push(popup.url()));
  page.on("pageerror", (error) => seen.errors.push(error.message));
  page.context().on("request", (request) => {
    const { pathname } = new URL(request.url(), "http://x");
    if (/\/pwned/i.test(pathname)) seen.leaks.push(request.url());
  });
  return { seen, markLoaded: () => { loaded = true; } };
}

/** Opens the sanitiser page with one reader per article and waits until every reader has settled. */
async function openReaders(context, articles) {
  const page = await context.newPage();
  const watcher = watchPage(page);
  await page.goto(servers.page + "/t/sanitiser.html");
  watcher.markLoaded();
  const ids = articles.map((_, i) => `r${i}`);
  await page.evaluate((readers) => readers.forEach(([id, src]) => window.addReader(id, { "data-src": src })),
    articles.map((article, i) => [ids[i], articleUrl(article)]));
  const states = await (await page.waitForFunction((all) => {
    const states = all.map((id) => {
      const root = document.getElementById(id)?.shadowRoot;
      if (root?.querySelector("article .body")) return "article";
      if (root?.querySelector(".error")) return root.querySelector(".error").textContent;
      return null;
    });
    return states.every(Boolean) && states;
  }, ids, { timeout: 30_000 })).jsonValue();
  return { page, ids, states, seen: watcher.seen };
}

const describePayload = (index) => `#${index + 1} [${HOSTILE[index].family}] ${HOSTILE[index].html}`;

describe("hostile payloads", () => {
  test("the corpus is large and covers every family the issue names", () => {
    assert.ok(HOSTILE.length >= 150, `${HOSTILE.length} payloads`);
    const families = new Set(HOSTILE.map((p) => p.family));
    for (const family of ["script", "event-handler", "url-scheme", "embedding", "mxss", "template", "css", "overlay", "clobbering", "focus-and-navigation"]) {
      assert.ok(families.has(family), family);
    }
  });

  test("the checks themselves see a leak: a reader tampered with after sanitising fails every one", async () => {
    const context = await newContext(browser, DESKTOP);
    const { page, ids, seen } = await openReaders(context, [{ title: "Mồi", content_html: "<p>Bình thường</p>" }]);
    assert.deepEqual(await page.evaluate(audit, { ids, policy: POLICY }), []);
    await page.evaluate((id) => {
      const body = document.getElementById(id).shadowRoot.querySelector(".body");
      const link = Object.assign(document.createElement("a"), { href: "javascript:void 0" });
      link.setAttribute("onclick", "__pwned(0)");
      const overlay = document.createElement("div");
      overlay.setAttribute("style", "position:fixed;inset:0");
      body.append(link, overlay, document.createElement("svg"));
      link.click();
      new Image().src = "/pwned-selftest.png";
    }, ids[0]);
    await page.waitForTimeout(300);
    const problems = (await page.evaluate(audit, { ids, policy: POLICY })).map(([, problem]) => problem);
    for (const wanted of ["onclick on <a>", "link javascript:void 0", 'style="position:fixed;inset:0" on <div>', "<svg> is not on the allowlist"]) {
      assert.ok(problems.includes(wanted), `${wanted} in ${problems}`);
    }
    assert.ok((await page.evaluate(coveredPoints)).length > 0, "the overlay is seen");
    assert.deepEqual((await page.evaluate(hostState)).pwnedCalls, [0]);
    assert.equal(seen.leaks.length, 1);
    await context.close();
  });

  for (let start = 0; start < HOSTILE.length; start += BATCH) {
    const batch = HOSTILE.slice(start, start + BATCH);
    test(`payloads ${start + 1}–${start + batch.length} run nothing, load nothing stripped and cover nothing`, async () => {
      const context = await newContext(browser, DESKTOP);
      const { page, ids, states, seen } = await openReaders(
        context,
        batch.map((payload, i) => ({ title: `Bài thử ${start + i + 1}`, content_html: payload.html })),
      );
      states.forEach((state, i) => assert.equal(state, "article", describePayload(start + i)));
      // Let late handlers have their chance: image errors, animations, meta refresh, autofocus.
      await page.waitForTimeout(1_000);
      const covered = [];
      for (const scroll of [0, 0.5, 1]) {
        await page.evaluate((f) => scrollTo(0, f * (document.documentElement.scrollHeight - innerHeight)), scroll);
        covered.push(...(await page.evaluate(coveredPoints)));
      }
      // Hover over every reader, as a visitor would: any surviving mouse handler fires.
      for (const id of ids) {
        const box = await page.locator(`#${id}`).evaluate((host) => {
          host.scrollIntoView({ block: "center" });
          const { left, top, width, height } = host.getBoundingClientRect();
          return { left, top, width, height };
        });
        for (const [fx, fy] of [[0.5, 0.1], [0.3, 0.5], [0.7, 0.9]]) {
          await page.mouse.move(box.left + fx * box.width, box.top + fy * box.height);
        }
      }
      await page.evaluate(() => scrollTo(0, 0));
      const problems = await page.evaluate(audit, { ids, policy: POLICY });
      const host = await page.evaluate(hostState);
      await page.locator("#host-button").click();
      const count = await page.locator("#host-count").textContent();
      await page.waitForTimeout(100);

      const byPayload = (list) => list.map(([id, problem]) => `${describePayload(start + Number(id.slice(1)))} → ${problem}`);
      assert.deepEqual(byPayload(problems), [], "everything left in the readers is on the allowlist");
      assert.deepEqual(host.pwnedCalls, [], "no payload ran (the numbers are payload numbers)");
      assert.deepEqual(seen.dialogs, [], "no dialog opened");
      assert.deepEqual(seen.navigations, [], "the page did not navigate");
      assert.equal(page.url(), servers.page + "/t/sanitiser.html");
      assert.deepEqual(seen.popups, [], "no window opened");
      assert.deepEqual(seen.errors, [], "no page error (a script that ran, or a wasm panic)");
      assert.deepEqual(seen.leaks, [], "nothing meant to be stripped was fetched");
      assert.deepEqual(covered, [], "no reader draws outside its own box");
      assert.deepEqual(host, {
        pwnedCalls: [], pwnedIsOriginal: true, addReader: "function", getElementById: "function", cookie: "",
        focus: "body", buttonIsHost: true, buttonVisible: true, buttonOnTop: true, bodyDisplay: "block", readersBox: 320,
      }, "the host page is untouched: not clobbered, not restyled, focus not stolen");
      assert.equal(count, "1", "the host's button still works");
      await context.close();
    });
  }
});

test("HTML nested past the depth limit keeps its text but never what dropped elements hold", async () => {
  const context = await newContext(browser, DESKTOP);
  const deep = (n, inner) => `${"<div><i>".repeat(n)}${inner}${"</i></div>".repeat(n)}`;
  const inner = "<p>Đoạn sâu</p><script>var lộ = 1</script><style>p{color:red}</style><template>mẫu</template>"
    + "<svg><text>vẽ</text></svg><noscript>không</noscript><b>đậm</b>";
  const { page, ids, states, seen } = await openReaders(context, [
    { title: "Nông", content_html: deep(5, inner) },
    { title: "Sâu", content_html: deep(100, inner) },
    { title: "Rất sâu", content_html: deep(500, inner) },
  ]);
  assert.deepEqual(states, ["article", "article", "article"]);
  const shown = await page.evaluate((all) => all.map((id) => {
    const body = document.getElementById(id).shadowRoot.querySelector(".body");
    let depth = 0;
    for (const element of body.querySelectorAll("*")) {
      let d = 0;
      for (let e = element; e !== body; e = e.parentElement) d++;
      depth = Math.max(depth, d);
    }
    return { text: body.textContent.replace(/\s+/g, " ").trim(), depth };
  }), ids);
  for (const { text, depth } of shown) {
    assert.equal(text, "Đoạn sâuđậm", "the text is kept, the script, style, template, svg and noscript text is not");
    assert.ok(depth <= 64, `flattened (depth ${depth})`);
  }
  assert.deepEqual(seen.errors, [], "no stack overflow");
  await context.close();
});

test("deeply indented lists and quotes stay inside the reader on a phone, their text kept", async () => {
  const context = await newContext(browser, PHONE);
  const nest = (open, close, n) => `${open.repeat(n)}Chữ ở tầng sâu nhất của văn bản${close.repeat(n)}`;
  const { page, ids, states, seen } = await openReaders(context, [
    { title: "Danh sách", content_html: nest("<ul><li>mục ", "</li></ul>", 20) },
    { title: "Trích dẫn", content_html: nest("<blockquote><p>trích ", "</p></blockquote>", 20) },
    { title: "Định nghĩa", content_html: nest("<dl><dd>nghĩa ", "</dd></dl>", 20) },
  ]);
  assert.deepEqual(states, ["article", "article", "article"]);
  const shown = await page.evaluate((all) => all.map((id) => {
    const host = document.getElementById(id);
    const box = host.getBoundingClientRect();
    const body = host.shadowRoot.querySelector(".body");
    const outside = [...body.querySelectorAll("*")].filter((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
    }).length;
    const range = document.createRange();
    range.selectNodeContents(body);
    const text = range.getBoundingClientRect();
    return { outside, textRight: text.right <= box.right + 1, deepest: body.textContent.includes("Chữ ở tầng sâu nhất") };
  }), ids);
  for (const [i, result] of shown.entries()) {
    assert.deepEqual(result, { outside: 0, textRight: true, deepest: true }, ids[i]);
  }
  // The page itself did not grow sideways.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), "no horizontal scroll on the host page");
  assert.deepEqual(seen.errors, []);
  await context.close();
});

/** Elements whose content the sanitiser drops with them (and the test leaves out of the expected text). */
const DROPPED = ["script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
  "svg", "math", "form", "input", "button", "select", "option", "optgroup", "textarea", "datalist", "base", "meta",
  "link", "title", "head", "noembed", "noframes", "xmp", "plaintext", "portal", "video", "audio", "source", "track",
  "canvas", "dialog", "slot", "map", "area", "param", "picture", "marquee", "fencedframe", "search", "output",
  "progress", "meter", "menu"];
const KEPT = ["p", "br", "hr", "b", "strong", "i", "em", "u", "s", "small", "sub", "sup", "mark", "abbr", "cite", "q",
  "time", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "a",
  "img", "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"];

/** In the page: the source as a browser parses it, and what the reader shows, measured alike. */
function compareBenign({ docs, dropped, kept }) {
  const normalise = (text) => text.replace(/\s+/g, " ").trim();
  const measure = (root) => {
    const counts = Object.fromEntries(kept.map((tag) => [tag, root.querySelectorAll(tag).length]));
    counts.h2 += root.querySelectorAll("h1").length;
    counts.imgSized = [...root.querySelectorAll("img")].filter((img) => img.getAttribute("alt") && img.hasAttribute("width") && img.hasAttribute("height")).length;
    counts.aHref = root.querySelectorAll("a[href]").length;
    counts.colspan = root.querySelectorAll("[colspan]").length;
    counts.rowspan = root.querySelectorAll("[rowspan]").length;
    return counts;
  };
  return docs.map(({ id, html }) => {
    const source = new DOMParser().parseFromString(html, "text/html").body;
    for (const element of [...source.querySelectorAll(dropped.join(","))]) element.remove();
    const body = document.getElementById(id).shadowRoot.querySelector("article .body");
    const tables = [...body.querySelectorAll("table")];
    return {
      text: [normalise(source.textContent), normalise(body.textContent)],
      counts: [measure(source), measure(body)],
      styled: [...body.querySelectorAll("[style], [class]:not(div.table-scroll), font, span, center, div:not(.table-scroll)")].map((e) => e.outerHTML.slice(0, 80)),
      prefixed: [...body.querySelectorAll("*")].filter((e) => e.localName.includes(":")).map((e) => e.localName),
      links: [...body.querySelectorAll("a")].map((a) => a.getAttribute("rel")),
      images: [...body.querySelectorAll("img")].map((img) => img.getAttribute("loading")),
      tables: tables.map((t) => {
        const box = t.parentElement;
        return box.localName === "div" && box.className === "table-scroll" && box.getAttribute("role") === "region"
          && box.getAttribute("tabindex") === "0" && box.getAttribute("aria-label") === "Bảng (vuốt ngang để xem hết)";
      }),
      bodyText: normalise(body.textContent),
    };
  });
}

test("benign CMS and Word HTML keeps its text and structure and loses only its styling", async () => {
  assert.ok(BENIGN.length >= 10, `${BENIGN.length} benign documents`);
  const context = await newContext(browser, DESKTOP);
  const { page, ids, states, seen } = await openReaders(
    context,
    BENIGN.map((doc) => ({ title: doc.name, content_html: doc.html })),
  );
  states.forEach((state, i) => assert.equal(state, "article", BENIGN[i].name));
  const results = await page.evaluate(compareBenign, {
    docs: BENIGN.map((doc, i) => ({ id: ids[i], html: doc.html })),
    dropped: DROPPED,
    kept: KEPT,
  });
  results.forEach((result, i) => {
    const { name, expect, texts } = BENIGN[i];
    assert.equal(result.text[1], result.text[0], `${name}: the text is kept`);
    for (const phrase of texts) assert.ok(result.bodyText.includes(phrase), `${name}: "${phrase}" is shown`);
    const [source, shown] = result.counts;
    assert.deepEqual(shown, source, `${name}: every kept element of the source is there`);
    for (const [key, wanted] of Object.entries(expect)) assert.equal(shown[key], wanted, `${name}: ${key}`);
    assert.deepEqual(result.styled, [], `${name}: no inline style, class, font, span, center or layout div`);
    assert.deepEqual(result.prefixed, [], `${name}: no Word <o:p>`);
    assert.ok(result.links.every((rel) => rel === "noopener noreferrer"), `${name}: links are noopener noreferrer`);
    assert.ok(result.images.every((loading) => loading === "lazy"), `${name}: images load lazily`);
    assert.ok(result.tables.every(Boolean), `${name}: every table scrolls in its own labelled region`);
    assert.equal(result.tables.length, shown.table, `${name}: tables`);
  });
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.dialogs, []);
  await context.close();
});

// commune-reader reference: the same job as the wasm reader, in plain hand-written JavaScript, as the
// floor the wasm reader is compared with (bench/). For every [data-commune-reader] element on the page:
// an open shadow root with the reader's stylesheet adopted, the article JSON (a JSON Feed item with
// `_reader.views` / `_reader.source`) fetched from data-src, `content_html` sanitised through DOMParser
// with an allowlist walk that builds new nodes (same element/attribute/URL-scheme policy as
// core/src/sanitize_rules.rs; never innerHTML of untrusted text), then title, <time datetime> and view
// count through Intl (vi-VN, Asia/Ho_Chi_Minh), body and byline, with A−/A/A+ font controls remembered
// in localStorage. Left out on purpose (the wasm reader has them): automatic retries, the offline copy,
// the view counter, lazy mounting, mounting elements added later, WordPress / feed-document input.
const CSS = `.reader{all:initial;display:block;--bg:#ffffff;--fg:#1a1a1a;--muted:#4d4d4d;--link:#0b57a4;--accent:#0b57a4;--accent-fg:#ffffff;--border:#767676;--focus:#b3261e;--placeholder:#e6e6e6;background:var(--bg);color:var(--fg);font-family:"Noto Sans",Roboto,"Segoe UI",Arial,"Helvetica Neue",sans-serif;font-size:medium;line-height:1.6;overflow-wrap:break-word;text-align:start;padding:0.5em 0}.frame{font-size:1.125em}.reader *,.reader *::before,.reader *::after{box-sizing:border-box}.visually-hidden{position:absolute !important;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}article{display:block;max-width:42em;outline-offset:4px}article:focus{outline:none}article:focus-visible{outline:3px solid var(--focus)}.title{font-size:1.5em;line-height:1.35;font-weight:700;margin:0 0 0.4em}.meta{color:var(--muted);font-size:0.9em;margin:0 0 1em;display:flex;flex-wrap:wrap;gap:0.25em 1.25em}.body p,.body ul,.body ol,.body blockquote,.body figure,.body pre,.body dl{margin:0 0 1em}.body h2,.body h3,.body h4,.body h5,.body h6{line-height:1.35;margin:1.2em 0 0.5em}.body h2{font-size:1.3em}.body h3{font-size:1.15em}.body h4,.body h5,.body h6{font-size:1em}.body a,.print-only{color:var(--link)}.body a{text-decoration:underline;text-underline-offset:0.15em}.body img{max-width:100%;height:auto}.body figure{margin-inline:0}.body figcaption{color:var(--muted);font-size:0.9em}.body blockquote{border-inline-start:0.25em solid var(--border);padding-inline-start:1em;margin-inline:0}.body pre{overflow-x:auto;white-space:pre-wrap}.table-scroll{overflow-x:auto;max-width:100%;margin:0 0 1em}.body table{border-collapse:collapse}.body th,.body td{border:1px solid var(--border);padding:0.3em 0.6em;vertical-align:top}.byline{font-weight:700;text-align:end;margin:1.5em 0 0}.font-controls{display:flex;flex-wrap:wrap;gap:0.5em;margin:0 0 1em}button{font:inherit;font-size:1em;font-weight:700;line-height:1.2;min-width:max(44px,2.75em);min-height:max(44px,2.75em);padding:0.4em 0.8em;color:var(--fg);background:var(--bg);border:2px solid var(--border);border-radius:0.4em;cursor:pointer}button[aria-pressed="true"]{background:var(--accent);color:var(--accent-fg);border-color:var(--accent)}button[aria-disabled="true"]{cursor:not-allowed;opacity:0.55;border-style:dashed;text-decoration:line-through}:focus-visible{outline:3px solid var(--focus);outline-offset:2px}.error{border-inline-start:0.3em solid var(--focus);padding:0.5em 1em;margin:0 0 1em}.error p{margin:0 0 0.75em}.notice{border:2px solid var(--border);padding:0.5em 1em;margin:0 0 1em}.loading{min-height:24em}.placeholder{background:var(--placeholder);border-radius:0.3em;height:1em;margin:0 0 0.8em}.title-placeholder{height:2.2em;width:85%;margin-bottom:1em}.meta-placeholder{width:40%}.line.short{width:60%}.print-only{display:none}@media print{.reader{--bg:#fff;--fg:#000;--muted:#000;--link:#000;padding:0}.font-controls,.retry,[role="status"]{display:none !important}.print-only{display:block;overflow-wrap:anywhere}article{max-width:none;font-size:12pt !important}}@media (forced-colors:active){.reader,button{forced-color-adjust:auto}button{border-color:ButtonText}button[aria-pressed="true"]{background:Highlight;color:HighlightText}:focus-visible,article:focus-visible{outline-color:Highlight}.placeholder{background:GrayText}}`;
const STEPS = [85, 100, 115, 130, 150, 170, 185, 200];
const KEY = "commune-reader:font-scale";
const ZONE = "Asia/Ho_Chi_Minh";
const HTML_NS = "http://www.w3.org/1999/xhtml";
const MAX_DEPTH = 48;
const KEEP = new Set(
  "p br hr b strong i em u s small sub sup mark abbr cite q time code pre kbd blockquote ul ol li dl dt dd h2 h3 h4 h5 h6 a img figure figcaption table caption thead tbody tfoot tr th td colgroup col".split(" "),
);
const DROP = new Set(
  "script style template noscript iframe frame frameset object embed applet svg math form input button select option optgroup textarea datalist base meta link title head noembed noframes xmp plaintext portal video audio source track canvas dialog slot map area param picture marquee fencedframe search output progress meter menu".split(" "),
);
const LINK = ["http:", "https:", "mailto:", "tel:"];
const IMAGE = ["http:", "https:"];
const T = {
  toolbar: "Cỡ chữ",
  names: ["A− Giảm cỡ chữ", "A Cỡ chữ mặc định", "A+ Tăng cỡ chữ"],
  now: "Cỡ chữ {} %",
  views: "{} lượt xem",
  loading: "Đang tải bài viết…",
  failed: "Không tải được bài viết. Vui lòng kiểm tra kết nối mạng rồi thử lại.",
  table: "Bảng (vuốt ngang để xem hết)",
};

let sheet;
const h = (tag, attrs, ...kids) => {
  const el = document.createElement(tag);
  for (const k in attrs) el.setAttribute(k, attrs[k]);
  el.append(...kids);
  return el;
};
const oneLine = (s) => (typeof s === "string" ? s.split(/[\s\p{Cc}]+/u).filter(Boolean).join(" ") : "");

// Allowed attributes on a kept element: "t" text, "l" link URL, "i" image URL, "n" small number.
function rule(tag, name) {
  if (name === "lang" || name === "dir" || name === "title") return "t";
  switch (tag + " " + name) {
    case "a href": case "blockquote cite": case "q cite": return "l";
    case "img src": return "i";
    case "img alt": case "th scope": case "abbr abbr": case "th abbr": case "td abbr": case "time datetime":
    case "ol type": case "ol reversed": return "t";
    case "img width": case "img height": case "td colspan": case "td rowspan": case "th colspan":
    case "th rowspan": case "col span": case "colgroup span": case "ol start": return "n";
  }
}

// The URL as the browser will navigate to it, if its scheme is allowed.
function url(value, base, schemes) {
  try {
    const u = new URL(value, base);
    return schemes.includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

function walk(source, target, base, depth) {
  for (let node = source.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 3) target.append(node.data);
    if (node.nodeType !== 1 || node.namespaceURI !== HTML_NS) continue;
    if (depth >= MAX_DEPTH) {
      target.append(node.textContent);
      continue;
    }
    let tag = node.localName;
    if (tag === "h1") tag = "h2";
    if (DROP.has(tag)) continue;
    if (!KEEP.has(tag)) {
      walk(node, target, base, depth + 1);
      continue;
    }
    const copy = document.createElement(tag);
    for (const name of node.getAttributeNames()) {
      const kind = rule(tag, name);
      let value = node.getAttribute(name);
      if (kind === "n") value = /^\s*\d+\s*$/.test(value) && +value <= 1e4 ? String(+value) : null;
      else if (kind === "l" || kind === "i") value = url(value, base, kind === "l" ? LINK : IMAGE);
      else if (!kind) value = null;
      if (value !== null) copy.setAttribute(name, value);
    }
    if (tag === "a") copy.setAttribute("rel", "noopener noreferrer");
    if (tag === "img") {
      if (!copy.hasAttribute("alt")) copy.setAttribute("alt", "");
      copy.setAttribute("loading", "lazy");
      copy.setAttribute("decoding", "async");
    }
    walk(node, copy, base, depth + 1);
    target.append(tag === "table" ? h("div", { class: "table-scroll", role: "region", tabindex: "0", "aria-label": T.table }, copy) : copy);
  }
}

function sanitise(html, base) {
  const out = document.createDocumentFragment();
  const body = new DOMParser().parseFromString(html, "text/html").body;
  if (body) walk(body, out, base, 0);
  return out;
}

function dateTime(date) {
  const day = new Intl.DateTimeFormat("vi-VN", { timeZone: ZONE, day: "2-digit", month: "2-digit", year: "numeric" });
  const time = new Intl.DateTimeFormat("vi-VN", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return day.format(date) + " " + time.format(date);
}

// `2023-12-27T09:14:00+07:00`: the instant in Vietnam time, for <time datetime>.
const isoInVietnam = (date) => new Date(date.getTime() + 7 * 3600e3).toISOString().slice(0, 19) + "+07:00";

function parseDate(value) {
  if (typeof value !== "string") return null;
  // A date-time without an offset is Vietnam time, as the portals mean it.
  const withZone = /(Z|[+-]\d\d:?\d\d)$/i.test(value) || !value.includes("T") ? value : value + "+07:00";
  const date = new Date(withZone);
  return isNaN(date) ? null : date;
}

function storedScale() {
  try {
    const index = STEPS.indexOf(+localStorage.getItem(KEY));
    return index < 0 ? 1 : index;
  } catch {
    return 1;
  }
}

function render(root, item, config) {
  const ext = item._reader && typeof item._reader === "object" ? item._reader : {};
  const article = h("article", { tabindex: "-1", lang: /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(item.language) ? item.language : "vi" });
  const status = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  let scale = storedScale();
  const buttons = ["A−", "A", "A+"].map((label, i) => h("button", { type: "button", "aria-label": T.names[i] }, label));
  const setScale = (next, announce) => {
    scale = next;
    article.style.fontSize = STEPS[scale] / 100 + "em";
    buttons[0].setAttribute("aria-disabled", String(scale === 0));
    buttons[1].setAttribute("aria-pressed", String(scale === 1));
    buttons[2].setAttribute("aria-disabled", String(scale === STEPS.length - 1));
    if (!announce) return;
    try {
      localStorage.setItem(KEY, String(STEPS[scale]));
    } catch {}
    status.textContent = T.now.replace("{}", STEPS[scale]);
  };
  buttons[0].onclick = () => setScale(Math.max(scale - 1, 0), true);
  buttons[1].onclick = () => setScale(1, true);
  buttons[2].onclick = () => setScale(Math.min(scale + 1, STEPS.length - 1), true);
  setScale(scale, false);

  const level = /^[1-6]$/.test(config.headingLevel || "") ? config.headingLevel : "2";
  const meta = h("p", { class: "meta" });
  const date = parseDate(item.date_published);
  if (date) meta.append(h("time", { datetime: isoInVietnam(date) }, dateTime(date)));
  const views = Number(ext.views);
  if (Number.isSafeInteger(views) && views >= 0) meta.append(h("span", { class: "views" }, T.views.replace("{}", new Intl.NumberFormat("vi-VN").format(views))));
  const body = h("div", { class: "body" });
  const base = url(item.url || "", document.baseURI, IMAGE) || document.baseURI;
  if (typeof item.content_html === "string") body.append(sanitise(item.content_html, base));
  else if (typeof item.content_text === "string")
    for (const text of item.content_text.replace(/\r\n/g, "\n").split("\n\n")) if (text.trim()) body.append(h("p", {}, text.trim()));
  article.append(h("h" + level, { class: "title" }, oneLine(item.title)), meta, body);
  const authors = (Array.isArray(item.authors) ? item.authors : []).map((a) => oneLine(a && a.name)).filter(Boolean).join(", ");
  const byline = [authors, oneLine(ext.source)].filter(Boolean).join(" – ");
  if (byline) article.append(h("footer", { class: "byline" }, byline));
  root.replaceChildren(h("div", { class: "font-controls", role: "group", "aria-label": T.toolbar }, ...buttons), article, status);
}

async function mount(host) {
  const shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
  shadow.adoptedStyleSheets = [sheet];
  const frame = h("div", { class: "frame" });
  shadow.replaceChildren(h("div", { class: "reader", lang: "vi" }, frame));
  frame.append(h("div", { class: "loading", "aria-busy": "true" }, h("p", { class: "visually-hidden", role: "status" }, T.loading)), h("slot"));
  try {
    const response = await fetch(host.dataset.src, { signal: AbortSignal.timeout(15e3) });
    if (!response.ok) throw new Error(response.status);
    render(frame, await response.json(), host.dataset);
  } catch {
    frame.replaceChildren(h("div", { class: "error", role: "alert" }, h("p", {}, T.failed)), h("slot"));
  }
}

sheet = new CSSStyleSheet();
sheet.replaceSync(CSS);
for (const host of document.querySelectorAll("[data-commune-reader]")) mount(host);

// commune-reader loader: the one script a portal includes.
// 1. Where WebAssembly is missing, leave each mount point's fallback in place and add a short note.
// 2. Otherwise, start every (non-lazy) article download now, start the wasm and the JS glue
//    together, then start the reader, which mounts itself into every [data-commune-reader] and
//    takes over the download started for it.
// Everything is resolved relative to this file, so the reader can live on another origin (a CDN).
const SELECTOR = "[data-commune-reader]";
const NOTES = {
  vi: "Trình duyệt này không chạy được trình đọc bài. Bạn vẫn có thể đọc bài theo liên kết ở trên.",
  en: "This browser cannot run the article reader. The link above still leads to the article.",
};

function wasmSupported() {
  try {
    // The smallest valid module: the header only.
    return typeof WebAssembly === "object" && WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (_) {
    return false;
  }
}

function addNotes() {
  for (const host of document.querySelectorAll(SELECTOR)) {
    if (host.querySelector(".commune-reader-note")) continue;
    const note = document.createElement("p");
    note.className = "commune-reader-note";
    note.textContent = NOTES[(host.getAttribute("data-lang") || "").slice(0, 2)] || NOTES.vi;
    host.appendChild(note);
    // No reader will fill the screen's height the snippet's style rule keeps for it.
    host.style.minHeight = "0";
  }
}

// The article downloads started here, by absolute address: { host, controller, response } each.
// The reader takes one over (with its AbortController) when it mounts, through the function left
// under a registered symbol (not a global name; src/article_source.rs calls it), so that removing
// the reader stops it; until then, removing the mount element stops it here. Plain fetch()
// requests, not <link rel=preload>: a preload cannot be stopped, and the reader's request would
// reuse it.
const TAKE_STARTED = Symbol.for("commune-reader.take-started-article");
const ACCEPT = "application/feed+json, application/json, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9"; // as src/browser/fetch.rs
// Liferay (and other multilingual CMSes) answer in the language asked for. Both headers are
// CORS-safelisted: no preflight request.
const ACCEPT_LANGUAGE = "vi-VN, vi;q=0.9";

const absolute = (src) => {
  try {
    return new URL(src.trim(), document.baseURI).href;
  } catch (_) {
    return null;
  }
};

function startArticles() {
  const started = new Map();
  for (const host of document.querySelectorAll(SELECTOR)) {
    const src = host.getAttribute("data-src");
    const href = src && absolute(src);
    const lazy = host.hasAttribute("data-lazy") && host.getAttribute("data-lazy") !== "false";
    if (!href || lazy) continue;
    const controller = new AbortController();
    const response = fetch(href, { headers: { Accept: ACCEPT, "Accept-Language": ACCEPT_LANGUAGE }, signal: controller.signal });
    response.catch(() => {}); // the reader reports a failure (and retries)
    if (!started.has(href)) started.set(href, []);
    started.get(href).push({ host, controller, response });
  }
  if (started.size === 0) return started;
  const observer = new MutationObserver(() => {
    for (const [href, entries] of started) {
      for (const entry of entries) if (!entry.host.isConnected) entry.controller.abort();
      const kept = entries.filter((entry) => entry.host.isConnected);
      if (kept.length) started.set(href, kept);
      else started.delete(href);
    }
    if (started.size === 0) observer.disconnect();
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  // Any download for the address will do: two mount elements with one data-src take one each.
  window[TAKE_STARTED] = (src) => {
    const href = absolute(src);
    const entries = started.get(href);
    const entry = entries && entries.shift();
    if (entries && entries.length === 0) started.delete(href);
    return entry && { controller: entry.controller, response: entry.response };
  };
  return started;
}

function stopArticles(started) {
  for (const entries of started.values()) for (const entry of entries) entry.controller.abort();
  started.clear();
}

// While the wasm downloads, the main thread waits. The reader's first date and number formatting
// is the slowest step of its first render (the browser loads the locale's data: ≈ 60 ms at 4×
// CPU slowdown), so load it now, with the same locales and options as src/browser/intl.rs; and
// open localStorage (the first access reads it in: ≈ 5 ms at 4×), where the reader looks up its
// remembered text size before its first paint.
function warmUp() {
  try {
    localStorage.getItem("commune-reader:font-scale");
  } catch (_) {
    // no storage (private mode, blocked): the reader does without
  }
  // Browsers load their voice list on first asking; asked now, it is usually in when the reader
  // looks for a voice for its article (until then its read-aloud button keeps its place, unseen).
  try {
    window.speechSynthesis?.getVoices();
  } catch (_) {
    // no speech here: the reader leaves read-aloud out
  }
  const english = (lang) => lang === "en" || lang.startsWith("en-"); // as Lang::from_attribute
  const locales = new Set([...document.querySelectorAll(SELECTOR)].map((host) => (english((host.getAttribute("data-lang") || "").trim().toLowerCase()) ? "en-GB" : "vi-VN")));
  for (const locale of locales) {
    try {
      const timeZone = "Asia/Ho_Chi_Minh";
      new Intl.DateTimeFormat(locale, { timeZone, day: "2-digit", month: "2-digit", year: "numeric" }).format(0);
      new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(0);
      new Intl.NumberFormat(locale).format(0);
    } catch (_) {
      // no Intl here: the reader falls back on its own
    }
  }
}

if (wasmSupported()) {
  const started = startArticles();
  // The wasm download starts now, beside the glue's, not after it: the glue's init takes the
  // pending response (and compiles it while it streams in).
  const wasm = fetch(new URL("commune-reader_bg.wasm", import.meta.url));
  wasm.catch(() => {}); // a failure is reported by init below (then the notes are added)
  import(new URL("commune-reader.js", import.meta.url).href)
    .then((reader) => reader.default({ module_or_path: wasm }))
    .catch(() => {
      stopArticles(started); // no reader will come for them
      addNotes();
    });
  setTimeout(warmUp, 0); // after the downloads have started
} else {
  addNotes();
}

// Sanitiser benchmark (issue 14.7): how long the page's main thread is held while a reader turns a
// hostile or huge `content_html` into its article, at 4× CPU slowdown (CDP), in Debian's Chromium.
// Prints, per body, the longest task (Long Tasks API) and the longest animation frame (Long
// Animation Frames API: the task plus the style, layout and paint it caused), median and max of
// the runs, and what the reader showed (nodes in the rebuilt body, its depth, the cut notice).
//
//   node bench/sanitiser.mjs            (after `trunk build --release`; READER_DIST picks another build)
// Env: BENCH_RUNS (default 5), BENCH_CPU (default 4), BENCH_ONLY (a substring of the bodies to run),
//      BENCH_WAIT_S (how long one body may take, default 300).
import { longArticle } from "./long-article.mjs";
import { DESKTOP, launch, startServers } from "../tests/e2e/harness.mjs";

const RUNS = Math.max(1, Math.min(50, Number(process.env.BENCH_RUNS ?? 5)));
const CPU = Math.max(1, Number(process.env.BENCH_CPU ?? 4));

const article = (title, html) => JSON.stringify({ title, content_html: html });
const BODIES = [
  ["50,000 nested <div>", article("Lồng sâu", `${"<div>".repeat(50_000)}đáy${"</div>".repeat(50_000)}<p>Đoạn cuối.</p>`)],
  ["10,000 nested <div><b> (as tests/e2e/faults)", article("Lồng sâu", `${"<div><b>".repeat(10_000)}đáy${"</b></div>".repeat(10_000)}<p>Đoạn cuối.</p>`)],
  ["200,000 <div>x</div> side by side", article("Phẳng", `${"<div>x</div>".repeat(200_000)}<p>Đoạn cuối.</p>`)],
  ["200,000 empty <span></span>", article("Phẳng", `${"<span></span>".repeat(200_000)}<p>Đoạn cuối.</p>`)],
  ["200,000 comments <!---->", article("Chú thích", `${"<!---->".repeat(200_000)}<p>Đoạn cuối.</p>`)],
  ["200 <b id> left open, then 5,000 <p>", article("Mở lại", `<p>${Array.from({ length: 200 }, (_, i) => `<b id=${i}>`).join("")}x</p>${"<p>y</p>".repeat(5_000)}`)],
  ["60 <b id> left open, then 20,000 <p>", article("Mở lại", `<p>${Array.from({ length: 60 }, (_, i) => `<b id=${i}>`).join("")}x</p>${"<p>y</p>".repeat(20_000)}`)],
  ["80,000 attributes on one <p>", article("Thuộc tính", `<p ${Array.from({ length: 80_000 }, (_, i) => `a${i}`).join(" ")}>x</p>`)],
  ["20,000 nested <rt>", article("Ruby", `${"<rt>".repeat(20_000)}x`)],
  ["5,000-paragraph article (bench/long-article.mjs)", JSON.stringify(longArticle(5000))],
  ["the demo article (short)", null],
];

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  return { median: v[Math.floor((v.length - 1) / 2)], max: v[v.length - 1] };
}

async function once(browser, servers, name, body) {
  const context = await browser.newContext({ ...DESKTOP, locale: "vi-VN" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  const src = body === null ? `${servers.api}/articles/ducpho-truc-bao.json` : `${servers.api}/bench-body/${encodeURIComponent(name)}`;
  if (body !== null) {
    await context.route(src, (route) => route.fulfill({ status: 200, body, headers: { "content-type": "application/json", "access-control-allow-origin": "*" } }));
  }
  await page.goto(`${servers.page}/t/faults.html`);
  await page.waitForFunction(() => document.querySelector("#healthy")?.shadowRoot?.querySelector("article"));
  const cdp = await context.newCDPSession(page);
  await page.evaluate(() => {
    window.longest = { task: 0, frame: 0 };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longest.task = Math.max(window.longest.task, entry.duration);
    }).observe({ type: "longtask" });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longest.frame = Math.max(window.longest.frame, entry.duration);
    }).observe({ type: "long-animation-frame" });
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
  await page.evaluate((src) => window.addReader("fault", { "data-src": src, "data-timeout": "120" }), src);
  await page.waitForFunction(() => document.querySelector("#fault")?.shadowRoot?.querySelector("article, .error"), null, { timeout: 1000 * Number(process.env.BENCH_WAIT_S ?? 300), polling: 100 });
  // Until the body has stopped growing (a long one is built over several tasks), then two frames
  // and a pause, so that the layout and paint of what was inserted are counted too.
  await page.evaluate(async () => {
    const body = () => document.querySelector("#fault").shadowRoot.querySelector(".body");
    const nodes = () => {
      let n = 0;
      for (const walker = document.createTreeWalker(body() ?? document.createElement("p"), NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT); walker.nextNode(); ) n++;
      return n;
    };
    for (let last = -1, same = 0; same < 3; ) {
      const now = nodes();
      same = now === last ? same + 1 : 0;
      last = now;
      await new Promise((done) => setTimeout(done, 300));
    }
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 500))));
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  const shown = await page.evaluate(() => {
    const root = document.querySelector("#fault").shadowRoot;
    const body = root.querySelector(".body");
    let depth = 0;
    for (const element of body?.querySelectorAll("*") ?? []) {
      let d = 0;
      for (let e = element; e && e !== body; e = e.parentElement) d++;
      depth = Math.max(depth, d);
    }
    let nodes = 0;
    if (body) for (const walker = document.createTreeWalker(body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT); walker.nextNode(); ) nodes++;
    return {
      state: root.querySelector("article") ? "article" : "error",
      nodes,
      depth,
      cut: root.querySelector(".body .cut-notice")?.textContent ?? null,
      longest: window.longest,
    };
  });
  await context.close();
  if (problems.length) throw new Error(`${name}: ${problems.join("; ")}`);
  return shown;
}

const browser = await launch();
const servers = await startServers();
console.log(`Sanitiser benchmark: ${CPU}× CPU slowdown, ${RUNS} runs per body, Chromium ${browser.version()}`);
console.log("body | longest task ms (median / max) | longest animation frame ms (median / max) | shown: nodes in the body, depth, cut notice");
console.log("(the Long Tasks and Long Animation Frames APIs report nothing under 50 ms: 0 means < 50 ms)");
try {
  for (const [name, body] of BODIES.filter(([name]) => name.includes(process.env.BENCH_ONLY ?? ""))) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await once(browser, servers, name, body));
    const task = stats(runs.map((r) => r.longest.task));
    const frame = stats(runs.map((r) => r.longest.frame));
    const last = runs[runs.length - 1];
    const bytes = body === null ? "" : ` (${(Buffer.byteLength(body) / 1e6).toFixed(2)} MB JSON)`;
    console.log(
      `${name}${bytes} | ${task.median.toFixed(0)} / ${task.max.toFixed(0)} | ${frame.median.toFixed(0)} / ${frame.max.toFixed(0)} | ` +
        `${last.state}, ${last.nodes} nodes, depth ${last.depth}, ${last.cut === null ? "no notice" : "notice"}`,
    );
  }
} finally {
  await browser.close();
  await servers.close();
}

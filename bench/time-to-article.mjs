// Time to article of two builds of the reader side by side (e.g. before and after a change to how
// embed.js starts the article download), on bench/pages/page.html at 4× CPU + Slow 4G with
// compressed transfer, as bench/run.mjs measures it; twice: the page as it is (with the portal's own
// article preload hint) and as the README's snippet has it (no article hint: embed.js starts the
// download). Runs alternate between the builds. Prints medians and spreads.
//
//   node bench/time-to-article.mjs DIST_A DIST_B        (BENCH_RUNS, default 10)
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { PHONE, ROOT, launch } from "../tests/e2e/harness.mjs";
import { longArticle } from "./long-article.mjs";
import { startBenchServers } from "./serve.mjs";

const RUNS = Math.max(1, Math.min(50, Number(process.env.BENCH_RUNS ?? 10)));
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 };
const dists = process.argv.slice(2, 4).map((d) => resolve(d));
if (dists.length !== 2) throw new Error("usage: node bench/time-to-article.mjs DIST_A DIST_B");

const shortJson = readFileSync(join(ROOT, "demo/articles/ducpho-truc-bao.json"));
const servers = await Promise.all(dists.map((dist) => startBenchServers({
  root: ROOT, dist, referenceDir: join(ROOT, "bench/reference"), referenceFile: join(ROOT, "bench/reference/reader.js"),
  longJson: Buffer.from(JSON.stringify(longArticle(10))), shortJson,
})));

// The README-snippet variant of the page: the bench page with its article preload hint taken out,
// served from loopback too (a page routed through Playwright would count as a public address and
// be refused the loopback CDN).
const snippetPages = await new Promise((done) => {
  const server = createServer(async (req, res) => {
    const upstream = await fetch(new URL(req.url, new URL(req.url, "http://x").searchParams.get("upstream")));
    const html = (await upstream.text()).replace(/<link rel="preload" href="[^"]*" as="fetch" crossorigin>/, "");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  });
  server.listen(0, "127.0.0.1", () => done(server));
});

async function once(browser, server, withHint) {
  const context = await browser.newContext({ ...PHONE, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  const page = await context.newPage();
  const q = new URLSearchParams({ cdn: `${server.static}/enc/dist`, ref: "", article: `${server.static}/enc/articles/short.json` });
  if (!withHint) q.set("upstream", server.pages);
  const url = `${withHint ? server.pages : `http://127.0.0.1:${snippetPages.address().port}`}/pages/wasm.html?${q}`;
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  const painted = page.waitForEvent("console", { predicate: (m) => m.text().startsWith("bench:article-painted"), timeout: 120_000 });
  await page.goto(url, { waitUntil: "commit" });
  await painted;
  const ms = await page.evaluate(() => performance.getEntriesByName("article-painted")[0]?.startTime ?? NaN);
  await context.close();
  return ms;
}

const stats = (values) => {
  const v = [...values].sort((a, b) => a - b);
  const q = (p) => v[Math.round((v.length - 1) * p)];
  return `${q(0.5).toFixed(0)} ms [IQR ${q(0.25).toFixed(0)}–${q(0.75).toFixed(0)}, ${v[0].toFixed(0)}–${v[v.length - 1].toFixed(0)}]`;
};

const browser = await launch();
try {
  console.log(`Time to article, 4× CPU + Slow 4G, compressed transfer, ${RUNS} runs each, phone viewport`);
  for (const withHint of [true, false]) {
    const times = [[], []];
    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 ? [1, 0] : [0, 1];
      for (const i of order) times[i].push(await once(browser, servers[i], withHint));
    }
    console.log(withHint ? "page with the portal's own article preload hint:" : "README snippet (no article hint; embed.js starts the download):");
    dists.forEach((dist, i) => console.log(`  ${dist}: ${stats(times[i])}`));
  }
} finally {
  await browser.close();
  await Promise.all(servers.map((s) => s.close()));
  snippetPages.close();
}

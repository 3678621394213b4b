// The reader and the real view counter together: the demo page counts one view per visitor,
// shows the service's count, and neither a reload, a font change nor headless Chromium adds one.
//
// Needs the built demo (dist/) and the release counter binary (target/release/commune-counter,
// or COUNTER_BIN); builds neither. The counter runs on a fresh SQLite file and is reached through
// the page origin's `/api/` proxy, as a portal would put it behind its reverse proxy.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { access, constants, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { launch, newContext, onHost, pollOnHost, PHONE, PHONE_UA, readerState, ROOT, startServers } from "./harness.mjs";

const ARTICLE = "ducpho-2023-12-27-truc-bao-mttq";
const SEEDED = 98;
const COUNTER_BIN = process.env.COUNTER_BIN ?? join(ROOT, "target/release/commune-counter");
/** A second, different reader: an iPhone's Safari (same loopback IP, so only the UA tells them apart). */
const OTHER_PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

let browser, servers, counter, counterUrl, tmp;
let counterLog = "";

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.on("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** The count the service itself reports (a GET never registers a view). */
async function serviceViews() {
  const reply = await fetch(`${counterUrl}/api/views/${ARTICLE}`);
  assert.equal(reply.status, 200, `GET /api/views/${ARTICLE}`);
  const body = await reply.json();
  assert.equal(body.id, ARTICLE);
  return body.views;
}

const viewsText = (host) => host.shadowRoot.querySelector(".views")?.textContent ?? null;
/** Polls the reader's ".views" line until it reads `wanted` (10 s at most) and returns the last text. */
const viewsBecome = (page, wanted) => pollOnHost(page, viewsText, (text) => text === wanted, { timeout: 10_000 });

/** Records the view registrations (POST /api/views) a page sends. */
function watchRegistrations(page) {
  const posts = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/views") posts.push(request.url());
  });
  return posts;
}

/** Waits until the page's registrations have all been answered (or failed). */
async function settled(page, posts) {
  await page.waitForLoadState("networkidle");
  return posts.length;
}

before(async () => {
  try {
    await access(COUNTER_BIN, constants.X_OK);
  } catch {
    throw new Error(
      `the counter binary ${COUNTER_BIN} is missing or not executable: build it first with ` +
        "`cargo build --release -p commune-counter` (or point COUNTER_BIN at one)",
    );
  }
  tmp = await mkdtemp(join(tmpdir(), "commune-counter-e2e-"));
  const port = await freePort();
  counterUrl = `http://127.0.0.1:${port}`;
  servers = await startServers({ counterUrl });
  const env = {
    ...process.env,
    COUNTER_DATABASE_URL: `sqlite://${join(tmp, "c.db")}?mode=rwc`,
    COUNTER_ADDR: `127.0.0.1:${port}`,
    // The page reaches the counter same-origin through the proxy; allowing its origin costs nothing.
    COUNTER_ALLOWED_ORIGINS: servers.page,
    // The test proxy adds no X-Forwarded-For, so the peer address (loopback) is the client IP.
    COUNTER_TRUST_PROXY: "",
  };
  const seeded = await promisify(execFile)(COUNTER_BIN, ["seed", ARTICLE, String(SEEDED)], { env });
  assert.match(seeded.stdout, new RegExp(`seeded ${ARTICLE} = ${SEEDED}`));

  counter = spawn(COUNTER_BIN, ["serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
  counter.stdout.on("data", (chunk) => (counterLog += chunk));
  counter.stderr.on("data", (chunk) => (counterLog += chunk));
  const exited = new Promise((done) => counter.once("exit", (code, signal) => done({ code, signal })));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await fetch(`${counterUrl}/healthz`).then((r) => r.ok, () => false);
    if (ready) break;
    const gone = await Promise.race([exited, sleep(100).then(() => null)]);
    if (gone) throw new Error(`the counter exited (${JSON.stringify(gone)}) before answering:\n${counterLog}`);
    if (Date.now() > deadline) throw new Error(`the counter did not answer /healthz within 15 s:\n${counterLog}`);
  }
  assert.equal(await serviceViews(), SEEDED, "the seed is in place");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await servers?.close();
  if (counter && counter.exitCode === null && counter.signalCode === null) {
    const gone = new Promise((done) => counter.once("exit", done));
    counter.kill("SIGTERM");
    await Promise.race([gone, sleep(5_000)]);
    if (counter.exitCode === null && counter.signalCode === null) counter.kill("SIGKILL");
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test("a phone reader is counted once: the page shows the service's count; reload and font changes add nothing; a second reader adds one", async () => {
  const context = await newContext(browser, { ...PHONE, userAgent: PHONE_UA });
  const page = await context.newPage();
  const posts = watchRegistrations(page);
  await page.goto(servers.page + "/");
  assert.equal(await readerState(page), "article");
  assert.equal(await viewsBecome(page, "99 lượt xem"), "99 lượt xem", "the count the service returned");
  assert.equal(await serviceViews(), 99);
  assert.equal(await settled(page, posts), 1, "one registration per page view");

  await page.reload();
  assert.equal(await readerState(page), "article");
  // The JSON's 98 shows first; 99 arrives with the service's answer to the new registration.
  assert.equal(await viewsBecome(page, "99 lượt xem"), "99 lượt xem", "a repeat visit is not counted");
  assert.equal(await settled(page, posts), 2, "the reload registered again (and was not counted)");
  assert.equal(await serviceViews(), 99);

  const sizeBefore = await onHost(page, (host) => host.shadowRoot.querySelector("article").style.fontSize);
  await page.getByRole("button", { name: "A+ Tăng cỡ chữ" }).click();
  const sizeAfter = await pollOnHost(
    page,
    (host) => host.shadowRoot.querySelector("article").style.fontSize,
    (size) => size !== sizeBefore,
  );
  assert.notEqual(sizeAfter, sizeBefore, "A+ took effect");
  await sleep(500);
  await settled(page, posts);
  assert.equal(posts.length, 2, "a font change sends no registration");
  assert.equal(await onHost(page, viewsText), "99 lượt xem");
  assert.equal(await serviceViews(), 99, "a font change does not count a view");
  assert.deepEqual(context.problems, []);
  await context.close();

  const second = await newContext(browser, { ...PHONE, userAgent: OTHER_PHONE_UA });
  const other = await second.newPage();
  await other.goto(servers.page + "/");
  assert.equal(await readerState(other), "article");
  assert.equal(await viewsBecome(other, "100 lượt xem"), "100 lượt xem", "a second reader is counted");
  assert.equal(await serviceViews(), 100);
  assert.deepEqual(second.problems, []);
  await second.close();
});

test("headless Chromium's own User-Agent is not counted, and the page still shows a count", async () => {
  const before = await serviceViews();
  const context = await newContext(browser, PHONE);
  const page = await context.newPage();
  const posts = watchRegistrations(page);
  await page.goto(servers.page + "/");
  assert.match(await page.evaluate(() => navigator.userAgent), /HeadlessChrome/, "this test needs Chromium's own headless UA");
  assert.equal(await readerState(page), "article");
  // The service answers `counted: false` with its current count; the JSON's 98 shows until then.
  const wanted = `${before} lượt xem`;
  const shown = await viewsBecome(page, wanted);
  assert.equal(shown, wanted, "the service's count replaces the JSON's");
  assert.equal(await settled(page, posts), 1, "the reader asked to register its view");
  assert.equal(await serviceViews(), before, "a headless browser does not raise the count");
  assert.deepEqual(context.problems, []);
  await context.close();
});

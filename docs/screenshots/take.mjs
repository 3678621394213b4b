// Screenshots for the README: the demo page on a 360×740 phone in each theme and in large-text mode.
// `node docs/screenshots/take.mjs` after `trunk build --release` (READER_DIST for another build).
// Saved at CSS-pixel size (scale "css") to keep the PNG files small.
import { fileURLToPath } from "node:url";
import { launch, newContext, PHONE, readerState, startServers } from "../../tests/e2e/harness.mjs";

const OUT = fileURLToPath(new URL(".", import.meta.url));
// name → the stored comfort settings ("theme line width speed large", see core/src/comfort.rs) and font step.
const SHOTS = [
  ["theme-light", "light 1 1 1 0", "100"],
  ["theme-sepia", "sepia 1 1 1 0", "100"],
  ["theme-dark", "dark 1 1 1 0", "100"],
  ["theme-contrast", "contrast 1 1 1 0", "100"],
  ["large-text", "light 2 1 1 1", "150"],
];

const browser = await launch();
const servers = await startServers();
try {
  for (const [name, comfort, scale] of SHOTS) {
    const context = await newContext(browser, PHONE);
    await context.addInitScript(([comfort, scale]) => {
      localStorage.setItem("commune-reader:comfort", comfort);
      localStorage.setItem("commune-reader:font-scale", scale);
    }, [comfort, scale]);
    const page = await context.newPage();
    await page.goto(servers.page + "/");
    await readerState(page);
    // The reader at the top of the screen: toolbar, title, meta line and the first paragraphs.
    await page.locator("[data-commune-reader]").evaluate((host) => host.scrollIntoView());
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${OUT}${name}.png`, scale: "css" });
    await context.close();
    console.log(`${name}.png`);
  }
} finally {
  await browser.close();
  await servers.close();
}

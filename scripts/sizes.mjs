// Transfer sizes of the published reader (what a resident's phone downloads): raw, gzip, brotli.
// `node scripts/sizes.mjs` prints the table; `--budget BYTES` also fails when the brotli total is over.
// The CSS is compiled into the wasm (adopted stylesheet), so there is no separate CSS file to count.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

// READER_DIST measures another build (as the end-to-end harness and the bench allow).
const DIST = process.env.READER_DIST ? new URL(`file://${process.env.READER_DIST.replace(/\/?$/, "/")}`) : new URL("../dist/", import.meta.url);
const FILES = ["commune-reader_bg.wasm", "commune-reader.js", "embed.js"];

export function measure() {
  return FILES.map((name) => {
    const bytes = readFileSync(new URL(name, DIST));
    return {
      name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length,
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = measure();
  const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  console.log("file                          raw      gzip    brotli");
  for (const row of [...rows, { name: "total", ...total }]) {
    console.log(`${row.name.padEnd(26)}${String(row.raw).padStart(8)}${String(row.gzip).padStart(10)}${String(row.brotli).padStart(10)}`);
  }
  const at = process.argv.indexOf("--budget");
  if (at > 0) {
    const budget = Number(process.argv[at + 1]);
    const ok = total.brotli <= budget;
    console.log(`size budget: ${total.brotli} B brotli of ${budget} B allowed — ${ok ? "within" : "OVER"}`);
    if (!ok) process.exit(1);
  }
}

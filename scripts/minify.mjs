// Trunk post-build hook: minifies the wasm-bindgen glue and the loader in the staging directory.
// wasm-bindgen writes readable JS (≈ 50 KB raw); terser brings its brotli size down by about half.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { minify } from "terser";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error("run by Trunk as a post_build hook (TRUNK_STAGING_DIR is not set)");
for (const name of ["commune-reader.js", "embed.js"]) {
  const path = join(staging, name);
  const source = await readFile(path, "utf8");
  // `module: true` keeps the ES module exports and `import.meta.url`; names are mangled, not exports.
  const result = await minify(source, { module: true, ecma: 2020, compress: { passes: 2 }, mangle: true });
  await writeFile(path, result.code);
}

// Trunk post-build hook: shrinks what a resident's phone downloads, in the staging directory.
// 1. (release builds) Short names for the wasm's imports and exports. wasm-bindgen names each
//    import after its JS function plus a 16-hex-digit hash (`__wbg_createElement_de4a31ed2fb252be`),
//    ≈ 250 of them, written twice (wasm and glue); the hashes do not compress. binaryen renames
//    them (`$`, `Aa`, …) and prints the old → new map, which is applied to the glue here. Before
//    that, exports nothing calls are dropped with the code only they kept (UNUSED_EXPORTS).
// 2. terser on the wasm-bindgen glue and the loader: wasm-bindgen writes readable JS (≈ 50 KB raw);
//    minified, its brotli size is about half.
// 3. (release builds) Long strings go into the wasm through TextEncoder.encodeInto (see below).
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error("run by Trunk as a post_build hook (TRUNK_STAGING_DIR is not set)");
const GLUE = join(staging, "commune-reader.js");
const WASM = join(staging, "commune-reader_bg.wasm");
// The project's binaryen (npm binaryen@132, installed by scripts/setup.sh), the same as Trunk's.
const WASM_OPT = join(dirname(fileURLToPath(import.meta.url)), "../node_modules/.bin/wasm-opt");
// The features rustc 1.95 enables for wasm32-unknown-unknown (the pass only renames).
const FEATURES = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-reference-types", "--enable-multivalue"];

const escape = (name) => name.replace(/[$]/g, "\\$&");

// wasm-bindgen exports three JS classes of wasm-streams (Leptos's server functions stream through
// them); the reader has no server functions and never calls them, but exports keep their code in
// the wasm: 14 exports and ≈ 1 KB brotli.
const UNUSED_EXPORTS = "*intounderlying*";

async function minifyWasmNames() {
  // (also drops the `producers` and `target_features` sections, which no browser reads)
  const passes = ["--minify-imports-and-exports-and-modules", "--strip-producers", "--strip-target-features"];
  const pruning = ["--remove-exports", `--pass-arg=remove-exports@${UNUSED_EXPORTS}`, "--remove-unused-module-elements", "-Oz"];
  execFileSync(WASM_OPT, [WASM, ...FEATURES, ...pruning, "-o", WASM]);
  const printed = execFileSync(WASM_OPT, [WASM, ...FEATURES, ...passes, "-o", WASM], { encoding: "utf8" });
  const { imports, exports } = JSON.parse(printed);
  const [module] = new Set(WebAssembly.Module.imports(new WebAssembly.Module(await readFile(WASM))).map((i) => i.module));
  let glue = await readFile(GLUE, "utf8");
  const replace = (pattern, by, what) => {
    const before = glue;
    glue = glue.replace(pattern, by);
    // an import the glue does not provide would fail at instantiation: stop the build instead
    if (glue === before && what) throw new Error(`minify: ${what} not found in the glue`);
  };
  // wasm-bindgen's glue hands over one import object under the module name …
  replace(/"\.\/commune-reader_bg\.js": import0/, `${JSON.stringify(module)}: import0`, "the import module");
  // … whose keys are the import names (`__wbg_…: function`) …
  for (const [, name, short] of imports) replace(new RegExp(`\\b${escape(name)}(?=: ?function)`), JSON.stringify(short), `import ${name}`);
  // … and reads every export as `wasm.<name>`.
  for (const [name, short] of exports) replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, "g"), `wasm[${JSON.stringify(short)}]`); // (an export the glue never reads: nothing to do)
  // The JS side of the dropped exports: wasm-streams' three classes and their finalizers.
  replace(/^export class IntoUnderlying\w+ \{[\s\S]*?^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype\[Symbol\.dispose\] = .*\n/gm, "", "the wasm-streams classes");
  replace(/^const IntoUnderlying\w+Finalization = [\s\S]*?;\n/gm, "", "the wasm-streams finalizers");
  if (/intounderlying/i.test(glue)) throw new Error("minify: the glue still uses an export that was dropped");
  // Strings handed to the wasm: the glue copies a leading ASCII run one character at a time in JS
  // before it hands the rest to the platform's TextEncoder.encodeInto. For a long ASCII body (an
  // article's `content_html`) that loop was ≈ 180 ms for 2.4 MB at 4× CPU (bench/sanitiser.mjs);
  // a string over 1 KiB now goes to encodeInto whole (same bytes; the path Vietnamese text takes
  // from its first accented letter).
  replace("for (; offset < len; offset++) {", "for (; offset < len && len <= 1024; offset++) {", "the glue's ASCII copy loop");
  await writeFile(GLUE, glue);
}

if (process.env.TRUNK_PROFILE === "release") await minifyWasmNames();

for (const path of [GLUE, join(staging, "embed.js")]) {
  const source = await readFile(path, "utf8");
  // `module: true` keeps the ES module exports and `import.meta.url`; names are mangled, not exports.
  const result = await minify(source, { module: true, ecma: 2020, compress: { passes: 2 }, mangle: true });
  await writeFile(path, result.code);
}

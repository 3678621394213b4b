//! Strips comments and indentation from style/reader.css into OUT_DIR, so the stylesheet compiled
//! into the wasm carries no prose (the source keeps its comments for people).
// A build script reports failure by panicking: that is its interface, not a runtime panic.
#![allow(clippy::panic)]

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=style/reader.css");
    let source = fs::read_to_string("style/reader.css").unwrap_or_default();
    let mut css = String::with_capacity(source.len());
    let mut rest = source.as_str();
    while let Some(start) = rest.find("/*") {
        css.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    css.push_str(rest);
    let compact: Vec<&str> = css.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("reader.css");
    fs::write(out, compact.join("\n")).unwrap_or_else(|error| panic!("cannot write minified CSS: {error}"));
}

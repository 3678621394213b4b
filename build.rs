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
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("reader.css");
    fs::write(out, squeeze(&css)).unwrap_or_else(|error| panic!("cannot write minified CSS: {error}"));
}

/// Whitespace runs become one space, and go entirely next to `{ } ; , >` and after `:` (never
/// before it: `a :focus` and `a:focus` differ); `;}` becomes `}`. Quoted strings are kept as written.
fn squeeze(css: &str) -> String {
    const TIGHT: &str = "{};,>";
    let mut out = String::with_capacity(css.len());
    let (mut quote, mut pending_space) = (None, false);
    for c in css.chars() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let after_tight = out.ends_with(|last: char| TIGHT.contains(last) || last == ':');
        if pending_space && !out.is_empty() && !after_tight && !TIGHT.contains(c) {
            out.push(' ');
        }
        pending_space = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        if c == '"' || c == '\'' {
            quote = Some(c);
        }
        out.push(c);
    }
    out
}

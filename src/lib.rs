//! commune-reader: an accessible article reader that a commune portal embeds with one snippet.
//!
//! Layers, arrows pointing one way: `views` (components) → `browser` edges and `article_source` →
//! the browser-free `commune_reader_core`. `mount` finds the mount points and starts a reader in each;
//! the binary (`main.rs`) only calls it.

pub mod article_source;
pub mod browser;
pub mod mount;
pub mod views;

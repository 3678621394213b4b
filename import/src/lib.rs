//! `commune-reader-import`: article pages of commune portals that have no API and no feed →
//! the JSON Feed 1.1 items (with the `_reader` extension) that commune-reader reads.
//!
//! - [`extract`]: one page → title, date, views, byline, clean body (readability + rules for
//!   what Vietnamese portals print around an article, [`rules`]; per-site selectors, [`config`]);
//! - [`fetch`]: polite and safe HTTP (robots.txt, delay, timeouts, redirects checked hop by hop,
//!   size cap, no private addresses);
//! - [`site`]: lists, pagination, feeds, incremental state, `feed.json`.

pub mod clean;
pub mod config;
pub mod extract;
pub mod fetch;
pub mod item;
pub mod rules;
pub mod site;

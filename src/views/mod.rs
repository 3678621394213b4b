//! Components: they arrange the core's model and the browser edges, and hold no I/O of their own.

mod article_view;
mod font_controls;
mod read_aloud;
mod reader;
mod status;
mod toolbar;

pub use reader::{Reader, ReaderState};

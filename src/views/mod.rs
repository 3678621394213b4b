//! Components: they arrange the core's model and the browser edges, and hold no I/O of their own.
//! Each is a function that builds its elements (see `dom`) and returns them.

mod article_view;
mod dom;
mod font_controls;
mod read_aloud;
mod reader;
mod status;
mod toolbar;

pub use reader::{reader_view, ReaderState};

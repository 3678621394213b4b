//! Thin edges to the browser, each in one place: fetching, reading responses (JSON, and XML through `DOMParser`), storage, `Intl`, the HTML sanitiser,
//! the view counter, timers, speech, and printing and sharing. Views call these; these call the core; nothing calls back up.

pub mod counter;
pub mod fetch;
pub mod intl;
pub mod page;
pub mod response;
pub mod sanitize;
pub mod speech;
pub mod storage;
pub mod timers;
pub mod xml;

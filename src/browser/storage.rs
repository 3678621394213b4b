//! `localStorage`, which may be missing, full or forbidden (private mode, disabled cookies):
//! every failure here means "nothing remembered", never an error shown to the reader.

use commune_reader_core::{Comfort, FontScale};

const FONT_SCALE_KEY: &str = "commune-reader:font-scale";
const COMFORT_KEY: &str = "commune-reader:comfort";
const SAVED_INDEX_KEY: &str = "commune-reader:saved";
const SAVED_PREFIX: &str = "commune-reader:saved:";
/// Offline copies kept: the newest few articles, each small enough not to crowd the host site's storage.
const SAVED_ARTICLES_MAX: usize = 8;
const SAVED_ARTICLE_MAX_BYTES: usize = 512 * 1024;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|storage| storage.set_item(key, value).is_ok())
}

fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

pub fn font_scale() -> FontScale {
    get(FONT_SCALE_KEY).map(|stored| FontScale::from_stored(&stored)).unwrap_or_default()
}

pub fn save_font_scale(scale: FontScale) {
    set(FONT_SCALE_KEY, &scale.to_stored());
}

/// Theme, spacing, speed and large-text mode; `defaults` (with the site's `data-theme`) when none.
pub fn comfort(defaults: Comfort) -> Comfort {
    get(COMFORT_KEY).map_or(defaults, |stored| Comfort::from_stored(&stored, defaults))
}

pub fn save_comfort(comfort: Comfort) {
    set(COMFORT_KEY, &comfort.to_stored());
}

/// A copy of an article as it was last read successfully, for when the network fails.
pub struct SavedArticle {
    pub saved_at_ms: i64,
    pub json: String,
}

/// Whether an article this size is kept offline at all (a copy is not worth crowding the site's
/// storage for, nor holding on to until it could be written).
pub fn worth_saving(json: &str) -> bool {
    json.len() <= SAVED_ARTICLE_MAX_BYTES
}

/// Keeps the raw article JSON under its address; the oldest copies are dropped past the limit.
pub fn save_article(src: &str, json: &str, now_ms: i64) {
    if !worth_saving(json) {
        return;
    }
    let mut index: Vec<String> = get(SAVED_INDEX_KEY)
        .map(|list| list.lines().filter(|line| *line != src).map(str::to_owned).collect())
        .unwrap_or_default();
    index.push(src.to_owned());
    while index.len() > SAVED_ARTICLES_MAX {
        let oldest = index.remove(0);
        remove(&format!("{SAVED_PREFIX}{oldest}"));
    }
    if set(&format!("{SAVED_PREFIX}{src}"), &format!("{now_ms}\n{json}")) {
        set(SAVED_INDEX_KEY, &index.join("\n"));
    }
}

pub fn saved_article(src: &str) -> Option<SavedArticle> {
    let stored = get(&format!("{SAVED_PREFIX}{src}"))?;
    let (saved_at, json) = stored.split_once('\n')?;
    Some(SavedArticle { saved_at_ms: saved_at.parse().ok()?, json: json.to_owned() })
}

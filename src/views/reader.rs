//! One reader: loads its article, then shows it, or a loading placeholder, or an error with retry.

use super::article_view::ArticleView;
use super::status::{ErrorView, LoadingView};
use crate::article_source::{load_article, Loaded};
use crate::browser::fetch::LoadError;
use crate::browser::{counter, page, storage};
use commune_reader_core::comfort::large_text_scale;
use commune_reader_core::{Article, Comfort, FontScale, ReaderConfig};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use web_sys::{AbortSignal, Element};

#[derive(Clone)]
enum LoadState {
    Loading,
    Shown { article: Arc<Article>, saved_at_ms: Option<i64> },
    Failed(LoadError),
}

/// The handles a reader's parts share. All are `Copy`, so event handlers can hold them.
#[derive(Clone, Copy)]
pub struct ReaderState {
    config: StoredValue<ReaderConfig>,
    lifetime: StoredValue<AbortSignal, LocalStorage>,
    /// The mount element on the host page (for printing this article alone).
    host: StoredValue<Element, LocalStorage>,
    state: RwSignal<LoadState>,
    pub scale: RwSignal<FontScale>,
    /// Theme, spacing, read-aloud speed, large-text mode.
    pub comfort: RwSignal<Comfort>,
    /// The count the counter service returned, preferred over the one in the JSON.
    pub live_views: RwSignal<Option<u64>>,
    view_registered: StoredValue<bool>,
    /// Text for the polite live region ("Cỡ chữ 125 %").
    pub announcement: RwSignal<String>,
}

impl ReaderState {
    /// A reader's state, created (in the caller's reactive owner) before its view, so that the
    /// article can be on its way before there is anything to show.
    pub fn new(config: ReaderConfig, lifetime: AbortSignal, host: Element) -> Self {
        let comfort = storage::comfort(Comfort::new(config.theme));
        ReaderState {
            config: StoredValue::new(config),
            lifetime: StoredValue::new_local(lifetime),
            host: StoredValue::new_local(host),
            state: RwSignal::new(LoadState::Loading),
            // Read before the first render, so the remembered size shows without a flash of the default.
            scale: RwSignal::new(storage::font_scale()),
            comfort: RwSignal::new(comfort),
            live_views: RwSignal::new(None),
            view_registered: StoredValue::new(false),
            announcement: RwSignal::new(String::new()),
        }
    }

    /// Starts loading the article; `answered` runs once the first load has succeeded or failed.
    pub fn start(self, answered: Box<dyn FnOnce()>) {
        self.load(Some(answered));
    }

    /// (Re)loads the article (the retry button loads again); `answered` runs once it has an answer.
    fn load(self, answered: Option<Box<dyn FnOnce()>>) {
        self.state.set(LoadState::Loading);
        let config = self.config.get_value();
        let lifetime = self.lifetime.get_value();
        spawn_local(async move {
            let next = match load_article(&config, &lifetime).await {
                Ok(Loaded { article, saved_at_ms }) => LoadState::Shown { article: Arc::new(article), saved_at_ms },
                Err(error) => LoadState::Failed(error),
            };
            // The reader may have been removed while the request was in flight.
            if !lifetime.aborted() {
                self.state.try_set(next);
                if let Some(answered) = answered {
                    answered();
                }
            }
        });
    }

    /// Called once the article is in the page: registers exactly one view per page view (and adds
    /// the JSON-LD when asked to), never again for a font change, a retry or a re-render.
    pub fn article_rendered(self, article: &Article) {
        if self.view_registered.get_value() {
            return;
        }
        self.view_registered.set_value(true);
        let config = self.config.get_value();
        let json_ld = config.structured_data.then(|| commune_reader_core::structured_data::news_article(article, article.views));
        let counter_key = config.counter_id.or_else(|| article.counter_key().map(str::to_owned));
        // Counted once the article has been painted, i.e. could be seen (in a hidden tab: once shown).
        page::after_next_paint(Box::new(move || {
            if !self.is_live() {
                return;
            }
            if let Some(json) = json_ld {
                page::add_json_ld(&json, &self.lifetime.get_value());
            }
            let (Some(endpoint), Some(key)) = (config.counter, counter_key) else { return };
            let lifetime = self.lifetime.get_value();
            spawn_local(async move {
                if let Some(views) = counter::register_view_until(&endpoint, &key, Some(&lifetime)).await {
                    self.live_views.try_set(Some(views));
                }
            });
        }));
    }

    pub fn print(self) {
        page::print_article(&self.host.get_value());
    }

    pub fn set_scale(self, scale: FontScale) {
        self.scale.set(scale);
        storage::save_font_scale(scale);
        self.announcement.set(commune_reader_core::text::fill(self.text().font_size_now, &scale.percent().to_string()));
    }

    pub fn set_comfort(self, comfort: Comfort) {
        self.comfort.set(comfort);
        storage::save_comfort(comfort);
    }

    /// "Chữ lớn" on: 150 % text, double line spacing, bigger controls. Off: every default back.
    pub fn toggle_large_text(self) {
        if self.comfort.get_untracked().large {
            self.restore_defaults();
        } else {
            self.set_comfort(self.comfort.get_untracked().large_text());
            self.set_scale(large_text_scale());
        }
    }

    /// Font size, theme (the site's), spacing, speed and large-text mode back to their defaults.
    pub fn restore_defaults(self) {
        self.set_comfort(Comfort::new(self.config(|config| config.theme)));
        self.set_scale(FontScale::default());
        self.announce(|text| text.restored);
    }

    pub fn announce(self, pick: impl FnOnce(&'static commune_reader_core::UiText) -> &'static str) {
        self.announcement.set(pick(self.text()).to_owned());
    }

    /// The article on show, if any.
    pub fn article(self) -> Option<Arc<Article>> {
        match self.state.get_untracked() {
            LoadState::Shown { article, .. } => Some(article),
            _ => None,
        }
    }

    /// Still on the page (its lifetime not aborted, its state not disposed of).
    pub fn is_live(self) -> bool {
        self.lifetime.try_with_value(AbortSignal::aborted) == Some(false)
    }

    /// Aborted when the reader is removed from the page.
    pub fn lifetime(self) -> AbortSignal {
        self.lifetime.get_value()
    }

    /// The interface strings in the reader's configured language.
    pub fn text(self) -> &'static commune_reader_core::UiText {
        self.config(|config| config.lang.text())
    }

    pub fn config<T>(self, read: impl FnOnce(&ReaderConfig) -> T) -> T {
        self.config.with_value(read)
    }
}

#[component]
pub fn Reader(reader: ReaderState) -> impl IntoView {
    let lang = reader.config(|config| config.lang);
    let text = lang.text();
    view! {
        <div class=move || reader.comfort.get().classes() lang=lang.tag()><div class="frame">
            // EitherOf3 rather than AnyView: the same choice without type erasure's code in the wasm.
            {move || match reader.state.get() {
                LoadState::Loading => EitherOf3::A(view! { <LoadingView text /> }),
                LoadState::Failed(error) => {
                    let retry = error.is_transient().then_some(move || reader.load(None));
                    EitherOf3::B(view! { <ErrorView message=error.message(text) retry_label=text.retry retry /> })
                }
                LoadState::Shown { article, saved_at_ms } => EitherOf3::C(view! { <ArticleView reader article saved_at_ms /> }),
            }}
            <p class="visually-hidden" role="status" aria-live="polite">{move || reader.announcement.get()}</p>
        </div></div>
    }
}

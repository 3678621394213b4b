//! The toolbar: A− A A+ and "Nghe đọc bài" on the first row, then a disclosure button
//! ("Tùy chỉnh hiển thị") for a panel with themes, spacing, large text, print and share.
//! Esc closes the panel and returns focus to its button.

use super::font_controls::FontControls;
use super::read_aloud::ReadAloud;
use super::reader::ReaderState;
use crate::browser::page::{self, Shared};
use crate::browser::speech;
use commune_reader_core::{Article, Comfort};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

#[component]
pub fn Toolbar(reader: ReaderState, article: Arc<Article>, body: NodeRef<html::Div>) -> impl IntoView {
    let text = reader.text();
    let open = RwSignal::new(false);
    let toggle = NodeRef::<html::Button>::new();
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let lang = article.language.clone();
    // Whether the device has a voice for the article (`None` while its voice list loads): the
    // read-aloud button and its speed need one.
    let has_voice = RwSignal::new(speech::has_voice_for(&article.language));
    view! {
        <div class="toolbar" on:keydown=on_key>
            <FontControls reader />
            <ReadAloud reader lang body has_voice />
            <button type="button" node_ref=toggle aria-controls="display-panel"
                aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|open| *open = !*open)>
                {text.display}
            </button>
            <div id="display-panel" class="panel" hidden=move || !open.get()>
                <Choice reader legend=text.theme name="theme" labels=&text.themes
                    get=|c| c.theme set=|c, i| c.theme = i />
                <Choice reader legend=text.line_height name="line" labels=&text.line_heights
                    get=|c| c.line set=|c, i| c.line = i />
                <Choice reader legend=text.width name="width" labels=&text.widths
                    get=|c| c.width set=|c, i| c.width = i />
                <div hidden=move || has_voice.get() != Some(true)>
                    <Choice reader legend=text.speed name="speed" labels=&text.speeds
                        get=|c| c.speed set=|c, i| c.speed = i />
                </div>
                <div class="actions">
                    <button type="button" aria-pressed=move || reader.comfort.get().large.to_string()
                        on:click=move |_| reader.toggle_large_text()>{text.large_text}</button>
                    <Action reader label=text.restore run=ReaderState::restore_defaults />
                    <Action reader label=text.print run=ReaderState::print />
                    <Action reader label=text.share run=share />
                </div>
            </div>
        </div>
    }
}

/// The link shared through the system sheet, or copied with a spoken confirmation.
fn share(reader: ReaderState) {
    let Some(article) = reader.article() else { return };
    spawn_local(async move {
        let url = article.url.clone().unwrap_or_else(page::location);
        match page::share(&article.title, &url).await {
            Shared::Sheet => {}
            Shared::Copied => reader.announce(|text| text.copied),
            Shared::Failed => reader.announce(|text| text.copy_failed),
        }
    });
}

/// A plain button; one component for every action, so the wasm carries one click handler for them.
#[component]
fn Action(reader: ReaderState, label: &'static str, run: fn(ReaderState)) -> impl IntoView {
    view! { <button type="button" on:click=move |_| run(reader)>{label}</button> }
}

/// One labelled radio group over a field of the comfort settings.
#[component]
fn Choice(
    reader: ReaderState,
    legend: &'static str,
    name: &'static str,
    labels: &'static [&'static str],
    get: fn(&Comfort) -> u8,
    set: fn(&mut Comfort, u8),
) -> impl IntoView {
    let options = (0u8..)
        .zip(labels)
        .map(|(index, label)| {
            let pick = move |_| {
                let mut comfort = reader.comfort.get_untracked();
                set(&mut comfort, index);
                reader.set_comfort(comfort);
            };
            view! {
                <label>
                    <input type="radio" name=name prop:checked=move || get(&reader.comfort.get()) == index on:change=pick />
                    {*label}
                </label>
            }
        })
        .collect_view();
    view! { <fieldset><legend>{legend}</legend>{options}</fieldset> }
}

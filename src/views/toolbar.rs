//! The toolbar: A− A A+ and "Nghe đọc bài" on the first row, then a disclosure button
//! ("Tùy chỉnh hiển thị") for a panel with themes, spacing, large text, print and share.
//! Esc closes the panel and returns focus to its button.

use super::dom::{append, bind_checked, bind_hidden, bind_state, button, element, on, set, text_element};
use super::font_controls::font_controls;
use super::read_aloud::read_aloud;
use super::reader::ReaderState;
use crate::browser::page::{self, Shared};
use commune_reader_core::{Article, Comfort};
use any_spawner::Executor;
use reactive_graph::prelude::*;
use reactive_graph::signal::RwSignal;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

pub fn toolbar(reader: ReaderState, article: &Article, body: &Element) -> Element {
    let text = reader.text();
    let open = RwSignal::new(false);
    // Whether the device has a voice for the article: the read-aloud button and its speed need one.
    let has_voice = RwSignal::new(false);

    let toggle = button(text.display);
    set(&toggle, "aria-controls", "display-panel");
    bind_state(&toggle, "aria-expanded", Box::new(move || open.get()));
    on(&toggle, "click", Box::new(move |_| open.update(|open| *open = !*open)));

    let panel = element("div", "panel");
    panel.set_id("display-panel");
    bind_hidden(&panel, Box::new(move || !open.get()));
    let speed = element("div", "");
    bind_hidden(&speed, Box::new(move || !has_voice.get()));
    append(&speed, &[&choice(reader, text.speed, "speed", &text.speeds, |c| c.speed, |c, i| c.speed = i)]);
    let large_text = button(text.large_text);
    bind_state(&large_text, "aria-pressed", Box::new(move || reader.comfort.get().large));
    on(&large_text, "click", Box::new(move |_| reader.toggle_large_text()));
    let actions = element("div", "actions");
    append(&actions, &[
        &large_text,
        &action(reader, text.restore, ReaderState::restore_defaults),
        &action(reader, text.print, ReaderState::print),
        &action(reader, text.share, share),
    ]);
    append(&panel, &[
        &choice(reader, text.theme, "theme", &text.themes, |c| c.theme, |c, i| c.theme = i),
        &choice(reader, text.line_height, "line", &text.line_heights, |c| c.line, |c, i| c.line = i),
        &choice(reader, text.width, "width", &text.widths, |c| c.width, |c, i| c.width = i),
        &speed,
        &actions,
    ]);

    let bar = element("div", "toolbar");
    let [listen, stop] = read_aloud(reader, article.language.clone(), body, has_voice);
    append(&bar, &[&font_controls(reader), &listen, &stop, &toggle, &panel]);
    let toggle = toggle.unchecked_into::<HtmlElement>();
    on(&bar, "keydown", Box::new(move |event| {
        let escape = event.dyn_ref::<KeyboardEvent>().is_some_and(|key| key.key() == "Escape");
        if escape && open.get_untracked() {
            open.set(false);
            let _ = toggle.focus();
        }
    }));
    bar
}

/// The link shared through the system sheet, or copied with a spoken confirmation.
fn share(reader: ReaderState) {
    let Some(article) = reader.article() else { return };
    Executor::spawn_local(async move {
        let url = article.url.clone().unwrap_or_else(page::location);
        match page::share(&article.title, &url).await {
            Shared::Sheet => {}
            Shared::Copied => reader.announce(|text| text.copied),
            Shared::Failed => reader.announce(|text| text.copy_failed),
        }
    });
}

/// A plain button that runs one of the reader's actions.
fn action(reader: ReaderState, label: &'static str, run: fn(ReaderState)) -> Element {
    let action = button(label);
    on(&action, "click", Box::new(move |_| run(reader)));
    action
}

/// One labelled radio group over a field of the comfort settings.
fn choice(
    reader: ReaderState,
    legend: &'static str,
    name: &'static str,
    labels: &'static [&'static str],
    get: fn(&Comfort) -> u8,
    set_field: fn(&mut Comfort, u8),
) -> Element {
    let fieldset = element("fieldset", "");
    append(&fieldset, &[&text_element("legend", "", legend)]);
    for (index, label) in (0u8..).zip(labels) {
        let input = element("input", "");
        set(&input, "type", "radio");
        set(&input, "name", name);
        bind_checked(&input, Box::new(move || get(&reader.comfort.get()) == index));
        on(&input, "change", Box::new(move |_| {
            let mut comfort = reader.comfort.get_untracked();
            set_field(&mut comfort, index);
            reader.set_comfort(comfort);
        }));
        let wrapper = element("label", "");
        append(&wrapper, &[&input]);
        let _ = wrapper.append_with_str_1(label);
        append(&fieldset, &[&wrapper]);
    }
    fieldset
}

//! "Nghe đọc bài": reads the article aloud sentence by sentence, highlighting the paragraph being
//! read. Absent where the device has no voice for the article's language; never starts by itself;
//! pauses when the page is hidden; stops when the reader is removed.

use super::reader::ReaderState;
use crate::browser::{page, speech};
use commune_reader_core::speech::{utterance_lang, utterances};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use js_sys::Function;
use wasm_bindgen::JsCast;
use web_sys::SpeechSynthesisUtterance;

#[derive(Clone, Copy, PartialEq)]
enum Speaking {
    Stopped,
    Playing,
    Paused,
}

const SPEAKING: &str = "speaking";

/// What the speaker remembers between utterances (one stored value: less code in the wasm than four).
struct Memory {
    /// The article's language.
    lang: String,
    /// The `.body` child being read, and the sentence within it.
    position: (u32, usize),
    current: Option<SpeechSynthesisUtterance>,
    /// `end`/`error` handler of every utterance.
    on_end: Option<Function>,
}

#[derive(Clone, Copy)]
struct Speaker {
    reader: ReaderState,
    body: NodeRef<html::Div>,
    state: RwSignal<Speaking>,
    memory: StoredValue<Memory, LocalStorage>,
}

impl Speaker {
    fn toggle(self) {
        match self.state.get_untracked() {
            Speaking::Playing => {
                self.state.set(Speaking::Paused);
                self.silence();
                self.reader.announce(|text| text.paused);
            }
            state => {
                if state == Speaking::Stopped {
                    self.memory.update_value(|memory| memory.position = (0, 0));
                    self.reader.announce(|text| text.reading_aloud);
                } else {
                    self.reader.announce(|text| text.resumed);
                }
                self.state.set(Speaking::Playing);
                self.speak_current();
            }
        }
    }

    /// Speaks the sentence at `position`, moving on past empty paragraphs; stops after the last.
    fn speak_current(self) {
        let Some(body) = self.body.get_untracked() else { return };
        let paragraphs = body.children();
        let (lang, on_end) = self.memory.with_value(|memory| (memory.lang.clone(), memory.on_end.clone()));
        let Some(on_end) = on_end else { return };
        loop {
            let (index, sentence_index) = self.memory.with_value(|memory| memory.position);
            let Some(paragraph) = paragraphs.item(index) else { break self.finish() };
            let text = paragraph.text_content().unwrap_or_default();
            let Some(sentence) = utterances(&text).get(sentence_index).copied() else {
                self.memory.update_value(|memory| memory.position = (index + 1, 0));
                continue;
            };
            if !paragraph.class_list().contains(SPEAKING) {
                self.unmark();
                let _ = paragraph.class_list().add_1(SPEAKING);
                page::scroll_to(&paragraph);
            }
            let rate = self.reader.comfort.get_untracked().rate();
            let voice = speech::voice_for(&lang);
            let utterance = speech::speak(sentence, &utterance_lang(&lang), voice.as_ref(), rate, &on_end);
            break self.memory.update_value(|memory| memory.current = utterance);
        }
    }

    /// The current utterance ended (or failed): on to the next sentence.
    fn ended(self) {
        if self.state.try_get_untracked() == Some(Speaking::Playing) {
            self.memory.update_value(|memory| memory.position.1 += 1);
            self.speak_current();
        }
    }

    /// Cancels speech; the cancelled utterance's events are detached first, so they advance nothing.
    fn silence(self) {
        if let Some(Some(utterance)) = self.memory.try_update_value(|memory| memory.current.take()) {
            utterance.set_onend(None);
            utterance.set_onerror(None);
        }
        speech::cancel();
    }

    /// Stops reading (and says so): the stop button, or the end of the article.
    fn finish(self) {
        if self.state.try_get_untracked().is_some_and(|state| state != Speaking::Stopped) {
            self.stop();
            self.reader.announce(|text| text.stopped_reading);
        }
    }

    fn stop(self) {
        if self.state.try_get_untracked().is_some_and(|state| state != Speaking::Stopped) {
            self.state.try_set(Speaking::Stopped);
            self.silence();
            self.unmark();
        }
    }

    fn unmark(self) {
        if let Some(Ok(Some(marked))) = self.body.try_get_untracked().flatten().map(|body| body.query_selector(".speaking")) {
            let _ = marked.class_list().remove_1(SPEAKING);
        }
    }
}

#[component]
pub fn ReadAloud(reader: ReaderState, lang: String, body: NodeRef<html::Div>, has_voice: RwSignal<Option<bool>>) -> impl IntoView {
    let text = reader.text();
    // Until the device's voice list is in, the button keeps its place, unseen (`has_voice` is
    // `None`): appearing or going later would move the article (a layout shift) on a phone where
    // the toolbar wraps. A device with no voices at all keeps that empty place.
    let speaker = Speaker {
        reader,
        body,
        state: RwSignal::new(Speaking::Stopped),
        memory: StoredValue::new_local(Memory { lang, position: (0, 0), current: None, on_end: None }),
    };
    // Lives as long as the page: an utterance may end after the reader is gone (then it does nothing).
    let on_end = Closure::<dyn FnMut()>::wrap(Box::new(move || speaker.ended())).into_js_value();
    speaker.memory.update_value(|memory| memory.on_end = Some(on_end.unchecked_into()));
    let lifetime = reader.lifetime();
    page::listen(&lifetime, "abort", None, Box::new(move |_| speaker.stop()));
    if let Some(synth) = speech::synth() {
        // Voices often load after the page: the button appears when a fitting one does.
        page::listen(&synth, "voiceschanged", Some(&lifetime), Box::new(move |_| {
            if let Some(Some(found)) = speaker.memory.try_with_value(|memory| speech::has_voice_for(&memory.lang)) {
                has_voice.try_set(Some(found));
            }
        }));
    }
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        page::listen(&document, "visibilitychange", Some(&lifetime), Box::new(move |_| {
            if page::document_hidden() && speaker.state.try_get_untracked() == Some(Speaking::Playing) {
                speaker.toggle();
            }
        }));
    }
    on_cleanup(move || speaker.stop());
    let state = speaker.state;
    // Hidden rather than added and removed: an attribute costs the wasm less than a dynamic view,
    // and a hidden button is out of the accessibility tree and the tab order all the same.
    view! {
        <button type="button" hidden=move || has_voice.get() == Some(false) class:pending=move || has_voice.get().is_none()
            on:click=move |_| speaker.toggle()>
            {move || match state.get() {
                Speaking::Stopped => text.listen,
                Speaking::Playing => text.pause,
                Speaking::Paused => text.resume,
            }}
        </button>
        <button type="button" hidden=move || state.get() == Speaking::Stopped on:click=move |_| speaker.finish()>
            {text.stop}
        </button>
    }
}

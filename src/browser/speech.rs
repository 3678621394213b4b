//! The Web Speech API (`speechSynthesis`): voices, one utterance at a time, cancel.
//! Every call tolerates a browser without speech: it then does nothing.

use commune_reader_core::speech::voice_matches;
use js_sys::Function;
use wasm_bindgen::JsCast;
use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance, SpeechSynthesisVoice};

pub fn synth() -> Option<SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

/// A voice for the article's language, if the device has one (the list may still be loading:
/// ask again on `voiceschanged`).
pub fn voice_for(article_lang: &str) -> Option<SpeechSynthesisVoice> {
    synth()?
        .get_voices()
        .iter()
        .map(JsCast::unchecked_into::<SpeechSynthesisVoice>)
        .find(|voice| voice_matches(&voice.lang(), article_lang))
}

/// Whether the device can read `article_lang` aloud: `None` while its voice list is still empty
/// (browsers fill it in after the page, then fire `voiceschanged`), `Some(false)` without speech.
pub fn has_voice_for(article_lang: &str) -> Option<bool> {
    let Some(synth) = synth() else { return Some(false) };
    let voices = synth.get_voices();
    if voices.length() == 0 {
        return None;
    }
    Some(voices.iter().map(JsCast::unchecked_into::<SpeechSynthesisVoice>).any(|voice| voice_matches(&voice.lang(), article_lang)))
}

/// Speaks `text` and calls `on_end` (`end` or `error`) with the utterance as the event's target.
/// Returns the utterance so the caller can tell its events from those of an earlier one.
pub fn speak(text: &str, lang: &str, voice: Option<&SpeechSynthesisVoice>, rate: f32, on_end: &Function) -> Option<SpeechSynthesisUtterance> {
    let synth = synth()?;
    let utterance = SpeechSynthesisUtterance::new_with_text(text).ok()?;
    utterance.set_lang(lang);
    if let Some(voice) = voice {
        // Through Reflect: a setter that refuses the object throws, and that must not reach the wasm.
        let _ = js_sys::Reflect::set(&utterance, &"voice".into(), voice);
    }
    utterance.set_rate(rate);
    utterance.set_onend(Some(on_end));
    utterance.set_onerror(Some(on_end));
    synth.speak(&utterance);
    Some(utterance)
}

pub fn cancel() {
    if let Some(synth) = synth() {
        synth.cancel();
    }
}

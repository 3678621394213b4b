//! A− / A / A+: three buttons whose accessible names start with their visible labels.

use super::reader::ReaderState;
use leptos::prelude::*;

#[component]
pub fn FontControls(reader: ReaderState) -> impl IntoView {
    let text = reader.text();
    let scale = reader.scale;
    // The ends of the range are marked with aria-disabled, not `disabled`, so keyboard focus stays
    // on the button instead of falling to the page when the last step is reached.
    view! {
        <div class="font-controls" role="group" aria-label=text.toolbar>
            <button type="button" aria-label=text.smaller_name
                aria-disabled=move || (!scale.get().can_shrink()).to_string()
                on:click=move |_| reader.set_scale(scale.get_untracked().smaller())>
                "A−"
            </button>
            <button type="button" aria-label=text.reset_name
                aria-pressed=move || scale.get().is_default().to_string()
                on:click=move |_| reader.set_scale(Default::default())>
                "A"
            </button>
            <button type="button" aria-label=text.larger_name
                aria-disabled=move || (!scale.get().can_grow()).to_string()
                on:click=move |_| reader.set_scale(scale.get_untracked().larger())>
                "A+"
            </button>
        </div>
    }
}

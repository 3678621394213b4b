//! A− / A / A+: three buttons whose accessible names start with their visible labels.

use super::dom::{append, bind_state, button, element, on, set};
use super::reader::ReaderState;
use reactive_graph::prelude::*;
use web_sys::Element;

pub fn font_controls(reader: ReaderState) -> Element {
    let text = reader.text();
    let scale = reader.scale;
    let group = element("div", "font-controls");
    set(&group, "role", "group");
    set(&group, "aria-label", text.toolbar);
    let smaller = button("A−");
    set(&smaller, "aria-label", text.smaller_name);
    // The ends of the range are marked with aria-disabled, not `disabled`, so keyboard focus stays
    // on the button instead of falling to the page when the last step is reached.
    bind_state(&smaller, "aria-disabled", Box::new(move || !scale.get().can_shrink()));
    on(&smaller, "click", Box::new(move |_| reader.set_scale(scale.get_untracked().smaller())));
    let reset = button("A");
    set(&reset, "aria-label", text.reset_name);
    bind_state(&reset, "aria-pressed", Box::new(move || scale.get().is_default()));
    on(&reset, "click", Box::new(move |_| reader.set_scale(Default::default())));
    let larger = button("A+");
    set(&larger, "aria-label", text.larger_name);
    bind_state(&larger, "aria-disabled", Box::new(move || !scale.get().can_grow()));
    on(&larger, "click", Box::new(move |_| reader.set_scale(scale.get_untracked().larger())));
    append(&group, &[&smaller, &reset, &larger]);
    group
}

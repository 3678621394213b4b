//! The two states before an article: loading, and failed.

use commune_reader_core::UiText;
use leptos::prelude::*;

/// A placeholder the shape of an article, so nothing below it jumps when the text arrives.
#[component]
pub fn LoadingView(text: &'static UiText) -> impl IntoView {
    view! {
        <div class="loading" aria-busy="true">
            <p class="visually-hidden" role="status">{text.loading}</p>
            <div class="placeholder title-placeholder"></div>
            <div class="placeholder meta-placeholder"></div>
            <div class="placeholder line"></div>
            <div class="placeholder line"></div>
            <div class="placeholder line short"></div>
        </div>
        // The administrator's fallback (e.g. a link to the article on the portal) stays visible meanwhile.
        <slot></slot>
    }
}

/// A plain-language message, with a retry button when trying again can help.
#[component]
pub fn ErrorView(
    message: &'static str,
    retry_label: &'static str,
    retry: Option<impl Fn() + Copy + Send + Sync + 'static>,
) -> impl IntoView {
    view! {
        <div class="error" role="alert">
            <p>{message}</p>
            {retry.map(|retry| view! { <button type="button" class="retry" on:click=move |_| retry()>{retry_label}</button> })}
        </div>
        <slot></slot>
    }
}

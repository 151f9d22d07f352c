use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{msg, tr};

/// Any unknown address: say so, and offer the way back.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text=tr(msg::NOT_FOUND_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::NOT_FOUND_TITLE)}</h1>
            <p>{tr(msg::NOT_FOUND_BODY)}</p>
            <p><a class="button" href="/">{tr(msg::NOT_FOUND_HOME)}</a>" "<a class="button button-secondary" href="/status">{tr(msg::NOT_FOUND_STATUS)}</a></p>
        </div>
    }
}

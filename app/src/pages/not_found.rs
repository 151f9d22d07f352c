use leptos::prelude::*;
use leptos_meta::Title;

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
        <Title text="Page not found" />
        <div class="narrow">
            <h1>"We can't find that page"</h1>
            <p>"The link may be old or mistyped."</p>
            <p><a class="button" href="/">"Go to the start"</a>" "<a class="button button-secondary" href="/status">"See your status"</a></p>
        </div>
    }
}

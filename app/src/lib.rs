//! The onboarding UI: pages, components and server functions, rendered on the server and
//! hydrated in the browser. Every form is a plain HTML form, so it also works without JavaScript.

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
mod components;
pub mod copy;
mod pages;
pub mod views;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::Layout;
use crate::pages::{
    account::{ConfirmSignup, ForgotPassword, Reminders, ResetPassword, SignupSent},
    landing::Landing,
    login::Login,
    not_found::NotFound,
    signup::Signup,
    status::Status,
    verification_return::VerificationReturn,
};

/// Product name shown to applicants (the fintech's brand, not LedgerOS's).
pub const BRAND: &str = "Northwind Card";

/// The HTML document around the app, rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_csp();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: our own origin only, scripts only with this response's
/// nonce (the hydration script) and WebAssembly compilation for the hydrated app.
#[cfg(feature = "ssr")]
fn set_page_csp() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Lets browser tests (and people) know the page is interactive.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/onboarding.css" />
        <Title formatter=|page: String| format!("{page} · {BRAND}") />
        <Router>
            <Layout>
                // Async rendering: the whole page, data included, arrives as HTML, so it reads the
                // same without JavaScript.
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Landing ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=Signup ssr=SsrMode::Async />
                    <Route path=path!("/signup/sent") view=SignupSent ssr=SsrMode::Async />
                    <Route path=path!("/signup/confirm") view=ConfirmSignup ssr=SsrMode::Async />
                    <Route path=path!("/password/forgot") view=ForgotPassword ssr=SsrMode::Async />
                    <Route path=path!("/password/reset") view=ResetPassword ssr=SsrMode::Async />
                    <Route path=path!("/reminders") view=Reminders ssr=SsrMode::Async />

                    <Route path=path!("/login") view=Login ssr=SsrMode::Async />
                    <Route path=path!("/status") view=Status ssr=SsrMode::Async />
                    <Route path=path!("/verification/return") view=VerificationReturn ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}

/// Entry point of the wasm bundle: attaches to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

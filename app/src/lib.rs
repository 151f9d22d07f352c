//! The onboarding UI: pages, components and server functions, rendered on the server. Only the
//! live status is interactive: a Leptos island, and the only WebAssembly any page loads (on the
//! [`ISLAND_PAGES`]). Every form is a plain HTML form, so everything works without JavaScript;
//! `public/enhance.js` adds the "Show password" toggle.

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
mod components;
pub mod copy;
pub mod i18n;
mod pages;
pub mod preload;
pub mod views;

#[cfg(feature = "ssr")]
pub use components::live_status::live_fragments;

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
    your_account::{AccountDeleted, DeleteAccount, YourAccount},
};

/// Product name shown to applicants (the fintech's brand, not LedgerOS's).
pub const BRAND: &str = "Northwind Card";

/// How long a deletion link works (the page that opens it says so).
pub use crate::pages::your_account::DELETION_LINK_HOURS;

/// The pages that hold an island (the live status). Only these load the WebAssembly bundle and
/// need a script nonce; every other page is plain HTML, CSS and one small script.
pub const ISLAND_PAGES: &[&str] = &["/status", "/verification/return"];

/// The HTML document around the app, rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let islands = page_has_islands();
    #[cfg(feature = "ssr")]
    set_page_csp(islands);
    let lang = i18n::use_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() dir=lang.dir()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                {islands.then(|| view! { <HydrationScripts options islands=true /> })}
                <script src="/enhance.js" defer></script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

fn page_has_islands() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|parts| ISLAND_PAGES.contains(&parts.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The Content-Security-Policy of a page: our own origin only, plus the inline scripts named in
/// `scripts` (nonces or hashes). WebAssembly may compile only where an island runs (a nonce).
pub fn page_policy(scripts: &[String]) -> String {
    let wasm = if scripts.iter().any(|s| s.starts_with("'nonce-")) {
        " 'wasm-unsafe-eval'"
    } else {
        ""
    };
    let mut script_src = String::from("'self'");
    for script in scripts {
        script_src.push(' ');
        script_src.push_str(script);
    }
    format!(
        "default-src 'self'; script-src {script_src}{wasm}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// The policy of a page with an island: its inline scripts (the island loader and Leptos's
/// resource data) run with this response's nonce. Other pages get a policy of script hashes
/// from the server's page layer, which sees the finished HTML.
#[cfg(feature = "ssr")]
fn set_page_csp(islands: bool) {
    let (true, Some(nonce), Some(response)) = (
        islands,
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = page_policy(&[format!("'nonce-{nonce}'")]);
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

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
                    <Route path=path!("/account") view=YourAccount ssr=SsrMode::Async />
                    <Route path=path!("/account/delete") view=DeleteAccount ssr=SsrMode::Async />
                    <Route path=path!("/account/deleted") view=AccountDeleted ssr=SsrMode::Async />
                    <Route path=path!("/verification/return") view=VerificationReturn ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}

/// Entry point of the wasm bundle: brings the page's islands to life.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}

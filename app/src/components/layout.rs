use leptos::prelude::*;

use crate::BRAND;
use crate::i18n::{Arg, Lang, msg, tr, tr_with, use_lang};
use crate::preload::Preloaded;

/// Header, main landmark and footer around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let account = Preloaded::current().account.clone();
    view! {
        <a class="skip-link" href="#main">{tr(msg::SKIP_TO_CONTENT)}</a>
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {BRAND}
                </a>
                <nav aria-label=tr(msg::NAV_LABEL)>
                    {match account {
                        Some(me) => view! {
                            <span class="nav-greeting">{tr_with(msg::NAV_SIGNED_IN_AS, &[("name", Arg::from(me.first_name))])}</span>
                            <a href="/status">{tr(msg::NAV_YOUR_STATUS)}</a>
                            <a href="/account">{tr(msg::NAV_ACCOUNT)}</a>
                            <form method="post" action="/logout" class="inline-form">
                                <button type="submit" class="link-button">{tr(msg::NAV_LOG_OUT)}</button>
                            </form>
                        }.into_any(),
                        None => view! {
                            <a href="/login">{tr(msg::NAV_LOG_IN)}</a>
                            <a class="button button-small" href="/signup">{tr(msg::NAV_SIGN_UP)}</a>
                        }.into_any(),
                    }}
                </nav>
            </div>
        </header>
        <main id="main" class="container" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="container footer-row">
                <p>
                    {tr(msg::FOOTER_PRIVACY)}" "
                    <a href=format!("mailto:{}", crate::copy::SUPPORT_EMAIL)>{crate::copy::SUPPORT_EMAIL}</a>
                </p>
                <LanguageSwitcher />
            </div>
        </footer>
    }
}

/// The language switcher: a plain form, so it works without JavaScript. The server keeps the
/// choice in a cookie, and on the account when someone is signed in, then brings the person
/// back to the page they were on.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let current = use_lang();
    let options = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <option value=lang.code() lang=lang.code() selected=lang == current>{lang.native_name()}</option>
            }
        })
        .collect_view();
    view! {
        <form method="post" action="/language" class="language-form">
            <label for="field-language">{tr(msg::LANGUAGE_LABEL)}</label>
            <select id="field-language" name="lang">{options}</select>
            <input type="hidden" name="next" value=current_path() />
            <button type="submit" class="button button-small button-secondary">{tr(msg::LANGUAGE_CHANGE)}</button>
        </form>
    }
}

/// The path and query of the page being rendered, to come back to after switching.
fn current_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.uri.path_and_query().map(|pq| pq.as_str().to_owned()))
            .unwrap_or_else(|| "/".to_owned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".to_owned()
    }
}

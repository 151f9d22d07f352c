//! The page's language: chosen per request by the server (the account's saved language, the
//! switcher's cookie, `Accept-Language`, English) and handed to the pages in the request's
//! extensions. Pages look their words up with [`tr`]; see `onboarding::i18n`.

pub use onboarding::i18n::{Arg, Key, Lang, msg};

/// The language of the page being rendered: one given to this render (a live update), else
/// the request's.
pub fn use_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        use_context::<Lang>()
            .or_else(|| {
                use_context::<http::request::Parts>()
                    .and_then(|parts| parts.extensions.get::<Lang>().copied())
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Lang::default()
    }
}

/// The message `key` in the page's language.
pub fn tr(key: Key) -> String {
    onboarding::i18n::t(use_lang(), key)
}

/// The message `key` in the page's language, with its variables.
pub fn tr_with(key: Key, args: &[(&str, Arg<'_>)]) -> String {
    onboarding::i18n::t_with(use_lang(), key, args)
}

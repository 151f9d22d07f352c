//! What a page reads before it renders: the signed-in person, for the header of every page, and
//! the status with its flash, on the status pages. The server reads them ahead of Leptos (a
//! layer on the page router, [`preload`]) and hands them to the page as context, so these pages
//! render at once: no resource, no Suspense, no second pass over the view to find them, and
//! nothing serialized into the page for a hydration that never reads it.

use std::sync::Arc;

use leptos::prelude::*;

use crate::views::{AccountView, Flash, StatusView};

/// How a status page loads the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusLoad {
    /// Ask LedgerOS first: for people coming back from the hosted page.
    pub refresh_first: bool,
    /// The form whose flash notices the page shows, if any.
    pub flash_form: Option<&'static str>,
}

/// The pages that show the status (the [`crate::ISLAND_PAGES`]), and how each loads it.
pub fn status_load(path: &str) -> Option<StatusLoad> {
    match path {
        "/status" => Some(StatusLoad {
            refresh_first: false,
            flash_form: Some("status"),
        }),
        "/verification/return" => Some(StatusLoad {
            refresh_first: true,
            flash_form: None,
        }),
        _ => None,
    }
}

/// A page's data, read before it renders.
#[derive(Clone, Debug, Default)]
pub struct Preloaded {
    /// The signed-in person, if any.
    pub account: Option<AccountView>,
    /// On a status page: what it shows.
    pub status: Option<StatusData>,
}

/// What a status page shows.
#[derive(Clone, Debug)]
pub struct StatusData {
    /// The status; `None` when nobody is signed in (the session ended).
    pub view: Option<StatusView>,
    pub flash: Flash,
}

impl Preloaded {
    /// The current page's data; empty outside a request (when Leptos lists the routes).
    pub fn current() -> Arc<Preloaded> {
        use_context::<Arc<Preloaded>>().unwrap_or_default()
    }
}

/// Reads what the page at `path` needs for the session of `auth`.
#[cfg(feature = "ssr")]
pub async fn preload(
    path: &str,
    auth: &crate::auth::Auth,
    services: &onboarding::services::Services,
    gate: &crate::auth::RefreshGate,
) -> Preloaded {
    use crate::auth::{checked_status, returned_status, signed_in, take_flash_of};
    let user = signed_in(auth).await;
    let account = user.as_ref().map(|user| AccountView {
        first_name: user.first_name.clone(),
    });
    let status = match status_load(path) {
        None => None,
        Some(load) => {
            let flash = match load.flash_form {
                Some(form) => take_flash_of(&auth.session, form).await.unwrap_or_default(),
                None => Flash::default(),
            };
            let view = match user {
                None => None,
                Some(user) if load.refresh_first => Some(returned_status(services, gate, user).await),
                Some(user) => Some(checked_status(services, user).await),
            };
            Some(StatusData { view, flash })
        }
    };
    Preloaded { account, status }
}

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{msg, tr};

use crate::components::live_status::StatusPage;

/// Where LedgerOS's hosted page sends people back: fetches the status on arrival.
#[component]
pub fn VerificationReturn() -> impl IntoView {
    view! {
        <Title text=tr(msg::RETURN_PAGE_TITLE) />
        <StatusPage />
    }
}

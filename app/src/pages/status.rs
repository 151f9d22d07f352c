use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{msg, tr};

use crate::components::live_status::StatusPage;

/// The applicant's home: their verification status, next step, deposit and cards.
#[component]
pub fn Status() -> impl IntoView {
    view! {
        <Title text=tr(msg::NAV_YOUR_STATUS) />
        <StatusPage />
    }
}

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::live_status::LiveStatus;

/// Where LedgerOS's hosted page sends people back: fetches the status on arrival.
#[component]
pub fn VerificationReturn() -> impl IntoView {
    view! {
        <Title text="Welcome back" />
        <LiveStatus refresh_first=true flash_form=None />
    }
}

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::take_flash;
use crate::components::form::Notice;
use crate::components::live_status::LiveStatus;

/// The applicant's home: their verification status, next step, deposit and cards.
#[component]
pub fn Status() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_flash("status".into()));
    view! {
        <Title text="Your status" />
        <Suspense>
            {move || Suspend::new(async move {
                let flash = flash.await.ok().flatten().unwrap_or_default();
                view! {
                    <Notice message=flash.notice.clone() />
                    <LiveStatus flash=flash />
                }
            })}
        </Suspense>
    }
}

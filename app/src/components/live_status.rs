use std::time::Duration;

use leptos::prelude::*;
use onboarding::status::ApplicationStatus;

use crate::api::{StatusView, load_status, refresh_status};
use crate::components::status_card::{AccountFeatures, StatusCard};

/// The status card and the account features, kept current while the page is open.
///
/// The first load can ask LedgerOS directly (`refresh_first`, for people returning from the
/// hosted page); later checks read our own database, which webhooks keep up to date.
#[component]
pub fn LiveStatus(
    #[prop(default = false)] refresh_first: bool,
    #[prop(optional)] returning: bool,
) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let status = Resource::new(
        move || tick.get(),
        move |tick| async move {
            if tick == 0 && refresh_first {
                refresh_status().await
            } else {
                load_status().await
            }
        },
    );
    // Only in the browser: look again every few seconds while a decision is pending.
    Effect::new(move |_| {
        set_interval(move || tick.update(|t| *t += 1), Duration::from_secs(3));
    });
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(Some(view)) => render(view, returning).into_any(),
                    Ok(None) => view! {
                        <p>"Your session has ended. " <a href="/login?next=/status">"Log in again"</a>" to see your status."</p>
                    }.into_any(),
                    Err(_) => view! {
                        <p class="notice" role="status">"We couldn't load your status just now. It will retry by itself, or reload the page."</p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn render(view: StatusView, returning: bool) -> impl IntoView {
    let approved = view.status.is_approved();
    let waiting = returning && matches!(view.status, ApplicationStatus::Pending);
    let first_name = view.first_name.clone();
    view! {
        <h1>{if approved { format!("Welcome aboard, {first_name}") } else { format!("Hi {first_name}, here's where you stand") }}</h1>
        {waiting.then(|| view! {
            <p class="notice" role="status">
                "Thanks, we've got you back. We're waiting for LedgerOS to confirm your verification. This usually takes 1–5 minutes and this page updates by itself. "
                "If you closed the verification page before finishing, use Continue verification below."
            </p>
        })}
        // Announces status changes to screen readers as they arrive.
        <div aria-live="polite" aria-atomic="true">
            <StatusCard view=view />
        </div>
        <AccountFeatures approved=approved />
    }
}

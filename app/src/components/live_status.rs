use leptos::prelude::*;

use crate::api::{load_status, refresh_status, take_flash};
use crate::components::form::Notice;
use crate::components::status_card::{AccountFeatures, ReminderSetting, StatusCard};
use crate::views::{Flash, StatusView};

/// The status card and the account features, kept current while the page is open.
///
/// The first load can ask LedgerOS directly (`refresh_first`, for people returning from the
/// hosted page); after that the server pushes a server-sent event whenever the status changes
/// and the card reloads from our database. Without JavaScript, a reload shows the current status.
///
/// An island: the one part of the app that hydrates, and so all the WebAssembly we ship.
#[island]
pub fn LiveStatus(
    /// Ask LedgerOS before the first showing.
    refresh_first: bool,
    /// The form whose flash notices this page shows, if any.
    flash_form: Option<String>,
) -> impl IntoView {
    // Every resource is created here, up front, and read in one Suspend: resources created
    // inside another Suspense's resolution made async server rendering hang now and then.
    let flash = Resource::new(
        || (),
        move |_| {
            let flash_form = flash_form.clone();
            async move {
                match flash_form {
                    Some(form) => take_flash(form).await.ok().flatten().unwrap_or_default(),
                    None => Flash::default(),
                }
            }
        },
    );
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
    // Only in the browser: listen for changes pushed by the server, and let browser tests (and
    // people) know the status is live.
    Effect::new(move |_| {
        listen_for_changes(move || tick.update(|t| *t += 1));
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Transition>
            {move || {
                Suspend::new(async move {
                    let flash = flash.await;
                    match status.await {
                        Ok(Some(view)) => render(view, flash).into_any(),
                        Ok(None) => view! {
                            <p>"Your session has ended. " <a href="/login?next=/status">"Log in again"</a>" to see your status."</p>
                        }.into_any(),
                        Err(_) => view! {
                            <p class="notice" role="status">"We couldn't load your status just now. Reload the page to try again."</p>
                        }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// Opens `/events/status` and calls `changed` on every status event, and on every reconnect
/// (a change may have happened while disconnected). Closed when the page goes away.
#[cfg(feature = "hydrate")]
fn listen_for_changes(changed: impl Fn() + Clone + 'static) {
    use send_wrapper::SendWrapper;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let Ok(source) = web_sys::EventSource::new("/events/status") else {
        return;
    };
    let on_status = Closure::<dyn Fn()>::new(changed.clone());
    let mut opened_before = false;
    let on_open = Closure::<dyn FnMut()>::new(move || {
        if opened_before {
            changed();
        }
        opened_before = true;
    });
    let _ = source.add_event_listener_with_callback("status", on_status.as_ref().unchecked_ref());
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    let held = SendWrapper::new((source, on_status, on_open));
    on_cleanup(move || held.0.close());
}

#[cfg(not(feature = "hydrate"))]
fn listen_for_changes(_changed: impl Fn() + Clone + 'static) {}

fn render(view: StatusView, flash: Flash) -> impl IntoView {
    let approved = view.status.is_approved();
    let first_name = view.first_name.clone();
    // Reminders matter only while the verification waits on the person.
    let reminders = view.status.awaits_user().then_some(view.reminders);
    view! {
        <Notice message=flash.notice.clone() />
        <h1>{if approved { format!("Welcome aboard, {first_name}") } else { format!("Hi {first_name}, here's where you stand") }}</h1>
        // Announces status changes to screen readers as they arrive.
        <div aria-live="polite" aria-atomic="true">
            <StatusCard view=view flash=flash />
        </div>
        <AccountFeatures approved=approved />
        {reminders.map(|on| view! { <ReminderSetting on /> })}
    }
}

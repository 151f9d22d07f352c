use leptos::prelude::*;

use crate::components::form::Notice;
#[cfg(feature = "ssr")]
use crate::components::status_card::{AccountFeatures, ReminderSetting, StatusCard};
use crate::i18n::{Lang, msg, tr, use_lang};
use crate::preload::{Preloaded, StatusData};
use crate::views::{Flash, LiveFragments, StatusView};

/// The status page's content, rendered on the server from what was read before the page
/// ([`crate::preload`]: the flash, and the status, asked of LedgerOS first for people
/// returning from the hosted page), handed to the [`LiveStatus`] island.
#[component]
pub fn StatusPage() -> impl IntoView {
    match Preloaded::current().status.clone() {
        Some(StatusData {
            view: Some(view),
            flash,
        }) => {
            let notice = flash.notice.clone();
            let initial = live_fragments(view, flash, use_lang());
            view! { <Notice message=notice /> <LiveStatus initial /> }.into_any()
        }
        Some(StatusData { view: None, .. }) => view! {
            <p>{tr(msg::STATUS_SESSION_ENDED)}" " <a href="/login?next=/status">{tr(msg::STATUS_LOG_IN_AGAIN)}</a>" "{tr(msg::STATUS_TO_SEE)}</p>
        }
        .into_any(),
        None => view! {
            <p class="notice" role="status">{tr(msg::STATUS_LOAD_FAILED)}</p>
        }
        .into_any(),
    }
}

/// The heading, status card and account features for `view`, rendered to HTML in `lang`: the
/// live status shows them, and every live update carries them. `flash` (errors and values of a
/// form on the card) is for the first showing only.
#[cfg(feature = "ssr")]
pub fn live_fragments(view: StatusView, flash: Flash, lang: Lang) -> LiveFragments {
    use leptos::tachys::view::RenderHtml;
    use onboarding::i18n::{Arg, t_with};
    let approved = view.status.is_approved();
    let greeting = if approved {
        msg::STATUS_WELCOME
    } else {
        msg::STATUS_HELLO
    };
    let heading = t_with(lang, greeting, &[("name", Arg::from(&view.first_name))]);
    // Reminders matter only while the verification waits on the person.
    let reminders = view.status.awaits_user().then_some(view.reminders);
    let fingerprint = view.fingerprint();
    Owner::new().with(|| {
        provide_context(lang);
        LiveFragments {
            fingerprint,
            heading,
            card: view! { <StatusCard view flash /> }.to_html(),
            extras: view! {
                <AccountFeatures approved />
                {reminders.map(|on| view! { <ReminderSetting on /> })}
            }
            .to_html(),
        }
    })
}

#[cfg(not(feature = "ssr"))]
fn live_fragments(_view: StatusView, _flash: Flash, _lang: Lang) -> LiveFragments {
    LiveFragments::default()
}

/// The status card and the account features, kept current while the page is open: the server
/// pushes them, rendered, as a server-sent event whenever the status changes (and once each
/// time the stream opens, so a change made while it was closed is not missed). Without
/// JavaScript, a reload shows the current status.
///
/// An island, and the only one: all the WebAssembly we ship. It renders no card itself (the
/// server's HTML is the one rendering), so it stays small: it holds the fragments and swaps
/// them in. The live region stays in place while its content changes, so screen readers
/// announce the change.
#[island]
pub fn LiveStatus(initial: LiveFragments) -> impl IntoView {
    let live = RwSignal::new(initial);
    // Only in the browser: listen for changes, and let browser tests (and people) know the
    // status is live.
    Effect::new(move |_| {
        listen_for_changes(move |fresh| {
            // The stream opens with the status as it is: usually what the page shows already,
            // perhaps with a form's errors that must stay (and keep the focus).
            if fresh.fingerprint != live.read_untracked().fingerprint {
                live.set(fresh);
            }
        });
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <h1>{move || live.read().heading.clone()}</h1>
        <div aria-live="polite" aria-atomic="true" inner_html=move || live.read().card.clone()></div>
        <div inner_html=move || live.read().extras.clone()></div>
    }
}

/// Opens `/events/status` and calls `changed` with each update it carries. Closed when the
/// page goes away.
#[cfg(feature = "hydrate")]
fn listen_for_changes(changed: impl Fn(LiveFragments) + 'static) {
    use send_wrapper::SendWrapper;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let Ok(source) = web_sys::EventSource::new("/events/status") else {
        return;
    };
    let on_status = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let fresh = event
            .data()
            .as_string()
            .and_then(|data| serde_json::from_str::<LiveFragments>(&data).ok());
        if let Some(fresh) = fresh {
            changed(fresh);
        }
    });
    let _ = source.add_event_listener_with_callback("status", on_status.as_ref().unchecked_ref());
    let held = SendWrapper::new((source, on_status));
    on_cleanup(move || held.0.close());
}

#[cfg(not(feature = "hydrate"))]
fn listen_for_changes(_changed: impl Fn(LiveFragments) + 'static) {}

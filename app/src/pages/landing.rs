use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{msg, tr};

/// Explains identity verification before anything starts: why, what to have ready, how long.
#[component]
pub fn Landing() -> impl IntoView {
    let ready = [
        (msg::LANDING_READY_IDENTITY, msg::LANDING_READY_IDENTITY_DETAILS),
        (msg::LANDING_READY_CONTACT, msg::LANDING_READY_CONTACT_DETAILS),
        (msg::LANDING_READY_ADDRESS, msg::LANDING_READY_ADDRESS_DETAILS),
        (msg::LANDING_READY_TAX, msg::LANDING_READY_TAX_DETAILS),
        (msg::LANDING_READY_DOCUMENTS, msg::LANDING_READY_DOCUMENTS_DETAILS),
    ]
    .map(|(what, details)| view! { <tr><th scope="row">{tr(what)}</th><td>{tr(details)}</td></tr> });
    let steps = [
        (msg::LANDING_TIME_ACCOUNT, msg::LANDING_TIME_ACCOUNT_DETAILS),
        (msg::LANDING_TIME_VERIFY, msg::LANDING_TIME_VERIFY_DETAILS),
        (msg::LANDING_TIME_CHECK, msg::LANDING_TIME_CHECK_DETAILS),
        (msg::LANDING_TIME_REVIEW, msg::LANDING_TIME_REVIEW_DETAILS),
        (msg::LANDING_TIME_CARDS, msg::LANDING_TIME_CARDS_DETAILS),
    ]
    .map(|(step, details)| view! { <li><strong>{tr(step)}</strong>" "{tr(details)}</li> });
    view! {
        <Title text=tr(msg::LANDING_PAGE_TITLE) />
        <section class="hero">
            <h1>{tr(msg::LANDING_TITLE)}</h1>
            <p class="lead">{tr(msg::LANDING_LEAD)}</p>
            <div class="actions">
                <a class="button" href="/signup">{tr(msg::LANDING_CREATE)}</a>
                <a class="button button-secondary" href="/login">{tr(msg::LANDING_HAVE_ACCOUNT)}</a>
            </div>
        </section>

        <section class="panel" aria-labelledby="why-title">
            <h2 id="why-title">{tr(msg::LANDING_WHY_TITLE)}</h2>
            <p>{tr(msg::LANDING_WHY_BODY)}</p>
        </section>

        <section class="panel" aria-labelledby="ready-title">
            <h2 id="ready-title">{tr(msg::LANDING_READY_TITLE)}</h2>
            <table class="info-table">
                <caption class="visually-hidden">{tr(msg::LANDING_READY_CAPTION)}</caption>
                <thead><tr><th scope="col">{tr(msg::LANDING_READY_WHAT)}</th><th scope="col">{tr(msg::LANDING_READY_DETAILS)}</th></tr></thead>
                <tbody>{ready}</tbody>
            </table>
            <p class="muted">{tr(msg::LANDING_READY_MORE)}</p>
        </section>

        <section class="panel" aria-labelledby="time-title">
            <h2 id="time-title">{tr(msg::LANDING_TIME_TITLE)}</h2>
            <ol class="timeline">{steps}</ol>
        </section>

        <section class="panel" aria-labelledby="data-title">
            <h2 id="data-title">{tr(msg::LANDING_DATA_TITLE)}</h2>
            <ul>
                <li>{tr(msg::LANDING_DATA_PARTNER)}</li>
                <li>{tr(msg::LANDING_DATA_NEVER)}</li>
                <li>{tr(msg::LANDING_DATA_KEEP)}</li>
            </ul>
        </section>

        <section class="cta-band">
            <h2>{tr(msg::LANDING_READY_CTA_TITLE)}</h2>
            <p>{tr(msg::LANDING_READY_CTA_BODY)}</p>
            <a class="button" href="/signup">{tr(msg::LANDING_CREATE)}</a>
        </section>
    }
}

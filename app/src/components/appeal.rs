use leptos::prelude::*;

use crate::i18n::{Arg, msg, tr, tr_with, use_lang};
use crate::views::Flash;

/// For denied applicants: ask the support team to look again. The appeal waits in the support
/// team's queue in the operator console; `sent` and `answered` are when it was sent and
/// answered.
#[component]
pub fn AppealForm(sent: Option<i64>, answered: Option<i64>, flash: Flash) -> impl IntoView {
    let lang = use_lang();
    let day = |at: i64| onboarding::i18n::date_long(lang, at);
    if let Some(answered) = answered {
        return view! {
            <div class="appeal">
                <h3>{tr(msg::APPEAL_ANSWERED_TITLE)}</h3>
                <p>{tr_with(msg::APPEAL_ANSWERED_BODY, &[("date", Arg::from(day(answered)))])}</p>
            </div>
        }
        .into_any();
    }
    if let Some(sent) = sent {
        return view! {
            <div class="appeal">
                <h3>{tr(msg::APPEAL_SENT_TITLE)}</h3>
                <p>{tr_with(msg::APPEAL_SENT_BODY, &[("date", Arg::from(day(sent)))])}</p>
            </div>
        }
        .into_any();
    }
    let error = flash.errors.get("message").map(str::to_owned);
    let invalid = error.is_some();
    view! {
        <form method="post" action="/appeal" class="appeal" novalidate>
            <h3>{tr(msg::APPEAL_TITLE)}</h3>
            <div class="field" class:field-invalid=invalid>
                <label for="field-message">{tr(msg::APPEAL_LABEL)}</label>
                <p class="field-hint" id="field-message-hint">{tr(msg::APPEAL_HINT)}</p>
                {error.map(|e| view! { <p class="field-error" id="field-message-error"><span class="visually-hidden">{tr(msg::FORM_ERROR_PREFIX)}</span>{e}</p> })}
                <textarea
                    id="field-message"
                    name="message"
                    rows="4"
                    maxlength="4000"
                    required=true
                    // Sent empty: the page comes back with the focus in the field to fix.
                    autofocus=invalid
                    aria-invalid=if invalid { "true" } else { "false" }
                    aria-describedby=if invalid { "field-message-hint field-message-error" } else { "field-message-hint" }
                >
                    {flash.value("message")}
                </textarea>
            </div>
            <button type="submit" class="button button-secondary">{tr(msg::APPEAL_SUBMIT)}</button>
        </form>
    }
    .into_any()
}

use leptos::prelude::*;

use crate::views::Flash;

/// For denied applicants: ask the support team to look again. The appeal waits in the support
/// team's queue in the operator console; `sent` and `answered` are the days it was sent and
/// answered, in words.
#[component]
pub fn AppealForm(sent: Option<String>, answered: Option<String>, flash: Flash) -> impl IntoView {
    if let Some(answered) = answered {
        return view! {
            <div class="appeal">
                <h3>"Our support team has answered your appeal"</h3>
                <p>"They replied on " {answered} " by email. Please check your inbox (and your spam folder). To write back, reply to that email."</p>
            </div>
        }
        .into_any();
    }
    if let Some(sent) = sent {
        return view! {
            <div class="appeal">
                <h3>"Your appeal is with our support team"</h3>
                <p>"We received it on " {sent} ". They'll reply by email within 2 business days. You don't need to do anything else."</p>
            </div>
        }
        .into_any();
    }
    let error = flash.errors.get("message").map(str::to_owned);
    let invalid = error.is_some();
    view! {
        <form method="post" action="/appeal" class="appeal" novalidate>
            <h3>"Think this is a mistake?"</h3>
            <div class="field" class:field-invalid=invalid>
                <label for="field-message">"Tell our support team why, and they'll review your case"</label>
                <p class="field-hint" id="field-message-hint">"For example, if your name changed recently or your ID was renewed. We'll reply by email within 2 business days."</p>
                {error.map(|e| view! { <p class="field-error" id="field-message-error"><span class="visually-hidden">"Error: "</span>{e}</p> })}
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
            <button type="submit" class="button button-secondary">"Send appeal"</button>
        </form>
    }
    .into_any()
}

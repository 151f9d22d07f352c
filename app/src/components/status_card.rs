use leptos::prelude::*;

use crate::api::StatusView;
use crate::copy::{NextAction, SETTING_UP, SUPPORT_EMAIL, document_label, status_copy};

/// The applicant's status in plain words, with the one thing to do next.
#[component]
pub fn StatusCard(view: StatusView) -> impl IntoView {
    let copy = if view.provisioned {
        status_copy(&view.status)
    } else {
        SETTING_UP
    };
    let wire = view.status.as_str().to_owned();
    let action = match copy.action {
        NextAction::Verify(label) => view! {
            <form method="post" action="/verification/start">
                <button type="submit" class="button">{label}</button>
            </form>
        }
        .into_any(),
        NextAction::Wait => {
            view! { <p class="muted">"We'll show the decision here as soon as it's made."</p> }.into_any()
        }
        NextAction::UseAccount => view! { <a class="button" href="#deposit">"Make a deposit"</a> }.into_any(),
        NextAction::ContactSupport => view! {
            <a class="button button-secondary" href=format!("mailto:{SUPPORT_EMAIL}")>"Contact support"</a>
        }
        .into_any(),
    };
    let required = (!view.required_fields.is_empty()).then(|| {
        view! {
            <h3>"What LedgerOS needs"</h3>
            <ul class="required-list">
                {view.required_fields.iter().map(|f| view! { <li>{document_label(f)}</li> }).collect_view()}
            </ul>
        }
    });
    view! {
        <section class=format!("status-card tone-{}", copy.tone) aria-labelledby="status-title" data-status=wire>
            <p class="status-eyebrow">"Identity verification"</p>
            <h2 id="status-title">{copy.title}</h2>
            <p>{copy.body}</p>
            {required}
            <p class="status-next"><strong>"What happens next: "</strong>{copy.next}</p>
            {action}
        </section>
    }
}

/// Deposit and cards: open once approved, otherwise shown locked with the reason.
#[component]
pub fn AccountFeatures(approved: bool) -> impl IntoView {
    let lock_note = "Available once your identity is verified.";
    view! {
        <div class="feature-grid">
            <section id="deposit" class="feature" class:feature-locked=!approved aria-labelledby="deposit-title">
                <h2 id="deposit-title">{(!approved).then(|| view! { <span class="lock" aria-hidden="true"></span> })}"Deposit funds"</h2>
                {if approved {
                    view! {
                        <p>"Add money by bank transfer. Deposits usually arrive within one business day."</p>
                        <p class="muted">"Your account details for transfers appear here."</p>
                    }.into_any()
                } else {
                    view! { <p class="muted">{lock_note}</p> }.into_any()
                }}
            </section>
            <section id="cards" class="feature" class:feature-locked=!approved aria-labelledby="cards-title">
                <h2 id="cards-title">{(!approved).then(|| view! { <span class="lock" aria-hidden="true"></span> })}"Cards"</h2>
                {if approved {
                    view! { <p>"Create virtual cards for your agents and order a physical card."</p> }.into_any()
                } else {
                    view! { <p class="muted">{lock_note}</p> }.into_any()
                }}
            </section>
        </div>
    }
}

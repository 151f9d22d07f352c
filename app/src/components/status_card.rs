use leptos::prelude::*;

use crate::views::StatusView;
use onboarding::details::DetailField;
use onboarding::documents::DocumentType;
use onboarding::status::ApplicationStatus;

use crate::components::appeal::AppealForm;
use crate::components::document_upload::DocumentUpload;
use crate::copy::{NextAction, SUPPORT_EMAIL, card_copy, confirmed_ago};
use crate::views::Flash;

/// The applicant's status in plain words, with the one thing to do next.
#[component]
pub fn StatusCard(view: StatusView, #[prop(optional)] flash: Flash) -> impl IntoView {
    let copy = card_copy(&view.status, view.provisioned, view.returned);
    let upload_flash = flash.clone();
    let appeal = (view.status == ApplicationStatus::Denied)
        .then(|| view! { <AppealForm sent=view.appeal_sent_on.clone() answered=view.appeal_answered_on.clone() flash=flash /> });
    let wire = view.status.as_str().to_owned();
    let action = match copy.action {
        NextAction::Verify(label) => view! {
            <form method="post" action="/verification/start">
                <button type="submit" class="button">{label}</button>
            </form>
        }
        .into_any(),
        // The upload forms are the action; they sit where the list of documents would.
        NextAction::Upload => ().into_any(),
        NextAction::Wait => {
            view! { <p class="muted">"We'll show the decision here as soon as it's made."</p> }.into_any()
        }
        NextAction::UseAccount => view! { <a class="button" href="#deposit">"Make a deposit"</a> }.into_any(),
        NextAction::ContactSupport => view! {
            <a class="button button-secondary" href=format!("mailto:{SUPPORT_EMAIL}")>"Contact support"</a>
        }
        .into_any(),
    };
    let required = if copy.action == NextAction::Upload {
        Some(
            view! { <DocumentUpload required_fields=view.required_fields.clone() flash=upload_flash /> }
                .into_any(),
        )
    } else {
        (!view.required_fields.is_empty()).then(|| {
            view! {
                <h3>"What LedgerOS needs"</h3>
                <ul class="required-list">
                    {view.required_fields.iter().map(|f| {
                        let label = DocumentType::parse(f)
                            .map(DocumentType::label)
                            .or_else(|| DetailField::parse(f).map(DetailField::label))
                            .unwrap_or("Other information");
                        view! { <li>{label}</li> }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })
    };
    view! {
        <section class=format!("status-card tone-{}", copy.tone) aria-labelledby="status-title" data-status=wire>
            <p class="status-eyebrow">"Identity verification"</p>
            <h2 id="status-title">{copy.title}</h2>
            <p>{copy.body}</p>
            {required}
            <p class="status-next"><strong>"What happens next: "</strong>{copy.next}</p>
            {action}
            {appeal}
            {view.confirmed_secs_ago.map(|secs| view! { <p class="muted status-confirmed">{confirmed_ago(secs)}</p> })}
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

/// Reminder emails on or off, from the status page (the emails carry a one-click opt-out too).
#[component]
pub fn ReminderSetting(on: bool) -> impl IntoView {
    let (text, value, button) = if on {
        (
            "If your verification waits on you, we'll send up to three short reminder emails.",
            "false",
            "Turn off reminders",
        )
    } else {
        (
            "Reminder emails are off. You can turn them back on at any time.",
            "true",
            "Turn reminders on",
        )
    };
    view! {
        <section class="panel reminder-setting" aria-labelledby="reminders-title">
            <h2 id="reminders-title">"Email reminders"</h2>
            <p>{text}</p>
            <form method="post" action="/account/reminders">
                <input type="hidden" name="on" value=value />
                <button type="submit" class="button button-secondary button-small">{button}</button>
            </form>
        </section>
    }
}

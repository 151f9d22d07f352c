use leptos::prelude::*;

use crate::views::StatusView;
use onboarding::details::DetailField;
use onboarding::documents::DocumentType;
use onboarding::status::ApplicationStatus;

use crate::components::appeal::AppealForm;
use crate::components::document_upload::DocumentUpload;
use crate::copy::{NextAction, SUPPORT_EMAIL, card_copy, confirmed_ago};
use crate::i18n::{msg, tr, use_lang};
use crate::views::Flash;

/// The applicant's status in plain words, with the one thing to do next.
#[component]
pub fn StatusCard(view: StatusView, #[prop(optional)] flash: Flash) -> impl IntoView {
    let lang = use_lang();
    let copy = card_copy(
        lang,
        &view.status,
        view.provisioned,
        view.waiting_for_budget,
        view.returned,
    );
    let upload_flash = flash.clone();
    let appeal = (view.status == ApplicationStatus::Denied).then(
        || view! { <AppealForm sent=view.appeal_sent_at answered=view.appeal_answered_at flash=flash /> },
    );
    let wire = view.status.as_str().to_owned();
    let action = match copy.action.clone() {
        NextAction::Verify(label) => view! {
            <form method="post" action="/verification/start">
                <button type="submit" class="button">{label}</button>
            </form>
        }
        .into_any(),
        // The upload forms are the action; they sit where the list of documents would.
        NextAction::Upload => ().into_any(),
        NextAction::Wait => {
            view! { <p class="muted">{tr(msg::STATUS_WAIT_NOTE)}</p> }.into_any()
        }
        NextAction::UseAccount => view! { <a class="button" href="#deposit">{tr(msg::STATUS_MAKE_DEPOSIT)}</a> }.into_any(),
        NextAction::ContactSupport => view! {
            <a class="button button-secondary" href=format!("mailto:{SUPPORT_EMAIL}")>{tr(msg::STATUS_CONTACT_SUPPORT)}</a>
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
                <h3>{tr(msg::STATUS_WHAT_LEDGEROS_NEEDS)}</h3>
                <ul class="required-list">
                    {view.required_fields.iter().map(|f| {
                        let label = DocumentType::parse(f)
                            .map(|d| d.label_in(lang))
                            .or_else(|| DetailField::parse(f).map(|d| d.label_in(lang)))
                            .unwrap_or_else(|| tr(msg::STATUS_OTHER_INFORMATION));
                        view! { <li>{label}</li> }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })
    };
    view! {
        <section class=format!("status-card tone-{}", copy.tone) aria-labelledby="status-title" data-status=wire>
            <p class="status-eyebrow">{tr(msg::STATUS_EYEBROW)}</p>
            <h2 id="status-title">{copy.title}</h2>
            <p>{copy.body}</p>
            {required}
            <p class="status-next"><strong>{tr(msg::STATUS_NEXT_LABEL)}</strong>{copy.next}</p>
            {action}
            {appeal}
            {view.confirmed_secs_ago.map(|secs| view! { <p class="muted status-confirmed">{confirmed_ago(lang, secs)}</p> })}
        </section>
    }
}

/// Deposit and cards: open once approved, otherwise shown locked with the reason.
#[component]
pub fn AccountFeatures(approved: bool) -> impl IntoView {
    let lock_note = tr(msg::FEATURES_LOCKED_NOTE);
    view! {
        <div class="feature-grid">
            <section id="deposit" class="feature" class:feature-locked=!approved aria-labelledby="deposit-title">
                <h2 id="deposit-title">{(!approved).then(|| view! { <span class="lock" aria-hidden="true"></span> })}{tr(msg::FEATURES_DEPOSIT_TITLE)}</h2>
                {if approved {
                    view! {
                        <p>{tr(msg::FEATURES_DEPOSIT_BODY)}</p>
                        <p class="muted">{tr(msg::FEATURES_DEPOSIT_DETAILS)}</p>
                    }.into_any()
                } else {
                    view! { <p class="muted">{lock_note.clone()}</p> }.into_any()
                }}
            </section>
            <section id="cards" class="feature" class:feature-locked=!approved aria-labelledby="cards-title">
                <h2 id="cards-title">{(!approved).then(|| view! { <span class="lock" aria-hidden="true"></span> })}{tr(msg::FEATURES_CARDS_TITLE)}</h2>
                {if approved {
                    view! { <p>{tr(msg::FEATURES_CARDS_BODY)}</p> }.into_any()
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
        (tr(msg::REMINDERS_ON_TEXT), "false", tr(msg::REMINDERS_TURN_OFF))
    } else {
        (tr(msg::REMINDERS_OFF_TEXT), "true", tr(msg::REMINDERS_TURN_ON))
    };
    view! {
        <section class="panel reminder-setting" aria-labelledby="reminders-title">
            <h2 id="reminders-title">{tr(msg::REMINDERS_TITLE)}</h2>
            <p>{text}</p>
            <form method="post" action="/account/reminders">
                <input type="hidden" name="on" value=value />
                <button type="submit" class="button button-secondary button-small">{button}</button>
            </form>
        </section>
    }
}

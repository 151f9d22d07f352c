use leptos::prelude::*;
use onboarding::forms::FieldErrors;

use crate::i18n::{msg, tr};

/// A labelled input with its hint and error, wired for screen readers.
#[component]
pub fn Field(
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] autocomplete: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id.clone()><span class="visually-hidden">{tr(msg::FORM_ERROR_PREFIX)}</span>{e}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=true
                aria-invalid=if invalid { "true" } else { "false" }
                aria-describedby=(!described.is_empty()).then_some(described)
            />
        </div>
    }
}

/// A password input. `public/enhance.js` adds a "Show password" toggle to the row once the page
/// runs scripts; without them it is a plain password field.
#[component]
pub fn PasswordField(
    name: &'static str,
    #[prop(into)] label: String,
    autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id.clone()><span class="visually-hidden">{tr(msg::FORM_ERROR_PREFIX)}</span>{e}</p> })}
            <div class="password-row" data-password-toggle data-show-label=tr(msg::PASSWORD_SHOW) data-hide-label=tr(msg::PASSWORD_HIDE)>
                <input
                    id=id
                    name=name
                    type="password"
                    autocomplete=autocomplete
                    required=true
                    aria-invalid=if invalid { "true" } else { "false" }
                    aria-describedby=(!described.is_empty()).then_some(described)
                />
            </div>
        </div>
    }
}

/// The list of problems at the top of a form, announced and focused on arrival (`autofocus`,
/// so the focus lands on it after the post even without JavaScript); each item links to its field.
#[component]
pub fn ErrorSummary(errors: FieldErrors) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
                <h2 id="error-summary-title">{tr(msg::FORM_FIX_TITLE)}</h2>
                <ul>
                    {errors.0.into_iter().map(|e| view! {
                        <li><a href=format!("#field-{}", e.field)>{e.message}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// A one-line notice (for example after logging out), announced politely.
#[component]
pub fn Notice(message: Option<String>) -> impl IntoView {
    message.map(|m| view! { <p class="notice" role="status">{m}</p> })
}

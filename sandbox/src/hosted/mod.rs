//! The hosted verification pages behind `verificationUrl`: plain server-rendered HTML, no JS.
//!
//! | URL (token from `verificationUrl`)   | Method | Fields                                                   |
//! |--------------------------------------|--------|----------------------------------------------------------|
//! | `/verify/{token}` (`?step=N` to go back) | GET | shows the step reached, or the controls once all are done |
//! | `/verify/{token}/personal`           | POST (urlencoded) | `first_name last_name date_of_birth phone ssn` |
//! | `/verify/{token}/government-id`      | POST (multipart)  | `id_type` (passport/driversLicense/nationalId), `id_front` (file) or `use_sample_id` |
//! | `/verify/{token}/selfie`             | POST (multipart)  | `selfie` (file) or `liveness` (checkbox)       |
//! | `/verify/{token}/address`            | POST (urlencoded) | `line1 line2 city state postal_code country`   |
//! | `/verify/{token}/documents`          | POST (multipart)  | one file per required field, named after it (`proofOfAddress`…), or `use_samples` |
//! | `/verify/{token}/decision`           | POST (urlencoded) | `outcome` (approve, deny, needs_information, needs_verification, manual_review, lock), `reason`, `required_fields` (repeatable), `review_outcome` (approve/deny), `review_seconds`, `delay_seconds`, `webhooks` (normal, duplicate, late, reversed, skip), `webhook_delay_seconds` |
//!
//! A valid step answers `303` to `/verify/{token}`; an invalid one re-renders with `422` and
//! the errors. The decision answers `303` to `{app_url}/verification/return`.
//! The SSN, date of birth, phone, address and file bytes are validated and dropped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::state::{Step, User};
use super::{Decision, Inner, Outage, Outcome, WebhookMode};
use onboarding::i18n::{Key, Lang, msg, t, t_with};
use onboarding::status::ApplicationStatus;

mod decision_form;
mod input;
mod overview;
mod pages;
mod render;
mod review;

use decision_form::parse_decision;
use input::*;
pub(super) use input::{Form, check_date_of_birth, discard, plausible_email};
use overview::{index, outage, stats};
use pages::step_page;
use render::*;
use review::review_page;

pub(super) fn router() -> Router<Arc<Inner>> {
    Router::new()
        .route("/", get(index))
        .route("/outage", post(outage))
        .route("/stats", get(stats))
        .route("/healthz", get(|| async { "ok" }))
        .route("/verify/{token}", get(show))
        .route("/verify/{token}/personal", post(personal))
        .route("/verify/{token}/government-id", post(government_id))
        .route("/verify/{token}/selfie", post(selfie))
        .route("/verify/{token}/address", post(address))
        .route("/verify/{token}/documents", post(documents))
        .route("/verify/{token}/decision", post(decision))
        .layer(axum::extract::DefaultBodyLimit::max(super::api::UPLOAD_LIMIT))
}

/// Field name → message, in the order the fields appear.
type Errors = Vec<(&'static str, String)>;

const ID_TYPES: [(&str, Key); 3] = [
    ("passport", msg::DOCUMENT_PASSPORT),
    ("driversLicense", msg::DOCUMENT_DRIVERS_LICENSE),
    ("nationalId", msg::DOCUMENT_NATIONAL_ID),
];

/// What the controls page offers for "needs information".
const REQUESTABLE: [(&str, Key); 6] = [
    ("proofOfAddress", msg::DOCUMENT_PROOF_OF_ADDRESS),
    ("governmentIdBack", msg::DOCUMENT_GOVERNMENT_ID_BACK),
    ("selfie", msg::DOCUMENT_SELFIE),
    ("passport", msg::DOCUMENT_PASSPORT),
    ("driversLicense", msg::DOCUMENT_DRIVERS_LICENSE),
    ("nationalId", msg::DOCUMENT_NATIONAL_ID),
];

const DENIAL_REASONS: [&str; 4] = [
    "Identity could not be verified",
    "Document appears fraudulent",
    "Sanctions list match",
    "High-risk jurisdiction",
];

const MAX_DELAY_SECS: u64 = 24 * 60 * 60;

/// The hosted page's language: the one it was opened in (`?lang=`, saved on the user), else
/// the browser's `Accept-Language`, else English. The operator's overview stays in English.
fn language(user: Option<&User>, headers: &HeaderMap) -> Lang {
    user.and_then(|user| user.lang).unwrap_or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or_default()
    })
}

/// [`language`] for the user of `token`.
fn hosted_language(inner: &Inner, token: &str, headers: &HeaderMap) -> Lang {
    let mut state = inner.state();
    language(state.user_by_token(token).map(|user| &*user), headers)
}

// ---------------------------------------------------------------------------------------
// Handlers

async fn show(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut state = inner.state();
    let Some(user) = state.user_by_token(&token) else {
        return invalid_link(language(None, &headers));
    };
    if let Some(lang) = query.get("lang").and_then(|code| Lang::parse(code)) {
        user.lang = Some(lang);
    }
    let lang = language(Some(user), &headers);
    let requested = query
        .get("step")
        .and_then(|s| s.parse::<u8>().ok())
        .and_then(Step::from_number);
    let step = match requested {
        Some(step) if step <= user.step => step,
        _ => user.step,
    };
    if step == Step::Review {
        review_page(lang, &inner, &token, user, StatusCode::OK, &Form::default(), &[])
    } else {
        step_page(lang, &token, user, step, StatusCode::OK, &Form::default(), &[])
    }
}

async fn personal(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = hosted_language(&inner, &token, &headers);
    let mut form = Form::parse(&body);
    let mut errors = Errors::new();
    // The tax id is checked and dropped here: never stored, logged or echoed back.
    if let Err(message) = check_tax_id(&form.take("ssn")) {
        errors.push(("ssn", t(lang, message)));
    }
    let mut names = [
        ("first_name", msg::HOSTED_ERROR_FIRST_NAME),
        ("last_name", msg::HOSTED_ERROR_LAST_NAME),
    ]
    .map(|(name, missing)| {
        let value = form.get(name).to_owned();
        if value.is_empty() {
            errors.push((name, t(lang, missing)));
        }
        value
    });
    match form.get("date_of_birth") {
        "" => errors.push(("date_of_birth", t(lang, msg::HOSTED_ERROR_DATE_OF_BIRTH))),
        date => {
            if let Err(message) = check_date_of_birth(date) {
                errors.push(("date_of_birth", t(lang, message)));
            }
        }
    }
    if let Err(message) = check_phone(form.get("phone")) {
        errors.push(("phone", t(lang, message)));
    }
    sort_errors(
        &mut errors,
        &["first_name", "last_name", "date_of_birth", "phone", "ssn"],
    );
    complete_step(lang, &inner, &token, Step::Personal, &form, errors, |user| {
        user.first_name = std::mem::take(&mut names[0]);
        user.last_name = std::mem::take(&mut names[1]);
    })
}

async fn government_id(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = hosted_language(&inner, &token, &headers);
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(message) => return bad_request(lang, &message),
    };
    let mut errors = Errors::new();
    let id_type = upload.form.get("id_type");
    if !ID_TYPES.iter().any(|(value, _)| *value == id_type) {
        errors.push(("id_type", t(lang, msg::HOSTED_ERROR_ID_TYPE)));
    }
    if !upload.has_file("id_front") && !upload.form.checked("use_sample_id") {
        errors.push(("id_front", t(lang, msg::HOSTED_ERROR_ID_FRONT)));
    }
    let id_type = id_type.to_owned();
    complete_step(
        lang,
        &inner,
        &token,
        Step::GovernmentId,
        &upload.form,
        errors,
        |user| {
            user.receive_document(&id_type);
        },
    )
}

async fn selfie(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = hosted_language(&inner, &token, &headers);
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(message) => return bad_request(lang, &message),
    };
    let mut errors = Errors::new();
    if !upload.has_file("selfie") && !upload.form.checked("liveness") {
        errors.push(("selfie", t(lang, msg::HOSTED_ERROR_SELFIE)));
    }
    complete_step(lang, &inner, &token, Step::Selfie, &upload.form, errors, |user| {
        user.receive_document("selfie");
    })
}

async fn address(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = hosted_language(&inner, &token, &headers);
    let form = Form::parse(&body);
    let mut errors = Errors::new();
    for (name, message) in [
        ("line1", msg::HOSTED_ERROR_LINE1),
        ("city", msg::HOSTED_ERROR_CITY),
        ("state", msg::HOSTED_ERROR_REGION),
        ("postal_code", msg::HOSTED_ERROR_POSTAL_CODE),
    ] {
        if form.get(name).is_empty() {
            errors.push((name, t(lang, message)));
        }
    }
    let country = form.get("country");
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        errors.push(("country", t(lang, msg::HOSTED_ERROR_COUNTRY)));
    }
    // The address itself is not kept: the sandbox has no use for it.
    complete_step(lang, &inner, &token, Step::Address, &form, errors, |user| {
        if user.status == ApplicationStatus::NeedsVerification {
            user.status = ApplicationStatus::Pending;
            tracing::info!(user_id = %user.id, "sandbox: re-verification completed, now pending");
        }
    })
}

async fn documents(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = hosted_language(&inner, &token, &headers);
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(message) => return bad_request(lang, &message),
    };
    let mut state = inner.state();
    let Some(user) = state.user_by_token(&token) else {
        return invalid_link(lang);
    };
    let wanted: Vec<String> = user
        .required_fields
        .iter()
        .filter(|f| upload.form.checked("use_samples") || upload.has_file(f))
        .cloned()
        .collect();
    if wanted.is_empty() {
        let errors = [("documents", t(lang, msg::HOSTED_ERROR_DOCUMENTS))];
        return review_page(
            lang,
            &inner,
            &token,
            user,
            StatusCode::UNPROCESSABLE_ENTITY,
            &Form::default(),
            &errors,
        );
    }
    for field in &wanted {
        user.receive_document(field);
    }
    tracing::info!(user_id = %user.id, documents = ?wanted, "sandbox: documents uploaded on the hosted page");
    Redirect::to(&verify_path(&token)).into_response()
}

async fn decision(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let (user_id, decision) = {
        let mut state = inner.state();
        let Some(user) = state.user_by_token(&token) else {
            return invalid_link(language(None, &headers));
        };
        if user.step != Step::Review {
            return Redirect::to(&verify_path(&token)).into_response();
        }
        let lang = language(Some(user), &headers);
        match parse_decision(&form, lang) {
            Ok(decision) => (user.id.clone(), decision),
            Err(errors) => {
                return review_page(
                    lang,
                    &inner,
                    &token,
                    user,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &form,
                    &errors,
                );
            }
        }
    };
    if let Err(error) = inner.decide(&user_id, decision) {
        return bad_request(hosted_language(&inner, &token, &headers), &error.to_string());
    }
    Redirect::to(&inner.config.return_url()).into_response()
}

/// Re-renders `step` with the errors, or applies `update` and moves on.
fn complete_step(
    lang: Lang,
    inner: &Inner,
    token: &str,
    step: Step,
    values: &Form,
    errors: Errors,
    update: impl FnOnce(&mut User),
) -> Response {
    let mut state = inner.state();
    let Some(user) = state.user_by_token(token) else {
        return invalid_link(lang);
    };
    if user.step < step {
        // Not reached yet (e.g. a stale tab): show where the user really is.
        return Redirect::to(&verify_path(token)).into_response();
    }
    if !errors.is_empty() {
        return step_page(
            lang,
            token,
            user,
            step,
            StatusCode::UNPROCESSABLE_ENTITY,
            values,
            &errors,
        );
    }
    update(user);
    user.step = user.step.max(step.next());
    tracing::info!(user_id = %user.id, step = step.number(), "sandbox: hosted step completed");
    Redirect::to(&verify_path(token)).into_response()
}

fn sort_errors(errors: &mut Errors, order: &[&str]) {
    errors.sort_by_key(|(name, _)| order.iter().position(|o| o == name).unwrap_or(usize::MAX));
}

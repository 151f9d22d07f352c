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

mod input;
mod pages;
mod render;

use input::*;
pub(super) use input::{Form, check_date_of_birth, discard, plausible_email};
use pages::{review_page, step_page};
use render::*;

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

async fn index(State(inner): State<Arc<Inner>>) -> Response {
    let state = inner.state();
    let mut users: Vec<&User> = state.users.values().collect();
    users.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let mut main = String::from(
        "<h1>LedgerOS Sandbox</h1><p>A simulated LedgerOS for demos and tests. \
         The app talks to its API; users verify on its hosted pages.</p>",
    );
    if users.is_empty() {
        main.push_str("<p>No users yet. Sign up in the app to create one.</p>");
    } else {
        main.push_str(
            "<table><caption class=\"visually-hidden\">Users</caption><thead><tr><th scope=\"col\">Name</th>\
             <th scope=\"col\">User id</th><th scope=\"col\">Status</th><th scope=\"col\">Verification</th></tr></thead><tbody>",
        );
        for user in users {
            let link = match &user.token {
                Some(token) => format!("<a href=\"/verify/{}\">Open</a>", esc(token)),
                None => "Not initiated".to_owned(),
            };
            let _ = write!(
                main,
                "<tr><td>{} {}</td><td><code>{}</code></td><td>{}</td><td>{link}</td></tr>",
                esc(&user.first_name),
                esc(&user.last_name),
                esc(&user.id),
                esc(user.status.label()),
            );
        }
        main.push_str("</tbody></table>");
    }
    let mode = inner.outage();
    let _ = write!(
        main,
        "<h2>Outage switch</h2><p>While on, every API call from the app gets <code>503</code> (or <code>429</code> \
         with <code>Retry-After</code>, as LedgerOS's rate limit answers), so you can show that signups still work \
         and verification is set up once LedgerOS is back. Hosted pages keep working.</p>\
         <p>The API is <strong>{}</strong>.</p>",
        match mode {
            Outage::Up => "up",
            Outage::Unavailable => "down (answering 503)",
            Outage::Throttled => "throttled (answering 429)",
        },
    );
    if mode == Outage::Up {
        main.push_str(
            "<form method=\"post\" action=\"/outage\" class=\"inline\"><input type=\"hidden\" name=\"on\" value=\"true\">\
             <button type=\"submit\">Start an outage</button></form> \
             <form method=\"post\" action=\"/outage\" class=\"inline\"><input type=\"hidden\" name=\"on\" value=\"true\">\
             <input type=\"hidden\" name=\"mode\" value=\"429\"><button type=\"submit\">Throttle the API (429)</button></form>",
        );
    } else {
        main.push_str(
            "<form method=\"post\" action=\"/outage\"><input type=\"hidden\" name=\"on\" value=\"false\">\
             <button type=\"submit\">End the outage</button></form>",
        );
    }
    page(Lang::En, StatusCode::OK, "Overview", &main)
}

#[derive(serde::Deserialize)]
struct OutageForm {
    on: bool,
    /// `503` (the default) or `429`.
    #[serde(default)]
    mode: Option<String>,
}

/// The demo's outage switch, the same as [`super::Sandbox::set_outage_mode`].
async fn outage(State(inner): State<Arc<Inner>>, axum::Form(form): axum::Form<OutageForm>) -> Response {
    let mode = match (form.on, form.mode.as_deref()) {
        (false, _) => Outage::Up,
        (true, Some("429")) => Outage::Throttled,
        (true, _) => Outage::Unavailable,
    };
    inner.set_outage(mode);
    Redirect::to("/").into_response()
}

/// What the sandbox has seen, for harnesses that run the app as its own process: the outage
/// mode, request and replay counts, and each LedgerOS user's email and id (demo data only).
async fn stats(State(inner): State<Arc<Inner>>) -> Response {
    let state = inner.state();
    let users: Vec<serde_json::Value> = state
        .users
        .values()
        .map(|u| {
            serde_json::json!({
                "id": u.id,
                "email": u.email,
                "createdAt": u.created_at,
                "verificationStarted": u.token.is_some(),
            })
        })
        .collect();
    axum::Json(serde_json::json!({
        "outage": inner.outage().as_str(),
        "apiRequests": inner.api_requests.load(std::sync::atomic::Ordering::SeqCst),
        "idempotentReplays": inner.replays.load(std::sync::atomic::Ordering::SeqCst),
        "users": users,
    }))
    .into_response()
}

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

fn parse_decision(form: &Form, lang: Lang) -> Result<Decision, Errors> {
    let mut errors = Errors::new();
    let reason = || {
        let reason = form.get("reason");
        if reason.is_empty() {
            Err(("reason", t(lang, msg::HOSTED_ERROR_REASON)))
        } else {
            Ok(reason.to_owned())
        }
    };
    let outcome = match form.get("outcome") {
        "approve" => Some(Outcome::Approve),
        "deny" => reason()
            .map(|reason| Outcome::Deny { reason })
            .map_err(|e| errors.push(e))
            .ok(),
        "needs_information" => {
            let required_fields: Vec<String> = form
                .all("required_fields")
                .filter(|f| REQUESTABLE.iter().any(|(value, _)| value == f))
                .map(str::to_owned)
                .collect();
            if required_fields.is_empty() {
                errors.push(("required_fields", t(lang, msg::HOSTED_ERROR_REQUEST)));
                None
            } else {
                Some(Outcome::NeedsInformation { required_fields })
            }
        }
        "needs_verification" => Some(Outcome::NeedsVerification),
        "manual_review" => {
            let after = seconds(form, "review_seconds", 10, lang, &mut errors);
            let then = match form.get("review_outcome") {
                "" | "approve" => Some(Outcome::Approve),
                "deny" => reason()
                    .map(|reason| Outcome::Deny { reason })
                    .map_err(|e| errors.push(e))
                    .ok(),
                _ => {
                    errors.push(("review_outcome", t(lang, msg::HOSTED_ERROR_REVIEW_OUTCOME)));
                    None
                }
            };
            then.map(|then| Outcome::ManualReview {
                then: Box::new(then),
                after,
            })
        }
        "lock" => Some(Outcome::Lock),
        _ => {
            errors.push(("outcome", t(lang, msg::HOSTED_ERROR_OUTCOME)));
            None
        }
    };
    let delay = seconds(form, "delay_seconds", 0, lang, &mut errors);
    let webhooks = match form.get("webhooks") {
        "" | "normal" => WebhookMode::Normal,
        "duplicate" => WebhookMode::Duplicate,
        "late" => WebhookMode::Late(seconds(form, "webhook_delay_seconds", 5, lang, &mut errors)),
        "reversed" => WebhookMode::Reversed,
        "skip" => WebhookMode::Skip,
        _ => {
            errors.push(("webhooks", t(lang, msg::HOSTED_ERROR_DELIVERY)));
            WebhookMode::Normal
        }
    };
    sort_errors(
        &mut errors,
        &[
            "outcome",
            "reason",
            "required_fields",
            "review_outcome",
            "review_seconds",
            "delay_seconds",
            "webhooks",
            "webhook_delay_seconds",
        ],
    );
    match outcome {
        Some(outcome) if errors.is_empty() => Ok(Decision {
            outcome,
            delay,
            webhooks,
        }),
        _ => Err(errors),
    }
}

/// A whole number of seconds from 0 to a day; blank means `default`.
fn seconds(form: &Form, name: &'static str, default: u64, lang: Lang, errors: &mut Errors) -> Duration {
    let value = form.get(name);
    if value.is_empty() {
        return Duration::from_secs(default);
    }
    match value.parse::<u64>() {
        Ok(secs) if secs <= MAX_DELAY_SECS => Duration::from_secs(secs),
        _ => {
            let max = i64::try_from(MAX_DELAY_SECS).unwrap_or(i64::MAX);
            errors.push((
                name,
                t_with(lang, msg::HOSTED_ERROR_SECONDS, &[("max", max.into())]),
            ));
            Duration::from_secs(default)
        }
    }
}

fn sort_errors(errors: &mut Errors, order: &[&str]) {
    errors.sort_by_key(|(name, _)| order.iter().position(|o| o == name).unwrap_or(usize::MAX));
}

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
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::state::{Step, User};
use super::{Decision, Inner, Outcome, WebhookMode};
use crate::status::ApplicationStatus;

pub(super) fn router() -> Router<Arc<Inner>> {
    Router::new()
        .route("/", get(index))
        .route("/outage", post(outage))
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

const ID_TYPES: [(&str, &str); 3] = [
    ("passport", "Passport"),
    ("driversLicense", "Driver's license"),
    ("nationalId", "National ID card"),
];

/// What the controls page offers for "needs information".
const REQUESTABLE: [(&str, &str); 6] = [
    ("proofOfAddress", "Proof of address"),
    ("governmentIdBack", "Back of government ID"),
    ("selfie", "Selfie"),
    ("passport", "Passport"),
    ("driversLicense", "Driver's license"),
    ("nationalId", "National ID card"),
];

const DENIAL_REASONS: [&str; 4] = [
    "Identity could not be verified",
    "Document appears fraudulent",
    "Sanctions list match",
    "High-risk jurisdiction",
];

const MAX_DELAY_SECS: u64 = 24 * 60 * 60;

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
    let down = inner.outage.load(std::sync::atomic::Ordering::SeqCst);
    let _ = write!(
        main,
        "<h2>Outage switch</h2><p>While on, every API call from the app gets <code>503</code>, so you can show \
         that signups still work and verification is set up once LedgerOS is back. Hosted pages keep working.</p>\
         <p>The API is <strong>{}</strong>.</p>\
         <form method=\"post\" action=\"/outage\"><input type=\"hidden\" name=\"on\" value=\"{}\">\
         <button type=\"submit\">{}</button></form>",
        if down { "down (answering 503)" } else { "up" },
        if down { "false" } else { "true" },
        if down { "End the outage" } else { "Start an outage" },
    );
    page(StatusCode::OK, "Overview", &main)
}

#[derive(serde::Deserialize)]
struct OutageForm {
    on: bool,
}

/// The demo's outage switch, the same as [`super::Sandbox::set_outage`].
async fn outage(State(inner): State<Arc<Inner>>, axum::Form(form): axum::Form<OutageForm>) -> Response {
    tracing::info!(on = form.on, "sandbox: outage switch");
    inner.outage.store(form.on, std::sync::atomic::Ordering::SeqCst);
    Redirect::to("/").into_response()
}

async fn show(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut state = inner.state();
    let Some(user) = state.user_by_token(&token) else {
        return invalid_link();
    };
    let requested = query
        .get("step")
        .and_then(|s| s.parse::<u8>().ok())
        .and_then(Step::from_number);
    let step = match requested {
        Some(step) if step <= user.step => step,
        _ => user.step,
    };
    if step == Step::Review {
        review_page(&inner, &token, user, StatusCode::OK, &Form::default(), &[], &[])
    } else {
        step_page(&token, user, step, StatusCode::OK, &Form::default(), &[])
    }
}

async fn personal(State(inner): State<Arc<Inner>>, Path(token): Path<String>, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let mut errors = Errors::new();
    // The tax id is checked and dropped here: never stored, logged or echoed back.
    if let Err(message) = check_tax_id(&form.take("ssn")) {
        errors.push(("ssn", message));
    }
    let mut names = [("first_name", "first"), ("last_name", "last")].map(|(name, which)| {
        let value = form.get(name).to_owned();
        if value.is_empty() {
            errors.push((name, format!("Enter your legal {which} name")));
        }
        value
    });
    match form.get("date_of_birth") {
        "" => errors.push(("date_of_birth", "Enter your date of birth".into())),
        date => {
            if let Err(message) = check_date_of_birth(date) {
                errors.push(("date_of_birth", message));
            }
        }
    }
    if let Err(message) = check_phone(form.get("phone")) {
        errors.push(("phone", message));
    }
    sort_errors(
        &mut errors,
        &["first_name", "last_name", "date_of_birth", "phone", "ssn"],
    );
    complete_step(&inner, &token, Step::Personal, &form, errors, |user| {
        user.first_name = std::mem::take(&mut names[0]);
        user.last_name = std::mem::take(&mut names[1]);
    })
}

async fn government_id(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(message) => return bad_request(&message),
    };
    let mut errors = Errors::new();
    let id_type = upload.form.get("id_type");
    if !ID_TYPES.iter().any(|(value, _)| *value == id_type) {
        errors.push(("id_type", "Choose the type of ID".into()));
    }
    if !upload.has_file("id_front") && !upload.form.checked("use_sample_id") {
        errors.push((
            "id_front",
            "Upload the front of your ID, or use the sample ID".into(),
        ));
    }
    let id_type = id_type.to_owned();
    complete_step(&inner, &token, Step::GovernmentId, &upload.form, errors, |user| {
        user.receive_document(&id_type);
    })
}

async fn selfie(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(message) => return bad_request(&message),
    };
    let mut errors = Errors::new();
    if !upload.has_file("selfie") && !upload.form.checked("liveness") {
        errors.push((
            "selfie",
            "Upload a selfie, or tick \u{201c}Take selfie (simulated)\u{201d}".into(),
        ));
    }
    complete_step(&inner, &token, Step::Selfie, &upload.form, errors, |user| {
        user.receive_document("selfie");
    })
}

async fn address(State(inner): State<Arc<Inner>>, Path(token): Path<String>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let mut errors = Errors::new();
    for (name, message) in [
        ("line1", "Enter the first line of your street address"),
        ("city", "Enter your city or town"),
        ("state", "Enter your state, province or region"),
        ("postal_code", "Enter your postal code"),
    ] {
        if form.get(name).is_empty() {
            errors.push((name, message.into()));
        }
    }
    let country = form.get("country");
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        errors.push(("country", "Enter a two-letter country code, like US".into()));
    }
    // The address itself is not kept: the sandbox has no use for it.
    complete_step(&inner, &token, Step::Address, &form, errors, |user| {
        if user.status == ApplicationStatus::NeedsVerification {
            user.status = ApplicationStatus::Pending;
            tracing::info!(user_id = %user.id, "sandbox: re-verification completed, now pending");
        }
    })
}

async fn documents(
    State(inner): State<Arc<Inner>>,
    Path(token): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(message) => return bad_request(&message),
    };
    let mut state = inner.state();
    let Some(user) = state.user_by_token(&token) else {
        return invalid_link();
    };
    let wanted: Vec<String> = user
        .required_fields
        .iter()
        .filter(|f| upload.form.checked("use_samples") || upload.has_file(f))
        .cloned()
        .collect();
    if wanted.is_empty() {
        let errors = [(
            "documents",
            "Choose at least one file to upload, or use sample documents".to_owned(),
        )];
        return review_page(
            &inner,
            &token,
            user,
            StatusCode::UNPROCESSABLE_ENTITY,
            &Form::default(),
            &[],
            &errors,
        );
    }
    for field in &wanted {
        user.receive_document(field);
    }
    tracing::info!(user_id = %user.id, documents = ?wanted, "sandbox: documents uploaded on the hosted page");
    Redirect::to(&verify_path(&token)).into_response()
}

async fn decision(State(inner): State<Arc<Inner>>, Path(token): Path<String>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let (user_id, decision) = {
        let mut state = inner.state();
        let Some(user) = state.user_by_token(&token) else {
            return invalid_link();
        };
        if user.step != Step::Review {
            return Redirect::to(&verify_path(&token)).into_response();
        }
        match parse_decision(&form) {
            Ok(decision) => (user.id.clone(), decision),
            Err(errors) => {
                return review_page(
                    &inner,
                    &token,
                    user,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &form,
                    &errors,
                    &[],
                );
            }
        }
    };
    if let Err(error) = inner.decide(&user_id, decision) {
        return bad_request(&error.to_string());
    }
    Redirect::to(&inner.config.return_url()).into_response()
}

/// Re-renders `step` with the errors, or applies `update` and moves on.
fn complete_step(
    inner: &Inner,
    token: &str,
    step: Step,
    values: &Form,
    errors: Errors,
    update: impl FnOnce(&mut User),
) -> Response {
    let mut state = inner.state();
    let Some(user) = state.user_by_token(token) else {
        return invalid_link();
    };
    if user.step < step {
        // Not reached yet (e.g. a stale tab): show where the user really is.
        return Redirect::to(&verify_path(token)).into_response();
    }
    if !errors.is_empty() {
        return step_page(
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

fn parse_decision(form: &Form) -> Result<Decision, Errors> {
    let mut errors = Errors::new();
    let reason = || {
        let reason = form.get("reason");
        if reason.is_empty() {
            Err(("reason", "Enter a reason for the denial".to_owned()))
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
                errors.push((
                    "required_fields",
                    "Choose at least one document to request".into(),
                ));
                None
            } else {
                Some(Outcome::NeedsInformation { required_fields })
            }
        }
        "needs_verification" => Some(Outcome::NeedsVerification),
        "manual_review" => {
            let after = seconds(form, "review_seconds", 10, &mut errors);
            let then = match form.get("review_outcome") {
                "" | "approve" => Some(Outcome::Approve),
                "deny" => reason()
                    .map(|reason| Outcome::Deny { reason })
                    .map_err(|e| errors.push(e))
                    .ok(),
                _ => {
                    errors.push(("review_outcome", "Choose approve or deny after the review".into()));
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
            errors.push(("outcome", "Choose an outcome".into()));
            None
        }
    };
    let delay = seconds(form, "delay_seconds", 0, &mut errors);
    let webhooks = match form.get("webhooks") {
        "" | "normal" => WebhookMode::Normal,
        "duplicate" => WebhookMode::Duplicate,
        "late" => WebhookMode::Late(seconds(form, "webhook_delay_seconds", 5, &mut errors)),
        "reversed" => WebhookMode::Reversed,
        "skip" => WebhookMode::Skip,
        _ => {
            errors.push(("webhooks", "Choose how webhooks are delivered".into()));
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
fn seconds(form: &Form, name: &'static str, default: u64, errors: &mut Errors) -> Duration {
    let value = form.get(name);
    if value.is_empty() {
        return Duration::from_secs(default);
    }
    match value.parse::<u64>() {
        Ok(secs) if secs <= MAX_DELAY_SECS => Duration::from_secs(secs),
        _ => {
            errors.push((
                name,
                format!("Enter a whole number of seconds from 0 to {MAX_DELAY_SECS}"),
            ));
            Duration::from_secs(default)
        }
    }
}

fn sort_errors(errors: &mut Errors, order: &[&str]) {
    errors.sort_by_key(|(name, _)| order.iter().position(|o| o == name).unwrap_or(usize::MAX));
}

// ---------------------------------------------------------------------------------------
// Validation shared with the API

pub(super) fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// `YYYY-MM-DD`, in the past, and at least 18 years ago.
pub(super) fn check_date_of_birth(value: &str) -> Result<(), String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(value.trim(), &format)
        .map_err(|_| "Enter a real date in the form YYYY-MM-DD".to_owned())?;
    let today = time::OffsetDateTime::now_utc().date();
    if date.year() < 1900 || date > today {
        return Err("Enter a real date of birth".into());
    }
    let before_birthday = (u8::from(today.month()), today.day()) < (u8::from(date.month()), date.day());
    let age = today.year() - date.year() - i32::from(before_birthday);
    if age < 18 {
        return Err("You must be at least 18 years old".into());
    }
    Ok(())
}

fn check_phone(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("Enter your phone number".into());
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !value.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) || !(7..=15).contains(&digits) {
        return Err("Enter a phone number with 7 to 15 digits, like +1 555 010 0100".into());
    }
    Ok(())
}

fn check_tax_id(value: &str) -> Result<(), String> {
    let compact: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if compact.is_empty() {
        return Err("Enter your SSN or tax ID".into());
    }
    if !(6..=20).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("Enter a valid SSN (9 digits, like 123-45-6789) or tax ID".into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Form bodies

/// An `application/x-www-form-urlencoded` body (repeated names allowed), or the text parts
/// of a multipart one. Values are trimmed.
#[derive(Default)]
pub(super) struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        let pairs = body
            .split(|b| *b == b'&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = match pair.iter().position(|b| *b == b'=') {
                    Some(at) => (&pair[..at], &pair[at + 1..]),
                    None => (pair, &[][..]),
                };
                (percent_decode(name), percent_decode(value).trim().to_owned())
            })
            .collect();
        Form(pairs)
    }

    /// The first value for `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// Removes every value for `name`, returning the first.
    fn take(&mut self, name: &str) -> String {
        let value = self.get(name).to_owned();
        self.0.retain(|(n, _)| n != name);
        value
    }
}

fn percent_decode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < input.len() => {
                let hex = std::str::from_utf8(&input[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A multipart form: text parts as a [`Form`], files as their size only.
struct Upload {
    form: Form,
    file_sizes: HashMap<String, u64>,
}

impl Upload {
    fn has_file(&self, name: &str) -> bool {
        self.file_sizes.get(name).is_some_and(|size| *size > 0)
    }
}

async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> Result<Upload, String> {
    let mut multipart = multipart.map_err(|rejection| format!("Expected a multipart form: {rejection}"))?;
    let mut upload = Upload {
        form: Form::default(),
        file_sizes: HashMap::new(),
    };
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() {
            let size = discard(field).await?;
            *upload.file_sizes.entry(name).or_default() += size;
        } else {
            let text = field.text().await.map_err(|e| e.body_text())?;
            upload.form.0.push((name, text.trim().to_owned()));
        }
    }
    Ok(upload)
}

/// Reads a part to the end, keeping nothing but its size.
pub(super) async fn discard(mut field: Field<'_>) -> Result<u64, String> {
    let mut size = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
        size += chunk.len() as u64;
    }
    Ok(size)
}

// ---------------------------------------------------------------------------------------
// Rendering

fn verify_path(token: &str) -> String {
    format!("/verify/{token}")
}

pub(super) use crate::html::escape as esc;

fn page(status: StatusCode, title: &str, main: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} \u{b7} LedgerOS Sandbox</title><style>{CSS}</style></head><body>\
         <header class=\"banner\"><strong>LedgerOS Sandbox</strong> \u{b7} Test environment: no real identity \
         check happens, and nothing you enter is kept.</header>\
         <main>{main}</main></body></html>",
        title = esc(title),
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn invalid_link() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Link not valid",
        "<h1>This verification link is not valid</h1>\
         <p>Go back to the app and open the verification again to get a fresh link.</p>",
    )
}

fn bad_request(message: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "Something went wrong",
        &format!("<h1>Something went wrong</h1><p>{}</p>", esc(message)),
    )
}

fn error_summary(errors: &[(&'static str, String)]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut html = String::from(
        "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\">\
         <h2 id=\"error-summary-title\">There is a problem</h2><ul>",
    );
    for (name, message) in errors {
        let _ = write!(html, "<li><a href=\"#f-{name}\">{}</a></li>", esc(message));
    }
    html.push_str("</ul></div>");
    html
}

fn error_for<'a>(errors: &'a [(&'static str, String)], name: &str) -> Option<&'a str> {
    errors.iter().find(|(n, _)| *n == name).map(|(_, m)| m.as_str())
}

/// Opening of a form field: wrapper, label, hint and error; returns it with the
/// `aria-describedby` / `aria-invalid` attributes for the control.
fn field_start(
    name: &str,
    label: &str,
    hint: Option<&str>,
    errors: &[(&'static str, String)],
) -> (String, String) {
    let error = error_for(errors, name);
    let mut html = format!(
        "<div class=\"field{}\"><label for=\"f-{name}\">{}</label>",
        if error.is_some() { " invalid" } else { "" },
        esc(label)
    );
    let mut described = Vec::new();
    if let Some(hint) = hint {
        let _ = write!(html, "<p class=\"hint\" id=\"f-{name}-hint\">{}</p>", esc(hint));
        described.push(format!("f-{name}-hint"));
    }
    if let Some(error) = error {
        let _ = write!(
            html,
            "<p class=\"field-error\" id=\"f-{name}-error\"><span class=\"visually-hidden\">Error: </span>{}</p>",
            esc(error)
        );
        described.push(format!("f-{name}-error"));
    }
    let mut attrs = String::new();
    if !described.is_empty() {
        let _ = write!(attrs, " aria-describedby=\"{}\"", described.join(" "));
    }
    if error.is_some() {
        attrs.push_str(" aria-invalid=\"true\"");
    }
    (html, attrs)
}

struct Input<'a> {
    name: &'static str,
    label: &'a str,
    kind: &'a str,
    value: &'a str,
    autocomplete: &'a str,
    hint: Option<&'a str>,
    /// Marks the control `required` (forms are `novalidate`: the server does the checking).
    required: bool,
    extra: &'a str,
}

impl<'a> Input<'a> {
    fn new(name: &'static str, label: &'a str, value: &'a str, autocomplete: &'a str) -> Self {
        Input {
            name,
            label,
            kind: "text",
            value,
            autocomplete,
            hint: None,
            required: true,
            extra: "",
        }
    }

    fn render(&self, errors: &[(&'static str, String)]) -> String {
        let (mut html, attrs) = field_start(self.name, self.label, self.hint, errors);
        let _ = write!(
            html,
            "<input id=\"f-{name}\" name=\"{name}\" type=\"{kind}\" value=\"{value}\" autocomplete=\"{ac}\"{req}{attrs} {extra}></div>",
            name = self.name,
            kind = self.kind,
            value = esc(self.value),
            ac = self.autocomplete,
            req = if self.required { " required" } else { "" },
            extra = self.extra,
        );
        html
    }
}

fn file_input(
    name: &str,
    label: &str,
    hint: &str,
    accept: &str,
    errors: &[(&'static str, String)],
) -> String {
    let (mut html, attrs) = field_start(name, label, Some(hint), errors);
    let _ = write!(
        html,
        "<input id=\"f-{name}\" name=\"{name}\" type=\"file\" accept=\"{accept}\"{attrs}></div>"
    );
    html
}

/// A radio button or checkbox with its label.
fn choice(kind: &str, name: &str, value: &str, label: &str, checked: bool) -> String {
    format!(
        "<div class=\"choice\"><input type=\"{kind}\" id=\"f-{name}-{value}\" name=\"{name}\" value=\"{value}\"{}>\
         <label for=\"f-{name}-{value}\">{}</label></div>",
        if checked { " checked" } else { "" },
        esc(label),
    )
}

/// A group of radios or checkboxes, with its legend and error.
fn choices(name: &str, legend: &str, body: &str, errors: &[(&'static str, String)]) -> String {
    let error = error_for(errors, name).map_or(String::new(), |e| {
        format!(
            "<p class=\"field-error\"><span class=\"visually-hidden\">Error: </span>{}</p>",
            esc(e)
        )
    });
    format!(
        "<fieldset id=\"f-{name}\" class=\"{}\"><legend>{}</legend>{error}{body}</fieldset>",
        if error.is_empty() { "" } else { "invalid" },
        esc(legend)
    )
}

fn progress(token: &str, user: &User, current: Step) -> String {
    let mut html = format!(
        "<p class=\"progress\">Step {} of 4</p><nav aria-label=\"Verification steps\"><ol class=\"steps\">",
        current.number()
    );
    for step in Step::FORM_STEPS {
        let done = step < user.step;
        let class = if done { " class=\"done\"" } else { "" };
        let current_attr = if step == current {
            " aria-current=\"step\""
        } else {
            ""
        };
        let title = step.title();
        let done_text = if done {
            "<span class=\"visually-hidden\"> (done)</span>"
        } else {
            ""
        };
        if step <= user.step && step != current {
            let _ = write!(
                html,
                "<li{class}><a href=\"/verify/{}?step={}\">{title}</a>{done_text}</li>",
                esc(token),
                step.number()
            );
        } else {
            let _ = write!(html, "<li{class}{current_attr}>{title}{done_text}</li>");
        }
    }
    html.push_str("</ol></nav>");
    html
}

fn step_page(
    token: &str,
    user: &User,
    step: Step,
    status: StatusCode,
    values: &Form,
    errors: &[(&'static str, String)],
) -> Response {
    let token_attr = esc(token);
    let value = |name: &str, fallback: &str| -> String {
        if !errors.is_empty() && values.contains(name) {
            values.get(name).to_owned()
        } else {
            fallback.to_owned()
        }
    };
    let mut main = progress(token, user, step);
    let _ = write!(main, "<h1>{}</h1>", step.title());
    main.push_str(&error_summary(errors));
    let back = match step.number() {
        1 => String::new(),
        n => format!("<a href=\"/verify/{token_attr}?step={}\">Back</a>", n - 1),
    };
    match step {
        Step::Personal => {
            let first = value("first_name", &user.first_name);
            let last = value("last_name", &user.last_name);
            let dob = value("date_of_birth", "");
            let phone = value("phone", "");
            let _ = write!(
                main,
                "<p>We need a few details to confirm who you are. Use your name exactly as it appears on your ID.</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/personal\" novalidate>{}{}{}{}{}\
                 <div class=\"actions\"><button type=\"submit\">Continue</button></div></form>",
                Input::new("first_name", "Legal first name", &first, "given-name").render(errors),
                Input::new("last_name", "Legal last name", &last, "family-name").render(errors),
                Input { kind: "date", hint: Some("For example 1990-04-27"), ..Input::new("date_of_birth", "Date of birth", &dob, "bday") }
                    .render(errors),
                Input { kind: "tel", hint: Some("Include the country code, like +1 555 010 0100"), ..Input::new("phone", "Phone number", &phone, "tel") }
                    .render(errors),
                Input {
                    hint: Some("US: 9-digit SSN or ITIN, like 123-45-6789. Elsewhere: your national tax ID. It is checked and never stored."),
                    extra: "inputmode=\"numeric\" spellcheck=\"false\"",
                    ..Input::new("ssn", "SSN or tax ID", "", "off")
                }
                .render(errors),
            );
        }
        Step::GovernmentId => {
            let selected = value("id_type", "passport");
            let (mut select, attrs) = field_start("id_type", "Type of ID", None, errors);
            let _ = write!(
                select,
                "<select id=\"f-id_type\" name=\"id_type\" required{attrs}>"
            );
            for (value, label) in ID_TYPES {
                let sel = if value == selected { " selected" } else { "" };
                let _ = write!(select, "<option value=\"{value}\"{sel}>{label}</option>");
            }
            select.push_str("</select></div>");
            let _ = write!(
                main,
                "<p>Upload a photo or scan of a valid government-issued ID.</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/government-id\" enctype=\"multipart/form-data\" novalidate>\
                 {select}{}{}<div class=\"actions\"><button type=\"submit\">Continue</button>{back}</div></form>",
                file_input(
                    "id_front",
                    "Front of your ID",
                    "JPEG, PNG or PDF. In the sandbox any file works; its content is discarded.",
                    "image/*,application/pdf",
                    errors
                ),
                choice(
                    "checkbox",
                    "use_sample_id",
                    "on",
                    "Use a sample ID instead (sandbox only)",
                    values.checked("use_sample_id")
                ),
            );
        }
        Step::Selfie => {
            let _ = write!(
                main,
                "<p>A quick selfie confirms that you are the person on the ID (liveness check).</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/selfie\" enctype=\"multipart/form-data\" novalidate>{}{}\
                 <div class=\"actions\"><button type=\"submit\">Continue</button>{back}</div></form>",
                file_input(
                    "selfie",
                    "Selfie photo",
                    "A clear photo of your face. In the sandbox any image works; its content is discarded.",
                    "image/*",
                    errors
                ),
                choice(
                    "checkbox",
                    "liveness",
                    "on",
                    "Take selfie (simulated)",
                    values.checked("liveness")
                ),
            );
        }
        Step::Address | Step::Review => {
            let line1 = value("line1", "");
            let line2 = value("line2", "");
            let city = value("city", "");
            let region = value("state", "");
            let postal = value("postal_code", "");
            let country = value("country", "US");
            let _ = write!(
                main,
                "<p>Where you live now. A PO box is not accepted.</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/address\" novalidate>{}{}{}{}{}{}\
                 <div class=\"actions\"><button type=\"submit\">Continue</button>{back}</div></form>",
                Input::new("line1", "Street address", &line1, "address-line1").render(errors),
                Input {
                    required: false,
                    ..Input::new(
                        "line2",
                        "Apartment, suite, etc. (optional)",
                        &line2,
                        "address-line2"
                    )
                }
                .render(errors),
                Input::new("city", "City or town", &city, "address-level2").render(errors),
                Input::new("state", "State, province or region", &region, "address-level1").render(errors),
                Input::new("postal_code", "Postal code", &postal, "postal-code").render(errors),
                Input {
                    hint: Some("Two-letter code, like US"),
                    extra: "maxlength=\"2\"",
                    ..Input::new("country", "Country", &country, "country")
                }
                .render(errors),
            );
        }
    }
    let title = if errors.is_empty() {
        step.title().to_owned()
    } else {
        format!("Error: {}", step.title())
    };
    page(status, &title, &main)
}

fn review_page(
    inner: &Inner,
    token: &str,
    user: &User,
    status: StatusCode,
    values: &Form,
    errors: &[(&'static str, String)],
    document_errors: &[(&'static str, String)],
) -> Response {
    let token_attr = esc(token);
    let has_values = !errors.is_empty();
    let value = |name: &str, fallback: &str| -> String {
        if has_values && values.contains(name) {
            values.get(name).to_owned()
        } else {
            fallback.to_owned()
        }
    };
    let mut main = String::from("<h1>Sandbox controls</h1>");
    main.push_str(&error_summary(errors));
    main.push_str(&error_summary(document_errors));
    let _ = write!(
        main,
        "<p class=\"status\" role=\"status\">All four steps are complete. Current status: <strong>{}</strong> (<code>{}</code>).{}</p>",
        esc(user.status.label()),
        esc(user.status.as_str()),
        user.scheduled
            .as_deref()
            .map_or(String::new(), |s| format!(" Scheduled: {}.", esc(s))),
    );
    if user.status == ApplicationStatus::NeedsInformation && !user.required_fields.is_empty() {
        main.push_str(
            "<section aria-labelledby=\"docs-title\"><h2 id=\"docs-title\">Upload requested documents</h2>",
        );
        let _ = write!(
            main,
            "<form id=\"f-documents\" method=\"post\" action=\"/verify/{token_attr}/documents\" enctype=\"multipart/form-data\" novalidate>"
        );
        for field in &user.required_fields {
            // Each required field gets its own input, named after the field.
            let label = REQUESTABLE
                .iter()
                .find(|(v, _)| v == field)
                .map_or(field.as_str(), |(_, l)| l);
            let _ = write!(
                main,
                "<div class=\"field\"><label for=\"f-doc-{name}\">{label}</label>\
                 <input id=\"f-doc-{name}\" name=\"{name}\" type=\"file\" accept=\"image/*,application/pdf\"></div>",
                name = esc(field),
                label = esc(label),
            );
        }
        main.push_str(&choice(
            "checkbox",
            "use_samples",
            "on",
            "Use sample documents (sandbox only)",
            false,
        ));
        main.push_str(
            "<div class=\"actions\"><button type=\"submit\">Upload documents</button></div></form></section>",
        );
    }
    let outcome = value("outcome", "approve");
    let mut outcomes = String::new();
    for (v, label) in [
        ("approve", "Approve"),
        ("deny", "Deny (uses the reason below)"),
        (
            "needs_information",
            "Needs information (request the documents below)",
        ),
        ("needs_verification", "Needs verification (the user starts again)"),
        ("manual_review", "Manual review, then approve or deny"),
        ("lock", "Lock the account"),
    ] {
        outcomes.push_str(&choice("radio", "outcome", v, label, outcome == v));
    }
    let chosen_fields: Vec<&str> = values.all("required_fields").collect();
    let mut fields = String::new();
    for (v, label) in REQUESTABLE {
        fields.push_str(&choice(
            "checkbox",
            "required_fields",
            v,
            label,
            chosen_fields.contains(&v),
        ));
    }
    let review_outcome = value("review_outcome", "approve");
    let mut review = String::new();
    for (v, label) in [
        ("approve", "Then approve"),
        ("deny", "Then deny (with the reason above)"),
    ] {
        review.push_str(&choice("radio", "review_outcome", v, label, review_outcome == v));
    }
    let webhooks = value("webhooks", "normal");
    let mut modes = String::new();
    for (v, label) in [
        ("normal", "Normal: each event once, right away"),
        ("duplicate", "Duplicate: each event twice, same id"),
        ("late", "Late: each event after the delay below"),
        (
            "reversed",
            "Reversed: for a manual review, the final event before the review one",
        ),
        ("skip", "Skip: change the status without any webhook"),
    ] {
        modes.push_str(&choice("radio", "webhooks", v, label, webhooks == v));
    }
    let reason = value("reason", DENIAL_REASONS[0]);
    let review_seconds = value("review_seconds", "10");
    let delay_seconds = value("delay_seconds", "0");
    let webhook_delay = value("webhook_delay_seconds", "5");
    let mut reasons = String::from("<datalist id=\"denial-reasons\">");
    for r in DENIAL_REASONS {
        let _ = write!(reasons, "<option value=\"{r}\">");
    }
    reasons.push_str("</datalist>");
    let number = "min=\"0\" max=\"86400\" step=\"1\" inputmode=\"numeric\"";
    let _ = write!(
        main,
        "<section aria-labelledby=\"outcome-title\"><h2 id=\"outcome-title\">Choose the outcome</h2>\
         <p>Real LedgerOS reviews the application now. Here you decide what happens; the status changes, \
         a signed webhook goes to the app and you return to the app.</p>\
         <form method=\"post\" action=\"/verify/{token_attr}/decision\" novalidate>\
         {}{}{reasons}{}\
         {}{}\
         <details{}><summary>Webhook delivery (advanced)</summary>{}{}</details>\
         <div class=\"actions\"><button type=\"submit\">Submit verification</button>\
         <a href=\"{}\">Return to the app without deciding</a></div></form></section>",
        choices("outcome", "Outcome", &outcomes, errors),
        Input {
            required: false,
            extra: "list=\"denial-reasons\"",
            ..Input::new("reason", "Denial reason (for deny)", &reason, "off")
        }
        .render(errors),
        choices(
            "required_fields",
            "Documents to request (for needs information)",
            &fields,
            errors
        ),
        choices(
            "review_outcome",
            "Manual review",
            &format!(
                "{review}{}",
                Input {
                    kind: "number",
                    required: false,
                    extra: number,
                    ..Input::new("review_seconds", "Review takes (seconds)", &review_seconds, "off")
                }
                .render(errors)
            ),
            errors
        ),
        Input {
            kind: "number",
            required: false,
            extra: number,
            hint: Some("How long the application stays as it is before the outcome applies"),
            ..Input::new(
                "delay_seconds",
                "Delay before the outcome (seconds)",
                &delay_seconds,
                "off"
            )
        }
        .render(errors),
        if webhooks != "normal" || error_for(errors, "webhook_delay_seconds").is_some() {
            " open"
        } else {
            ""
        },
        choices("webhooks", "Delivery", &modes, errors),
        Input {
            kind: "number",
            required: false,
            extra: number,
            ..Input::new(
                "webhook_delay_seconds",
                "Late by (seconds)",
                &webhook_delay,
                "off"
            )
        }
        .render(errors),
        esc(&inner.config.return_url()),
    );
    let title = if errors.is_empty() && document_errors.is_empty() {
        "Sandbox controls"
    } else {
        "Error: Sandbox controls"
    };
    page(status, title, &main)
}

const CSS: &str = "\
:root{--ink:#1b1f24;--muted:#4b5563;--line:#6b7280;--accent:#1d4ed8;--accent-dark:#1e3a8a;--error:#b91c1c;--bg:#f3f4f6}\
*{box-sizing:border-box}\
body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:var(--ink);background:var(--bg)}\
.banner{background:#fde68a;color:#422006;padding:.6rem 1rem;text-align:center;border-bottom:2px solid #b45309}\
main{max-width:40rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}\
@media (max-width:42rem){main{margin:0;border-radius:0;box-shadow:none;padding:1rem}}\
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}\
.progress{color:var(--muted);margin:0;font-weight:600}\
ol.steps{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding:0;margin:.25rem 0 1rem;list-style:none;font-size:.9rem;color:var(--muted)}\
ol.steps li[aria-current]{color:var(--ink);font-weight:700}\
ol.steps li.done::before{content:\"\\2713  \"}\
.field{margin:0 0 1rem}\
label,legend{display:block;font-weight:600;margin-bottom:.25rem}\
.hint{color:var(--muted);margin:0 0 .25rem;font-size:.9rem}\
input[type=text],input[type=email],input[type=tel],input[type=date],input[type=number],select{width:100%;padding:.55rem .6rem;font:inherit;border:1px solid var(--line);border-radius:.3rem;background:#fff;color:var(--ink)}\
input[type=file]{font:inherit;max-width:100%}\
fieldset{border:1px solid #d1d5db;border-radius:.4rem;margin:0 0 1rem;padding:.75rem 1rem}\
.choice{display:flex;gap:.5rem;align-items:flex-start;margin:.35rem 0}\
.choice label{font-weight:400;margin:0}\
.choice input{margin-top:.25rem;width:1.1rem;height:1.1rem;flex:none}\
details{margin:0 0 1rem}summary{cursor:pointer;font-weight:600;margin-bottom:.5rem}\
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}\
button{font:inherit;font-weight:600;padding:.65rem 1.4rem;border:0;border-radius:.3rem;background:var(--accent);color:#fff;cursor:pointer}\
button:hover{background:var(--accent-dark)}\
.actions{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin-top:1.25rem}\
a{color:var(--accent)}\
.error-summary{border:3px solid var(--error);padding:.75rem 1rem;margin:0 0 1rem;border-radius:.3rem}\
.error-summary h2{font-size:1.1rem;margin:0 0 .25rem;color:var(--error)}\
.error-summary a{color:var(--error);font-weight:600}\
.field-error{color:var(--error);font-weight:600;margin:0 0 .25rem}\
.invalid input:not([type=radio]):not([type=checkbox]),.invalid select{border:2px solid var(--error)}\
fieldset.invalid{border:2px solid var(--error)}\
.status{padding:.75rem 1rem;background:#eef2ff;border-left:4px solid var(--accent);margin:0 0 1rem}\
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #e5e7eb}\
";

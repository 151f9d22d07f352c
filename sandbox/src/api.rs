//! The JSON API under `/v1`, as in the LedgerOS contract.
//!
//! Every request needs `Api-Key`; while the outage switch is on everything answers 503.
//! `Idempotency-Key` on a POST replays the first response for the same endpoint and key,
//! without side effects (the replay carries `Idempotent-Replayed: true`).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::json;

use super::state::{DOCUMENT_TYPES, User, random_id};
use super::{Inner, hosted};
use onboarding::status::ApplicationStatus;

mod protocol;

use protocol::{ApiError, guard, method_not_allowed, not_found, parse_json, required, respond};

/// Largest document upload accepted.
pub(super) const UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

pub(super) fn router(inner: Arc<Inner>) -> Router<Arc<Inner>> {
    let v1 = Router::new()
        .route("/users", post(create_user))
        .route("/verification/user", post(initiate))
        .route("/verification/user/{user_id}", get(verification).patch(update))
        .route("/verification/user/{user_id}/link", get(link))
        .route(
            "/verification/user/{user_id}/document",
            put(upload_document).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(inner, guard));
    Router::new().nest("/v1", v1)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateUser {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
}

async fn create_user(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    inner.idempotent("POST /v1/users", &headers, |state| {
        let request: CreateUser = parse_json(&body)?;
        let first_name = required(request.first_name, "firstName")?;
        let last_name = required(request.last_name, "lastName")?;
        let email = required(request.email, "email")?;
        if !hosted::plausible_email(&email) {
            return Err(ApiError::invalid(
                "parameter_invalid",
                "email is not a valid email address",
            ));
        }
        let user = User::new(first_name, last_name, email);
        tracing::info!(user_id = %user.id, "sandbox: user created");
        let body = user.json();
        state.users.insert(user.id.clone(), user);
        Ok((StatusCode::CREATED, body))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Initiate {
    user_id: Option<String>,
}

async fn initiate(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    inner.idempotent("POST /v1/verification/user", &headers, |state| {
        let request: Initiate = parse_json(&body)?;
        let user_id = required(request.user_id, "userId")?;
        let user = state
            .users
            .get_mut(&user_id)
            .ok_or_else(|| ApiError::no_such_user(&user_id))?;
        let new_token = match &user.token {
            Some(_) => None,
            None => {
                let token = random_id("", 32);
                user.token = Some(token.clone());
                if user.status == ApplicationStatus::NotStarted {
                    user.status = ApplicationStatus::Pending;
                }
                tracing::info!(user_id = %user.id, "sandbox: verification initiated");
                Some(token)
            }
        };
        let body = inner.verification(user);
        if let Some(token) = new_token {
            state.tokens.insert(token, user_id);
        }
        Ok((StatusCode::OK, body))
    })
}

async fn verification(State(inner): State<Arc<Inner>>, Path(user_id): Path<String>) -> Response {
    let state = inner.state();
    respond(match state.users.get(&user_id) {
        Some(user) => Ok((StatusCode::OK, inner.verification(user))),
        None => Err(ApiError::no_such_user(&user_id)),
    })
}

async fn link(State(inner): State<Arc<Inner>>, Path(user_id): Path<String>) -> Response {
    let state = inner.state();
    let Some(user) = state.users.get(&user_id) else {
        return ApiError::no_such_user(&user_id).into_response();
    };
    let Some(token) = &user.token else {
        return ApiError::invalid(
            "verification_not_started",
            "Verification has not been initiated for this user; call POST /v1/verification/user first.",
        )
        .into_response();
    };
    let body = json!({
        "object": "verification_link",
        "userId": user.id,
        "verificationUrl": inner.verification_url(token),
        "applicationStatus": user.status,
    });
    (StatusCode::OK, axum::Json(body)).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Update {
    first_name: Option<String>,
    last_name: Option<String>,
    date_of_birth: Option<String>,
    address: Option<Address>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // Validated for shape, then dropped: the sandbox keeps no address.
struct Address {
    line1: Option<String>,
    line2: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
}

/// Accepts the personal details; keeps only the names.
async fn update(State(inner): State<Arc<Inner>>, Path(user_id): Path<String>, body: Bytes) -> Response {
    let mut state = inner.state();
    respond((|| {
        let user = state
            .users
            .get_mut(&user_id)
            .ok_or_else(|| ApiError::no_such_user(&user_id))?;
        let request: Update = parse_json(&body)?;
        let first_name = request
            .first_name
            .map(|n| required(Some(n), "firstName"))
            .transpose()?;
        let last_name = request
            .last_name
            .map(|n| required(Some(n), "lastName"))
            .transpose()?;
        if let Some(date) = &request.date_of_birth
            && let Err(message) = hosted::check_date_of_birth(date)
        {
            // The API speaks English to developers.
            let message = onboarding::i18n::t(onboarding::i18n::Lang::En, message);
            return Err(ApiError::invalid(
                "parameter_invalid",
                format!("dateOfBirth: {message}"),
            ));
        }
        let address_sent = request.address.is_some();
        if let Some(address) = request.address {
            required(address.line1, "address.line1")?;
            required(address.city, "address.city")?;
            required(address.postal_code, "address.postalCode")?;
            let country = required(address.country, "address.country")?;
            if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(ApiError::invalid(
                    "parameter_invalid",
                    "address.country must be a two-letter country code",
                ));
            }
        }
        let mut received = Vec::new();
        if let Some(first_name) = first_name {
            user.first_name = first_name;
            received.push("firstName");
        }
        if let Some(last_name) = last_name {
            user.last_name = last_name;
            received.push("lastName");
        }
        if request.date_of_birth.is_some() {
            received.push("dateOfBirth");
        }
        if address_sent {
            received.push("address");
        }
        user.receive_details(&received);
        tracing::info!(user_id = %user.id, "sandbox: verification details updated");
        Ok((StatusCode::OK, inner.verification(user)))
    })())
}

/// `documentType` + `file`: the type is recorded, the bytes are counted and dropped.
async fn upload_document(
    State(inner): State<Arc<Inner>>,
    Path(user_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if !inner.state().users.contains_key(&user_id) {
        return ApiError::no_such_user(&user_id).into_response();
    }
    let mut multipart = match multipart {
        Ok(multipart) => multipart,
        Err(rejection) => {
            return ApiError::invalid(
                "invalid_body",
                format!("Expected multipart/form-data: {rejection}"),
            )
            .into_response();
        }
    };
    let mut document_type = None;
    let mut file_bytes = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                return ApiError::invalid("invalid_body", format!("Malformed multipart body: {error}"))
                    .into_response();
            }
        };
        match field.name() {
            Some("documentType") => match field.text().await {
                Ok(text) => document_type = Some(text.trim().to_owned()),
                Err(error) => {
                    return ApiError::invalid("invalid_body", error.body_text()).into_response();
                }
            },
            Some("file") => match hosted::discard(field).await {
                Ok(size) => file_bytes = Some(size),
                Err(message) => return ApiError::invalid("invalid_body", message).into_response(),
            },
            _ => {
                // Unknown parts are read and ignored.
                let _ = hosted::discard(field).await;
            }
        }
    }
    let document_type = match required(document_type, "documentType") {
        Ok(t) => t,
        Err(error) => return error.into_response(),
    };
    if !DOCUMENT_TYPES.contains(&document_type.as_str()) {
        return ApiError::invalid(
            "parameter_invalid",
            format!("documentType must be one of: {}", DOCUMENT_TYPES.join(", ")),
        )
        .into_response();
    }
    match file_bytes {
        None => return ApiError::missing("file").into_response(),
        Some(0) => return ApiError::invalid("parameter_invalid", "file is empty").into_response(),
        Some(_) => {}
    }
    let mut state = inner.state();
    let Some(user) = state.users.get_mut(&user_id) else {
        return ApiError::no_such_user(&user_id).into_response();
    };
    user.receive_document(&document_type);
    tracing::info!(user_id = %user.id, document_type, "sandbox: document received (content discarded)");
    (StatusCode::OK, axum::Json(inner.verification(user))).into_response()
}

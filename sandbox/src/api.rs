//! The JSON API under `/v1`, as in the LedgerOS contract.
//!
//! Every request needs `Api-Key`; while the outage switch is on everything answers 503.
//! `Idempotency-Key` on a POST replays the first response for the same endpoint and key,
//! without side effects (the replay carries `Idempotent-Replayed: true`).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::state::{DOCUMENT_TYPES, State as SandboxState, User, random_id};
use super::{Inner, Outage, hosted};
use onboarding::status::ApplicationStatus;

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

/// An API error in the contract's format.
pub(super) struct ApiError {
    status: StatusCode,
    kind: &'static str,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "invalid_request_error",
            code,
            message: message.into(),
        }
    }

    fn missing(param: &str) -> Self {
        Self::invalid(
            "parameter_missing",
            format!("Missing required parameter: {param}"),
        )
    }

    fn no_such_user(user_id: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: "invalid_request_error",
            code: "resource_missing",
            message: format!("No such user: '{user_id}'"),
        }
    }

    fn parts(self) -> (StatusCode, Value) {
        let body = json!({
            "error": { "type": self.kind, "code": self.code, "message": self.message },
            "request_id": random_id("req_", 20),
        });
        (self.status, body)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = self.parts();
        (status, axum::Json(body)).into_response()
    }
}

type ApiResult = Result<(StatusCode, Value), ApiError>;

fn respond(result: ApiResult) -> Response {
    match result {
        Ok((status, body)) => (status, axum::Json(body)).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Outage switch first, then the API key.
async fn guard(State(inner): State<Arc<Inner>>, request: Request, next: Next) -> Response {
    inner.api_requests.fetch_add(1, Ordering::SeqCst);
    let refusal = match inner.outage() {
        Outage::Up => None,
        Outage::Unavailable => Some((
            ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                kind: "api_error",
                code: "service_unavailable",
                message: "LedgerOS is temporarily unavailable (sandbox outage switch)".into(),
            },
            1,
        )),
        Outage::Throttled => Some((
            ApiError {
                status: StatusCode::TOO_MANY_REQUESTS,
                kind: "rate_limit_error",
                code: "rate_limited",
                message: "Too many requests (sandbox outage switch); retry after the time given".into(),
            },
            Outage::RETRY_AFTER_SECS,
        )),
    };
    if let Some((error, retry_after)) = refusal {
        let mut response = error.into_response();
        response
            .headers_mut()
            .insert("retry-after", HeaderValue::from(retry_after));
        return response;
    }
    let unauthorized = |message: &str| ApiError {
        status: StatusCode::UNAUTHORIZED,
        kind: "authentication_error",
        code: "invalid_api_key",
        message: message.into(),
    };
    match request.headers().get("api-key").map(HeaderValue::as_bytes) {
        None => unauthorized("No API key provided; send it in the Api-Key header.").into_response(),
        Some(key) if key != inner.config.api_key.as_bytes() => {
            tracing::warn!("sandbox: request with an invalid API key");
            unauthorized("Invalid API key provided.").into_response()
        }
        Some(_) => next.run(request).await,
    }
}

async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        kind: "invalid_request_error",
        code: "not_found",
        message: "Unrecognized request URL or method.".into(),
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        kind: "invalid_request_error",
        code: "method_not_allowed",
        message: "This endpoint does not support that HTTP method.".into(),
    }
}

impl Inner {
    /// Runs `handle` under the state lock unless `Idempotency-Key` names an earlier request
    /// to the same endpoint, in which case that response is returned again.
    fn idempotent(
        &self,
        endpoint: &str,
        headers: &HeaderMap,
        handle: impl FnOnce(&mut SandboxState) -> ApiResult,
    ) -> Response {
        let key = match headers.get("idempotency-key").map(HeaderValue::to_str) {
            None => None,
            Some(Ok(key)) if key.trim().is_empty() => None,
            Some(Ok(key)) if key.len() <= 255 => Some(key.trim().to_owned()),
            Some(_) => {
                return ApiError::invalid(
                    "idempotency_key_invalid",
                    "Idempotency-Key must be visible ASCII, at most 255 characters.",
                )
                .into_response();
            }
        };
        let mut state = self.state();
        let Some(key) = key else {
            return respond(handle(&mut state));
        };
        let slot = (endpoint.to_owned(), key);
        if let Some((status, body)) = state.idempotency.get(&slot) {
            self.replays.fetch_add(1, Ordering::SeqCst);
            let mut response = (*status, axum::Json(body.clone())).into_response();
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return response;
        }
        let (status, body) = handle(&mut state).unwrap_or_else(ApiError::parts);
        state.idempotency.insert(slot, (status, body.clone()));
        (status, axum::Json(body)).into_response()
    }

    /// The verification object, with the URL pointing at this sandbox.
    fn verification(&self, user: &User) -> Value {
        user.verification_json(&self.base_url)
    }
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid("invalid_body", format!("The request body is not valid: {error}")))
}

/// A required, non-blank string parameter.
fn required(value: Option<String>, name: &str) -> Result<String, ApiError> {
    match value.map(|v| v.trim().to_owned()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ApiError::missing(name)),
    }
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

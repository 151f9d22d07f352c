//! What every endpoint of the API shares: errors in the contract's format, the guard (outage
//! switch, then the API key), `Idempotency-Key` replays, and reading JSON bodies.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::state::{State as SandboxState, User, random_id};
use crate::{Inner, Outage};

/// An API error in the contract's format.
pub(super) struct ApiError {
    status: StatusCode,
    kind: &'static str,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub(super) fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "invalid_request_error",
            code,
            message: message.into(),
        }
    }

    pub(super) fn missing(param: &str) -> Self {
        Self::invalid(
            "parameter_missing",
            format!("Missing required parameter: {param}"),
        )
    }

    pub(super) fn no_such_user(user_id: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: "invalid_request_error",
            code: "resource_missing",
            message: format!("No such user: '{user_id}'"),
        }
    }

    pub(super) fn parts(self) -> (StatusCode, Value) {
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

pub(super) type ApiResult = Result<(StatusCode, Value), ApiError>;

pub(super) fn respond(result: ApiResult) -> Response {
    match result {
        Ok((status, body)) => (status, axum::Json(body)).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Outage switch first, then the API key.
pub(super) async fn guard(State(inner): State<Arc<Inner>>, request: Request, next: Next) -> Response {
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

pub(super) async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        kind: "invalid_request_error",
        code: "not_found",
        message: "Unrecognized request URL or method.".into(),
    }
}

pub(super) async fn method_not_allowed() -> ApiError {
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
    pub(super) fn idempotent(
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
    pub(super) fn verification(&self, user: &User) -> Value {
        user.verification_json(&self.base_url)
    }
}

pub(super) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid("invalid_body", format!("The request body is not valid: {error}")))
}

/// A required, non-blank string parameter.
pub(super) fn required(value: Option<String>, name: &str) -> Result<String, ApiError> {
    match value.map(|v| v.trim().to_owned()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ApiError::missing(name)),
    }
}

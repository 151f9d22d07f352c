//! What can go wrong when talking to LedgerOS, and whether trying again may help.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Deserialize;

/// How long to wait after a 429 that carries no usable `Retry-After`.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// A failed LedgerOS call. The API key never appears in it: it only lives in a sensitive
/// header, which reqwest redacts.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// LedgerOS refused the request (4xx other than 429).
    #[error("LedgerOS answered {status}: {message}")]
    Api {
        status: u16,
        /// `error.type`, e.g. `invalid_request_error`.
        kind: Option<String>,
        code: Option<String>,
        message: String,
        request_id: Option<String>,
    },
    #[error("LedgerOS rate limit reached; retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    #[error("LedgerOS is unavailable ({status})")]
    Unavailable { status: u16 },
    #[error("LedgerOS did not answer in time")]
    Timeout(#[source] reqwest::Error),
    #[error("could not talk to LedgerOS")]
    Transport(#[source] reqwest::Error),
    #[error("unexpected answer from LedgerOS: {0}")]
    Decode(String),
    /// A bad base URL, API key or document content type: our mistake, never retryable.
    #[error("invalid LedgerOS client input: {0}")]
    InvalidInput(String),
}

impl LedgerError {
    /// Whether the same call may succeed later (the LedgerOS call queue retries these).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Unavailable { .. } | Self::Timeout(_) => true,
            Self::Transport(e) => e.is_connect() || e.is_request() || e.is_body(),
            Self::Api { .. } | Self::Decode(_) | Self::InvalidInput(_) => false,
        }
    }

    /// How long LedgerOS asked us to wait, for a rate-limited call.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout(error)
        } else {
            Self::Transport(error)
        }
    }

    /// Builds the error for a non-2xx answer from its status, headers and body.
    pub(crate) fn from_response(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Self::RateLimited {
                retry_after: retry_after(headers),
            };
        }
        if status.is_server_error() {
            return Self::Unavailable {
                status: status.as_u16(),
            };
        }
        let (detail, request_id) = match serde_json::from_slice::<ErrorBody>(body) {
            Ok(ErrorBody { error, request_id }) => (error, request_id),
            Err(_) => (ErrorDetail::default(), None),
        };
        let ErrorDetail { kind, code, message } = detail;
        Self::Api {
            status: status.as_u16(),
            kind,
            code,
            message: message.unwrap_or_else(|| {
                status
                    .canonical_reason()
                    .map_or_else(|| format!("HTTP {}", status.as_u16()), str::to_owned)
            }),
            request_id,
        }
    }
}

/// `Retry-After` in seconds; LedgerOS documents no other form, so anything else means the default.
fn retry_after(headers: &HeaderMap) -> Duration {
    headers
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok())
        .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs)
}

/// `{"error":{"type","code","message"},"request_id"}` or the older `{"error":"…"}`.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(deserialize_with = "detail_or_message")]
    error: ErrorDetail,
    #[serde(default, alias = "requestId")]
    request_id: Option<String>,
}

#[derive(Default, Deserialize)]
struct ErrorDetail {
    #[serde(rename = "type")]
    kind: Option<String>,
    code: Option<String>,
    message: Option<String>,
}

fn detail_or_message<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<ErrorDetail, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Flat(String),
        Detailed(ErrorDetail),
    }
    Ok(match Either::deserialize(deserializer)? {
        Either::Flat(message) => ErrorDetail {
            message: Some(message),
            ..ErrorDetail::default()
        },
        Either::Detailed(detail) => detail,
    })
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;
    use serde_json::json;

    use super::*;

    fn from_body(status: u16, body: &[u8]) -> LedgerError {
        LedgerError::from_response(StatusCode::from_u16(status).unwrap(), &HeaderMap::new(), body)
    }

    #[test]
    fn the_structured_error_format_is_read_in_full() {
        let body = json!({
            "error": { "type": "invalid_request_error", "code": "email_taken", "message": "Email already used" },
            "request_id": "req_9"
        });
        let LedgerError::Api {
            status,
            kind,
            code,
            message,
            request_id,
        } = from_body(409, body.to_string().as_bytes())
        else {
            panic!("not an API error")
        };
        assert_eq!(status, 409);
        assert_eq!(kind.as_deref(), Some("invalid_request_error"));
        assert_eq!(code.as_deref(), Some("email_taken"));
        assert_eq!(message, "Email already used");
        assert_eq!(request_id.as_deref(), Some("req_9"));
    }

    #[test]
    fn the_flat_error_format_is_read() {
        let error = from_body(404, br#"{"error":"User not found"}"#);
        let LedgerError::Api {
            status: 404,
            kind: None,
            code: None,
            message,
            request_id: None,
        } = error
        else {
            panic!("unexpected {error:?}")
        };
        assert_eq!(message, "User not found");
    }

    #[test]
    fn an_unreadable_body_falls_back_to_the_status_text() {
        for body in [
            &b"<html>oops</html>"[..],
            b"",
            br#"{"error":{}}"#,
            br#"{"message":"x"}"#,
        ] {
            let LedgerError::Api { message, .. } = from_body(400, body) else {
                panic!("not an API error")
            };
            assert_eq!(message, "Bad Request");
        }
        let LedgerError::Api { message, .. } = from_body(499, b"") else {
            panic!("not an API error")
        };
        assert_eq!(message, "HTTP 499");
    }

    #[test]
    fn rate_limits_carry_retry_after_with_a_default() {
        let mut headers = HeaderMap::new();
        let error = LedgerError::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, b"");
        assert_eq!(error.retry_after(), Some(DEFAULT_RETRY_AFTER));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
        let error = LedgerError::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, b"");
        assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
        assert!(error.is_retryable());
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        let error = LedgerError::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, b"");
        assert_eq!(error.retry_after(), Some(DEFAULT_RETRY_AFTER));
    }

    #[test]
    fn server_errors_are_retryable_and_client_errors_are_not() {
        let unavailable = from_body(503, b"");
        assert!(matches!(unavailable, LedgerError::Unavailable { status: 503 }));
        assert!(unavailable.is_retryable());
        assert!(!from_body(400, b"").is_retryable());
        assert_eq!(from_body(400, b"").retry_after(), None);
    }
}

//! The HTTP client for the LedgerOS API (live, sandbox, or the built-in simulation).

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::multipart::{Form, Part};
use reqwest::{Method, RequestBuilder, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::error::LedgerError;
use super::types::{
    CreateUser, Document, InitiateVerification, LedgerUser, LedgerUserId, UpdateVerification, Verification,
    VerificationLink,
};

const USER_AGENT: &str = "ledger-onboarding/0.1";
const API_KEY_HEADER: &str = "api-key";
const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// Timeouts and rate-limit patience of a [`LedgerClient`].
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    /// For the whole exchange, body included.
    pub request_timeout: Duration,
    /// The longest `Retry-After` we wait for in place; longer ones go back to the caller,
    /// whose durable call queue waits without holding a request open.
    pub max_retry_after: Duration,
    /// How many times a 429 is retried in place.
    pub rate_limit_retries: u32,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            max_retry_after: Duration::from_secs(10),
            rate_limit_retries: 2,
        }
    }
}

/// A LedgerOS API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct LedgerClient {
    http: reqwest::Client,
    base_url: Url,
    config: ClientConfig,
}

impl fmt::Debug for LedgerClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The API key lives only inside `http`'s default headers, so it cannot leak from here.
        f.debug_struct("LedgerClient")
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl LedgerClient {
    /// A client with the default [`ClientConfig`].
    pub fn new(base_url: &str, api_key: SecretString) -> Result<Self, LedgerError> {
        Self::with_config(base_url, api_key, ClientConfig::default())
    }

    /// A client with custom timeouts and rate-limit patience (tests use short ones).
    pub fn with_config(
        base_url: &str,
        api_key: SecretString,
        config: ClientConfig,
    ) -> Result<Self, LedgerError> {
        let base_url = Url::parse(base_url)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && !url.cannot_be_a_base())
            .ok_or_else(|| {
                LedgerError::InvalidInput(format!("base URL {base_url:?} is not an http(s) URL"))
            })?;
        let mut key = HeaderValue::from_str(api_key.expose_secret())
            .map_err(|_| LedgerError::InvalidInput("the API key is not a valid header value".into()))?;
        // Sensitive values are redacted from reqwest's Debug output and kept out of HPACK tables.
        key.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(API_KEY_HEADER, key);
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirect would carry `Api-Key` to wherever it points: LedgerOS's API never
            // redirects, so one is answered as an error instead of followed.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| LedgerError::InvalidInput(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base_url,
            config,
        })
    }

    /// The same client (the same connections) that never waits out a `429` in place: for calls
    /// a person is waiting on, which the durable call queue can retry later instead.
    pub fn impatient(&self) -> Self {
        Self {
            config: ClientConfig {
                rate_limit_retries: 0,
                ..self.config.clone()
            },
            ..self.clone()
        }
    }

    /// Whether `url` may be shown to people as LedgerOS's hosted verification page: https on
    /// the configured LedgerOS host or another host of its domain (`verify.ledger.so` next to
    /// `api.ledger.so`), or, for a sandbox on plain http (loopback only), that same origin.
    /// A link anywhere else is not followed, whoever sent it.
    pub fn is_hosted_page(&self, url: &str) -> bool {
        let Ok(url) = Url::parse(url) else {
            return false;
        };
        let (Some(host), Some(base_host)) = (url.host_str(), self.base_url.host_str()) else {
            return false;
        };
        if self.base_url.scheme() == "http" {
            return url.origin() == self.base_url.origin();
        }
        if url.scheme() != "https" || !url.username().is_empty() || url.password().is_some() {
            return false;
        }
        let host = host.to_ascii_lowercase();
        let base_host = base_host.to_ascii_lowercase();
        if host == base_host {
            return true;
        }
        // The API host's parent domain, if it has one beyond a bare two-label name.
        match base_host.split_once('.') {
            Some((_, parent)) if parent.contains('.') => host.ends_with(&format!(".{parent}")),
            _ => false,
        }
    }

    /// Whether LedgerOS answers HTTP at all (any status: the contract has no health endpoint,
    /// and a read would spend the shared read budget), within `timeout`.
    pub async fn reachable(&self, timeout: Duration) -> bool {
        self.http
            .head(self.base_url.clone())
            .timeout(timeout)
            .send()
            .await
            .is_ok()
    }

    /// `POST /v1/users`. Reuse `idempotency_key` when retrying the same signup.
    #[tracing::instrument(skip_all)]
    pub async fn create_user(
        &self,
        user: &CreateUser,
        idempotency_key: &str,
    ) -> Result<LedgerUser, LedgerError> {
        let url = self.url(&["users"]);
        self.send_json(|| self.post(&url, idempotency_key).json(user))
            .await
    }

    /// `POST /v1/verification/user`: starts KYC and returns the hosted verification URL.
    #[tracing::instrument(skip_all, fields(user_id = %user_id))]
    pub async fn initiate_verification(
        &self,
        user_id: &LedgerUserId,
        idempotency_key: &str,
    ) -> Result<Verification, LedgerError> {
        let url = self.url(&["verification", "user"]);
        let body = InitiateVerification {
            user_id: user_id.clone(),
        };
        self.send_json(|| self.post(&url, idempotency_key).json(&body))
            .await
    }

    /// `GET /v1/verification/user/{userId}`.
    #[tracing::instrument(skip_all, fields(user_id = %user_id))]
    pub async fn get_verification(&self, user_id: &LedgerUserId) -> Result<Verification, LedgerError> {
        let url = self.url(&["verification", "user", user_id.as_str()]);
        self.send_json(|| self.http.get(url.clone())).await
    }

    /// `GET /v1/verification/user/{userId}/link`: the same URL stays valid to resume.
    #[tracing::instrument(skip_all, fields(user_id = %user_id))]
    pub async fn verification_link(&self, user_id: &LedgerUserId) -> Result<VerificationLink, LedgerError> {
        let url = self.url(&["verification", "user", user_id.as_str(), "link"]);
        self.send_json(|| self.http.get(url.clone())).await
    }

    /// `PATCH /v1/verification/user/{userId}`. The contract gives no response body, so none is read.
    #[tracing::instrument(skip_all, fields(user_id = %user_id))]
    pub async fn update_verification(
        &self,
        user_id: &LedgerUserId,
        update: &UpdateVerification,
    ) -> Result<(), LedgerError> {
        let url = self.url(&["verification", "user", user_id.as_str()]);
        self.send(|| Ok(self.http.patch(url.clone()).json(update)))
            .await?;
        Ok(())
    }

    /// `PUT /v1/verification/user/{userId}/document`, multipart `documentType` and `file`.
    #[tracing::instrument(skip_all, fields(user_id = %user_id, document_type = %document.document_type))]
    pub async fn upload_document(
        &self,
        user_id: &LedgerUserId,
        document: Document,
    ) -> Result<(), LedgerError> {
        let url = self.url(&["verification", "user", user_id.as_str(), "document"]);
        let build = || {
            let file = Part::bytes(document.bytes.clone())
                .file_name(document.file_name.clone())
                .mime_str(&document.content_type)
                .map_err(|_| {
                    LedgerError::InvalidInput("the document content type is not a MIME type".into())
                })?;
            let form = Form::new()
                .text("documentType", document.document_type.as_str())
                .part("file", file);
            Ok(self.http.put(url.clone()).multipart(form))
        };
        self.send(build).await?;
        Ok(())
    }

    /// `{base}/v1/{segments…}`, each segment percent-encoded so an id cannot change the path.
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base_url.clone();
        url.path_segments_mut()
            .expect("checked in with_config: the base URL can be a base")
            .pop_if_empty()
            .push("v1")
            .extend(segments);
        url
    }

    fn post(&self, url: &Url, idempotency_key: &str) -> RequestBuilder {
        self.http
            .request(Method::POST, url.clone())
            .header(IDEMPOTENCY_KEY_HEADER, idempotency_key)
    }

    async fn send_json<T: DeserializeOwned>(
        &self,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<T, LedgerError> {
        let body = self.send(|| Ok(build())).await?;
        serde_json::from_slice(&body).map_err(|e| LedgerError::Decode(e.to_string()))
    }

    /// Sends the request built by `build`, waiting out short rate limits, and returns the body
    /// of a 2xx answer. `build` runs once per attempt because a request (a multipart one in
    /// particular) cannot be sent twice.
    async fn send(
        &self,
        build: impl Fn() -> Result<RequestBuilder, LedgerError>,
    ) -> Result<Vec<u8>, LedgerError> {
        let mut retries_left = self.config.rate_limit_retries;
        loop {
            let mut response = build()?.send().await.map_err(LedgerError::from_reqwest)?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(LedgerError::from_reqwest)?;
            tracing::debug!(status = status.as_u16(), "LedgerOS answered");
            if status.is_success() {
                return Ok(body.into());
            }
            match LedgerError::from_response(status, &headers, &body) {
                LedgerError::RateLimited { retry_after }
                    if retries_left > 0 && retry_after <= self.config.max_retry_after =>
                {
                    retries_left -= 1;
                    tracing::warn!(?retry_after, "LedgerOS rate limit reached, waiting");
                    tokio::time::sleep(retry_after).await;
                }
                error => {
                    tracing::warn!(status = status.as_u16(), "LedgerOS call failed");
                    return Err(error);
                }
            }
        }
    }
}

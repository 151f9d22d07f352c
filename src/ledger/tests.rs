//! The client against a fake LedgerOS on a real local port: what goes over the wire, and how
//! each kind of answer comes back.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use serde_json::{Value, json};
use time::macros::date;

use super::*;
use crate::status::ApplicationStatus;

const API_KEY: &str = "lk_test_s3cr3t";

/// One request as the fake received it.
#[derive(Debug)]
struct Recorded {
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Bytes,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// One answer the fake will give, in order.
struct Reply {
    status: StatusCode,
    headers: Vec<(&'static str, &'static str)>,
    body: String,
    delay: Duration,
}

impl Reply {
    fn json(status: u16, body: Value) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap(),
            headers: vec![("content-type", "application/json")],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    fn empty(status: u16) -> Self {
        Self {
            headers: Vec::new(),
            body: String::new(),
            ..Self::json(status, Value::Null)
        }
    }

    fn rate_limited(retry_after: &'static str) -> Self {
        Self::empty(429).with_header("retry-after", retry_after)
    }

    fn with_header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }

    fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Clone, Default)]
struct Fake {
    recorded: Arc<Mutex<Vec<Recorded>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
}

impl Fake {
    fn requests(&self) -> std::sync::MutexGuard<'_, Vec<Recorded>> {
        self.recorded.lock().unwrap()
    }
}

async fn answer(State(fake): State<Fake>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    fake.recorded.lock().unwrap().push(Recorded {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        headers: parts.headers,
        body,
    });
    let reply = fake
        .replies
        .lock()
        .unwrap()
        .pop_front()
        .expect("the client sent one request too many");
    tokio::time::sleep(reply.delay).await;
    let mut response = (reply.status, reply.body).into_response();
    for (name, value) in reply.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

/// Starts a fake LedgerOS on a free port that gives `replies` in order.
async fn spawn_fake(replies: Vec<Reply>) -> (Fake, String) {
    let fake = Fake {
        replies: Arc::new(Mutex::new(replies.into())),
        ..Fake::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().fallback(answer).with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (fake, base_url)
}

fn client(base_url: &str) -> LedgerClient {
    LedgerClient::new(base_url, SecretString::from(API_KEY)).unwrap()
}

fn user_id(id: &str) -> LedgerUserId {
    LedgerUserId::parse(id).unwrap()
}

fn verification_body(status: &str) -> Value {
    json!({ "object": "verification", "userId": "user_1", "applicationStatus": status,
            "verificationUrl": "https://kyc.example/verify/xyz" })
}

#[tokio::test]
async fn create_user_posts_a_camel_case_body_with_both_keys() {
    let (fake, base_url) = spawn_fake(vec![Reply::json(
        201,
        json!({
            "object": "user", "id": "user_1", "firstName": "Ada", "lastName": "Lovelace",
            "email": "[email protected]", "applicationStatus": "notStarted",
            "createdAt": 1_700_000_000_000i64, "metadata": {}
        }),
    )])
    .await;
    let new_user = CreateUser {
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "[email protected]".into(),
    };

    let user = client(&base_url).create_user(&new_user, "idem-1").await.unwrap();

    assert_eq!(user.id, user_id("user_1"));
    assert_eq!(user.application_status, ApplicationStatus::NotStarted);
    let requests = fake.requests();
    let request = &requests[0];
    assert_eq!(
        (&request.method, request.path.as_str()),
        (&Method::POST, "/v1/users")
    );
    assert_eq!(request.header("api-key"), Some(API_KEY));
    assert_eq!(request.header("idempotency-key"), Some("idem-1"));
    assert_eq!(request.header("user-agent"), Some("ledger-onboarding/0.1"));
    assert_eq!(
        request.json(),
        json!({ "firstName": "Ada", "lastName": "Lovelace", "email": "[email protected]" })
    );
}

#[tokio::test]
async fn initiate_verification_posts_the_user_id_with_its_idempotency_key() {
    let (fake, base_url) = spawn_fake(vec![Reply::json(200, verification_body("pending"))]).await;

    let verification = client(&base_url)
        .initiate_verification(&user_id("user_1"), "idem-2")
        .await
        .unwrap();

    assert_eq!(verification.application_status, ApplicationStatus::Pending);
    assert_eq!(
        verification.verification_url.as_deref(),
        Some("https://kyc.example/verify/xyz")
    );
    let requests = fake.requests();
    assert_eq!(
        (&requests[0].method, requests[0].path.as_str()),
        (&Method::POST, "/v1/verification/user")
    );
    assert_eq!(requests[0].header("idempotency-key"), Some("idem-2"));
    assert_eq!(requests[0].json(), json!({ "userId": "user_1" }));
}

#[tokio::test]
async fn reads_carry_the_api_key_but_no_idempotency_key() {
    let (fake, base_url) = spawn_fake(vec![
        Reply::json(
            200,
            json!({ "object": "verification", "userId": "user_1", "applicationStatus": "needsInformation",
                    "requiredFields": ["proofOfAddress", "governmentIdBack"] }),
        ),
        Reply::json(
            200,
            json!({ "object": "verification_link", "userId": "user_1", "applicationStatus": "pending",
                    "verificationUrl": "https://kyc.example/verify/xyz" }),
        ),
    ])
    .await;
    let client = client(&base_url);

    let verification = client.get_verification(&user_id("user_1")).await.unwrap();
    let link = client.verification_link(&user_id("user_1")).await.unwrap();

    assert_eq!(
        verification.required_fields,
        ["proofOfAddress", "governmentIdBack"]
    );
    assert_eq!(verification.verification_url, None);
    assert_eq!(link.verification_url, "https://kyc.example/verify/xyz");
    let requests = fake.requests();
    let paths: Vec<_> = requests.iter().map(|r| (&r.method, r.path.as_str())).collect();
    assert_eq!(
        paths,
        [
            (&Method::GET, "/v1/verification/user/user_1"),
            (&Method::GET, "/v1/verification/user/user_1/link")
        ]
    );
    for request in requests.iter() {
        assert_eq!(request.header("api-key"), Some(API_KEY));
        assert_eq!(request.header("idempotency-key"), None);
    }
}

#[tokio::test]
async fn update_verification_patches_only_the_fields_that_are_set() {
    let (fake, base_url) = spawn_fake(vec![Reply::json(200, verification_body("pending"))]).await;
    let update = UpdateVerification {
        first_name: Some("Ada".into()),
        date_of_birth: Some(date!(1990 - 04 - 01)),
        ..UpdateVerification::default()
    };

    client(&base_url)
        .update_verification(&user_id("user_1"), &update)
        .await
        .unwrap();

    let requests = fake.requests();
    assert_eq!(
        (&requests[0].method, requests[0].path.as_str()),
        (&Method::PATCH, "/v1/verification/user/user_1")
    );
    assert_eq!(requests[0].header("idempotency-key"), None);
    assert_eq!(
        requests[0].json(),
        json!({ "firstName": "Ada", "dateOfBirth": "1990-04-01" })
    );
}

#[tokio::test]
async fn upload_document_puts_both_multipart_fields() {
    let (fake, base_url) = spawn_fake(vec![Reply::empty(204)]).await;
    let document = Document {
        document_type: DocumentType::ProofOfAddress,
        file_name: "bill.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"%PDF-1.7 fake".to_vec(),
    };

    client(&base_url)
        .upload_document(&user_id("user_1"), document)
        .await
        .unwrap();

    let recorded = fake.requests().pop().unwrap();
    assert_eq!(
        (&recorded.method, recorded.path.as_str()),
        (&Method::PUT, "/v1/verification/user/user_1/document")
    );
    assert_eq!(recorded.header("idempotency-key"), None);
    let mut request = Request::new(Body::from(recorded.body));
    *request.headers_mut() = recorded.headers;
    let mut multipart = Multipart::from_request(request, &()).await.unwrap();
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        let name = field.name().unwrap().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        fields.push((name, file_name, content_type, field.bytes().await.unwrap()));
    }
    assert_eq!(fields.len(), 2);
    assert_eq!(
        (fields[0].0.as_str(), &fields[0].3[..]),
        ("documentType", &b"proofOfAddress"[..])
    );
    assert_eq!(fields[1].0, "file");
    assert_eq!(fields[1].1.as_deref(), Some("bill.pdf"));
    assert_eq!(fields[1].2.as_deref(), Some("application/pdf"));
    assert_eq!(&fields[1].3[..], b"%PDF-1.7 fake");
}

#[tokio::test]
async fn an_invalid_document_content_type_is_refused_before_sending() {
    let (fake, base_url) = spawn_fake(Vec::new()).await;
    let document = Document {
        document_type: DocumentType::Selfie,
        file_name: "me.jpg".into(),
        content_type: "not a mime type".into(),
        bytes: Vec::new(),
    };

    let error = client(&base_url)
        .upload_document(&user_id("user_1"), document)
        .await
        .unwrap_err();

    assert!(matches!(error, LedgerError::InvalidInput(_)), "{error:?}");
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn user_ids_are_percent_encoded_and_a_base_path_is_kept() {
    let (fake, base_url) = spawn_fake(vec![Reply::json(200, verification_body("pending"))]).await;

    client(&format!("{base_url}/ledger/"))
        .get_verification(&user_id("user/../x y?"))
        .await
        .unwrap();

    assert_eq!(
        fake.requests()[0].path,
        "/ledger/v1/verification/user/user%2F..%2Fx%20y%3F"
    );
}

#[tokio::test]
async fn both_error_formats_come_back_as_api_errors() {
    let (_fake, base_url) = spawn_fake(vec![
        Reply::json(
            409,
            json!({ "error": { "type": "invalid_request_error", "code": "email_taken", "message": "Email in use" },
                    "request_id": "req_1" }),
        ),
        Reply::json(404, json!({ "error": "User not found" })),
    ])
    .await;
    let client = client(&base_url);
    let new_user = CreateUser {
        first_name: "A".into(),
        last_name: "B".into(),
        email: "[email protected]".into(),
    };

    let structured = client.create_user(&new_user, "idem-3").await.unwrap_err();
    let flat = client.get_verification(&user_id("user_404")).await.unwrap_err();

    let LedgerError::Api {
        status: 409,
        kind,
        code,
        message,
        request_id,
    } = structured
    else {
        panic!("unexpected {structured:?}")
    };
    assert_eq!(
        (
            kind.as_deref(),
            code.as_deref(),
            message.as_str(),
            request_id.as_deref()
        ),
        (
            Some("invalid_request_error"),
            Some("email_taken"),
            "Email in use",
            Some("req_1")
        )
    );
    assert!(
        matches!(&flat, LedgerError::Api { status: 404, message, kind: None, .. } if message == "User not found"),
        "{flat:?}"
    );
    assert!(!flat.is_retryable());
}

#[tokio::test]
async fn a_short_rate_limit_is_waited_out_and_retried() {
    let (fake, base_url) = spawn_fake(vec![
        Reply::rate_limited("1"),
        Reply::json(200, verification_body("pending")),
    ])
    .await;
    let started = Instant::now();

    client(&base_url)
        .initiate_verification(&user_id("user_1"), "idem-4")
        .await
        .unwrap();

    assert!(started.elapsed() >= Duration::from_secs(1));
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    // The retry is the same request: LedgerOS must be able to deduplicate it.
    assert!(
        requests
            .iter()
            .all(|r| r.header("idempotency-key") == Some("idem-4"))
    );
}

#[tokio::test]
async fn a_long_rate_limit_goes_back_to_the_caller() {
    let (fake, base_url) = spawn_fake(vec![Reply::rate_limited("120")]).await;

    let error = client(&base_url)
        .get_verification(&user_id("user_1"))
        .await
        .unwrap_err();

    assert!(matches!(error, LedgerError::RateLimited { .. }), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert!(error.is_retryable());
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn rate_limit_retries_in_place_are_bounded() {
    let replies = (0..3).map(|_| Reply::rate_limited("0")).collect();
    let (fake, base_url) = spawn_fake(replies).await;

    let error = client(&base_url)
        .get_verification(&user_id("user_1"))
        .await
        .unwrap_err();

    assert_eq!(error.retry_after(), Some(Duration::ZERO));
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn an_impatient_client_hands_a_short_rate_limit_straight_back() {
    // For calls a person waits on: the durable queue waits it out instead.
    let (fake, base_url) = spawn_fake(vec![
        Reply::rate_limited("1"),
        Reply::json(200, verification_body("pending")),
    ])
    .await;
    let started = Instant::now();

    let error = client(&base_url)
        .impatient()
        .initiate_verification(&user_id("user_1"), "idem-5")
        .await
        .unwrap_err();

    assert!(matches!(error, LedgerError::RateLimited { .. }), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert!(started.elapsed() < Duration::from_secs(1), "no wait in place");
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn a_server_error_is_unavailable_and_retryable() {
    let (_fake, base_url) = spawn_fake(vec![Reply::json(503, json!({ "error": "maintenance" }))]).await;

    let error = client(&base_url)
        .get_verification(&user_id("user_1"))
        .await
        .unwrap_err();

    assert!(
        matches!(error, LedgerError::Unavailable { status: 503 }),
        "{error:?}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_slow_answer_times_out_as_a_retryable_error() {
    let slow = Reply::json(200, verification_body("pending")).after(Duration::from_secs(5));
    let (_fake, base_url) = spawn_fake(vec![slow]).await;
    let config = ClientConfig {
        request_timeout: Duration::from_millis(200),
        ..ClientConfig::default()
    };
    let client = LedgerClient::with_config(&base_url, SecretString::from(API_KEY), config).unwrap();

    let error = client.get_verification(&user_id("user_1")).await.unwrap_err();

    assert!(matches!(error, LedgerError::Timeout(_)), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn an_unreachable_server_is_a_retryable_transport_error_without_the_key() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = client(&base_url);

    let error = client.get_verification(&user_id("user_1")).await.unwrap_err();

    assert!(matches!(error, LedgerError::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    for printed in [format!("{error:?}"), format!("{error}"), format!("{client:?}")] {
        assert!(!printed.contains(API_KEY), "{printed}");
    }
}

#[tokio::test]
async fn an_unexpected_success_body_is_a_decode_error() {
    let (_fake, base_url) = spawn_fake(vec![Reply::json(200, json!({ "userId": "" }))]).await;

    let error = client(&base_url)
        .get_verification(&user_id("user_1"))
        .await
        .unwrap_err();

    assert!(matches!(error, LedgerError::Decode(_)), "{error:?}");
    assert!(!error.is_retryable());
}

#[test]
fn a_base_url_that_is_not_http_is_refused() {
    for base_url in [
        "",
        "ledger.example",
        "mailto:[email protected]",
        "ftp://ledger.example",
    ] {
        let result = LedgerClient::new(base_url, SecretString::from(API_KEY));
        assert!(matches!(result, Err(LedgerError::InvalidInput(_))), "{base_url}");
    }
    let bad_key = LedgerClient::new("http://ledger.example", SecretString::from("bad\nkey"));
    assert!(matches!(bad_key, Err(LedgerError::InvalidInput(message)) if !message.contains("bad")));
}

#[tokio::test]
async fn a_redirect_is_an_error_and_the_api_key_never_follows_it() {
    let (elsewhere, elsewhere_url) = spawn_fake(vec![Reply::json(200, verification_body("approved"))]).await;
    let location: &'static str =
        Box::leak(format!("{elsewhere_url}/v1/verification/user/user_1").into_boxed_str());
    let (fake, base_url) = spawn_fake(vec![Reply::empty(307).with_header("location", location)]).await;

    let result = client(&base_url).get_verification(&user_id("user_1")).await;

    assert!(result.is_err(), "{result:?}");
    assert_eq!(fake.requests().len(), 1);
    assert!(
        elsewhere.requests().is_empty(),
        "nothing, and no Api-Key, went to the other host"
    );
}

#[test]
fn only_links_on_the_ledgeros_domain_or_the_sandbox_itself_are_hosted_pages() {
    let live = client("https://api.ledger.so");
    assert!(live.is_hosted_page("https://api.ledger.so/verify/abc"));
    assert!(live.is_hosted_page("https://verify.ledger.so/v/abc"));
    for bad in [
        "http://verify.ledger.so/v/abc",
        "https://evil.example/v/abc",
        "https://ledger.so.evil.example/v",
        "https://evilledger.so/v",
        "https://user:pw@verify.ledger.so/v",
        "javascript:alert(1)",
        "not a url",
    ] {
        assert!(!live.is_hosted_page(bad), "{bad}");
    }
    let sandbox = client("http://127.0.0.1:3100");
    assert!(sandbox.is_hosted_page("http://127.0.0.1:3100/verify/abc"));
    assert!(!sandbox.is_hosted_page("http://127.0.0.1:3101/verify/abc"));
    assert!(!sandbox.is_hosted_page("https://evil.example/verify/abc"));
}

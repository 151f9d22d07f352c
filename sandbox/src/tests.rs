//! The sandbox over real HTTP: a sandbox on port 0, plus a tiny webhook receiver on port 0.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::HeaderMap;
use axum::http::StatusCode as AxumStatus;
use axum::routing::post;
use reqwest::multipart;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::hosted::Form;
use super::*;
use onboarding::webhook::WebhookSecrets;

const KEY: &str = "lk_test_sandbox";
const WAIT: Duration = Duration::from_secs(5);

#[derive(Clone, Debug)]
struct Hit {
    headers: HeaderMap,
    body: String,
}

/// Records every webhook; answers 500 to the first `fail_first` ones.
async fn receiver(fail_first: usize) -> (String, Arc<Mutex<Vec<Hit>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(Mutex::new(Vec::new()));
    let remaining = Arc::new(AtomicUsize::new(fail_first));
    let recorded = hits.clone();
    let app = Router::new().route(
        "/webhooks/ledger",
        post(move |headers: HeaderMap, body: String| {
            let recorded = recorded.clone();
            let remaining = remaining.clone();
            async move {
                recorded.lock().unwrap().push(Hit { headers, body });
                let fail = remaining
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if fail {
                    AxumStatus::INTERNAL_SERVER_ERROR
                } else {
                    AxumStatus::OK
                }
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, hits)
}

struct Harness {
    sandbox: Sandbox,
    app_url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    http: reqwest::Client,
}

/// A sandbox with the richer `user.application.updated` events on (most tests look at them).
async fn harness(fail_first: usize) -> Harness {
    harness_with(fail_first, true).await
}

async fn harness_with(fail_first: usize, status_updates: bool) -> Harness {
    let (app_url, hits) = receiver(fail_first).await;
    let config = SandboxConfig {
        api_key: KEY.into(),
        webhook_secrets: vec!["whsec_old".into(), "whsec_new".into()],
        app_url: app_url.clone(),
        status_updates,
        state_file: None,
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sandbox = Sandbox::start(config, listener).await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    Harness {
        sandbox,
        app_url,
        hits,
        http,
    }
}

impl Harness {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    async fn api(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.url(path)).header("Api-Key", KEY);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    async fn create_user(&self) -> String {
        let body = json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"});
        let (status, user) = self.api(Method::POST, "/v1/users", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        user["id"].as_str().unwrap().to_owned()
    }

    async fn initiate(&self, user_id: &str) -> String {
        let (status, v) = self
            .api(
                Method::POST,
                "/v1/verification/user",
                Some(json!({"userId": user_id})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v["verificationUrl"].as_str().unwrap().to_owned()
    }

    async fn status(&self, user_id: &str) -> Value {
        let (status, v) = self
            .api(Method::GET, &format!("/v1/verification/user/{user_id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v
    }

    async fn get_page(&self, url: &str) -> String {
        let response = self.http.get(url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.unwrap()
    }

    /// Posts a form and expects `303` back to the verification page.
    async fn post_form(&self, url: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.http.post(url).form(fields).send().await.unwrap()
    }

    async fn post_multipart(&self, url: &str, form: multipart::Form) -> reqwest::Response {
        self.http.post(url).multipart(form).send().await.unwrap()
    }

    /// Walks the four steps with valid data.
    async fn complete_steps(&self, url: &str) {
        let personal = [
            ("first_name", "Ada"),
            ("last_name", "Lovelace"),
            ("date_of_birth", "1990-04-27"),
            ("phone", "+1 555 010 0100"),
            ("ssn", "123-45-6789"),
        ];
        assert_see_other(self.post_form(&format!("{url}/personal"), &personal).await, url);
        let id = multipart::Form::new().text("id_type", "passport").part(
            "id_front",
            multipart::Part::bytes(b"fake-id".to_vec()).file_name("id.png"),
        );
        assert_see_other(
            self.post_multipart(&format!("{url}/government-id"), id).await,
            url,
        );
        let selfie = multipart::Form::new().text("liveness", "on");
        assert_see_other(self.post_multipart(&format!("{url}/selfie"), selfie).await, url);
        let address = [
            ("line1", "1 Analytical Way"),
            ("line2", ""),
            ("city", "Springfield"),
            ("state", "IL"),
            ("postal_code", "62701"),
            ("country", "us"),
        ];
        assert_see_other(self.post_form(&format!("{url}/address"), &address).await, url);
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

fn assert_see_other(response: reqwest::Response, location: &str) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let got = response.headers()["location"].to_str().unwrap();
    assert!(
        location.ends_with(got),
        "redirected to {got}, expected {location}"
    );
}

fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn body_json(hit: &Hit) -> Value {
    serde_json::from_str(&hit.body).unwrap()
}

#[tokio::test]
async fn every_api_request_needs_the_api_key() {
    let h = harness(0).await;
    for key in [None, Some("lk_test_wrong")] {
        let mut request = h.http.post(h.url("/v1/users")).json(&json!({}));
        if let Some(key) = key {
            request = request.header("Api-Key", key);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["type"], "authentication_error");
        assert_eq!(body["error"]["code"], "invalid_api_key");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(body["request_id"].as_str().unwrap().starts_with("req_"));
    }
    let (status, body) = h.api(Method::GET, "/v1/nothing/here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let (status, body) = h.api(Method::DELETE, "/v1/users", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn create_initiate_status_and_link() {
    let h = harness(0).await;
    let body = json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"});
    let (status, user) = h.api(Method::POST, "/v1/users", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(user["object"], "user");
    assert_eq!(user["firstName"], "Ada");
    assert_eq!(user["lastName"], "Lovelace");
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["applicationStatus"], "notStarted");
    assert_eq!(user["metadata"], json!({}));
    let created_at = user["createdAt"].as_str().unwrap();
    time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339).unwrap();
    let user_id = user["id"].as_str().unwrap();
    assert!(user_id.starts_with("user_"));

    let url = h.initiate(user_id).await;
    assert!(
        url.starts_with(&format!("{}/verify/", h.sandbox.base_url())),
        "{url}"
    );
    assert_eq!(
        h.initiate(user_id).await,
        url,
        "initiating again keeps the same URL"
    );

    let v = h.status(user_id).await;
    assert_eq!(v["object"], "verification");
    assert_eq!(v["userId"], user_id);
    assert_eq!(v["applicationStatus"], "pending");
    assert_eq!(v["verificationUrl"], url.as_str());
    assert!(v.get("requiredFields").is_none());

    let (status, link) = h
        .api(
            Method::GET,
            &format!("/v1/verification/user/{user_id}/link"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        link,
        json!({"object": "verification_link", "userId": user_id, "verificationUrl": url, "applicationStatus": "pending"})
    );

    let patch = json!({"firstName": "Augusta", "dateOfBirth": "1990-12-10",
        "address": {"line1": "1 Way", "city": "London", "postalCode": "W1", "country": "GB"}});
    let (status, v) = h
        .api(
            Method::PATCH,
            &format!("/v1/verification/user/{user_id}"),
            Some(patch),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["object"], "verification");
    let (status, v) = h
        .api(
            Method::PATCH,
            &format!("/v1/verification/user/{user_id}"),
            Some(json!({"dateOfBirth": "tomorrow"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["type"], "invalid_request_error");

    for path in [
        "/v1/verification/user/user_nobody",
        "/v1/verification/user/user_nobody/link",
    ] {
        let (status, body) = h.api(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["type"], "invalid_request_error");
        assert_eq!(body["error"]["code"], "resource_missing");
    }
    let (status, _) = h
        .api(
            Method::POST,
            "/v1/verification/user",
            Some(json!({"userId": "user_nobody"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = h
        .api(Method::POST, "/v1/users", Some(json!({"firstName": "Ada"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let response = h
        .http
        .post(h.url("/v1/users"))
        .header("Api-Key", KEY)
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_repeated_idempotency_key_replays_the_first_response() {
    let h = harness(0).await;
    let post = |key: &'static str, email: &'static str| {
        h.http
            .post(h.url("/v1/users"))
            .header("Api-Key", KEY)
            .header("Idempotency-Key", key)
            .json(&json!({"firstName": "Ada", "lastName": "Lovelace", "email": email}))
            .send()
    };
    let first: Value = post("key-1", "ada@example.com")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let again = post("key-1", "other@example.com").await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(first, again);
    let other: Value = post("key-2", "ada@example.com")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(first["id"], other["id"]);
    assert_eq!(
        h.sandbox.inner.state().users.len(),
        2,
        "the replay created nobody"
    );
    assert_eq!(h.sandbox.idempotent_replays(), 1);
    // The same counts are on /stats, for harnesses that run the app as its own process.
    let stats: Value = h
        .http
        .get(h.url("/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["idempotentReplays"], 1);
    assert_eq!(stats["users"].as_array().unwrap().len(), 2);
    assert_eq!(stats["outage"], "up");
}

#[tokio::test]
async fn walking_the_hosted_pages_then_approving_sends_one_signed_webhook() {
    let h = harness(0).await;
    let user_id = h.create_user().await;
    let url = h.initiate(&user_id).await;

    let page = h.get_page(&url).await;
    assert!(page.contains("LedgerOS Sandbox"));
    assert!(page.contains("Step 1 of 4"));
    assert!(page.contains("name=\"first_name\"") && page.contains("value=\"Ada\""));

    // A step with errors is re-rendered, with the values but never the SSN.
    let bad = [
        ("first_name", "<b>Ada</b>"),
        ("last_name", ""),
        ("date_of_birth", "1990-04-27"),
        ("phone", "+1 555 010 0100"),
        ("ssn", "987-65-4321"),
    ];
    let response = h.post_form(&format!("{url}/personal"), &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("There is a problem"));
    assert!(page.contains("Enter your legal last name"));
    assert!(page.contains("&lt;b&gt;Ada&lt;/b&gt;") && !page.contains("<b>Ada</b>"));
    assert!(!page.contains("987-65-4321"));
    assert!(
        h.get_page(&url).await.contains("Step 1 of 4"),
        "no progress after an error"
    );

    // Leave after step 2 and come back: the same URL resumes at step 3.
    let personal = [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("date_of_birth", "1990-04-27"),
        ("phone", "+1 555 010 0100"),
        ("ssn", "123-45-6789"),
    ];
    assert_see_other(h.post_form(&format!("{url}/personal"), &personal).await, &url);
    assert!(h.get_page(&url).await.contains("Step 2 of 4"));
    let missing_file = multipart::Form::new().text("id_type", "passport");
    let response = h
        .post_multipart(&format!("{url}/government-id"), missing_file)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let sample = multipart::Form::new()
        .text("id_type", "driversLicense")
        .text("use_sample_id", "on");
    assert_see_other(
        h.post_multipart(&format!("{url}/government-id"), sample).await,
        &url,
    );
    let page = h.get_page(&url).await;
    assert!(page.contains("Step 3 of 4"));
    // Skipping ahead is not possible.
    assert_see_other(
        h.post_form(&format!("{url}/address"), &[("line1", "x")]).await,
        &url,
    );
    assert!(
        h.get_page(&format!("{url}?step=1")).await.contains("Step 1 of 4"),
        "going back is"
    );

    h.complete_steps(&url).await;
    let page = h.get_page(&url).await;
    assert!(page.contains("Sandbox controls") && page.contains("Submit verification"));
    assert_eq!(h.status(&user_id).await["applicationStatus"], "pending");

    let response = h
        .post_form(
            &format!("{url}/decision"),
            &[("outcome", "approve"), ("delay_seconds", "0")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("{}/verification/return", h.app_url).as_str()
    );
    assert_eq!(
        h.status(&user_id).await["applicationStatus"],
        "approved",
        "applied before the redirect"
    );

    let deliveries = h.sandbox.wait_for_delivered(1, WAIT).await.expect("delivered");
    assert_eq!(deliveries.len(), 1);
    let hits = h.hits();
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    let signature = hit.headers["x-ledger-signature"].to_str().unwrap();
    assert_eq!(signature.matches("v1=").count(), 2, "one v1 per secret");
    for secret in ["whsec_old", "whsec_new"] {
        WebhookSecrets::from_list(secret)
            .verify(signature, hit.body.as_bytes(), now_secs())
            .unwrap();
    }
    assert_eq!(hit.headers["content-type"], "application/json");
    let event = body_json(hit);
    assert_eq!(event["type"], "user.application.approved");
    assert_eq!(hit.headers["x-ledger-event-type"], "user.application.approved");
    assert_eq!(
        hit.headers["x-ledger-event-id"].to_str().unwrap(),
        event["id"].as_str().unwrap()
    );
    assert!(event["id"].as_str().unwrap().starts_with("evt_"));
    assert!(event["createdAt"].as_i64().unwrap() > 1_700_000_000_000);
    assert_eq!(event["data"]["userId"], user_id.as_str());
    assert_eq!(event["data"]["applicationStatus"], "approved");
    assert_eq!(deliveries[0].event_id, event["id"].as_str().unwrap());
    assert_eq!(h.sandbox.status_of(&user_id), Some(ApplicationStatus::Approved));
}

#[tokio::test]
async fn a_denial_carries_its_reason() {
    let h = harness(0).await;
    let user_id = h.create_user().await;
    let url = h.initiate(&user_id).await;
    h.complete_steps(&url).await;
    let response = h
        .post_form(&format!("{url}/decision"), &[("outcome", "deny"), ("reason", "")])
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a denial needs a reason"
    );
    let response = h
        .post_form(
            &format!("{url}/decision"),
            &[("outcome", "deny"), ("reason", "Sanctions list match")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    h.sandbox.wait_for_delivered(1, WAIT).await.expect("delivered");
    let event = body_json(&h.hits()[0]);
    assert_eq!(event["type"], "user.application.denied");
    assert_eq!(event["data"]["reason"], "Sanctions list match");
    assert_eq!(event["data"]["applicationStatus"], "denied");
    assert_eq!(h.status(&user_id).await["applicationStatus"], "denied");
}

#[tokio::test]
async fn needs_information_lists_the_fields_and_uploads_clear_them() {
    let h = harness(0).await;
    let user_id = h.create_user().await;
    let url = h.initiate(&user_id).await;
    h.complete_steps(&url).await;
    let response = h
        .post_form(&format!("{url}/decision"), &[("outcome", "needs_information")])
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "at least one field"
    );
    let choice = [
        ("outcome", "needs_information"),
        ("required_fields", "proofOfAddress"),
        ("required_fields", "governmentIdBack"),
    ];
    assert_eq!(
        h.post_form(&format!("{url}/decision"), &choice).await.status(),
        StatusCode::SEE_OTHER
    );
    h.sandbox.wait_for_delivered(1, WAIT).await.expect("delivered");
    let event = body_json(&h.hits()[0]);
    assert_eq!(event["type"], "user.application.needs_info");
    assert_eq!(
        event["data"]["requiredFields"],
        json!(["proofOfAddress", "governmentIdBack"])
    );
    let v = h.status(&user_id).await;
    assert_eq!(v["applicationStatus"], "needsInformation");
    assert_eq!(v["requiredFields"], json!(["proofOfAddress", "governmentIdBack"]));
    assert!(
        h.get_page(&url).await.contains("name=\"proofOfAddress\""),
        "the hosted page offers the uploads"
    );

    let upload = |document_type: &'static str, bytes: &'static [u8]| {
        let form = multipart::Form::new()
            .text("documentType", document_type)
            .part("file", multipart::Part::bytes(bytes).file_name("doc.pdf"));
        h.http
            .put(h.url(&format!("/v1/verification/user/{user_id}/document")))
            .header("Api-Key", KEY)
            .multipart(form)
            .send()
    };
    let response = upload("bankStatement", b"%PDF").await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = upload("proofOfAddress", b"").await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "an empty file");
    let v: Value = upload("proofOfAddress", b"%PDF-1.4")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["applicationStatus"], "needsInformation");
    assert_eq!(v["requiredFields"], json!(["governmentIdBack"]));
    // The last one goes through the hosted page.
    let form = multipart::Form::new().part(
        "governmentIdBack",
        multipart::Part::bytes(b"back".to_vec()).file_name("b.png"),
    );
    assert_see_other(h.post_multipart(&format!("{url}/documents"), form).await, &url);
    let v = h.status(&user_id).await;
    assert_eq!(v["applicationStatus"], "manualReview");
    assert!(v.get("requiredFields").is_none());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(h.sandbox.deliveries().len(), 1, "uploads send no webhook");
}

#[tokio::test]
async fn a_failing_receiver_is_retried_until_it_answers_2xx() {
    let h = harness(2).await;
    let user_id = h.create_user().await;
    h.initiate(&user_id).await;
    h.sandbox.decide(&user_id, Outcome::Approve).await.unwrap();
    let deliveries = h
        .sandbox
        .wait_for_delivered(1, WAIT)
        .await
        .expect("delivered in the end");
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].attempts, 3);
    let hits = h.hits();
    assert_eq!(hits.len(), 3);
    for hit in &hits {
        assert_eq!(hit.body, hits[0].body, "same body on every attempt");
        assert_eq!(
            hit.headers["x-ledger-event-id"],
            hits[0].headers["x-ledger-event-id"]
        );
        let signature = hit.headers["x-ledger-signature"].to_str().unwrap();
        WebhookSecrets::from_list("whsec_new")
            .verify(signature, hit.body.as_bytes(), now_secs())
            .unwrap();
    }
}

#[tokio::test]
async fn the_outage_switch_answers_503() {
    let h = harness(0).await;
    let user_id = h.create_user().await;
    h.sandbox.set_outage(true);
    let (status, body) = h
        .api(Method::GET, &format!("/v1/verification/user/{user_id}"), None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["type"], "api_error");
    h.sandbox.set_outage(false);
    assert_eq!(h.status(&user_id).await["applicationStatus"], "notStarted");
}

#[tokio::test]
async fn throttling_answers_429_with_retry_after_until_switched_off() {
    let h = harness(0).await;
    let user_id = h.create_user().await;
    // The overview page's form, as the demo and the outage harness use it.
    let switch = |on: &'static str, mode: &'static str| {
        h.http
            .post(h.url("/outage"))
            .form(&[("on", on), ("mode", mode)])
            .send()
    };
    assert_eq!(
        switch("true", "429").await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    let response = h
        .http
        .get(h.url(&format!("/v1/verification/user/{user_id}")))
        .header("Api-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "2");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    let page = h.http.get(h.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("throttled (answering 429)"), "{page}");
    switch("false", "").await.unwrap();
    assert_eq!(h.status(&user_id).await["applicationStatus"], "notStarted");
}

#[tokio::test]
async fn manual_review_then_approve_sends_two_events_in_order_or_reversed() {
    for (mode, expected) in [
        (
            WebhookMode::Normal,
            ["user.application.updated", "user.application.approved"],
        ),
        (
            WebhookMode::Reversed,
            ["user.application.approved", "user.application.updated"],
        ),
    ] {
        let h = harness(0).await;
        let user_id = h.create_user().await;
        h.initiate(&user_id).await;
        let outcome = Outcome::ManualReview {
            then: Box::new(Outcome::Approve),
            after: Duration::from_millis(150),
        };
        let decision = Decision {
            outcome,
            delay: Duration::ZERO,
            webhooks: mode,
        };
        h.sandbox.decide_with(&user_id, decision).await.unwrap();
        assert_eq!(h.status(&user_id).await["applicationStatus"], "manualReview");
        h.sandbox
            .wait_for_delivered(2, WAIT)
            .await
            .expect("both delivered");
        let events: Vec<Value> = h.hits().iter().map(body_json).collect();
        let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(types, expected, "{mode:?}");
        let review = events
            .iter()
            .find(|e| e["type"] == "user.application.updated")
            .unwrap();
        assert_eq!(review["data"]["applicationStatus"], "manualReview");
        assert_eq!(h.status(&user_id).await["applicationStatus"], "approved");
    }
}

#[tokio::test]
async fn a_newer_decision_cancels_a_delayed_one() {
    let h = harness(0).await;
    let user_id = h.create_user().await;
    h.initiate(&user_id).await;
    let delayed = Decision {
        outcome: Outcome::Approve,
        delay: Duration::from_millis(200),
        webhooks: WebhookMode::Normal,
    };
    h.sandbox.decide_with(&user_id, delayed).await.unwrap();
    assert_eq!(
        h.sandbox.status_of(&user_id),
        Some(ApplicationStatus::Pending),
        "not yet"
    );
    h.sandbox.decide(&user_id, Outcome::Lock).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.sandbox.status_of(&user_id), Some(ApplicationStatus::Locked));
    let deliveries = h.sandbox.deliveries();
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(deliveries[0].event_type, "user.application.updated");
    assert_eq!(
        h.sandbox.decide("user_nobody", Outcome::Approve).await,
        Err(SandboxError::UnknownUser("user_nobody".into()))
    );
    let empty = Outcome::NeedsInformation {
        required_fields: vec![],
    };
    assert!(matches!(
        h.sandbox.decide(&user_id, empty).await,
        Err(SandboxError::InvalidOutcome(_))
    ));
}

#[tokio::test]
async fn by_default_only_the_three_contract_webhooks_are_sent() {
    let h = harness_with(0, false).await;
    let user_id = h.create_user().await;
    h.initiate(&user_id).await;
    for outcome in [Outcome::NeedsVerification, Outcome::Lock, Outcome::Approve] {
        h.sandbox.decide(&user_id, outcome).await.unwrap();
    }
    let need = Outcome::NeedsInformation {
        required_fields: vec!["proofOfAddress".into()],
    };
    h.sandbox.decide(&user_id, need).await.unwrap();
    let deny = Outcome::Deny {
        reason: "Document mismatch".into(),
    };
    h.sandbox.decide(&user_id, deny).await.unwrap();
    let delivered = h
        .sandbox
        .wait_for_delivered(3, Duration::from_secs(5))
        .await
        .expect("three webhooks");
    let mut types: Vec<&str> = delivered.iter().map(|d| d.event_type.as_str()).collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "user.application.approved",
            "user.application.denied",
            "user.application.needs_info"
        ]
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        h.sandbox.deliveries().len(),
        3,
        "nothing for needsVerification or locked"
    );
    assert_eq!(h.sandbox.status_of(&user_id), Some(ApplicationStatus::Denied));
}

#[tokio::test]
async fn duplicate_mode_sends_the_same_event_twice() {
    let h = harness(0).await;
    let user_id = h.create_user().await;
    h.initiate(&user_id).await;
    let decision = Decision {
        outcome: Outcome::Approve,
        delay: Duration::ZERO,
        webhooks: WebhookMode::Duplicate,
    };
    h.sandbox.decide_with(&user_id, decision).await.unwrap();
    let deliveries = h
        .sandbox
        .wait_for_delivered(2, WAIT)
        .await
        .expect("both delivered");
    assert_eq!(deliveries[0].event_id, deliveries[1].event_id);
    assert_eq!(deliveries[0].body, deliveries[1].body);
}

#[tokio::test]
async fn an_unknown_verification_link_is_a_404_page() {
    let h = harness(0).await;
    let response = h.http.get(h.url("/verify/nope")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("not valid"));
}

#[test]
fn form_bodies_are_decoded_with_repeated_names() {
    let form = Form::parse(b"a=1+2&b=%3Cx%3E&b=second&c&d=%&e=%zz");
    assert_eq!(form.get("a"), "1 2");
    assert_eq!(form.get("b"), "<x>");
    assert_eq!(form.all("b").collect::<Vec<_>>(), ["<x>", "second"]);
    assert_eq!(form.get("c"), "");
    assert_eq!(form.get("d"), "%");
    assert_eq!(form.get("e"), "%zz");
    assert_eq!(form.get("missing"), "");
}

#[test]
fn dates_of_birth_are_checked() {
    assert!(hosted::check_date_of_birth("1990-04-27").is_ok());
    assert!(hosted::check_date_of_birth("1990-02-30").is_err());
    assert!(hosted::check_date_of_birth("2999-01-01").is_err());
    let today = time::OffsetDateTime::now_utc().date();
    let minor = format!("{}-01-01", today.year() - 10);
    assert!(hosted::check_date_of_birth(&minor).is_err());
}

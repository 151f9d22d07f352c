//! What operators watch: readiness, Prometheus metrics (not public), request ids.

use leptos::config::LeptosOptions;
use reqwest::StatusCode;
use secrecy::SecretString;
use server::config::{Config, Mode};
use server::startup::Application;

use crate::helpers::{fresh_database, spawn_app, spawn_app_with};

#[tokio::test]
async fn readyz_says_the_database_and_ledgeros_answer() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.text().await.unwrap(),
        "{\"database\":\"ok\",\"ledgeros\":\"ok\"}\n"
    );
}

#[tokio::test]
async fn readyz_fails_when_ledgeros_does_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::from_env("127.0.0.1:0".parse().unwrap()).unwrap();
    config.database_url = fresh_database(dir.path()).await;
    // Nothing listens on the discard port.
    config.ledger_api_url = Some("http://127.0.0.1:9".to_owned());
    let leptos = LeptosOptions::builder()
        .output_name("onboarding")
        .site_root("target/site")
        .build();
    let app = Application::build(config, leptos).await.unwrap();
    let url = format!("http://127.0.0.1:{}/readyz", app.port());
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        response.text().await.unwrap(),
        "{\"database\":\"ok\",\"ledgeros\":\"unreachable\"}\n"
    );
}

#[tokio::test]
async fn metrics_count_requests_webhooks_applicants_and_the_outbox() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    assert_eq!(app.get_page("/login").await.0, StatusCode::OK);
    let refused = app.post_webhook("{}", Some("t=1,v1=00".to_owned())).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let response = reqwest::get(app.url("/metrics")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    for expected in [
        "onboarding_http_request_duration_seconds_bucket{route=\"/login\",method=\"GET\",status=\"2xx\"",
        "onboarding_http_request_duration_seconds_count{route=\"/signup\",method=\"POST\",status=\"3xx\"}",
        "onboarding_webhooks_total{type=\"unknown\",outcome=\"refused_signature\"}",
        "onboarding_applicants{status=\"pending\"} 1",
        "onboarding_outbox_emails ",
        "onboarding_outbox_jobs ",
        "onboarding_emails_sent_total",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
}

#[tokio::test]
async fn metrics_need_the_token_when_one_is_set_and_are_hidden_live_without_one() {
    let app = spawn_app_with(|c| c.metrics_token = Some(SecretString::from("scrape-me"))).await;
    let client = reqwest::Client::new();
    let bare = client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(bare.status(), StatusCode::UNAUTHORIZED);
    let wrong = client
        .get(app.url("/metrics"))
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = client
        .get(app.url("/metrics"))
        .bearer_auth("scrape-me")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);

    let live = spawn_app_with(|c| c.mode = Mode::Live).await;
    let hidden = client.get(live.url("/metrics")).send().await.unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let made = client.get(app.url("/healthz")).send().await.unwrap();
    let id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let given = client
        .get(app.url("/login"))
        .header("x-request-id", "from-the-proxy-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "from-the-proxy-42");
}

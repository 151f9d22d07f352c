use std::sync::Arc;
use std::time::Duration;

use leptos::config::LeptosOptions;
use onboarding::sandbox::Sandbox;
use onboarding::services::Services;
use onboarding::webhook::signature::signature_header;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use server::config::{Config, SANDBOX_API_KEY, SANDBOX_WEBHOOK_SECRET};
use server::startup::Application;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub sandbox: Arc<Sandbox>,
    pub services: Services,
    _dir: tempfile::TempDir,
}

/// Starts the app (and its sandbox) on free ports with a fresh database.
pub async fn spawn_app() -> TestApp {
    server::telemetry::init();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::from_env("127.0.0.1:0".parse().unwrap()).expect("demo config");
    config.database_url = format!("sqlite://{}", dir.path().join("app.db").display());
    config.ledger_api_url = None;
    config.public_url = None;
    config.sandbox_addr = "127.0.0.1:0".parse().unwrap();
    let leptos = LeptosOptions::builder()
        .output_name("onboarding")
        .site_root("target/site")
        .build();
    let app = Application::build(config, leptos).await.expect("app builds");
    let address = app.public_url().to_owned();
    let sandbox = app.sandbox().expect("demo mode runs the sandbox");
    let services = app.services().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: browser_like_client(),
        sandbox,
        services,
        _dir: dir,
    }
}

/// Keeps cookies, does not follow redirects (tests look at them).
pub fn browser_like_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_owned()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_page(&self, path: &str) -> (StatusCode, String) {
        let response = self.client.get(self.url(path)).send().await.expect("request");
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    /// Signs up a new person; returns the redirect target.
    pub async fn sign_up(&self, email: &str) -> String {
        let response = self
            .post_form(
                "/signup",
                &[
                    ("first_name", "Ada"),
                    ("last_name", "Lovelace"),
                    ("email", email),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        location(&response)
    }

    /// The LedgerOS user id our database holds for `email`.
    pub async fn ledger_id_of(&self, email: &str) -> String {
        let user = self
            .services
            .store
            .user_by_email(email)
            .await
            .unwrap()
            .expect("user exists");
        user.ledger_user_id.expect("provisioned at LedgerOS")
    }

    /// Reloads `/status` until the page shows `status`, as a person would.
    pub async fn wait_for_status(&self, status: &str) -> String {
        let marker = format!("data-status=\"{status}\"");
        let mut last = String::new();
        for _ in 0..100 {
            let (code, body) = self.get_page("/status").await;
            assert_eq!(code, StatusCode::OK);
            if body.contains(&marker) {
                return body;
            }
            last = body;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("status page never showed {status}; last page:\n{last}");
    }

    /// Posts a webhook signed with the demo secret (or unsigned when `signature` is `Some("")`).
    pub async fn post_webhook(&self, body: &str, signature: Option<String>) -> reqwest::Response {
        let now = self.services.clock.now_secs();
        let signature =
            signature.unwrap_or_else(|| signature_header([SANDBOX_WEBHOOK_SECRET], now, body.as_bytes()));
        let mut request = reqwest::Client::new()
            .post(self.url("/webhooks/ledger"))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if !signature.is_empty() {
            request = request.header("x-ledger-signature", signature);
        }
        request.send().await.expect("request")
    }
}

#[allow(dead_code)]
pub const API_KEY: &str = SANDBOX_API_KEY;

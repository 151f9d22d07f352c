use std::sync::Arc;
use std::time::Duration;

use leptos::config::LeptosOptions;
use onboarding::clock::Clock;
use onboarding::email::SentEmail;
use onboarding::i18n::Lang;
use onboarding::services::Services;
use onboarding::webhook::signature::signature_header;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use reqwest::multipart::Form;
use sandbox::Sandbox;
use server::config::{Config, SANDBOX_WEBHOOK_SECRET};
use server::startup::Application;

pub struct TestApp {
    /// How the app calls itself (`PUBLIC_URL`): the base of links in emails.
    pub address: String,
    /// Where the test reaches it.
    pub local: String,
    pub client: reqwest::Client,
    pub sandbox: Arc<Sandbox>,
    pub services: Services,
    /// Dropping it (or [`TestApp::stop`]) stops this instance: its listener and its workers.
    stop: std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    /// The database every instance of this app shares.
    database_url: String,
    _dir: std::sync::Arc<tempfile::TempDir>,
}

/// The database for a new app: a SQLite file in `dir`, or, when `TEST_DATABASE_URL` names a
/// PostgreSQL server (`.ci/run` and `cargo make test-postgres` start one), a new database on it.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    let Ok(server) = std::env::var("TEST_DATABASE_URL") else {
        return format!("sqlite://{}", dir.join("app.db").display());
    };
    use sqlx::Connection;
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .expect("TEST_DATABASE_URL reaches a PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    let _ = admin.close().await;
    let (base, _) = server
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL ends with a database name");
    format!("{base}/{name}")
}

/// Starts the app (and its sandbox) on free ports with a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with a chance to change the configuration first.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_on(None, Clock::system(), configure).await
}

/// Another instance of `app` on the same database (a second server, or the same one restarted),
/// with its own sandbox and the given clock.
pub async fn spawn_instance_of(app: &TestApp, clock: Clock, configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_on(Some(app), clock, configure).await
}

/// A second instance of `app` as a load balancer would have beside it: the same database and
/// the same LedgerOS (`app`'s sandbox, whose webhooks and returns still go to `app`).
pub async fn spawn_peer_of(app: &TestApp) -> TestApp {
    let ledger = app.sandbox.base_url().to_owned();
    let mut peer = spawn_app_on(Some(app), Clock::system(), move |config| {
        config.ledger_api_url = Some(ledger);
    })
    .await;
    peer.sandbox = app.sandbox.clone();
    peer
}

/// The app on a clock the test moves by hand (reminders, link expiry).
pub async fn spawn_app_with_clock(clock: Clock, configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_on(None, clock, configure).await
}

async fn spawn_app_on(share: Option<&TestApp>, clock: Clock, configure: impl FnOnce(&mut Config)) -> TestApp {
    // Logs go through the test harness: shown for a failing test, hidden otherwise.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            std::env::var("RUST_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        ))
        .with_test_writer()
        .try_init();
    let (dir, database_url) = match share {
        Some(app) => (app._dir.clone(), app.database_url.clone()),
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = fresh_database(dir.path()).await;
            (std::sync::Arc::new(dir), url)
        }
    };
    let mut config = Config::from_env("127.0.0.1:0".parse().unwrap()).expect("demo config");
    config.database_url = database_url.clone();
    config.reminders.poll = Duration::from_millis(100);
    config.ledger_api_url = None;
    config.public_url = None;
    config.sandbox_addr = "127.0.0.1:0".parse().unwrap();
    config.worker_idle = Duration::from_millis(100);
    configure(&mut config);
    let leptos = LeptosOptions::builder()
        .output_name("onboarding")
        .site_root("target/site")
        .build();
    let app = Application::build_with_clock(config, leptos, clock)
        .await
        .expect("app builds");
    let address = app.public_url().to_owned();
    let local = format!("http://127.0.0.1:{}", app.port());
    let sandbox = match (app.sandbox(), share) {
        (Some(sandbox), _) => sandbox,
        // A peer on another instance's LedgerOS: the caller puts that sandbox in.
        (None, Some(other)) => other.sandbox.clone(),
        (None, None) => panic!("demo mode runs the sandbox"),
    };
    let services = app.services().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        local,
        client: browser_like_client(),
        sandbox,
        services,
        stop: std::sync::Mutex::new(Some(stop)),
        database_url,
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
    /// Stops this instance as a process stop would: no more requests, no more workers.
    pub fn stop(&self) {
        if let Some(stop) = self.stop.lock().unwrap().take() {
            let _ = stop.send(());
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.local, path)
    }

    /// The database this app (and every instance of it) uses.
    pub fn database_url(&self) -> &str {
        &self.database_url
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

    /// Signs up a new person and opens the confirmation link from their email, as they would;
    /// returns where confirming leads (`/status`, signed in).
    pub async fn sign_up(&self, email: &str) -> String {
        sign_up_in(self, &self.client, "Ada", email, "correct horse battery").await
    }

    /// Waits for the newest sent email to `to` whose subject contains `subject`.
    pub async fn wait_for_email(&self, to: &str, subject: &str) -> SentEmail {
        for _ in 0..100 {
            let sent = self.services.store.sent_emails(1000).await.unwrap();
            if let Some(email) = sent
                .into_iter()
                .find(|e| e.to == to && e.subject.contains(subject))
            {
                return email;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no email to {to} about {subject:?}");
    }

    /// All emails sent so far to `to`.
    pub async fn emails_to(&self, to: &str) -> Vec<SentEmail> {
        let sent = self.services.store.sent_emails(1000).await.unwrap();
        sent.into_iter().filter(|e| e.to == to).collect()
    }

    /// An account made directly in the database (confirmed, password "correct horse battery"),
    /// for tests about what happens after signup.
    pub async fn create_account(&self, email: &str) {
        let hash = onboarding::accounts::hash_password("correct horse battery".into()).await;
        let new = onboarding::store::NewUser {
            email,
            first_name: "Ada",
            last_name: "Lovelace",
            password_hash: &hash,
        };
        self.services.store.create_user(new).await.unwrap();
    }

    /// Submits the login form with a page to return to.
    pub async fn log_in_to(&self, email: &str, password: &str, next: &str) -> reqwest::Response {
        self.post_form(
            "/login",
            &[("email", email), ("password", password), ("next", next)],
        )
        .await
    }

    /// Asks for a reset link for `email` in `client`'s browser; returns the page it leads to.
    pub async fn ask_for_reset(&self, client: &reqwest::Client, email: &str) -> String {
        let response = client
            .post(self.url("/password/forgot"))
            .form(&[("email", email)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/password/forgot");
        page_in(client, &self.url("/password/forgot")).await
    }

    /// The reset link's token from the newest reset email to `email`.
    pub async fn reset_token_for(&self, email: &str) -> String {
        let mail = self.wait_for_email(email, "Reset your password").await;
        token_in(&mail.body, &self.address, "/password/reset")
    }

    /// Submits the login form.
    pub async fn log_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
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

    /// Waits until the database holds `status` for `email`, without loading any page (a page
    /// load may itself ask LedgerOS): for tests about what the workers learn by themselves.
    pub async fn wait_for_stored_status(&self, email: &str, status: &str) {
        let mut last = String::new();
        for _ in 0..200 {
            let user = self
                .services
                .store
                .user_by_email(email)
                .await
                .unwrap()
                .expect("user exists");
            last = user.kyc.status.as_str().to_owned();
            if last == status {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{email} is still {last}, not {status}");
    }

    /// Reloads `/status` until the page shows `status`, as a person would.
    pub async fn wait_for_status(&self, status: &str) -> String {
        self.wait_for_page("/status", &format!("data-status=\"{status}\""))
            .await
    }

    /// Reloads `path` until it contains `marker`.
    pub async fn wait_for_page(&self, path: &str, marker: &str) -> String {
        let mut last = String::new();
        for _ in 0..150 {
            let (code, body) = self.get_page(path).await;
            assert_eq!(code, StatusCode::OK);
            if body.contains(marker) {
                return body;
            }
            last = body;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{path} never showed {marker}; last page:\n{last}");
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

/// A hosted-page step: a plain form or a multipart one (file steps).
enum Step<'a> {
    Fields(&'a [(&'a str, &'a str)]),
    Files(Form),
}

/// The hosted page a "Start verification" answer leads to, without the language the app adds
/// (`?lang=`).
pub fn hosted_page(response: &reqwest::Response) -> String {
    let url = location(response);
    let (page, lang) = url.split_once("?lang=").expect("the app names the language");
    assert!(Lang::parse(lang).is_some(), "{url}");
    page.to_owned()
}

/// Follows "Start verification" to the hosted page and completes the four steps, as a person
/// without JavaScript would. Returns the verification page URL.
pub async fn complete_hosted_steps(app: &TestApp) -> String {
    let response = app.post_form("/verification/start", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&response).ends_with("?lang=en"),
        "in the page's language"
    );
    let url = hosted_page(&response);
    assert!(
        url.starts_with(app.sandbox.base_url()),
        "sent to the sandbox's hosted page: {url}"
    );

    let page = app.client.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Step 1 of 4"), "{page}");
    let personal = [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("date_of_birth", "1990-12-10"),
        ("phone", "+1 555 0100"),
        ("ssn", "123-45-6789"),
    ];
    let address = [
        ("line1", "1 Main St"),
        ("line2", ""),
        ("city", "Springfield"),
        ("state", "IL"),
        ("postal_code", "62701"),
        ("country", "US"),
    ];
    let steps = [
        ("personal", Step::Fields(&personal)),
        (
            "government-id",
            Step::Files(
                Form::new()
                    .text("id_type", "passport")
                    .text("use_sample_id", "on"),
            ),
        ),
        ("selfie", Step::Files(Form::new().text("liveness", "on"))),
        ("address", Step::Fields(&address)),
    ];
    for (step, body) in steps {
        let request = app.client.post(format!("{url}/{step}"));
        let request = match body {
            Step::Fields(fields) => request.form(fields),
            Step::Files(form) => request.multipart(form),
        };
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "step {step}");
    }
    url
}

/// Signs up a second person in their own browser; returns their LedgerOS user id.
pub async fn spawn_second_user(app: &TestApp, email: &str) -> String {
    sign_up_in(app, &browser_like_client(), "Bob", email, "another long password").await;
    app.ledger_id_of(email).await
}

/// The text of the page at `url`, in `client`'s browser.
pub async fn page_in(client: &reqwest::Client, url: &str) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

/// The token of the first link in `body` that starts with `base` + `path` and `?token=`.
pub fn token_in(body: &str, base: &str, path: &str) -> String {
    let prefix = format!("{base}{path}?token=");
    let start = body
        .find(&prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in:\n{body}"))
        + prefix.len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

/// The whole signup as a person does it, in `client`'s browser: the form, the email, the
/// confirmation page and its button. Returns where the button leads.
/// The signup form's proof of work, answered as the page's script does.
pub async fn solved_proof(app: &TestApp, client: &reqwest::Client) -> String {
    let challenge = client
        .get(app.url("/signup/challenge"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    tokio::task::spawn_blocking(move || onboarding::proof_of_work::solve(&challenge))
        .await
        .unwrap()
}

pub async fn sign_up_in(
    app: &TestApp,
    client: &reqwest::Client,
    first_name: &str,
    email: &str,
    password: &str,
) -> String {
    let proof = solved_proof(app, client).await;
    let form = [
        ("first_name", first_name),
        ("last_name", "Lovelace"),
        ("email", email),
        ("password", password),
        ("altcha", proof.as_str()),
    ];
    let response = client.post(app.url("/signup")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/signup/sent");
    let mail = app.wait_for_email(email, "Confirm your email").await;
    let token = token_in(&mail.body, &app.address, "/signup/confirm");
    let page = page_in(client, &app.url(&format!("/signup/confirm?token={token}"))).await;
    assert!(page.contains("Confirm and continue"), "{page}");
    let response = client
        .post(app.url("/signup/confirm"))
        .form(&[("token", token.as_str()), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

/// Signs an operator in to the console as a browser does: their password, then their second
/// factor (see [`give_second_factor`]).
pub async fn operator_client(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    let client = browser_like_client();
    let response = client
        .post(app.url("/admin/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "operator login");
    let to = location(&response);
    assert!(
        to.starts_with("/admin/2fa?next="),
        "the second factor comes next: {to}"
    );
    give_second_factor(app, &client, email).await;
    client
}

/// Gives `email`'s second factor in `client`'s console session: the code their authenticator
/// app shows now (the test sets an app up for them if they have none, as the setup page
/// would), or the next step's code when this one was used already (a code works once), or a
/// fresh recovery code when both were.
pub async fn give_second_factor(app: &TestApp, client: &reqwest::Client, email: &str) {
    use onboarding::second_factor;
    let store = &app.services.store;
    let operator = store
        .operator_by_email(email)
        .await
        .unwrap()
        .expect("an operator");
    let secret = match store.totp_secret(&operator.id).await.unwrap() {
        Some(secret) => secret,
        None => {
            let secret = second_factor::new_secret();
            store.save_totp(&operator.id, &secret, 0).await.unwrap();
            secret
        }
    };
    let now = app.services.clock.now_ms();
    let mut tries: Vec<String> = [now, now + 30_000]
        .into_iter()
        .filter_map(|at| second_factor::code_at(&secret, at))
        .collect();
    let (codes, digests) = second_factor::new_recovery_codes();
    tries.push(codes[0].clone());
    let mut replaced = false;
    for code in tries {
        if !replaced && code.contains('-') {
            store
                .replace_recovery_codes(&operator.id, &digests)
                .await
                .unwrap();
            replaced = true;
        }
        let response = client
            .post(app.url("/admin/2fa"))
            .form(&[("code", code.as_str()), ("next", "/admin/appeals")])
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::SEE_OTHER {
            return;
        }
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "second factor"
        );
    }
    panic!("no second factor was accepted for {email}");
}

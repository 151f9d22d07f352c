//! The operator console with many applicants: seeds `CONSOLE_APPLICANTS` (default 100,000)
//! applicants, each with its status changes and a webhook, then times the console's pages over
//! HTTP as an operator sees them (the app in this process, on loopback), and the applicant
//! list's keyset query alone.
//!
//! `cargo bench -p server --bench console` (SQLite); with `BENCH_DATABASE_URL` naming a
//! PostgreSQL server, on a fresh database there (`cargo make bench-postgres` does both).

use std::time::{Duration, Instant};

use leptos::config::LeptosOptions;
use onboarding::clock::Clock;
use onboarding::operators::{DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD};
use onboarding::store::{ApplicantQuery, Store};
use server::config::Config;
use server::startup::Application;

const STATUSES: [&str; 6] = [
    "pending",
    "approved",
    "denied",
    "manualReview",
    "needsInformation",
    "notStarted",
];
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn database(dir: &std::path::Path) -> String {
    let Ok(server) = std::env::var("BENCH_DATABASE_URL") else {
        return format!("sqlite://{}", dir.join("console.db").display());
    };
    use sqlx::Connection;
    let name = format!("console_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .expect("BENCH_DATABASE_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create the bench database");
    let (base, _) = server.rsplit_once('/').expect("a database name");
    format!("{base}/{name}")
}

/// `count` applicants over the last 90 days, in batches of multi-row inserts.
async fn seed(store: &Store, count: usize, now: i64) {
    let batch = 500;
    for start in (0..count).step_by(batch) {
        let end = (start + batch).min(count);
        let mut users = Vec::new();
        let mut changes = Vec::new();
        let mut events = Vec::new();
        for i in start..end {
            let status = STATUSES[i % STATUSES.len()];
            let created = now - 90 * DAY_MS + (i as i64 * 90 * DAY_MS / count as i64);
            let changed = created + 20 * 60_000;
            users.push(format!(
                "('u{i:06}', 'person{i:06}@example.com', 'Person{i}', 'Surname{}', 'x', {created}, {changed}, \
                 't{i:06}', '{status}', 'user_{i:06}', {started})",
                i % 977,
                started = created + 60_000
            ));
            changes.push(format!(
                "('u{i:06}', 'pending', 'initiation', NULL, {})",
                created + 60_000
            ));
            if status != "pending" && status != "notStarted" {
                changes.push(format!(
                    "('u{i:06}', '{status}', 'webhook', 'evt_{i:06}', {changed})"
                ));
            }
            events.push(format!(
                "('evt_{i:06}', 'user.application.approved', 'user_{i:06}', {changed}, '{{}}', 'approved', '[]', {changed}, {changed}, 'applied:approved')"
            ));
        }
        store
            .execute_for_tests(&format!(
                "INSERT INTO users (id, email, first_name, last_name, password_hash, created_at, status_changed_at, \
                 reminders_token, application_status, ledger_user_id, started_at) VALUES {}",
                users.join(", ")
            ))
            .await
            .expect("seed users");
        store
            .execute_for_tests(&format!(
                "INSERT INTO status_changes (user_id, status, source, event_id, at) VALUES {}",
                changes.join(", ")
            ))
            .await
            .expect("seed status changes");
        store
            .execute_for_tests(&format!(
                "INSERT INTO webhook_events (id, event_type, ledger_user_id, created_at_ms, payload, status, \
                 required_fields, received_at, processed_at, outcome) VALUES {}",
                events.join(", ")
            ))
            .await
            .expect("seed webhooks");
    }
}

/// The median and the slowest of `runs` timings of `f`, in ms.
async fn time<F, Fut>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await;
        all.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    all.sort_by(f64::total_cmp);
    (all[all.len() / 2], all[all.len() - 1])
}

fn main() {
    let count = setting("CONSOLE_APPLICANTS", 100_000);
    let runs = setting("CONSOLE_RUNS", 20);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = database(dir.path()).await;
        let mut config = Config::from_env("127.0.0.1:0".parse().unwrap()).expect("demo config");
        config.database_url = url;
        config.ledger_api_url = None;
        config.public_url = None;
        config.sandbox_addr = "127.0.0.1:0".parse().unwrap();
        let leptos = LeptosOptions::builder()
            .output_name("onboarding")
            .site_root("target/site")
            .build();
        let app = Application::build_with_clock(config, leptos, Clock::system())
            .await
            .expect("app builds");
        let store = app.services().store.clone();
        let now = app.services().clock.now_ms();
        let base = format!("http://127.0.0.1:{}", app.port());
        let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        eprintln!("… seeding {count} applicants ({})", store.kind());
        let seeding = Instant::now();
        seed(&store, count, now).await;
        eprintln!("… seeded in {:.1} s", seeding.elapsed().as_secs_f64());

        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        let login = client
            .post(format!("{base}/admin/login"))
            .form(&[
                ("email", DEMO_OPERATOR_EMAIL),
                ("password", DEMO_OPERATOR_PASSWORD),
            ])
            .send()
            .await
            .expect("login");
        assert!(
            login.status().is_redirection(),
            "operator login: {}",
            login.status()
        );
        // The demo admin's second factor: its published authenticator secret.
        let code = onboarding::second_factor::code_at(
            onboarding::second_factor::DEMO_OPERATOR_TOTP_SECRET,
            onboarding::clock::Clock::system().now_ms(),
        )
        .expect("a code");
        let factor = client
            .post(format!("{base}/admin/2fa"))
            .form(&[("code", code.as_str()), ("next", "/admin/appeals")])
            .send()
            .await
            .expect("second factor");
        assert!(
            factor.status().is_redirection(),
            "second factor: {}",
            factor.status()
        );

        let middle = count / 2;
        let deep_key = format!(
            "{}.u{middle:06}",
            now - 90 * DAY_MS + (middle as i64 * 90 * DAY_MS / count as i64) + 20 * 60_000
        );
        let pages = [
            ("applicants, first page", "/admin/applicants".to_owned()),
            (
                "applicants, a page half way (keyset)",
                format!("/admin/applicants?after={deep_key}"),
            ),
            (
                "applicants, status = denied",
                "/admin/applicants?status=denied".to_owned(),
            ),
            (
                "applicants, an address with @ (index)",
                "/admin/applicants?q=person042170@ex".to_owned(),
            ),
            (
                "applicants, start of an address without @ (indexes)",
                "/admin/applicants?q=person04217".to_owned(),
            ),
            (
                "applicants, part of a name matching ~8,000 (trigram index)",
                "/admin/applicants?q=surname97".to_owned(),
            ),
            (
                "applicants, a name nobody has (trigram index)",
                "/admin/applicants?q=nobody%20has%20this".to_owned(),
            ),
            (
                "applicants, LedgerOS id (index)",
                "/admin/applicants?q=user_042170".to_owned(),
            ),
            (
                "an applicant's page (timeline)",
                "/admin/applicants/u042170".to_owned(),
            ),
            ("webhooks, first page", "/admin/webhooks".to_owned()),
            (
                "webhooks, last 24 hours, applied",
                "/admin/webhooks?since=24h&outcome=applied".to_owned(),
            ),
            ("appeals queue", "/admin/appeals".to_owned()),
            ("funnel, last 30 days", "/admin/funnel?days=30".to_owned()),
            ("funnel, all time", "/admin/funnel?days=0".to_owned()),
            ("audit log", "/admin/audit".to_owned()),
        ];
        println!(
            "# Console with {count} applicants ({}), {runs} runs each, loopback",
            store.kind()
        );
        println!();
        println!("| page | median ms | slowest ms |");
        println!("|---|---:|---:|");
        for (name, path) in pages {
            let url = format!("{base}{path}");
            let (median, slowest) = time(runs, || {
                let (client, url) = (client.clone(), url.clone());
                async move {
                    let response = client.get(&url).send().await.expect("page");
                    assert!(response.status().is_success(), "{url}: {}", response.status());
                    response.bytes().await.expect("body");
                }
            })
            .await;
            println!("| {name} | {median:.1} | {slowest:.1} |");
        }
        let deep = onboarding::store::UserId(format!("u{middle:06}"));
        let (median, slowest) = time(runs, || {
            let store = store.clone();
            let at = now - 90 * DAY_MS + (middle as i64 * 90 * DAY_MS / count as i64) + 20 * 60_000;
            let deep = deep.clone();
            async move {
                let query = ApplicantQuery {
                    after: Some((at, deep)),
                    limit: 51,
                    ..Default::default()
                };
                let page = store.applicants(&query).await.expect("a page");
                assert_eq!(page.len(), 51);
            }
        })
        .await;
        println!("| keyset query alone, half way (store call) | {median:.2} | {slowest:.2} |");
    });
}

//! Provider outage: the proof harness for "a signup never depends on LedgerOS being up"
//! (`cargo make proof` runs it for two minutes with 100 people; `cargo make test` runs a short
//! version on SQLite and on PostgreSQL).
//!
//! The server binary runs in live mode as its own process, against a LedgerOS sandbox and an
//! SMTP server in this harness. The sandbox answers every API call with `503`, then with `429`
//! and `Retry-After`, while people sign up and confirm their email through the real forms (each
//! from an address of their own). During the outage the server is killed with SIGKILL and
//! started again. Then LedgerOS comes back; once a third of the people are set up, the server
//! is killed again (calls in flight are made again under their idempotency keys). The harness
//! watches:
//!
//! - every signup succeeded for the person (the form, the email, the confirmation, the status
//!   page), during the outage;
//! - every person is set up at LedgerOS (a user, verification initiated) within 60 s of the
//!   recovery, and our database holds the same LedgerOS id;
//! - exactly once: one LedgerOS user per person (the sandbox counts idempotent replays).
//!
//! Settings: `OUTAGE_PEOPLE` (default 20), `OUTAGE_SECS` (default 12; half `503`, half `429`).
//! `TEST_DATABASE_URL` pointing at PostgreSQL runs it there.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use onboarding::clock::Clock;
use onboarding::store::Store;
use reqwest::StatusCode;
use sandbox::{Outage, Sandbox, SandboxConfig};
use tokio::sync::RwLock;

use crate::harness::{self, Db, ServerProcess, free_port, fresh_database, setting};
use crate::smtp::SmtpListener;

const API_KEY: &str = "lk_test_outage_harness";
const SECRET: &str = "whsec_outage_harness";
const PASSWORD: &str = "outage harness passphrase";
/// How soon after recovery every person must be set up at LedgerOS.
const RECOVERY_LIMIT: Duration = Duration::from_secs(60);

fn email_of(n: u64) -> String {
    format!("outage{n}@example.com")
}

/// One person's whole signup, as a browser without JavaScript does it. Returns how long the
/// person waited in all, or what went wrong.
async fn sign_up(app: &str, smtp: &SmtpListener, n: u64) -> Result<Duration, String> {
    let started = Instant::now();
    let mut headers = reqwest::header::HeaderMap::new();
    let address = format!("10.{}.{}.{}", n / 65536 % 256, n / 256 % 256, n % 256 + 1);
    headers.insert("x-forwarded-for", address.parse().expect("an address"));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("client");
    let email = email_of(n);
    // A name is letters (the name rule): person 12 is "Outage bc".
    let last_name = format!(
        "Outage {}",
        n.to_string()
            .bytes()
            .map(|d| char::from(b'a' + d - b'0'))
            .collect::<String>()
    );
    let form = [
        ("first_name", "Olive"),
        ("last_name", last_name.as_str()),
        ("email", email.as_str()),
        ("password", PASSWORD),
    ];
    let response = client
        .post(format!("{app}/signup"))
        .form(&form)
        .send()
        .await
        .map_err(|e| format!("signup form: {e}"))?;
    expect_redirect(&response, "/signup/sent", "signup form")?;
    // The email, as it arrived over SMTP (decoded from quoted-printable).
    let body = smtp.wait_for(&format!("To: {email}")).await;
    let prefix = format!("{app}/signup/confirm?token=");
    let token = body
        .split_once(&prefix)
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .ok_or_else(|| format!("no {prefix} link in the email: {body}"))?
        .to_owned();
    let page = client
        .get(format!("{prefix}{token}"))
        .send()
        .await
        .map_err(|e| format!("confirmation page: {e}"))?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    if !page.contains("Confirm and continue") {
        return Err("the confirmation page has no button".into());
    }
    let response = client
        .post(format!("{app}/signup/confirm"))
        .form(&[("token", token.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .map_err(|e| format!("confirmation: {e}"))?;
    expect_redirect(&response, "/status", "confirmation")?;
    let response = client
        .get(format!("{app}/status"))
        .send()
        .await
        .map_err(|e| format!("status page: {e}"))?;
    if response.status() != StatusCode::OK {
        return Err(format!("the status page answered {}", response.status()));
    }
    let page = response.text().await.map_err(|e| e.to_string())?;
    if !page.contains("Hi Olive") {
        return Err("the status page does not greet the person".into());
    }
    Ok(started.elapsed())
}

fn expect_redirect(response: &reqwest::Response, to: &str, what: &str) -> Result<(), String> {
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("");
    if response.status() == StatusCode::SEE_OTHER && location == to {
        Ok(())
    } else {
        Err(format!(
            "{what}: {} to {location:?}, not to {to}",
            response.status()
        ))
    }
}

/// The proof at the size its settings ask for: true when every check held.
pub fn run() -> bool {
    let people = setting("OUTAGE_PEOPLE", 20).max(1);
    let outage = Duration::from_secs(setting("OUTAGE_SECS", 12).max(2));
    let runtime = harness::runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("server.log");
    let checks = runtime.block_on(async {
        let (database, backend) = fresh_database(dir.path(), "outage").await;
        let port = free_port();
        let app = format!("http://127.0.0.1:{port}");
        let smtp = Arc::new(SmtpListener::start().await);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("sandbox port");
        let sandbox = Sandbox::start(
            SandboxConfig {
                api_key: API_KEY.into(),
                webhook_secrets: vec![SECRET.into()],
                app_url: app.clone(),
                status_updates: false,
                state_file: None,
            },
            listener,
        )
        .await
        .expect("the sandbox starts");
        let env = [
            ("DATABASE_URL", database.clone()),
            ("LEDGER_API_URL", sandbox.base_url().to_owned()),
            ("LEDGER_API_KEY", API_KEY.to_owned()),
            ("LEDGER_WEBHOOK_SECRET", SECRET.to_owned()),
            ("SMTP_URL", smtp.url()),
            ("TRUSTED_PROXIES", "127.0.0.1".to_owned()),
        ];
        println!(
            "outage proof on {backend}: {people} people sign up during a {}-second LedgerOS outage \
             ({} s of 503, then 429 with Retry-After {} s); the server is SIGKILLed in the middle of the outage \
             and again during the recovery",
            outage.as_secs(),
            outage.as_secs() / 2,
            Outage::RETRY_AFTER_SECS
        );

        let mut server = ServerProcess::start(port, &env, &log).await;
        let store = Store::connect(&database, Clock::system(), &app).await.expect("store");
        let store = Arc::new(store);
        sandbox.set_outage_mode(Outage::Unavailable);
        let requests_before = sandbox.api_requests();
        let began = Instant::now();

        // People arrive evenly over the first 80% of the outage. Signups take the lock to read;
        // the kill takes it to write, so nobody is half way through when the server dies.
        let gate = Arc::new(RwLock::new(()));
        let spacing = outage.mul_f64(0.8) / people as u32;
        let mut signups = Vec::new();
        for n in 0..people {
            let (app, smtp, gate) = (app.clone(), smtp.clone(), gate.clone());
            let start_at = began + spacing * n as u32;
            signups.push(tokio::spawn(async move {
                tokio::time::sleep_until(start_at.into()).await;
                let _held = gate.read().await;
                sign_up(&app, &smtp, n).await
            }));
        }
        let throttle_at = began + outage / 2;
        let kill_at = began + outage.mul_f64(0.6);
        tokio::time::sleep_until(throttle_at.into()).await;
        sandbox.set_outage_mode(Outage::Throttled);
        tokio::time::sleep_until(kill_at.into()).await;
        let jobs_at_kill = {
            let _all = gate.write().await;
            let jobs = store.pending_jobs().await.unwrap_or(-1);
            server.kill();
            server = ServerProcess::start(port, &env, &log).await;
            jobs
        };
        tokio::time::sleep_until((began + outage).into()).await;
        let mut results = Vec::new();
        for signup in signups {
            results.push(signup.await.expect("signup task"));
        }
        let calls_during_outage = sandbox.api_requests() - requests_before;
        let replays_before = sandbox.idempotent_replays();
        sandbox.set_outage_mode(Outage::Up);
        let recovered = Instant::now();
        let signed_up_before_recovery = results.iter().filter(|r| r.is_ok()).count();

        // Kill again while the waiting calls go through, a third of the people set up: a call
        // LedgerOS answered but the server had not recorded is made again under its idempotency
        // key, and LedgerOS replays its answer rather than making a second user.
        while (sandbox.users_by_email().len() as u64) < people.div_ceil(3) && recovered.elapsed() < RECOVERY_LIMIT {
            tokio::task::yield_now().await;
        }
        let set_up_at_second_kill = sandbox.users_by_email().len();
        server.kill();
        server = ServerProcess::start(port, &env, &log).await;

        // Watch each person appear at LedgerOS, set up (verification initiated).
        let mut ready_after: HashMap<String, Duration> = HashMap::new();
        while recovered.elapsed() < RECOVERY_LIMIT * 2 && (ready_after.len() as u64) < people {
            for (email, _, started) in sandbox.users_by_email() {
                if started {
                    ready_after.entry(email).or_insert_with(|| recovered.elapsed());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Let the last replies land in our database, then compare both sides.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let at_ledger = sandbox.users_by_email();
        let mut per_person: HashMap<String, usize> = HashMap::new();
        for (email, _, _) in &at_ledger {
            *per_person.entry(email.clone()).or_default() += 1;
        }
        let db = Db::connect(&database).await;
        let ours: HashMap<String, String> =
            db.pairs("SELECT email, ledger_user_id FROM users").await.into_iter().collect();
        let mismatched = at_ledger
            .iter()
            .filter(|(email, id, _)| ours.get(email) != Some(id))
            .count();
        let failed_attempts = db
            .counts("SELECT 'all', COUNT(*) FROM job_failures")
            .await
            .first()
            .map_or(0, |(_, n)| *n);
        let replays = sandbox.idempotent_replays();
        drop(server);

        let mut waits: Vec<Duration> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
        waits.sort();
        let mut ready: Vec<Duration> = ready_after.values().copied().collect();
        ready.sort();
        let slowest_ready = ready.last().copied().unwrap_or(Duration::MAX);
        let twice = per_person.values().filter(|&&n| n > 1).count();
        let missing = (0..people).filter(|n| !per_person.contains_key(&email_of(*n))).count();
        let errors: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();

        println!("| people | signed up during the outage | LedgerOS calls refused | server killed with jobs waiting | set up after recovery: median / slowest | LedgerOS users per person | replays answered | our id differs |");
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
        println!(
            "| {people} | {signed_up_before_recovery} | {calls_during_outage} | {jobs_at_kill} | {:.1} s / {:.1} s | {} | {} | {mismatched} |",
            ready.get(ready.len() / 2).map_or(f64::NAN, Duration::as_secs_f64),
            slowest_ready.as_secs_f64(),
            if twice == 0 && missing == 0 { "1 each".to_owned() } else { format!("{missing} missing, {twice} twice") },
            replays,
        );
        println!(
            "second SIGKILL during the recovery with {set_up_at_second_kill} of {people} people at LedgerOS"
        );
        println!(
            "a person's whole signup (form, email, confirmation, status page) took {:.2} s median, {:.2} s at most; \
             {failed_attempts} failed LedgerOS attempts were recorded for operators; {} replays were answered during the recovery",
            waits.get(waits.len() / 2).map_or(f64::NAN, Duration::as_secs_f64),
            waits.last().map_or(f64::NAN, Duration::as_secs_f64),
            replays - replays_before
        );
        [
            (errors.is_empty(), format!("signups failed: {errors:?}")),
            (signed_up_before_recovery as u64 == people, "not every signup finished during the outage".to_owned()),
            (missing == 0, format!("{missing} people were never set up at LedgerOS")),
            (twice == 0, format!("{twice} people have more than one LedgerOS user")),
            (at_ledger.len() as u64 == people, format!("{} LedgerOS users for {people} people", at_ledger.len())),
            (slowest_ready <= RECOVERY_LIMIT, format!("the slowest was set up {slowest_ready:?} after recovery")),
            (mismatched == 0, format!("{mismatched} people hold another LedgerOS id than LedgerOS has")),
            (jobs_at_kill > 0, "no LedgerOS call was waiting when the server was killed".to_owned()),
        ]
    });
    harness::verdict(
        "outage",
        checks,
        &log,
        &format!("every signup succeeded, every person set up once within {RECOVERY_LIMIT:?} of recovery"),
    )
}

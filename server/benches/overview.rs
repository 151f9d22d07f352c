//! The overview benchmark: `cargo make bench-overview` (or `cargo bench -p server --bench
//! overview`). One run, one table: the release server binary as its own process on a fresh
//! SQLite file (WAL, `synchronous=FULL`), loaded over loopback from this process, next to the
//! limits measured in the same run on the same machine:
//!
//! - page rates at 32 connections (keep-alive): `/healthz` (a trivial axum handler on the same
//!   server: the ceiling for any page), the anonymous landing, signup and login pages, and a
//!   signed-in status page, and the signed-in account page (no island: what the status page costs
//!   beyond a plain signed-in page);
//! - webhook ingest (signature, durable commit, 2xx) at 1 and 32 senders, against a bare
//!   SQLite loop committing one row per transaction at the same durability;
//! - the server's resident memory at rest and after 100,000 webhooks.
//!
//! No peer stacks (Next.js, Express, nginx) are installed here; the ratios are to the limits.
//! Settings: `BENCH_SECONDS` (per page row, default 5), `OVERVIEW_EVENTS` (webhooks at 32
//! senders, default 100000), `BENCH_USERS` (known LedgerOS users, default 300).
//!
//! `OVERVIEW_BASELINE_SERVER=/path/to/an/older/server` adds a second table: the same pages
//! served by that build (on its own fresh database, migrated by itself), measured in turns with
//! this one, two rounds each, so that a change's cost is read in one run on one machine.

#[path = "../tests/support/harness.rs"]
mod harness;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use onboarding::webhook::signature::{SIGNATURE_HEADER, signature_header};
use serde_json::json;
use server::config::SANDBOX_WEBHOOK_SECRET;
use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

use harness::{Db, ServerProcess, free_port, now_ms, seed_linked_users, setting};

const CONNECTIONS: usize = 32;
const PASSWORD: &str = "bench passphrase that is long";

struct Rate {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// `connections` keep-alive connections asking for `url` (with `cookie`) for `seconds`.
async fn hammer(url: &str, cookie: Option<&str>, seconds: u64) -> Rate {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(usize::MAX)
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (client, url, cookie) = (client.clone(), url.to_owned(), cookie.map(str::to_owned));
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let mut request = client.get(&url);
                    if let Some(cookie) = &cookie {
                        request = request.header("cookie", cookie);
                    }
                    let t0 = Instant::now();
                    let response = request.send().await.expect("request");
                    assert!(response.status().is_success(), "{url}: {}", response.status());
                    response.bytes().await.expect("body");
                    latencies.push(t0.elapsed().as_micros() as u64);
                }
                latencies
            })
        })
        .collect();
    let started = Instant::now();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("load task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    rate_of(all, elapsed)
}

fn rate_of(mut latencies_us: Vec<u64>, seconds: f64) -> Rate {
    latencies_us.sort_unstable();
    let at = |p: f64| {
        latencies_us
            .get(((latencies_us.len() as f64 - 1.0) * p).round() as usize)
            .map_or(f64::NAN, |us| *us as f64 / 1000.0)
    };
    Rate {
        per_second: latencies_us.len() as f64 / seconds,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    }
}

/// Signs a person up through the forms and the demo mailbox; returns their session cookie.
async fn signed_in_cookie(url: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let email = "bench@example.com";
    let form = [
        ("first_name", "Bench"),
        ("last_name", "Person"),
        ("email", email),
        ("password", PASSWORD),
    ];
    let response = client
        .post(format!("{url}/signup"))
        .form(&form)
        .send()
        .await
        .expect("signup");
    assert!(
        response.status().is_redirection(),
        "signup: {}",
        response.status()
    );
    let mut token = None;
    for _ in 0..100 {
        let list = client
            .get(format!("{url}/dev/mailbox"))
            .send()
            .await
            .expect("mailbox");
        let list = list.text().await.unwrap_or_default();
        if let Some(id) = list
            .split("/dev/mailbox/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        {
            let mail = client
                .get(format!("{url}/dev/mailbox/{id}"))
                .send()
                .await
                .expect("email");
            let mail = mail.text().await.unwrap_or_default();
            token = mail.split("/signup/confirm?token=").nth(1).map(|rest| {
                rest.chars()
                    .take_while(char::is_ascii_hexdigit)
                    .collect::<String>()
            });
            if token.is_some() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = token.expect("a confirmation email in the demo mailbox");
    let response = client
        .post(format!("{url}/signup/confirm"))
        .form(&[("token", token.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .expect("confirm");
    assert!(
        response.status().is_redirection(),
        "confirm: {}",
        response.status()
    );
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("session=") || v.starts_with("__Host-session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let status = client
        .get(format!("{url}/status"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("status");
    assert!(
        status.status().is_success(),
        "/status answered {}",
        status.status()
    );
    cookie
}

/// Signed webhooks for the known users, cycling through in-flight statuses.
fn events(count: usize, users: usize, tag: &str) -> Vec<(String, Bytes)> {
    const CYCLE: [(&str, &str); 4] = [
        ("user.application.needs_info", "needsInformation"),
        ("user.application.updated", "manualReview"),
        ("user.application.updated", "needsVerification"),
        ("user.application.updated", "pending"),
    ];
    let base = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
    (0..count)
        .map(|i| {
            let id = format!("evt_{tag}_{i:07}");
            let (kind, status) = CYCLE[(i / users) % CYCLE.len()];
            let mut data =
                json!({ "userId": format!("user_bench_{}", i % users), "applicationStatus": status });
            if status == "needsInformation" {
                data["requiredFields"] = json!(["proofOfAddress"]);
            }
            let body = json!({ "id": id, "type": kind, "createdAt": base + i as i64, "data": data });
            (id, Bytes::from(body.to_string()))
        })
        .collect()
}

async fn send_webhooks(url: &str, events: Vec<(String, Bytes)>, senders: usize) -> Rate {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(usize::MAX)
        .build()
        .expect("client");
    let events = Arc::new(events);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..senders)
        .map(|_| {
            let (client, events, next, url) = (client.clone(), events.clone(), next.clone(), url.to_owned());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((id, body)) = events.get(i) else { break };
                    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
                    let signature = signature_header([SANDBOX_WEBHOOK_SECRET], now, body);
                    let t0 = Instant::now();
                    let response = client
                        .post(format!("{url}/webhooks/ledger"))
                        .header("content-type", "application/json")
                        .header(SIGNATURE_HEADER, signature)
                        .header("x-ledger-event-id", id.as_str())
                        .body(body.clone())
                        .send()
                        .await
                        .expect("webhook");
                    assert!(response.status().is_success(), "webhook: {}", response.status());
                    response.bytes().await.expect("body");
                    latencies.push(t0.elapsed().as_micros() as u64);
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("sender"));
    }
    rate_of(all, started.elapsed().as_secs_f64())
}

/// Emails due and not yet sent.
async fn queued_emails(db: &Db) -> i64 {
    let sql = format!(
        "SELECT 'queued', COUNT(*) FROM emails WHERE sent_at IS NULL AND run_at <= {}",
        now_ms()
    );
    db.counts(&sql).await[0].1
}

/// The same durability with nothing else: one row per transaction, `synchronous=FULL`, WAL.
async fn bare_sqlite_loop(path: &std::path::Path, seconds: u64) -> f64 {
    let mut db = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await
        .expect("bare SQLite");
    sqlx::query("CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        .execute(&mut db)
        .await
        .expect("table");
    let payload = "x".repeat(300);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut rows = 0u64;
    while Instant::now() < deadline {
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut db)
            .await
            .expect("begin");
        sqlx::query("INSERT INTO rows (payload) VALUES (?)")
            .bind(&payload)
            .execute(&mut db)
            .await
            .expect("insert");
        sqlx::query("COMMIT").execute(&mut db).await.expect("commit");
        rows += 1;
    }
    rows as f64 / started.elapsed().as_secs_f64()
}

/// The anonymous pages and the signed-in status page on this build (at `url`, signed in with
/// `cookie`) and on `binary`, in turns (this, baseline, baseline, this), so that drift in the
/// machine falls on both: (page, this build's mean rate, the baseline's).
async fn against_baseline(
    binary: &std::path::Path,
    dir: &std::path::Path,
    url: &str,
    cookie: &str,
    seconds: u64,
) -> Vec<(&'static str, f64, f64)> {
    let port = free_port();
    let env = [
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("baseline.db").display()),
        ),
        ("SANDBOX_ADDR", "127.0.0.1:0".to_owned()),
    ];
    let baseline = ServerProcess::start_binary(binary, None, port, &env, &dir.join("baseline.log")).await;
    let base_url = format!("http://127.0.0.1:{port}");
    let base_cookie = signed_in_cookie(&base_url).await;
    eprintln!(
        "… the same pages on the baseline ({}), in turns",
        binary.display()
    );
    let mut rows = Vec::new();
    for (name, path, signed_in) in [
        ("landing `/` (anonymous)", "/", false),
        ("`/signup` (anonymous)", "/signup", false),
        ("`/login` (anonymous)", "/login", false),
        ("`/status` (signed in)", "/status", true),
    ] {
        let (mut now, mut before) = (0.0, 0.0);
        for turn in 0..4 {
            let this_build = turn == 0 || turn == 3;
            let (url, cookie) = if this_build {
                (url, cookie)
            } else {
                (base_url.as_str(), base_cookie.as_str())
            };
            let rate = hammer(&format!("{url}{path}"), signed_in.then_some(cookie), seconds)
                .await
                .per_second
                / 2.0;
            if this_build {
                now += rate;
            } else {
                before += rate;
            }
        }
        rows.push((name, now, before));
    }
    drop(baseline);
    rows
}

fn main() {
    let seconds = setting("BENCH_SECONDS", 5) as u64;
    let events_total = setting("OVERVIEW_EVENTS", 100_000);
    let users = setting("BENCH_USERS", 300);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let dir = tempfile::Builder::new()
        .prefix("overview-bench-")
        .tempdir()
        .expect("temp dir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let database = format!("sqlite://{}", dir.path().join("app.db").display());
        eprintln!("… seeding {users} users");
        // Known users, linked and set up before the server starts (as if they had signed up).
        seed_linked_users(&database, "bench", users as u64, |_| "Seed".to_owned(), "not-a-login").await;
        let port = free_port();
        let env = [
            ("DATABASE_URL", database.clone()),
            ("SANDBOX_ADDR", "127.0.0.1:0".to_owned()),
        ];
        let server = ServerProcess::start(port, &env, &dir.path().join("server.log")).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let rss_rest = server.rss_mb();
        let url = format!("http://127.0.0.1:{port}");

        eprintln!("… pages, {seconds} s each at {CONNECTIONS} connections");
        let healthz = hammer(&format!("{url}/healthz"), None, seconds).await;
        let landing = hammer(&format!("{url}/"), None, seconds).await;
        let signup = hammer(&format!("{url}/signup"), None, seconds).await;
        let login = hammer(&format!("{url}/login"), None, seconds).await;
        let cookie = signed_in_cookie(&url).await;
        let status = hammer(&format!("{url}/status"), Some(&cookie), seconds).await;
        let account = hammer(&format!("{url}/account"), Some(&cookie), seconds).await;
        let baseline = match std::env::var_os("OVERVIEW_BASELINE_SERVER") {
            Some(binary) => Some(against_baseline(binary.as_ref(), dir.path(), &url, &cookie, seconds).await),
            None => None,
        };

        eprintln!("… webhooks: 3000 at 1 sender, then {events_total} at 32");
        let one = send_webhooks(&url, events(3000, users, "one"), 1).await;
        let db = Db::connect(&database).await;
        let queued_before = queued_emails(&db).await;
        let many = send_webhooks(&url, events(events_total, users, "many"), 32).await;
        // The decision emails those webhooks queued, delivered by the server's mail worker (dev
        // mailbox: into the same file): the whole of the work, not only its acknowledged part.
        let burst_ended = Instant::now();
        let queued_after = queued_emails(&db).await;
        while queued_emails(&db).await > 0 && burst_ended.elapsed() < Duration::from_secs(300) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let drained_in = burst_ended.elapsed().as_secs_f64();
        let emails_sent: i64 = db
            .counts("SELECT 'sent', COUNT(*) FROM emails WHERE sent_at IS NOT NULL")
            .await[0]
            .1;
        let rss_after = server.rss_mb();
        drop(server);
        eprintln!("… bare SQLite loop");
        let bare = bare_sqlite_loop(&dir.path().join("bare.db"), seconds).await;

        println!("# Overview: release server, SQLite (WAL, synchronous=FULL), loopback, {cores} cores shared with the load generator");
        println!();
        println!("| what | rate | p50 ms | p99 ms | limit in the same run | ratio |");
        println!("|---|---:|---:|---:|---|---:|");
        let page = |name: &str, r: &Rate| {
            println!(
                "| {name} | {:.0} req/s | {:.2} | {:.2} | `/healthz` {:.0} req/s | {:.0}% |",
                r.per_second,
                r.p50_ms,
                r.p99_ms,
                healthz.per_second,
                100.0 * r.per_second / healthz.per_second
            );
        };
        println!(
            "| `/healthz` (trivial handler) | {:.0} req/s | {:.2} | {:.2} | — | — |",
            healthz.per_second, healthz.p50_ms, healthz.p99_ms
        );
        page("landing `/` (anonymous)", &landing);
        page("`/signup` (anonymous)", &signup);
        page("`/login` (anonymous)", &login);
        page("`/status` (signed in)", &status);
        page("`/account` (signed in, no island)", &account);
        let ingest = |name: &str, r: &Rate| {
            println!(
                "| {name} | {:.0} events/s | {:.2} | {:.2} | bare SQLite loop {:.0} rows/s | {:.0}% |",
                r.per_second,
                r.p50_ms,
                r.p99_ms,
                bare,
                100.0 * r.per_second / bare
            );
        };
        ingest("webhooks, 1 sender (3000)", &one);
        ingest(&format!("webhooks, 32 senders ({events_total})"), &many);
        let whole = events_total as f64 / many.per_second + drained_in;
        println!(
            "| webhooks, 32 senders, until their emails are sent | {:.0} events/s | | | {emails_sent} emails sent in all; {queued_before} waiting before the burst, {queued_after} at its end, none {drained_in:.1} s later | |",
            events_total as f64 / whole
        );
        println!(
            "| server RSS | {rss_rest:.1} MB at rest, {rss_after:.1} MB after {} webhooks | | | target 60 MB | |",
            3000 + events_total
        );
        println!();
        println!(
            "Pages: {CONNECTIONS} keep-alive connections for {seconds} s each, no compression asked. \
             Webhooks: signed just before sending, each answered after its durable commit."
        );
        if let Some(rows) = baseline {
            println!();
            println!("## This build against the baseline (`OVERVIEW_BASELINE_SERVER`), in turns, mean of two rounds");
            println!();
            println!("| page | this build | baseline | change |");
            println!("|---|---:|---:|---:|");
            for (name, now, before) in rows {
                println!(
                    "| {name} | {now:.0} req/s | {before:.0} req/s | {:+.1}% |",
                    100.0 * (now - before) / before
                );
            }
        }
    });
}

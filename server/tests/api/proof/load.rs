//! Load held: the proof harness for live status pages under a steady stream of webhooks
//! (`cargo make proof` runs 2,000 open pages and 200 webhooks/s for 10 minutes; `cargo make
//! test` runs a short version on SQLite and on PostgreSQL).
//!
//! The server binary runs as its own process. Known users log in through the login form (each
//! from an address of their own) and open their status page's live stream
//! (`/events/status`, server-sent events). A sender delivers signed webhooks at a steady rate,
//! each asking one user for another document, so each one changes what that user's page shows.
//! Measured:
//!
//! - the time from a webhook's 2xx to the change arriving on that user's open page (p50, p95,
//!   p99, slowest): p95 must stay under 1 s;
//! - another person's status on a stream: every event names its page's owner (0 allowed);
//! - the server's memory at the start and each minute: it must stay flat.
//!
//! Settings: `LOAD_STREAMS` (default 100), `LOAD_RATE` (webhooks/s, default 50), `LOAD_SECS`
//! (default 15). `TEST_DATABASE_URL` pointing at PostgreSQL runs it there.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use onboarding::webhook::signature::{SIGNATURE_HEADER, signature_header};
use reqwest::StatusCode;
use serde_json::json;
use server::config::SANDBOX_WEBHOOK_SECRET;

use crate::harness::{self, ServerProcess, free_port, fresh_database, now_ms, seed_linked_users, setting};

const PASSWORD: &str = "load harness passphrase";
/// The two documents asked for in turn: each webhook swaps one for the other, so each changes
/// what the page shows. The labels are what the status card says.
const ASKS: [(&str, &str); 2] = [
    ("proofOfAddress", "Proof of address"),
    ("governmentIdBack", "Back of your government ID"),
];
/// The p95 the claim allows, from a webhook's 2xx to the change on the open page.
const P95_LIMIT: Duration = Duration::from_secs(1);

/// One user's page, as the harness tracks it.
#[derive(Default)]
struct Page {
    /// The ask (index into [`ASKS`]) a delivered webhook made, and when its 2xx came, until the
    /// page shows it.
    waiting: Option<(usize, Instant)>,
    /// The ask the page shows now.
    shown: Option<usize>,
    /// The next webhook's `createdAt` must be later than the last.
    last_created_ms: i64,
}

#[derive(Default)]
struct Tally {
    latencies: Mutex<Vec<Duration>>,
    events: AtomicUsize,
    foreign: AtomicUsize,
    delivered: AtomicUsize,
    refused: AtomicUsize,
    streams_open: AtomicUsize,
    streams_ended: AtomicUsize,
}

/// Logs user `n` in through the form; returns the session cookie.
async fn log_in(client: &reqwest::Client, app: &str, n: u64) -> String {
    // 254 people per /24, hosts .1 to .254 (n % 256 + 1 made 10.0.x.256 of every 256th,
    // which is no address: those logins came from the proxy's own and met its limit).
    let (network, host) = (n / 254, n % 254 + 1);
    let address = format!("10.{}.{}.{host}", network / 256 % 256, network % 256);
    let email = format!("load{n}@example.com");
    for _ in 0..20 {
        let response = client
            .post(format!("{app}/login"))
            .header("x-forwarded-for", &address)
            .form(&[("email", email.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .expect("login");
        // Signed in: sent on to the status page. Sent back to the login page (with a notice
        // that says why) is a refusal, not a login.
        let signed_in = response.status() == StatusCode::SEE_OTHER
            && response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .is_some_and(|l| !l.starts_with("/login"));
        if signed_in {
            return response
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|c| c.to_str().ok()?.split(';').next().map(str::to_owned))
                .collect::<Vec<_>>()
                .join("; ");
        }
        // Refused for a moment (the hashing queue is full, many logins at once): try again.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("user {n} could not log in");
}

/// Reads user `n`'s live stream until `until`, checking each event is theirs and timing the
/// changes the sender is waiting for.
async fn watch(
    client: reqwest::Client,
    app: String,
    n: usize,
    cookie: String,
    pages: Arc<Vec<Mutex<Page>>>,
    tally: Arc<Tally>,
    until: Instant,
) {
    let response = client
        .get(format!("{app}/events/status"))
        .header("cookie", cookie)
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("stream");
    assert_eq!(response.status(), StatusCode::OK, "user {n}'s stream");
    tally.streams_open.fetch_add(1, Ordering::Relaxed);
    let own_name = format!("Hi Load{n},");
    let mut body = response.bytes_stream();
    let mut buffer = String::new();
    loop {
        let next = tokio::time::timeout_at(until.into(), body.next()).await;
        let chunk = match next {
            Ok(Some(Ok(chunk))) => chunk,
            Ok(_) => {
                tally.streams_ended.fetch_add(1, Ordering::Relaxed);
                return;
            }
            Err(_) => return,
        };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) else {
                continue; // a keep-alive comment
            };
            let arrived = Instant::now();
            tally.events.fetch_add(1, Ordering::Relaxed);
            let fragments: serde_json::Value = serde_json::from_str(data.trim()).expect("an event is JSON");
            let heading = fragments["heading"].as_str().unwrap_or_default();
            if !heading.starts_with(&own_name) {
                tally.foreign.fetch_add(1, Ordering::Relaxed);
                eprintln!("user {n}'s stream received {heading:?}");
                continue;
            }
            let card = fragments["card"].as_str().unwrap_or_default();
            let showing = ASKS.iter().position(|(_, label)| card.contains(label));
            let mut page = pages[n].lock().expect("page");
            if let (Some((ask, acked)), Some(shown)) = (page.waiting, showing)
                && ask == shown
            {
                tally
                    .latencies
                    .lock()
                    .expect("latencies")
                    .push(arrived.saturating_duration_since(acked));
                page.waiting = None;
            }
            page.shown = showing;
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

/// Opens the stream of each page (one per cookie) and waits until every page shows its first
/// status, then a second more: the memory is read once the opening burst (2,000 requests,
/// then 2,000 first renders) is over.
async fn open_pages(
    client: &reqwest::Client,
    app: &str,
    cookies: &Arc<Vec<String>>,
    pages: &Arc<Vec<Mutex<Page>>>,
    tally: &Arc<Tally>,
    until: Instant,
) -> Vec<tokio::task::JoinHandle<()>> {
    let watchers: Vec<_> = cookies
        .iter()
        .enumerate()
        .map(|(n, cookie)| {
            tokio::spawn(watch(
                client.clone(),
                app.to_owned(),
                n,
                cookie.clone(),
                pages.clone(),
                tally.clone(),
                until,
            ))
        })
        .collect();
    let shown = Instant::now() + Duration::from_secs(60);
    while (tally.streams_open.load(Ordering::Relaxed) < cookies.len()
        || tally.events.load(Ordering::Relaxed) < cookies.len())
        && Instant::now() < shown
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    watchers
}

/// Closes the pages and waits until the server has noticed each closed connection (its
/// stream reads the end of the client's input) and let the stream go.
async fn close_pages(
    server: &ServerProcess,
    watchers: Vec<tokio::task::JoinHandle<()>>,
    files_before: usize,
) {
    for watcher in watchers {
        watcher.abort();
    }
    let noticed = Instant::now() + Duration::from_secs(20);
    while server.open_files() > files_before + 16 && Instant::now() < noticed {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
}

/// The server's resident memory at each step of the run, in MB.
struct Rss {
    rest: f64,
    logged_in: f64,
    open: f64,
    closed: f64,
    /// Open and closed in each later round.
    again: Vec<(f64, f64)>,
}

/// What the server may hold with `streams` pages open: 60 MB up to 2,000 and 150 MB at 10,000
/// (in between, in proportion).
fn memory_limit_mb(streams: u64) -> f64 {
    60.0 + streams.saturating_sub(2_000) as f64 * 90.0 / 8_000.0
}

/// The proof at the size its settings ask for: true when every check held.
pub fn run() -> bool {
    let streams = setting("LOAD_STREAMS", 100).max(1);
    let rate = setting("LOAD_RATE", 50).max(1);
    let seconds = setting("LOAD_SECS", 15).max(5);
    let runtime = harness::runtime();
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("server.log");
    let outcome = runtime.block_on(async {
        let (database, backend) = fresh_database(dir.path(), "load").await;
        // One hash for everyone (the same password): logging in still verifies it each time.
        let hash = onboarding::accounts::hash_password(PASSWORD.into()).await;
        seed_linked_users(&database, "load", streams, |n| format!("Load{n}"), &hash).await;
        let port = free_port();
        let app = format!("http://127.0.0.1:{port}");
        let env = [
            ("DATABASE_URL", database.clone()),
            ("SANDBOX_ADDR", "127.0.0.1:0".to_owned()),
            // Only webhooks move these users (the sandbox does not know them).
            ("RECONCILE_AFTER_SECS", "86400".to_owned()),
            ("TRUSTED_PROXIES", "127.0.0.1".to_owned()),
        ];
        let server = match std::env::var_os("LOAD_SERVER_BIN") {
            Some(binary) => {
                ServerProcess::start_binary(std::path::Path::new(&binary), None, port, &env, &log).await
            }
            None => ServerProcess::start(port, &env, &log).await,
        };
        tokio::time::sleep(Duration::from_millis(500)).await;
        let rss_rest = server.rss_mb();
        let mut parts = vec![("at rest", server.rss_parts())];
        println!("load proof on {backend}: {streams} open status pages, {rate} webhooks/s for {seconds} s");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(usize::MAX)
            .build()
            .expect("client");

        // Log everyone in, a few at a time (each login verifies an argon2id hash).
        let started = Instant::now();
        let cookies: Arc<Vec<String>> = futures_util::stream::iter(0..streams)
            .map(|n| {
                let (client, app) = (client.clone(), app.clone());
                async move { log_in(&client, &app, n).await }
            })
            .buffered(8)
            .collect::<Vec<_>>()
            .await
            .into();
        let login_secs = started.elapsed().as_secs_f64();
        let rss_logged_in = server.rss_mb();
        parts.push(("logged in", server.rss_parts()));
        let files_before = server.open_files();

        // Open every page's stream.
        let pages: Arc<Vec<Mutex<Page>>> = Arc::new((0..streams).map(|_| Mutex::default()).collect());
        let tally = Arc::new(Tally::default());
        let until = Instant::now() + Duration::from_secs(seconds + 10);
        let watchers = open_pages(&client, &app, &cookies, &pages, &tally, until).await;
        let rss_open = server.rss_mb();
        parts.push(("pages open", server.rss_parts()));

        // The sender: `rate` webhooks a second, each to the next user not already waiting for
        // one, asking for the other document than the page shows.
        let mut memory = vec![(0u64, rss_open)];
        let mut tick = tokio::time::interval(Duration::from_secs(1) / rate as u32);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let sending = Instant::now();
        let mut next_user = 0usize;
        let mut seq = 0u64;
        let mut in_flight = Vec::new();
        while sending.elapsed() < Duration::from_secs(seconds) {
            tick.tick().await;
            let elapsed = sending.elapsed().as_secs();
            if elapsed / 60 > memory.last().map_or(0, |m| m.0 / 60) && elapsed >= 60 {
                memory.push((elapsed, server.rss_mb()));
            }
            let mut chosen = None;
            for _ in 0..streams {
                let n = next_user;
                next_user = (next_user + 1) % streams as usize;
                let mut page = pages[n].lock().expect("page");
                if page.waiting.is_none() {
                    let ask = page.shown.map_or(0, |shown| 1 - shown);
                    let created = now_ms().max(page.last_created_ms + 1);
                    page.last_created_ms = created;
                    chosen = Some((n, ask, created));
                    break;
                }
            }
            let Some((n, ask, created)) = chosen else { continue };
            seq += 1;
            let body = serde_json::to_vec(&json!({
                "id": format!("evt_load_{seq}"),
                "type": "user.application.needs_info",
                "createdAt": created,
                "data": { "userId": format!("user_load_{n}"), "requiredFields": [ASKS[ask].0] },
            }))
            .expect("json");
            let (client, app, pages, tally) = (client.clone(), app.clone(), pages.clone(), tally.clone());
            in_flight.push(tokio::spawn(async move {
                let header = signature_header([SANDBOX_WEBHOOK_SECRET], now_ms() / 1000, &body);
                let sent = client
                    .post(format!("{app}/webhooks/ledger"))
                    .header("content-type", "application/json")
                    .header(SIGNATURE_HEADER, header)
                    .body(body)
                    .send()
                    .await;
                if sent.is_ok_and(|r| r.status().is_success()) {
                    let acked = Instant::now();
                    let mut page = pages[n].lock().expect("page");
                    // The page may already show it (the event can beat the 2xx back here).
                    if page.shown != Some(ask) {
                        page.waiting = Some((ask, acked));
                    } else {
                        tally.latencies.lock().expect("latencies").push(Duration::ZERO);
                    }
                    tally.delivered.fetch_add(1, Ordering::Relaxed);
                } else {
                    tally.refused.fetch_add(1, Ordering::Relaxed);
                }
            }));
            in_flight.retain(|t| !t.is_finished());
        }
        let send_secs = sending.elapsed().as_secs_f64();
        for task in in_flight {
            let _ = task.await;
        }
        // The last changes get a few seconds to arrive.
        let settle = Instant::now() + Duration::from_secs(5);
        while Instant::now() < settle && pages.iter().any(|p| p.lock().expect("page").waiting.is_some()) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let rss_end = server.rss_mb();
        memory.push((seconds, rss_end));
        let never_arrived = pages
            .iter()
            .filter(|p| p.lock().expect("page").waiting.is_some())
            .count();
        close_pages(&server, watchers, files_before).await;
        let rss_closed = server.rss_mb();
        parts.push(("pages closed", server.rss_parts()));
        // The same pages open and close again: whatever the first round left (caches filled by
        // the run's writes, the allocator's pages) is not left a second time.
        // `LOAD_ROUNDS` in all (2 unless set): the memory after each shows whether closed
        // pages leave anything behind for good, or the level reached is kept and reused.
        let mut again = Vec::new();
        let mut not_shown_again = 0;
        for _ in 1..setting("LOAD_ROUNDS", 2).max(2) {
            let tally = Arc::new(Tally::default());
            let pages: Arc<Vec<Mutex<Page>>> = Arc::new((0..streams).map(|_| Mutex::default()).collect());
            let until = Instant::now() + Duration::from_secs(90);
            let watchers = open_pages(&client, &app, &cookies, &pages, &tally, until).await;
            let open = server.rss_mb();
            parts.push(("pages open again", server.rss_parts()));
            not_shown_again += (streams as usize).saturating_sub(tally.events.load(Ordering::Relaxed));
            close_pages(&server, watchers, files_before).await;
            again.push((open, server.rss_mb()));
            parts.push(("pages closed again", server.rss_parts()));
        }
        for (when, what) in &parts {
            println!("server memory {when}: {what} MB");
        }
        drop(server);
        let rss = Rss {
            rest: rss_rest,
            logged_in: rss_logged_in,
            open: rss_open,
            closed: rss_closed,
            again,
        };
        (
            tally,
            login_secs,
            send_secs,
            memory,
            never_arrived,
            not_shown_again,
            rss,
        )
    });
    let (tally, login_secs, send_secs, memory, never_arrived, not_shown_again, rss) = outcome;
    let mut latencies = tally.latencies.lock().expect("latencies").clone();
    latencies.sort();
    let delivered = tally.delivered.load(Ordering::Relaxed);
    let p95 = percentile(&latencies, 0.95);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("logged {streams} people in through the form in {login_secs:.1} s");
    println!(
        "| open pages | webhooks delivered (per s) | changes seen on the right page | p50 / p95 / p99 / slowest, 2xx to page | events received | another person's status | streams ended early | memory: pages open → end |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {streams} | {delivered} ({:.0}/s) | {} | {:.0} / {:.0} / {:.0} / {:.0} ms | {} | {} | {} | {:.1} → {:.1} MB |",
        delivered as f64 / send_secs,
        latencies.len(),
        ms(percentile(&latencies, 0.5)),
        ms(p95),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        tally.events.load(Ordering::Relaxed),
        tally.foreign.load(Ordering::Relaxed),
        tally.streams_ended.load(Ordering::Relaxed),
        memory.first().map_or(f64::NAN, |m| m.1),
        memory.last().map_or(f64::NAN, |m| m.1),
    );
    println!(
        "server memory (s, MB): {}",
        memory
            .iter()
            .map(|(s, mb)| format!("{s} s {mb:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let limit = memory_limit_mb(streams);
    println!(
        "| server memory (MB) | at rest | {streams} people logged in | their pages open | pages closed |{} limit with pages open |",
        " open again | closed again |".repeat(rss.again.len())
    );
    println!(
        "|---|---:|---:|---:|---:|{}---:|",
        "---:|---:|".repeat(rss.again.len())
    );
    println!(
        "| RSS | {:.1} | {:.1} | {:.1} | {:.1} |{} {limit:.0} |",
        rss.rest,
        rss.logged_in,
        rss.open,
        rss.closed,
        rss.again
            .iter()
            .map(|(open, closed)| format!(" {open:.1} | {closed:.1} |"))
            .collect::<String>()
    );
    // Flat: after the pages are open, memory grows by at most a fifth (and 16 MB of slack for
    // allocator noise) however long the run.
    let (first, last) = (
        memory.first().map_or(0.0, |m| m.1),
        memory.last().map_or(0.0, |m| m.1),
    );
    let checks = [
        (
            tally.refused.load(Ordering::Relaxed) == 0,
            "some webhooks were not acknowledged".to_owned(),
        ),
        (delivered > 0, "no webhook was delivered".to_owned()),
        (p95 <= P95_LIMIT, format!("p95 from 2xx to the page was {p95:?}")),
        (
            tally.foreign.load(Ordering::Relaxed) == 0,
            "a stream received another person's status".to_owned(),
        ),
        (
            never_arrived == 0,
            format!("{never_arrived} changes never reached their page"),
        ),
        (
            tally.streams_ended.load(Ordering::Relaxed) == 0,
            "streams ended during the run".to_owned(),
        ),
        (
            not_shown_again == 0,
            format!("{not_shown_again} pages opened again did not show their status"),
        ),
        (
            last <= first * 1.2 + 16.0,
            format!("memory grew from {first:.1} MB to {last:.1} MB"),
        ),
        // The memory targets are for the full size (2,000 pages and more): the short version
        // only reports.
        (
            streams < 2_000 || rss.open <= limit,
            format!(
                "{:.1} MB with {streams} pages open, over the {limit:.0} MB allowed",
                rss.open
            ),
        ),
        (
            streams < 2_000 || rss.closed <= rss.logged_in + (rss.open - rss.logged_in) / 4.0,
            format!(
                "{:.1} MB after the pages closed: not back near {:.1} MB before they opened",
                rss.closed, rss.logged_in
            ),
        ),
    ];
    harness::verdict(
        "load",
        checks,
        &log,
        &format!(
            "p95 {:.0} ms from 2xx to the right page, no crossed streams, memory flat",
            ms(p95)
        ),
    )
}

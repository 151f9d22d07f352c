//! Webhook ingest benchmark: `cargo make bench` (or `cargo bench -p server --bench webhook_ingest`).
//!
//! Measures the real path, end to end over loopback HTTP: `POST /webhooks/ledger` → signature
//! checked on the raw body → event stored and applied in one SQLite transaction → 2xx. The app
//! runs in-process, built exactly as the integration tests build it, on a fresh SQLite file (WAL)
//! in a temporary directory for every concurrency level.
//!
//! The mix per level (seeded, so runs are comparable):
//! - mostly new events for known users, cycling through in-flight statuses (needs_info →
//!   manualReview → needsVerification → pending …) so that they really change rows;
//! - some re-deliveries of an earlier event (same id and body, signed again): acknowledged as
//!   duplicates, not applied again;
//! - some events for LedgerOS users we do not know yet: stored as waiting.
//!
//! Afterwards it checks that every acknowledged event id is stored exactly once (row count of
//! `webhook_events` = distinct acknowledged ids) and that every known user ends at the status of
//! its newest acknowledged event, and exits non-zero, loudly, if not or if any request failed.
//!
//! Settings (environment variable or argument):
//! `BENCH_EVENTS` / `--events N` (default 3000 per level), `BENCH_CONCURRENCY` /
//! `--concurrency 1,8,32`, `BENCH_USERS` / `--users N` (300), `BENCH_DUPLICATE_PCT` /
//! `--duplicate-pct P` (10), `BENCH_UNKNOWN_PCT` / `--unknown-pct P` (5), `BENCH_DIR` / `--dir D`
//! (where the temporary directory goes; default the system temp dir). Server logs go to a file
//! in that directory at `warn` (`RUST_LOG` overrides); warnings and errors are summarised at the end.
//! `BENCH_DATABASE_URL=postgres://…/postgres` runs it on PostgreSQL (a new database per level on
//! that server; `cargo make bench-postgres` starts a throwaway cluster for it).
//! `BENCH_KEEP=1` keeps the directory (databases and log) for a look afterwards.

/// The allocator the server binary ships with (`server/src/main.rs`): the app runs in this
/// process here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use leptos::config::LeptosOptions;
use onboarding::store::NewUser;
use onboarding::webhook::WebhookSecrets;
use onboarding::webhook::signature::{SIGNATURE_HEADER, signature_header};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use server::config::{Config, SANDBOX_WEBHOOK_SECRET};
use server::startup::Application;

struct Settings {
    events: usize,
    concurrency: Vec<usize>,
    users: usize,
    duplicate_pct: u32,
    unknown_pct: u32,
    dir: Option<String>,
}

impl Settings {
    fn read() -> Self {
        let mut values: HashMap<String, String> = HashMap::new();
        for (key, name) in [
            ("events", "BENCH_EVENTS"),
            ("concurrency", "BENCH_CONCURRENCY"),
            ("users", "BENCH_USERS"),
            ("duplicate-pct", "BENCH_DUPLICATE_PCT"),
            ("unknown-pct", "BENCH_UNKNOWN_PCT"),
            ("dir", "BENCH_DIR"),
        ] {
            if let Ok(v) = std::env::var(name)
                && !v.trim().is_empty()
            {
                values.insert(key.to_owned(), v.trim().to_owned());
            }
        }
        // Arguments win over the environment. `cargo bench` adds `--bench`: ignored.
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut i = 0;
        while i < args.len() {
            let arg = args[i].trim_start_matches("--");
            if let Some((k, v)) = arg.split_once('=') {
                values.insert(k.to_owned(), v.to_owned());
            } else if [
                "events",
                "concurrency",
                "users",
                "duplicate-pct",
                "unknown-pct",
                "dir",
            ]
            .contains(&arg)
                && i + 1 < args.len()
            {
                values.insert(arg.to_owned(), args[i + 1].clone());
                i += 1;
            }
            i += 1;
        }
        let num = |key: &str, default: usize| -> usize {
            values.get(key).map_or(default, |v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{key} must be a whole number, got {v:?}"))
            })
        };
        let concurrency = values
            .get("concurrency")
            .map_or("1,8,32", String::as_str)
            .split(',')
            .map(|c| {
                c.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|c| *c > 0)
                    .unwrap_or_else(|| panic!("concurrency must be a list like 1,8,32, got {c:?}"))
            })
            .collect();
        let settings = Self {
            events: num("events", 3000),
            concurrency,
            users: num("users", 300),
            duplicate_pct: num("duplicate-pct", 10) as u32,
            unknown_pct: num("unknown-pct", 5) as u32,
            dir: values.get("dir").cloned(),
        };
        assert!(
            settings.events > 0 && settings.users > 0,
            "events and users must be positive"
        );
        assert!(
            settings.duplicate_pct + settings.unknown_pct <= 100,
            "duplicate-pct + unknown-pct must be at most 100"
        );
        settings
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    New,
    Duplicate,
    Unknown,
}

struct Planned {
    id: String,
    body: Bytes,
    kind: Kind,
    /// For a new event to a known user: (user index, status it reports, createdAt).
    target: Option<(usize, &'static str, i64)>,
}

/// In-flight statuses, in the order each user cycles through them; every one may follow every
/// other, so each new event really changes the row. (event type, applicationStatus).
const CYCLE: [(&str, &str); 4] = [
    ("user.application.needs_info", "needsInformation"),
    ("user.application.updated", "manualReview"),
    ("user.application.updated", "needsVerification"),
    ("user.application.updated", "pending"),
];

fn plan(settings: &Settings, level: usize, concurrency: usize, base_ms: i64) -> Vec<Planned> {
    let mut rng = StdRng::seed_from_u64(0x5eed_0000 + level as u64);
    let mut plan: Vec<Planned> = Vec::with_capacity(settings.events);
    let mut next_user = 0usize;
    let mut step = vec![0usize; settings.users];
    for i in 0..settings.events {
        let roll = rng.gen_range(0..100u32);
        // A re-delivery repeats an event sent well before (so its first delivery has most
        // likely been acknowledged already), as a LedgerOS retry would.
        let gap = 4 * concurrency;
        if roll < settings.duplicate_pct && i > gap {
            let earlier = &plan[rng.gen_range(i.saturating_sub(gap + 200)..i - gap)];
            if earlier.kind != Kind::Duplicate {
                plan.push(Planned {
                    id: earlier.id.clone(),
                    body: earlier.body.clone(),
                    kind: Kind::Duplicate,
                    target: None,
                });
                continue;
            }
        }
        let id = format!("evt_bench_{level}_{i:07}");
        let created_at = base_ms + i as i64;
        if roll >= settings.duplicate_pct && roll < settings.duplicate_pct + settings.unknown_pct {
            let user = format!("user_bench_unknown_{}", i % 50);
            let body = json!({ "id": id, "type": "user.application.needs_info", "createdAt": created_at,
                "data": { "userId": user, "applicationStatus": "needsInformation",
                          "requiredFields": ["proofOfAddress"] } });
            plan.push(Planned {
                id,
                body: Bytes::from(body.to_string()),
                kind: Kind::Unknown,
                target: None,
            });
            continue;
        }
        // Round robin over users: two events for the same user are `users` sends apart, so
        // they are never in flight together and each applies.
        let user = next_user % settings.users;
        next_user += 1;
        let (event_type, status) = CYCLE[step[user] % CYCLE.len()];
        step[user] += 1;
        let mut data = json!({ "userId": format!("user_bench_{user}"), "applicationStatus": status });
        if status == "needsInformation" {
            data["requiredFields"] = json!(["proofOfAddress", "governmentIdBack"]);
        }
        let body = json!({ "id": id, "type": event_type, "createdAt": created_at, "data": data });
        plan.push(Planned {
            id,
            body: Bytes::from(body.to_string()),
            kind: Kind::New,
            target: Some((user, status, created_at)),
        });
    }
    plan
}

struct Sample {
    index: usize,
    latency: Duration,
    /// HTTP status, or `None` when the request itself failed.
    status: Option<u16>,
    duplicate: bool,
    error: Option<String>,
}

struct LevelResult {
    concurrency: usize,
    sent: usize,
    wall: Duration,
    latencies_us: Vec<u64>,
    ok: usize,
    failures: BTreeMap<String, usize>,
    duplicate_acks: usize,
    duplicates_sent: usize,
    unknown_sent: usize,
    distinct_acked: usize,
    rows: i64,
    applied: i64,
    ignored: i64,
    waiting: i64,
    users_checked: usize,
    users_wrong: usize,
}

fn main() {
    let settings = Settings::read();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let root = match &settings.dir {
        Some(dir) => tempfile::Builder::new().prefix("webhook-bench-").tempdir_in(dir),
        None => tempfile::Builder::new().prefix("webhook-bench-").tempdir(),
    }
    .expect("temp dir");
    let log_path = root.path().join("server.log");
    init_logging(&log_path);

    // The server gets a runtime like `main.rs` would (one worker per core); the senders get
    // their own single-threaded runtime, standing in for a separate client process.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");

    println!("# Webhook ingest benchmark");
    println!();
    println!(
        "POST /webhooks/ledger over loopback → HMAC check on the raw body → store + apply in one \
         SQLite transaction → 2xx."
    );
    println!(
        "{} events per level ({}% re-deliveries, {}% for unknown users, the rest new events for {} known users); \
         database: a fresh one per level ({}; SQLite files under {} ({})).",
        settings.events,
        settings.duplicate_pct,
        settings.unknown_pct,
        settings.users,
        if std::env::var("BENCH_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
            "PostgreSQL at BENCH_DATABASE_URL"
        } else {
            "SQLite"
        },
        root.path().display(),
        filesystem_of(root.path()),
    );
    println!(
        "Machine: {cores} cores (available parallelism), shared by the server (multi-thread tokio runtime) \
         and the load generator (one single-threaded runtime in the same process), so figures are a lower bound."
    );

    let mut results = Vec::new();
    let mut pragmas = String::new();
    for (level, &concurrency) in settings.concurrency.iter().enumerate() {
        eprintln!("… concurrency {concurrency}: {} events", settings.events);
        let database_url = match std::env::var("BENCH_DATABASE_URL") {
            Ok(server) if !server.is_empty() => server_rt.block_on(fresh_postgres_database(&server)),
            _ => format!(
                "sqlite://{}",
                root.path()
                    .join(format!("level{level}-c{concurrency}.db"))
                    .display()
            ),
        };
        let (address, services, server) = server_rt.block_on(start_app(&database_url));
        let store = services.store.clone();

        // Known users, linked to LedgerOS ids, straight through the store.
        let user_ids = server_rt.block_on(async {
            let mut ids = Vec::with_capacity(settings.users);
            for n in 0..settings.users {
                let email = format!("bench{n}@example.com");
                let id = store
                    .create_user(NewUser {
                        email: &email,
                        first_name: "Bench",
                        last_name: "User",
                        password_hash: "not-a-real-hash",
                    })
                    .await
                    .expect("create user");
                store
                    .link_ledger_user(&id, &format!("user_bench_{n}"))
                    .await
                    .expect("link user");
                // Provisioned, as a user who receives webhooks is: the provisioning job the
                // account was created with then completes without calling LedgerOS.
                store
                    .set_verification_url(&id, &format!("{address}/bench/verify/{n}"))
                    .await
                    .expect("set verification url");
                ids.push(id);
            }
            // Let background work on these accounts (the LedgerOS call queue) finish before timing.
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let pending = store.pending_jobs().await.unwrap_or(0);
                if pending == 0 {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{pending} queued LedgerOS calls still pending after 60 s"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            ids
        });
        if pragmas.is_empty() {
            pragmas = server_rt.block_on(async { store.durability().await.expect("read durability") });
        }

        let base_ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
        let plan = Arc::new(plan(&settings, level, concurrency, base_ms));
        let url = format!("{address}/webhooks/ledger");
        let (samples, wall) = client_rt.block_on(send_all(plan.clone(), url, address.clone(), concurrency));

        let result = server_rt.block_on(check(concurrency, &plan, &samples, wall, &store, &user_ids));
        server.abort();
        drop(services);
        results.push(result);
    }

    println!("Database: {pragmas}.");
    println!();
    println!("| senders | events | events/s | p50 ms | p95 ms | p99 ms | max ms | 2xx | failed |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &results {
        let mut sorted = r.latencies_us.clone();
        sorted.sort_unstable();
        let failed: usize = r.failures.values().sum();
        println!(
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} | {} |",
            r.concurrency,
            r.sent,
            r.sent as f64 / r.wall.as_secs_f64(),
            ms(percentile(&sorted, 0.50)),
            ms(percentile(&sorted, 0.95)),
            ms(percentile(&sorted, 0.99)),
            ms(sorted.last().copied().unwrap_or(0)),
            r.ok,
            failed,
        );
    }
    println!();
    println!("Sanity (after each level):");
    println!();
    println!(
        "| senders | distinct ids acked | rows in webhook_events | applied | ignored | waiting | re-deliveries sent / acked as duplicate | unknown-user events sent | users at newest status |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut problems = Vec::new();
    for r in &results {
        let verdict = if r.rows == r.distinct_acked as i64 {
            ""
        } else {
            " ✗"
        };
        println!(
            "| {} | {} | {}{} | {} | {} | {} | {} / {} | {} | {}/{} |",
            r.concurrency,
            r.distinct_acked,
            r.rows,
            verdict,
            r.applied,
            r.ignored,
            r.waiting,
            r.duplicates_sent,
            r.duplicate_acks,
            r.unknown_sent,
            r.users_checked - r.users_wrong,
            r.users_checked,
        );
        if r.rows != r.distinct_acked as i64 {
            problems.push(format!(
                "senders={}: webhook_events holds {} rows but {} distinct event ids were acknowledged",
                r.concurrency, r.rows, r.distinct_acked
            ));
        }
        if r.users_wrong > 0 {
            problems.push(format!(
                "senders={}: {} of {} users are not at the status of their newest acknowledged event",
                r.concurrency, r.users_wrong, r.users_checked
            ));
        }
        for (what, count) in &r.failures {
            problems.push(format!("senders={}: {count} × {what}", r.concurrency));
        }
    }
    println!();
    println!(
        "Latency: from sending the request (already signed) to the whole response read, per request, \
         all requests included. events/s: requests sent ÷ wall time of the level."
    );

    // What the server logged at warn and above, grouped.
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let mut lines: BTreeMap<String, usize> = BTreeMap::new();
    for line in log
        .lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
    {
        // Drop the timestamp so identical messages group.
        let key = line
            .split_once(' ')
            .map_or(line, |(_, rest)| rest)
            .trim()
            .to_owned();
        let key: String = key.chars().take(300).collect();
        *lines.entry(key).or_default() += 1;
    }
    println!();
    if lines.is_empty() {
        println!("Server log: no warnings or errors.");
    } else {
        let total: usize = lines.values().sum();
        println!("Server log: {total} warning/error lines; most frequent:");
        let mut by_count: Vec<_> = lines.into_iter().collect();
        by_count.sort_by_key(|b| std::cmp::Reverse(b.1));
        for (line, count) in by_count.iter().take(8) {
            println!("    {count} × {line}");
        }
    }

    if std::env::var("BENCH_KEEP").is_ok_and(|v| !v.is_empty() && v != "0") {
        println!();
        println!("Kept the databases and server.log in {}", root.keep().display());
    }
    client_rt.shutdown_timeout(Duration::from_secs(1));
    server_rt.shutdown_timeout(Duration::from_secs(2));
    if !problems.is_empty() {
        eprintln!();
        eprintln!("BENCHMARK FAILED: not every request was acknowledged and stored as expected:");
        for p in &problems {
            eprintln!("  - {p}");
        }
        std::process::exit(1);
    }
}

/// A new database on the PostgreSQL server at `server` (its URL names an existing database).
async fn fresh_postgres_database(server: &str) -> String {
    use sqlx::Connection;
    let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(server)
        .await
        .expect("BENCH_DATABASE_URL reaches a PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create a bench database");
    let (base, _) = server
        .rsplit_once('/')
        .expect("BENCH_DATABASE_URL ends with a database name");
    format!("{base}/{name}")
}

async fn start_app(
    database_url: &str,
) -> (
    String,
    onboarding::services::Services,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let mut config = Config::from_env("127.0.0.1:0".parse().unwrap()).expect("demo config");
    config.database_url = database_url.to_owned();
    config.ledger_api_url = None;
    config.public_url = None;
    config.sandbox_addr = "127.0.0.1:0".parse().unwrap();
    // Whatever the environment says, sign and verify with the demo secret.
    config.webhook_secrets = WebhookSecrets::from_list(SANDBOX_WEBHOOK_SECRET);
    let leptos = LeptosOptions::builder()
        .output_name("onboarding")
        .site_root("target/site")
        .build();
    let app = Application::build(config, leptos).await.expect("app builds");
    let address = app.public_url().to_owned();
    let services = app.services().clone();
    let handle = tokio::spawn(app.run_until_stopped());
    (address, services, handle)
}

async fn send_all(
    plan: Arc<Vec<Planned>>,
    url: String,
    address: String,
    concurrency: usize,
) -> (Vec<Sample>, Duration) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(usize::MAX)
        .build()
        .expect("client");
    // Open the keep-alive connections before timing.
    let warm: Vec<_> = (0..concurrency)
        .map(|_| {
            let client = client.clone();
            let health = format!("{address}/healthz");
            tokio::spawn(async move { client.get(health).send().await.map(|r| r.status()) })
        })
        .collect();
    for w in warm {
        let status = w.await.unwrap().expect("healthz");
        assert!(status.is_success(), "healthz answered {status}");
    }

    let next = Arc::new(AtomicUsize::new(0));
    let url = Arc::new(url);
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, plan, next, url) = (client.clone(), plan.clone(), next.clone(), url.clone());
            tokio::spawn(async move {
                let mut samples = Vec::with_capacity(plan.len() / concurrency + 1);
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(event) = plan.get(index) else { break };
                    // Signed just before sending, as LedgerOS does, so the timestamp is fresh.
                    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
                    let signature = signature_header([SANDBOX_WEBHOOK_SECRET], now, &event.body);
                    let request = client
                        .post(url.as_str())
                        .header("content-type", "application/json")
                        .header(SIGNATURE_HEADER, signature)
                        .header("x-ledger-event-id", event.id.as_str())
                        .body(event.body.clone());
                    let t0 = Instant::now();
                    let sample = match request.send().await {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            match response.bytes().await {
                                Ok(body) => {
                                    let latency = t0.elapsed();
                                    let text = String::from_utf8_lossy(&body);
                                    Sample {
                                        index,
                                        latency,
                                        status: Some(status),
                                        duplicate: text.contains("\"duplicate\":true"),
                                        error: (!(200..300).contains(&status))
                                            .then(|| text.chars().take(200).collect()),
                                    }
                                }
                                Err(e) => Sample {
                                    index,
                                    latency: t0.elapsed(),
                                    status: None,
                                    duplicate: false,
                                    error: Some(format!("reading the response: {e}")),
                                },
                            }
                        }
                        Err(e) => Sample {
                            index,
                            latency: t0.elapsed(),
                            status: None,
                            duplicate: false,
                            error: Some(format!("request failed: {e}")),
                        },
                    };
                    samples.push(sample);
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::with_capacity(plan.len());
    for worker in workers {
        samples.extend(worker.await.expect("sender task"));
    }
    (samples, started.elapsed())
}

async fn check(
    concurrency: usize,
    plan: &[Planned],
    samples: &[Sample],
    wall: Duration,
    store: &onboarding::store::Store,
    user_ids: &[onboarding::store::UserId],
) -> LevelResult {
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    let mut acked: HashSet<&str> = HashSet::new();
    let mut ok = 0;
    let mut duplicate_acks = 0;
    // Newest acknowledged status per known user.
    let mut expected: HashMap<usize, (i64, &'static str)> = HashMap::new();
    for s in samples {
        let event = &plan[s.index];
        match s.status {
            Some(code) if (200..300).contains(&code) => {
                ok += 1;
                acked.insert(event.id.as_str());
                if s.duplicate {
                    duplicate_acks += 1;
                }
                if let Some((user, status, at)) = event.target {
                    let entry = expected.entry(user).or_insert((at, status));
                    if at >= entry.0 {
                        *entry = (at, status);
                    }
                }
            }
            Some(code) => {
                *failures
                    .entry(format!("HTTP {code} {}", s.error.as_deref().unwrap_or("")))
                    .or_default() += 1
            }
            None => *failures.entry(s.error.clone().unwrap_or_default()).or_default() += 1,
        }
    }
    let count = |filter: &'static str| {
        let store = store.clone();
        async move {
            store
                .scalar_for_tests(&format!("SELECT COUNT(*) FROM webhook_events WHERE {filter}"))
                .await
                .expect("count events")
        }
    };
    let (rows, applied, ignored, waiting) = (
        count("TRUE").await,
        count("outcome LIKE 'applied:%'").await,
        count("outcome LIKE 'ignored:%'").await,
        count("processed_at IS NULL").await,
    );
    let mut users_wrong = 0;
    for (user, (_, status)) in &expected {
        let record = store
            .user(&user_ids[*user])
            .await
            .expect("read user")
            .expect("user exists");
        if record.kyc.status.as_str() != *status {
            users_wrong += 1;
        }
    }
    LevelResult {
        concurrency,
        sent: samples.len(),
        wall,
        latencies_us: samples.iter().map(|s| s.latency.as_micros() as u64).collect(),
        ok,
        failures,
        duplicate_acks,
        duplicates_sent: plan.iter().filter(|p| p.kind == Kind::Duplicate).count(),
        unknown_sent: plan.iter().filter(|p| p.kind == Kind::Unknown).count(),
        distinct_acked: acked.len(),
        rows,
        applied,
        ignored,
        waiting,
        users_checked: expected.len(),
        users_wrong,
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(us: u64) -> String {
    format!("{:.2}", us as f64 / 1000.0)
}

fn init_logging(path: &std::path::Path) {
    let file = std::fs::File::create(path).expect("log file");
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

/// The filesystem type holding `path` (Linux), so a tmpfs result is not mistaken for disk.
fn filesystem_of(path: &std::path::Path) -> String {
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return "filesystem unknown".to_owned();
    };
    let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_dev, mount, fs) = (f.next()?, f.next()?, f.next()?);
            path.starts_with(mount).then(|| (mount.len(), fs.to_owned()))
        })
        .max()
        .map_or_else(|| "filesystem unknown".to_owned(), |(_, fs)| fs)
}

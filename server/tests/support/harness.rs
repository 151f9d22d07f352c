//! What the proof harnesses share: their settings, the server binary as its own process (so
//! it can be killed with SIGKILL and started again), a database of their own with known users,
//! and plain SQL to read the end state with.

// Each harness uses a part.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use onboarding::clock::Clock;
use onboarding::store::{NewUser, Store};
use sqlx::Row;

/// A size from the environment (`PROOF_EVENTS`, `LOAD_SECS`…), or `default`.
pub fn setting<T: FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Milliseconds since the epoch, as webhooks' `createdAt` counts them.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}

/// The harness's own runtime (its `main` is not a test).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// `count` accounts made straight in the database, as if they had signed up and been set up
/// at LedgerOS: `{prefix}{n}@example.com`, first name `first_name(n)`, LedgerOS id
/// `user_{prefix}_{n}`, and a verification link (so the provisioning job the account was made
/// with completes without calling LedgerOS).
pub async fn seed_linked_users(
    database: &str,
    prefix: &str,
    count: u64,
    first_name: impl Fn(u64) -> String,
    password_hash: &str,
) {
    let store = Store::connect(database, Clock::system(), "http://harness.invalid")
        .await
        .expect("seed store");
    for n in 0..count {
        let email = format!("{prefix}{n}@example.com");
        let first_name = first_name(n);
        let id = store
            .create_user(NewUser {
                email: &email,
                first_name: &first_name,
                last_name: "Tester",
                password_hash,
            })
            .await
            .expect("seed user");
        store
            .link_ledger_user(&id, &format!("user_{prefix}_{n}"))
            .await
            .expect("link");
        store
            .set_verification_url(&id, &format!("http://harness.invalid/verify/{n}"))
            .await
            .expect("verification url");
    }
}

/// A free TCP port on loopback (the server is started on it, and again after a kill).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A fresh database: a new PostgreSQL database when `TEST_DATABASE_URL` names a PostgreSQL
/// server, a SQLite file in `dir` otherwise. Returns its URL and the backend's name.
pub async fn fresh_database(dir: &Path, prefix: &str) -> (String, &'static str) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            use sqlx::Connection;
            let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&server)
                .await
                .expect("TEST_DATABASE_URL reaches PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create a database");
            let (base, _) = server
                .rsplit_once('/')
                .expect("the URL ends with a database name");
            (format!("{base}/{name}"), "PostgreSQL")
        }
        _ => (
            format!("sqlite://{}", dir.join(format!("{prefix}.db")).display()),
            "SQLite",
        ),
    }
}

/// The server binary, running. Killed (and waited for) when dropped.
pub struct ServerProcess {
    child: Child,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServerProcess {
    /// Starts the server on `port` with `env` (its log appended to `log`) and waits until it
    /// answers `/healthz`.
    // The child is killed and waited for in `Drop` (or by `kill`).
    #[allow(clippy::zombie_processes)]
    pub async fn start(port: u16, env: &[(&str, String)], log: &Path) -> Self {
        Self::start_in(None, port, env, log).await
    }

    /// As [`ServerProcess::start`], with `dir` as the server's working directory.
    #[allow(clippy::zombie_processes)]
    pub async fn start_in(dir: Option<&Path>, port: u16, env: &[(&str, String)], log: &Path) -> Self {
        Self::start_binary(Path::new(env!("CARGO_BIN_EXE_server")), dir, port, env, log).await
    }

    /// As [`ServerProcess::start_in`], with another build of the server (`binary`): the
    /// overview bench's baseline.
    #[allow(clippy::zombie_processes)]
    pub async fn start_binary(
        binary: &Path,
        dir: Option<&Path>,
        port: u16,
        env: &[(&str, String)],
        log: &Path,
    ) -> Self {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("log file");
        let mut command = Command::new(binary);
        command
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env(
                "LEPTOS_SITE_ROOT",
                concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"),
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log_file);
        for (name, value) in env {
            command.env(name, value);
        }
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        let child = command.spawn().expect("the server binary starts");
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client
                .get(format!("http://127.0.0.1:{port}/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Self { child };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not answer within 30 s (log: {})", log.display());
    }

    /// How many files and sockets the server has open (from `/proc`).
    pub fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id())).map_or(0, |dir| dir.count())
    }

    /// The server's resident memory, in MB (from `/proc`).
    pub fn rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }

    /// What the resident memory is made of: anonymous (heap, stacks) and file-backed (the
    /// binary's code, mapped files), in MB (from `/proc`).
    pub fn rss_parts(&self) -> String {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(f64::NAN, |kb| kb / 1024.0)
        };
        // With `LOAD_SMAPS_DIR` set, each reading also keeps the server's memory map and status
        // there (`smaps.N`, `status.N`, numbered in order): which mapping grew (the allocator's
        // arena, the C library's heaps, a thread's stack) and how many threads there were.
        if let Some(dir) = std::env::var_os("LOAD_SMAPS_DIR") {
            let dir = std::path::Path::new(&dir);
            let n = std::fs::read_dir(dir).map_or(0, |d| d.count()) / 2;
            for file in ["smaps", "status"] {
                let _ = std::fs::copy(
                    format!("/proc/{}/{file}", self.child.id()),
                    dir.join(format!("{file}.{n}")),
                );
            }
        }
        let rollup =
            std::fs::read_to_string(format!("/proc/{}/smaps_rollup", self.child.id())).unwrap_or_default();
        let huge = rollup
            .lines()
            .find_map(|l| l.strip_prefix("AnonHugePages:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0);
        format!(
            "anonymous {:.1} (in huge pages {huge:.1}), file-backed {:.1}",
            field("RssAnon:"),
            field("RssFile:")
        )
    }

    /// SIGKILL: no shutdown, no flush, nothing the process could still do.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server");
        let _ = self.child.wait();
    }
}

/// The database, read with plain SQL (the same on both backends).
pub enum Db {
    Lite(sqlx::SqlitePool),
    Pg(sqlx::PgPool),
}

impl Db {
    pub async fn connect(url: &str) -> Self {
        if url.starts_with("postgres") {
            Db::Pg(sqlx::PgPool::connect(url).await.expect("connect"))
        } else {
            Db::Lite(sqlx::SqlitePool::connect(url).await.expect("connect"))
        }
    }

    /// Rows of two nullable text columns (NULL read as "").
    pub async fn pairs(&self, sql: &str) -> Vec<(String, String)> {
        fn pair<R: Row>(r: &R) -> (String, String)
        where
            for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
            usize: sqlx::ColumnIndex<R>,
        {
            (
                r.get::<Option<String>, _>(0).unwrap_or_default(),
                r.get::<Option<String>, _>(1).unwrap_or_default(),
            )
        }
        match self {
            Db::Lite(p) => sqlx::query(sql)
                .fetch_all(p)
                .await
                .expect("query")
                .iter()
                .map(pair)
                .collect(),
            Db::Pg(p) => sqlx::query(sql)
                .fetch_all(p)
                .await
                .expect("query")
                .iter()
                .map(pair)
                .collect(),
        }
    }

    /// Rows of a text column and a count (`BIGINT`).
    pub async fn counts(&self, sql: &str) -> Vec<(String, i64)> {
        match self {
            Db::Lite(p) => sqlx::query(sql)
                .fetch_all(p)
                .await
                .expect("query")
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect(),
            Db::Pg(p) => sqlx::query(sql)
                .fetch_all(p)
                .await
                .expect("query")
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect(),
        }
    }
}

/// A proof's verdict: each failed check (`false` beside its reason) is printed, then the
/// server's log; `passed` is printed when none failed.
pub fn verdict(
    proof: &str,
    checks: impl IntoIterator<Item = (bool, String)>,
    log: &Path,
    passed: &str,
) -> bool {
    let mut failed = false;
    for (ok, why) in checks {
        if !ok {
            eprintln!("{proof} proof FAILED: {why}");
            failed = true;
        }
    }
    if failed {
        eprintln!(
            "--- server log ({}) ---\n{}",
            log.display(),
            std::fs::read_to_string(log).unwrap_or_default()
        );
        false
    } else {
        println!("{proof} proof passed: {passed}");
        true
    }
}

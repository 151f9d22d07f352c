//! What the server does to the filesystem at start: on PostgreSQL nothing at all, on SQLite only
//! its database file (and folder) and the demo sandbox's state file beside it; and a start-up
//! error names what failed.

use std::path::Path;

use crate::harness::{ServerProcess, free_port, fresh_database};

/// Every entry under `dir`, relative, sorted: what the server left there.
fn entries(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("readable").flatten() {
            let path = entry.path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[tokio::test]
async fn the_server_writes_nothing_in_its_working_directory() {
    // The database lives elsewhere (a SQLite file by absolute path, or a PostgreSQL database):
    // the working directory must stay as empty as it started. Before the fix, a PostgreSQL URL
    // left a `postgres:/postgres@127.0.0.1:PORT/` folder tree here.
    let working = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let (database, _) = fresh_database(data.path(), "startup").await;
    let port = free_port();
    let log = data.path().join("server.log");
    let server = ServerProcess::start_in(
        Some(working.path()),
        port,
        &[
            ("DATABASE_URL", database),
            ("SANDBOX_ADDR", "127.0.0.1:0".to_owned()),
        ],
        &log,
    )
    .await;
    // A page, a signup form post and the login page: the usual first minute of a server.
    let client = reqwest::Client::new();
    for path in ["/", "/signup", "/login"] {
        let page = client
            .get(format!("http://127.0.0.1:{port}{path}"))
            .send()
            .await
            .unwrap();
        assert!(page.status().is_success(), "{path}: {}", page.status());
    }
    drop(server);
    assert_eq!(
        entries(working.path()),
        Vec::<String>::new(),
        "the server wrote into its working directory"
    );
}

#[tokio::test]
async fn a_start_up_error_names_the_folder_it_could_not_create() {
    // A regular file where the database's folder should be: creating the folder fails, for
    // root as for anyone (ENOTDIR), as a read-only filesystem would.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "").unwrap();
    let folder = file.join("data");
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/onboarding.db", folder.display()),
            )
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("SANDBOX_ADDR", "127.0.0.1:0")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        !output.status.success(),
        "the server started without its database folder"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!("cannot create the folder {}", file.join("data").display());
    assert!(
        stderr.contains(&expected),
        "the error does not name the folder: {stderr}"
    );
    assert!(
        stderr.contains("DATABASE_URL"),
        "the error does not name the variable: {stderr}"
    );
}

#[tokio::test]
async fn a_start_up_error_names_the_address_it_could_not_listen_on() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}/onboarding.db", dir.path().display());
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", database)
            .env("LEPTOS_SITE_ADDR", address.to_string())
            .env("SANDBOX_ADDR", "127.0.0.1:0")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    drop(taken);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {address} (LEPTOS_SITE_ADDR)")),
        "the error does not name the address and variable: {stderr}"
    );
}

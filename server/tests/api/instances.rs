//! Two instances on one PostgreSQL database, as behind a load balancer: each with its own
//! server, workers, connection pool and notification listener, sharing the database and
//! LedgerOS. Runs when the suite runs on PostgreSQL (`cargo make test-postgres`); on SQLite
//! (one process by design) it says so and stops.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;

use crate::helpers::{TestApp, browser_like_client, location, page_in, sign_up_in, spawn_app, spawn_peer_of};

async fn pair() -> Option<(TestApp, TestApp)> {
    let a = spawn_app().await;
    if a.services.store.kind() != "postgres" {
        eprintln!("instances: SQLite runs one instance; set TEST_DATABASE_URL to run this test");
        return None;
    }
    let b = spawn_peer_of(&a).await;
    Some((a, b))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_to_one_instance_updates_a_page_open_on_the_other() {
    let Some((a, b)) = pair().await else { return };
    assert_eq!(b.sign_up("ada@example.com").await, "/status");
    let ledger_id = b.ledger_id_of("ada@example.com").await;
    let response = b.client.get(b.url("/events/status")).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = response.bytes_stream();
    // The status as the stream opens.
    while let Some(Ok(chunk)) = stream.next().await {
        if String::from_utf8_lossy(&chunk).contains("event: status") {
            break;
        }
    }

    let body = json!({ "id": "evt_cross", "type": "user.application.approved",
        "createdAt": a.services.clock.now_ms(), "data": { "userId": ledger_id } })
    .to_string();
    let sent = std::time::Instant::now();
    assert!(a.post_webhook(&body, None).await.status().is_success());

    let heard = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(Ok(chunk)) = stream.next().await {
            let text = String::from_utf8_lossy(&chunk).to_string();
            if text.contains("event: status") && text.contains(r#"data-status=\"approved\""#) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(heard, Ok(true), "the page on the other instance heard the change");
    eprintln!(
        "instances: webhook on A heard by a page on B after {:?}",
        sent.elapsed()
    );
    b.wait_for_status("approved").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_signups_across_two_instances_is_provisioned_and_emailed_exactly_once() {
    let Some((a, b)) = pair().await else { return };
    // Under the 20 signups a minute one address may make (the tests all come from 127.0.0.1).
    const PEOPLE: usize = 16;
    let before = a.sandbox.user_count();
    let signups = (0..PEOPLE).map(|n| {
        let app = if n % 2 == 0 { &a } else { &b };
        async move {
            let client = browser_like_client();
            let email = format!("person{n}@example.com");
            sign_up_in(app, &client, "Pat", &email, "correct horse battery").await
        }
    });
    for landed in futures_util::future::join_all(signups).await {
        assert_eq!(landed, "/status");
    }
    let store = &a.services.store;
    for _ in 0..200 {
        if store.pending_jobs().await.unwrap() == 0 && a.sandbox.user_count() - before == PEOPLE {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        store.pending_jobs().await.unwrap(),
        0,
        "every provisioning job done"
    );
    assert_eq!(
        a.sandbox.user_count() - before,
        PEOPLE,
        "one LedgerOS user per person"
    );
    let count = |sql: &'static str| async move { store.scalar_for_tests(sql).await.unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM emails").await, PEOPLE as i64);
    assert_eq!(
        count("SELECT COUNT(*) FROM emails WHERE sent_at IS NULL").await,
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM emails WHERE attempts <> 1").await,
        0,
        "no email was claimed twice"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM users WHERE ledger_user_id IS NULL").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_rate_limit_holds_across_both_instances() {
    let Some((a, b)) = pair().await else { return };
    a.create_account("ada@example.com").await;
    let client = browser_like_client();
    // Five wrong guesses a minute per account and address: three on A, two on B.
    for n in 0..5 {
        let app = if n % 2 == 0 { &a } else { &b };
        let response = client
            .post(app.url("/login"))
            .form(&[("email", "ada@example.com"), ("password", "wrong password guess")])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response), "/login");
        let page = page_in(&client, &app.url("/login")).await;
        assert!(!page.contains("Too many attempts"), "guess {n}: {page}");
    }
    // The sixth, on B, which has seen only two: refused, even with the right password.
    let response = client
        .post(b.url("/login"))
        .form(&[
            ("email", "ada@example.com"),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/login");
    let page = page_in(&client, &b.url("/login")).await;
    assert!(page.contains("Too many attempts"), "{page}");
}

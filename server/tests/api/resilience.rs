//! LedgerOS outages, lost webhooks and live updates.

use std::time::Duration;

use futures_util::StreamExt;
use sandbox::{Decision, Outcome, WebhookMode};
use serde_json::json;

use crate::helpers::{complete_hosted_steps, spawn_app, spawn_app_with};

#[tokio::test]
async fn signup_succeeds_during_an_outage_and_verification_is_set_up_when_ledgeros_returns() {
    let app = spawn_app().await;
    app.sandbox.set_outage(true);

    assert_eq!(app.sign_up("ada@example.com").await, "/status");
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("Setting up your verification"), "{page}");
    // The person can come and go meanwhile.
    app.post_form("/logout", &[]).await;
    app.log_in("ada@example.com", "correct horse battery").await;
    let pending_jobs = app.services.store.pending_jobs().await.unwrap();
    assert_eq!(
        pending_jobs, 1,
        "the provisioning call waits in the LedgerOS call queue"
    );

    app.sandbox.set_outage(false);

    let page = app.wait_for_status("pending").await;
    assert!(page.contains("Continue verification"));
    // The job is done just after the status it wrote (the page can show it first).
    let mut pending = 1;
    for _ in 0..50 {
        pending = app.services.store.pending_jobs().await.unwrap();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(pending, 0, "the provisioning job is done");
    // The failed attempts stay on the applicant's timeline for operators.
    let store = &app.services.store;
    let user = store.user_by_email("ada@example.com").await.unwrap().unwrap();
    let timeline = store.applicant_timeline(&user).await.unwrap();
    assert!(
        timeline
            .iter()
            .any(|e| e.what == "LedgerOS call failed: provision (attempt 1)"),
        "{timeline:?}"
    );
}

#[tokio::test]
async fn the_reconciler_finds_a_decision_whose_webhook_never_came() {
    let app = spawn_app_with(|config| {
        config.reconciler.every = Duration::from_millis(200);
        config.reconciler.stale_after = Duration::ZERO;
        config.reconciler.recheck_after = Duration::ZERO;
        config.reconciler.reads_per_minute = 600;
    })
    .await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;

    let silent = Decision {
        outcome: Outcome::Approve,
        delay: Duration::ZERO,
        webhooks: WebhookMode::Skip,
    };
    app.sandbox.decide_with(&ledger_id, silent).await.unwrap();

    app.wait_for_stored_status("ada@example.com", "approved").await;
    assert!(app.sandbox.deliveries().is_empty(), "no webhook was involved");
}

#[tokio::test]
async fn an_open_status_stream_hears_about_a_webhook_within_a_second() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let response = app.client.get(app.url("/events/status")).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    // Served outside hyper (`server::takeover`): the body ends with the connection, and the
    // head is the one every layer wrote.
    assert_eq!(response.headers()["connection"], "close");
    assert!(response.headers().get("transfer-encoding").is_none());
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    let mut stream = response.bytes_stream();
    let opening = next_status_event(&mut stream).await;
    assert!(
        opening.contains(r#""card":"#),
        "the current status first: {opening}"
    );

    let body = json!({ "id": "evt_live", "type": "user.application.approved",
        "createdAt": app.services.clock.now_ms(), "data": { "userId": ledger_id } })
    .to_string();
    let sent = std::time::Instant::now();
    app.post_webhook(&body, None).await;

    let chunk = tokio::time::timeout(Duration::from_secs(1), next_status_event(&mut stream))
        .await
        .expect("an event within a second");
    assert!(
        chunk.contains(r#"data-status=\"approved\""#),
        "the new status itself: {chunk}"
    );
    assert!(
        chunk.contains(r#""heading":"Welcome aboard, Ada""#),
        "as the page shows it: {chunk}"
    );
    assert!(sent.elapsed() < Duration::from_secs(1));
}

/// The next `status` event's text from an open live-status stream.
async fn next_status_event(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
) -> String {
    loop {
        let chunk = stream.next().await.expect("stream open").unwrap();
        let text = String::from_utf8_lossy(&chunk).to_string();
        if text.contains("event: status") {
            return text;
        }
    }
}

#[tokio::test]
async fn a_stream_only_carries_the_signed_in_users_changes() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let response = app.client.get(app.url("/events/status")).send().await.unwrap();
    let mut stream = response.bytes_stream();
    // The status as the stream opens.
    next_status_event(&mut stream).await;

    // Somebody else is approved.
    let other = crate::helpers::spawn_second_user(&app, "bob@example.com").await;
    let body = json!({ "id": "evt_other", "type": "user.application.approved",
        "createdAt": app.services.clock.now_ms(), "data": { "userId": other } })
    .to_string();
    app.post_webhook(&body, None).await;

    let heard = tokio::time::timeout(Duration::from_millis(700), async {
        while let Some(Ok(chunk)) = stream.next().await {
            if String::from_utf8_lossy(&chunk).contains("event: status") {
                return true;
            }
        }
        false
    })
    .await;
    assert!(
        heard.is_err() || heard == Ok(false),
        "no event for another user's change"
    );
}

#[tokio::test]
async fn signed_out_visitors_get_no_stream() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/events/status")).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_user_who_closed_the_hosted_page_half_way_can_get_back_in() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let first = complete_hosted_steps(&app).await;
    app.post_form("/logout", &[]).await;

    app.log_in("ada@example.com", "correct horse battery").await;
    let response = app.post_form("/verification/start", &[]).await;

    assert_eq!(
        crate::helpers::hosted_page(&response),
        first,
        "the same verification, resumed"
    );
}

#[tokio::test]
async fn the_demo_sandbox_remembers_its_users_across_a_restart() {
    let app = crate::helpers::spawn_app().await;
    if app.database_url().starts_with("postgres") {
        // The sandbox keeps its file beside a SQLite database (the demo's); a PostgreSQL
        // deployment talks to the real LedgerOS.
        return;
    }
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    app.sandbox
        .decide(&ledger_id, sandbox::Outcome::Approve)
        .await
        .unwrap();
    app.wait_for_stored_status("ada@example.com", "approved").await;
    // The state file is written within a second of a change.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.stop();
    let restarted = crate::helpers::spawn_instance_of(&app, onboarding::clock::Clock::system(), |_| {}).await;
    assert_eq!(
        restarted.sandbox.status_of(&ledger_id),
        Some(onboarding::status::ApplicationStatus::Approved),
        "the restarted sandbox knows the user and their status"
    );
}

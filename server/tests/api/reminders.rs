//! Reminders for abandoned verification, on a clock the tests move by hand: the schedule, the
//! exact next step and its link, stopping when the status moves, the one-click opt-out, and
//! exactly-once across instances sharing a database.

use std::time::Duration;

use onboarding::clock::Clock;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{
    TestApp, browser_like_client, location, spawn_app_with_clock, spawn_instance_of, token_in,
};

const HOUR: i64 = 60 * 60 * 1000;
const DAY: i64 = 24 * HOUR;

async fn reminders_to(app: &TestApp, email: &str) -> usize {
    let sent = app.emails_to(email).await;
    sent.iter().filter(|e| e.kind == "reminder").count()
}

/// Lets the reminder worker (polling every 100 ms) and the mail worker have a few goes.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(600)).await;
}

async fn wait_for_reminders(app: &TestApp, email: &str, count: usize) {
    for _ in 0..100 {
        if reminders_to(app, email).await >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle().await;
    assert_eq!(reminders_to(app, email).await, count, "reminders to {email}");
}

/// A person who signed up (verification initiated: pending) and never went to the hosted page.
async fn abandoned() -> (TestApp, Clock) {
    let clock = Clock::manual(Clock::system().now_ms());
    // These tests post LedgerOS's webhooks themselves, so the sandbox does not know the
    // statuses they report: pages must not read it back (days pass on this clock).
    let app = spawn_app_with_clock(clock.clone(), |config| {
        config.status_check_gap = Duration::from_secs(365 * 24 * 3600);
    })
    .await;
    app.sign_up("ada@example.com").await;
    app.wait_for_status("pending").await;
    (app, clock)
}

async fn post_status(app: &TestApp, id: &str, kind: &str, extra: serde_json::Value) {
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let mut data = json!({ "userId": ledger_id });
    if let (Some(data), Some(extra)) = (data.as_object_mut(), extra.as_object()) {
        data.extend(extra.clone());
    }
    let event = json!({ "id": id, "type": kind, "createdAt": app.services.clock.now_ms(), "data": data });
    let response = app.post_webhook(&event.to_string(), None).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn reminders_come_after_one_hour_one_day_and_three_days_and_then_stop() {
    let (app, clock) = abandoned().await;

    clock.advance(HOUR - 60_000);
    settle().await;
    assert_eq!(
        reminders_to(&app, "ada@example.com").await,
        0,
        "not before an hour"
    );

    clock.advance(60_000);
    wait_for_reminders(&app, "ada@example.com", 1).await;
    let first = app
        .wait_for_email("ada@example.com", "Finish verifying your identity")
        .await;
    assert!(
        first
            .body
            .contains("Finish your identity verification. Your answers so far are saved")
    );
    assert!(
        first
            .body
            .contains(&format!("Continue here: {}/verification/continue", app.address))
    );
    assert!(
        first
            .body
            .contains(&format!("{}/reminders/stop?token=", app.address))
    );

    clock.advance(DAY - HOUR - 60_000);
    settle().await;
    assert_eq!(reminders_to(&app, "ada@example.com").await, 1, "not before a day");
    clock.advance(60_000);
    wait_for_reminders(&app, "ada@example.com", 2).await;

    clock.advance(2 * DAY);
    wait_for_reminders(&app, "ada@example.com", 3).await;

    clock.advance(30 * DAY);
    settle().await;
    assert_eq!(reminders_to(&app, "ada@example.com").await, 3, "three at most");
}

#[tokio::test]
async fn the_reminder_link_goes_straight_back_to_the_hosted_page_even_after_logging_out() {
    let (app, clock) = abandoned().await;
    clock.advance(HOUR);
    wait_for_reminders(&app, "ada@example.com", 1).await;
    app.post_form("/logout", &[]).await;

    let response = app
        .client
        .get(app.url("/verification/continue"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/login?next=/verification/continue");
    let login = app
        .log_in_to(
            "ada@example.com",
            "correct horse battery",
            "/verification/continue",
        )
        .await;
    assert_eq!(location(&login), "/verification/continue");
    let hosted = app
        .client
        .get(app.url("/verification/continue"))
        .send()
        .await
        .unwrap();
    assert_eq!(hosted.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&hosted).starts_with(app.sandbox.base_url()),
        "{}",
        location(&hosted)
    );
}

#[tokio::test]
async fn reminders_stop_as_soon_as_the_status_moves() {
    let (app, clock) = abandoned().await;
    clock.advance(HOUR);
    wait_for_reminders(&app, "ada@example.com", 1).await;

    post_status(
        &app,
        "evt_review",
        "user.application.updated",
        json!({ "applicationStatus": "manualReview" }),
    )
    .await;
    app.wait_for_status("manualReview").await;

    clock.advance(5 * DAY);
    settle().await;
    assert_eq!(reminders_to(&app, "ada@example.com").await, 1);
}

#[tokio::test]
async fn a_request_for_documents_gets_its_own_reminders_naming_the_documents() {
    let (app, clock) = abandoned().await;
    clock.advance(HOUR);
    wait_for_reminders(&app, "ada@example.com", 1).await;

    clock.advance(10 * 60_000);
    post_status(
        &app,
        "evt_docs",
        "user.application.needs_info",
        json!({ "requiredFields": ["proofOfAddress"] }),
    )
    .await;
    app.wait_for_status("needsInformation").await;
    clock.advance(HOUR);
    wait_for_reminders(&app, "ada@example.com", 2).await;

    let email = app
        .wait_for_email("ada@example.com", "LedgerOS needs a document from you")
        .await;
    assert!(email.body.contains("Send Proof of address."), "{}", email.body);
    assert!(
        email
            .body
            .contains(&format!("Continue here: {}/status#documents", app.address))
    );
    // The link's target has the anchor.
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains(r#"id="documents""#));
}

#[tokio::test]
async fn one_click_turns_reminders_off_and_they_can_be_turned_back_on() {
    let (app, clock) = abandoned().await;
    clock.advance(HOUR);
    wait_for_reminders(&app, "ada@example.com", 1).await;
    let email = app.wait_for_email("ada@example.com", "Finish verifying").await;
    let token = token_in(&email.body, &app.address, "/reminders/stop");

    // The link, opened in any browser (no login needed).
    let stranger = browser_like_client();
    let response = stranger
        .get(app.url(&format!("/reminders/stop?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), format!("/reminders?token={token}"));
    let page = stranger
        .get(app.url(&location(&response)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("You won't get any more reminder emails"), "{page}");

    clock.advance(5 * DAY);
    settle().await;
    assert_eq!(reminders_to(&app, "ada@example.com").await, 1, "off means off");

    // Turned back on from the same page: the schedule picks up again.
    let resumed = stranger
        .post(app.url("/reminders/resume"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&resumed), format!("/reminders?token={token}"));
    wait_for_reminders(&app, "ada@example.com", 2).await;

    // Mail clients' one-click button (RFC 8058): a POST with no cookies.
    let one_click = reqwest::Client::new()
        .post(app.url(&format!("/reminders/stop?token={token}")))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), StatusCode::OK);
    assert_eq!(
        app.services.store.reminders_on(&token).await.unwrap(),
        Some(false)
    );
    // A made-up token changes nothing and says so.
    let bogus = stranger
        .get(app.url("/reminders/stop?token=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&bogus), "/reminders");
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_reminder_once() {
    let (app, clock) = abandoned().await;
    let second = spawn_instance_of(&app, clock.clone(), |_| {}).await;

    clock.advance(HOUR);
    wait_for_reminders(&app, "ada@example.com", 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(reminders_to(&second, "ada@example.com").await, 1);

    clock.advance(DAY);
    wait_for_reminders(&second, "ada@example.com", 2).await;
}

#[tokio::test]
async fn an_email_that_one_instance_cannot_send_is_sent_by_the_next() {
    let clock = Clock::manual(Clock::system().now_ms());
    // Nothing listens on port 9: every SMTP attempt fails.
    let broken = spawn_app_with_clock(clock.clone(), |config| {
        config.smtp_url = Some("smtp://127.0.0.1:9".to_owned().into());
    })
    .await;
    broken.create_account("ada@example.com").await;
    broken
        .post_form("/password/forgot", &[("email", "ada@example.com")])
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        broken.emails_to("ada@example.com").await.is_empty(),
        "not sent yet"
    );

    // The process is replaced: a new one on the same data, with working email.
    let next = spawn_instance_of(&broken, clock.clone(), |_| {}).await;
    broken.stop();
    for _ in 0..50 {
        if !next.emails_to("ada@example.com").await.is_empty() {
            break;
        }
        clock.advance(60_000);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let email = next
        .wait_for_email("ada@example.com", "Reset your password")
        .await;
    assert!(email.body.contains("/password/reset?token="));
}

#[tokio::test]
async fn the_status_page_turns_reminders_off_and_on() {
    let (app, clock) = abandoned().await;
    let page = app.wait_for_status("pending").await;
    assert!(page.contains("Turn off reminders"), "{page}");

    let off = app.post_form("/account/reminders", &[("on", "false")]).await;
    assert_eq!(location(&off), "/status");
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("Reminders are off. We won't send any more."));
    assert!(page.contains("Turn reminders on"));
    clock.advance(2 * DAY);
    settle().await;
    assert_eq!(reminders_to(&app, "ada@example.com").await, 0);

    // Two days on, the session has ended (12 hours at most): log in again first.
    app.log_in("ada@example.com", "correct horse battery").await;
    let on = app.post_form("/account/reminders", &[("on", "true")]).await;
    assert_eq!(location(&on), "/status");
    wait_for_reminders(&app, "ada@example.com", 1).await;
}

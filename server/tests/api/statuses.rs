//! Every status reaches the page in plain words with its next step.

use reqwest::StatusCode;
use sandbox::{Decision, Outcome, WebhookMode};
use serde_json::json;

use crate::helpers::{complete_hosted_steps, location, spawn_app, spawn_app_with};

#[tokio::test]
async fn coming_back_while_pending_says_we_are_waiting_for_ledgeros() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;

    let (_, page) = app.get_page("/verification/return").await;

    assert!(page.contains(r#"data-status="pending""#));
    assert!(
        page.contains("We&#x27;re waiting for LedgerOS") || page.contains("We're waiting for LedgerOS"),
        "{page}"
    );
    // The status page says the same from then on, and still offers a way back in.
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("waiting for LedgerOS"));
    assert!(page.contains("Continue verification"));
}

#[tokio::test]
async fn needs_verification_sends_the_user_back_with_a_fresh_link() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    complete_hosted_steps(&app).await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;

    app.sandbox
        .decide(&ledger_id, Outcome::NeedsVerification)
        .await
        .unwrap();

    let page = app.wait_for_status("needsVerification").await;
    assert!(page.contains("Please verify again"));
    assert!(page.contains("Verify again"));
    let response = app.post_form("/verification/start", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with(app.sandbox.base_url()));
}

#[tokio::test]
async fn manual_review_says_one_to_two_business_days_then_shows_the_decision() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    complete_hosted_steps(&app).await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;

    let review = Outcome::ManualReview {
        then: Box::new(Outcome::Approve),
        after: std::time::Duration::from_millis(800),
    };
    app.sandbox.decide(&ledger_id, review).await.unwrap();

    let page = app.wait_for_status("manualReview").await;
    assert!(page.contains("1–2 business days"));
    assert!(page.contains("nothing you need to do"));
    app.wait_for_status("approved").await;
}

#[tokio::test]
async fn a_denied_user_can_send_an_appeal_that_is_stored_for_the_team() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    app.sandbox
        .decide(
            &ledger_id,
            Outcome::Deny {
                reason: "Identity could not be verified".into(),
            },
        )
        .await
        .unwrap();
    let page = app.wait_for_status("denied").await;
    assert!(page.contains("can&#x27;t be tried again") || page.contains("can't be tried again"));
    assert!(page.contains("Send appeal"));
    // LedgerOS's reason is kept for operators; the customer sees the generic message only.
    assert!(!page.contains("Identity could not be verified"), "{page}");
    // The page may show the denial from a read before the webhook (which carries the reason)
    // is in: wait for it.
    let mut reason = None;
    for _ in 0..100 {
        let record = app
            .services
            .store
            .user_by_email("ada@example.com")
            .await
            .unwrap()
            .unwrap();
        reason = record.denial_reason;
        if reason.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(reason.as_deref(), Some("Identity could not be verified"));

    let empty = app.post_form("/appeal", &[("message", "   ")]).await;
    assert_eq!(location(&empty), "/status");
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("Tell us briefly why"));

    app.post_form("/appeal", &[("message", "My name changed when I married.")])
        .await;
    let (_, page) = app.get_page("/status").await;
    assert!(
        page.contains("We&#x27;ve received your appeal") || page.contains("We've received your appeal"),
        "{page}"
    );
    assert!(page.contains("Your appeal is with our support team"));
    let stored = app
        .services
        .store
        .scalar_for_tests("SELECT COUNT(*) FROM appeals")
        .await
        .unwrap();
    assert_eq!(stored, 1);
    let user = app
        .services
        .store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.services.store.appeals(&user.id).await.unwrap(),
        ["My name changed when I married."]
    );
}

#[tokio::test]
async fn a_locked_account_points_to_support() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;

    app.sandbox.decide(&ledger_id, Outcome::Lock).await.unwrap();

    let page = app.wait_for_status("locked").await;
    assert!(page.contains("Your account is locked"));
    assert!(page.contains("Contact support"));
    assert!(page.contains("Available once your identity is verified"));
}

#[tokio::test]
async fn canceled_and_unknown_statuses_get_a_safe_generic_message() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let now = app.services.clock.now_ms();
    let event = |id: &str, status: &str, at: i64| {
        json!({ "id": id, "type": "user.application.updated", "createdAt": at,
            "data": { "userId": ledger_id, "applicationStatus": status } })
        .to_string()
    };

    app.post_webhook(&event("evt_odd", "underAudit", now), None).await;
    let page = app.wait_for_status("underAudit").await;
    assert!(page.contains("Verification under review"));

    app.post_webhook(&event("evt_cancel", "canceled", now + 1), None)
        .await;
    let page = app.wait_for_status("canceled").await;
    assert!(page.contains("Verification closed"));
    assert!(page.contains("Contact support"));
}

#[tokio::test]
async fn duplicated_and_reordered_deliveries_from_the_sandbox_end_in_the_right_state() {
    // Two events to reorder: the richer `updated` event for the manual review, then the denial.
    let app = spawn_app_with(|config| config.sandbox_status_updates = true).await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;

    let reversed = Decision {
        outcome: Outcome::ManualReview {
            then: Box::new(Outcome::Deny { reason: "x".into() }),
            after: std::time::Duration::from_millis(100),
        },
        delay: std::time::Duration::ZERO,
        webhooks: WebhookMode::Reversed,
    };
    app.sandbox.decide_with(&ledger_id, reversed).await.unwrap();
    let deliveries = app
        .sandbox
        .wait_for_delivered(2, std::time::Duration::from_secs(10))
        .await
        .expect("both delivered");
    assert_eq!(deliveries.len(), 2);

    let user = app
        .services
        .store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.kyc.status.as_str(),
        "denied",
        "the late manualReview event did not win"
    );
}

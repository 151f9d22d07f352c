//! Decision emails: one per status change that is news for the person, queued with the change,
//! sent right away, never twice for the same change however it was learned.

use std::time::Duration;

use onboarding::kyc::StatusUpdate;
use onboarding::status::ApplicationStatus;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

const ADA: &str = "ada@example.com";

async fn webhook(app: &TestApp, id: &str, data: serde_json::Value, kind: &str, at: i64) {
    let body = json!({ "id": id, "type": kind, "createdAt": at, "data": data }).to_string();
    let response = app.post_webhook(&body, None).await;
    assert!(response.status().is_success(), "{id}: {}", response.status());
}

async fn decisions_to(app: &TestApp, subject: &str) -> usize {
    app.emails_to(ADA)
        .await
        .iter()
        .filter(|e| e.kind == "decision" && e.subject.contains(subject))
        .count()
}

#[tokio::test]
async fn each_decision_is_emailed_once_even_when_its_webhook_comes_twice_or_after_a_refresh() {
    let app = spawn_app().await;
    app.sign_up(ADA).await;
    let ledger = app.ledger_id_of(ADA).await;
    let user = app.services.store.user_by_email(ADA).await.unwrap().unwrap();
    let t0 = app.services.clock.now_ms();

    // LedgerOS asks for a document: the email names it and links to the upload, at once.
    let needs = json!({ "userId": ledger, "requiredFields": ["proofOfAddress"] });
    webhook(
        &app,
        "evt_needs",
        needs.clone(),
        "user.application.needs_info",
        t0 + 1,
    )
    .await;
    let mail = app.wait_for_email(ADA, "LedgerOS needs a document").await;
    assert!(mail.body.contains("Proof of address"), "{}", mail.body);
    assert!(!mail.body.contains("proofOfAddress"), "no raw field name");
    assert!(
        mail.body.contains(&format!("{}/status#documents", app.address)),
        "{}",
        mail.body
    );
    webhook(&app, "evt_needs", needs, "user.application.needs_info", t0 + 1).await; // duplicate

    // Approved, delivered twice.
    let approved = json!({ "userId": ledger });
    webhook(
        &app,
        "evt_ok",
        approved.clone(),
        "user.application.approved",
        t0 + 2,
    )
    .await;
    webhook(&app, "evt_ok", approved, "user.application.approved", t0 + 2).await;
    let mail = app.wait_for_email(ADA, "You're verified").await;
    assert!(mail.body.contains("deposit money"), "{}", mail.body);

    // A refresh learns of a lock first; its webhook arrives afterwards and changes nothing.
    let lock = StatusUpdate {
        status: ApplicationStatus::Locked,
        at_ms: t0 + 3,
        required_fields: Vec::new(),
    };
    app.services
        .store
        .apply_status(&user.id, lock, onboarding::kyc::StatusSource::Reconciler)
        .await
        .unwrap();
    let locked = json!({ "userId": ledger, "applicationStatus": "locked" });
    webhook(&app, "evt_lock", locked, "user.application.updated", t0 + 4).await;
    let mail = app.wait_for_email(ADA, "Your account is locked").await;
    assert!(
        mail.body.contains(onboarding::contact::SUPPORT_EMAIL),
        "{}",
        mail.body
    );

    // Turning reminders off does not stop news.
    app.services
        .store
        .set_user_reminders(&user.id, false)
        .await
        .unwrap();
    let denied = json!({ "userId": ledger, "reason": "Document mismatch" });
    webhook(&app, "evt_no", denied, "user.application.denied", t0 + 5).await;
    let mail = app.wait_for_email(ADA, "About your identity verification").await;
    assert!(mail.body.contains("appeal"), "{}", mail.body);
    assert!(
        !mail.body.contains("Document mismatch"),
        "the reason is for operators"
    );

    // Let the mail worker finish anything still queued, then count.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for subject in [
        "LedgerOS needs a document",
        "You're verified",
        "Your account is locked",
        "About your identity verification",
    ] {
        assert_eq!(decisions_to(&app, subject).await, 1, "{subject}");
    }
}

#[tokio::test]
async fn needs_verification_asks_to_verify_again_by_email() {
    let app = spawn_app().await;
    app.sign_up(ADA).await;
    let ledger = app.ledger_id_of(ADA).await;
    let t0 = app.services.clock.now_ms();
    let data = json!({ "userId": ledger, "applicationStatus": "needsVerification" });
    webhook(&app, "evt_again", data, "user.application.updated", t0 + 1).await;
    let mail = app.wait_for_email(ADA, "Please verify your identity again").await;
    assert_eq!(mail.kind, "decision");
    assert!(
        mail.body
            .contains(&format!("{}/verification/continue", app.address))
    );
}

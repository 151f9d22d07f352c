use onboarding::webhook::signature::signature_header;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::config::SANDBOX_WEBHOOK_SECRET;

use crate::helpers::spawn_app;

fn event(id: &str, kind: &str, user: &str, created_at: Value) -> String {
    json!({ "id": id, "type": kind, "createdAt": created_at, "data": { "userId": user } }).to_string()
}

#[tokio::test]
async fn a_signed_approval_approves_the_user() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let now_ms = app.services.clock.now_ms();

    let response = app
        .post_webhook(
            &event("evt_1", "user.application.approved", &ledger_id, json!(now_ms)),
            None,
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let page = app.wait_for_status("approved").await;
    assert!(page.contains("Deposit funds"));
}

#[tokio::test]
async fn a_duplicate_delivery_is_acknowledged_and_applied_once() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let t = app.services.clock.now_ms();
    let needs_info = json!({ "id": "evt_a", "type": "user.application.needs_info", "createdAt": t,
        "data": { "userId": ledger_id, "requiredFields": ["proofOfAddress"] } })
    .to_string();

    let first = app.post_webhook(&needs_info, None).await;
    let second = app.post_webhook(&needs_info, None).await;

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.json::<Value>().await.unwrap()["duplicate"], false);
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(second.json::<Value>().await.unwrap()["duplicate"], true);
    let page = app.wait_for_status("needsInformation").await;
    assert!(page.contains("Proof of address"));
}

#[tokio::test]
async fn an_older_event_arriving_late_never_moves_the_user_back() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let t = app.services.clock.now_ms();
    // ISO-8601 for one, epoch milliseconds for the other: both forms appear in the wild.
    let newer = event(
        "evt_new",
        "user.application.approved",
        &ledger_id,
        json!(t + 1000),
    );
    let older = json!({ "id": "evt_old", "type": "user.application.needs_info",
        "createdAt": "2020-01-01T00:00:00Z", "data": { "userId": ledger_id, "requiredFields": ["selfie"] } })
    .to_string();

    assert_eq!(app.post_webhook(&newer, None).await.status(), StatusCode::OK);
    assert_eq!(app.post_webhook(&older, None).await.status(), StatusCode::OK);

    app.wait_for_status("approved").await;
    let user = app
        .services
        .store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.kyc.status.as_str(), "approved");
    assert_eq!(user.kyc.as_of_ms, Some(t + 1000));
}

#[tokio::test]
async fn forged_missing_and_expired_signatures_get_401_and_change_nothing() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let body = event(
        "evt_x",
        "user.application.approved",
        &ledger_id,
        json!(app.services.clock.now_ms()),
    );
    let now = app.services.clock.now_secs();

    let forged = signature_header(["whsec_attacker"], now, body.as_bytes());
    let expired = signature_header([SANDBOX_WEBHOOK_SECRET], now - 301, body.as_bytes());
    for signature in [
        Some(forged),
        Some(String::new()),
        Some(expired),
        Some("t=1,v1=zz".to_owned()),
    ] {
        let response = app.post_webhook(&body, signature).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    let user = app
        .services
        .store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.kyc.status.as_str(), "pending");
    // Not stored either: the same event id, properly signed, is still new.
    let response = app.post_webhook(&body, None).await;
    assert_eq!(response.json::<Value>().await.unwrap()["duplicate"], false);
}

#[tokio::test]
async fn a_signed_but_malformed_body_gets_400() {
    let app = spawn_app().await;
    for body in [
        "not json",
        r#"{"type":"user.application.approved"}"#,
        r#"{"id":"evt_1","type":"x","createdAt":"yesterday","data":{}}"#,
    ] {
        let response = app.post_webhook(body, None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    }
}

#[tokio::test]
async fn an_unknown_event_type_is_stored_and_acknowledged() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let body = event(
        "evt_card",
        "card.created",
        &ledger_id,
        json!(app.services.clock.now_ms()),
    );

    let response = app.post_webhook(&body, None).await;

    assert_eq!(response.status(), StatusCode::OK);
    let again = app.post_webhook(&body, None).await;
    assert_eq!(again.json::<Value>().await.unwrap()["duplicate"], true);
    app.wait_for_status("pending").await;
}

#[tokio::test]
async fn an_event_for_a_user_we_do_not_know_yet_is_kept_and_applied_when_they_appear() {
    let app = spawn_app().await;
    let body = event(
        "evt_early",
        "user.application.approved",
        "user_not_linked_yet",
        json!(app.services.clock.now_ms()),
    );

    let response = app.post_webhook(&body, None).await;
    assert_eq!(response.status(), StatusCode::OK);

    let store = &app.services.store;
    let id = store
        .create_user(onboarding::store::NewUser {
            email: "late@example.com",
            first_name: "Late",
            last_name: "Comer",
            password_hash: "unused",
        })
        .await
        .unwrap();
    store.link_ledger_user(&id, "user_not_linked_yet").await.unwrap();
    let user = store.user(&id).await.unwrap().unwrap();
    assert_eq!(user.kyc.status.as_str(), "approved");
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let app = spawn_app().await;
    let body = format!(
        r#"{{"id":"evt_big","type":"x","createdAt":1,"data":{{"pad":"{}"}}}}"#,
        "a".repeat(100_000)
    );
    let response = app.post_webhook(&body, None).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

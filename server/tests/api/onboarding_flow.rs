use reqwest::StatusCode;
use sandbox::Outcome;

use crate::helpers::{complete_hosted_steps, location, spawn_app};

#[tokio::test]
async fn signup_then_verification_then_approval_unlocks_deposits_and_cards() {
    let app = spawn_app().await;

    assert_eq!(app.sign_up("ada@example.com").await, "/status");
    // Verification was initiated at signup, as LedgerOS advises.
    let (code, page) = app.get_page("/status").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains(r#"data-status="pending""#));
    assert!(page.contains("Continue verification"));
    assert!(page.contains("Available once your identity is verified"));

    let url = complete_hosted_steps(&app).await;
    let response = app
        .client
        .post(format!("{url}/decision"))
        .form(&[("outcome", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), app.url("/verification/return"));

    // The return page asks LedgerOS on arrival, so it is right even before the webhook lands.
    let (code, page) = app.get_page("/verification/return").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains(r#"data-status="approved""#), "{page}");
    // And the webhook arrives, signed, and is applied.
    app.sandbox
        .wait_for_delivered(1, std::time::Duration::from_secs(10))
        .await
        .expect("webhook delivered");
    let page = app.wait_for_status("approved").await;
    assert!(page.contains("You&#x27;re verified") || page.contains("You're verified"));
    assert!(!page.contains("Available once your identity is verified"));
}

#[tokio::test]
async fn a_denied_user_is_told_plainly_and_pointed_to_support() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    complete_hosted_steps(&app).await;
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
    assert!(page.contains("verify your identity"));
    assert!(page.contains("Contact support"));
    assert!(page.contains("Available once your identity is verified"));
}

#[tokio::test]
async fn signup_errors_are_shown_per_field_and_the_values_kept() {
    let app = spawn_app().await;

    let response = app
        .post_form(
            "/signup",
            &[
                ("first_name", "Ada"),
                ("last_name", ""),
                ("email", "ada@"),
                ("password", "short"),
            ],
        )
        .await;

    assert_eq!(location(&response), "/signup");
    let (_, page) = app.get_page("/signup").await;
    assert!(page.contains("Enter your last name."));
    assert!(page.contains("name@example.com"));
    assert!(page.contains("at least 12 characters"));
    assert!(page.contains(r#"value="Ada""#));
    assert!(!page.contains("short"), "the password is never shown again");
    // The flash is shown once.
    let (_, again) = app.get_page("/signup").await;
    assert!(!again.contains("Enter your last name."));
}

#[tokio::test]
async fn an_email_can_only_sign_up_once_and_the_owner_is_told_by_email() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    app.post_form("/logout", &[]).await;

    let response = app
        .post_form(
            "/signup",
            &[
                ("first_name", "Ada"),
                ("last_name", "L"),
                ("email", "ADA@example.com"),
                ("password", "another long password"),
            ],
        )
        .await;

    // The same answer as for a new address; the owner learns it from their inbox.
    assert_eq!(location(&response), "/signup/sent");
    let notice = app
        .wait_for_email("ada@example.com", "You already have an account")
        .await;
    assert!(notice.body.contains(&format!("{}/password/forgot", app.address)));
    assert!(
        app.log_in("ada@example.com", "another long password")
            .await
            .headers()["location"]
            == "/login"
    );
    let kept = app.log_in("ada@example.com", "correct horse battery").await;
    assert_eq!(location(&kept), "/status", "the first password still works");
}

#[tokio::test]
async fn a_returning_user_logs_in_and_lands_on_their_status() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let response = app.post_form("/logout", &[]).await;
    assert_eq!(location(&response), "/login");

    let response = app.client.get(app.url("/status")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=/status");

    let wrong = app.log_in("ada@example.com", "not my password at all").await;
    assert_eq!(location(&wrong), "/login");
    let (_, page) = app.get_page("/login").await;
    assert!(
        page.contains("don&#x27;t match") || page.contains("don't match"),
        "{page}"
    );

    let right = app
        .log_in_to("ada@example.com", "correct horse battery", "/status")
        .await;
    assert_eq!(location(&right), "/status");
    app.wait_for_status("pending").await;
}

//! A person's data (issue 26): "Download my data" on the account page.

use onboarding::clock::Clock;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use sandbox::Outcome;

use crate::helpers::{complete_hosted_steps, location, spawn_app_with_clock};

const PASSWORD: &str = "correct horse battery";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A denied person downloads their data: the password first, then a file with what we hold,
/// never the secrets or LedgerOS's reason; one a day, audited.
#[tokio::test]
async fn downloading_my_data_asks_for_the_password_and_leaves_out_the_secrets() {
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    let email = "ada@example.com";
    app.sign_up(email).await;
    complete_hosted_steps(&app).await;
    let reason = "Sanctions list match";
    let ledger_id = app.ledger_id_of(email).await;
    app.sandbox
        .decide(&ledger_id, Outcome::Deny { reason: reason.into() })
        .await
        .unwrap();
    app.wait_for_stored_status(email, "denied").await;
    let (code, page) = app.get_page("/account").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Download my data") && page.contains(email), "{page}");

    // A wrong password: back to the page, with the error on the field.
    let wrong = app.post_form("/account/data", &[("password", "not my password")]).await;
    assert_eq!(location(&wrong), "/account");
    let (_, page) = app.get_page("/account").await;
    assert!(page.contains("That&#x27;s not your password") || page.contains("That's not your password"), "{page}");

    let file = app.post_form("/account/data", &[("password", PASSWORD)]).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()[CONTENT_TYPE], "application/json; charset=utf-8");
    let disposition = file.headers()[CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment; filename=\"my-data-"), "{disposition}");
    let text = file.text().await.unwrap();
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["format"], "ledgeros-onboarding/personal-data");
    assert_eq!(data["version"], 1);
    assert_eq!(data["profile"]["email"], email);
    assert_eq!(data["verification"]["ledgeros_user_id"], ledger_id.as_str());
    assert_eq!(data["verification"]["status"], "denied");
    let statuses: Vec<&str> = data["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"pending") && statuses.contains(&"denied"), "{statuses:?}");
    let subjects: Vec<&str> = data["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|email| email["subject"].as_str().unwrap())
        .collect();
    assert!(subjects.iter().any(|s| s.contains("Confirm your email")), "{subjects:?}");
    let audit = data["audit"].as_array().unwrap();
    assert!(
        audit.iter().any(|e| e["action"] == "exported personal data" && e["by"] == "you"),
        "{audit:?}"
    );
    assert_eq!(data["exports"].as_array().unwrap().len(), 1);
    let user = app.services.store.user_by_email(email).await.unwrap().unwrap();
    for secret in [reason, user.password_hash.as_str(), "$argon2"] {
        assert!(!text.contains(secret), "{secret} is not in the file");
    }
    assert!(text.contains("compliance records"), "the file says some records are held");

    // Once a day.
    let again = app.post_form("/account/data", &[("password", PASSWORD)]).await;
    assert_eq!(location(&again), "/account");
    let (_, page) = app.get_page("/account").await;
    assert!(page.contains("less than a day ago") && page.contains("24 hours"), "{page}");
    clock.advance(DAY_MS);
    // (A day later the login has expired too.)
    app.log_in(email, PASSWORD).await;
    let next_day = app.post_form("/account/data", &[("password", PASSWORD)]).await;
    assert_eq!(next_day.status(), StatusCode::OK);
    let audited = app
        .services
        .store
        .scalar_for_tests("SELECT COUNT(*) FROM audit_log WHERE action = 'exported personal data'")
        .await
        .unwrap();
    assert_eq!(audited, 2);
}

/// The account page and its download are for the signed-in person only.
#[tokio::test]
async fn the_account_page_needs_a_login() {
    let app = crate::helpers::spawn_app().await;
    let page = app.client.get(app.url("/account")).send().await.unwrap();
    assert_eq!(location(&page), "/login?next=/account");
    let download = app.post_form("/account/data", &[("password", PASSWORD)]).await;
    assert!(location(&download).starts_with("/login"), "{}", location(&download));
}

//! Email over SMTP (`SMTP_URL`), against a real SMTP listener this test starts, and the dev
//! mailbox page that demo mode uses instead.

use std::time::Duration;

use crate::helpers::{location, spawn_app, spawn_app_with, spawn_app_with_clock};
use crate::smtp::SmtpListener;
use onboarding::clock::Clock;
use reqwest::StatusCode;

#[tokio::test]
async fn with_smtp_url_set_emails_go_out_over_smtp_and_their_links_work() {
    let smtp = SmtpListener::start().await;
    let app = spawn_app_with(|config| config.smtp_url = Some(smtp.url().into())).await;

    let response = app
        .post_form(
            "/signup",
            &[
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
                ("email", "ada@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/signup/sent");

    let message = smtp.wait_for("To: ada@example.com").await;
    assert!(
        message.contains("Subject: Confirm your email to finish signing up"),
        "{message}"
    );
    assert!(
        message.contains("From: Onboarding <no-reply@onboarding.localhost>"),
        "{message}"
    );
    let prefix = format!("{}/signup/confirm?token=", app.address);
    let start = message.find(&prefix).expect("a confirmation link") + prefix.len();
    let token: String = message[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64);

    let confirmed = app
        .post_form(
            "/signup/confirm",
            &[("token", token.as_str()), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(location(&confirmed), "/status");

    // Sent over SMTP, the body (with its sign-in link) is not kept in our database.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let kept = app.services.store.sent_emails(10).await.unwrap();
    assert!(!kept.is_empty());
    assert!(
        kept.iter().all(|e| e.body.is_empty()),
        "bodies erased after sending"
    );
    // And there is no dev mailbox.
    let (_, page) = app.get_page("/dev/mailbox").await;
    assert!(page.contains("exists only in demo mode"), "{page}");
}

#[tokio::test]
async fn reminders_over_smtp_carry_one_click_unsubscribe_headers() {
    let smtp = SmtpListener::start().await;
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |config| config.smtp_url = Some(smtp.url().into())).await;
    app.create_account("ada@example.com").await;

    // An hour on, the first reminder is due. (The LedgerOS call worker may provision the account at LedgerOS
    // meanwhile, which starts a new status and so a new hour: give it two.)
    clock.advance(60 * 60 * 1000);
    tokio::time::sleep(Duration::from_millis(500)).await;
    clock.advance(60 * 60 * 1000);
    let message = smtp.wait_for("Subject: Finish verifying your identity").await;
    assert!(
        message.contains(&format!(
            "List-Unsubscribe: <{}/reminders/stop?token=",
            app.address
        )),
        "{message}"
    );
    assert!(message.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(message.contains("identity verification."), "{message}");
    assert!(message.contains(&format!("Continue here: {}/verification/continue", app.address)));
}

#[tokio::test]
async fn in_demo_mode_the_dev_mailbox_lists_and_shows_every_email() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let email = app.wait_for_email("ada@example.com", "Confirm your email").await;

    let response = app.client.get(app.url("/dev/mailbox")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("style-src 'self'") && !csp.contains("script-src"),
        "{csp}"
    );
    let list = response.text().await.unwrap();
    assert!(list.contains("Confirm your email to finish signing up"), "{list}");
    assert!(list.contains(&format!(r#"href="/dev/mailbox/{}""#, email.id)));

    let (code, shown) = app.get_page(&format!("/dev/mailbox/{}", email.id)).await;
    assert_eq!(code, StatusCode::OK);
    assert!(shown.contains("ada@example.com"));
    // Links in the email are links on the page.
    assert!(
        shown.contains(&format!(r#"<a href="{}/signup/confirm?token="#, app.address)),
        "{shown}"
    );
}

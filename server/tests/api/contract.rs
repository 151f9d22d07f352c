//! Against LedgerOS's contract, which only sends `approved`, `denied` and `needs_info`
//! webhooks (the sandbox's default): every other status is learned by asking, within
//! LedgerOS's read limit.

use std::time::Duration;

use onboarding::clock::Clock;
use sandbox::Outcome;

use crate::helpers::spawn_app_with_clock;

const ADA: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn a_lock_after_approval_is_noticed_by_the_reconciler_without_a_webhook() {
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |config| {
        config.reconciler.every = Duration::from_millis(200);
        config.reconciler.lock_recheck = Duration::from_secs(24 * 3600);
        config.reconciler.lock_checks_per_minute = 600;
    })
    .await;
    app.sign_up(ADA).await;
    let ledger_id = app.ledger_id_of(ADA).await;
    app.sandbox.decide(&ledger_id, Outcome::Approve).await.unwrap();
    app.wait_for_stored_status(ADA, "approved").await;

    // Later, LedgerOS locks the account; no webhook says so.
    app.sandbox.decide(&ledger_id, Outcome::Lock).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.services
            .store
            .user_by_email(ADA)
            .await
            .unwrap()
            .unwrap()
            .kyc
            .status
            .as_str(),
        "approved",
        "not checked again within the day"
    );
    clock.advance(25 * 3600 * 1000);
    // Nobody opens a page: only the reconciler can find out.
    app.wait_for_stored_status(ADA, "locked").await;
    let webhooks: Vec<String> = app
        .sandbox
        .deliveries()
        .into_iter()
        .map(|d| d.event_type)
        .collect();
    assert_eq!(
        webhooks,
        ["user.application.approved"],
        "the lock came without a webhook"
    );
    let mail = app.wait_for_email(ADA, "Your account is locked").await;
    assert_eq!(mail.kind, "decision");
}

#[tokio::test]
async fn the_status_is_read_at_login_at_most_once_a_minute_per_person() {
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    app.sign_up(ADA).await;
    let ledger_id = app.ledger_id_of(ADA).await;
    // Manual review: LedgerOS sends no webhook for it.
    let review = Outcome::ManualReview {
        then: Box::new(Outcome::Approve),
        after: Duration::from_secs(3600),
    };
    app.sandbox.decide(&ledger_id, review).await.unwrap();
    app.post_form("/logout", &[]).await;

    let calls = || app.sandbox.api_requests();
    let before = calls();
    app.log_in(ADA, PASSWORD).await;
    app.wait_for_stored_status(ADA, "manualReview").await;
    assert_eq!(calls() - before, 1, "one read at login");

    // Again within the minute: the stored status, no read.
    app.post_form("/logout", &[]).await;
    app.log_in(ADA, PASSWORD).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("data-status=\"manualReview\""), "{page}");
    assert_eq!(
        calls() - before,
        1,
        "no read within the minute, at login or on the page"
    );
    assert!(page.contains("Last confirmed with LedgerOS just now."), "{page}");

    // A minute later the status page asks again.
    clock.advance(61_000);
    let (_, page) = app.get_page("/status").await;
    assert_eq!(calls() - before, 2, "one more read after a minute");
    assert!(page.contains("Last confirmed with LedgerOS just now."), "{page}");
}

#[tokio::test]
async fn a_date_of_birth_request_is_answered_with_a_form_and_reaches_ledgeros_as_a_patch() {
    let app = crate::helpers::spawn_app().await;
    app.sign_up(ADA).await;
    let ledger_id = app.ledger_id_of(ADA).await;
    let ask = Outcome::NeedsInformation {
        required_fields: vec!["dateOfBirth".into()],
    };
    app.sandbox.decide(&ledger_id, ask).await.unwrap();
    let page = app.wait_for_status("needsInformation").await;
    assert!(page.contains("<label for=\"field-date_of_birth\""), "{page}");
    assert!(page.contains("Date of birth"), "{page}");
    assert!(!page.contains(">dateOfBirth<"), "never a raw field name");

    let response = app
        .post_form("/details", &[("date_of_birth", "27/04/1990")])
        .await;
    assert_eq!(crate::helpers::location(&response), "/status");
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("for example 1990-04-27"), "{page}");
    // The errors are listed at the top of the form, and the list takes the focus.
    assert!(page.contains("class=\"error-summary\""), "{page}");
    assert!(page.contains("autofocus"), "{page}");
    assert!(
        app.sandbox.details_received(&ledger_id).is_empty(),
        "nothing sent"
    );

    let response = app
        .post_form("/details", &[("date_of_birth", "1990-04-27")])
        .await;
    assert_eq!(crate::helpers::location(&response), "/status");
    assert_eq!(app.sandbox.details_received(&ledger_id), ["dateOfBirth"]);
    // LedgerOS has what it asked for: its review starts, and we read that back at once.
    app.wait_for_stored_status(ADA, "manualReview").await;
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("your details are with LedgerOS"), "{page}");
}

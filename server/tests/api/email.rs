//! Email over SMTP (`SMTP_URL`), against a real SMTP listener this test starts, and the dev
//! mailbox page that demo mode uses instead.

use std::time::Duration;

use crate::helpers::{
    browser_like_client, location, spawn_app, spawn_app_with, spawn_app_with_clock, token_in,
};
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

/// Anyone can type someone else's address into the signup form. With a "name" that reads as
/// the bank asking to click or call, our confirmation email to that address would carry it,
/// from the fintech's own domain. The form refuses such names, and the confirmation email of
/// a real signup quotes no field of the form, not even the name.
#[tokio::test]
async fn a_strangers_words_never_reach_an_inbox_through_the_signup_form() {
    let smtp = SmtpListener::start().await;
    let app = spawn_app_with(|config| config.smtp_url = Some(smtp.url().into())).await;
    let probes = [
        "Visit https://evil.example/claim now",
        "Your card is blocked call +1 555 0100 www.evil.example",
        "<a href=\"https://evil.example\">Claim</a>",
    ];
    for (n, probe) in probes.iter().enumerate() {
        for (first, last) in [(*probe, "Lovelace"), ("Ada", *probe)] {
            let victim = format!("victim{n}@example.com");
            let response = app
                .post_form(
                    "/signup",
                    &[
                        ("first_name", first),
                        ("last_name", last),
                        ("email", victim.as_str()),
                        ("password", "correct horse battery"),
                    ],
                )
                .await;
            assert_eq!(
                location(&response),
                "/signup",
                "{probe:?} refused, back to the form"
            );
        }
    }
    let (_, form) = app.get_page("/signup").await;
    assert!(
        form.contains("as it appears on your ID"),
        "the message names the field: {form}"
    );

    // A real signup, then time for the mail worker: only its confirmation goes out, greeting
    // nobody by name.
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
    let confirmation = smtp.wait_for("To: ada@example.com").await;
    assert!(confirmation.contains("Hello,"), "{confirmation}");
    assert!(
        !confirmation.contains("Ada") && !confirmation.contains("Lovelace"),
        "{confirmation}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = smtp.all();
    assert_eq!(sent.len(), 1, "only the real signup's confirmation: {sent:?}");
    for message in sent {
        // "555 0100", not "555": three fives can turn up in a random token.
        for piece in ["evil", "555 0100", "href", "Visit", "blocked"] {
            assert!(!message.contains(piece), "{piece:?} went out: {message}");
        }
    }
}

/// Names in the scripts and forms people have (Arabic, Chinese, apostrophes, hyphens) sign up
/// and are greeted by name once the address is theirs.
#[tokio::test]
async fn names_in_any_script_sign_up_and_greet_their_confirmed_owner() {
    let app = spawn_app().await;
    for (n, (first, last)) in [
        ("محمد", "الفارسي"),
        ("小明", "王"),
        ("Seán", "O'Brien"),
        ("Jean-Luc", "Picard"),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("person{n}@example.com");
        let client = browser_like_client();
        let proof = crate::helpers::solved_proof(&app, &client).await;
        let form = [
            ("first_name", first),
            ("last_name", last),
            ("email", email.as_str()),
            ("password", "correct horse battery"),
            ("altcha", proof.as_str()),
        ];
        let response = client.post(app.url("/signup")).form(&form).send().await.unwrap();
        assert_eq!(location(&response), "/signup/sent", "{first} {last}");
        let confirmation = app.wait_for_email(&email, "Confirm your email").await;
        assert!(
            !confirmation.body.contains(first),
            "no name before the address is confirmed"
        );
        let token = token_in(&confirmation.body, &app.address, "/signup/confirm");
        let confirmed = client
            .post(app.url("/signup/confirm"))
            .form(&[("token", token.as_str()), ("password", "correct horse battery")])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&confirmed), "/status", "{first} {last}");
        // The owner, confirmed, asks for a password reset: that email greets them by name.
        app.ask_for_reset(&browser_like_client(), &email).await;
        let reset = app.wait_for_email(&email, "Reset your password").await;
        assert!(
            reset.body.starts_with(&format!("Hi {first},\n")),
            "{}",
            reset.body
        );
    }
}

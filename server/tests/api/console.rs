//! The operator console: operators sign in apart from customers, answer appeals (emailed to
//! the applicant, shown on their status page), and every action lands in the audit log.

use onboarding::operators::{self, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD, Role};
use reqwest::StatusCode;
use sandbox::Outcome;

use crate::helpers::{TestApp, browser_like_client, location, page_in, spawn_app};

const SUPPORT_EMAIL: &str = "support@fintech.example";
const SUPPORT_PASSWORD: &str = "a long support passphrase";

/// A browser signed in to the console as `email`.
async fn operator_browser(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    crate::helpers::operator_client(app, email, password).await
}

async fn add_support(app: &TestApp) {
    operators::create_operator(
        &app.services.store,
        SUPPORT_EMAIL,
        SUPPORT_PASSWORD.to_owned(),
        Role::Support,
    )
    .await
    .unwrap();
}

/// Ada, denied, with an appeal sent from her status page.
async fn denied_with_appeal(app: &TestApp) -> i64 {
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    let reason = "Identity could not be verified".to_owned();
    app.sandbox
        .decide(&ledger_id, Outcome::Deny { reason })
        .await
        .unwrap();
    app.wait_for_status("denied").await;
    let sent = app
        .post_form("/appeal", &[("message", "My name changed when I married.")])
        .await;
    assert_eq!(location(&sent), "/status");
    app.services
        .store
        .scalar_for_tests("SELECT MAX(id) FROM appeals")
        .await
        .unwrap()
}

#[tokio::test]
async fn support_answers_an_appeal_and_the_applicant_sees_the_answer() {
    let app = spawn_app().await;
    let appeal = denied_with_appeal(&app).await;
    let (_, status) = app.get_page("/status").await;
    assert!(status.contains("We received it on"), "{status}");
    add_support(&app).await;
    let support = operator_browser(&app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await;

    let queue = page_in(&support, &app.url("/admin/appeals")).await;
    assert!(queue.contains("Ada Lovelace"), "{queue}");
    assert!(queue.contains("1 open."), "{queue}");
    assert!(queue.contains("Waiting for a reply"));
    let path = format!("/admin/appeals/{appeal}");
    let page = page_in(&support, &app.url(&path)).await;
    assert!(page.contains("My name changed when I married."), "{page}");
    // Operators see LedgerOS's reason, which the applicant never does.
    assert!(page.contains("Identity could not be verified"));

    // An empty reply is refused on the spot, with the form again.
    let empty = support
        .post(app.url(&path))
        .form(&[("reply", "   "), ("resolve", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await.unwrap().contains("Write a reply"));

    let reply = "We checked again with LedgerOS: please send a copy of your marriage certificate to support.";
    let sent = support
        .post(app.url(&path))
        .form(&[("reply", reply), ("resolve", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&sent), "/admin/appeals");
    let queue = page_in(&support, &app.url("/admin/appeals")).await;
    assert!(queue.contains("Reply sent and the appeal resolved."), "{queue}");
    assert!(queue.contains("0 open."));
    let resolved = page_in(&support, &app.url("/admin/appeals?show=resolved")).await;
    assert!(resolved.contains("Ada Lovelace") && resolved.contains("Resolved"));

    let email = app.wait_for_email("ada@example.com", "About your appeal").await;
    assert!(email.body.contains(reply), "{}", email.body);
    let (_, status) = app.get_page("/status").await;
    assert!(
        status.contains("Our support team has answered your appeal"),
        "{status}"
    );
    let audit = page_in(&support, &app.url("/admin/audit")).await;
    assert!(audit.contains("appeal answered and resolved"), "{audit}");
    assert!(audit.contains(SUPPORT_EMAIL));
}

#[tokio::test]
async fn customers_and_strangers_cannot_reach_the_console() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    // Signed in as a customer: the console still asks for an operator login.
    let response = app.client.get(app.url("/admin/appeals")).send().await.unwrap();
    assert_eq!(location(&response), "/admin/login?next=/admin/appeals");
    let page = page_in(&app.client, &app.url("/admin/login")).await;
    assert!(page.contains("Operator login"));
    // A customer's email and password do not open it.
    let refused = app
        .post_form(
            "/admin/login",
            &[
                ("email", "ada@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text().await.unwrap();
    assert!(text.contains("match an operator account"), "{text}");
    let answer = app
        .post_form("/admin/appeals/1", &[("reply", "hello"), ("resolve", "yes")])
        .await;
    assert_eq!(location(&answer), "/admin/login");
    let operators = app.client.get(app.url("/admin/operators")).send().await.unwrap();
    assert_eq!(location(&operators), "/admin/login?next=/admin/operators");
}

#[tokio::test]
async fn support_cannot_manage_operators_and_admins_can() {
    let app = spawn_app().await;
    add_support(&app).await;
    let support = operator_browser(&app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await;
    let page = support.get(app.url("/admin/operators")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page.text().await.unwrap().contains("Admins only"));
    let form = [
        ("email", "new@fintech.example"),
        ("password", "another long passphrase"),
        ("role", "admin"),
    ];
    let refused = support
        .post(app.url("/admin/operators"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let store = &app.services.store;
    assert!(
        store
            .operator_by_email("new@fintech.example")
            .await
            .unwrap()
            .is_none()
    );

    // The demo's admin (seeded in demo mode) can.
    let admin = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let page = page_in(&admin, &app.url("/admin/operators")).await;
    assert!(page.contains(SUPPORT_EMAIL), "{page}");
    let weak = admin
        .post(app.url("/admin/operators"))
        .form(&[
            ("email", "new@fintech.example"),
            ("password", "short"),
            ("role", "support"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.unwrap().contains("12 characters"));
    let added = admin
        .post(app.url("/admin/operators"))
        .form(&form)
        .send()
        .await
        .unwrap();
    // The admin gets the new operator's one-time setup link for their second factor.
    assert_eq!(added.status(), StatusCode::OK);
    let shown = added.text().await.unwrap();
    assert!(
        shown.contains(&format!("{}/admin/setup/", app.address)),
        "{shown}"
    );
    let created = store
        .operator_by_email("new@fintech.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(created.role, Role::Admin);
    let audit = page_in(&admin, &app.url("/admin/audit")).await;
    assert!(audit.contains("added an operator"), "{audit}");
    assert!(audit.contains(DEMO_OPERATOR_EMAIL));
}

#[tokio::test]
async fn operator_logins_are_rate_limited_and_logout_ends_the_console_session() {
    let app = spawn_app().await;
    add_support(&app).await;
    let client = browser_like_client();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let response = client
            .post(app.url("/admin/login"))
            .form(&[("email", SUPPORT_EMAIL), ("password", "not the password at all")])
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    // For now even the right password waits: guessing stops here.
    let right = client
        .post(app.url("/admin/login"))
        .form(&[("email", SUPPORT_EMAIL), ("password", SUPPORT_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(right.text().await.unwrap().contains("Too many attempts"));

    let support = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let out = support.post(app.url("/admin/logout")).send().await.unwrap();
    assert_eq!(location(&out), "/admin/login");
    let after = support.get(app.url("/admin/appeals")).send().await.unwrap();
    assert_eq!(location(&after), "/admin/login?next=/admin/appeals");
}

#[tokio::test]
async fn the_server_binary_creates_operators_from_the_command_line() {
    use std::io::Write;
    let app = spawn_app().await;
    let create = |email: &'static str, password: &'static str| {
        let database = app.database_url().to_owned();
        tokio::task::spawn_blocking(move || {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
                .args(["admin", "create", "--email", email, "--role", "support"])
                .env("DATABASE_URL", database)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
            child.wait_with_output().unwrap()
        })
    };
    let made = create("Cli@Fintech.example", "a passphrase from stdin")
        .await
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let said = String::from_utf8_lossy(&made.stdout).into_owned();
    assert!(said.contains("cli@fintech.example (support) created"), "{said}");
    // It prints the one-time link with which the new operator sets up their second factor.
    let path = &said[said.find("/admin/setup/").expect("a setup link")..].trim_end();
    let browser = browser_like_client();
    let opened = browser.post(app.url(path)).send().await.unwrap();
    assert_eq!(location(&opened), "/admin/login?next=%2Fadmin%2F2fa%2Fsetup");
    let login = browser
        .post(app.url("/admin/login"))
        .form(&[
            ("email", "cli@fintech.example"),
            ("password", "a passphrase from stdin"),
            ("next", "/admin/2fa/setup"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&login), "/admin/2fa?next=/admin/2fa/setup");
    let setup = browser
        .get(app.url("/admin/2fa?next=/admin/2fa/setup"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&setup), "/admin/2fa/setup");
    let page = page_in(&browser, &app.url("/admin/2fa/setup")).await;
    let from = page.find("data-totp-secret=\"").unwrap() + "data-totp-secret=\"".len();
    let secret = &page[from..from + page[from..].find('"').unwrap()];
    let code = onboarding::second_factor::code_at(secret, app.services.clock.now_ms()).unwrap();
    let done = browser
        .post(app.url("/admin/2fa/setup/totp"))
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert!(done.text().await.unwrap().contains("Save your recovery codes"));
    let open = browser.get(app.url("/admin/appeals")).send().await.unwrap();
    assert_eq!(open.status(), StatusCode::OK);

    let again = create("cli@fintech.example", "a passphrase from stdin")
        .await
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has an operator account"));
    let weak = create("weak@fintech.example", "short").await.unwrap();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("12 characters"));
}

#[tokio::test]
async fn applicants_are_searched_filtered_and_paged_longest_in_status_first() {
    let app = spawn_app().await;
    let store = &app.services.store;
    // 120 applicants: number i entered their status at minute i; every third one is denied.
    for i in 0..120 {
        let status = if i % 3 == 0 { "denied" } else { "pending" };
        store
            .execute_for_tests(&format!(
                "INSERT INTO users (id, email, first_name, last_name, password_hash, created_at, \
                 status_changed_at, reminders_token, application_status, ledger_user_id) VALUES \
                 ('u{i:03}', 'person{i:03}@example.com', 'Person', 'Number{i:03}', 'x', {at}, {at}, \
                 't{i:03}', '{status}', 'lu_{i:03}')",
                at = 1_700_000_000_000_i64 + i * 60_000
            ))
            .await
            .unwrap();
    }
    add_support(&app).await;
    let support = operator_browser(&app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await;

    let first = page_in(&support, &app.url("/admin/applicants")).await;
    assert!(
        first.contains("Number000") && first.contains("Number049"),
        "{first}"
    );
    assert!(!first.contains("Number050"));
    let next = first
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|href| href.contains("after="))
        .expect("a next page link")
        .replace("&amp;", "&");
    let second = page_in(&support, &app.url(&next)).await;
    assert!(
        second.contains("Number050") && second.contains("Number099"),
        "{second}"
    );
    assert!(!second.contains("Number049"));

    let denied = page_in(&support, &app.url("/admin/applicants?status=denied")).await;
    assert!(
        denied.contains("Number003") && !denied.contains("Number001"),
        "{denied}"
    );
    // A part of the name across first and last, in any case; an email's start; a LedgerOS id.
    for search in ["number042", "RSON%20NUMBER042", "person042@", "lu_042"] {
        let found = page_in(&support, &app.url(&format!("/admin/applicants?q={search}"))).await;
        assert!(found.contains("Number042"), "{search}: {found}");
        assert!(!found.contains("Number041"), "{search}");
    }
    // LIKE's wildcards are searched as themselves.
    let none = page_in(&support, &app.url("/admin/applicants?q=%25")).await;
    assert!(none.contains("No applicant matches"), "{none}");
    // A removed applicant leaves the name index with their row.
    store
        .execute_for_tests("DELETE FROM users WHERE id = 'u042'")
        .await
        .unwrap();
    let gone = page_in(&support, &app.url("/admin/applicants?q=number042")).await;
    assert!(gone.contains("No applicant matches"), "{gone}");
    // Customers are sent to the operator login.
    let customer = app.client.get(app.url("/admin/applicants")).send().await.unwrap();
    assert!(location(&customer).starts_with("/admin/login"));
}

#[tokio::test]
async fn an_applicants_timeline_shows_our_side_and_ledgeros_side_and_support_can_act() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    app.sandbox.decide(&ledger_id, Outcome::Approve).await.unwrap();
    // Not through the status page: its own read of LedgerOS could win the race with the
    // webhook, and the timeline below is about the webhook.
    app.wait_for_stored_status("ada@example.com", "approved").await;
    let user = app
        .services
        .store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    add_support(&app).await;
    let support = operator_browser(&app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await;

    let list = page_in(&support, &app.url("/admin/applicants?q=ada@")).await;
    let path = format!("/admin/applicants/{}", user.id.0);
    assert!(list.contains(&format!("href=\"{path}\"")), "{list}");
    let page = page_in(&support, &app.url(&path)).await;
    for expected in [
        "Signed up and confirmed their email",
        "Status: Approved",
        "From a webhook",
        "Webhook received: user.application.approved",
        "Signature verified; applied",
        "Raw body",
        "Email: You're verified",
        &ledger_id,
    ] {
        assert!(page.contains(expected), "{expected} missing in:\n{page}");
    }

    let refreshed = support
        .post(app.url(&format!("{path}/refresh")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&refreshed), path);
    let page = page_in(&support, &app.url(&path)).await;
    assert!(page.contains("LedgerOS says: Approved."), "{page}");
    assert!(page.contains("Operator: read the status from LedgerOS"));

    let resent = support
        .post(app.url(&format!("{path}/resend-link")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&resent), path);
    let email = app
        .wait_for_email("ada@example.com", "Your identity verification link")
        .await;
    assert!(email.body.contains("/verification/continue"));

    let off = support
        .post(app.url(&format!("{path}/reminders-off")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&off), path);
    let user = app.services.store.user(&user.id).await.unwrap().unwrap();
    assert!(user.reminders_off);
    let page = page_in(&support, &app.url(&path)).await;
    assert!(page.contains("Operator: turned reminders off"), "{page}");
    assert!(page.contains("Operator: emailed the verification link"));
    // A customer's session is sent to the operator login, and an unknown id is a plain 404.
    let customer = app
        .client
        .post(app.url(&format!("{path}/refresh")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&customer), "/admin/login");
    let unknown = support
        .get(app.url("/admin/applicants/nobody"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn refused_webhook_deliveries_are_tallied_for_operators() {
    let app = spawn_app().await;
    let body = r#"{"id":"evt_x","type":"user.application.approved","createdAt":"2026-01-01T00:00:00Z","data":{"userId":"u"}}"#;
    for _ in 0..3 {
        let refused = app.post_webhook(body, Some("t=1,v1=00".to_owned())).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    }
    let malformed = app.post_webhook("{not json", None).await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let store = &app.services.store;
    for _ in 0..50 {
        let tally = store.webhook_refusals(0).await.unwrap();
        if tally == [("malformed".to_owned(), 1), ("signature".to_owned(), 3)] {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "refusals not tallied: {:?}",
        store.webhook_refusals(0).await.unwrap()
    );
}

#[tokio::test]
async fn the_webhook_log_filters_deliveries_and_admins_can_apply_one_again() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    app.sandbox.decide(&ledger_id, Outcome::Approve).await.unwrap();
    app.wait_for_stored_status("ada@example.com", "approved").await;
    let store = &app.services.store;
    let user = store.user_by_email("ada@example.com").await.unwrap().unwrap();
    let approved = store
        .applicant_timeline(&user)
        .await
        .unwrap()
        .into_iter()
        .find_map(|entry| entry.raw)
        .expect("the approval webhook, stored");
    let approved_id = serde_json::from_str::<serde_json::Value>(&approved).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // LedgerOS delivers it again, and an older denial arrives late.
    assert!(app.post_webhook(&approved, None).await.status().is_success());
    let stale = format!(
        r#"{{"createdAt":1000,"data":{{"applicationStatus":"denied","userId":"{ledger_id}","reason":"late"}},"id":"evt_late_denial","type":"user.application.denied"}}"#
    );
    assert!(app.post_webhook(&stale, None).await.status().is_success());
    let forged = app.post_webhook(&stale, Some("t=1,v1=00".to_owned())).await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

    add_support(&app).await;
    let support = operator_browser(&app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await;
    let all = page_in(&support, &app.url("/admin/webhooks")).await;
    assert!(
        all.contains("evt_late_denial") && all.contains(&approved_id),
        "{all}"
    );
    assert!(all.contains("delivered 1 more time(s)"), "{all}");
    assert!(!all.contains("Apply again"), "support cannot replay");
    let duplicates = page_in(&support, &app.url("/admin/webhooks?outcome=duplicate")).await;
    assert!(duplicates.contains(&approved_id) && !duplicates.contains("evt_late_denial"));
    let stale_only = page_in(&support, &app.url("/admin/webhooks?outcome=stale&since=24h")).await;
    assert!(stale_only.contains("evt_late_denial") && !stale_only.contains(&approved_id));
    let denials = page_in(&support, &app.url("/admin/webhooks?type=user.application.denied")).await;
    assert!(denials.contains("evt_late_denial") && !denials.contains(&approved_id));
    for _ in 0..50 {
        let page = page_in(&support, &app.url("/admin/webhooks")).await;
        if page.contains("1 for a bad signature") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = page_in(&support, &app.url("/admin/webhooks")).await;
    assert!(page.contains("1 for a bad signature"), "{page}");
    let refused = support
        .post(app.url("/admin/webhooks/evt_late_denial/replay"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let admin = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let replayed = admin
        .post(app.url("/admin/webhooks/evt_late_denial/replay"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&replayed), "/admin/webhooks");
    let page = page_in(&admin, &app.url("/admin/webhooks")).await;
    assert!(
        page.contains("Not applied: the update is older than the status we hold."),
        "{page}"
    );
    assert!(page.contains("Apply again"));
    let user = store.user(&user.id).await.unwrap().unwrap();
    assert_eq!(
        user.kyc.status.as_str(),
        "approved",
        "a replay never moves a status back"
    );
    let again = admin
        .post(app.url(&format!("/admin/webhooks/{approved_id}/replay")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&again), "/admin/webhooks");
    let page = page_in(&admin, &app.url("/admin/webhooks")).await;
    assert!(page.contains("Applied again: the status is Approved."), "{page}");
    let audit = page_in(&admin, &app.url("/admin/audit")).await;
    assert!(audit.contains("applied a webhook again"), "{audit}");
}

#[tokio::test]
async fn the_funnel_counts_each_stage_for_the_period() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    crate::helpers::complete_hosted_steps(&app).await;
    let ledger_id = app.ledger_id_of("ada@example.com").await;
    app.sandbox.decide(&ledger_id, Outcome::Approve).await.unwrap();
    app.wait_for_stored_status("ada@example.com", "approved").await;
    // Bob confirms his email and stops there.
    let bob = browser_like_client();
    crate::helpers::sign_up_in(&app, &bob, "Bob", "bob@example.com", "correct horse battery").await;
    add_support(&app).await;
    let support = operator_browser(&app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await;

    // Without the renderer's hydration markers (`<!>`), which some builds write after text.
    let page = page_in(&support, &app.url("/admin/funnel?days=7"))
        .await
        .replace("<!>", "");
    for (stage, count) in [
        ("Signed up", 2),
        ("Email confirmed", 2),
        ("Verification started", 1),
        ("Submitted", 1),
        ("Approved", 1),
        ("Denied", 0),
    ] {
        let row = format!("<th scope=\"row\">{stage}</th><td>{count}</td>");
        assert!(page.contains(&row), "{row} missing in:\n{page}");
    }
    assert!(page.contains("<svg"), "a chart");
    assert!(
        page.contains("1 stopped between “Email confirmed” and “Verification started”"),
        "{page}"
    );
}

#[tokio::test]
async fn admins_fill_the_demo_with_applicants_in_every_status_and_reset_it() {
    let app = spawn_app().await;
    let admin = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let page = page_in(&admin, &app.url("/admin/demo")).await;
    assert!(page.contains("Add demo applicants"), "{page}");
    let added = admin
        .post(app.url("/admin/demo/applicants"))
        .form(&[("count", "16")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&added), "/admin/demo");
    let store = &app.services.store;
    let count = |sql: &'static str| async move { store.scalar_for_tests(sql).await.unwrap() };
    for _ in 0..200 {
        let approved = count("SELECT COUNT(*) FROM users WHERE application_status = 'approved'").await;
        let denied = count("SELECT COUNT(*) FROM users WHERE application_status = 'denied'").await;
        let asked = count("SELECT COUNT(*) FROM users WHERE application_status = 'needsInformation'").await;
        let pending = count("SELECT COUNT(*) FROM users WHERE application_status = 'pending'").await;
        let appeals = count("SELECT COUNT(*) FROM appeals").await;
        let users = count("SELECT COUNT(*) FROM users").await;
        if approved >= 4 && denied >= 2 && asked >= 1 && pending >= 2 && appeals >= 1 && users == 16 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(count("SELECT COUNT(*) FROM users").await, 16);
    assert!(count("SELECT COUNT(*) FROM users WHERE application_status = 'approved'").await >= 4);
    assert!(count("SELECT COUNT(*) FROM users WHERE application_status = 'denied'").await >= 2);
    assert!(count("SELECT COUNT(*) FROM users WHERE application_status = 'pending'").await >= 2);
    assert!(count("SELECT COUNT(*) FROM appeals").await >= 1);
    let list = page_in(&admin, &app.url("/admin/applicants")).await;
    assert!(list.contains("@demo.example"), "{list}");
    let audit = page_in(&admin, &app.url("/admin/audit")).await;
    assert!(audit.contains("added demo applicants"));
    // One in ten deleted their account: waiting out the grace period on "Data requests".
    let data = page_in(&admin, &app.url("/admin/data")).await;
    assert!(
        data.contains("asked for") && data.contains("@demo.example"),
        "{data}"
    );

    // Support cannot.
    add_support(&app).await;
    let support = operator_browser(&app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await;
    let refused = support.post(app.url("/admin/demo/reset")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let reset = admin.post(app.url("/admin/demo/reset")).send().await.unwrap();
    assert_eq!(location(&reset), "/admin/demo");
    assert_eq!(count("SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM webhook_events").await, 0);
    assert_eq!(app.sandbox.user_count(), 0);
    let list = page_in(&admin, &app.url("/admin/applicants")).await;
    assert!(list.contains("No applicant matches"), "{list}");
    // Operators stay, and the reset itself is on the record.
    let audit = page_in(&admin, &app.url("/admin/audit")).await;
    assert!(audit.contains("reset the demo"), "{audit}");
}

/// The demo's applicants have a past: spread over 30 days, with the gaps real people leave, so
/// the funnel has median times and reminders that brought people back (issue 29).
#[tokio::test]
async fn the_demo_history_spreads_over_30_days_with_median_times_and_reminders() {
    use onboarding::funnel::Funnel;
    let app = spawn_app().await;
    let made = server::demo::seed(app.services.clone(), app.sandbox.clone(), 24).await;
    assert_eq!(made, 24);
    let now = app.services.clock.now_ms();
    let input = app
        .services
        .store
        .funnel(now - 31 * 86_400_000, now)
        .await
        .unwrap();
    assert_eq!(input.people.len(), 24);
    assert!(
        input.signup_forms > 24,
        "some never confirmed: {}",
        input.signup_forms
    );
    let days_back: Vec<i64> = input
        .people
        .iter()
        .map(|p| (now - p.confirmed_at) / 86_400_000)
        .collect();
    assert!(
        days_back.iter().any(|d| *d >= 25) && days_back.iter().any(|d| *d <= 2),
        "{days_back:?}"
    );
    let funnel = Funnel::of(&input);
    for stage in &funnel.stages[2..] {
        assert!(stage.median_ms.is_some_and(|m| m > 60_000), "{stage:?}");
    }
    let approved = &funnel.outcomes[0];
    assert!(
        approved.count >= 6 && approved.median_ms.is_some(),
        "{approved:?}"
    );
    let review = &funnel.outcomes[2];
    assert!(review.count >= 2, "{review:?}");
    assert!(funnel.reminded >= 4, "{funnel:?}");
    assert!(
        funnel.back_after_reminder >= 2 && funnel.back_after_reminder < funnel.reminded,
        "{funnel:?}"
    );
    // Statuses held for days, not "under a minute"; webhooks twice and late; an appeal.
    let store = &app.services.store;
    let old = store
        .scalar_for_tests(&format!(
            "SELECT COUNT(*) FROM users WHERE status_changed_at < {}",
            now - 7 * 86_400_000
        ))
        .await
        .unwrap();
    assert!(old >= 10, "{old}");
    let duplicates = store
        .scalar_for_tests("SELECT COUNT(*) FROM webhook_events WHERE duplicates > 0")
        .await
        .unwrap();
    assert!(duplicates >= 1, "{duplicates}");
    assert!(
        store
            .scalar_for_tests("SELECT COUNT(*) FROM appeals")
            .await
            .unwrap()
            >= 1
    );

    let admin = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let page = page_in(&admin, &app.url("/admin/funnel?days=30")).await;
    let sentence = format!(
        "{} of the {} people reminded came back",
        funnel.back_after_reminder, funnel.reminded
    );
    assert!(page.contains(&sentence), "{sentence} missing in:\n{page}");
}

/// The console stays in English for staff, and names each applicant's language (issue 25).
#[tokio::test]
async fn staff_see_each_applicants_language_in_english() {
    let app = spawn_app().await;
    app.sign_up("lengua@example.com").await;
    let user = app
        .services
        .store
        .user_by_email("lengua@example.com")
        .await
        .unwrap()
        .unwrap();
    let admin = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let list = page_in(&admin, &app.url("/admin/applicants")).await;
    // An account starts with the language its signup page was in (English here).
    assert!(list.contains("English (English)"), "{list}");
    app.services
        .store
        .set_language(&user.id, onboarding::i18n::Lang::Es)
        .await
        .unwrap();
    let list = page_in(&admin, &app.url("/admin/applicants")).await;
    assert!(
        list.contains("Spanish (Español)") && list.contains(r#"<html lang="en""#),
        "{list}"
    );
    let page = page_in(&admin, &app.url(&format!("/admin/applicants/{}", user.id.0))).await;
    assert!(
        page.contains("<th scope=\"row\">Language</th><td>Spanish (Español)"),
        "{page}"
    );
}

/// Every look at a person's data is in the audit log, with who, when and from where; admins
/// see how often staff looked; the log filters by operator and by applicant, and names the
/// applicant of each line (issue 27, item 2).
#[tokio::test]
async fn every_look_at_an_applicant_is_in_the_audit_log_and_named() {
    let app = spawn_app().await;
    let appeal = denied_with_appeal(&app).await;
    let ada = app
        .services
        .store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap()
        .id
        .0;
    crate::helpers::spawn_second_user(&app, "bob@example.com").await;
    let bob = app
        .services
        .store
        .user_by_email("bob@example.com")
        .await
        .unwrap()
        .unwrap()
        .id
        .0;
    add_support(&app).await;
    let support = operator_browser(&app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await;
    page_in(&support, &app.url(&format!("/admin/applicants/{ada}"))).await;
    page_in(&support, &app.url(&format!("/admin/appeals/{appeal}"))).await;
    page_in(&support, &app.url(&format!("/admin/applicants/{bob}"))).await;
    let own = page_in(&support, &app.url(&format!("/admin/applicants/{ada}"))).await;
    assert!(!own.contains("Viewed by staff"), "support does not see the count");

    let admin = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let page = page_in(&admin, &app.url(&format!("/admin/applicants/{ada}"))).await;
    // Support twice, the appeal once, and this look.
    assert!(page.contains("4 times in 30 days"), "{page}");

    // (Without Leptos's `<!>` markers between text and tags.)
    let log = page_in(&admin, &app.url(&format!("/admin/audit?applicant={ada}")))
        .await
        .replace("<!>", "");
    assert!(
        log.contains("viewed the applicant") && log.contains("viewed an appeal"),
        "{log}"
    );
    assert!(
        log.contains(&format!("<a href=\"/admin/applicants/{ada}\">Ada Lovelace</a>")),
        "{log}"
    );
    assert!(
        log.contains("ada@example.com") && log.contains("<td>127.0.0.1</td>"),
        "{log}"
    );
    assert!(!log.contains("bob@example.com"), "only Ada's lines: {log}");

    let by_support = page_in(
        &admin,
        &app.url("/admin/audit?operator=support%40fintech.example"),
    )
    .await;
    assert!(by_support.contains("bob@example.com"), "{by_support}");
    assert!(
        !by_support.contains(&format!("<td>{DEMO_OPERATOR_EMAIL}</td>")),
        "only support's lines"
    );
}

/// A console session ends after 15 minutes without a request (8 hours at most however
/// active), and when its cookie comes from another browser family (issue 27, item 3).
#[tokio::test]
async fn console_sessions_end_when_idle_or_in_another_browser() {
    use onboarding::clock::Clock;
    let clock = Clock::manual(Clock::system().now_ms());
    let app = crate::helpers::spawn_app_with_clock(clock.clone(), |_| {}).await;
    let minute = 60_000;
    let admin = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let get = |headers: &[(&'static str, &'static str)]| {
        let mut request = admin.get(app.url("/admin/applicants"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        async move { request.send().await.unwrap() }
    };
    // Active: a page every ten minutes keeps it open past fifteen.
    for _ in 0..3 {
        clock.advance(10 * minute);
        assert_eq!(get(&[]).await.status(), StatusCode::OK);
    }
    clock.advance(16 * minute);
    let idle = get(&[]).await;
    assert!(
        location(&idle).starts_with("/admin/login"),
        "ended after 16 idle minutes"
    );

    let admin = operator_browser(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    let stolen = admin
        .get(app.url("/admin/applicants"))
        .header("user-agent", firefox)
        .send()
        .await
        .unwrap();
    assert!(
        location(&stolen).starts_with("/admin/login"),
        "another browser family"
    );
    let after = admin.get(app.url("/admin/applicants")).send().await.unwrap();
    assert!(
        location(&after).starts_with("/admin/login"),
        "and the session is over"
    );
}

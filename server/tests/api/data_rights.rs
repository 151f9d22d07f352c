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
        .decide(
            &ledger_id,
            Outcome::Deny {
                reason: reason.into(),
            },
        )
        .await
        .unwrap();
    app.wait_for_stored_status(email, "denied").await;
    let (code, page) = app.get_page("/account").await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        page.contains("Download my data") && page.contains(email),
        "{page}"
    );

    // A wrong password: back to the page, with the error on the field.
    let wrong = app
        .post_form("/account/data", &[("password", "not my password")])
        .await;
    assert_eq!(location(&wrong), "/account");
    let (_, page) = app.get_page("/account").await;
    assert!(
        page.contains("That&#x27;s not your password") || page.contains("That's not your password"),
        "{page}"
    );

    let file = app.post_form("/account/data", &[("password", PASSWORD)]).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()[CONTENT_TYPE], "application/json; charset=utf-8");
    let disposition = file.headers()[CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"my-data-"),
        "{disposition}"
    );
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
    assert!(
        statuses.contains(&"pending") && statuses.contains(&"denied"),
        "{statuses:?}"
    );
    let subjects: Vec<&str> = data["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|email| email["subject"].as_str().unwrap())
        .collect();
    assert!(
        subjects.iter().any(|s| s.contains("Confirm your email")),
        "{subjects:?}"
    );
    let audit = data["audit"].as_array().unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e["action"] == "exported personal data" && e["by"] == "you"),
        "{audit:?}"
    );
    assert_eq!(data["exports"].as_array().unwrap().len(), 1);
    let user = app.services.store.user_by_email(email).await.unwrap().unwrap();
    for secret in [reason, user.password_hash.as_str(), "$argon2"] {
        assert!(!text.contains(secret), "{secret} is not in the file");
    }
    assert!(
        text.contains("compliance records"),
        "the file says some records are held"
    );

    // Once a day.
    let again = app.post_form("/account/data", &[("password", PASSWORD)]).await;
    assert_eq!(location(&again), "/account");
    let (_, page) = app.get_page("/account").await;
    assert!(
        page.contains("less than a day ago") && page.contains("24 hours"),
        "{page}"
    );
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
    assert!(
        location(&download).starts_with("/login"),
        "{}",
        location(&download)
    );
}

/// Every `table.column` of the app's database (both backends) with a value that contains
/// `needle`: the scan that proves an erasure.
async fn columns_holding(database_url: &str, needle: &str) -> Vec<String> {
    use sqlx::{Connection, Row};
    let pattern = format!("%{needle}%");
    let mut found = Vec::new();
    if database_url.starts_with("postgres") {
        let mut db = sqlx::PgConnection::connect(database_url).await.unwrap();
        let columns = sqlx::query(
            "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns \
             WHERE table_schema IN ('public', 'tower_sessions') AND table_name NOT LIKE '\\_sqlx%'",
        )
        .fetch_all(&mut db)
        .await
        .unwrap();
        for column in columns {
            let (schema, table, name, kind): (String, String, String, String) =
                (column.get(0), column.get(1), column.get(2), column.get(3));
            // Bytes (the sessions' MessagePack records) are read as text too.
            let value = if kind == "bytea" {
                format!("encode(\"{name}\", 'escape')")
            } else {
                format!("CAST(\"{name}\" AS TEXT)")
            };
            let sql = format!("SELECT COUNT(*) FROM \"{schema}\".\"{table}\" WHERE {value} LIKE $1");
            let n: i64 = sqlx::query_scalar(&sql)
                .bind(&pattern)
                .fetch_one(&mut db)
                .await
                .unwrap();
            if n > 0 {
                found.push(format!("{table}.{name}"));
            }
        }
    } else {
        let mut db = sqlx::SqliteConnection::connect(database_url).await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
        )
        .fetch_all(&mut db)
        .await
        .unwrap();
        for table in tables {
            let columns: Vec<String> =
                sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .fetch_all(&mut db)
                    .await
                    .unwrap();
            for name in columns {
                // Text, or bytes (the sessions' MessagePack records) read as text.
                let sql = format!("SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{name}\" AS TEXT) LIKE ?");
                let n: i64 = sqlx::query_scalar(&sql)
                    .bind(&pattern)
                    .fetch_one(&mut db)
                    .await
                    .unwrap();
                if n > 0 {
                    found.push(format!("{table}.{name}"));
                }
            }
        }
    }
    found
}

/// How many deletion links were sent to `email`.
async fn deletion_links_sent(app: &crate::helpers::TestApp, email: &str) -> usize {
    app.emails_to(email)
        .await
        .iter()
        .filter(|mail| {
            mail.subject
                .contains("Confirm that you want your account deleted")
        })
        .count()
}

/// The link in the newest deletion email to `email`, once there are `count` of them.
async fn deletion_token(app: &crate::helpers::TestApp, email: &str, count: usize) -> String {
    for _ in 0..100 {
        let sent = app.emails_to(email).await;
        let links: Vec<_> = sent
            .iter()
            .filter(|mail| {
                mail.subject
                    .contains("Confirm that you want your account deleted")
            })
            .collect();
        if links.len() >= count {
            let newest = links.iter().max_by_key(|mail| mail.sent_at).unwrap();
            return crate::helpers::token_in(&newest.body, &app.address, "/account/delete");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no deletion link number {count} to {email}");
}

/// Asks for the deletion on the account page and confirms it with the emailed link.
async fn delete_account(app: &crate::helpers::TestApp, email: &str) -> String {
    let before = deletion_links_sent(app, email).await;
    let asked = app
        .post_form("/account/delete", &[("delete_password", PASSWORD)])
        .await;
    assert_eq!(location(&asked), "/account");
    let token = deletion_token(app, email, before + 1).await;
    let (code, page) = app.get_page(&format!("/account/delete?token={token}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Yes, delete my account"), "{page}");
    let confirmed = app
        .post_form("/account/delete/confirm", &[("token", token.as_str())])
        .await;
    let to = location(&confirmed);
    assert!(to.starts_with("/account/deleted?on="), "{to}");
    to
}

/// Someone who never reached a decision: the link by email, a grace period that a login
/// cancels, then nothing of them left in any table.
#[tokio::test]
async fn a_deleted_account_waits_out_its_grace_then_nothing_of_it_is_left() {
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    let email = "erase.me@example.com";
    app.sign_up(email).await;
    let ledger_id = app.ledger_id_of(email).await;

    // The password again first.
    let wrong = app
        .post_form("/account/delete", &[("delete_password", "nope")])
        .await;
    assert_eq!(location(&wrong), "/account");
    let (_, page) = app.get_page("/account").await;
    assert!(page.contains("not your password"), "{page}");

    let deleted_page = delete_account(&app, email).await;
    let (_, page) = app.get_page(&deleted_page).await;
    assert!(page.contains("Your account will be deleted"), "{page}");
    // Logged out everywhere, reminders off, and told when.
    let status = app.client.get(app.url("/status")).send().await.unwrap();
    assert!(location(&status).starts_with("/login"), "signed out");
    let notice = app.wait_for_email(email, "Your account will be deleted on").await;
    assert!(notice.body.contains("/login"), "{}", notice.body);

    // A login within the grace period cancels it.
    clock.advance(10 * DAY_MS);
    let login = app.log_in(email, PASSWORD).await;
    assert_eq!(location(&login), "/status");
    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("your account will not be deleted"), "{page}");
    clock.advance(30 * DAY_MS);
    let nothing = onboarding::data_rights::erase_once(&app.services).await.unwrap();
    assert_eq!(nothing, Default::default(), "a cancelled deletion erases nothing");

    // Asked and confirmed again (after a fresh login: a month has passed), and left alone:
    // erased when the grace period ends.
    app.log_in(email, PASSWORD).await;
    delete_account(&app, email).await;
    clock.advance(30 * DAY_MS - 1000);
    assert_eq!(
        onboarding::data_rights::erase_once(&app.services)
            .await
            .unwrap()
            .erased,
        0
    );
    clock.advance(2000);
    assert_eq!(
        onboarding::data_rights::erase_once(&app.services)
            .await
            .unwrap()
            .erased,
        1
    );
    for needle in [email, "Lovelace"] {
        assert_eq!(
            columns_holding(app.database_url(), needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    // The LedgerOS id stays only in the list of erasures to send to LedgerOS.
    assert_eq!(
        columns_holding(app.database_url(), &ledger_id).await,
        vec!["ledger_erasures.ledger_user_id".to_owned()]
    );
    let login = app.log_in(email, PASSWORD).await;
    assert!(location(&login).starts_with("/login"), "no account any more");
}

/// Someone LedgerOS decided on keeps the due-diligence record under the hold, cannot log in,
/// and is erased when the hold ends.
#[tokio::test]
async fn a_decided_account_keeps_only_the_due_diligence_record_until_the_hold_ends() {
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    let email = "held@example.com";
    app.sign_up(email).await;
    complete_hosted_steps(&app).await;
    let ledger_id = app.ledger_id_of(email).await;
    app.sandbox
        .decide(
            &ledger_id,
            Outcome::Deny {
                reason: "Identity could not be verified".into(),
            },
        )
        .await
        .unwrap();
    app.wait_for_stored_status(email, "denied").await;
    app.post_form("/appeal", &[("message", "My name changed last year.")])
        .await;
    delete_account(&app, email).await;
    clock.advance(30 * DAY_MS + 1000);
    let done = onboarding::data_rights::erase_once(&app.services).await.unwrap();
    assert_eq!((done.erased, done.held), (0, 1));

    let count = |sql: String| {
        let store = app.services.store.clone();
        async move { store.scalar_for_tests(&sql).await.unwrap() }
    };
    let id = app
        .services
        .store
        .user_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .id
        .0;
    // Kept: the account's names, email and LedgerOS id, its status history and its appeal.
    let history = count(format!(
        "SELECT COUNT(*) FROM status_changes WHERE user_id = '{id}'"
    ))
    .await;
    assert!(history > 0, "the status history is kept");
    assert_eq!(
        count(format!("SELECT COUNT(*) FROM appeals WHERE user_id = '{id}'")).await,
        1
    );
    // Gone: emails, links, devices, sessions; and the password, so no login.
    assert_eq!(
        count(format!(
            "SELECT COUNT(*) FROM emails WHERE to_address = '{email}'"
        ))
        .await,
        0
    );
    assert_eq!(
        count(format!("SELECT COUNT(*) FROM tokens WHERE user_id = '{id}'")).await,
        0
    );
    assert_eq!(
        count(format!(
            "SELECT COUNT(*) FROM known_devices WHERE user_id = '{id}'"
        ))
        .await,
        0
    );
    let held = app.services.store.user_by_email(email).await.unwrap().unwrap();
    assert!(held.password_hash.is_empty(), "no password: no login");
    let reset = app
        .services
        .store
        .request_password_reset(email, &"0".repeat(64), i64::MAX, &|first_name, _| {
            onboarding::email::templates::password_reset(
                Default::default(),
                email,
                first_name,
                "http://x",
                "t",
            )
        })
        .await
        .unwrap();
    assert!(!reset, "nor a new one by a reset link");

    // Five years (and a day) on: erased like anyone else.
    clock.advance(5 * 366 * DAY_MS);
    let done = onboarding::data_rights::erase_once(&app.services).await.unwrap();
    assert_eq!((done.erased, done.held), (1, 0));
    assert_eq!(
        columns_holding(app.database_url(), email).await,
        Vec::<String>::new()
    );
    assert_eq!(
        columns_holding(app.database_url(), &ledger_id).await,
        vec!["ledger_erasures.ledger_user_id".to_owned()]
    );
    let login = app.log_in(email, PASSWORD).await;
    assert!(location(&login).starts_with("/login"), "no account any more");
}

/// Retention runs by itself: unconfirmed signups after 7 days, raw webhook bodies and email
/// bodies after 30, emails after 90; accounts idle for 180 days that never started
/// verification are warned, and erased 30 days later unless someone logs in. Each rule's
/// tally reaches `/metrics`.
#[tokio::test]
async fn retention_removes_each_kind_of_row_on_time() {
    let clock = Clock::manual(Clock::system().now_ms());
    // The worker's own rounds wait an hour: the rounds below are the test's.
    let app = spawn_app_with_clock(clock.clone(), |config| {
        config.erasure_poll = std::time::Duration::from_secs(3600);
    })
    .await;
    let count = |sql: &str| {
        let (store, sql) = (app.services.store.clone(), sql.to_owned());
        async move { store.scalar_for_tests(&sql).await.unwrap() }
    };
    let stays = "stays@example.com";
    app.sign_up(stays).await;
    crate::helpers::spawn_second_user(&app, "idle@example.com").await;
    let stranger = crate::helpers::browser_like_client();
    let form = [
        ("first_name", "Una"),
        ("last_name", "Confirmed"),
        ("email", "never.confirmed@example.com"),
        ("password", PASSWORD),
    ];
    let sent = stranger
        .post(app.url("/signup"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&sent), "/signup/sent");
    app.wait_for_email("never.confirmed@example.com", "Confirm your email")
        .await;
    let event = serde_json::json!({
        "id": "evt_retention",
        "type": "user.application.approved",
        "createdAt": app.services.clock.now_ms(),
        "data": { "userId": "user_not_ours_yet" },
    });
    assert!(
        app.post_webhook(&event.to_string(), None)
            .await
            .status()
            .is_success()
    );
    // Each round runs with the other workers held: a reminder or reconciler round that the
    // clock's jump wakes may lock a user row, and the warning query skips locked rows (another
    // round takes them later), which would make the counts below depend on timing.
    let retain = || async {
        let _quiet = app.services.workers.hold().await;
        onboarding::data_rights::retain_once(&app.services).await
    };
    // The mail worker marks an email sent a moment after the mailbox has it: the dates below
    // are only right once every email of this first day is marked.
    let unmarked = "SELECT COUNT(*) FROM emails WHERE sent_at IS NULL";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while count(unmarked).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the first day's emails are marked sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    clock.advance(8 * DAY_MS);
    retain().await.unwrap();
    let signups = "SELECT COUNT(*) FROM signups WHERE email = 'never.confirmed@example.com'";
    assert_eq!(count(signups).await, 0, "an unused signup is gone after 7 days");
    let bodies = "SELECT COUNT(*) FROM webhook_events WHERE id = 'evt_retention' AND payload <> ''";
    assert_eq!(count(bodies).await, 1, "webhook bodies stay 30 days");

    clock.advance(23 * DAY_MS);
    retain().await.unwrap();
    assert_eq!(count(bodies).await, 0, "the raw body is gone after 30 days");
    let parsed = "SELECT COUNT(*) FROM webhook_events WHERE id = 'evt_retention' AND status = 'approved'";
    assert_eq!(count(parsed).await, 1, "its parsed fields stay");
    // (Reminders the worker sent since are younger: only bodies sent over 30 days ago go.)
    let month_ago = app.services.clock.now_ms() - 30 * DAY_MS;
    let kept_bodies = format!(
        "SELECT COUNT(*) FROM emails WHERE to_address = '{stays}' AND body IS NOT NULL AND sent_at < {month_ago}"
    );
    let sent_then =
        format!("SELECT COUNT(*) FROM emails WHERE to_address = '{stays}' AND sent_at < {month_ago}");
    assert!(
        count(&sent_then).await > 0,
        "the signup's emails were sent a month ago"
    );
    assert_eq!(
        count(&kept_bodies).await,
        0,
        "email bodies are gone after 30 days"
    );
    let emails = format!("SELECT COUNT(*) FROM emails WHERE to_address = '{stays}'");
    assert!(count(&emails).await > 0, "their records stay 90 days");

    clock.advance(60 * DAY_MS);
    retain().await.unwrap();
    let quarter_ago = app.services.clock.now_ms() - 90 * DAY_MS;
    let old = format!(
        "SELECT COUNT(*) FROM emails WHERE to_address = '{stays}' AND COALESCE(sent_at, created_at) < {quarter_ago}"
    );
    assert_eq!(count(&old).await, 0, "emails are gone after 90 days");

    // 181 days without a login, verification never started: both accounts are warned.
    clock.advance(90 * DAY_MS);
    let (_, warned) = retain().await.unwrap();
    assert_eq!(warned, 2);
    for to in [stays, "idle@example.com"] {
        let warning = app.wait_for_email(to, "will be deleted on").await;
        assert!(warning.body.contains("/login"), "{}", warning.body);
    }
    // One of them logs in: kept. The other is erased when the grace period ends.
    let login = app.log_in(stays, PASSWORD).await;
    assert_eq!(location(&login), "/status");
    clock.advance(31 * DAY_MS);
    let done = {
        let _quiet = app.services.workers.hold().await;
        onboarding::data_rights::erase_once(&app.services).await.unwrap()
    };
    assert_eq!((done.erased, done.held), (1, 0));
    assert!(app.services.store.user_by_email(stays).await.unwrap().is_some());
    assert!(
        app.services
            .store
            .user_by_email("idle@example.com")
            .await
            .unwrap()
            .is_none()
    );

    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for rule in [
        "unconfirmed_signups",
        "webhook_bodies",
        "email_bodies",
        "email_records",
        "accounts_erased",
    ] {
        let line = format!("onboarding_retention_rows_removed{{rule=\"{rule}\"}}");
        assert!(metrics.contains(&line), "{line} in\n{metrics}");
    }
}

/// The first number after `prefix` in `page`.
fn id_after(page: &str, prefix: &str) -> String {
    let start = page
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {page}"))
        + prefix.len();
    page[start..].chars().take_while(char::is_ascii_digit).collect()
}

/// A person writes in: support opens an export and a deletion on their page, an admin
/// confirms each on "Data requests" (support cannot); after the grace period the erasure is
/// listed for LedgerOS until an operator marks it sent, and its id is then forgotten.
#[tokio::test]
async fn staff_handle_requests_from_people_who_write_in() {
    use onboarding::operators::{self, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD, Role};
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |config| {
        config.erasure_poll = std::time::Duration::from_secs(3600);
    })
    .await;
    let email = "writes.in@example.com";
    app.sign_up(email).await;
    let user = app.services.store.user_by_email(email).await.unwrap().unwrap();
    let ledger_id = app.ledger_id_of(email).await;
    operators::create_operator(
        &app.services.store,
        "support@fintech.example",
        "a long support passphrase".into(),
        Role::Support,
    )
    .await
    .unwrap();
    let sign_in = |who: &'static str, password: &'static str| {
        let app = &app;
        async move { crate::helpers::operator_client(app, who, password).await }
    };
    let support = sign_in("support@fintech.example", "a long support passphrase").await;
    let admin = sign_in(DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let open = |kind: &'static str| {
        let (support, url) = (
            support.clone(),
            app.url(&format!("/admin/applicants/{}/data-request", user.id.0)),
        );
        async move { support.post(url).form(&[("kind", kind)]).send().await.unwrap() }
    };

    let opened = open("export").await;
    assert_eq!(location(&opened), format!("/admin/applicants/{}", user.id.0));
    let page = crate::helpers::page_in(&support, &app.url("/admin/data")).await;
    assert!(
        page.contains("export, opened by support@fintech.example"),
        "{page}"
    );
    assert!(
        page.contains("due in 30 days") && page.contains("An admin confirms"),
        "{page}"
    );
    let page = crate::helpers::page_in(&admin, &app.url("/admin/data")).await;
    let request = id_after(&page, "/admin/data/requests/");
    let confirm = format!("/admin/data/requests/{request}/confirm");
    let refused = support.post(app.url(&confirm)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "support cannot confirm");
    let file = admin.post(app.url(&confirm)).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    let data: serde_json::Value = file.json().await.unwrap();
    assert_eq!(data["profile"]["email"], email);
    assert_eq!(data["exports"][0]["requested_by"], "support");
    let again = admin.post(app.url(&confirm)).send().await.unwrap();
    assert_eq!(location(&again), "/admin/data", "carried out once");

    open("deletion").await;
    let page = crate::helpers::page_in(&admin, &app.url("/admin/data")).await;
    let request = id_after(&page, "/admin/data/requests/");
    let done = admin
        .post(app.url(&format!("/admin/data/requests/{request}/confirm")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&done), "/admin/data");
    app.wait_for_email(email, "Your account will be deleted on").await;
    let page = crate::helpers::page_in(&admin, &app.url("/admin/data")).await;
    assert!(
        page.contains("Deletions in their grace period") && page.contains(email),
        "{page}"
    );

    clock.advance(31 * DAY_MS);
    let done = onboarding::data_rights::erase_once(&app.services).await.unwrap();
    assert_eq!(done.erased, 1);
    // (A month on, the console asks for a login again.)
    let support = sign_in("support@fintech.example", "a long support passphrase").await;
    let page = crate::helpers::page_in(&support, &app.url("/admin/data")).await;
    assert!(
        page.contains(&ledger_id) && page.contains("accounts_erased"),
        "{page}"
    );
    let erasure = id_after(&page, "/admin/data/erasures/");
    let sent = support
        .post(app.url(&format!("/admin/data/erasures/{erasure}/sent")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&sent), "/admin/data");
    assert_eq!(
        columns_holding(app.database_url(), &ledger_id).await,
        Vec::<String>::new()
    );
    assert_eq!(
        columns_holding(app.database_url(), email).await,
        Vec::<String>::new()
    );
    let audited = app
        .services
        .store
        .scalar_for_tests(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('opened a data request (export)', \
             'confirmed a data request (export)', 'opened a data request (deletion)', \
             'confirmed a data request (deletion)') OR action LIKE 'sent erasure % to LedgerOS'",
        )
        .await
        .unwrap();
    assert_eq!(audited, 5);
}

/// Two instances run the erasure job at the same moment: each account is erased once, and
/// LedgerOS is asked once per account.
#[tokio::test]
async fn two_instances_erase_each_account_once() {
    let clock = Clock::manual(Clock::system().now_ms());
    let slow =
        |config: &mut server::config::Config| config.erasure_poll = std::time::Duration::from_secs(3600);
    let app = spawn_app_with_clock(clock.clone(), slow).await;
    let peer = crate::helpers::spawn_instance_of(&app, clock.clone(), slow).await;
    let mut ids = Vec::new();
    for n in 0..6 {
        let email = format!("twice{n}@example.com");
        crate::helpers::spawn_second_user(&app, &email).await;
        ids.push(
            app.services
                .store
                .user_by_email(&email)
                .await
                .unwrap()
                .unwrap()
                .id,
        );
    }
    for id in &ids {
        let scheduled = app
            .services
            .store
            .schedule_deletion(id, clock.now_ms() + DAY_MS, &|to, first_name, _| {
                onboarding::email::templates::deletion_scheduled(
                    Default::default(),
                    to,
                    first_name,
                    "http://x",
                    0,
                    5,
                )
            })
            .await
            .unwrap();
        assert!(scheduled);
    }
    clock.advance(2 * DAY_MS);
    let (a, b) = tokio::join!(
        onboarding::data_rights::erase_once(&app.services),
        onboarding::data_rights::erase_once(&peer.services)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.erased + b.erased, 6, "{a:?} {b:?}");
    let erasures = app
        .services
        .store
        .scalar_for_tests("SELECT COUNT(*) FROM ledger_erasures")
        .await
        .unwrap();
    assert_eq!(erasures, 6);
}

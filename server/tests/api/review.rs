//! What the outside security review found (issue 8), one test or more per finding, over real
//! HTTP. Each of them failed on the code before the fix.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::Url;
use server::client_ip::TrustedProxies;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{
    TestApp, browser_like_client, location, page_in, sign_up_in, spawn_app, spawn_app_with, token_in,
};

// 1. Webhook signature header flood -------------------------------------------------------

/// One request as the review built it: a 64 KiB body and a ~380 KB header of empty `v1=`.
async fn flood(url: String, now: i64) -> (StatusCode, Duration) {
    let header = format!("t={now}{}", ",v1=".repeat(95_000));
    let body = format!("{{\"pad\":\"{}\"}}", "x".repeat(64 * 1024 - 20));
    let started = Instant::now();
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("x-ledger-signature", header)
        .body(body)
        .send()
        .await
        .expect("the flood gets an answer");
    (response.status(), started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signature_header_flood_is_refused_at_once_and_health_checks_keep_answering() {
    let app = spawn_app().await;

    let url = app.url("/webhooks/ledger");
    let now = app.services.clock.now_secs();
    let (status, alone) = flood(url.clone(), now).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "refused by our check, not by hyper"
    );

    // Four at once, while a health check is asked every 20 ms.
    let floods: Vec<_> = (0..4).map(|_| tokio::spawn(flood(url.clone(), now))).collect();
    let mut slowest_health = Duration::ZERO;
    let health = reqwest::Client::new();
    while !floods.iter().all(|f| f.is_finished()) {
        let started = Instant::now();
        let answer = health.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        slowest_health = slowest_health.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut slowest_flood = alone;
    for f in floods {
        let (status, took) = f.await.unwrap();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        slowest_flood = slowest_flood.max(took);
    }
    println!(
        "flood: one refused in {alone:?}; four at once: slowest {slowest_flood:?}, slowest /healthz meanwhile {slowest_health:?}"
    );
    // Before the fix one such request took seconds of CPU and stalled every other request.
    assert!(alone < Duration::from_secs(1), "one flood took {alone:?}");
    assert!(
        slowest_health < Duration::from_secs(1),
        "/healthz took {slowest_health:?}"
    );
}

#[tokio::test]
async fn an_absurd_signature_timestamp_is_refused_not_a_crash() {
    let app = spawn_app().await;
    let body =
        r#"{"id":"evt_t","type":"user.application.approved","createdAt":1,"data":{"userId":"user_x"}}"#;
    for t in [i64::MIN, i64::MAX] {
        let header = onboarding::webhook::signature::signature_header(
            [server::config::SANDBOX_WEBHOOK_SECRET],
            t,
            body.as_bytes(),
        );
        let response = app.post_webhook(body, Some(header)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "t={t}");
    }
}

// 2. Open redirect after login -------------------------------------------------------------

#[tokio::test]
async fn after_login_every_next_value_stays_on_our_site_as_a_browser_reads_it() {
    let app = spawn_app().await;
    app.create_account("ada@example.com").await;
    let base = Url::parse(&app.local).unwrap();
    for next in [
        "/\t/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        "/\\evil.example",
        "\\/evil.example",
        "/.//evil.example",
        "///evil.example",
        "https:/evil.example",
        "/%2F/evil.example",
        "/status",
    ] {
        let client = browser_like_client();
        let response = client
            .post(app.url("/login"))
            .form(&[
                ("email", "ada@example.com"),
                ("password", "correct horse battery"),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        // Resolved by the WHATWG URL parser, as a browser resolves a Location.
        let target = base.join(&location(&response)).unwrap();
        assert_eq!(target.origin(), base.origin(), "{next:?} led to {target}");
    }
}

// 3. Account pre-hijacking -----------------------------------------------------------------

#[tokio::test]
async fn a_stranger_who_signs_up_with_your_address_never_gets_an_account_you_use() {
    let app = spawn_app().await;
    // The stranger fills in the victim's address with a password of their own.
    let stranger = browser_like_client();
    let form = [
        ("first_name", "Mallory"),
        ("last_name", "M"),
        ("email", "victim@example.com"),
        ("password", "stranger's secret words"),
    ];
    let response = stranger
        .post(app.url("/signup"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/signup/sent");

    // The victim opens the link they did not ask for: the page names the address and asks
    // for the signup's password, which they do not know.
    let mail = app
        .wait_for_email("victim@example.com", "Confirm your email")
        .await;
    let token = token_in(&mail.body, &app.address, "/signup/confirm");
    let victim = browser_like_client();
    let page = page_in(&victim, &app.url(&format!("/signup/confirm?token={token}"))).await;
    assert!(
        page.contains("victim@example.com"),
        "the page says which address: {page}"
    );
    for guess in ["", "victim's own password"] {
        let response = victim
            .post(app.url("/signup/confirm"))
            .form(&[("token", token.as_str()), ("password", guess)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response), format!("/signup/confirm?token={token}"));
    }
    let page = page_in(&victim, &app.url(&format!("/signup/confirm?token={token}"))).await;
    assert!(page.contains("not the password chosen"), "{page}");
    assert!(
        app.services
            .store
            .user_by_email("victim@example.com")
            .await
            .unwrap()
            .is_none(),
        "no account was created with the stranger's password"
    );
    let status = victim.get(app.url("/status")).send().await.unwrap();
    assert_eq!(
        location(&status),
        "/login?next=/status",
        "the victim is not signed in"
    );

    // The victim signs up with their own password and confirms: their account, theirs alone.
    let own = [
        ("first_name", "Victor"),
        ("last_name", "V"),
        ("email", "victim@example.com"),
        ("password", "victim's own password"),
    ];
    let response = victim.post(app.url("/signup")).form(&own).send().await.unwrap();
    assert_eq!(location(&response), "/signup/sent");
    let mut links = Vec::new();
    for _ in 0..100 {
        links = app.emails_to("victim@example.com").await;
        links.retain(|e| e.subject.contains("Confirm your email"));
        if links.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(links.len(), 2, "a second link, for the victim's own signup");
    let own_token = token_in(&links[0].body, &app.address, "/signup/confirm");
    assert_ne!(own_token, token);
    let response = victim
        .post(app.url("/signup/confirm"))
        .form(&[
            ("token", own_token.as_str()),
            ("password", "victim's own password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/status");
    let response = stranger
        .post(app.url("/login"))
        .form(&[
            ("email", "victim@example.com"),
            ("password", "stranger's secret words"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&response),
        "/login",
        "the stranger's password opens nothing"
    );
    // And the stranger's old link no longer works at all.
    let response = stranger
        .post(app.url("/signup/confirm"))
        .form(&[("token", token.as_str()), ("password", "stranger's secret words")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), format!("/signup/confirm?token={token}"));
    let user = app
        .services
        .store
        .user_by_email("victim@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.first_name, "Victor");
}

// 4. Disk and memory exhaustion by anonymous forms ----------------------------------------

#[tokio::test]
async fn form_posts_are_small_and_what_is_echoed_back_is_capped() {
    let app = spawn_app().await;
    let huge = "x".repeat(100 * 1024);
    let response = app
        .post_form("/signup", &[("first_name", huge.as_str()), ("email", "a@b")])
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let response = app.post_form("/login", &[("email", huge.as_str())]).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let response = app
        .client
        .post(app.url("/api/flash"))
        .form(&[("form", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Under the limit, an invalid form comes back with at most 256 characters of each value.
    let long = "y".repeat(5000);
    let response = app
        .post_form("/signup", &[("first_name", long.as_str()), ("email", "a@b")])
        .await;
    assert_eq!(location(&response), "/signup");
    let (_, page) = app.get_page("/signup").await;
    assert!(page.contains(&"y".repeat(256)), "the value is shown again");
    assert!(
        !page.contains(&"y".repeat(257)),
        "but no more than 256 characters of it"
    );
}

#[tokio::test]
async fn an_invalid_address_never_becomes_a_rate_limit_key() {
    let app = spawn_app().await;
    let client = browser_like_client();
    // Before the fix, the raw value was the key: three tries used up "not-an-email"'s quota.
    for _ in 0..5 {
        let page = app.ask_for_reset(&client, "not-an-email").await;
        assert!(page.contains("Enter an email address like"), "{page}");
    }
}

#[tokio::test]
async fn expired_sessions_are_deleted_on_a_schedule() {
    let app = spawn_app_with(|config| config.session_cleanup = Duration::from_millis(200)).await;
    // An anonymous visitor's failed form leaves a session row behind.
    let response = app
        .post_form("/login", &[("email", "x@example.com"), ("password", "p")])
        .await;
    assert_eq!(location(&response), "/login");
    let store = &app.services.store;
    let (table, long_ago) = match store.kind() {
        "postgres" => ("tower_sessions.session", "'2000-01-01T00:00:00Z'"),
        _ => ("tower_sessions", "0"),
    };
    let rows = || async {
        store
            .scalar_for_tests(&format!("SELECT COUNT(*) FROM {table}"))
            .await
            .unwrap()
    };
    assert!(rows().await >= 1);
    // Its 30 minutes pass.
    store
        .execute_for_tests(&format!("UPDATE {table} SET expiry_date = {long_ago}"))
        .await
        .unwrap();
    for _ in 0..50 {
        if rows().await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("expired sessions were not deleted");
}

#[tokio::test]
async fn anonymous_form_posts_from_one_address_are_refused_past_a_generous_rate() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let mut refused = None;
    for i in 0..200 {
        let response = client
            .post(app.url("/password/forgot"))
            .form(&[("email", "not-an-email")])
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(i);
            assert!(response.text().await.unwrap().contains("Too many attempts"));
            break;
        }
    }
    let refused = refused.expect("refused at some point");
    assert!(refused >= 60, "not before 60 posts: {refused}");
}

// 5. Client address behind a proxy ---------------------------------------------------------

async fn login_via(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded_for: &str,
    email: &str,
    password: &str,
) -> String {
    let response = client
        .post(app.url("/login"))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    let to = location(&response);
    if to == "/login" {
        let page = page_in(client, &app.url("/login")).await;
        if page.contains("Too many attempts") {
            return "limited".into();
        }
    }
    to
}

fn behind_proxy(config: &mut server::config::Config) {
    config.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_client_is_limited_without_locking_out_the_others() {
    let app = spawn_app_with(behind_proxy).await;
    app.create_account("ada@example.com").await;
    let attacker = browser_like_client();
    let mut limited = false;
    for i in 0..25 {
        let outcome = login_via(
            &app,
            &attacker,
            "198.51.100.7",
            &format!("guess{i}@example.com"),
            "wrong password",
        )
        .await;
        if outcome == "limited" {
            limited = true;
            break;
        }
    }
    assert!(limited, "the attacker's address is limited");
    let someone = browser_like_client();
    let outcome = login_via(
        &app,
        &someone,
        "203.0.113.5",
        "ada@example.com",
        "correct horse battery",
    )
    .await;
    assert_eq!(outcome, "/status", "another client behind the same proxy is not");
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing() {
    let app = spawn_app().await;
    let client = browser_like_client();
    let mut limited = false;
    for i in 0..25 {
        let outcome = login_via(
            &app,
            &client,
            &format!("198.51.100.{i}"),
            &format!("g{i}@example.com"),
            "wrong",
        )
        .await;
        if outcome == "limited" {
            limited = true;
            break;
        }
    }
    assert!(limited, "every attempt counted against the real peer");
}

#[tokio::test]
async fn ipv6_clients_are_limited_by_their_64() {
    let app = spawn_app_with(behind_proxy).await;
    let client = browser_like_client();
    let mut limited = None;
    for i in 0..25 {
        let outcome = login_via(
            &app,
            &client,
            &format!("2001:db8:0:1::{:x}", i + 1),
            &format!("g{i}@example.com"),
            "wrong",
        )
        .await;
        if outcome == "limited" {
            limited = Some(i);
            break;
        }
    }
    assert!(limited.is_some(), "addresses of one /64 share a limit");
    let next_door = login_via(&app, &client, "2001:db8:0:2::1", "g0@example.com", "wrong").await;
    assert_eq!(next_door, "/login", "the next /64 is another client");
}

#[tokio::test]
async fn guessing_at_an_account_from_many_addresses_does_not_lock_its_owner_out() {
    let app = spawn_app_with(behind_proxy).await;
    // The owner signs up in their own browser, which is remembered as theirs.
    let owner = browser_like_client();
    sign_up_in(&app, &owner, "Ada", "ada@example.com", "correct horse battery").await;
    owner.post(app.url("/logout")).send().await.unwrap();

    // A botnet: a few guesses from each of many addresses, until the account is throttled.
    let mut throttled = false;
    'guessing: for bot in 1..=30 {
        let bot_client = browser_like_client();
        for _ in 0..2 {
            let outcome = login_via(
                &app,
                &bot_client,
                &format!("198.51.100.{bot}"),
                "ada@example.com",
                "a wrong guess",
            )
            .await;
            if outcome == "limited" {
                throttled = true;
                break 'guessing;
            }
        }
    }
    assert!(
        throttled,
        "guessing at the account from anywhere new is slowed down"
    );
    let stranger = browser_like_client();
    assert_eq!(
        login_via(
            &app,
            &stranger,
            "192.0.2.44",
            "ada@example.com",
            "correct horse battery"
        )
        .await,
        "limited",
        "even the right password waits on an unknown browser"
    );
    // The owner, from their own browser (on a new network), still gets in.
    assert_eq!(
        login_via(
            &app,
            &owner,
            "203.0.113.99",
            "ada@example.com",
            "correct horse battery"
        )
        .await,
        "/status"
    );
}

// 6. Timeouts ------------------------------------------------------------------------------

fn short_timeouts(config: &mut server::config::Config) {
    config.timeouts.header_read = Duration::from_secs(1);
    config.timeouts.body = Duration::from_secs(1);
    config.timeouts.request = Duration::from_secs(2);
}

async fn connect(app: &TestApp) -> tokio::net::TcpStream {
    let addr = app.local.trim_start_matches("http://");
    tokio::net::TcpStream::connect(addr).await.unwrap()
}

/// Reads until the server closes the connection (or `limit` passes); returns what it sent.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<String> {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let app = spawn_app_with(short_timeouts).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let closed = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "still open after 5 s");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_client_that_stops_sending_its_body_is_cut_off() {
    let app = spawn_app_with(short_timeouts).await;
    let mut stream = connect(&app).await;
    let head = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=a";
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let answer = read_until_closed(&mut stream, Duration::from_secs(5))
        .await
        .expect("answered and closed within 5 s");
    // Refused (the form could not be read in time), or simply disconnected.
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_client_that_trickles_its_body_is_cut_off_at_the_request_timeout() {
    let app = spawn_app_with(short_timeouts).await;
    let mut stream = connect(&app).await;
    let head = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = String::new();
    // One byte every 300 ms: never a pause long enough for the body timeout.
    for _ in 0..100 {
        if stream.write_all(b"x").await.is_err() {
            break;
        }
        let mut buf = [0u8; 1024];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await {
            answer.push_str(&String::from_utf8_lossy(&buf[..n]));
            break;
        }
        if started.elapsed() > Duration::from_secs(6) {
            break;
        }
    }
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "after {:?}: {answer:?}",
        started.elapsed()
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

// 7. Smaller items ---------------------------------------------------------------------------

#[tokio::test]
async fn addresses_with_characters_that_mean_two_things_are_refused() {
    let app = spawn_app().await;
    for email in [
        "a@x.com,b@y.com",
        "\"a@b\"@x.com",
        "a;b@x.com",
        "<a@x.com>",
        "a:b@x.com",
    ] {
        let response = app
            .post_form(
                "/signup",
                &[
                    ("first_name", "Ada"),
                    ("last_name", "L"),
                    ("email", email),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(location(&response), "/signup", "{email}");
        let (_, page) = app.get_page("/signup").await;
        assert!(page.contains("Enter an email address like"), "{email}: {page}");
    }
}

#[tokio::test]
async fn a_verification_link_off_ledgeros_is_never_followed() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let user = app
        .services
        .store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    app.services
        .store
        .set_verification_url(&user.id, "https://evil.example/verify")
        .await
        .unwrap();
    // LedgerOS cannot give a fresh link, so the stored one would be used.
    app.sandbox.set_outage(true);
    let response = app.post_form("/verification/start", &[]).await;
    let to = location(&response);
    assert!(!to.contains("evil.example"), "{to}");
    assert_eq!(to, "/status");
    app.sandbox.set_outage(false);
    let response = app.post_form("/verification/start", &[]).await;
    assert!(
        location(&response).starts_with(app.sandbox.base_url()),
        "a real link again"
    );
}

/// Opens as many live-status streams as one session may hold.
async fn open_every_stream_allowed(
    app: &TestApp,
) -> Vec<impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + use<>> {
    let mut streams = Vec::new();
    for _ in 0..server::live::MAX_STREAMS_PER_SESSION {
        let response = app.client.get(app.url("/events/status")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        streams.push(response.bytes_stream());
    }
    streams
}

#[tokio::test]
async fn live_status_streams_are_capped_per_session_and_end_at_logout() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let streams = open_every_stream_allowed(&app).await;
    let one_more = app.client.get(app.url("/events/status")).send().await.unwrap();
    assert_eq!(one_more.status(), StatusCode::TOO_MANY_REQUESTS);

    app.post_form("/logout", &[]).await;

    for mut stream in streams {
        let ended = tokio::time::timeout(Duration::from_secs(3), async {
            while let Some(chunk) = stream.next().await {
                if chunk.is_err() {
                    break;
                }
            }
        })
        .await;
        assert!(ended.is_ok(), "the stream ended with the session");
    }
}

#[tokio::test]
async fn a_closed_page_gives_its_stream_back_at_once() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let mut streams = open_every_stream_allowed(&app).await;
    // The tab closes: its connection goes, and the server (which serves the stream outside
    // hyper's connection) must notice without a write to fail on.
    drop(streams.pop());
    let reopened = tokio::time::timeout(Duration::from_secs(3), async {
        loop {
            let response = app.client.get(app.url("/events/status")).send().await.unwrap();
            if response.status() == StatusCode::OK {
                return response;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("a place again within 3 s");
    let mut reopened = reopened.bytes_stream();
    let first = tokio::time::timeout(Duration::from_secs(3), reopened.next())
        .await
        .expect("an event")
        .expect("open")
        .unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: status"));
}

#[tokio::test]
async fn asking_for_a_fresh_status_in_a_loop_reaches_ledgeros_once() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    // Let provisioning's own calls settle.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = app.sandbox.api_requests();
    for _ in 0..5 {
        let response = app
            .client
            .post(app.url("/api/status/refresh"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.text().await.unwrap().contains("status"));
    }
    let calls = app.sandbox.api_requests() - before;
    assert_eq!(calls, 1, "five refreshes, one read at LedgerOS");
}

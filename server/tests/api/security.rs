//! The security suite, over real HTTP. Each test names the property it shows: no account
//! enumeration, rate limits, CSRF refusal, session fixation, cookie flags and timeouts,
//! security headers, and password reset links that work once, expire and end other sessions.

use std::time::{Duration, Instant};

use onboarding::clock::Clock;
use reqwest::StatusCode;

use crate::helpers::{
    TestApp, browser_like_client, location, spawn_app, spawn_app_with, spawn_app_with_clock, token_in,
};

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_status_page_carries_a_csp_whose_fresh_nonce_is_the_one_on_its_island_scripts() {
    let app = spawn_app().await;
    app.sign_up("nonce@example.com").await;

    let first = app.client.get(app.url("/status")).send().await.unwrap();
    let csp = header(&first, "content-security-policy");
    let html = first.text().await.unwrap();

    assert!(html.contains("<leptos-island"), "the live status is an island");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the island's loader carries it"
    );
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    let second = app.client.get(app.url("/status")).send().await.unwrap();
    assert!(
        !header(&second, "content-security-policy").contains(nonce),
        "a new nonce per page"
    );
}

/// `'sha256-…'` of each inline script in `html`, as a browser computes it.
fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    html.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, body) = rest.split_once('>')?;
            let (script, _) = body.split_once("</script>")?;
            (!tag.contains(" src=")).then(|| {
                let digest = Sha256::digest(script.as_bytes());
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
        })
        .collect()
}

#[tokio::test]
async fn pages_without_an_island_allow_exactly_their_inline_scripts_by_hash_and_no_wasm() {
    let app = spawn_app().await;
    for path in ["/", "/signup", "/login", "/password/forgot", "/no-such-page"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let csp = header(&response, "content-security-policy");
        let html = response.text().await.unwrap();
        let hashes = inline_script_hashes(&html);
        assert!(!hashes.is_empty(), "{path}: Leptos writes its inline bookkeeping");
        for hash in &hashes {
            assert!(csp.contains(hash.as_str()), "{path}: {hash} in {csp}");
        }
        assert!(!csp.contains("'nonce-"), "{path}: {csp}");
        assert!(
            !csp.contains("wasm-unsafe-eval"),
            "{path}: no WebAssembly here: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(!html.contains(".wasm"), "{path} loads no WebAssembly");
        assert!(
            html.contains(r#"<script src="/enhance.js" defer></script>"#),
            "{path}"
        );
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(
            header(&head, "content-security-policy"),
            csp,
            "{path}: HEAD as GET"
        );
    }
}

#[tokio::test]
async fn anonymous_pages_are_rendered_once_and_a_visitor_with_a_session_gets_their_own() {
    let app = spawn_app().await;
    let anonymous = || async {
        // A new client each time: no cookie, as a first visit.
        let response = reqwest::Client::new()
            .get(app.url("/login"))
            .send()
            .await
            .unwrap();
        let csp = header(&response, "content-security-policy");
        (csp, response.text().await.unwrap())
    };
    let (first_csp, first) = anonymous().await;
    let (second_csp, second) = anonymous().await;
    assert_eq!(first, second, "the same page for everyone");
    assert_eq!(first_csp, second_csp);

    // A failed login leaves its error (a flash) in this visitor's session: their next login
    // page shows it, and nobody else's does.
    let visitor = browser_like_client();
    let refused = visitor
        .post(app.url("/login"))
        .header("origin", app.url(""))
        .form(&[("email", "who@example.com"), ("password", "wrong password here")])
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_redirection(), "{}", refused.status());
    let own = visitor
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(own.contains("error-summary"), "the visitor sees their error");
    assert!(own.contains("who@example.com"), "and the address they typed");
    let (_, after) = anonymous().await;
    assert_eq!(after, first, "nobody else sees it");
    assert!(!after.contains("who@example.com"));
}

#[tokio::test]
async fn every_response_says_nosniff_no_framing_and_a_referrer_policy() {
    let app = spawn_app().await;
    let responses = [
        app.client.get(app.url("/")).send().await.unwrap(),
        app.client.get(app.url("/healthz")).send().await.unwrap(),
        app.client.get(app.url("/status")).send().await.unwrap(),
        app.post_webhook("{}", Some(String::new())).await,
    ];
    for response in &responses {
        assert_eq!(
            header(response, "x-content-type-options"),
            "nosniff",
            "{}",
            response.url()
        );
        assert_eq!(header(response, "referrer-policy"), "same-origin");
        assert_eq!(header(response, "x-frame-options"), "DENY");
        assert!(header(response, "content-security-policy").contains("frame-ancestors 'none'"));
        // Plain http here, so no HSTS (it would be a lie, and it pins browsers to https).
        assert_eq!(header(response, "strict-transport-security"), "");
    }
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    app.post_form("/logout", &[]).await;
    let response = app.log_in("ada@example.com", "correct horse battery").await;
    let cookie = header(&response, "set-cookie");
    assert!(cookie.starts_with("session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    // Idle timeout: the session lives 30 minutes past the last request.
    assert!(cookie.contains("Max-Age=1800"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http in tests: a Secure cookie would never come back"
    );
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_with_the_host_prefix_and_hsts_is_sent() {
    let app = spawn_app_with(|config| config.public_url = Some("https://onboarding.example".into())).await;
    app.create_account("ada@example.com").await;

    let response = app.log_in("ada@example.com", "correct horse battery").await;

    assert_eq!(location(&response), "/status");
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    // The session, and the device cookie that marks this browser as the owner's.
    for name in ["__Host-session=", "__Host-device="] {
        let cookie = cookies
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {cookies:?}"));
        for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(flag), "{flag} in {cookie}");
        }
        assert!(!cookie.contains("Domain="), "__Host- cookies have no Domain");
    }
    assert!(header(&response, "strict-transport-security").contains("max-age="));
}

/// The median time of `n` runs of `f`.
async fn median_time<F, Fut>(n: usize, mut f: F) -> Duration
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::new();
    for i in 0..n {
        let start = Instant::now();
        f(i).await;
        times.push(start.elapsed());
    }
    times.sort();
    times[n / 2]
}

/// The same work, give or take noise: within a factor of three, or within 20 ms (the noise of a
/// loaded 2-core machine, for answers that take a few milliseconds). argon2id takes ~70 ms here,
/// so a shortcut that skipped it for unknown addresses fails both.
fn similar(a: Duration, b: Duration) -> bool {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    hi < lo * 3 || hi - lo < Duration::from_millis(20)
}

async fn signup_form(app: &TestApp, email: &str) -> reqwest::Response {
    // A fresh browser each time, so no cookie tells the attempts apart.
    browser_like_client()
        .post(app.url("/signup"))
        .form(&[
            ("first_name", "Eve"),
            ("last_name", "Probe"),
            ("email", email),
            ("password", "an unguessable passphrase"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn signup_does_not_reveal_whether_an_address_has_an_account() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;

    let taken = signup_form(&app, "ada@example.com").await;
    let free = signup_form(&app, "newcomer@example.com").await;

    assert_eq!(taken.status(), free.status());
    assert_eq!(location(&taken), location(&free));
    assert_eq!(location(&free), "/signup/sent");
    assert_eq!(
        taken.headers().contains_key("set-cookie"),
        free.headers().contains_key("set-cookie")
    );
    // Only the inbox tells them apart.
    app.wait_for_email("ada@example.com", "You already have an account")
        .await;
    app.wait_for_email("newcomer@example.com", "Confirm your email")
        .await;

    // Similar timing: both hash the password and write one transaction. (Distinct addresses:
    // each address may only be tried three times in five minutes.)
    for i in 0..5 {
        app.create_account(&format!("taken{i}@example.com")).await;
    }
    // Taken and new addresses alternate, so load from tests running beside this one falls
    // on both alike.
    let (mut taken, mut free) = (Vec::new(), Vec::new());
    for i in 0..5 {
        let start = Instant::now();
        signup_form(&app, &format!("taken{i}@example.com")).await;
        taken.push(start.elapsed());
        let start = Instant::now();
        signup_form(&app, &format!("new{i}@example.com")).await;
        free.push(start.elapsed());
    }
    taken.sort();
    free.sort();
    let (taken_time, free_time) = (taken[2], free[2]);
    eprintln!("signup median: taken address {taken_time:?}, new address {free_time:?}");
    assert!(
        similar(taken_time, free_time),
        "taken {taken_time:?} vs free {free_time:?}"
    );
}

#[tokio::test]
async fn login_answers_an_unknown_email_like_a_wrong_password() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;

    let page_after = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let client = browser_like_client();
            let response = client
                .post(app.url("/login"))
                .form(&[("email", email), ("password", password)])
                .send()
                .await
                .unwrap();
            assert_eq!(location(&response), "/login");
            let page = client
                .get(app.url("/login"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            // Only the visible message matters (the page also carries per-request nonces).
            page.split("That email and password").nth(1).unwrap_or_default()[..40].to_owned()
        }
    };
    assert_eq!(
        page_after("ada@example.com", "wrong password guess").await,
        page_after("nobody@example.com", "wrong password guess").await
    );

    let known = median_time(3, |_| async {
        browser_like_client()
            .post(app.url("/login"))
            .form(&[("email", "ada@example.com"), ("password", "wrong password guess")])
            .send()
            .await
            .unwrap();
    })
    .await;
    let unknown = median_time(3, |i| {
        let app = &app;
        async move {
            browser_like_client()
                .post(app.url("/login"))
                .form(&[
                    ("email", format!("nobody{i}@example.com").as_str()),
                    ("password", "wrong password guess"),
                ])
                .send()
                .await
                .unwrap();
        }
    })
    .await;
    eprintln!("median: known {known:?}, unknown {unknown:?}");
    assert!(similar(known, unknown), "known {known:?} vs unknown {unknown:?}");
}

#[tokio::test]
async fn password_reset_does_not_reveal_whether_an_address_has_an_account() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;

    let known = app.ask_for_reset(&browser_like_client(), "ada@example.com").await;
    let unknown = app
        .ask_for_reset(&browser_like_client(), "nobody@example.com")
        .await;

    assert!(
        known.contains("If an account uses ada@example.com, we've sent it a link"),
        "{known}"
    );
    assert!(unknown.contains("If an account uses nobody@example.com, we've sent it a link"));
    app.wait_for_email("ada@example.com", "Reset your password").await;
    // The answer does not wait for the work, so its timing says nothing either. (Distinct
    // addresses, four each: an address may ask three times in five minutes, an IP ten a minute.)
    for i in 0..4 {
        app.create_account(&format!("known{i}@example.com")).await;
    }
    let time = |prefix: &'static str| {
        let app = &app;
        median_time(4, move |i| async move {
            browser_like_client()
                .post(app.url("/password/forgot"))
                .form(&[("email", format!("{prefix}{i}@example.com"))])
                .send()
                .await
                .unwrap();
        })
    };
    let (known, unknown) = (time("known").await, time("unknown").await);
    eprintln!("median: known {known:?}, unknown {unknown:?}");
    assert!(similar(known, unknown), "known {known:?} vs unknown {unknown:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.emails_to("nobody@example.com").await.is_empty());
    assert!(app.emails_to("unknown0@example.com").await.is_empty());
    app.wait_for_email("known3@example.com", "Reset your password")
        .await;
}

#[tokio::test]
async fn a_reset_link_works_once_ends_every_other_session_and_warns_the_owner() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    assert_eq!(app.get_page("/status").await.0, StatusCode::OK, "signed in");

    // Another browser resets the password.
    let other = browser_like_client();
    app.ask_for_reset(&other, "ada@example.com").await;
    let mail = app.wait_for_email("ada@example.com", "Reset your password").await;
    assert!(mail.body.contains("expires in 30 minutes"));
    let token = token_in(&mail.body, &app.address, "/password/reset");
    let form_page = other
        .get(app.url(&format!("/password/reset?token={token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form_page.contains("Save new password"), "{form_page}");
    let reset = |password: &'static str| {
        other
            .post(app.url("/password/reset"))
            .form(&[("token", token.as_str()), ("password", password)])
            .send()
    };
    // The new password follows the same rules as at signup.
    let weak = reset("short").await.unwrap();
    assert_eq!(location(&weak), format!("/password/reset?token={token}"));
    let done = reset("a brand new passphrase").await.unwrap();
    assert_eq!(location(&done), "/status", "signed in with a new session");
    let status = other.get(app.url("/status")).send().await.unwrap();
    assert_eq!(status.status(), StatusCode::OK);

    // The first browser's session has ended.
    let old = app.client.get(app.url("/status")).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&old), "/login?next=/status");
    // The old password is gone, the new one works.
    assert_eq!(
        location(&app.log_in("ada@example.com", "correct horse battery").await),
        "/login"
    );
    assert_eq!(
        location(&app.log_in("ada@example.com", "a brand new passphrase").await),
        "/status"
    );
    // The owner is told.
    app.wait_for_email("ada@example.com", "Your password was changed")
        .await;

    // The link worked once.
    let again = browser_like_client()
        .post(app.url("/password/reset"))
        .form(&[("token", token.as_str()), ("password", "yet another passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&again), format!("/password/reset?token={token}"));
    let (_, page) = app.get_page(&format!("/password/reset?token={token}")).await;
    assert!(
        page.contains("This link has expired or was already used."),
        "{page}"
    );
    assert_eq!(
        location(&app.log_in("ada@example.com", "yet another passphrase").await),
        "/login"
    );
}

#[tokio::test]
async fn a_reset_link_expires_after_30_minutes() {
    let clock = Clock::manual(1_800_000_000_000);
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    app.sign_up("ada@example.com").await;
    app.ask_for_reset(&browser_like_client(), "ada@example.com").await;
    let token = app.reset_token_for("ada@example.com").await;
    let path = format!("/password/reset?token={token}");

    clock.advance(29 * 60 * 1000);
    assert!(app.get_page(&path).await.1.contains("Save new password"));
    clock.advance(2 * 60 * 1000);
    assert!(app.get_page(&path).await.1.contains("This link has expired"));
    let late = app
        .post_form(
            "/password/reset",
            &[("token", &token), ("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(location(&late), path);
    assert_eq!(
        location(&app.log_in("ada@example.com", "a brand new passphrase").await),
        "/login"
    );
}

#[tokio::test]
async fn after_the_absolute_timeout_people_log_in_again_and_land_where_they_were() {
    let clock = Clock::manual(1_800_000_000_000);
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    app.sign_up("ada@example.com").await;
    assert_eq!(app.get_page("/status").await.0, StatusCode::OK);

    // Active all day, but 12 hours after login the session ends anyway.
    clock.advance(12 * 60 * 60 * 1000 + 1000);
    let response = app
        .client
        .get(app.url("/verification/return"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/login?next=/verification/return");

    let back = app
        .log_in_to("ada@example.com", "correct horse battery", "/verification/return")
        .await;
    assert_eq!(location(&back), "/verification/return");
}

#[tokio::test]
async fn a_session_in_use_stays_signed_in_past_30_minutes_after_login() {
    let clock = Clock::manual(1_800_000_000_000);
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    app.sign_up("ada@example.com").await;
    let store = &app.services.store;
    let (table, expiry_secs, soon) = match store.kind() {
        "postgres" => (
            "tower_sessions.session",
            "EXTRACT(EPOCH FROM expiry_date)::bigint",
            "now() + interval '10 seconds'",
        ),
        // The SQLite store keeps RFC 3339 text.
        _ => (
            "tower_sessions",
            "unixepoch(expiry_date)",
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+10 seconds')",
        ),
    };
    // 29 minutes 50 seconds after the last save, the person is still reading their status.
    store
        .execute_for_tests(&format!("UPDATE {table} SET expiry_date = {soon}"))
        .await
        .unwrap();
    clock.advance(2 * 60 * 1000);
    assert_eq!(app.get_page("/status").await.0, StatusCode::OK);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let expiry = store
        .scalar_for_tests(&format!("SELECT MAX({expiry_secs}) FROM {table}"))
        .await
        .unwrap();
    assert!(
        expiry > now + 25 * 60,
        "the visit moves the idle expiry 30 minutes ahead (it is {} s ahead)",
        expiry - now
    );
    // Within the minute, pages do not write the session again.
    store
        .execute_for_tests(&format!("UPDATE {table} SET expiry_date = {soon}"))
        .await
        .unwrap();
    assert_eq!(app.get_page("/status").await.0, StatusCode::OK);
    let unchanged = store
        .scalar_for_tests(&format!("SELECT MAX({expiry_secs}) FROM {table}"))
        .await
        .unwrap();
    assert!(unchanged <= now + 60, "no write per page");
}

#[tokio::test]
async fn signup_and_password_reset_are_rate_limited_per_address() {
    let app = spawn_app().await;
    // Mistakes in the form do not use up the address's attempts.
    for _ in 0..3 {
        let typo = app
            .post_form(
                "/signup",
                &[
                    ("first_name", "Ada"),
                    ("email", "target@example.com"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(location(&typo), "/signup");
    }
    for _ in 0..3 {
        assert_eq!(
            location(&signup_form(&app, "target@example.com").await),
            "/signup/sent"
        );
    }
    let limited = signup_form(&app, "target@example.com").await;
    assert_eq!(location(&limited), "/signup");

    let client = browser_like_client();
    for _ in 0..3 {
        let page = app.ask_for_reset(&client, "target@example.com").await;
        assert!(page.contains("If an account uses"));
    }
    let page = app.ask_for_reset(&client, "target@example.com").await;
    assert!(
        page.contains("Too many attempts. Please try again in 5 minutes."),
        "{page}"
    );
    // Another address is not affected.
    let page = app.ask_for_reset(&client, "someone@example.com").await;
    assert!(page.contains("If an account uses"));
}

#[tokio::test]
async fn the_session_id_changes_at_login() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    app.post_form("/logout", &[]).await;
    let before = app.client.get(app.url("/login")).send().await.unwrap();
    let planted = before
        .cookies()
        .find(|c| c.name() == "session")
        .map(|c| c.value().to_owned());

    let response = app.log_in("ada@example.com", "correct horse battery").await;

    let after = response
        .cookies()
        .find(|c| c.name() == "session")
        .map(|c| c.value().to_owned());
    assert!(after.is_some(), "login sets a session cookie");
    assert_ne!(after, planted);
}

#[tokio::test]
async fn cross_site_writes_are_refused_for_forms_and_server_functions() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let writes = [
        "/signup",
        "/signup/confirm",
        "/login",
        "/logout",
        "/password/forgot",
        "/password/reset",
        "/verification/start",
        "/appeal",
        "/documents",
        "/reminders/resume",
        "/account/reminders",
        "/api/status/refresh",
        "/api/flash",
    ];
    for path in writes {
        let by_fetch_metadata = app
            .client
            .post(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .form(&[("email", "eve@example.com")])
            .send()
            .await
            .unwrap();
        assert_eq!(by_fetch_metadata.status(), StatusCode::FORBIDDEN, "{path}");
        // Older browsers send no Sec-Fetch-Site: the Origin decides.
        let by_origin = app
            .client
            .post(app.url(path))
            .header("origin", "https://evil.example")
            .form(&[("email", "eve@example.com")])
            .send()
            .await
            .unwrap();
        assert_eq!(by_origin.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // Still signed in: none of them got through.
    assert_eq!(app.get_page("/status").await.0, StatusCode::OK);
}

#[tokio::test]
async fn repeated_wrong_passwords_are_slowed_down_with_a_plain_message() {
    let app = spawn_app().await;
    // A browser the account has never signed in from (the owner's own has more room: see
    // `guessing_at_an_account_from_many_addresses_does_not_lock_its_owner_out`).
    app.create_account("ada@example.com").await;

    for _ in 0..5 {
        app.log_in("ada@example.com", "wrong password guess").await;
        app.get_page("/login").await;
    }
    let response = app.log_in("ada@example.com", "correct horse battery").await;

    assert_eq!(location(&response), "/login", "even the right password waits");
    let (_, page) = app.get_page("/login").await;
    assert!(
        page.contains("Too many attempts. Please try again in 1 minute."),
        "{page}"
    );
}

#[tokio::test]
async fn a_common_password_is_refused_at_signup() {
    let app = spawn_app().await;

    let response = app
        .post_form(
            "/signup",
            &[
                ("first_name", "Ada"),
                ("last_name", "L"),
                ("email", "ada@example.com"),
                ("password", "Qwerty123456"),
            ],
        )
        .await;

    assert_eq!(location(&response), "/signup");
    let (_, page) = app.get_page("/signup").await;
    assert!(page.contains("lists that attackers try first"), "{page}");
    assert!(
        app.services
            .store
            .user_by_email("ada@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_not_only_in_the_browser() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    // The cookie the browser holds now, as an attacker who copied it would replay it.
    let stolen = app
        .log_in("ada@example.com", "correct horse battery")
        .await
        .cookies()
        .find(|c| c.name() == "session")
        .map(|c| format!("session={}", c.value()))
        .expect("a session cookie");
    let replay = || {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(app.url("/status"))
            .header("cookie", stolen.clone())
            .send()
    };
    assert_eq!(
        replay().await.unwrap().status(),
        StatusCode::OK,
        "the copy works while signed in"
    );

    app.post_form("/logout", &[]).await;

    let after = replay().await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&after), "/login?next=/status");
}

#[tokio::test]
async fn a_signup_link_works_once_and_for_24_hours() {
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    // Opened in time: the account exists; opened again: explained, nothing happens.
    app.sign_up("ada@example.com").await;
    let mail = app.wait_for_email("ada@example.com", "Confirm your email").await;
    let used = token_in(&mail.body, &app.address, "/signup/confirm");
    let again = browser_like_client()
        .post(app.url("/signup/confirm"))
        .form(&[("token", used.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&again), format!("/signup/confirm?token={used}"));
    let (_, page) = app.get_page(&format!("/signup/confirm?token={used}")).await;
    assert!(
        page.contains("This link has expired or was already used."),
        "{page}"
    );

    // Not opened for a day: gone.
    let response = app
        .post_form(
            "/signup",
            &[
                ("first_name", "Bob"),
                ("last_name", "Late"),
                ("email", "bob@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/signup/sent");
    let mail = app.wait_for_email("bob@example.com", "Confirm your email").await;
    let late = token_in(&mail.body, &app.address, "/signup/confirm");
    clock.advance(24 * 60 * 60 * 1000 + 1000);
    let (_, page) = app.get_page(&format!("/signup/confirm?token={late}")).await;
    assert!(page.contains("This link has expired"), "{page}");
    let refused = browser_like_client()
        .post(app.url("/signup/confirm"))
        .form(&[("token", late.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&refused), format!("/signup/confirm?token={late}"));
    assert!(
        app.services
            .store
            .user_by_email("bob@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

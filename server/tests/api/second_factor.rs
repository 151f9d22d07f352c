//! Operators' second factor (issue 27): nothing in the console opens with a password alone; a
//! one-time setup link sets up an authenticator app (with recovery codes shown once); codes and
//! recovery codes work once; guesses are limited; sensitive actions ask again after five
//! minutes; admins reset another operator's factor, never their own.

use onboarding::clock::Clock;
use onboarding::operators::{self, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD, Role};
use onboarding::second_factor::{self, code_at};
use reqwest::StatusCode;

use crate::helpers::{
    TestApp, browser_like_client, location, operator_client, page_in, spawn_app, spawn_app_with_clock,
};

const EMAIL: &str = "new.operator@fintech.example";
const PASSWORD: &str = "a long operator passphrase";

async fn log_in(app: &TestApp, client: &reqwest::Client) -> String {
    let response = client
        .post(app.url("/admin/login"))
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

async fn code(client: &reqwest::Client, app: &TestApp, code: &str) -> reqwest::Response {
    client
        .post(app.url("/admin/2fa"))
        .form(&[("code", code), ("next", "/admin/applicants")])
        .send()
        .await
        .unwrap()
}

/// The text between `start` and the next `end` in `page`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).unwrap_or_else(|| panic!("{start} in {page}")) + start.len();
    let len = page[from..].find(end).expect("end");
    &page[from..from + len]
}

#[tokio::test]
async fn a_new_operator_sets_up_an_app_through_the_link_and_codes_work_once() {
    let app = spawn_app().await;
    let id = operators::create_operator(&app.services.store, EMAIL, PASSWORD.into(), Role::Support)
        .await
        .unwrap();
    let now = app.services.clock.now_ms();
    let token = second_factor::new_setup_link(&app.services.store, &id, now)
        .await
        .unwrap();

    // The password alone opens no console page, and without the link no factor can be added.
    let browser = browser_like_client();
    assert_eq!(log_in(&app, &browser).await, "/admin/2fa?next=/admin/appeals");
    for path in [
        "/admin/appeals",
        "/admin/applicants",
        "/admin/audit",
        "/admin/data",
        "/admin/webhooks",
    ] {
        let response = browser.get(app.url(path)).send().await.unwrap();
        assert!(
            location(&response).starts_with("/admin/2fa?next="),
            "{path}: {}",
            location(&response)
        );
    }
    let no_factor = browser.get(app.url("/admin/2fa")).send().await.unwrap();
    assert_eq!(no_factor.status(), StatusCode::FORBIDDEN);
    assert!(
        no_factor
            .text()
            .await
            .unwrap()
            .contains("Set up your second factor first")
    );
    let setup = browser.get(app.url("/admin/2fa/setup")).send().await.unwrap();
    assert_eq!(location(&setup), "/admin/2fa");

    // The link: opening it changes nothing; its button lets this session set up a factor.
    let link = format!("/admin/setup/{token}");
    let page = page_in(&browser, &app.url(&link)).await;
    assert!(page.contains("Set up your console sign-in"), "{page}");
    let used = browser.post(app.url(&link)).send().await.unwrap();
    assert_eq!(location(&used), "/admin/2fa/setup");
    let setup = page_in(&browser, &app.url("/admin/2fa/setup")).await;
    assert!(setup.contains("<svg"), "a QR code drawn on the server");
    let secret = between(&setup, "data-totp-secret=\"", "\"").to_owned();
    let wrong = browser
        .post(app.url("/admin/2fa/setup/totp"))
        .form(&[("code", "000000")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let now = app.services.clock.now_ms();
    let right = browser
        .post(app.url("/admin/2fa/setup/totp"))
        .form(&[("code", code_at(&secret, now).unwrap().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    let shown = right.text().await.unwrap();
    assert!(shown.contains("Save your recovery codes"), "{shown}");
    let codes: Vec<String> = shown
        .split("<li><code>")
        .skip(1)
        .map(|rest| rest[..19].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "{shown}");
    // Only digests are kept.
    let stored: i64 = app
        .services
        .store
        .scalar_for_tests(&format!(
            "SELECT COUNT(*) FROM recovery_codes WHERE code_hash = '{}'",
            codes[0]
        ))
        .await
        .unwrap();
    assert_eq!(stored, 0);
    // The console opens now; the link works once.
    let open = browser.get(app.url("/admin/applicants")).send().await.unwrap();
    assert_eq!(open.status(), StatusCode::OK);
    let again = browser_like_client().post(app.url(&link)).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::GONE);

    // Next login: the code that set the app up is used; the next step's works, once.
    let next = browser_like_client();
    log_in(&app, &next).await;
    let replayed = code(&next, &app, &code_at(&secret, now).unwrap()).await;
    assert_eq!(replayed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let later = code_at(&secret, now + 30_000).unwrap();
    assert_eq!(location(&code(&next, &app, &later).await), "/admin/applicants");
    let third = browser_like_client();
    log_in(&app, &third).await;
    assert_eq!(
        code(&third, &app, &later).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A recovery code, typed any which way, works once.
    let typed = codes[3].to_uppercase().replace('-', " ");
    assert_eq!(location(&code(&third, &app, &typed).await), "/admin/applicants");
    let fourth = browser_like_client();
    log_in(&app, &fourth).await;
    assert_eq!(
        code(&fourth, &app, &codes[3]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let refused = app.services.store.factor_refusals(&id, 0).await.unwrap();
    assert_eq!(refused.len(), 4, "every refusal is in the audit log");
    let security = page_in(&third, &app.url("/admin/security")).await;
    assert!(security.contains("9 of 10 unused."), "{security}");
    let audit = page_in(
        &operator_client(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await,
        &app.url("/admin/audit"),
    )
    .await;
    assert!(audit.contains("set up a second factor"), "{audit}");
    assert!(audit.contains("with a recovery code"), "{audit}");
}

#[tokio::test]
async fn second_factor_guesses_are_limited() {
    let app = spawn_app().await;
    let browser = browser_like_client();
    let login = browser
        .post(app.url("/admin/login"))
        .form(&[
            ("email", DEMO_OPERATOR_EMAIL),
            ("password", DEMO_OPERATOR_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&login), "/admin/2fa?next=/admin/appeals");
    let mut statuses = Vec::new();
    for guess in ["111111", "222222", "333333", "444444", "555555", "666666"] {
        statuses.push(code(&browser, &app, guess).await.status());
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    // The right code waits too: guessing stops here.
    let right = code_at(
        second_factor::DEMO_OPERATOR_TOTP_SECRET,
        app.services.clock.now_ms(),
    )
    .unwrap();
    let refused = code(&browser, &app, &right).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.text().await.unwrap().contains("Too many attempts"));
    let still = browser.get(app.url("/admin/applicants")).send().await.unwrap();
    assert!(location(&still).starts_with("/admin/2fa"));
}

#[tokio::test]
async fn sensitive_actions_ask_again_and_admins_reset_others_factors_not_their_own() {
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |_| {}).await;
    let admin = operator_client(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    // Within five minutes of the factor, adding an operator goes through, with a setup link.
    let form = [("email", EMAIL), ("password", PASSWORD), ("role", "support")];
    let added = admin
        .post(app.url("/admin/operators"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::OK);
    let page = added.text().await.unwrap();
    assert!(page.contains("/admin/setup/"), "{page}");

    // Six minutes later (not idle: a page at four), the reset asks for the factor again.
    clock.advance(4 * 60_000);
    assert_eq!(
        admin
            .get(app.url("/admin/operators"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    clock.advance(2 * 60_000);
    let new_op = app
        .services
        .store
        .operator_by_email(EMAIL)
        .await
        .unwrap()
        .unwrap();
    app.services
        .store
        .save_totp(&new_op.id, &second_factor::new_secret(), 0)
        .await
        .unwrap();
    let reset_path = format!("/admin/operators/{}/reset-factor", new_op.id.0);
    let asked = admin.post(app.url(&reset_path)).send().await.unwrap();
    assert_eq!(location(&asked), "/admin/2fa?again=1&next=/admin/operators");
    assert!(
        app.services
            .store
            .totp_secret(&new_op.id)
            .await
            .unwrap()
            .is_some(),
        "nothing changed"
    );
    let step_up = page_in(&admin, &app.url("/admin/2fa?again=1&next=/admin/operators")).await;
    assert!(
        step_up.contains("Confirm it&#x27;s you") || step_up.contains("Confirm it's you"),
        "{step_up}"
    );
    crate::helpers::give_second_factor(&app, &admin, DEMO_OPERATOR_EMAIL).await;
    let reset = admin.post(app.url(&reset_path)).send().await.unwrap();
    assert_eq!(reset.status(), StatusCode::OK);
    assert!(reset.text().await.unwrap().contains("/admin/setup/"));
    assert!(
        app.services
            .store
            .totp_secret(&new_op.id)
            .await
            .unwrap()
            .is_none()
    );

    // Never their own.
    let me = app
        .services
        .store
        .operator_by_email(DEMO_OPERATOR_EMAIL)
        .await
        .unwrap()
        .unwrap();
    let own = admin
        .post(app.url(&format!("/admin/operators/{}/reset-factor", me.id.0)))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&own), "/admin/operators");
    assert!(app.services.store.totp_secret(&me.id).await.unwrap().is_some());
    let audit = page_in(&admin, &app.url("/admin/audit")).await;
    assert!(audit.contains("reset the second factor of"), "{audit}");

    // A webhook replay and a data request's confirmation ask too, once the factor is old.
    clock.advance(6 * 60_000);
    let replay = admin
        .post(app.url("/admin/webhooks/evt_none/replay"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&replay), "/admin/2fa?again=1&next=/admin/webhooks");
    let confirm = admin
        .post(app.url("/admin/data/requests/1/confirm"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&confirm), "/admin/2fa?again=1&next=/admin/data");
}

/// Passkeys need a domain: on an IP address there are none to offer; on a domain the options
/// ask for a discoverable passkey with the user verified, and a forged answer signs nobody in
/// and adds nothing. (Real passkeys are made and used by Chromium's virtual authenticator in
/// `end2end/tests/passkeys.spec.ts`.)
#[tokio::test]
async fn passkeys_need_a_domain_and_forged_answers_get_nowhere() {
    let on_ip = spawn_app().await;
    on_ip.sign_up("ada@example.com").await;
    let options = on_ip
        .client
        .post(on_ip.url("/login/passkey/options"))
        .send()
        .await
        .unwrap();
    assert_eq!(options.status(), StatusCode::NOT_FOUND);
    let (_, account) = on_ip.get_page("/account").await;
    assert!(
        account.contains("Passkeys work when this site is opened by its name"),
        "{account}"
    );

    let app =
        crate::helpers::spawn_app_with(|config| config.public_url = Some("http://localhost:9".into())).await;
    app.sign_up("ada@example.com").await;
    let (_, account) = app.get_page("/account").await;
    assert!(account.contains("data-passkey=\"register\""), "{account}");
    assert!(account.contains("You have no passkeys yet."));
    let options: serde_json::Value = app
        .client
        .post(app.url("/account/passkeys/options"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let public_key = &options["publicKey"];
    assert_eq!(public_key["rp"]["id"], "localhost", "{options}");
    assert_eq!(public_key["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(
        public_key["authenticatorSelection"]["userVerification"],
        "required"
    );
    assert_eq!(public_key["user"]["name"], "ada@example.com");
    let forged = app
        .post_form(
            "/account/passkeys",
            &[("credential", "{\"id\":\"AAAA\"}"), ("name", "Mine")],
        )
        .await;
    assert_eq!(location(&forged), "/account");
    let (_, account) = app.get_page("/account").await;
    assert!(account.contains("No passkey was added."), "{account}");
    assert!(account.contains("You have no passkeys yet."));

    // The login page's options, then a forged answer: back to the login page, not signed in.
    let visitor = browser_like_client();
    let options: serde_json::Value = visitor
        .post(app.url("/login/passkey/options"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(options["mediation"], "conditional", "{options}");
    let forged = visitor
        .post(app.url("/login/passkey"))
        .form(&[("credential", "not json"), ("next", "/status")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&forged), "/login");
    let login = page_in(&visitor, &app.url("/login")).await;
    assert!(login.contains("That passkey did not sign you in."), "{login}");
    let status = visitor.get(app.url("/status")).send().await.unwrap();
    assert!(location(&status).starts_with("/login"));
}

//! Spending verifications only on real people (issue 30): throwaway addresses refused at
//! signup, with the operators' own block and allow lists.

use onboarding::operators::{self, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD, Role};
use reqwest::StatusCode;

use crate::helpers::{TestApp, location, operator_client, page_in, spawn_app, spawn_app_with};

const THROWAWAY_MESSAGE: &str = "Please use an address you will keep";

async fn sign_up_as(app: &TestApp, email: &str) -> reqwest::Response {
    let proof = crate::helpers::solved_proof(app, &app.client).await;
    sign_up_with_proof(app, email, &proof).await
}

async fn sign_up_with_proof(app: &TestApp, email: &str, proof: &str) -> reqwest::Response {
    app.post_form(
        "/signup",
        &[
            ("first_name", "Ada"),
            ("last_name", "Lovelace"),
            ("email", email),
            ("password", "a long enough password"),
            ("altcha", proof),
        ],
    )
    .await
}

#[tokio::test]
async fn a_form_without_a_valid_proof_of_work_is_refused_and_one_without_any_is_limited() {
    let app = spawn_app().await;
    let again = "Please check it and send it again";

    // A made-up answer, and a real one sent twice: refused, nothing sent.
    let forged = sign_up_with_proof(&app, "ada@example.com", "eyJhbGdvcml0aG0iOiJTSEEtMjU2In0=").await;
    assert_eq!(location(&forged), "/signup");
    let (_, page) = app.get_page("/signup").await;
    assert!(page.contains(again), "{page}");
    let proof = crate::helpers::solved_proof(&app, &app.client).await;
    assert_eq!(
        location(&sign_up_with_proof(&app, "ada@example.com", &proof).await),
        "/signup/sent"
    );
    let replayed = sign_up_with_proof(&app, "bob@example.com", &proof).await;
    assert_eq!(location(&replayed), "/signup");
    let (_, page) = app.get_page("/signup").await;
    assert!(page.contains(again), "{page}");
    assert!(app.emails_to("bob@example.com").await.is_empty());

    // Without JavaScript there is no answer: the form works, three times per client, then waits.
    for i in 0..3 {
        let response = sign_up_with_proof(&app, &format!("plain{i}@example.com"), "").await;
        assert_eq!(location(&response), "/signup/sent", "no-JavaScript signup {i}");
    }
    let limited = sign_up_with_proof(&app, "plain3@example.com", "").await;
    assert_eq!(location(&limited), "/signup");
    let (_, page) = app.get_page("/signup").await;
    assert!(page.contains("Too many attempts"), "{page}");
    // A browser with JavaScript from the same address still signs up.
    assert_eq!(
        location(&sign_up_as(&app, "carol@example.com").await),
        "/signup/sent"
    );
}

#[tokio::test]
async fn a_throwaway_address_is_refused_with_a_plain_message_and_nothing_is_sent() {
    let app = spawn_app().await;

    let refused = sign_up_as(&app, "ada@mailinator.com").await;

    assert_eq!(location(&refused), "/signup");
    let (_, page) = app.get_page("/signup").await;
    assert!(page.contains(THROWAWAY_MESSAGE), "{page}");
    assert!(
        page.contains(r#"value="ada@mailinator.com""#),
        "the address is kept to correct"
    );
    let store = &app.services.store;
    let queued = store
        .scalar_for_tests("SELECT COUNT(*) FROM emails")
        .await
        .unwrap();
    assert_eq!(queued, 0, "no email for a throwaway address");
    // An address at a subdomain of a listed provider is refused too.
    let sub = sign_up_as(&app, "ada@eu.mailinator.com").await;
    assert_eq!(location(&sub), "/signup");
    // An ordinary address goes through.
    let fine = sign_up_as(&app, "ada@example.com").await;
    assert_eq!(location(&fine), "/signup/sent");

    // The funnel page's signals count both, by sending network (never the address).
    let signals = store.signup_signals().await.unwrap();
    assert_eq!(
        (signals.last_hour, signals.day_signups, signals.day_throwaway),
        (1, 1, 2)
    );
    assert_eq!(signals.top_networks, [("127.0.0.0/24".to_owned(), 3)]);
    let admin = operator_client(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let funnel = page_in(&admin, &app.url("/admin/funnel")).await;
    assert!(funnel.contains("Signups in the last hour"), "{funnel}");
    assert!(funnel.contains("127.0.0.0/24"), "{funnel}");
}

#[tokio::test]
async fn admins_block_and_allow_domains_and_every_change_is_audited() {
    let app = spawn_app().await;
    let admin = operator_client(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let rule = |domain: &'static str, rule: &'static str| {
        admin
            .post(app.url("/admin/email-domains"))
            .form(&[("domain", domain), ("rule", rule)])
            .send()
    };

    // Not a domain: said so, nothing kept.
    let bad = rule("not a domain", "block").await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("Enter a domain name"));

    // A blocked domain, and the domains under it, are refused at signup.
    rule("Spam.Example", "block").await.unwrap();
    assert_eq!(location(&sign_up_as(&app, "ada@spam.example").await), "/signup");
    assert_eq!(
        location(&sign_up_as(&app, "ada@mail.spam.example").await),
        "/signup"
    );
    let (_, page) = app.get_page("/signup").await;
    assert!(page.contains(THROWAWAY_MESSAGE), "{page}");

    // An allowed domain is accepted even though the maintained list refuses it.
    rule("ada@mailinator.com", "allow").await.unwrap();
    assert_eq!(
        location(&sign_up_as(&app, "ada@mailinator.com").await),
        "/signup/sent"
    );

    let page = page_in(&admin, &app.url("/admin/email-domains")).await;
    assert!(page.contains("spam.example"), "{page}");
    assert!(page.contains("Allowed (the list refuses it)"), "{page}");

    // Removing the rule gives the domain back to the list.
    let removed = admin
        .post(app.url("/admin/email-domains/remove"))
        .form(&[("domain", "mailinator.com")])
        .send()
        .await
        .unwrap();
    assert!(removed.status().is_success() || removed.status().is_redirection());
    assert_eq!(location(&sign_up_as(&app, "bob@mailinator.com").await), "/signup");

    let audit = page_in(&admin, &app.url("/admin/audit")).await;
    for action in [
        "blocked an email domain",
        "allowed an email domain",
        "removed an email domain rule",
    ] {
        assert!(audit.contains(action), "{action}: {audit}");
    }
}

#[tokio::test]
async fn support_cannot_change_the_domain_lists() {
    let app = spawn_app().await;
    operators::create_operator(
        &app.services.store,
        "support@fintech.example",
        "a long support passphrase".to_owned(),
        Role::Support,
    )
    .await
    .unwrap();
    let support = operator_client(&app, "support@fintech.example", "a long support passphrase").await;

    let page = support.get(app.url("/admin/email-domains")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let refused = support
        .post(app.url("/admin/email-domains"))
        .form(&[("domain", "gmail.com"), ("rule", "block")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(app.services.store.domain_rules().await.unwrap().is_empty());
}

/// How many people have a verification, how many wait for the budget.
async fn verified_and_waiting(app: &TestApp) -> (i64, i64) {
    let store = &app.services.store;
    let verified = store
        .scalar_for_tests("SELECT COUNT(*) FROM users WHERE verification_url IS NOT NULL")
        .await
        .unwrap();
    let waiting = store
        .scalar_for_tests("SELECT COUNT(*) FROM users WHERE budget_held_at IS NOT NULL")
        .await
        .unwrap();
    (verified, waiting)
}

async fn wait_for_counts(app: &TestApp, want: (i64, i64)) {
    let mut last = (0, 0);
    for _ in 0..150 {
        last = verified_and_waiting(app).await;
        if last == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("verified and waiting: {last:?}, expected {want:?}");
}

#[tokio::test]
async fn past_the_daily_budget_people_wait_are_told_and_start_in_order_when_an_admin_allows_more() {
    let app = spawn_app_with(|config| config.budget.daily = Some(1)).await;

    // The first one gets their verification as usual.
    app.sign_up("ada@example.com").await;
    wait_for_counts(&app, (1, 0)).await;
    // The next ones keep their account and wait, and their page says so.
    let mut browsers = Vec::new();
    for (name, email) in [("Bob", "bob@example.com"), ("Cy", "cy@example.com")] {
        let browser = crate::helpers::browser_like_client();
        crate::helpers::sign_up_in(&app, &browser, name, email, "correct horse battery").await;
        browsers.push(browser);
    }
    wait_for_counts(&app, (1, 2)).await;
    let page = page_in(&browsers[0], &app.url("/status")).await;
    assert!(page.contains("You're on the list"), "{page}");
    assert!(page.contains("We'll email you when you can start"), "{page}");
    assert!(
        !page.contains(r#"action="/verification/start""#),
        "no button that cannot work"
    );
    // Pressing start anyway (an old tab) leads back to the same page, and creates nothing.
    let started = browsers[0]
        .post(app.url("/verification/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&started), "/status");
    assert_eq!(verified_and_waiting(&app).await, (1, 2));

    // The admins are told once, however many wait.
    let alert = app
        .wait_for_email(DEMO_OPERATOR_EMAIL, "verification budget is used up")
        .await;
    assert!(alert.body.contains("/admin/funnel"), "{}", alert.body);
    let alerts = app
        .emails_to(DEMO_OPERATOR_EMAIL)
        .await
        .into_iter()
        .filter(|e| e.subject.contains("budget"))
        .count();
    assert_eq!(alerts, 1);

    // The console shows the red banner and the figures; the metrics too.
    let admin = operator_client(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    let funnel = page_in(&admin, &app.url("/admin/funnel")).await;
    assert!(funnel.contains("budget-banner"), "{funnel}");
    assert!(funnel.contains("2 people wait"), "{funnel}");
    assert!(funnel.contains("1 of 1"), "{funnel}");
    let metrics = reqwest::get(app.url("/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "onboarding_verifications_created_today 1",
        "onboarding_verification_budget_left 0",
        "onboarding_verifications_waiting_for_budget 2",
    ] {
        assert!(metrics.contains(line), "{line}: {metrics}");
    }

    // "Allow 1 more today": Bob, who confirmed first, goes, and is emailed; Cy still waits.
    let allowed = admin
        .post(app.url("/admin/budget/allow"))
        .form(&[("count", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&allowed), "/admin/funnel#budget");
    wait_for_counts(&app, (2, 1)).await;
    let store = &app.services.store;
    let bob = store.user_by_email("bob@example.com").await.unwrap().unwrap();
    assert!(
        bob.verification_url.is_some(),
        "the first to wait is the first to go"
    );
    app.wait_for_email("bob@example.com", "You can start").await;
    let page = page_in(&browsers[0], &app.url("/status")).await;
    assert!(page.contains(r#"action="/verification/start""#), "{page}");
    let audit = page_in(&admin, &app.url("/admin/audit")).await;
    assert!(audit.contains("allowed more verifications today"), "{audit}");

    // Cy goes with the next grant, and the banner is gone once nobody is held back.
    admin
        .post(app.url("/admin/budget/allow"))
        .form(&[("count", "5")])
        .send()
        .await
        .unwrap();
    wait_for_counts(&app, (3, 0)).await;
    let funnel = page_in(&admin, &app.url("/admin/funnel")).await;
    assert!(!funnel.contains("budget-banner"), "{funnel}");
}

#[tokio::test]
async fn the_budget_holds_across_two_instances_and_nobody_is_lost() {
    let app = spawn_app_with(|config| config.budget.daily = Some(2)).await;
    let other = crate::helpers::spawn_instance_of(&app, onboarding::clock::Clock::system(), |config| {
        config.budget.daily = Some(2)
    })
    .await;

    // Six people confirm at once, half on each instance.
    let signups = (0..6).map(|i| {
        let instance = if i % 2 == 0 { &app } else { &other };
        async move {
            let browser = crate::helpers::browser_like_client();
            let email = format!("person{i}@example.com");
            crate::helpers::sign_up_in(instance, &browser, "Ada", &email, "correct horse battery").await;
        }
    });
    futures_util::future::join_all(signups).await;
    wait_for_counts(&app, (2, 4)).await;
    let spent = app
        .services
        .store
        .scalar_for_tests("SELECT COUNT(*) FROM users WHERE verification_spent_at IS NOT NULL")
        .await
        .unwrap();
    assert_eq!(spent, 2, "no verification past the budget");

    // When the budget opens, every waiting person is created.
    let admin = operator_client(&app, DEMO_OPERATOR_EMAIL, DEMO_OPERATOR_PASSWORD).await;
    admin
        .post(app.url("/admin/budget/allow"))
        .form(&[("count", "4")])
        .send()
        .await
        .unwrap();
    wait_for_counts(&app, (6, 0)).await;
}

//! Security headers, as a browser receives them.

use crate::helpers::spawn_app;

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn pages_carry_a_csp_whose_fresh_nonce_is_the_one_on_the_hydration_script() {
    let app = spawn_app().await;

    let first = app.client.get(app.url("/")).send().await.unwrap();
    let csp = header(&first, "content-security-policy");
    let html = first.text().await.unwrap();

    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries it"
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
    let second = app.client.get(app.url("/")).send().await.unwrap();
    assert!(
        !header(&second, "content-security-policy").contains(nonce),
        "a new nonce per page"
    );
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
    let response = app
        .post_form(
            "/signup",
            &[
                ("first_name", "Ada"),
                ("last_name", "L"),
                ("email", "ada@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    let cookie = header(&response, "set-cookie");
    assert!(cookie.starts_with("session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
}

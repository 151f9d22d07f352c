//! The applicant's language (issue 25): chosen from the account, the switcher's cookie and
//! `Accept-Language`, in that order; the switcher works as a plain form.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, SET_COOKIE};

use crate::helpers::{browser_like_client, location, page_in, spawn_app};

/// The page at `url` in `client`'s browser, which asks for `languages` (`Accept-Language`).
async fn page_in_language(client: &reqwest::Client, url: &str, languages: &str) -> String {
    let response = client
        .get(url)
        .header(ACCEPT_LANGUAGE, languages)
        .send()
        .await
        .unwrap();
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_browsers_languages_choose_the_page_language_by_quality() {
    let app = spawn_app().await;
    let client = browser_like_client();
    let get = |accept: &'static str| {
        let request = client.get(app.url("/")).header(ACCEPT_LANGUAGE, accept);
        async move { request.send().await.unwrap() }
    };
    // Twice each: the second answer comes from the cache of anonymous pages, kept per language.
    for _ in 0..2 {
        let spanish = get("es-MX,es;q=0.9,en;q=0.8").await;
        assert_eq!(spanish.headers()[CONTENT_LANGUAGE], "es");
        let page = spanish.text().await.unwrap();
        assert!(page.contains(r#"<html lang="es" dir="ltr""#), "{page}");
        assert!(page.contains("Tu tarjeta, a unos minutos"), "{page}");

        let arabic = get("en;q=0.4, ar-SA").await.text().await.unwrap();
        assert!(arabic.contains(r#"<html lang="ar" dir="rtl""#), "{arabic}");
        assert!(arabic.contains("بطاقتك على بُعد دقائق"), "{arabic}");

        let english = get("fr-FR, de;q=0.9").await.text().await.unwrap();
        assert!(english.contains(r#"<html lang="en" dir="ltr""#), "{english}");
        assert!(english.contains("Your card, a few minutes away"), "{english}");
    }
}

#[tokio::test]
async fn the_switcher_works_without_javascript_and_is_remembered() {
    let app = spawn_app().await;
    let client = browser_like_client();
    let signup = page_in(&client, &app.url("/signup")).await;
    assert!(
        signup.contains(r#"<form method="post" action="/language""#),
        "{signup}"
    );
    assert!(
        signup.contains(r#"<input type="hidden" name="next" value="/signup""#),
        "{signup}"
    );

    let switched = client
        .post(app.url("/language"))
        .form(&[("lang", "es"), ("next", "/signup")])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), "/signup");
    let cookie = switched.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("lang=es;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // The cookie outranks the browser's languages.
    let page = page_in_language(&client, &app.url("/signup"), "ar").await;
    assert!(
        page.contains("Crea tu cuenta") && page.contains(r#"lang="es""#),
        "{page}"
    );
    assert!(
        page.contains(r#"<option value="es" lang="es" selected"#),
        "{page}"
    );

    // A language we do not speak changes nothing; a foreign `next` leads home.
    let refused = client
        .post(app.url("/language"))
        .form(&[("lang", "tlh"), ("next", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&refused), "/");
    assert!(refused.headers().get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn a_signed_in_persons_choice_is_saved_on_the_account_and_follows_them() {
    let app = spawn_app().await;
    let email = "idioma@example.com";
    app.sign_up(email).await;
    let switched = app
        .post_form("/language", &[("lang", "ar"), ("next", "/status")])
        .await;
    assert_eq!(location(&switched), "/status");
    let user = app.services.store.user_by_email(email).await.unwrap().unwrap();
    assert_eq!(user.language, Some(onboarding::i18n::Lang::Ar));

    // On another device, with no cookie and an English browser: the account's choice wins once
    // they are signed in.
    let other = browser_like_client();
    let login = other
        .post(app.url("/login"))
        .form(&[("email", email), ("password", "correct horse battery")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let page = other
        .get(app.url("/"))
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()[CONTENT_LANGUAGE], "ar");
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"dir="rtl""#), "{page}");
}

/// Someone who signs up from a Spanish browser: the account keeps Spanish, and every email
/// that follows (confirmation, reminder, decision) is in Spanish.
#[tokio::test]
async fn a_spanish_signup_gets_spanish_emails_from_confirmation_to_decision() {
    use onboarding::clock::Clock;
    use reqwest::header::{HeaderMap, HeaderValue};
    let clock = Clock::manual(Clock::system().now_ms());
    let app = crate::helpers::spawn_app_with_clock(clock.clone(), |_| {}).await;
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("es-ES,es;q=0.9"));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    let email = "lucia@example.com";
    let password = "correct horse battery";
    let form = [
        ("first_name", "Lucía"),
        ("last_name", "Pérez"),
        ("email", email),
        ("password", password),
    ];
    let sent = client.post(app.url("/signup")).form(&form).send().await.unwrap();
    assert_eq!(location(&sent), "/signup/sent");
    let confirm = app.wait_for_email(email, "Confirma tu correo").await;
    assert!(confirm.body.starts_with("Hola:\n"), "{}", confirm.body);
    let token = crate::helpers::token_in(&confirm.body, &app.address, "/signup/confirm");
    let confirmed = client
        .post(app.url("/signup/confirm"))
        .form(&[("token", token.as_str()), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let user = app.services.store.user_by_email(email).await.unwrap().unwrap();
    assert_eq!(user.language, Some(onboarding::i18n::Lang::Es));

    // An hour later without starting: the first reminder, in Spanish.
    for _ in 0..100 {
        let user = app.services.store.user_by_email(email).await.unwrap().unwrap();
        if user.kyc.status == onboarding::status::ApplicationStatus::Pending {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    clock.advance(60 * 60 * 1000 + 1000);
    let reminder = app
        .wait_for_email(email, "Termina de verificar tu identidad")
        .await;
    assert!(reminder.body.starts_with("Hola, Lucía:\n"), "{}", reminder.body);
    assert!(reminder.body.contains("Sigue aquí: "), "{}", reminder.body);

    // LedgerOS's approval, dated on the app's clock (which has moved an hour past the sandbox's).
    let event = serde_json::json!({
        "id": "evt_lang_approved",
        "type": "user.application.approved",
        "createdAt": app.services.clock.now_ms(),
        "data": { "userId": app.ledger_id_of(email).await },
    });
    let accepted = app.post_webhook(&event.to_string(), None).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let decision = app.wait_for_email(email, "Identidad verificada").await;
    assert!(decision.body.contains("Buenas noticias"), "{}", decision.body);
}

/// What the server says after a form (an error it finds, a notice) is in the page's language.
#[tokio::test]
async fn the_servers_notices_and_errors_speak_the_page_language() {
    let app = spawn_app().await;
    let client = browser_like_client();
    client
        .post(app.url("/language"))
        .form(&[("lang", "es"), ("next", "/login")])
        .send()
        .await
        .unwrap();
    let refused = client
        .post(app.url("/login"))
        .form(&[
            ("email", "nadie@example.com"),
            ("password", "not the password at all"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&refused), "/login");
    let page = page_in(&client, &app.url("/login")).await;
    assert!(
        page.contains("Ese correo y esa contraseña no coinciden con ninguna cuenta"),
        "{page}"
    );
    let arabic = browser_like_client();
    let forgot = arabic
        .post(app.url("/password/forgot"))
        .header(ACCEPT_LANGUAGE, "ar")
        .form(&[("email", "someone@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&forgot), "/password/forgot");
    let page = page_in_language(&arabic, &app.url("/password/forgot"), "ar").await;
    assert!(page.contains("يعمل الرابط لمدة"), "{page}");
}

/// A form's errors come back in the language of the page it was sent from.
#[tokio::test]
async fn form_errors_are_in_the_page_language() {
    let app = spawn_app().await;
    let client = browser_like_client();
    let form = [
        ("first_name", ""),
        ("last_name", "Pérez"),
        ("email", "no-es-un-correo"),
        ("password", "corta"),
    ];
    let refused = client
        .post(app.url("/signup"))
        .header(ACCEPT_LANGUAGE, "es")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&refused), "/signup");
    let page = page_in_language(&client, &app.url("/signup"), "es").await;
    assert!(page.contains("Corrige lo siguiente"), "{page}");
    assert!(page.contains("Escribe tu nombre."), "{page}");
    assert!(
        page.contains("Escribe un correo electrónico como nombre@ejemplo.com."),
        "{page}"
    );
    assert!(page.contains("Usa al menos 12 caracteres."), "{page}");
}

/// LedgerOS's hosted page (the sandbox) opens in the person's language: the app names it in
/// the link, and the page keeps it for the steps that follow, whatever the browser says.
#[tokio::test]
async fn the_hosted_page_speaks_the_persons_language() {
    let app = spawn_app().await;
    app.sign_up("hosted@example.com").await;
    app.post_form("/language", &[("lang", "ar"), ("next", "/status")])
        .await;
    let start = app.post_form("/verification/start", &[]).await;
    assert!(location(&start).ends_with("?lang=ar"), "{}", location(&start));
    let first = page_in_language(&app.client, &location(&start), "en").await;
    assert!(first.contains(r#"<html lang="ar" dir="rtl">"#), "{first}");
    // Numbers in Arabic-Indic digits, each isolated for the right-to-left text.
    assert!(
        first.contains("الخطوة \u{2068}١\u{2069} من \u{2068}٤\u{2069}"),
        "{first}"
    );

    // The steps that follow, without the parameter and from an English browser: still Arabic.
    let page = crate::helpers::hosted_page(&start);
    let empty = app
        .client
        .post(format!("{page}/personal"))
        .header(ACCEPT_LANGUAGE, "en")
        .form(&[("first_name", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // (Without the marks that isolate a variable's text, as above.)
    let errors = empty.text().await.unwrap().replace(['\u{2068}', '\u{2069}'], "");
    assert!(errors.contains("اكتب اسمك الأول القانوني"), "{errors}");
    assert!(errors.contains("<title>خطأ: المعلومات الشخصية"), "{errors}");

    // A link the page does not know answers in the browser's language.
    let unknown = page_in_language(
        &app.client,
        &format!("{}/verify/nope", app.sandbox.base_url()),
        "es-MX,es;q=0.9",
    )
    .await;
    assert!(
        unknown.contains("Este enlace de verificación no es válido"),
        "{unknown}"
    );
}

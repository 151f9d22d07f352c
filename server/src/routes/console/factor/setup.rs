//! Setting a second factor up: the one-time link, the setup page (a passkey or an
//! authenticator app) and the recovery codes shown once.

use super::*;

/// `GET /admin/setup/{token}`: a setup link. Opening it changes nothing (a chat app's preview
/// must not use it up); the button does.
pub(super) async fn setup_link(Path(token): Path<String>) -> Response {
    let well_formed = onboarding::tokens::is_well_formed(&token);
    let action = format!("/admin/setup/{}", if well_formed { token.as_str() } else { "" });
    let body = view! {
        <div class="narrow">
            <h1>"Set up your console sign-in"</h1>
            <p class="lead">"This one-time link lets you set up your second factor: a passkey (your phone, laptop or security key) or an authenticator app. You need your password too."</p>
            <form method="post" action=action class="form">
                <button type="submit" class="button button-block">"Continue"</button>
            </form>
        </div>
    };
    page(StatusCode::OK, "Set up your sign-in", None, None, body)
}

/// `POST /admin/setup/{token}`: uses the link; the operator logs in (if they haven't) and sets
/// up their factor within 30 minutes.
pub(super) async fn use_setup_link(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
) -> Response {
    let used = if onboarding::tokens::is_well_formed(&token) {
        state
            .services
            .store
            .use_setup_link(&onboarding::tokens::digest(&token))
            .await
    } else {
        Ok(None)
    };
    let operator = match used {
        Ok(Some(operator)) => operator,
        Ok(None) => {
            let body = view! {
                <div class="narrow">
                    <h1>"This setup link no longer works"</h1>
                    <p class="lead">"It was used already, or it is more than 72 hours old. Ask an admin for a new one: they make it on the Operators page (or with "<code>"server admin reset-factor"</code>")."</p>
                    <p><a href="/admin/login">"Operator login"</a></p>
                </div>
            };
            return page(StatusCode::GONE, "Link no longer works", None, None, body);
        }
        Err(e) => return unavailable(e),
    };
    let grant = SetupGrant {
        operator: operator.clone(),
        until: state.services.clock.now_ms() + SETUP_GRANT_MS,
    };
    if let Err(e) = session.insert(SETUP_GRANT, grant).await {
        tracing::error!(error = %e, "console: could not keep a setup grant");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let _ = state
        .services
        .store
        .audit(Some(&operator), "opened their setup link", None, "")
        .await;
    let signed_in_as: Option<OperatorLogin> = session.get(OPERATOR_KEY).await.ok().flatten();
    if signed_in_as.is_some_and(|login| login.id == operator) {
        return Redirect::to("/admin/2fa/setup").into_response();
    }
    Redirect::to("/admin/login?next=%2Fadmin%2F2fa%2Fsetup").into_response()
}

/// Whether `given` may add a factor now: with a setup link's grant, or with a second factor
/// given in the last five minutes.
pub(super) async fn may_set_up(state: &AppState, given: &PasswordGiven) -> bool {
    let now = state.services.clock.now_ms();
    grant_for(&given.session, &given.record.id, now).await
        || given
            .login
            .factor_at
            .is_some_and(|at| now - at <= super::super::STEP_UP_MS)
}

/// `GET /admin/2fa/setup`: add a passkey or an authenticator app.
pub(super) async fn setup_page(State(state): State<AppState>, given: PasswordGiven) -> Response {
    setup_view(&state, &given, StatusCode::OK, None).await
}

pub(super) async fn setup_view(
    state: &AppState,
    given: &PasswordGiven,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    if !may_set_up(state, given).await {
        if given.login.factor_at.is_some() {
            let back = "/admin/2fa/setup";
            let _ = given
                .session
                .insert(
                    super::super::NOTICE_KEY,
                    "To add a factor, confirm it's you first.",
                )
                .await;
            return Redirect::to(&format!(
                "/admin/2fa?again=1&next={}",
                super::super::encode_query_value(back)
            ))
            .into_response();
        }
        return Redirect::to("/admin/2fa").into_response();
    }
    let email = given.record.email.clone();
    // The app's secret stays the same across reloads until a code confirms it.
    let pending: Option<String> = given.session.get(TOTP_PENDING).await.ok().flatten();
    let secret = pending.unwrap_or_else(second_factor::new_secret);
    if let Err(e) = given.session.insert(TOTP_PENDING, &secret).await {
        tracing::error!(error = %e, "console: could not keep a pending secret");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let qr = second_factor::qr_svg(&secret, &email).unwrap_or_default();
    let owner = PasskeyOwner::Operator(given.record.id.clone());
    let existing = match state.services.store.passkeys_of(&owner).await {
        Ok(rows) => rows,
        Err(e) => return unavailable(e),
    };
    let passkey_options = state.passkeys.as_ref().and_then(|site| {
        let handle = onboarding::passkeys::handle_for(&existing);
        match site.start_registration(&handle, &email, &email, &existing, false) {
            Ok((options, ceremony)) => Some((options, ceremony, handle)),
            Err(e) => {
                tracing::warn!(error = %e, "console: could not start a passkey registration");
                None
            }
        }
    });
    let passkey_form = match passkey_options {
        Some((options, ceremony, handle)) => {
            if let Err(e) = given
                .session
                .insert(PASSKEY_REGISTRATION, (ceremony, handle))
                .await
            {
                tracing::warn!(error = %e, "console: could not keep a passkey ceremony");
            }
            Some(options)
        }
        None => None,
    };
    let grouped: String = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let invalid = error.is_some();
    let no_passkeys = state.passkeys.is_none();
    let body = view! {
        <h1>"Set up your second factor"</h1>
        <p class="lead">"After your password, the console asks for this every time you log in, and again before sensitive actions. Set up at least one; both is better."</p>
        {error.map(|e| view! { <p class="field-error" role="alert" id="setup-error">{e}</p> })}
        {passkey_form.map(|options| view! {
            <section class="factor-card" aria-labelledby="passkey-heading">
                <h2 id="passkey-heading">"A passkey (recommended)"</h2>
                <p>"Your phone, your laptop's fingerprint or face unlock, or a security key. Nothing to type, and it cannot be phished."</p>
                <form method="post" action="/admin/2fa/setup/passkey" class="form" data-passkey="register" data-options=options hidden>
                    <input type="hidden" name="credential" value="" />
                    <div class="field">
                        <label for="field-passkey-name">"Name it (optional)"</label>
                        <input id="field-passkey-name" name="name" type="text" maxlength="60" autocomplete="off" placeholder="Work laptop" />
                    </div>
                    <p class="field-error" role="alert" data-passkey-error hidden>"No passkey was added. Try again, or use an authenticator app below."</p>
                    <button type="submit" class="button">"Add a passkey"</button>
                </form>
                <noscript><p class="muted">"Passkeys need JavaScript in this browser; use an authenticator app below instead."</p></noscript>
            </section>
        })}
        {no_passkeys.then(|| view! {
            <p class="muted">"Passkeys are off on this address (they need a domain name, not an IP address): use an authenticator app."</p>
        })}
        <section class="factor-card" aria-labelledby="app-heading">
            <h2 id="app-heading">"An authenticator app"</h2>
            <p>"Scan this code with an app such as Google Authenticator, Microsoft Authenticator, 1Password or Authy, then type the six digits it shows."</p>
            <div class="qr-code" role="img" aria-label="QR code to scan with your authenticator app" inner_html=qr></div>
            <p>"Can't scan? Type this key into the app instead: " <code class="secret-key" data-totp-secret=secret.clone()>{grouped}</code></p>
            <form method="post" action="/admin/2fa/setup/totp" class="form" novalidate>
                <div class="field" class:field-invalid=invalid>
                    <label for="field-code">"The six digits your app shows"</label>
                    <input id="field-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required=true
                        aria-invalid=if invalid { "true" } else { "false" } />
                </div>
                <button type="submit" class="button">"Use this app"</button>
            </form>
        </section>
    };
    page_with_passkeys(status, "Set up your second factor", None, None, body)
}

#[derive(serde::Deserialize)]
pub(super) struct SetupCode {
    #[serde(default)]
    code: String,
}

/// `POST /admin/2fa/setup/totp`: the app's first code confirms its secret.
pub(super) async fn setup_totp(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    given: PasswordGiven,
    Form(form): Form<SetupCode>,
) -> Response {
    if !may_set_up(&state, &given).await {
        return Redirect::to("/admin/2fa").into_response();
    }
    if let Some(message) = too_many_tries(&state, client, &given.record.id).await {
        return setup_view(&state, &given, StatusCode::TOO_MANY_REQUESTS, Some(message)).await;
    }
    let pending: Option<String> = given.session.get(TOTP_PENDING).await.ok().flatten();
    let now = state.services.clock.now_ms();
    let step = pending
        .as_deref()
        .and_then(|secret| second_factor::step_of(secret, &form.code, now).map(|step| (secret, step)));
    let Some((secret, step)) = step else {
        note_refusal(&state, &given.record.id, "a code while setting up an app").await;
        let message = "That is not the code your app shows now. Check that you scanned the code on this page, then type the six digits showing now.".to_owned();
        return setup_view(&state, &given, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
    };
    if let Err(e) = state
        .services
        .store
        .save_totp(&given.record.id, secret, step)
        .await
    {
        return unavailable(e);
    }
    let _ = given.session.remove::<String>(TOTP_PENDING).await;
    factor_added(&state, &given, "an authenticator app").await
}

/// `POST /admin/2fa/setup/passkey`: the browser's new passkey.
pub(super) async fn setup_passkey(
    State(state): State<AppState>,
    given: PasswordGiven,
    headers: axum::http::HeaderMap,
    Form(form): Form<CredentialForm>,
) -> Response {
    if !may_set_up(&state, &given).await {
        return Redirect::to("/admin/2fa").into_response();
    }
    let ceremony: Option<(PasskeyRegistration, String)> =
        given.session.remove(PASSKEY_REGISTRATION).await.ok().flatten();
    let (Some(site), Some((ceremony, handle))) = (&state.passkeys, ceremony) else {
        let message = "That passkey setup had expired. Try again.".to_owned();
        return setup_view(&state, &given, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
    };
    let (id, passkey) = match site.finish_registration(&form.credential, &ceremony) {
        Ok(done) => done,
        Err(e) => {
            tracing::info!(operator = %given.record.id, error = %e, "console: a passkey registration was refused");
            let message = "No passkey was added: your browser's answer was not accepted. Try again, or use an authenticator app.".to_owned();
            return setup_view(&state, &given, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
        }
    };
    let row = PasskeyRow {
        id,
        owner: PasskeyOwner::Operator(given.record.id.clone()),
        handle,
        name: passkey_name(&form.name, super::super::browser_family(&headers)),
        passkey,
        created_at: state.services.clock.now_ms(),
        last_used_at: None,
    };
    match state.services.store.add_passkey(&row, None).await {
        Ok(true) => factor_added(&state, &given, "a passkey").await,
        Ok(false) => {
            let message = "This passkey is registered already.".to_owned();
            setup_view(&state, &given, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await
        }
        Err(e) => unavailable(e),
    }
}

/// A factor was added: the login counts as having given it, and a first factor comes with
/// recovery codes, shown once.
pub(super) async fn factor_added(state: &AppState, given: &PasswordGiven, what: &str) -> Response {
    let store = &state.services.store;
    let _ = given.session.remove::<SetupGrant>(SETUP_GRANT).await;
    if let Err(response) = mark_factor(state, &given.session, &given.login).await {
        return response;
    }
    if let Err(e) = store
        .audit(Some(&given.record.id), "set up a second factor", None, what)
        .await
    {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
    match store.recovery_codes_left(&given.record.id).await {
        Ok(0) => issue_codes(state, &given.record, &given.session).await,
        Ok(_) => {
            let _ = given
                .session
                .insert(super::super::NOTICE_KEY, format!("Done: {what} is set up."))
                .await;
            Redirect::to("/admin/security").into_response()
        }
        Err(e) => unavailable(e),
    }
}

/// New recovery codes for `operator` (the old ones stop working), shown once.
pub(super) async fn issue_codes(
    state: &AppState,
    operator: &onboarding::operators::OperatorRecord,
    session: &Session,
) -> Response {
    let (codes, digests) = second_factor::new_recovery_codes();
    if let Err(e) = state
        .services
        .store
        .replace_recovery_codes(&operator.id, &digests)
        .await
    {
        return unavailable(e);
    }
    let _ = state
        .services
        .store
        .audit(Some(&operator.id), "made new recovery codes", None, "")
        .await;
    let _ = session;
    let items: Vec<_> = codes
        .into_iter()
        .map(|code| view! { <li><code>{code}</code></li> })
        .collect();
    let body = view! {
        <div class="narrow">
            <h1>"Save your recovery codes"</h1>
            <p class="lead">"If you lose your passkey or your phone, each of these codes opens the console once instead. This is the only time they are shown: print them, or keep them in your password manager."</p>
            <ol class="recovery-codes" aria-label="Recovery codes">{items}</ol>
            <p>"Older recovery codes of yours no longer work."</p>
            <p><a class="button" href="/admin/appeals">"I saved them: continue to the console"</a></p>
        </div>
    };
    page(StatusCode::OK, "Recovery codes", Some(operator), None, body)
}

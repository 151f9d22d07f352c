//! `/admin/2fa`: the page that asks for the second factor after the password.

use super::*;

/// `GET /admin/2fa`: the second factor, after the password (or again, before a sensitive action).
pub(super) async fn verify_page(
    State(state): State<AppState>,
    given: PasswordGiven,
    Query(query): Query<VerifyQuery>,
) -> Response {
    verify_view(&state, &given, &query, StatusCode::OK, None).await
}

pub(super) async fn verify_view(
    state: &AppState,
    given: &PasswordGiven,
    query: &VerifyQuery,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let store = &state.services.store;
    let id = &given.record.id;
    let (secret, passkeys) = match (
        store.totp_secret(id).await,
        store.passkeys_of(&PasskeyOwner::Operator(id.clone())).await,
    ) {
        (Ok(secret), Ok(passkeys)) => (secret, passkeys),
        (Err(e), _) | (_, Err(e)) => return unavailable(e),
    };
    let next = console_next(query.next.as_deref());
    if secret.is_none() && passkeys.is_empty() {
        if grant_for(&given.session, id, state.services.clock.now_ms()).await {
            return Redirect::to("/admin/2fa/setup").into_response();
        }
        return no_factor_yet(&given.record);
    }
    // A passkey first, when they have one and passkeys work here.
    let passkey_form = match (&state.passkeys, passkeys.is_empty()) {
        (Some(site), false) => match site.start_authentication(&passkeys) {
            Ok((options, ceremony)) => {
                if let Err(e) = given.session.insert(PASSKEY_AUTHENTICATION, ceremony).await {
                    tracing::warn!(error = %e, "console: could not keep a passkey ceremony");
                }
                Some(options)
            }
            Err(e) => {
                tracing::warn!(error = %e, "console: could not start a passkey sign-in");
                None
            }
        },
        _ => None,
    };
    let demo_hint = (state.mode == crate::config::Mode::Demo && given.record.email == DEMO_OPERATOR_EMAIL)
        .then(|| second_factor::code_at(DEMO_OPERATOR_TOTP_SECRET, state.services.clock.now_ms()))
        .flatten();
    let again = query.again.is_some() && given.login.factor_at.is_some();
    let has_app = secret.is_some();
    let invalid = error.is_some();
    let next_for_passkey = next.clone();
    let body = view! {
        <div class="narrow">
            <h1>{if again { "Confirm it's you" } else { "Your second factor" }}</h1>
            <p class="lead">{if again {
                "This action needs your second factor again: the last time you gave it was more than 5 minutes ago."
            } else {
                "Your password was right. One more step before the console opens, so that a stolen password alone opens nothing."
            }}</p>
            {passkey_form.map(|options| view! {
                <form method="post" action="/admin/2fa/passkey" class="form" data-passkey="authenticate" data-options=options hidden>
                    <input type="hidden" name="credential" value="" />
                    <input type="hidden" name="next" value=next_for_passkey />
                    <p class="field-error" role="alert" data-passkey-error hidden>"Your passkey was not used. Try again, or type a code below."</p>
                    <button type="submit" class="button button-block">"Use your passkey"</button>
                </form>
            })}
            <form method="post" action="/admin/2fa" class="form" novalidate>
                {error.map(|e| view! { <p class="field-error" role="alert" id="code-error">{e}</p> })}
                <input type="hidden" name="next" value=next />
                {again.then(|| view! { <input type="hidden" name="again" value="1" /> })}
                <div class="field" class:field-invalid=invalid>
                    <label for="field-code">{if has_app { "Code from your authenticator app, or a recovery code" } else { "A recovery code" }}</label>
                    <p class="field-hint" id="field-code-hint">{if has_app {
                        "Six digits (they change every 30 seconds), or one of the recovery codes you saved, like abcd-efgh-ijkl-mnop."
                    } else {
                        "If your passkey is not at hand: one of the recovery codes you saved, like abcd-efgh-ijkl-mnop."
                    }}</p>
                    <input id="field-code" name="code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required=true
                        aria-describedby=if invalid { "field-code-hint code-error" } else { "field-code-hint" }
                        aria-invalid=if invalid { "true" } else { "false" } />
                </div>
                <button type="submit" class="button button-block button-secondary">"Continue"</button>
            </form>
            {demo_hint.map(|code| view! {
                <p class="muted">"Demo mode: the demo admin's app would show " <strong>{code}</strong> " now (its secret is published in the README; never in production)."</p>
            })}
            <p class="muted">"Lost your passkey, your phone and your recovery codes? Ask another admin to reset your second factor; they give you a new setup link."</p>
            <form method="post" action="/admin/logout" class="inline-form">
                <button type="submit" class="link-button">"Log out"</button>
            </form>
        </div>
    };
    let notice = given
        .session
        .remove::<String>(super::super::NOTICE_KEY)
        .await
        .ok()
        .flatten();
    page_with_passkeys(status, "Second factor", None, notice, body)
}

pub(super) fn no_factor_yet(operator: &onboarding::operators::OperatorRecord) -> Response {
    let body = view! {
        <div class="narrow">
            <h1>"Set up your second factor first"</h1>
            <p class="lead">"Your account has no second factor yet, and the console needs one: a passkey or an authenticator app."</p>
            <p>"Open the one-time setup link an admin gave you (it comes from "<code>"server admin create"</code>" or from the Operators page). If you don't have it, or it has expired, ask an admin for a new one."</p>
            <form method="post" action="/admin/logout" class="inline-form">
                <button type="submit" class="link-button">"Log out"</button>
            </form>
        </div>
    };
    tracing::info!(operator = %operator.id, "console: an operator without a second factor and without a setup link");
    page(StatusCode::FORBIDDEN, "Second factor needed", None, None, body)
}

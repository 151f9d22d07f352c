//! `/admin/security`: an operator's own factors, new recovery codes, removing a passkey.

use super::setup::issue_codes;
use super::*;

/// `GET /admin/security`: the operator's own second factors.
pub(super) async fn security_page(State(state): State<AppState>, operator: Operator) -> Response {
    let store = &state.services.store;
    let id = &operator.record.id;
    let owner = PasskeyOwner::Operator(id.clone());
    let (secret, passkeys, left) = match (
        store.totp_secret(id).await,
        store.passkeys_of(&owner).await,
        store.recovery_codes_left(id).await,
    ) {
        (Ok(s), Ok(p), Ok(l)) => (s, p, l),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return unavailable(e),
    };
    let factors = passkeys.len() + usize::from(secret.is_some());
    let rows: Vec<_> = passkeys
        .into_iter()
        .map(|pk| {
            let last = pk
                .last_used_at
                .map_or_else(|| "never".to_owned(), onboarding::clock::time_in_words);
            view! {
                <tr>
                    <td>{pk.name.clone()}</td>
                    <td>{onboarding::clock::time_in_words(pk.created_at)}</td>
                    <td>{last}</td>
                    <td>{(factors > 1).then(|| view! {
                        <form method="post" action="/admin/security/passkeys/remove" class="inline-form">
                            <input type="hidden" name="id" value=pk.id.clone() />
                            <button type="submit" class="link-button">"Remove " <span class="visually-hidden">{pk.name.clone()}</span></button>
                        </form>
                    })}</td>
                </tr>
            }
        })
        .collect();
    let has_passkeys = !rows.is_empty();
    let body = view! {
        <h1>"Your sign-in"</h1>
        <p class="lead">"Your password, then one of these second factors, every time you log in."</p>
        <h2>"Passkeys"</h2>
        {if has_passkeys {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Your passkeys">
                    <table class="info-table">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Added"</th><th scope="col">"Last used"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        } else {
            view! { <p>"None yet."</p> }.into_any()
        }}
        <h2>"Authenticator app"</h2>
        <p>{if secret.is_some() { "Set up." } else { "Not set up." }}</p>
        <p><a class="button button-secondary" href="/admin/2fa/setup">"Add a passkey or an app"</a></p>
        <h2>"Recovery codes"</h2>
        <p>{format!("{left} of 10 unused.")}</p>
        <form method="post" action="/admin/security/codes" class="form">
            <button type="submit" class="button button-secondary">"Make new recovery codes"</button>
        </form>
    };
    let notice = operator.take_notice().await;
    page(
        StatusCode::OK,
        "Your sign-in",
        Some(&operator.record),
        notice,
        body,
    )
}

/// `POST /admin/security/codes`: new recovery codes (after the second factor again).
pub(super) async fn new_codes(State(state): State<AppState>, operator: Operator) -> Response {
    if !operator.factor_is_fresh(state.services.clock.now_ms()) {
        return operator.step_up("/admin/security").await;
    }
    issue_codes(&state, &operator.record, &operator.session).await
}

#[derive(serde::Deserialize)]
pub(super) struct Which {
    #[serde(default)]
    id: String,
}

/// `POST /admin/security/passkeys/remove` (its id in the form, not in the logged path):
/// removes one of their passkeys, never their last factor.
pub(super) async fn remove_passkey(
    State(state): State<AppState>,
    operator: Operator,
    Form(Which { id }): Form<Which>,
) -> Response {
    if !operator.factor_is_fresh(state.services.clock.now_ms()) {
        return operator.step_up("/admin/security").await;
    }
    let store = &state.services.store;
    let owner = PasskeyOwner::Operator(operator.record.id.clone());
    let (secret, passkeys) = match (
        store.totp_secret(&operator.record.id).await,
        store.passkeys_of(&owner).await,
    ) {
        (Ok(s), Ok(p)) => (s, p),
        (Err(e), _) | (_, Err(e)) => return unavailable(e),
    };
    if secret.is_none() && passkeys.len() <= 1 {
        operator
            .leave_notice("This is your only second factor: add another one before you remove it.")
            .await;
        return Redirect::to("/admin/security").into_response();
    }
    match store.remove_passkey(&owner, &id).await {
        Ok(true) => {
            let _ = store
                .audit(Some(&operator.record.id), "removed a passkey", None, "")
                .await;
            operator.leave_notice("Passkey removed.").await;
        }
        Ok(false) => operator.leave_notice("That passkey was removed already.").await,
        Err(e) => return unavailable(e),
    }
    Redirect::to("/admin/security").into_response()
}

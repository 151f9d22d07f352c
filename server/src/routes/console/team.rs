//! The audit log (every operator action) and, for admins, the operators.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use leptos::prelude::*;
use onboarding::clock::time_in_words;
use onboarding::operators::{self, OperatorError, Role};
use onboarding::store::AuditQuery;

use super::{Admin, Operator, page, unavailable};
use crate::state::AppState;
use onboarding::store::OperatorId;

/// How many lines of the audit log the page shows.
const AUDIT_PAGE: i64 = 200;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(audit))
        .route("/admin/operators", get(operators_page).post(create))
        .route(
            "/admin/operators/{id}/reset-factor",
            axum::routing::post(reset_factor),
        )
}

#[derive(serde::Deserialize, Default)]
struct AuditFilter {
    /// An operator's email ("" or absent: everyone).
    #[serde(default)]
    operator: String,
    /// An applicant's id ("" or absent: everyone).
    #[serde(default)]
    applicant: String,
}

/// `GET /admin/audit`: what operators did and looked at, newest first; by operator, by
/// applicant. Each line about an applicant names them, linked to their page.
async fn audit(
    State(state): State<AppState>,
    operator: Operator,
    Query(filter): Query<AuditFilter>,
) -> Response {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let query = AuditQuery {
        operator: some(&filter.operator),
        subject: some(&filter.applicant),
        limit: AUDIT_PAGE,
    };
    let (entries, operators) = match (
        state.services.store.audit_log(&query).await,
        state.services.store.operators().await,
    ) {
        (Ok(entries), Ok(operators)) => (entries, operators),
        (Err(e), _) | (_, Err(e)) => return unavailable(e),
    };
    let empty = entries.is_empty();
    let rows: Vec<_> = entries
        .into_iter()
        .map(|e| {
            let about = match (&e.applicant, &e.subject) {
                (Some((name, email)), Some(id)) => view! {
                    <a href=format!("/admin/applicants/{id}")>{name.clone()}</a> " " <span class="muted">{email.clone()}</span>
                }
                .into_any(),
                (None, Some(subject)) => view! { <span>{subject.clone()}</span> }.into_any(),
                _ => view! { <span></span> }.into_any(),
            };
            view! {
                <tr>
                    <td>{time_in_words(e.at)}</td>
                    <td>{e.operator.unwrap_or_else(|| "the system".to_owned())}</td>
                    <td>{e.action}</td>
                    <td>{about} " " <span class="muted">{e.detail}</span></td>
                    <td>{e.client.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect();
    let chosen = query.operator.clone().unwrap_or_default();
    let options: Vec<_> = operators
        .into_iter()
        .map(|op| {
            let selected = op.email == chosen;
            view! { <option value=op.email.clone() selected=selected>{op.email.clone()}</option> }
        })
        .collect();
    let applicant = query.subject.clone();
    let body = view! {
        <h1>"Audit log"</h1>
        <p class="lead">"Every operator action and every look at an applicant's data, newest first (the latest " {AUDIT_PAGE} "). Nothing here can be edited or deleted from the console."</p>
        <form method="get" action="/admin/audit" class="form filter-form">
            <div class="field">
                <label for="audit-operator">"Operator"</label>
                <select id="audit-operator" name="operator">
                    <option value="">"Everyone"</option>
                    {options}
                </select>
            </div>
            {applicant.clone().map(|id| view! { <input type="hidden" name="applicant" value=id /> })}
            <button type="submit" class="button button-secondary">"Show"</button>
            {applicant.map(|_| view! { " " <a href="/admin/audit">"Every applicant"</a> })}
        </form>
        {if empty {
            view! { <p>"Nothing yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Audit log">
                    <table class="info-table">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"About"</th><th scope="col">"From"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    };
    let notice = operator.take_notice().await;
    page(StatusCode::OK, "Audit log", Some(&operator.record), notice, body)
}

/// `GET /admin/operators` (admins): the operators and a form to add one.
async fn operators_page(State(state): State<AppState>, Admin(admin): Admin) -> Response {
    operators_view(&state, &admin, StatusCode::OK, "", None).await
}

async fn operators_view(
    state: &AppState,
    admin: &Operator,
    status: StatusCode,
    email: &str,
    error: Option<String>,
) -> Response {
    let all = match state.services.store.operators().await {
        Ok(all) => all,
        Err(e) => return unavailable(e),
    };
    let rows: Vec<_> = all
        .into_iter()
        .map(|o| {
            let me = o.id == admin.record.id;
            let action = format!("/admin/operators/{}/reset-factor", o.id.0);
            view! {
                <tr>
                    <td>{o.email.clone()}</td><td>{o.role.as_str()}</td><td>{time_in_words(o.created_at)}</td>
                    <td>{if me {
                        view! { <span class="muted">"You (another admin can reset yours)"</span> }.into_any()
                    } else {
                        view! {
                            <form method="post" action=action class="inline-form">
                                <button type="submit" class="link-button">"Reset second factor" <span class="visually-hidden">{format!(" of {}", o.email)}</span></button>
                            </form>
                        }.into_any()
                    }}</td>
                </tr>
            }
        })
        .collect();
    let invalid = error.is_some();
    let email = email.to_owned();
    let body = view! {
        <h1>"Operators"</h1>
        <p class="lead">"Support can read applicants, answer appeals and refresh a status. Admins can also replay webhooks and add operators. Everyone signs in with a password and a second factor (a passkey or an authenticator app)."</p>
        <p>"Resetting someone's second factor removes their passkeys, app and recovery codes, and gives you a new one-time setup link for them. Use it when they lost their devices; check it is really them first."</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Operators">
            <table class="info-table">
                <thead><tr><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Added"</th><th scope="col">"Second factor"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <form method="post" action="/admin/operators" class="form" novalidate>
            <h2>"Add an operator"</h2>
            {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <div class="field" class:field-invalid=invalid>
                <label for="field-email">"Work email"</label>
                <input id="field-email" name="email" type="email" autocomplete="off" required=true value=email />
            </div>
            <div class="field">
                <label for="field-password">"First password"</label>
                <p class="field-hint" id="field-password-hint">"At least 12 characters. Give it to them in person or by phone, not by email. You get a one-time setup link for their second factor next."</p>
                <input id="field-password" name="password" type="password" autocomplete="new-password" required=true aria-describedby="field-password-hint" />
            </div>
            <div class="field">
                <label for="field-role">"Role"</label>
                <select id="field-role" name="role">
                    <option value="support" selected=true>"Support"</option>
                    <option value="admin">"Admin"</option>
                </select>
            </div>
            <button type="submit" class="button">"Add operator"</button>
        </form>
    };
    let notice = admin.take_notice().await;
    page(status, "Operators", Some(&admin.record), notice, body)
}

#[derive(serde::Deserialize)]
struct NewOperatorForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/operators` (admins): adds an operator.
async fn create(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Form(form): Form<NewOperatorForm>,
) -> Response {
    if !admin.factor_is_fresh(state.services.clock.now_ms()) {
        return admin.step_up("/admin/operators").await;
    }
    let Some(role) = Role::parse(&form.role) else {
        let problem = Some("Choose a role: support or admin.".to_owned());
        return operators_view(
            &state,
            &admin,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.email,
            problem,
        )
        .await;
    };
    match operators::create_operator(&state.services.store, &form.email, form.password, role).await {
        Ok(id) => {
            let detail = format!("role {}", role.as_str());
            if let Err(e) = state
                .services
                .store
                .audit(Some(&admin.record.id), "added an operator", Some(&id.0), &detail)
                .await
            {
                tracing::warn!(error = %e, "console: could not write the audit log");
            }
            let now = state.services.clock.now_ms();
            match onboarding::second_factor::new_setup_link(&state.services.store, &id, now).await {
                Ok(token) => setup_link_page(&state, &admin, &form.email, &token, "Operator added"),
                Err(e) => unavailable(e),
            }
        }
        Err(OperatorError::Invalid(problem)) => {
            operators_view(
                &state,
                &admin,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form.email,
                Some(problem),
            )
            .await
        }
        Err(OperatorError::EmailTaken) => {
            let problem = Some("This email already has an operator account.".to_owned());
            operators_view(
                &state,
                &admin,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form.email,
                problem,
            )
            .await
        }
        Err(OperatorError::Store(e)) => unavailable(e),
    }
}

/// A one-time setup link, shown once to the admin who made it.
fn setup_link_page(
    state: &AppState,
    admin: &Operator,
    email: &str,
    token: &str,
    title: &'static str,
) -> Response {
    let link = format!("{}/admin/setup/{token}", state.public_url.trim_end_matches('/'));
    let email = email.trim().to_lowercase();
    let hours = onboarding::second_factor::SETUP_LINK_HOURS;
    let body = view! {
        <div class="narrow">
            <h1>{title}</h1>
            <p class="lead">"Give " <strong>{email}</strong> " this one-time link, with their password, by a channel you trust. It sets up their second factor (a passkey or an authenticator app); until they use it, they cannot open the console."</p>
            <p><code class="setup-link">{link}</code></p>
            <p class="muted">{format!("It works once, for {hours} hours. It is not shown again: if it gets lost, reset their second factor for a new one.")}</p>
            <p><a href="/admin/operators">"Back to the operators"</a></p>
        </div>
    };
    page(StatusCode::OK, title, Some(&admin.record), None, body)
}

/// `POST /admin/operators/{id}/reset-factor` (admins, never their own): removes another
/// operator's second factors and shows a new setup link for them.
async fn reset_factor(
    State(state): State<AppState>,
    Admin(admin): Admin,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    if !admin.factor_is_fresh(state.services.clock.now_ms()) {
        return admin.step_up("/admin/operators").await;
    }
    let id = OperatorId(id);
    if id == admin.record.id {
        admin
            .leave_notice("You cannot reset your own second factor: another admin can (or the command line, server admin reset-factor).")
            .await;
        return Redirect::to("/admin/operators").into_response();
    }
    let target = match state.services.store.operator(&id).await {
        Ok(Some(target)) => target,
        Ok(None) => {
            admin.leave_notice("There is no such operator.").await;
            return Redirect::to("/admin/operators").into_response();
        }
        Err(e) => return unavailable(e),
    };
    let now = state.services.clock.now_ms();
    match onboarding::second_factor::reset(&state.services.store, &id, Some(&admin.record.id), now).await {
        Ok(token) => {
            tracing::info!(operator = %id, by = %admin.record.id, "console: a second factor was reset");
            setup_link_page(&state, &admin, &target.email, &token, "Second factor reset")
        }
        Err(e) => unavailable(e),
    }
}

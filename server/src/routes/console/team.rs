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

/// How many lines of the audit log the page shows.
const AUDIT_PAGE: i64 = 200;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(audit))
        .route("/admin/operators", get(operators_page).post(create))
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
            view! {
                <tr><td>{o.email}</td><td>{o.role.as_str()}</td><td>{time_in_words(o.created_at)}</td></tr>
            }
        })
        .collect();
    let invalid = error.is_some();
    let email = email.to_owned();
    let body = view! {
        <h1>"Operators"</h1>
        <p class="lead">"Support can read applicants, answer appeals and refresh a status. Admins can also replay webhooks and add operators."</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Operators">
            <table class="info-table">
                <thead><tr><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Added"</th></tr></thead>
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
                <p class="field-hint" id="field-password-hint">"At least 12 characters. Give it to them in person or by phone, not by email."</p>
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
            admin
                .leave_notice("Operator added. They can log in at /admin now.")
                .await;
            Redirect::to("/admin/operators").into_response()
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

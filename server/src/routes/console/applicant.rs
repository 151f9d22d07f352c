//! One applicant: who they are, where they stand, everything that happened to them (ours and
//! LedgerOS's side), and what support can do: read the status from LedgerOS now, send the
//! verification link again, turn reminders off.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use leptos::prelude::*;
use onboarding::clock::time_in_words;
use onboarding::email::templates;
use onboarding::kyc::StatusSource;
use onboarding::store::{UserId, UserRecord};
use onboarding::verification::{self, VerificationError};

use super::{Operator, age_in_words, page, unavailable};
use crate::client_ip::ClientIp;
use crate::state::AppState;

/// The window of "viewed by staff N times".
const VIEWS_WINDOW_MS: i64 = 30 * 24 * 60 * 60 * 1000;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/applicants/{id}", get(show))
        .route("/admin/applicants/{id}/refresh", post(refresh))
        .route("/admin/applicants/{id}/resend-link", post(resend_link))
        .route("/admin/applicants/{id}/reminders-off", post(reminders_off))
}

/// The applicant, or the console's 404 page.
async fn applicant(state: &AppState, operator: &Operator, id: String) -> Result<UserRecord, Response> {
    match state.services.store.user(&UserId(id)).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => {
            let body = view! {
                <h1>"No such applicant"</h1>
                <p><a href="/admin/applicants">"Back to the applicants"</a></p>
            };
            Err(page(
                StatusCode::NOT_FOUND,
                "No such applicant",
                Some(&operator.record),
                None,
                body,
            ))
        }
        Err(e) => Err(unavailable(e)),
    }
}

/// `GET /admin/applicants/{id}`.
async fn show(
    State(state): State<AppState>,
    operator: Operator,
    ClientIp(client): ClientIp,
    Path(id): Path<String>,
) -> Response {
    let user = match applicant(&state, &operator, id).await {
        Ok(user) => user,
        Err(page) => return page,
    };
    operator
        .record_view(&state, "viewed the applicant", &user.id.0, client)
        .await;
    let timeline = match state.services.store.applicant_timeline(&user).await {
        Ok(timeline) => timeline,
        Err(e) => return unavailable(e),
    };
    let now = state.services.clock.now_ms();
    // Admins see how often staff looked (this view included), with a link to each look.
    let views = if operator.record.role == onboarding::operators::Role::Admin {
        match state
            .services
            .store
            .views_of(&user.id.0, now - VIEWS_WINDOW_MS)
            .await
        {
            Ok(n) => Some(n),
            Err(e) => return unavailable(e),
        }
    } else {
        None
    };
    let name = format!("{} {}", user.first_name, user.last_name);
    let base = format!("/admin/applicants/{}", user.id.0);
    let lines: Vec<_> = timeline
        .into_iter()
        .rev()
        .map(|entry| {
            view! {
                <li>
                    <p class="timeline-when">{time_in_words(entry.at)}</p>
                    <p class="timeline-what">{entry.what}</p>
                    {(!entry.detail.is_empty()).then(|| view! { <p class="muted">{entry.detail}</p> })}
                    {entry.raw.map(|raw| view! { <details><summary>"Raw body"</summary><pre class="raw">{raw}</pre></details> })}
                </li>
            }
        })
        .collect();
    let body = view! {
        <p><a href="/admin/applicants">"← Applicants"</a></p>
        <h1>{name.clone()}</h1>
        <table class="info-table">
            <tbody>
                <tr><th scope="row">"Email"</th><td>{user.email.clone()}</td></tr>
                <tr><th scope="row">"Language"</th><td>{super::language_in_words(user.language)}</td></tr>
                <tr><th scope="row">"Status"</th><td>{user.kyc.status.label()} " (" <code>{user.kyc.status.as_str().to_owned()}</code> "), for " {age_in_words(user.status_changed_at, now)}</td></tr>
                {(!user.kyc.required_fields.is_empty()).then(|| view! { <tr><th scope="row">"LedgerOS asks for"</th><td>{user.kyc.required_fields.join(", ")}</td></tr> })}
                {user.denial_reason.clone().map(|r| view! { <tr><th scope="row">"LedgerOS's reason"</th><td>{r}</td></tr> })}
                <tr><th scope="row">"LedgerOS id"</th><td><code>{user.ledger_user_id.clone().unwrap_or_else(|| "not created yet".to_owned())}</code></td></tr>
                <tr><th scope="row">"Last read from LedgerOS"</th><td>{user.confirmed_at.map(time_in_words).unwrap_or_else(|| "never".to_owned())}</td></tr>
                <tr><th scope="row">"Reminders"</th><td>{if user.reminders_off { "off" } else { "on" }}</td></tr>
                <tr><th scope="row">"Signed up"</th><td>{time_in_words(user.created_at)}</td></tr>
                {views.map(|n| view! {
                    <tr><th scope="row">"Viewed by staff"</th><td>
                        {format!("{n} time{} in 30 days", if n == 1 { "" } else { "s" })} " · "
                        <a href=format!("/admin/audit?applicant={}", user.id.0)>"who and when"</a>
                    </td></tr>
                })}
            </tbody>
        </table>
        <section aria-labelledby="actions-heading" class="panel">
            <h2 id="actions-heading">"Actions"</h2>
            <div class="actions">
                <form method="post" action=format!("{base}/refresh") class="inline-form">
                    <button type="submit" class="button button-secondary">"Read the status from LedgerOS now"</button>
                </form>
                {user.ledger_user_id.is_some().then(|| view! {
                    <form method="post" action=format!("{base}/resend-link") class="inline-form">
                        <button type="submit" class="button button-secondary">"Email the verification link again"</button>
                    </form>
                })}
                {(!user.reminders_off).then(|| view! {
                    <form method="post" action=format!("{base}/reminders-off") class="inline-form">
                        <button type="submit" class="button button-secondary">"Turn reminders off"</button>
                    </form>
                })}
            </div>
        </section>
        <section aria-labelledby="data-heading" class="panel">
            <h2 id="data-heading">"Their data"</h2>
            <p class="muted">"For a person who wrote in asking for their data or for their account to be deleted. An admin confirms on the Data requests page; the law gives a month."</p>
            <div class="actions">
                <form method="post" action=format!("{base}/data-request") class="inline-form">
                    <input type="hidden" name="kind" value="export" />
                    <button type="submit" class="button button-secondary">"Open an export request"</button>
                </form>
                <form method="post" action=format!("{base}/data-request") class="inline-form">
                    <input type="hidden" name="kind" value="deletion" />
                    <button type="submit" class="button button-secondary">"Open a deletion request"</button>
                </form>
            </div>
        </section>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline, newest first"</h2>
            <ol class="timeline">{lines}</ol>
        </section>
    };
    let notice = operator.take_notice().await;
    page(StatusCode::OK, &name, Some(&operator.record), notice, body)
}

/// `POST …/refresh`: reads the status from LedgerOS now (through the state machine, like any read).
async fn refresh(State(state): State<AppState>, operator: Operator, Path(id): Path<String>) -> Response {
    let user = match applicant(&state, &operator, id).await {
        Ok(user) => user,
        Err(page) => return page,
    };
    let notice = match verification::refresh_status(&state.services, &user.id, StatusSource::Operator).await {
        Ok(fresh) => format!("LedgerOS says: {}.", fresh.kyc.status.label()),
        Err(VerificationError::ReadBudget) => {
            "LedgerOS's read limit is used up for the moment. Try again in a minute.".to_owned()
        }
        Err(e) => {
            tracing::warn!(user = %user.id, error = %e, "console: status refresh failed");
            "LedgerOS could not be asked just now. The stored status stands; try again in a minute."
                .to_owned()
        }
    };
    audit(&state, &operator, "read the status from LedgerOS", &user.id).await;
    done(&operator, &user.id, &notice).await
}

/// `POST …/resend-link`: emails the way back to the hosted verification.
async fn resend_link(State(state): State<AppState>, operator: Operator, Path(id): Path<String>) -> Response {
    let user = match applicant(&state, &operator, id).await {
        Ok(user) => user,
        Err(page) => return page,
    };
    let email = templates::verification_link(
        user.language.unwrap_or_default(),
        &user.email,
        &user.first_name,
        &state.public_url,
    );
    match state
        .services
        .store
        .operator_email(
            &user.id,
            &operator.record.id,
            "emailed the verification link",
            &email,
        )
        .await
    {
        Ok(()) => {
            done(
                &operator,
                &user.id,
                "The verification link is on its way to them.",
            )
            .await
        }
        Err(e) => unavailable(e),
    }
}

/// `POST …/reminders-off`.
async fn reminders_off(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<String>,
) -> Response {
    let user = match applicant(&state, &operator, id).await {
        Ok(user) => user,
        Err(page) => return page,
    };
    if let Err(e) = state.services.store.set_user_reminders(&user.id, false).await {
        return unavailable(e);
    }
    audit(&state, &operator, "turned reminders off", &user.id).await;
    done(&operator, &user.id, "Reminders are off for them.").await
}

async fn audit(state: &AppState, operator: &Operator, action: &str, user: &UserId) {
    if let Err(e) = state
        .services
        .store
        .audit(Some(&operator.record.id), action, Some(&user.0), "")
        .await
    {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
}

async fn done(operator: &Operator, user: &UserId, notice: &str) -> Response {
    operator.leave_notice(notice).await;
    Redirect::to(&format!("/admin/applicants/{}", user.0)).into_response()
}

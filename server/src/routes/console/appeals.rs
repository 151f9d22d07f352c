//! The appeals queue: denied applicants' appeals, oldest first, answered from the console.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use leptos::prelude::*;
use onboarding::clock::time_in_words;
use onboarding::operators::{self, AnswerError, REPLY_MAX_CHARS};
use onboarding::store::{AppealFilter, AppealRecord};

use super::{Operator, age_in_words, page, unavailable};
use crate::state::AppState;

/// Most appeals one page lists.
const QUEUE_PAGE: i64 = 200;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/appeals", get(queue))
        .route("/admin/appeals/{id}", get(show).post(answer))
}

#[derive(serde::Deserialize)]
struct QueueQuery {
    show: Option<String>,
}

/// `GET /admin/appeals`: open appeals, oldest first, with how long each has waited
/// (`?show=resolved`: the answered and closed ones, newest first).
async fn queue(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<QueueQuery>,
) -> Response {
    let resolved = query.show.as_deref() == Some("resolved");
    let filter = if resolved {
        AppealFilter::Resolved
    } else {
        AppealFilter::Open
    };
    let store = &state.services.store;
    let (appeals, open) =
        match tokio::try_join!(store.appeals_queue(filter, QUEUE_PAGE), store.open_appeals()) {
            Ok(found) => found,
            Err(e) => return unavailable(e),
        };
    let now = state.services.clock.now_ms();
    let rows: Vec<_> = appeals
        .into_iter()
        .map(|a| {
            let href = format!("/admin/appeals/{}", a.id);
            let name = format!("{} {}", a.first_name, a.last_name);
            let waited = age_in_words(a.created_at, now);
            let state = match (a.answered_at, a.resolved_at) {
                (_, Some(_)) => "Resolved",
                (Some(_), None) => "Answered, still open",
                (None, None) => "Waiting for a reply",
            };
            view! {
                <tr>
                    <td><a href=href>{name}</a><br /><span class="muted">{a.email}</span></td>
                    <td>{time_in_words(a.created_at)}<br /><span class="muted">{waited} " ago"</span></td>
                    <td>{state}</td>
                    <td class="excerpt">{excerpt(&a.message)}</td>
                </tr>
            }
        })
        .collect();
    let empty = rows.is_empty();
    let heading = if resolved {
        "Resolved appeals"
    } else {
        "Appeals queue"
    };
    let body = view! {
        <h1>{heading}</h1>
        <p class="lead">
            {format!("{open} open. ")}
            "Denied applicants were promised a reply by email within 2 business days. The oldest wait at the top."
        </p>
        <nav aria-label="Which appeals" class="tabs">
            <a href="/admin/appeals" aria-current=(!resolved).then_some("page")>"Open"</a>
            <a href="/admin/appeals?show=resolved" aria-current=resolved.then_some("page")>"Resolved"</a>
        </nav>
        {if empty {
            view! { <p>{if resolved { "No resolved appeals yet." } else { "No open appeals: everyone has had a reply." }}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Appeals">
                    <table class="info-table">
                        <thead><tr><th scope="col">"Applicant"</th><th scope="col">"Received"</th><th scope="col">"State"</th><th scope="col">"Message"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    };
    let notice = operator.take_notice().await;
    page(StatusCode::OK, heading, Some(&operator.record), notice, body)
}

/// The first 140 characters of a message, for the queue.
fn excerpt(message: &str) -> String {
    match message.char_indices().nth(140) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_owned(),
    }
}

/// `GET /admin/appeals/{id}`: the appeal, the applicant, and the reply form.
async fn show(
    State(state): State<AppState>,
    operator: Operator,
    crate::client_ip::ClientIp(client): crate::client_ip::ClientIp,
    Path(id): Path<i64>,
) -> Response {
    match state.services.store.appeal(id).await {
        Ok(Some(appeal)) => {
            operator
                .record_view(&state, "viewed an appeal", &appeal.user.0, client)
                .await;
            appeal_page(&state, &operator, appeal, StatusCode::OK, "", None).await
        }
        Ok(None) => not_found(&operator),
        Err(e) => unavailable(e),
    }
}

fn not_found(operator: &Operator) -> Response {
    let body = view! {
        <h1>"No such appeal"</h1>
        <p><a href="/admin/appeals">"Back to the appeals queue"</a></p>
    };
    page(
        StatusCode::NOT_FOUND,
        "No such appeal",
        Some(&operator.record),
        None,
        body,
    )
}

async fn appeal_page(
    state: &AppState,
    operator: &Operator,
    appeal: AppealRecord,
    status: StatusCode,
    draft: &str,
    error: Option<String>,
) -> Response {
    let user = match state.services.store.user(&appeal.user).await {
        Ok(user) => user,
        Err(e) => return unavailable(e),
    };
    let (kyc_status, reason) = user
        .map(|u| (u.kyc.status.as_str().to_owned(), u.denial_reason))
        .unwrap_or_default();
    let now = state.services.clock.now_ms();
    let name = format!("{} {}", appeal.first_name, appeal.last_name);
    let title = format!("Appeal from {name}");
    let answered = appeal.answered_at.map(|at| {
        let by = appeal
            .answered_by
            .clone()
            .unwrap_or_else(|| "an operator".to_owned());
        view! {
            <section class="panel" aria-labelledby="reply-heading">
                <h2 id="reply-heading">"Reply sent"</h2>
                <p class="muted">{time_in_words(at)} " by " {by}</p>
                <p class="message">{appeal.answer.clone().unwrap_or_default()}</p>
            </section>
        }
    });
    let resolved = appeal
        .resolved_at
        .map(|at| view! { <p class="muted">"Resolved on " {time_in_words(at)} "."</p> });
    let invalid = error.is_some();
    let action = format!("/admin/appeals/{}", appeal.id);
    let body = view! {
        <p><a href="/admin/appeals">"← Appeals queue"</a></p>
        <h1>{title.clone()}</h1>
        <table class="info-table">
            <tbody>
                <tr><th scope="row">"Applicant"</th><td><a href=format!("/admin/applicants/{}", appeal.user.0)>"Their timeline"</a></td></tr>
                <tr><th scope="row">"Email"</th><td>{appeal.email.clone()}</td></tr>
                <tr><th scope="row">"Status"</th><td>{kyc_status}</td></tr>
                <tr><th scope="row">"LedgerOS's reason"</th><td>{reason.unwrap_or_else(|| "None given".to_owned())}</td></tr>
                <tr><th scope="row">"Received"</th><td>{time_in_words(appeal.created_at)} " (" {age_in_words(appeal.created_at, now)} " ago)"</td></tr>
            </tbody>
        </table>
        <section class="panel" aria-labelledby="appeal-heading">
            <h2 id="appeal-heading">"Their appeal"</h2>
            <p class="message">{appeal.message.clone()}</p>
        </section>
        {answered}
        {resolved}
        <form method="post" action=action class="form" novalidate>
            <h2>{if appeal.answered_at.is_some() { "Send another reply" } else { "Reply" }}</h2>
            <div class="field" class:field-invalid=invalid>
                <label for="field-reply">"Your reply, emailed to " {appeal.first_name.clone()}</label>
                <p class="field-hint" id="field-reply-hint">"Plain words: what you checked, what was decided and what they can do next. Their status page shows the date of your reply."</p>
                {error.map(|e| view! { <p class="field-error" id="field-reply-error"><span class="visually-hidden">"Error: "</span>{e}</p> })}
                <textarea id="field-reply" name="reply" rows="8" maxlength=REPLY_MAX_CHARS.to_string() required=true
                    aria-invalid=if invalid { "true" } else { "false" }
                    aria-describedby=if invalid { "field-reply-hint field-reply-error" } else { "field-reply-hint" }>
                    {draft.to_owned()}
                </textarea>
            </div>
            <div class="field field-check">
                <label><input type="checkbox" name="resolve" value="yes" checked=appeal.resolved_at.is_none() />" Mark the appeal as resolved"</label>
            </div>
            <button type="submit" class="button">"Send reply"</button>
        </form>
    };
    let notice = operator.take_notice().await;
    page(status, &title, Some(&operator.record), notice, body)
}

#[derive(serde::Deserialize)]
struct AnswerForm {
    #[serde(default)]
    reply: String,
    resolve: Option<String>,
}

/// `POST /admin/appeals/{id}`: emails the reply (through the outbox), keeps it, and writes the
/// audit log, in one transaction.
async fn answer(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let resolve = form.resolve.is_some();
    match operators::answer_appeal(&state.services, &operator.record.id, id, &form.reply, resolve).await {
        Ok(()) => {
            tracing::info!(operator = %operator.record.id, appeal = id, resolve, "console: appeal answered");
            let done = if resolve {
                "Reply sent and the appeal resolved."
            } else {
                "Reply sent. The appeal stays open."
            };
            operator.leave_notice(done).await;
            Redirect::to("/admin/appeals").into_response()
        }
        Err(AnswerError::Invalid(problem)) => match state.services.store.appeal(id).await {
            Ok(Some(appeal)) => {
                appeal_page(
                    &state,
                    &operator,
                    appeal,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &form.reply,
                    Some(problem.to_owned()),
                )
                .await
            }
            Ok(None) => not_found(&operator),
            Err(e) => unavailable(e),
        },
        Err(AnswerError::NotFound) => not_found(&operator),
        Err(AnswerError::Store(e)) => unavailable(e),
    }
}

//! "Data requests" (issue 26): requests from people who write in (support opens them on the
//! applicant's page, an admin confirms), deletions in their grace period, records held for
//! the anti-money-laundering hold, erasures to send to LedgerOS (which has no deletion call),
//! the latest exports, and what retention has removed.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;
use onboarding::clock::time_in_words;
use onboarding::data_rights::requests::{self, ANSWER_WITHIN_MS, Confirmed};
use onboarding::store::UserId;
use onboarding::store::data_requests::{PersonAt, RequestKind};

use super::{Admin, Operator, age_in_words, page, unavailable};
use crate::state::AppState;

/// Rows of each list.
const LIST: i64 = 100;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/data", get(overview))
        .route("/admin/data/requests/{id}/confirm", post(confirm))
        .route("/admin/data/erasures/{id}/sent", post(mark_sent))
        .route("/admin/applicants/{id}/data-request", post(open))
}

/// A person's name, linked to their page.
fn person(row: &PersonAt) -> impl IntoView + use<> {
    let href = format!("/admin/applicants/{}", row.user.0);
    let (name, email) = (row.name.clone(), row.email.clone());
    view! { <a href=href>{name}</a> <span class="muted">{email}</span> }
}

/// `GET /admin/data`.
async fn overview(State(state): State<AppState>, operator: Operator) -> Response {
    let data = match state.services.store.data_requests_overview(LIST).await {
        Ok(data) => data,
        Err(e) => return unavailable(e),
    };
    let now = state.services.clock.now_ms();
    let admin = operator.record.role == onboarding::operators::Role::Admin;
    let open: Vec<_> = data
        .open
        .iter()
        .map(|row| {
            let due = row.at + ANSWER_WITHIN_MS;
            let left = if due > now {
                format!("due in {}", age_in_words(now, due))
            } else {
                format!("overdue by {}", age_in_words(due, now))
            };
            let action = row.request.map(|id| format!("/admin/data/requests/{id}/confirm"));
            view! {
                <tr>
                    <td>{person(row)}</td>
                    <td>{row.detail.clone()}</td>
                    <td>{time_in_words(row.at)}</td>
                    <td><strong>{left}</strong></td>
                    <td>{match (admin, action) {
                        (true, Some(action)) => view! {
                            <form method="post" action=action class="inline-form">
                                <button type="submit" class="button button-small">"Confirm and carry out"</button>
                            </form>
                        }.into_any(),
                        _ => view! { <span class="muted">"An admin confirms"</span> }.into_any(),
                    }}</td>
                </tr>
            }
        })
        .collect();
    let people = |rows: &[PersonAt], what: &'static str| -> Vec<_> {
        rows.iter()
            .map(|row| view! { <tr><td>{person(row)}</td><td>{time_in_words(row.at)}</td><td>{what} " " {row.detail.clone()}</td></tr> })
            .collect()
    };
    let pending = people(&data.pending_deletions, "");
    let held = people(&data.held, "decision:");
    let exports = people(&data.exports, "requested by");
    let erasures: Vec<_> = data
        .erasures
        .iter()
        .map(|erasure| {
            let action = format!("/admin/data/erasures/{}/sent", erasure.id);
            view! {
                <tr>
                    <td><code>{erasure.ledger_user_id.clone()}</code></td>
                    <td>{time_in_words(erasure.erased_at)}</td>
                    <td>
                        <form method="post" action=action class="inline-form">
                            <button type="submit" class="button button-small button-secondary">"Mark sent to LedgerOS"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect();
    let tally: Vec<_> = data
        .tally
        .iter()
        .map(|rule| {
            view! {
                <tr>
                    <td><code>{rule.rule.clone()}</code></td>
                    <td>{rule.removed}</td>
                    <td>{time_in_words(rule.last_run_at)} " (" {rule.last_removed} ")"</td>
                </tr>
            }
        })
        .collect();
    let table = |label: &'static str, head: &'static [&'static str], rows: Vec<AnyView>| {
        if rows.is_empty() {
            return view! { <p class="muted">"None."</p> }.into_any();
        }
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=label>
                <table class="info-table">
                    <thead><tr>{head.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let any = |rows: Vec<_>| rows.into_iter().map(IntoAny::into_any).collect::<Vec<AnyView>>();
    let body = view! {
        <h1>"Data requests"</h1>
        <p class="lead">"What people asked us to do with their data, and what the retention rules removed. Support opens a request on the applicant's page for someone who wrote in; an admin confirms it. The law gives a month to answer."</p>
        <section aria-labelledby="open-heading">
            <h2 id="open-heading">"Requests to confirm"</h2>
            {table("Requests to confirm", &["Person", "Request", "Opened", "Deadline", ""], any(open))}
        </section>
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading">"Deletions in their grace period"</h2>
            <p class="muted">"Deleted at the time shown unless the person logs in."</p>
            {table("Deletions in their grace period", &["Person", "Deleted on", "Why"], any(pending))}
        </section>
        <section aria-labelledby="held-heading">
            <h2 id="held-heading">"Held due-diligence records"</h2>
            <p class="muted">"Closed accounts that LedgerOS decided on: only the verification record is kept, until the date shown."</p>
            {table("Held due-diligence records", &["Person", "Held until", "Status"], any(held))}
        </section>
        <section aria-labelledby="erasures-heading">
            <h2 id="erasures-heading">"Erasures to send to LedgerOS"</h2>
            <p class="muted">"LedgerOS has no deletion call: ask LedgerOS support to erase each of these users, then mark it sent. The id is forgotten when you do."</p>
            {table("Erasures to send to LedgerOS", &["LedgerOS user", "Erased here", ""], any(erasures))}
        </section>
        <section aria-labelledby="exports-heading">
            <h2 id="exports-heading">"Latest exports"</h2>
            {table("Latest exports", &["Person", "When", "Who asked"], any(exports))}
        </section>
        <section aria-labelledby="retention-heading">
            <h2 id="retention-heading">"Retention"</h2>
            <p class="muted">"Rows each rule removed or emptied, in all, and at its last run."</p>
            {table("Retention", &["Rule", "Rows in all", "Last run"], any(tally))}
        </section>
    };
    let notice = operator.take_notice().await;
    page(
        StatusCode::OK,
        "Data requests",
        Some(&operator.record),
        notice,
        body,
    )
}

#[derive(serde::Deserialize)]
struct OpenForm {
    kind: String,
}

/// `POST /admin/applicants/{id}/data-request`: support opens a request for the person.
async fn open(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<String>,
    Form(form): Form<OpenForm>,
) -> Response {
    let Some(kind) = RequestKind::parse(&form.kind) else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose an export or a deletion.",
        )
            .into_response();
    };
    let user = UserId(id);
    match state
        .services
        .store
        .open_data_request(&user, kind, &operator.record.id)
        .await
    {
        Ok(_) => {
            let notice = format!(
                "The {} request is open. An admin confirms it on the Data requests page; it is due within a month.",
                kind.as_str()
            );
            operator.leave_notice(&notice).await;
            Redirect::to(&format!("/admin/applicants/{}", user.0)).into_response()
        }
        Err(e) => unavailable(e),
    }
}

/// `POST /admin/data/requests/{id}/confirm` (admins): carried out at once. An export comes
/// back as the file, for staff to send the person by a safe channel.
async fn confirm(State(state): State<AppState>, Admin(admin): Admin, Path(id): Path<i64>) -> Response {
    // Deleting or handing out a person's data: the second factor again if it is not recent.
    if !admin.factor_is_fresh(state.services.clock.now_ms()) {
        return admin.step_up("/admin/data").await;
    }
    match requests::confirm(&state.services, id, &admin.record.id).await {
        Ok(Confirmed::Export(file)) => {
            let mut response = file.json.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.file_name))
            {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Ok(Confirmed::Deletion(due_at)) => {
            let notice = format!(
                "The deletion is scheduled for {}; the person was emailed and can cancel it by logging in.",
                time_in_words(due_at)
            );
            back(&admin, &notice).await
        }
        Ok(Confirmed::Nothing) => back(&admin, "That request was already carried out.").await,
        Err(onboarding::data_rights::ExportError::Store(e)) => unavailable(e),
        Err(e) => {
            tracing::error!(error = %e, "console: could not carry out a data request");
            back(
                &admin,
                "The request could not be carried out. Try again in a minute.",
            )
            .await
        }
    }
}

/// `POST /admin/data/erasures/{id}/sent`.
async fn mark_sent(State(state): State<AppState>, operator: Operator, Path(id): Path<i64>) -> Response {
    match state
        .services
        .store
        .mark_erasure_sent(id, &operator.record.id)
        .await
    {
        Ok(true) => back(&operator, "Marked sent to LedgerOS; its id is forgotten here.").await,
        Ok(false) => back(&operator, "That erasure was already marked sent.").await,
        Err(e) => unavailable(e),
    }
}

async fn back(operator: &Operator, notice: &str) -> Response {
    operator.leave_notice(notice).await;
    Redirect::to("/admin/data").into_response()
}

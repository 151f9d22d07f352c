//! The applicant list: search by name, email or LedgerOS id, filter by status, longest in their
//! status first, in keyset pages (fast however many applicants there are).

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use leptos::prelude::*;
use onboarding::clock::time_in_words;
use onboarding::status::ApplicationStatus;
use onboarding::store::{ApplicantQuery, UserId};

use super::{Operator, age_in_words, encode_query_value, page, unavailable};
use crate::state::AppState;

/// Applicants per page.
const PAGE_SIZE: i64 = 50;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin/applicants", get(list))
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    /// The last applicant of the previous page: `<status_changed_at>.<id>`.
    after: Option<String>,
}

/// `GET /admin/applicants`.
async fn list(State(state): State<AppState>, operator: Operator, Query(query): Query<ListQuery>) -> Response {
    let status = ApplicationStatus::KNOWN
        .into_iter()
        .find(|s| s.as_str() == query.status);
    let after = query.after.as_deref().and_then(|a| {
        let (at, id) = a.split_once('.')?;
        Some((at.parse().ok()?, UserId(id.to_owned())))
    });
    let search = query.q.chars().take(200).collect::<String>();
    let request = ApplicantQuery {
        search: search.clone(),
        status: status.clone(),
        after: after.clone(),
        // One more than shown: whether there is a next page.
        limit: PAGE_SIZE + 1,
    };
    let mut found = match state.services.store.applicants(&request).await {
        Ok(found) => found,
        Err(e) => return unavailable(e),
    };
    let more = found.len() as i64 > PAGE_SIZE;
    found.truncate(PAGE_SIZE as usize);
    let now = state.services.clock.now_ms();
    let next = more.then(|| {
        let last = found.last().expect("a full page has a last row");
        format!(
            "/admin/applicants?q={}&status={}&after={}.{}",
            encode_query_value(&search),
            encode_query_value(&query.status),
            last.status_changed_at,
            encode_query_value(&last.id.0)
        )
    });
    let empty = found.is_empty();
    let rows: Vec<_> = found
        .into_iter()
        .map(|a| {
            let name = format!("{} {}", a.first_name, a.last_name);
            let href = format!("/admin/applicants/{}", a.id.0);
            view! {
                <tr>
                    <td><a href=href>{name}</a><br /><span class="muted">{a.email}</span></td>
                    <td>{super::language_in_words(a.language)}</td>
                    <td>{a.status.label()}</td>
                    <td>{age_in_words(a.status_changed_at, now)}</td>
                    <td><code>{a.ledger_user_id.unwrap_or_else(|| "not created yet".to_owned())}</code></td>
                    <td>{time_in_words(a.created_at)}</td>
                </tr>
            }
        })
        .collect();
    let options: Vec<_> = ApplicationStatus::KNOWN
        .into_iter()
        .map(|s| {
            let selected = status.as_ref() == Some(&s);
            view! { <option value=s.as_str().to_owned() selected=selected>{s.label()}</option> }
        })
        .collect();
    let paged = after.is_some();
    let body = view! {
        <h1>"Applicants"</h1>
        <form method="get" action="/admin/applicants" class="form search-form" role="search">
            <div class="field">
                <label for="field-q">"Name, email or LedgerOS id"</label>
                <input id="field-q" name="q" type="search" value=search.clone() />
            </div>
            <div class="field">
                <label for="field-status">"Status"</label>
                <select id="field-status" name="status">
                    <option value="" selected=status.is_none()>"Any status"</option>
                    {options}
                </select>
            </div>
            <button type="submit" class="button">"Search"</button>
        </form>
        <p class="muted">"Longest in their current status first, " {PAGE_SIZE} " per page."</p>
        {if empty {
            view! { <p>{if paged { "No more applicants." } else { "No applicant matches. Try part of a name, the start of an email, or a whole LedgerOS id." }}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Applicants">
                    <table class="info-table">
                        <thead><tr><th scope="col">"Applicant"</th><th scope="col">"Language"</th><th scope="col">"Status"</th><th scope="col">"In this status for"</th><th scope="col">"LedgerOS id"</th><th scope="col">"Signed up"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <nav aria-label="Pages" class="pager">
            {paged.then(|| view! { <a href="/admin/applicants">"First page"</a> })}
            {next.map(|href| view! { <a href=href>"Next page"</a> })}
        </nav>
    };
    let notice = operator.take_notice().await;
    page(StatusCode::OK, "Applicants", Some(&operator.record), notice, body)
}

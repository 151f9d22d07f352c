//! The webhook log: every delivery stored, newest first, filterable by type, outcome and time;
//! the tally of deliveries refused before storing (a spike means a misconfigured secret); and,
//! for admins, applying a stored event again.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use leptos::prelude::*;
use onboarding::clock::time_in_words;
use onboarding::operators::Role;
use onboarding::store::{EventOutcome, WebhookOutcome, WebhookQuery};

use super::{Admin, Operator, encode_query_value, page, unavailable};
use crate::state::AppState;

const PAGE_SIZE: i64 = 50;
/// The event types LedgerOS sends (its guide lists three).
const TYPES: [&str; 3] = [
    "user.application.approved",
    "user.application.denied",
    "user.application.needs_info",
];
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/webhooks", get(log))
        .route("/admin/webhooks/{id}/replay", post(replay))
}

#[derive(serde::Deserialize, Default)]
struct LogQuery {
    #[serde(default)]
    r#type: String,
    #[serde(default)]
    outcome: String,
    /// "1h", "24h", "7d" or empty (any time).
    #[serde(default)]
    since: String,
    /// The last delivery of the previous page: `<received_at>.<id>`.
    before: Option<String>,
}

/// `GET /admin/webhooks`.
async fn log(State(state): State<AppState>, operator: Operator, Query(query): Query<LogQuery>) -> Response {
    let now = state.services.clock.now_ms();
    let outcome = WebhookOutcome::ALL
        .into_iter()
        .find(|o| o.as_str() == query.outcome);
    let event_type = TYPES.into_iter().find(|t| *t == query.r#type);
    let since = match query.since.as_str() {
        "1h" => Some(now - DAY_MS / 24),
        "24h" => Some(now - DAY_MS),
        "7d" => Some(now - 7 * DAY_MS),
        _ => None,
    };
    let before = query.before.as_deref().and_then(|b| {
        let (at, id) = b.split_once('.')?;
        Some((at.parse().ok()?, id.to_owned()))
    });
    let request = WebhookQuery {
        event_type: event_type.map(str::to_owned),
        outcome,
        since,
        before: before.clone(),
        limit: PAGE_SIZE + 1,
    };
    let store = &state.services.store;
    let (mut rows, refusals) =
        match tokio::try_join!(store.webhook_log(&request), store.webhook_refusals(now - DAY_MS)) {
            Ok(found) => found,
            Err(e) => return unavailable(e),
        };
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next = more.then(|| {
        let last = rows.last().expect("a full page has a last row");
        format!(
            "/admin/webhooks?type={}&outcome={}&since={}&before={}.{}",
            encode_query_value(event_type.unwrap_or_default()),
            encode_query_value(outcome.map_or("", WebhookOutcome::as_str)),
            encode_query_value(&query.since),
            last.received_at,
            encode_query_value(&last.id)
        )
    });
    let admin = operator.record.role == Role::Admin;
    let refused: i64 = refusals.iter().map(|(_, n)| n).sum();
    let refused_text = if refusals.is_empty() {
        "No delivery was refused in the last 24 hours.".to_owned()
    } else {
        let parts: Vec<String> = refusals
            .iter()
            .map(|(reason, n)| {
                format!(
                    "{n} for a bad {}",
                    if reason == "signature" {
                        "signature"
                    } else {
                        "body"
                    }
                )
            })
            .collect();
        format!(
            "{refused} deliveries refused in the last 24 hours: {}. Many bad signatures usually mean LEDGER_WEBHOOK_SECRET does not match the secret set at LedgerOS.",
            parts.join(", ")
        )
    };
    let notice_class = if refused > 0 {
        "notice notice-warning"
    } else {
        "notice"
    };
    let empty = rows.is_empty();
    let lines: Vec<_> = rows
        .into_iter()
        .map(|w| {
            let applicant = match (&w.user, &w.ledger_user_id) {
                (Some(user), _) => {
                    view! { <a href=format!("/admin/applicants/{}", user.0)>"Applicant"</a> }.into_any()
                }
                (None, Some(ledger)) => {
                    view! { <code>{ledger.clone()}</code> " (no applicant yet)" }.into_any()
                }
                (None, None) => view! { "—" }.into_any(),
            };
            let outcome = w
                .outcome
                .clone()
                .unwrap_or_else(|| "waiting for the user".to_owned());
            let duplicates =
                (w.duplicates > 0).then(|| format!(" · delivered {} more time(s)", w.duplicates));
            let action = format!("/admin/webhooks/{}/replay", encode_query_value(&w.id));
            view! {
                <tr>
                    <td>{time_in_words(w.received_at)}</td>
                    <td><code>{w.event_type}</code><br /><span class="muted">{w.id}</span></td>
                    <td>{applicant}</td>
                    <td>{outcome}{duplicates}</td>
                    {admin.then(|| view! {
                        <td><form method="post" action=action class="inline-form">
                            <button type="submit" class="link-button">"Apply again"</button>
                        </form></td>
                    })}
                </tr>
            }
        })
        .collect();
    let type_options: Vec<_> = TYPES
        .into_iter()
        .map(|t| view! { <option value=t selected=event_type == Some(t)>{t}</option> })
        .collect();
    let outcome_options: Vec<_> = WebhookOutcome::ALL
        .into_iter()
        .map(|o| view! { <option value=o.as_str() selected=outcome == Some(o)>{o.as_str()}</option> })
        .collect();
    let since_options: Vec<_> = [
        ("", "Any time"),
        ("1h", "Last hour"),
        ("24h", "Last 24 hours"),
        ("7d", "Last 7 days"),
    ]
    .into_iter()
    .map(|(value, label)| view! { <option value=value selected=query.since == value>{label}</option> })
    .collect();
    let body = view! {
        <h1>"Webhooks"</h1>
        <div class=notice_class role="status"><p>{refused_text}</p></div>
        <form method="get" action="/admin/webhooks" class="form search-form">
            <div class="field">
                <label for="field-type">"Type"</label>
                <select id="field-type" name="type"><option value="">"Any type"</option>{type_options}</select>
            </div>
            <div class="field">
                <label for="field-outcome">"Outcome"</label>
                <select id="field-outcome" name="outcome"><option value="">"Any outcome"</option>{outcome_options}</select>
            </div>
            <div class="field">
                <label for="field-since">"Received"</label>
                <select id="field-since" name="since">{since_options}</select>
            </div>
            <button type="submit" class="button">"Filter"</button>
        </form>
        <p class="muted">"Newest first. Every delivery stored here passed its signature check; applying one again goes through the same rules, so an older status never replaces a newer one."</p>
        {if empty {
            view! { <p>"No webhook matches."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Webhook deliveries">
                    <table class="info-table">
                        <thead><tr>
                            <th scope="col">"Received"</th><th scope="col">"Event"</th><th scope="col">"For"</th><th scope="col">"Outcome"</th>
                            {admin.then(|| view! { <th scope="col">"Action"</th> })}
                        </tr></thead>
                        <tbody>{lines}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <nav aria-label="Pages" class="pager">
            {before.is_some().then(|| view! { <a href="/admin/webhooks">"Newest"</a> })}
            {next.map(|href| view! { <a href=href>"Older"</a> })}
        </nav>
    };
    let notice = operator.take_notice().await;
    page(StatusCode::OK, "Webhooks", Some(&operator.record), notice, body)
}

/// `POST /admin/webhooks/{id}/replay` (admins): applies a stored event again.
async fn replay(State(state): State<AppState>, Admin(admin): Admin, Path(id): Path<String>) -> Response {
    if !admin.factor_is_fresh(state.services.clock.now_ms()) {
        return admin.step_up("/admin/webhooks").await;
    }
    let outcome = match state.services.store.reapply_event(&id).await {
        Ok(Some(outcome)) => outcome,
        Ok(None) => {
            admin
                .leave_notice("There is no stored webhook with that id.")
                .await;
            return Redirect::to("/admin/webhooks").into_response();
        }
        Err(e) => return unavailable(e),
    };
    let said = match &outcome {
        EventOutcome::Applied(status) => format!("Applied again: the status is {}.", status.label()),
        EventOutcome::Ignored(why) => format!("Not applied: {why}."),
        EventOutcome::Waiting => "Still waiting: no applicant has that LedgerOS id yet.".to_owned(),
        EventOutcome::Recorded | EventOutcome::Duplicate => {
            "Nothing to apply: the event reports no status.".to_owned()
        }
    };
    if let Err(e) = state
        .services
        .store
        .audit(
            Some(&admin.record.id),
            "applied a webhook again",
            None,
            &format!("event {id}: {said}"),
        )
        .await
    {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
    admin.leave_notice(&said).await;
    Redirect::to("/admin/webhooks").into_response()
}

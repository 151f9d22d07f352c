//! The funnel for the product team: signups to decisions for a chosen period, as a chart drawn
//! on the server (SVG, no script) with the same numbers in a table.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use leptos::prelude::*;
use onboarding::funnel::{Funnel, Stage};
use onboarding::operators::Role;

use super::{Operator, page, unavailable};
use crate::state::AppState;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// The periods offered, in days (0: since the start).
const PERIODS: [(i64, &str); 4] = [
    (7, "Last 7 days"),
    (30, "Last 30 days"),
    (90, "Last 90 days"),
    (0, "All time"),
];

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin/funnel", get(show))
}

#[derive(serde::Deserialize)]
struct PeriodQuery {
    days: Option<i64>,
}

fn duration_in_words(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    match minutes {
        0 => "under a minute".to_owned(),
        m if m < 120 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} days", m / (24 * 60)),
    }
}

fn percent(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "—".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

/// `GET /admin/funnel?days=30`.
async fn show(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let days = query
        .days
        .filter(|d| PERIODS.iter().any(|(p, _)| p == d))
        .unwrap_or(30);
    // Whole UTC days, today's so far included: "the last 7 days" is today and the 6 before.
    let today = state.services.clock.now_ms().div_euclid(DAY_MS);
    let from_day = if days == 0 { i64::MIN } else { today - (days - 1) };
    let counts = match state.services.store.funnel_counts(from_day, today + 1).await {
        Ok(counts) => counts,
        Err(e) => return unavailable(e),
    };
    let budget = match super::budget::BudgetState::read(&state).await {
        Ok(budget) => super::budget::panel(&state, &budget, operator.record.role == Role::Admin),
        Err(e) => return unavailable(e),
    };
    let signals = match state.services.store.signup_signals().await {
        Ok(signals) => super::signals::panel(&signals),
        Err(e) => return unavailable(e),
    };
    let funnel = Funnel::from_counts(&counts);
    let bars: Vec<Stage> = funnel.stages.iter().chain(&funnel.outcomes).cloned().collect();
    let max = bars.iter().map(|s| s.count).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (190.0, 420.0, 34.0);
    let height = row_h * bars.len() as f64 + 8.0;
    let description = bars
        .iter()
        .map(|s| format!("{}: {}", s.name, s.count))
        .collect::<Vec<_>>()
        .join(", ");
    let rects: Vec<_> = bars
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            let y = 4.0 + row_h * i as f64;
            let width = (bar_w * stage.count as f64 / max as f64).max(2.0);
            let outcome = i >= funnel.stages.len();
            view! {
                <text x=label_w - 10.0 y=y + 20.0 text-anchor="end" class="chart-label">{stage.name}</text>
                <rect x=label_w y=y + 4.0 width=width height=row_h - 10.0 rx="4" class=if outcome { "chart-bar chart-bar-outcome" } else { "chart-bar" } />
                <text x=label_w + width + 8.0 y=y + 20.0 class="chart-value">{format!("{} ({})", stage.count, percent(stage.conversion))}</text>
            }
        })
        .collect();
    let rows: Vec<_> = bars
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <th scope="row">{s.name}</th>
                    <td>{s.count}</td>
                    <td>{percent(s.conversion)}</td>
                    <td>{s.median_ms.map_or_else(|| "—".to_owned(), duration_in_words)}</td>
                </tr>
            }
        })
        .collect();
    let drops: Vec<_> = funnel
        .stages
        .windows(2)
        .map(|pair| {
            let lost = pair[0].count - pair[1].count;
            view! { <li>{format!("{lost} stopped between “{}” and “{}”", pair[0].name, pair[1].name)}</li> }
        })
        .collect();
    let periods: Vec<_> = PERIODS
        .into_iter()
        .map(|(d, label)| view! { <option value=d.to_string() selected=d == days>{label}</option> })
        .collect();
    let body = view! {
        <h1>"Funnel"</h1>
        <form method="get" action="/admin/funnel" class="form search-form">
            <div class="field">
                <label for="field-days">"People who signed up in"</label>
                <select id="field-days" name="days">{periods}</select>
            </div>
            <button type="submit" class="button">"Show"</button>
        </form>
        <figure class="chart">
            <svg viewBox=format!("0 0 {} {height}", label_w + bar_w + 110.0) role="img" aria-labelledby="chart-title chart-desc" width="100%">
                <title id="chart-title">"Onboarding funnel"</title>
                <desc id="chart-desc">{description}</desc>
                {rects}
            </svg>
            <figcaption class="muted">"Each bar: how many reached the stage, and the share of the stage before (decisions: of those who submitted)."</figcaption>
        </figure>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Funnel stages">
            <table class="info-table">
                <thead><tr><th scope="col">"Stage"</th><th scope="col">"People"</th><th scope="col">"Of the stage before"</th><th scope="col">"Median time from the stage before"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {signals}
        <h2>"Where people drop off"</h2>
        <ul>{drops}</ul>
        <h2>"Reminders"</h2>
        <p>{format!("{} of the {} people reminded came back and moved on after their first reminder.", funnel.back_after_reminder, funnel.reminded)}</p>
        {budget}
    };
    let notice = operator.take_notice().await;
    page(StatusCode::OK, "Funnel", Some(&operator.record), notice, body)
}

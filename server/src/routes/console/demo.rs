//! The demo's data (demo mode, admins): add realistic applicants in every status, or start
//! again from nothing.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;

use super::{Admin, page, unavailable};
use crate::config::Mode;
use crate::demo::{self, DEMO_APPLICANT_PASSWORD};
use crate::state::AppState;

/// Most applicants one click adds.
const MAX_BATCH: usize = 200;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/demo", get(show))
        .route("/admin/demo/applicants", post(add))
        .route("/admin/demo/reset", post(reset))
}

fn not_demo(admin: &Admin) -> Response {
    let body = view! {
        <h1>"Demo data"</h1>
        <p>"This deployment talks to the real LedgerOS: demo data exists only in demo mode."</p>
    };
    page(
        StatusCode::NOT_FOUND,
        "Demo data",
        Some(&admin.0.record),
        None,
        body,
    )
}

/// `GET /admin/demo`.
async fn show(State(state): State<AppState>, admin: Admin) -> Response {
    if state.mode != Mode::Demo || state.sandbox.is_none() {
        return not_demo(&admin);
    }
    let body = view! {
        <h1>"Demo data"</h1>
        <p class="lead">"Fill the app with applicants who have 30 days of history, in every status, made the way real ones are: an account here, a user at the built-in LedgerOS sandbox, minutes on the hosted page, and decisions whose webhooks arrive, some twice and some late. Some stalled and were reminded; some came back."</p>
        <form method="post" action="/admin/demo/applicants" class="form">
            <div class="field">
                <label for="field-count">"How many applicants"</label>
                <input id="field-count" name="count" type="number" min="1" max=MAX_BATCH.to_string() value="24" inputmode="numeric" />
            </div>
            <button type="submit" class="button">"Add demo applicants"</button>
            <p class="muted">"They appear within a few seconds. Each can log in with their email and the password “" {DEMO_APPLICANT_PASSWORD} "”."</p>
        </form>
        <form method="post" action="/admin/demo/reset" class="form">
            <h2>"Start again"</h2>
            <p>"Deletes every applicant, email, webhook, appeal and the audit log, here and at the sandbox. Operators stay."</p>
            <button type="submit" class="button button-secondary">"Reset the demo"</button>
        </form>
    };
    let notice = admin.0.take_notice().await;
    page(StatusCode::OK, "Demo data", Some(&admin.0.record), notice, body)
}

#[derive(serde::Deserialize)]
struct AddForm {
    #[serde(default)]
    count: String,
}

/// `POST /admin/demo/applicants`: adds them in the background.
async fn add(State(state): State<AppState>, admin: Admin, Form(form): Form<AddForm>) -> Response {
    let (Mode::Demo, Some(sandbox)) = (state.mode, state.sandbox.clone()) else {
        return not_demo(&admin);
    };
    let count = form
        .count
        .trim()
        .parse::<usize>()
        .unwrap_or(24)
        .clamp(1, MAX_BATCH);
    let services = state.services.clone();
    tokio::spawn(demo::seed(services, sandbox, count));
    let detail = format!("{count} applicants");
    if let Err(e) = state
        .services
        .store
        .audit(Some(&admin.0.record.id), "added demo applicants", None, &detail)
        .await
    {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
    admin
        .0
        .leave_notice(&format!(
            "Adding {count} demo applicants: they appear under Applicants within a few seconds."
        ))
        .await;
    Redirect::to("/admin/demo").into_response()
}

/// `POST /admin/demo/reset`.
async fn reset(State(state): State<AppState>, admin: Admin) -> Response {
    let (Mode::Demo, Some(sandbox)) = (state.mode, state.sandbox.clone()) else {
        return not_demo(&admin);
    };
    if let Err(e) = state.services.store.reset_demo().await {
        return unavailable(e);
    }
    sandbox.reset();
    if let Err(e) = state
        .services
        .store
        .audit(Some(&admin.0.record.id), "reset the demo", None, "")
        .await
    {
        tracing::warn!(error = %e, "console: could not write the audit log");
    }
    admin.0.leave_notice("The demo is empty again.").await;
    Redirect::to("/admin/demo").into_response()
}

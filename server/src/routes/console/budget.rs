//! The verification budget in the console (issue 30): the figures on the funnel page, a red
//! banner on every console page while it is used up, and the admins' "Allow N more today".

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use leptos::prelude::*;
use onboarding::budget::Spend;
use onboarding::store::StoreError;

use super::{Admin, unavailable};
use crate::state::AppState;

/// Most verifications one click allows.
const MAX_GRANT: i64 = 100_000;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin/budget/allow", post(allow))
}

/// The budget as the console shows it.
pub(super) struct BudgetState {
    pub spend: Spend,
    pub left: Option<i64>,
    pub waiting: i64,
}

impl BudgetState {
    pub async fn read(state: &AppState) -> Result<Self, StoreError> {
        let store = &state.services.store;
        let spend = store.verification_spend(state.services.clock.now_ms()).await?;
        Ok(Self {
            left: state.services.budget.left(&spend),
            spend,
            waiting: store.budget_waiting().await?,
        })
    }

    /// Whether new verifications wait now.
    pub fn used_up(&self) -> bool {
        self.left == Some(0)
    }
}

/// The red banner's words, while the budget is used up.
pub(super) fn banner_text(waiting: i64) -> String {
    format!(
        "Today's verification budget is used up. {waiting} {} for it; new confirmed signups wait too.",
        if waiting == 1 {
            "person waits"
        } else {
            "people wait"
        }
    )
}

/// The budget's section of the funnel page: the figures, and for admins the form that allows
/// more today.
pub(super) fn panel(state: &AppState, budget: &BudgetState, admin: bool) -> AnyView {
    let limits = state.services.budget;
    let of = |limit: Option<u32>| limit.map_or_else(|| "no limit".to_owned(), |l| format!("of {l}"));
    let today = format!("{} {}", budget.spend.today, of(limits.daily));
    let hour = format!("{} {}", budget.spend.this_hour, of(limits.hourly));
    let left = budget
        .left
        .map_or_else(|| "No limit is set".to_owned(), |n| n.to_string());
    let allow = (admin && limits.is_limited()).then(|| {
        view! {
            <form method="post" action="/admin/budget/allow" class="form search-form">
                <div class="field">
                    <label for="field-allow">"Allow more verifications today"</label>
                    <input id="field-allow" name="count" type="number" min="1" max=MAX_GRANT.to_string() value="10" inputmode="numeric" required=true />
                </div>
                <button type="submit" class="button">"Allow them"</button>
            </form>
        }
    });
    view! {
        <h2 id="budget">"Verification budget"</h2>
        <p class="muted">"Each verification costs money at the KYC provider. Set VERIFICATION_DAILY_BUDGET and VERIFICATION_HOURLY_BUDGET to cap them; past a cap, new people keep their account and wait, and are emailed when they can start."</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Verification budget">
            <table class="info-table">
                <tbody>
                    <tr><th scope="row">"Created today (UTC)"</th><td>{today}</td></tr>
                    <tr><th scope="row">"Created this hour"</th><td>{hour}</td></tr>
                    <tr><th scope="row">"Allowed beyond the budget today"</th><td>{budget.spend.granted_today}</td></tr>
                    <tr><th scope="row">"Left now"</th><td>{left}</td></tr>
                    <tr><th scope="row">"People waiting"</th><td>{budget.waiting}</td></tr>
                </tbody>
            </table>
        </div>
        {allow}
    }
    .into_any()
}

#[derive(serde::Deserialize)]
struct AllowForm {
    #[serde(default)]
    count: String,
}

/// `POST /admin/budget/allow` (admins): lets N more verifications through today; the people
/// waiting go first, in the order they confirmed.
async fn allow(State(state): State<AppState>, Admin(admin): Admin, Form(form): Form<AllowForm>) -> Response {
    let Some(count) = form
        .count
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_GRANT).contains(n))
    else {
        admin
            .leave_notice(&format!("Enter how many more, from 1 to {MAX_GRANT}."))
            .await;
        return Redirect::to("/admin/funnel#budget").into_response();
    };
    if let Err(e) = state
        .services
        .store
        .grant_verifications(&admin.record.id, count)
        .await
    {
        return unavailable(e);
    }
    tracing::info!(count, "console: more verifications allowed today");
    admin
        .leave_notice(&format!(
            "{count} more verifications are allowed today. The people waiting go first, within seconds."
        ))
        .await;
    Redirect::to("/admin/funnel#budget").into_response()
}

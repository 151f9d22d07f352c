//! What pages ask the server for: plain view types and the server functions that fill them.

use leptos::prelude::*;
use onboarding::forms::FieldErrors;
use onboarding::status::ApplicationStatus;
use serde::{Deserialize, Serialize};

/// The signed-in person, for the page header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub first_name: String,
}

/// A user's verification as the status pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusView {
    pub first_name: String,
    pub status: ApplicationStatus,
    pub required_fields: Vec<String>,
    /// False while we are still creating the user at LedgerOS ("setting up your verification").
    pub provisioned: bool,
    /// The user came back from the hosted page since the status last changed.
    pub returned: bool,
    /// A denied user has sent an appeal.
    pub appeal_sent: bool,
    /// Reminder emails are on.
    pub reminders: bool,
}

/// What a form handler leaves for the page it redirects back to: errors and the values to
/// show again (never passwords).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub form: String,
    pub errors: FieldErrors,
    pub values: Vec<(String, String)>,
    pub notice: Option<String>,
}

impl Flash {
    pub fn value(&self, field: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// Whether emails go to the dev mailbox page (demo mode), given to pages as context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevMailbox(pub bool);

/// Whether the app runs in demo mode with the dev mailbox (pages then point to it).
#[server(endpoint = "demo")]
pub async fn demo_mailbox() -> Result<bool, ServerFnError> {
    Ok(use_context::<DevMailbox>().is_some_and(|d| d.0))
}

/// The signed-in account, if any.
#[server(endpoint = "account")]
pub async fn current_account() -> Result<Option<AccountView>, ServerFnError> {
    let Some(user) = crate::auth::current_user().await? else {
        return Ok(None);
    };
    Ok(Some(AccountView {
        first_name: user.first_name,
    }))
}

/// The signed-in user's verification status, as stored (webhooks keep it current).
#[server(endpoint = "status")]
pub async fn load_status() -> Result<Option<StatusView>, ServerFnError> {
    Ok(crate::auth::current_user()
        .await?
        .map(crate::auth::status_view_of))
}

/// Asks LedgerOS for the latest status first: for people coming back from the hosted page.
#[server(endpoint = "status/refresh")]
pub async fn refresh_status() -> Result<Option<StatusView>, ServerFnError> {
    let Some(user) = crate::auth::current_user().await? else {
        return Ok(None);
    };
    let services = expect_context::<onboarding::services::Services>();
    if let Err(e) = services.store.mark_returned(&user.id).await {
        tracing::warn!(error = %e, "could not note the return from the hosted page");
    }
    let user = match onboarding::onboarding::refresh_status(&services, &user.id).await {
        Ok(fresh) => fresh,
        Err(e) => {
            // The stored status is still right to show; webhooks will bring the news.
            tracing::warn!(error = %e, "could not refresh the status from LedgerOS");
            user
        }
    };
    Ok(Some(crate::auth::status_view_of(user)))
}

/// Takes (reads and removes) the flash left for `form`.
#[server(endpoint = "flash")]
pub async fn take_flash(form: String) -> Result<Option<Flash>, ServerFnError> {
    crate::auth::take_flash(&form).await
}

/// Whether a signup confirmation link can still be used.
#[server(endpoint = "signup/confirm-link")]
pub async fn signup_link_valid(token: String) -> Result<bool, ServerFnError> {
    let services = expect_context::<onboarding::services::Services>();
    onboarding::accounts::signup_link_is_valid(&services, token.trim())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not check a signup link");
            ServerFnError::new("We could not check this link. Please try again.")
        })
}

/// Whether a password reset link can still be used.
#[server(endpoint = "password/reset-link")]
pub async fn reset_link_valid(token: String) -> Result<bool, ServerFnError> {
    let services = expect_context::<onboarding::services::Services>();
    onboarding::accounts::reset_link_is_valid(&services, token.trim())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not check a reset link");
            ServerFnError::new("We could not check this link. Please try again.")
        })
}

/// Whether reminders are on for the account with this opt-out token (`None`: unknown token).
#[server(endpoint = "reminders")]
pub async fn reminders_on(token: String) -> Result<Option<bool>, ServerFnError> {
    let services = expect_context::<onboarding::services::Services>();
    services.store.reminders_on(token.trim()).await.map_err(|e| {
        tracing::error!(error = %e, "could not read reminder settings");
        ServerFnError::new("We could not load your settings. Please try again.")
    })
}

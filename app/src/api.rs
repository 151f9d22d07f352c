//! What pages ask the server for: the server functions that fill the view types.

use leptos::prelude::*;

use crate::views::{AccountDetails, AccountView, Flash, LinkInfo, LinkKind, StatusView};

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

/// The signed-in person's details, for their account page.
#[server(endpoint = "account/details")]
pub async fn load_account_details() -> Result<Option<AccountDetails>, ServerFnError> {
    let Some(user) = crate::auth::current_user().await? else {
        return Ok(None);
    };
    let services = expect_context::<onboarding::services::Services>();
    let policy = services.data_policy;
    let owner = onboarding::store::PasskeyOwner::User(user.id.clone());
    let passkeys = services
        .store
        .passkeys_of(&owner)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?
        .into_iter()
        .map(|row| crate::views::PasskeySummary {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        })
        .collect();
    Ok(Some(AccountDetails {
        first_name: user.first_name,
        last_name: user.last_name,
        email: user.email,
        signed_up_at: user.created_at,
        deletion_grace_days: policy.deletion_grace_days,
        aml_retention_years: policy.aml_retention_years,
        passkeys,
        passkeys_on: onboarding::passkeys::available(&services.public_url),
    }))
}

/// The signed-in user's verification status: as stored (webhooks keep it current), after
/// asking LedgerOS when nobody did within the last minute, since the contract sends no webhook
/// for some statuses (manual review, needs verification, a lock). LedgerOS gets two seconds.
#[server(endpoint = "status")]
pub async fn load_status() -> Result<Option<StatusView>, ServerFnError> {
    let Some(user) = crate::auth::current_user().await? else {
        return Ok(None);
    };
    let services = expect_context::<onboarding::services::Services>();
    Ok(Some(crate::auth::checked_status(&services, user).await))
}

/// Asks LedgerOS for the latest status first: for people coming back from the hosted page.
#[server(endpoint = "status/refresh")]
pub async fn refresh_status() -> Result<Option<StatusView>, ServerFnError> {
    let Some(user) = crate::auth::current_user().await? else {
        return Ok(None);
    };
    let services = expect_context::<onboarding::services::Services>();
    let gate = expect_context::<std::sync::Arc<crate::auth::RefreshGate>>();
    Ok(Some(crate::auth::returned_status(&services, &gate, user).await))
}

/// Takes (reads and removes) the flash left for `form`.
#[server(endpoint = "flash")]
pub async fn take_flash(form: String) -> Result<Option<Flash>, ServerFnError> {
    crate::auth::take_flash(&form).await
}

#[server(endpoint = "link")]
pub async fn check_link(kind: Option<LinkKind>, token: String) -> Result<LinkInfo, ServerFnError> {
    use onboarding::accounts;
    let services = expect_context::<onboarding::services::Services>();
    let token = token.trim();
    let mut email = None;
    let (valid, reminders_on) = match kind {
        None => (Ok(false), false),
        Some(LinkKind::Signup) => match accounts::signup_link_address(&services, token).await {
            Ok(address) => {
                email = address;
                (Ok(email.is_some()), false)
            }
            Err(e) => (Err(e), false),
        },
        Some(LinkKind::Reset) => (accounts::reset_link_is_valid(&services, token).await, false),
        Some(LinkKind::Reminders) => match services.store.reminders_on(token).await {
            Ok(on) => (Ok(on.is_some()), on.unwrap_or(false)),
            Err(e) => (Err(e), false),
        },
        Some(LinkKind::Deletion) => (
            onboarding::data_rights::deletion_link_is_valid(&services, token).await,
            false,
        ),
    };
    let deletion_due_at =
        (kind == Some(LinkKind::Deletion)).then(|| services.clock.now_ms() + services.data_policy.grace_ms());
    let valid = valid.map_err(|e| {
        tracing::error!(error = %e, "could not check an emailed link");
        ServerFnError::new("We could not check this link. Please try again.")
    })?;
    Ok(LinkInfo {
        valid,
        email,
        reminders_on,
        demo: use_context::<crate::views::DevMailbox>().is_some_and(|d| d.0),
        deletion_due_at,
    })
}

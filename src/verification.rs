//! Getting a user from signup to a LedgerOS verification, and keeping their status current.

use crate::clock::Millis;
use crate::kyc::{StatusSource, StatusUpdate};
use crate::ledger::{CreateUser, LedgerError, LedgerUserId};
use crate::services::Services;
use crate::status::ApplicationStatus;
use crate::store::{StoreError, UserId, UserRecord};

/// How far back we date a status we asked LedgerOS for (on return, by the reconciler, at
/// initiation). A read carries no event time, and LedgerOS's reads may lag its webhooks: dating
/// the read a minute back lets any webhook from that minute still win over it.
pub const OBSERVATION_SKEW_MS: i64 = 60_000;

/// The status in a LedgerOS read, dated `at_ms`.
fn reported(verification: crate::ledger::Verification, at_ms: Millis) -> StatusUpdate {
    StatusUpdate {
        status: verification.application_status,
        at_ms,
        required_fields: verification.required_fields,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VerificationError {
    #[error("LedgerOS could not be reached or refused the request")]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("LedgerOS returned no verification link")]
    NoVerificationUrl,
    #[error("the verification link is not on LedgerOS's domain; not followed")]
    UntrustedVerificationUrl,
    #[error("LedgerOS's read limit is used up for now; the stored status stands")]
    ReadBudget,
    #[error("LedgerOS took longer than {0:?} to answer; tried again later")]
    TooSlow(std::time::Duration),
    /// The verification budget is used up for now ([`crate::budget`]): the person waits.
    #[error("the verification budget is used up for now; waiting for it to open")]
    OverBudget,
}

/// LedgerOS allows 100 status reads a minute for the whole app. We keep to 90, with bursts of
/// at most 10, counted in the database so that every instance shares them, and every read
/// (a person's refresh, the return from the hosted page, the reconciler) takes one.
pub const READS_PER_MINUTE: u32 = 90;
const READ_BURST: u32 = 10;

/// How often one person's status is read at most when they log in or open their status page.
pub const PERSON_CHECK_GAP: std::time::Duration = std::time::Duration::from_secs(60);

/// Takes one read from the shared budget; `false` when reading now would break LedgerOS's limit.
pub async fn take_read(services: &Services) -> bool {
    let period_ms = 60_000 / i64::from(READS_PER_MINUTE);
    match services
        .store
        .rate_limit("ledgeros:reads", READ_BURST, period_ms)
        .await
    {
        Ok(None) => true,
        Ok(Some(_)) => {
            tracing::info!("LedgerOS read budget used up for now; keeping the stored status");
            false
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not count a LedgerOS read; not reading");
            false
        }
    }
}

/// Reads the person's status from LedgerOS if nobody did within `gap` (at login and when they
/// open their status page): states a webhook never announces (manual review, needs
/// verification, a lock) reach them this way. Otherwise, or if LedgerOS cannot be asked, the
/// stored status.
#[tracing::instrument(skip(services), fields(user = %id))]
pub async fn refresh_if_due(
    services: &Services,
    id: &UserId,
    gap: std::time::Duration,
) -> Result<UserRecord, VerificationError> {
    let user = load(services, id).await?;
    refresh_record_if_due(services, user, gap).await
}

/// [`refresh_if_due`] for a record the caller has just read: when it was checked within `gap`
/// (most page loads), that record is the answer, with no further read and no write.
#[tracing::instrument(skip(services, user), fields(user = %user.id))]
pub async fn refresh_record_if_due(
    services: &Services,
    user: UserRecord,
    gap: std::time::Duration,
) -> Result<UserRecord, VerificationError> {
    let gap_ms = i64::try_from(gap.as_millis()).unwrap_or(i64::MAX);
    let now = services.clock.now_ms();
    if user.checked_at.is_some_and(|at| at > now - gap_ms) {
        return Ok(user);
    }
    let id = &user.id;
    if !services.store.claim_status_check(id, gap_ms).await? {
        return load(services, id).await;
    }
    match refresh_status(services, id, StatusSource::Check).await {
        Ok(user) => Ok(user),
        Err(VerificationError::Store(e)) => Err(e.into()),
        Err(e) => {
            tracing::warn!(error = %e, "could not check the status at LedgerOS; showing the stored one");
            load(services, id).await
        }
    }
}

async fn load(services: &Services, id: &UserId) -> Result<UserRecord, VerificationError> {
    services
        .store
        .user(id)
        .await?
        .ok_or(VerificationError::Store(StoreError::NotFound))
}

/// Creates the LedgerOS user and initiates KYC, doing only the steps not done yet, so it is safe
/// to call again after a failure. Idempotency keys tie each call to our user: a retry after a
/// lost response cannot create a second LedgerOS user.
#[tracing::instrument(skip(services), fields(user = %id))]
pub async fn provision(services: &Services, id: &UserId) -> Result<UserRecord, VerificationError> {
    let mut user = load(services, id).await?;
    if user.verification_url.is_none() && !take_from_budget(services, id).await? {
        return Err(VerificationError::OverBudget);
    }
    let ledger_id = match &user.ledger_user_id {
        Some(ledger_id) => LedgerUserId::new(ledger_id.clone()),
        None => {
            let request = CreateUser {
                first_name: user.first_name.clone(),
                last_name: user.last_name.clone(),
                email: user.email.clone(),
            };
            let created = services
                .ledger
                .create_user(&request, &format!("create-user-{id}"))
                .await?;
            services.store.link_ledger_user(id, created.id.as_str()).await?;
            created.id
        }
    };
    if user.verification_url.is_none() {
        let verification = services
            .ledger
            .initiate_verification(&ledger_id, &format!("initiate-kyc-{id}"))
            .await?;
        let url = verification
            .verification_url
            .clone()
            .ok_or(VerificationError::NoVerificationUrl)?;
        if !services.ledger.is_hosted_page(&url) {
            return Err(VerificationError::UntrustedVerificationUrl);
        }
        services.store.set_verification_url(id, &url).await?;
        services
            .store
            .apply_status(
                id,
                reported(verification, services.clock.now_ms() - OBSERVATION_SKEW_MS),
                StatusSource::Initiation,
            )
            .await?;
    }
    user = load(services, id).await?;
    if user.budget_held_at.is_some() {
        // They waited for the budget: now they can start, and are told so.
        let lang = user.language.unwrap_or_default();
        let email =
            crate::email::templates::can_start(lang, &user.email, &user.first_name, &services.public_url);
        services.store.end_budget_wait(id, &email).await?;
    }
    Ok(user)
}

/// Takes one verification from the budget for `id` (see [`crate::budget`]). The admins are
/// emailed on the first refusal of the day.
async fn take_from_budget(services: &Services, id: &UserId) -> Result<bool, VerificationError> {
    let admins: Vec<String> = if services.budget.is_limited() {
        services
            .store
            .operators()
            .await?
            .into_iter()
            .filter(|op| op.role == crate::operators::Role::Admin)
            .map(|op| op.email)
            .collect()
    } else {
        Vec::new()
    };
    let base = services.public_url.clone();
    let alerts = move || {
        admins
            .iter()
            .map(|to| {
                crate::email::templates::budget_reached(
                    to,
                    &base,
                    "People who confirm their email now are told they will be emailed when they can start.",
                )
            })
            .collect()
    };
    let granted = services
        .store
        .take_verification(id, services.budget, &alerts)
        .await?;
    if !granted {
        tracing::warn!("verification budget used up; the verification waits");
    }
    Ok(granted)
}

/// Where to send the user to start or continue verification: a fresh link from LedgerOS, or the
/// stored one if LedgerOS cannot give one right now (the same URL stays valid).
#[tracing::instrument(skip(services), fields(user = %id))]
pub async fn verification_url(services: &Services, id: &UserId) -> Result<String, VerificationError> {
    let user = provision(services, id).await?;
    let ledger_id = LedgerUserId::new(user.ledger_user_id.clone().expect("provisioned users are linked"));
    match services.ledger.verification_link(&ledger_id).await {
        Ok(link) if !services.ledger.is_hosted_page(&link.verification_url) => {
            Err(VerificationError::UntrustedVerificationUrl)
        }
        Ok(link) => {
            if user.verification_url.as_deref() != Some(link.verification_url.as_str()) {
                services
                    .store
                    .set_verification_url(id, &link.verification_url)
                    .await?;
            }
            Ok(link.verification_url)
        }
        Err(e) => {
            tracing::warn!(error = %e, "fresh verification link unavailable; using the stored one");
            let stored = user
                .verification_url
                .ok_or(VerificationError::NoVerificationUrl)?;
            if services.ledger.is_hosted_page(&stored) {
                Ok(stored)
            } else {
                Err(VerificationError::UntrustedVerificationUrl)
            }
        }
    }
}

/// Asks LedgerOS for the user's current status and applies it through the state machine.
/// Used when the user comes back from the hosted page and by the reconciler; webhooks remain
/// the main source, so the read is dated [`OBSERVATION_SKEW_MS`] back.
#[tracing::instrument(skip(services), fields(user = %id))]
pub async fn refresh_status(
    services: &Services,
    id: &UserId,
    source: StatusSource,
) -> Result<UserRecord, VerificationError> {
    refresh(services, id, source, true, |_| {
        services.clock.now_ms() - OBSERVATION_SKEW_MS
    })
    .await
}

/// [`refresh_status`] for the demo's history, written with a manual clock: the same read and
/// the same state machine, outside the shared read budget, whose count follows the wall clock
/// (a read dated weeks back would find it spent until today).
pub async fn refresh_status_in_past(
    services: &Services,
    id: &UserId,
    source: StatusSource,
) -> Result<UserRecord, VerificationError> {
    refresh(services, id, source, false, |_| {
        services.clock.now_ms() - OBSERVATION_SKEW_MS
    })
    .await
}

/// Like [`refresh_status`], right after a change we made ourselves at `changed_at` (a document
/// upload): the read is its consequence, so it is dated then, never before the status we hold;
/// the webhook that asked for the change cannot hide it, while any later webhook still wins.
#[tracing::instrument(skip(services), fields(user = %id))]
pub async fn refresh_after_change(
    services: &Services,
    id: &UserId,
    changed_at: Millis,
) -> Result<UserRecord, VerificationError> {
    refresh(
        services,
        id,
        StatusSource::AfterChange,
        true,
        |held: Option<Millis>| held.map_or(changed_at, |as_of| as_of.max(changed_at)),
    )
    .await
}

async fn refresh(
    services: &Services,
    id: &UserId,
    source: StatusSource,
    metered: bool,
    dated: impl FnOnce(Option<Millis>) -> Millis,
) -> Result<UserRecord, VerificationError> {
    let user = load(services, id).await?;
    let Some(ledger_id) = user.ledger_user_id.clone() else {
        return Ok(user);
    };
    if metered && !take_read(services).await {
        return Err(VerificationError::ReadBudget);
    }
    let verification = services
        .ledger
        .get_verification(&LedgerUserId::new(ledger_id))
        .await?;
    services.store.mark_confirmed(id).await?;
    if verification.application_status != ApplicationStatus::NotStarted {
        let update = reported(verification, dated(user.kyc.as_of_ms));
        let outcome = services.store.apply_status(id, update, source).await?;
        tracing::debug!(?outcome, "status refreshed from LedgerOS");
    }
    load(services, id).await
}

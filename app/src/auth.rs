//! Server-side sessions and sign-in, on axum-login over tower-sessions: the session id is
//! cycled at login, and each request checks a fingerprint of the account's password hash, so a
//! password reset ends every session made before it. We add the absolute timeout.

use axum_login::{AuthUser, AuthnBackend};
use leptos::prelude::*;
use onboarding::accounts::{self, LoginError, login_expired};
use onboarding::services::Services;
use onboarding::store::{StoreError, UserId, UserRecord};
use tower_sessions::Session;

use crate::views::{Flash, StatusView};

const FLASH_KEY: &str = "flash";
const LOGGED_IN_AT_KEY: &str = "logged_in_at";

/// The session of the current request, with its signed-in user if any.
pub type Auth = axum_login::AuthSession<Backend>;

/// A signed-in account as the session layer sees it.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub record: UserRecord,
    fingerprint: [u8; 32],
}

impl SignedIn {
    pub fn new(record: UserRecord) -> Self {
        let fingerprint = accounts::session_fingerprint(&record.password_hash);
        Self { record, fingerprint }
    }
}

impl AuthUser for SignedIn {
    type Id = UserId;

    fn id(&self) -> UserId {
        self.record.id.clone()
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.fingerprint
    }
}

/// Email and password, as typed.
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// Looks accounts up in our store and checks passwords with argon2id.
#[derive(Clone)]
pub struct Backend {
    services: Services,
}

impl Backend {
    pub fn new(services: Services) -> Self {
        Self { services }
    }
}

impl AuthnBackend for Backend {
    type User = SignedIn;
    type Credentials = Credentials;
    type Error = StoreError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SignedIn>, StoreError> {
        match accounts::log_in(&self.services, &creds.email, creds.password).await {
            Ok(id) => Ok(self.services.store.user(&id).await?.map(SignedIn::new)),
            Err(LoginError::InvalidCredentials) => Ok(None),
            Err(LoginError::Store(e)) => Err(e),
        }
    }

    /// The row loaded with the session when there is one (one read for both), else a read.
    async fn get_user(&self, id: &UserId) -> Result<Option<SignedIn>, StoreError> {
        if let Some(user) = onboarding::store::take_loaded_user(id) {
            return Ok(Some(SignedIn::new(user)));
        }
        Ok(self.services.store.user(id).await?.map(SignedIn::new))
    }
}

async fn auth() -> Result<Auth, ServerFnError> {
    leptos_axum::extract::<Auth>()
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

/// The signed-in user of `auth`; ends the session if it is past the absolute timeout (the
/// idle timeout is the session store's own expiry).
pub async fn signed_in(auth: &Auth) -> Option<UserRecord> {
    let user = auth.user.as_ref()?;
    let logged_in_at = auth
        .session
        .get::<i64>(LOGGED_IN_AT_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    if login_expired(logged_in_at, auth.backend.services.clock.now_ms()) {
        let _ = auth.session.flush().await;
        return None;
    }
    Some(user.record.clone())
}

/// The id of the signed-in user of `auth`.
pub async fn user_id(auth: &Auth) -> Option<UserId> {
    signed_in(auth).await.map(|user| user.id)
}

/// Signs `user` in: axum-login gives the session a new id first, so an id planted before
/// login is worthless.
pub async fn log_in(auth: &mut Auth, user: &UserId) -> Result<(), String> {
    let Some(user) = auth.backend.get_user(user).await.map_err(|e| e.to_string())? else {
        return Err("the account does not exist".to_owned());
    };
    log_in_user(auth, &user).await
}

/// Signs in an account already loaded (after checking its password).
pub async fn log_in_user(auth: &mut Auth, user: &SignedIn) -> Result<(), String> {
    // axum-login cycles the id only for a session with nobody signed in; a session switching
    // accounts (a signup link opened while logged in as someone else) gets a new id too.
    auth.session.cycle_id().await.map_err(|e| e.to_string())?;
    auth.login(user).await.map_err(|e| e.to_string())?;
    auth.session
        .insert(LOGGED_IN_AT_KEY, auth.backend.services.clock.now_ms())
        .await
        .map_err(|e| e.to_string())
}

/// Ends the session on the server, not only in the browser.
pub async fn log_out(auth: &mut Auth) -> Result<(), String> {
    auth.logout().await.map(|_| ()).map_err(|e| e.to_string())
}

/// Leaves `flash` for the next page that shows `flash.form`.
pub async fn set_flash(session: &Session, flash: Flash) -> Result<(), tower_sessions::session::Error> {
    session.insert(FLASH_KEY, flash).await
}

/// The signed-in user, from the session of the current request.
pub async fn current_user() -> Result<Option<UserRecord>, ServerFnError> {
    let auth = auth().await?;
    Ok(signed_in(&auth).await)
}

pub async fn take_flash(form: &str) -> Result<Option<Flash>, ServerFnError> {
    Ok(take_flash_of(&auth().await?.session, form).await)
}

/// Takes (reads and removes) the flash `session` holds for `form`, if any.
pub async fn take_flash_of(session: &Session, form: &str) -> Option<Flash> {
    let flash: Option<Flash> = session.get(FLASH_KEY).await.ok().flatten();
    match flash {
        Some(flash) if flash.form == form => {
            let _ = session.remove::<Flash>(FLASH_KEY).await;
            Some(flash)
        }
        _ => None,
    }
}

/// Asks to LedgerOS for one user's status at most once per [`RefreshGate::INTERVAL`]: a page
/// (or a script) calling the refresh server function in a loop is answered from our store
/// instead of spending LedgerOS's rate limit, which every user shares.
#[derive(Default)]
pub struct RefreshGate {
    last: std::sync::Mutex<std::collections::HashMap<UserId, std::time::Instant>>,
}

impl RefreshGate {
    pub const INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);
    /// Most users remembered at once; older entries are forgotten first.
    const MAX_USERS: usize = 100_000;

    /// Whether `user` may ask LedgerOS now (and, if so, counts it).
    pub fn allow(&self, user: &UserId) -> bool {
        let now = std::time::Instant::now();
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(at) = last.get(user)
            && now.duration_since(*at) < Self::INTERVAL
        {
            return false;
        }
        if last.len() >= Self::MAX_USERS {
            last.retain(|_, at| now.duration_since(*at) < Self::INTERVAL);
            if last.len() >= Self::MAX_USERS {
                return false;
            }
        }
        last.insert(user.clone(), now);
        true
    }
}

/// `user`'s status as stored (webhooks keep it current), after asking LedgerOS when nobody did
/// within the last minute, since the contract sends no webhook for some statuses (manual
/// review, needs verification, a lock). LedgerOS gets two seconds.
pub async fn checked_status(services: &Services, user: UserRecord) -> StatusView {
    let check =
        onboarding::verification::refresh_record_if_due(services, user.clone(), services.status_check_gap);
    let user = match tokio::time::timeout(std::time::Duration::from_secs(2), check).await {
        Ok(Ok(fresh)) => fresh,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "could not check the status; showing the stored one");
            user
        }
        Err(_) => user,
    };
    status_view_of(user, services.clock.now_ms())
}

/// `user`'s status on their return from LedgerOS's hosted page: asked of LedgerOS first,
/// unless `gate` says it was asked within seconds (webhooks keep the stored one current).
pub async fn returned_status(services: &Services, gate: &RefreshGate, user: UserRecord) -> StatusView {
    if let Err(e) = services.store.mark_returned(&user.id).await {
        tracing::warn!(error = %e, "could not note the return from the hosted page");
    }
    if !gate.allow(&user.id) {
        let stored = services.store.user(&user.id).await.ok().flatten().unwrap_or(user);
        return status_view_of(stored, services.clock.now_ms());
    }
    let user = match onboarding::verification::refresh_status(
        services,
        &user.id,
        onboarding::kyc::StatusSource::Return,
    )
    .await
    {
        Ok(fresh) => fresh,
        Err(e) => {
            // The stored status is still right to show; webhooks will bring the news.
            tracing::warn!(error = %e, "could not refresh the status from LedgerOS");
            user
        }
    };
    status_view_of(user, services.clock.now_ms())
}

/// What the status page shows of `user`, at `now_ms`.
pub fn status_view_of(user: UserRecord, now_ms: i64) -> StatusView {
    StatusView {
        confirmed_secs_ago: user.confirmed_at.map(|at| (now_ms - at).max(0) / 1000),
        first_name: user.first_name,
        status: user.kyc.status,
        required_fields: user.kyc.required_fields,
        provisioned: user.verification_url.is_some(),
        waiting_for_budget: user.verification_url.is_none() && user.budget_held_at.is_some(),
        returned: user.returned_at.is_some(),
        appeal_sent_at: user.appealed_at,
        appeal_answered_at: user.appeal_answered_at,
        reminders: !user.reminders_off,
    }
}

//! The built-in simulated LedgerOS.
//!
//! A real HTTP service on its own listener: the app talks to it with reqwest exactly as it
//! would to real LedgerOS (set `LEDGER_API_URL` to [`Sandbox::base_url`]). It serves
//!
//! - the JSON API of the contract under `/v1` (`api.rs`), checking `Api-Key`, honouring
//!   `Idempotency-Key` on POST and answering errors as
//!   `{"error":{"type","code","message"},"request_id"}`;
//! - the hosted verification pages behind `verificationUrl` (`/verify/{token}`,
//!   `hosted.rs`): the guide's four steps, then a "Sandbox controls" page to choose the outcome;
//! - signed webhooks to `{app_url}/webhooks/ledger`, retried until 2xx (`delivery.rs`).
//!
//! Tests drive it over HTTP like the app does, or with [`Sandbox::decide`] /
//! [`Sandbox::decide_with`] (the same thing the controls page does) and inspect
//! [`Sandbox::deliveries`].
//!
//! Nothing sensitive is kept: SSNs, dates of birth, phone numbers, addresses and document
//! bytes are validated and dropped; only names, email, status and the *types* of documents
//! received are held, in memory.

mod api;
mod decision;
mod delivery;
mod hosted;
mod state;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::task::AbortHandle;

use onboarding::status::ApplicationStatus;

pub use decision::{Decision, Outcome, SandboxError, WebhookMode};
pub use delivery::Delivery;
use delivery::Event;
use state::{State, Step, User};

/// How the sandbox is set up.
#[derive(Clone)]
pub struct SandboxConfig {
    /// The `Api-Key` header value every API request must carry, e.g. `lk_test_sandbox`.
    pub api_key: String,
    /// Webhook signing secrets; every event is signed with each of them (one `v1=` per
    /// secret), so the app may hold either while it rotates.
    pub webhook_secrets: Vec<String>,
    /// The app's base URL, e.g. `http://127.0.0.1:3000`: webhooks go to
    /// `{app_url}/webhooks/ledger`, users return to `{app_url}/verification/return`.
    pub app_url: String,
    /// Also send `user.application.updated` for statuses LedgerOS's contract sends no webhook
    /// for (pending, manual review, needs verification, locked…). Off by default, as with the
    /// real service, which only promises `approved`, `denied` and `needs_info`.
    pub status_updates: bool,
    /// Where the sandbox keeps its users between runs (the demo's `data/sandbox.json`):
    /// read at start, written within a second of each change. `None`: memory only.
    pub state_file: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("api_key", &"[redacted]")
            .field(
                "webhook_secrets",
                &format_args!("[{} redacted]", self.webhook_secrets.len()),
            )
            .field("app_url", &self.app_url)
            .field("status_updates", &self.status_updates)
            .field("state_file", &self.state_file)
            .finish()
    }
}

impl SandboxConfig {
    fn app_url(&self) -> &str {
        self.app_url.trim_end_matches('/')
    }

    /// Where webhooks are POSTed.
    pub fn webhook_url(&self) -> String {
        format!("{}/webhooks/ledger", self.app_url())
    }

    /// Where the hosted page sends the user when they are done.
    pub fn return_url(&self) -> String {
        format!("{}/verification/return", self.app_url())
    }
}

/// A running sandbox. Dropping it stops the server and any pending decision or delivery.
pub struct Sandbox {
    inner: Arc<Inner>,
    server: AbortHandle,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.inner.base_url)
            .finish()
    }
}

impl Sandbox {
    /// Serves the sandbox on `listener` (in a spawned tokio task) and returns its handle.
    pub async fn start(config: SandboxConfig, listener: tokio::net::TcpListener) -> std::io::Result<Sandbox> {
        let addr = listener.local_addr()?;
        let base_url = base_url_for(addr);
        if config.webhook_secrets.is_empty() {
            tracing::warn!("sandbox: no webhook secret configured; webhooks will be unsigned");
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(std::io::Error::other)?;
        let state = match &config.state_file {
            Some(path) => match std::fs::read(path) {
                Ok(bytes) => State::from_json(&bytes).unwrap_or_else(|error| {
                    tracing::warn!(%error, path = %path.display(), "sandbox: state file unreadable; starting empty");
                    State::default()
                }),
                Err(_) => State::default(),
            },
            None => State::default(),
        };
        let persist = config.state_file.clone();
        let inner = Arc::new(Inner {
            config,
            base_url,
            state: Mutex::new(state),
            outage: AtomicU8::new(Outage::Up as u8),
            api_requests: AtomicU64::new(0),
            replays: AtomicU64::new(0),
            deliveries: Mutex::new(Vec::new()),
            tasks: Mutex::new(Vec::new()),
            http,
        });
        let app = api::router(inner.clone())
            .merge(hosted::router())
            .with_state(inner.clone());
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "sandbox: server stopped");
            }
        })
        .abort_handle();
        if let Some(path) = persist {
            let saver = tokio::spawn(keep_saved(Arc::downgrade(&inner), path)).abort_handle();
            lock(&inner.tasks).push(saver);
        }
        tracing::info!(base_url = %inner.base_url, "sandbox: LedgerOS sandbox listening");
        Ok(Sandbox { inner, server })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash): the value for `LEDGER_API_URL`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Applies `outcome` to the user now, exactly as the controls page would with no delay.
    pub async fn decide(&self, user_id: &str, outcome: Outcome) -> Result<(), SandboxError> {
        self.decide_with(user_id, outcome.into()).await
    }

    /// Applies a decision with a delay and/or a webhook delivery mode. A new decision for the
    /// same user cancels any of its stages still waiting (manual review end, delay).
    pub async fn decide_with(&self, user_id: &str, decision: Decision) -> Result<(), SandboxError> {
        self.inner.decide(user_id, decision)
    }

    /// Applies `outcome` at once as if LedgerOS had decided at `at_ms` (in the past), and
    /// returns the webhook bodies it would have sent then, without delivering them: the demo
    /// writes its history through the app's own webhook ingestion with the app's clock set
    /// back. Events the contract does not send (see [`SandboxConfig::status_updates`]) are left
    /// out, as in a delivery; a manual review's next stage is not scheduled (decide it again).
    /// Any stage still waiting for this user is cancelled.
    pub fn decide_in_past(
        &self,
        user_id: &str,
        outcome: &Outcome,
        at_ms: i64,
    ) -> Result<Vec<String>, SandboxError> {
        outcome.validate()?;
        let mut state = self.inner.state();
        let user = state
            .users
            .get_mut(user_id)
            .ok_or_else(|| SandboxError::UnknownUser(user_id.to_owned()))?;
        user.generation += 1;
        let (event, _) = apply(user, outcome, at_ms);
        user.scheduled = None;
        let sent = self.inner.config.status_updates || event.event_type != delivery::UPDATED;
        Ok(if sent { vec![event.body] } else { Vec::new() })
    }

    /// Forgets every user (the demo's reset), and any decision or delivery still waiting.
    pub fn reset(&self) {
        *self.inner.state() = State::default();
        lock(&self.inner.deliveries).clear();
    }

    /// While on, every API request is answered `503` (the hosted pages keep working).
    pub fn set_outage(&self, on: bool) {
        self.set_outage_mode(if on { Outage::Unavailable } else { Outage::Up });
    }

    /// How the API answers from now on: normally, `503`, or `429` with `Retry-After`.
    pub fn set_outage_mode(&self, mode: Outage) {
        self.inner.set_outage(mode);
    }

    /// How many `POST`s were answered by replaying an earlier response (`Idempotency-Key`).
    pub fn idempotent_replays(&self) -> u64 {
        self.inner.replays.load(Ordering::SeqCst)
    }

    /// How many API requests the sandbox has received so far.
    pub fn api_requests(&self) -> u64 {
        self.inner.api_requests.load(Ordering::SeqCst)
    }

    /// The details (`firstName`, `dateOfBirth`, `address`…) a user has sent by `PATCH`.
    pub fn details_received(&self, user_id: &str) -> Vec<String> {
        self.inner
            .state()
            .users
            .get(user_id)
            .map(|u| u.details_received.clone())
            .unwrap_or_default()
    }

    /// Every LedgerOS user as (email, id, whether verification was initiated), for harnesses
    /// that check each person was set up exactly once.
    pub fn users_by_email(&self) -> Vec<(String, String, bool)> {
        self.inner
            .state()
            .users
            .values()
            .map(|u| (u.email.clone(), u.id.clone(), u.token.is_some()))
            .collect()
    }

    /// How many LedgerOS users exist (an idempotent replay creates none).
    pub fn user_count(&self) -> usize {
        self.inner.state().users.len()
    }

    /// Every webhook delivery started so far, oldest first (a duplicate counts twice).
    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.inner.deliveries).clone()
    }

    /// Waits until at least `count` deliveries have been acknowledged with a 2xx, then returns
    /// all deliveries; `None` if that did not happen within `timeout`.
    pub async fn wait_for_delivered(&self, count: usize, timeout: Duration) -> Option<Vec<Delivery>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let all = self.deliveries();
            if all.iter().filter(|d| d.delivered).count() >= count {
                return Some(all);
            }
            if tokio::time::Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The user's current status, if the user exists (a shortcut for tests).
    pub fn status_of(&self, user_id: &str) -> Option<ApplicationStatus> {
        self.inner.state().users.get(user_id).map(|u| u.status.clone())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.server.abort();
        for task in lock(&self.inner.tasks).drain(..) {
            task.abort();
        }
    }
}

fn base_url_for(addr: SocketAddr) -> String {
    let ip = addr.ip();
    let host = if ip.is_unspecified() {
        if ip.is_ipv4() {
            "127.0.0.1".to_owned()
        } else {
            "[::1]".to_owned()
        }
    } else if ip.is_ipv6() {
        format!("[{ip}]")
    } else {
        ip.to_string()
    };
    format!("http://{host}:{}", addr.port())
}

/// Writes the state to `path` whenever it changed, checking every second, until the sandbox
/// stops. The file is replaced whole (written beside it, then renamed).
async fn keep_saved(inner: std::sync::Weak<Inner>, path: std::path::PathBuf) {
    let mut written = std::fs::read(&path).unwrap_or_default();
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let Some(inner) = inner.upgrade() else { return };
        let bytes = inner.state().to_json();
        drop(inner);
        if bytes == written {
            continue;
        }
        let temporary = path.with_extension("json.tmp");
        match std::fs::write(&temporary, &bytes).and_then(|()| std::fs::rename(&temporary, &path)) {
            Ok(()) => written = bytes,
            Err(error) => tracing::warn!(%error, path = %path.display(), "sandbox: could not save its state"),
        }
    }
}

/// How the sandbox's API answers: the outage switch of the overview page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Outage {
    /// Normally.
    Up = 0,
    /// `503` with `Retry-After: 1` to every request.
    Unavailable = 1,
    /// `429` with `Retry-After` to every request: LedgerOS's rate limit.
    Throttled = 2,
}

impl Outage {
    /// Seconds a throttled answer asks the app to wait.
    pub const RETRY_AFTER_SECS: u64 = 2;

    fn from_u8(value: u8) -> Self {
        match value {
            1 => Self::Unavailable,
            2 => Self::Throttled,
            _ => Self::Up,
        }
    }

    /// The form value and the JSON name: `up`, `503` or `429`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Unavailable => "503",
            Self::Throttled => "429",
        }
    }
}

/// Locks a mutex, carrying on after a panic elsewhere (the data stays usable for a sandbox).
/// The wall clock in milliseconds since the epoch, as LedgerOS dates its events.
fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Shared by the HTTP handlers, the scheduled decisions and the deliveries.
struct Inner {
    config: SandboxConfig,
    base_url: String,
    state: Mutex<State>,
    /// An [`Outage`], as its number.
    outage: AtomicU8,
    /// API requests received (any endpoint, any answer), for tests that count calls.
    api_requests: AtomicU64,
    /// `POST`s answered by replaying the first response for their `Idempotency-Key`.
    replays: AtomicU64,
    deliveries: Mutex<Vec<Delivery>>,
    /// Background tasks (scheduled decisions, deliveries), aborted when the handle drops.
    tasks: Mutex<Vec<AbortHandle>>,
    http: reqwest::Client,
}

impl Inner {
    fn outage(&self) -> Outage {
        Outage::from_u8(self.outage.load(Ordering::SeqCst))
    }

    fn set_outage(&self, mode: Outage) {
        tracing::info!(mode = mode.as_str(), "sandbox: outage switch");
        self.outage.store(mode as u8, Ordering::SeqCst);
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn verification_url(&self, token: &str) -> String {
        format!("{}/verify/{token}", self.base_url)
    }

    fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let handle = tokio::spawn(future).abort_handle();
        let mut tasks = lock(&self.tasks);
        tasks.retain(|t| !t.is_finished());
        tasks.push(handle);
    }

    fn decide(self: &Arc<Self>, user_id: &str, decision: Decision) -> Result<(), SandboxError> {
        decision.outcome.validate()?;
        let generation = {
            let mut state = self.state();
            let user = state
                .users
                .get_mut(user_id)
                .ok_or_else(|| SandboxError::UnknownUser(user_id.to_owned()))?;
            user.generation += 1;
            if !decision.delay.is_zero() {
                user.scheduled = Some(format!(
                    "{} in {} s",
                    decision.outcome.describe(),
                    decision.delay.as_secs()
                ));
            }
            user.generation
        };
        tracing::info!(
            user_id,
            outcome = %decision.outcome.describe(),
            delay_secs = decision.delay.as_secs(),
            webhooks = ?decision.webhooks,
            "sandbox: decision"
        );
        let user_id = user_id.to_owned();
        if decision.delay.is_zero() {
            self.run_stage(user_id, generation, decision.outcome, decision.webhooks, None);
        } else {
            self.schedule(
                decision.delay,
                user_id,
                generation,
                decision.outcome,
                decision.webhooks,
                None,
            );
        }
        Ok(())
    }

    fn schedule(
        self: &Arc<Self>,
        after: Duration,
        user_id: String,
        generation: u64,
        outcome: Outcome,
        mode: WebhookMode,
        held: Option<Event>,
    ) {
        let inner = self.clone();
        self.spawn(async move {
            tokio::time::sleep(after).await;
            inner.run_stage(user_id, generation, outcome, mode, held);
        });
    }

    /// Applies one stage of a decision unless a newer decision superseded it, then delivers
    /// its event (and any event held back for [`WebhookMode::Reversed`]).
    fn run_stage(
        self: &Arc<Self>,
        user_id: String,
        generation: u64,
        outcome: Outcome,
        mode: WebhookMode,
        held: Option<Event>,
    ) {
        let applied = {
            let mut state = self.state();
            match state.users.get_mut(&user_id) {
                Some(user) if user.generation == generation => Some(apply(user, &outcome, now_ms())),
                _ => None,
            }
        };
        let Some((event, next)) = applied else {
            tracing::info!(user_id, "sandbox: scheduled decision superseded");
            if let Some(held) = held {
                self.deliver(vec![held], mode);
            }
            return;
        };
        match next {
            Some((then, after)) => {
                let held = if mode == WebhookMode::Reversed {
                    Some(event)
                } else {
                    self.deliver(vec![event], mode);
                    None
                };
                self.schedule(after, user_id, generation, then, mode, held);
            }
            None => self.deliver(std::iter::once(event).chain(held).collect(), mode),
        }
    }
}

/// Sets the user's status for `outcome`, returning the event to send and, for a manual
/// review, what follows and when.
fn apply(user: &mut User, outcome: &Outcome, at_ms: i64) -> (Event, Option<(Outcome, Duration)>) {
    user.scheduled = None;
    user.required_fields.clear();
    let mut next = None;
    user.status = match outcome {
        Outcome::Approve => ApplicationStatus::Approved,
        Outcome::Deny { reason } => {
            user.reason = Some(reason.trim().to_owned());
            ApplicationStatus::Denied
        }
        Outcome::NeedsInformation { required_fields } => {
            for field in required_fields {
                let field = field.trim().to_owned();
                if !user.required_fields.contains(&field) {
                    user.required_fields.push(field);
                }
            }
            ApplicationStatus::NeedsInformation
        }
        Outcome::NeedsVerification => {
            user.step = Step::Personal;
            ApplicationStatus::NeedsVerification
        }
        Outcome::ManualReview { then, after } => {
            user.scheduled = Some(format!("{} in {} s", then.describe(), after.as_secs()));
            next = Some(((**then).clone(), *after));
            ApplicationStatus::ManualReview
        }
        Outcome::Lock => ApplicationStatus::Locked,
    };
    tracing::info!(user_id = %user.id, status = %user.status, "sandbox: status changed");
    (Event::for_user(user, at_ms), next)
}

//! Signed webhook delivery: POST to `{app_url}/webhooks/ledger`, retried until a 2xx.
//!
//! Every attempt is signed afresh (new timestamp) over the same body with the same event id.
//! Backoff doubles from 200 ms up to 30 s; after about an hour the delivery is given up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use super::state::{User, random_id};
use super::{Inner, WebhookMode, lock};
use onboarding::status::ApplicationStatus;
use onboarding::webhook::signature::signature_header;

const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
const GIVE_UP_AFTER: Duration = Duration::from_secs(60 * 60);

/// One webhook delivery, as seen by tests through [`super::Sandbox::deliveries`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub event_id: String,
    pub event_type: String,
    pub user_id: String,
    /// The exact JSON body sent (the same on every attempt).
    pub body: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// Acknowledged with a 2xx.
    pub delivered: bool,
    /// Abandoned after about an hour of failures.
    pub gave_up: bool,
}

/// The event type for any other status change: not in LedgerOS's published contract, sent
/// only when [`SandboxConfig::status_updates`](crate::SandboxConfig::status_updates) is on.
pub(super) const UPDATED: &str = "user.application.updated";

/// A webhook event, serialized once at the moment its status changed.
#[derive(Clone, Debug)]
pub(super) struct Event {
    pub id: String,
    pub event_type: &'static str,
    pub user_id: String,
    pub body: String,
}

impl Event {
    /// The event announcing the user's current status, created at `created_at_ms`.
    pub fn for_user(user: &User, created_at_ms: i64) -> Event {
        let event_type = match user.status {
            ApplicationStatus::Approved => "user.application.approved",
            ApplicationStatus::Denied => "user.application.denied",
            ApplicationStatus::NeedsInformation => "user.application.needs_info",
            _ => UPDATED,
        };
        let mut data = json!({ "userId": user.id, "applicationStatus": user.status });
        if user.status == ApplicationStatus::Denied
            && let Some(reason) = &user.reason
        {
            data["reason"] = json!(reason);
        }
        if !user.required_fields.is_empty() {
            data["requiredFields"] = json!(user.required_fields);
        }
        let id = random_id("evt_", 24);
        let body = json!({ "id": id, "type": event_type, "createdAt": created_at_ms, "data": data });
        Event {
            id,
            event_type,
            user_id: user.id.clone(),
            body: body.to_string(),
        }
    }
}

impl Inner {
    /// Delivers `events` one after the other in a background task, as `mode` says.
    pub(super) fn deliver(self: &Arc<Self>, events: Vec<Event>, mode: WebhookMode) {
        let (events, unsent): (Vec<Event>, Vec<Event>) = events
            .into_iter()
            .partition(|event| self.config.status_updates || event.event_type != UPDATED);
        for event in &unsent {
            // As with the real LedgerOS: the app learns these by reading the status.
            tracing::info!(event_id = %event.id, "sandbox: no webhook for this status (the contract sends none)");
        }
        if mode == WebhookMode::Skip {
            for event in &events {
                tracing::info!(event_id = %event.id, event_type = event.event_type, "sandbox: webhook skipped");
            }
            return;
        }
        let inner = self.clone();
        self.spawn(async move {
            for event in events {
                if let WebhookMode::Late(by) = mode {
                    tokio::time::sleep(by).await;
                }
                inner.deliver_one(&event).await;
                if mode == WebhookMode::Duplicate {
                    inner.deliver_one(&event).await;
                }
            }
        });
    }

    /// Tries until a 2xx or until about an hour has passed.
    async fn deliver_one(&self, event: &Event) {
        let index = {
            let mut deliveries = lock(&self.deliveries);
            deliveries.push(Delivery {
                event_id: event.id.clone(),
                event_type: event.event_type.to_owned(),
                user_id: event.user_id.clone(),
                body: event.body.clone(),
                attempts: 0,
                delivered: false,
                gave_up: false,
            });
            deliveries.len() - 1
        };
        let url = self.config.webhook_url();
        let started = Instant::now();
        let mut backoff = FIRST_BACKOFF;
        loop {
            lock(&self.deliveries)[index].attempts += 1;
            let now_secs = time::OffsetDateTime::now_utc().unix_timestamp();
            let signature = signature_header(
                self.config.webhook_secrets.iter().map(String::as_str),
                now_secs,
                event.body.as_bytes(),
            );
            let result = self
                .http
                .post(&url)
                .header("Content-Type", "application/json")
                .header("X-Ledger-Event-Id", &event.id)
                .header("X-Ledger-Event-Type", event.event_type)
                .header("X-Ledger-Signature", signature)
                .body(event.body.clone())
                .send()
                .await;
            match result {
                Ok(response) if response.status().is_success() => {
                    lock(&self.deliveries)[index].delivered = true;
                    tracing::info!(event_id = %event.id, event_type = event.event_type, "sandbox: webhook delivered");
                    return;
                }
                Ok(response) => {
                    tracing::warn!(event_id = %event.id, status = %response.status(), retry_in_ms = backoff.as_millis() as u64, "sandbox: webhook refused");
                }
                Err(error) => {
                    tracing::warn!(event_id = %event.id, %error, retry_in_ms = backoff.as_millis() as u64, "sandbox: webhook not delivered");
                }
            }
            if started.elapsed() + backoff > GIVE_UP_AFTER {
                lock(&self.deliveries)[index].gave_up = true;
                tracing::error!(event_id = %event.id, "sandbox: webhook given up after an hour of failures");
                return;
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }
}

//! LedgerOS webhooks: signature verification and the event envelope.

pub mod event;
pub mod signature;

pub use event::{EventData, EventEnvelope, EventError, EventId, EventKind, ParsedEvent};
pub use signature::{SignatureError, WebhookSecrets};

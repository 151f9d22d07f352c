//! Background work beside the web server: the outbox of calls to LedgerOS, and the reconciler
//! that polls LedgerOS for users whose webhooks may have been lost.

pub mod outbox;
pub mod reconciler;

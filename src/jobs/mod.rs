//! Background work: the LedgerOS outbox, the email outbox, reminders and the reconciler.

pub mod mail;
pub mod outbox;
pub mod reconciler;
pub mod reminders;

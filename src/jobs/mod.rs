//! Background work: the queue of LedgerOS calls, the email queue, reminders and the reconciler.

pub mod ledger_calls;
pub mod mail;
pub mod reconciler;
pub mod reminders;

//! Background work: the queue of LedgerOS calls, the email queue, reminders, the reconciler
//! and the funnel's counts.

pub mod funnel;
pub mod ledger_calls;
pub mod mail;
pub mod reconciler;
pub mod reminders;

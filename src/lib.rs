//! Domain library of the LedgerOS onboarding app.
//!
//! Everything here that is not plain data sits behind the `server` feature, so the UI crate
//! can share [`status::ApplicationStatus`] with the browser without pulling in sqlx or reqwest.

pub mod contact;
pub mod details;
pub mod documents;
pub mod forms;
pub mod html;
pub mod i18n;
pub mod status;

#[cfg(feature = "server")]
pub mod accounts;
#[cfg(feature = "server")]
pub mod operators;
#[cfg(feature = "server")]
pub mod passkeys;
#[cfg(feature = "server")]
pub mod proof_of_work;
#[cfg(feature = "server")]
pub mod second_factor;
#[cfg(feature = "server")]
pub mod services;
#[cfg(feature = "server")]
pub mod verification;

#[cfg(feature = "server")]
pub mod budget;
#[cfg(feature = "domain")]
pub mod clock;
#[cfg(feature = "server")]
pub mod data_rights;
#[cfg(feature = "server")]
pub mod email;
#[cfg(feature = "server")]
pub mod funnel;
#[cfg(feature = "server")]
pub mod jobs;
#[cfg(feature = "domain")]
pub mod kyc;
#[cfg(feature = "domain")]
pub mod ledger;
#[cfg(feature = "server")]
pub mod store;
#[cfg(feature = "server")]
pub mod throwaway;
#[cfg(feature = "server")]
pub mod tokens;
#[cfg(feature = "domain")]
pub mod webhook;

//! The typed LedgerOS API client: one method per endpoint of the contract in DESIGN.md.
//!
//! The client needs the `server` feature; the types come with `domain` (the detail checks build
//! an update from them).

#[cfg(feature = "server")]
mod client;
#[cfg(feature = "server")]
mod error;
mod types;

#[cfg(all(test, feature = "server"))]
mod tests;

#[cfg(feature = "server")]
pub use client::{ClientConfig, LedgerClient};
#[cfg(feature = "server")]
pub use error::{DEFAULT_RETRY_AFTER, LedgerError};
pub use types::{
    Address, CreateUser, Document, DocumentType, InitiateVerification, InvalidLedgerUserId, LedgerUser,
    LedgerUserId, UpdateVerification, Verification, VerificationLink,
};

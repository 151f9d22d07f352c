//! The typed LedgerOS API client: one method per endpoint of the contract in DESIGN.md.

mod client;
mod error;
mod types;

#[cfg(test)]
mod tests;

pub use client::{ClientConfig, LedgerClient};
pub use error::{DEFAULT_RETRY_AFTER, LedgerError};
pub use types::{
    Address, CreateUser, Document, DocumentType, InitiateVerification, InvalidLedgerUserId, LedgerUser,
    LedgerUserId, UpdateVerification, Verification, VerificationLink,
};

//! How people reach the fintech's support team (shown on pages and in emails).

/// Where people write when something is wrong with their account.
pub const SUPPORT_EMAIL: &str = "support@northwind.example";

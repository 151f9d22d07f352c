//! HTTP integration tests: the real server and the real sandbox on free ports, a fresh database
//! per test (a SQLite file, or a PostgreSQL database when `TEST_DATABASE_URL` names a server),
//! and a cookie-keeping client that behaves like a browser without JavaScript.

mod console;
mod contract;
mod cost_controls;
mod data_rights;
mod decisions;
mod documents;
mod email;
#[path = "../support/harness.rs"]
mod harness;
mod helpers;
mod instances;
mod language;
mod observability;
mod onboarding_flow;
mod proof;
mod reminders;
mod resilience;
mod review;
mod second_factor;
mod security;
#[path = "../support/smtp.rs"]
mod smtp;
mod startup;
mod statuses;
mod store;
mod webhooks;

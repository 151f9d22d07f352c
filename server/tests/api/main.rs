//! HTTP integration tests: the real server and the real sandbox on free ports, a fresh SQLite
//! file per test, and a cookie-keeping client that behaves like a browser without JavaScript.

mod documents;
mod email;
mod helpers;
mod onboarding_flow;
mod reminders;
mod resilience;
mod review;
mod security;
mod statuses;
mod webhooks;

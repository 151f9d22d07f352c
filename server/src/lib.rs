//! The onboarding server: configuration, routes, sessions and start-up.

pub mod cli;
pub mod client_ip;
pub mod config;
pub mod demo;
pub mod limits;
pub mod live;
pub mod memory;
pub mod observability;
pub mod routes;
pub mod startup;
pub mod state;
pub mod supervise;
pub mod takeover;
pub mod telemetry;

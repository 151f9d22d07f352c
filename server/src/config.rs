//! Configuration, read once from the environment at start-up.

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::Url;

use onboarding::jobs::reconciler::ReconcilerConfig;
use onboarding::jobs::reminders::{ReminderConfig, parse_schedule};
use onboarding::webhook::WebhookSecrets;
use onboarding::webhook::signature::MAX_SECRETS;
use secrecy::SecretString;

use crate::client_ip::TrustedProxies;

/// The API key the built-in sandbox expects (demo mode only).
pub const SANDBOX_API_KEY: &str = "lk_test_sandbox";
/// The signing secret the built-in sandbox uses (demo mode only).
pub const SANDBOX_WEBHOOK_SECRET: &str = "whsec_sandbox_demo";

/// Where the data lives when `DATABASE_URL` is not set: a SQLite file beside the app.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/onboarding.db";

/// Which LedgerOS the app talks to, said plainly in the log at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The built-in sandbox, its public webhook secret and the open dev mailbox: for a laptop.
    Demo,
    /// Real LedgerOS (`LEDGER_API_URL`), real email.
    Live,
}

/// How long a client may take over each part of a request before it is cut off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// From the connection's first byte (or the end of the previous request) to the end of the
    /// request headers.
    pub header_read: Duration,
    /// Between two chunks of a request body.
    pub body: Duration,
    /// For the whole request until the response starts (a live-status stream, once started,
    /// is not cut).
    pub request: Duration,
    /// The same for document uploads, which send up to 10 MB from phones.
    pub upload: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            body: Duration::from_secs(20),
            request: Duration::from_secs(30),
            upload: Duration::from_secs(120),
        }
    }
}

/// Everything the server needs to know about its surroundings. Secrets are redacted in `Debug`.
#[derive(Clone, Debug)]
pub struct Config {
    /// Demo (built-in sandbox) or live (real LedgerOS).
    pub mode: Mode,
    /// `METRICS_TOKEN`: the bearer token `/metrics` asks for. Without it, `/metrics` answers
    /// only in demo mode (on a laptop); a live deployment without a token does not expose it.
    pub metrics_token: Option<SecretString>,
    /// `DATABASE_URL`: where the SQLite file lives.
    pub database_url: String,
    /// `LEDGER_API_URL`: real LedgerOS; `None` starts the built-in sandbox.
    pub ledger_api_url: Option<String>,
    /// `LEDGER_API_KEY`.
    pub ledger_api_key: SecretString,
    /// `LEDGER_WEBHOOK_SECRET`: comma-separated, newest first, for rotation.
    pub webhook_secrets: WebhookSecrets,
    /// `PUBLIC_URL`: how browsers and LedgerOS reach us; defaults to `http://{site_addr}`.
    pub public_url: Option<String>,
    /// `LEPTOS_SITE_ADDR`: where the app listens (port 0 picks a free port).
    pub site_addr: SocketAddr,
    /// `SANDBOX_ADDR`: where the built-in sandbox listens (port 0 picks a free port).
    pub sandbox_addr: SocketAddr,
    /// `SANDBOX_STATUS_UPDATES=1`: the sandbox also sends `user.application.updated` webhooks,
    /// which the real LedgerOS does not promise (off: only approved, denied and needs_info).
    pub sandbox_status_updates: bool,
    /// `RECONCILE_AFTER_SECS`: how long a pending or manual-review status may sit unchanged
    /// before we ask LedgerOS directly (the safety net for lost webhooks).
    pub reconciler: ReconcilerConfig,
    /// How often the LedgerOS call and mail workers look for due work when idle.
    pub worker_idle: Duration,
    /// How often one person's status is read from LedgerOS at most, at login and on their
    /// status page (one minute; tests shorten it).
    pub status_check_gap: Duration,
    /// `SMTP_URL`: `smtp://host:port`, `smtps://user:password@host`; unset: the dev mailbox.
    pub smtp_url: Option<SecretString>,
    /// `MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// `REMINDER_SCHEDULE` (default `1h,1d,3d`) and `REMINDER_POLL_SECS` (default 60).
    pub reminders: ReminderConfig,
    /// `DELETION_GRACE_DAYS` (default 30) and `AML_RETENTION_YEARS` (default 5).
    pub data_policy: onboarding::data_rights::DataPolicy,
    /// `VERIFICATION_DAILY_BUDGET` and `VERIFICATION_HOURLY_BUDGET`: at most this many
    /// verifications created a day (UTC) and an hour; unset, no limit (issue 30).
    pub budget: onboarding::budget::VerificationBudget,
    /// How often the erasure job looks for accounts due (`ERASURE_POLL_SECS`, default 60).
    pub erasure_poll: Duration,
    /// `TRUSTED_PROXIES`: reverse proxies whose `X-Forwarded-For`/`Forwarded` we believe.
    pub trusted_proxies: TrustedProxies,
    /// Header, body and request timeouts.
    pub timeouts: Timeouts,
    /// How often expired sessions are deleted.
    pub session_cleanup: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} must be set when LEDGER_API_URL points at LedgerOS")]
    Missing(&'static str),
    #[error("{name} is not valid: {why}")]
    Invalid { name: &'static str, why: String },
    #[error(
        "LEDGER_API_URL is not set, so this would start the demo (built-in sandbox, public webhook \
         secret, open dev mailbox), but {0} is not a loopback address. Set LEDGER_API_URL and its \
         secrets to run for real, or DEMO=1 to show the demo on this address anyway"
    )]
    DemoNotLoopback(String),
}

/// Whether `host` names this machine only (`localhost`, 127.0.0.0/8, `::1`).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses an http(s) URL named `name`; in live mode it must be https unless it is loopback.
fn checked_url(name: &'static str, value: &str, live: bool) -> Result<Url, ConfigError> {
    let invalid = |why: String| ConfigError::Invalid { name, why };
    let url = Url::parse(value).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid(
            "use an http(s) address such as https://example.com".into(),
        ));
    }
    if live && url.scheme() != "https" && !is_loopback(&url) {
        return Err(invalid(
            "use https: cookies, API keys and personal data must not cross the network in clear".into(),
        ));
    }
    Ok(url)
}

impl Config {
    /// Reads the environment. Unset values give a working demo: SQLite under `data/` and the
    /// built-in sandbox.
    pub fn from_env(site_addr: SocketAddr) -> Result<Self, ConfigError> {
        Self::from_vars(site_addr, |name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], reading variables through `lookup`.
    pub fn from_vars(
        site_addr: SocketAddr,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let ledger_api_url = var("LEDGER_API_URL");
        let demo = ledger_api_url.is_none();
        let live = !demo;
        if let Some(url) = &ledger_api_url {
            checked_url("LEDGER_API_URL", url, live)?;
        }
        let public_url = var("PUBLIC_URL").map(|u| u.trim().trim_end_matches('/').to_owned());
        let site_url = match &public_url {
            Some(url) => checked_url("PUBLIC_URL", url, live)?,
            None => checked_url("LEPTOS_SITE_ADDR", &format!("http://{site_addr}"), live)?,
        };
        if demo && !(site_addr.ip().is_loopback() && is_loopback(&site_url)) {
            let explicit = var("DEMO").is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
            if !explicit {
                let exposed = if site_addr.ip().is_loopback() {
                    site_url.to_string()
                } else {
                    site_addr.to_string()
                };
                return Err(ConfigError::DemoNotLoopback(exposed));
            }
        }
        let ledger_api_key = match (var("LEDGER_API_KEY"), demo) {
            (Some(key), _) => key,
            (None, true) => SANDBOX_API_KEY.to_owned(),
            (None, false) => return Err(ConfigError::Missing("LEDGER_API_KEY")),
        };
        let secrets = match (var("LEDGER_WEBHOOK_SECRET"), demo) {
            (Some(list), _) => list,
            (None, true) => SANDBOX_WEBHOOK_SECRET.to_owned(),
            (None, false) => return Err(ConfigError::Missing("LEDGER_WEBHOOK_SECRET")),
        };
        let webhook_secrets = WebhookSecrets::from_list(&secrets);
        if webhook_secrets.is_empty() || webhook_secrets.len() > MAX_SECRETS {
            return Err(ConfigError::Invalid {
                name: "LEDGER_WEBHOOK_SECRET",
                why: format!("list 1 to {MAX_SECRETS} signing secrets, separated by commas"),
            });
        }
        let trusted_proxies = match var("TRUSTED_PROXIES") {
            Some(list) => TrustedProxies::parse(&list).map_err(|why| ConfigError::Invalid {
                name: "TRUSTED_PROXIES",
                why,
            })?,
            None => TrustedProxies::none(),
        };
        let sandbox_addr = var("SANDBOX_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3100".to_owned())
            .parse()
            .map_err(|e: std::net::AddrParseError| ConfigError::Invalid {
                name: "SANDBOX_ADDR",
                why: e.to_string(),
            })?;
        let mut reconciler = ReconcilerConfig::default();
        if let Some(secs) = var("RECONCILE_AFTER_SECS") {
            let secs: u64 = secs
                .parse()
                .map_err(|e: std::num::ParseIntError| ConfigError::Invalid {
                    name: "RECONCILE_AFTER_SECS",
                    why: e.to_string(),
                })?;
            reconciler.stale_after = Duration::from_secs(secs);
            reconciler.recheck_after = Duration::from_secs(secs);
        }
        let mut reminders = ReminderConfig::default();
        if let Some(schedule) = var("REMINDER_SCHEDULE") {
            reminders.schedule = parse_schedule(&schedule).map_err(|why| ConfigError::Invalid {
                name: "REMINDER_SCHEDULE",
                why,
            })?;
        }
        if let Some(secs) = var("REMINDER_POLL_SECS") {
            let secs: u64 = secs
                .parse()
                .map_err(|e: std::num::ParseIntError| ConfigError::Invalid {
                    name: "REMINDER_POLL_SECS",
                    why: e.to_string(),
                })?;
            reminders.poll = Duration::from_secs(secs.max(1));
        }
        let whole = |name: &'static str, default: i64, range: std::ops::RangeInclusive<i64>| match var(name) {
            None => Ok(default),
            Some(value) => value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| ConfigError::Invalid {
                    name,
                    why: format!("a whole number from {} to {}", range.start(), range.end()),
                }),
        };
        let defaults = onboarding::data_rights::DataPolicy::default();
        let data_policy = onboarding::data_rights::DataPolicy {
            deletion_grace_days: whole("DELETION_GRACE_DAYS", defaults.deletion_grace_days, 0..=365)?,
            aml_retention_years: whole("AML_RETENTION_YEARS", defaults.aml_retention_years, 1..=30)?,
            webhook_body_days: whole(
                "RETENTION_WEBHOOK_BODY_DAYS",
                defaults.webhook_body_days,
                1..=3650,
            )?,
            email_body_days: whole("RETENTION_EMAIL_BODY_DAYS", defaults.email_body_days, 1..=3650)?,
            email_days: whole("RETENTION_EMAIL_DAYS", defaults.email_days, 1..=3650)?,
            signup_days: whole("RETENTION_SIGNUP_DAYS", defaults.signup_days, 1..=365)?,
            idle_days: whole("RETENTION_IDLE_DAYS", defaults.idle_days, 30..=3650)?,
        };
        let erasure_poll = Duration::from_secs(whole("ERASURE_POLL_SECS", 60, 1..=86_400)? as u64);
        let limit = |name: &'static str| match var(name) {
            None => Ok(None),
            Some(_) => whole(name, 0, 0..=10_000_000).map(|n| Some(n as u32)),
        };
        let budget = onboarding::budget::VerificationBudget {
            daily: limit("VERIFICATION_DAILY_BUDGET")?,
            hourly: limit("VERIFICATION_HOURLY_BUDGET")?,
        };
        // Without SMTP, emails (with their sign-in and reset links) are shown on /dev/mailbox to
        // anyone: fine for a demo on a laptop, never next to real LedgerOS.
        let smtp_url = var("SMTP_URL");
        if smtp_url.is_none() && !demo {
            return Err(ConfigError::Missing("SMTP_URL"));
        }
        Ok(Self {
            mode: if demo { Mode::Demo } else { Mode::Live },
            metrics_token: var("METRICS_TOKEN").map(SecretString::from),
            trusted_proxies,
            timeouts: Timeouts::default(),
            session_cleanup: Duration::from_secs(5 * 60),
            reconciler,
            reminders,
            data_policy,
            budget,
            erasure_poll,
            smtp_url: smtp_url.map(SecretString::from),
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "Onboarding <no-reply@onboarding.localhost>".to_owned()),
            worker_idle: Duration::from_secs(1),
            status_check_gap: onboarding::verification::PERSON_CHECK_GAP,
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            ledger_api_url,
            ledger_api_key: SecretString::from(ledger_api_key),
            webhook_secrets,
            public_url,
            site_addr,
            sandbox_addr,
            sandbox_status_updates: var("SANDBOX_STATUS_UPDATES")
                .is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
        })
    }
}

#[cfg(test)]
mod tests;

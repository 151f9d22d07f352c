//! Configuration, read once from the environment at start-up.

use std::net::SocketAddr;

use std::time::Duration;

use onboarding::jobs::reconciler::ReconcilerConfig;
use onboarding::jobs::reminders::{ReminderConfig, parse_schedule};
use onboarding::webhook::WebhookSecrets;
use secrecy::SecretString;

/// The API key the built-in sandbox expects (demo mode only).
pub const SANDBOX_API_KEY: &str = "lk_test_sandbox";
/// The signing secret the built-in sandbox uses (demo mode only).
pub const SANDBOX_WEBHOOK_SECRET: &str = "whsec_sandbox_demo";

/// Everything the server needs to know about its surroundings. Secrets are redacted in `Debug`.
#[derive(Clone, Debug)]
pub struct Config {
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
    /// `RECONCILE_AFTER_SECS`: how long a pending or manual-review status may sit unchanged
    /// before we ask LedgerOS directly (the safety net for lost webhooks).
    pub reconciler: ReconcilerConfig,
    /// How often the outbox and mail workers look for due work when idle.
    pub outbox_idle: Duration,
    /// `SMTP_URL`: `smtp://host:port`, `smtps://user:password@host`; unset: the dev mailbox.
    pub smtp_url: Option<SecretString>,
    /// `MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// `REMINDER_SCHEDULE` (default `1h,1d,3d`) and `REMINDER_POLL_SECS` (default 60).
    pub reminders: ReminderConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} must be set when LEDGER_API_URL points at LedgerOS")]
    Missing(&'static str),
    #[error("{name} is not valid: {why}")]
    Invalid { name: &'static str, why: String },
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
        // Without SMTP, emails (with their sign-in and reset links) are shown on /dev/mailbox to
        // anyone: fine for a demo on a laptop, never next to real LedgerOS.
        let smtp_url = var("SMTP_URL");
        if smtp_url.is_none() && !demo {
            return Err(ConfigError::Missing("SMTP_URL"));
        }
        Ok(Self {
            reconciler,
            reminders,
            smtp_url: smtp_url.map(SecretString::from),
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "Onboarding <no-reply@onboarding.localhost>".to_owned()),
            outbox_idle: Duration::from_secs(1),
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/onboarding.db".to_owned()),
            ledger_api_url,
            ledger_api_key: SecretString::from(ledger_api_key),
            webhook_secrets: WebhookSecrets::from_list(&secrets),
            public_url: var("PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned()),
            site_addr,
            sandbox_addr,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        Config::from_vars("127.0.0.1:0".parse().unwrap(), |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn nothing_set_is_the_demo_with_the_dev_mailbox_and_default_reminders() {
        let demo = config(&[]).unwrap();
        assert!(demo.ledger_api_url.is_none());
        assert!(demo.smtp_url.is_none());
        assert_eq!(demo.reminders, ReminderConfig::default());
    }

    #[test]
    fn real_ledgeros_needs_real_email_so_the_dev_mailbox_is_never_public() {
        let live = [
            ("LEDGER_API_URL", "https://api.ledger.so"),
            ("LEDGER_API_KEY", "lk_live_x"),
            ("LEDGER_WEBHOOK_SECRET", "whsec_x"),
        ];
        assert!(matches!(config(&live), Err(ConfigError::Missing("SMTP_URL"))));
        let mut with_smtp = live.to_vec();
        with_smtp.push(("SMTP_URL", "smtps://user:pass@mail.example"));
        assert!(config(&with_smtp).unwrap().smtp_url.is_some());
    }

    #[test]
    fn a_bad_reminder_schedule_is_refused_with_its_name() {
        let error = config(&[("REMINDER_SCHEDULE", "1h,1d,3d,7d")]).unwrap_err();
        assert!(error.to_string().contains("REMINDER_SCHEDULE"), "{error}");
        let custom = config(&[("REMINDER_SCHEDULE", "30m,2h")]).unwrap();
        assert_eq!(custom.reminders.schedule.len(), 2);
    }
}

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
    let error = live_with(&[("SMTP_URL", "")]).unwrap_err();
    assert!(matches!(error, ConfigError::Missing("SMTP_URL")), "{error}");
    assert!(live_with(&[]).unwrap().smtp_url.is_some());
}

const LIVE: [(&str, &str); 5] = [
    ("LEDGER_API_URL", "https://api.ledger.so"),
    ("LEDGER_API_KEY", "lk_live_x"),
    ("LEDGER_WEBHOOK_SECRET", "whsec_x"),
    ("SMTP_URL", "smtps://user:pass@mail.example"),
    ("PUBLIC_URL", "https://onboarding.example"),
];

fn live_with(changes: &[(&'static str, &'static str)]) -> Result<Config, ConfigError> {
    let mut vars: Vec<(&str, &str)> = LIVE
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .copied()
        .collect();
    vars.extend(changes.iter().filter(|(_, v)| !v.is_empty()));
    config_at("0.0.0.0:3000", &vars)
}

fn config_at(addr: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    Config::from_vars(addr.parse().unwrap(), |name| {
        vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    })
}

#[test]
fn a_complete_live_configuration_starts_in_live_mode() {
    assert_eq!(live_with(&[]).unwrap().mode, Mode::Live);
    assert_eq!(config(&[]).unwrap().mode, Mode::Demo);
}

#[test]
fn an_empty_or_blank_webhook_secret_list_is_refused_at_start() {
    for blank in [",", " , ", ",,,"] {
        let error = live_with(&[("LEDGER_WEBHOOK_SECRET", blank)]).unwrap_err();
        assert!(
            error.to_string().contains("LEDGER_WEBHOOK_SECRET"),
            "{blank:?}: {error}"
        );
        assert!(
            config(&[("LEDGER_WEBHOOK_SECRET", blank)]).is_err(),
            "{blank:?} in demo mode"
        );
    }
    assert!(live_with(&[("LEDGER_WEBHOOK_SECRET", "whsec_new, whsec_old")]).is_ok());
}

#[test]
fn live_mode_needs_https_for_the_site_and_for_ledgeros_but_loopback_may_be_http() {
    let plain_site = live_with(&[("PUBLIC_URL", "http://onboarding.example")]).unwrap_err();
    assert!(plain_site.to_string().contains("PUBLIC_URL"), "{plain_site}");
    let plain_api = live_with(&[("LEDGER_API_URL", "http://api.ledger.so")]).unwrap_err();
    assert!(plain_api.to_string().contains("LEDGER_API_URL"), "{plain_api}");
    let unset_site = live_with(&[("PUBLIC_URL", "")]).unwrap_err();
    assert!(
        unset_site.to_string().contains("LEPTOS_SITE_ADDR"),
        "{unset_site}"
    );
    assert!(live_with(&[("LEDGER_API_URL", "ftp://api.ledger.so")]).is_err());
    // A LedgerOS stand-in on this machine, and the app reached on this machine.
    assert!(live_with(&[("LEDGER_API_URL", "http://127.0.0.1:4000")]).is_ok());
    assert!(live_with(&[("PUBLIC_URL", "http://localhost:3000")]).is_ok());
}

#[test]
fn the_demo_starts_only_on_loopback_unless_demo_is_set() {
    assert!(config_at("127.0.0.1:3000", &[]).is_ok());
    assert!(config_at("[::1]:3000", &[]).is_ok());
    let exposed = config_at("0.0.0.0:3000", &[]).unwrap_err();
    assert!(matches!(exposed, ConfigError::DemoNotLoopback(_)), "{exposed}");
    assert!(exposed.to_string().contains("DEMO=1"));
    let public = config_at("127.0.0.1:3000", &[("PUBLIC_URL", "https://demo.example")]).unwrap_err();
    assert!(matches!(public, ConfigError::DemoNotLoopback(_)), "{public}");
    let explicit = config_at("0.0.0.0:3000", &[("DEMO", "1")]).unwrap();
    assert_eq!(explicit.mode, Mode::Demo);
}

#[test]
fn trusted_proxies_must_be_addresses_or_networks() {
    assert!(config(&[("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1, ::1")]).is_ok());
    let error = config(&[("TRUSTED_PROXIES", "proxy.internal")]).unwrap_err();
    assert!(error.to_string().contains("TRUSTED_PROXIES"), "{error}");
}

#[test]
fn a_bad_reminder_schedule_is_refused_with_its_name() {
    let error = config(&[("REMINDER_SCHEDULE", "1h,1d,3d,7d")]).unwrap_err();
    assert!(error.to_string().contains("REMINDER_SCHEDULE"), "{error}");
    let custom = config(&[("REMINDER_SCHEDULE", "30m,2h")]).unwrap();
    assert_eq!(custom.reminders.schedule.len(), 2);
}

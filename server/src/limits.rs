//! Abuse limits on the account forms: per client address and per account.
//!
//! Client addresses are keyed by [`limit_key`] (an IPv6 client by its /64). On SQLite (one
//! process) the limits count in memory with governor; every map an anonymous client can grow is
//! bounded: past [`MAX_KEYS`] keys a limiter first forgets the keys that have recovered, and if
//! that is not enough it refuses new keys for a minute rather than grow. On PostgreSQL they
//! count in the database ([`Backend::rate_limit`](onboarding::store::Backend::rate_limit)), so
//! several instances behind a load balancer share one count per key.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use onboarding::store::Store;

use crate::client_ip::limit_key;

/// Most keys one limiter holds (each costs well under 200 bytes).
pub const MAX_KEYS: usize = 100_000;

/// A keyed limiter: a burst, then one more attempt every `period`.
struct Limit<K: std::hash::Hash + Eq + Clone> {
    name: &'static str,
    burst: u32,
    period: Duration,
    limiter: DefaultKeyedRateLimiter<K>,
    /// Count in this database instead of in memory (shared by every instance).
    shared: Option<Store>,
}

impl<K: std::hash::Hash + Eq + Clone + std::fmt::Debug> Limit<K> {
    fn new(name: &'static str, burst: u32, period: Duration, shared: Option<Store>) -> Self {
        let quota = Quota::with_period(period)
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"));
        Self {
            name,
            burst,
            period,
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            shared,
        }
    }

    /// `Err(wait)` when `key` has used its attempts (or the limiter is full of other keys).
    async fn check(&self, key: &K) -> Result<(), Duration> {
        if let Some(store) = &self.shared {
            let period_ms = i64::try_from(self.period.as_millis()).unwrap_or(i64::MAX);
            // Keys hold addresses and emails: the database keeps only a digest of each.
            let key = onboarding::tokens::digest(&format!("{}:{key:?}", self.name));
            return match store.rate_limit(&key, self.burst, period_ms).await {
                Ok(None) => Ok(()),
                Ok(Some(wait)) => Err(wait),
                Err(e) => {
                    // The form needs the database too: refuse briefly rather than not count.
                    tracing::warn!(error = %e, limit = self.name, "could not count an attempt");
                    Err(Duration::from_secs(5))
                }
            };
        }
        if self.limiter.len() >= MAX_KEYS {
            self.limiter.retain_recent();
            if self.limiter.len() >= MAX_KEYS {
                return Err(Duration::from_secs(60));
            }
        }
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// The limits for login, signup, password reset and document uploads. Generous enough for a
/// demo on one laptop, tight enough to make password guessing slow and to keep us from being
/// used to flood someone's inbox (signup and reset send email).
///
/// Login prefers slowing a targeted account down to locking its owner out: guesses at one
/// account are counted per client address and, across addresses, per account, but a browser
/// the owner has signed in from before (a device cookie the server recognises) is counted on
/// its own, so a botnet guessing at the account does not keep the owner out.
pub struct AuthLimits {
    login_per_ip: Limit<IpAddr>,
    login_per_account_and_ip: Limit<(String, IpAddr)>,
    login_per_account: Limit<String>,
    login_per_device: Limit<String>,
    signup_per_ip: Limit<IpAddr>,
    signup_per_account: Limit<String>,
    /// Signups without the proof of work (no JavaScript), per client address: much tighter.
    signup_without_proof: Limit<IpAddr>,
    confirm_per_ip: Limit<IpAddr>,
    forms_per_ip: Limit<IpAddr>,
    reset_per_ip: Limit<IpAddr>,
    reset_per_account: Limit<String>,
    upload_per_ip: Limit<IpAddr>,
    upload_per_account: Limit<String>,
    reauth_per_account: Limit<String>,
}

impl Default for AuthLimits {
    /// Counted in this process's memory.
    fn default() -> Self {
        Self::new(None)
    }
}

/// Where a login attempt comes from, as far as the limits care.
pub enum LoginFrom<'a> {
    /// A browser without a device cookie the account knows.
    Unknown,
    /// A browser the account's owner signed in from before (its device id).
    KnownDevice(&'a str),
}

impl AuthLimits {
    /// The limits, counted in `shared` (every instance sees the same counts) or, with `None`,
    /// in this process's memory.
    pub fn new(shared: Option<Store>) -> Self {
        Self {
            login_per_ip: Limit::new("login_ip", 20, Duration::from_secs(30), shared.clone()),
            login_per_account_and_ip: Limit::new(
                "login_account_ip",
                5,
                Duration::from_secs(60),
                shared.clone(),
            ),
            login_per_account: Limit::new("login_account", 10, Duration::from_secs(60), shared.clone()),
            login_per_device: Limit::new("login_device", 10, Duration::from_secs(6), shared.clone()),
            signup_per_ip: Limit::new("signup_ip", 20, Duration::from_secs(60), shared.clone()),
            signup_per_account: Limit::new("signup_account", 3, Duration::from_secs(5 * 60), shared.clone()),
            signup_without_proof: Limit::new(
                "signup_bare_ip",
                3,
                Duration::from_secs(20 * 60),
                shared.clone(),
            ),
            confirm_per_ip: Limit::new("confirm_ip", 30, Duration::from_secs(2), shared.clone()),
            forms_per_ip: Limit::new("forms_ip", 60, Duration::from_millis(500), shared.clone()),
            reset_per_ip: Limit::new("reset_ip", 10, Duration::from_secs(60), shared.clone()),
            reset_per_account: Limit::new("reset_account", 3, Duration::from_secs(5 * 60), shared.clone()),
            upload_per_ip: Limit::new("upload_ip", 30, Duration::from_secs(20), shared.clone()),
            upload_per_account: Limit::new("upload_account", 10, Duration::from_secs(60), shared.clone()),
            reauth_per_account: Limit::new("reauth_account", 5, Duration::from_secs(60), shared),
        }
    }

    /// A login attempt from `ip` for `account` (a valid, normalised email; `None` for input
    /// that is not an address, counted against the client address only).
    pub async fn login(
        &self,
        ip: IpAddr,
        account: Option<&str>,
        from: LoginFrom<'_>,
    ) -> Result<(), Duration> {
        let ip = limit_key(ip);
        self.login_per_ip.check(&ip).await?;
        let Some(account) = account else {
            return Ok(());
        };
        match from {
            LoginFrom::KnownDevice(device) => self.login_per_device.check(&device.to_owned()).await,
            LoginFrom::Unknown => {
                self.login_per_account_and_ip
                    .check(&(account.to_owned(), ip))
                    .await?;
                self.login_per_account.check(&account.to_owned()).await
            }
        }
    }

    /// A signup for `email` (already validated and normalised).
    pub async fn signup(&self, ip: IpAddr, email: &str) -> Result<(), Duration> {
        self.signup_per_ip.check(&limit_key(ip)).await?;
        self.signup_per_account.check(&email.to_owned()).await
    }

    /// A signup form sent without the proof of work (a browser without JavaScript, or a
    /// script): 3, then one every 20 minutes per client address.
    pub async fn signup_without_proof(&self, ip: IpAddr) -> Result<(), Duration> {
        self.signup_without_proof.check(&limit_key(ip)).await
    }

    /// Confirming a signup (checks a password, so it costs an argon2 hash).
    pub async fn confirm(&self, ip: IpAddr) -> Result<(), Duration> {
        self.confirm_per_ip.check(&limit_key(ip)).await
    }

    /// Any anonymous form post (each failed one stores a flash).
    pub async fn form_post(&self, ip: IpAddr) -> Result<(), Duration> {
        self.forms_per_ip.check(&limit_key(ip)).await
    }

    /// A password reset request for `key`: a validated email, or a reset link's token.
    pub async fn password_reset(&self, ip: IpAddr, key: &str) -> Result<(), Duration> {
        self.reset_per_ip.check(&limit_key(ip)).await?;
        self.reset_per_account.check(&key.to_owned()).await
    }

    /// Document uploads: each one is up to 10 MB passed on to LedgerOS.
    pub async fn upload(&self, ip: IpAddr, account: &str) -> Result<(), Duration> {
        self.upload_per_ip.check(&limit_key(ip)).await?;
        self.upload_per_account.check(&account.to_owned()).await
    }

    /// The password typed again by a signed-in person before a sensitive step (their data):
    /// counted per client address with logins, and per account.
    pub async fn reauthenticate(&self, ip: IpAddr, account: &str) -> Result<(), Duration> {
        self.login_per_ip.check(&limit_key(ip)).await?;
        self.reauth_per_account.check(&account.to_owned()).await
    }

    /// A second factor (an app's code, a recovery code, a passkey) from a signed-in operator:
    /// counted per client address with logins. Per operator, their failures are counted in the
    /// audit log instead (see `onboarding::second_factor::FAILURES_ALLOWED`).
    pub async fn second_factor(&self, ip: IpAddr) -> Result<(), Duration> {
        self.login_per_ip.check(&limit_key(ip)).await
    }

    /// Forgets keys that have fully recovered, so memory (or the table) stays bounded.
    pub async fn prune(&self) {
        if let Some(store) = &self.login_per_ip.shared
            && let Err(e) = store.prune_rate_limits().await
        {
            tracing::warn!(error = %e, "could not prune rate limits");
        }
        self.login_per_ip.limiter.retain_recent();
        self.login_per_account_and_ip.limiter.retain_recent();
        self.login_per_account.limiter.retain_recent();
        self.login_per_device.limiter.retain_recent();
        self.signup_per_ip.limiter.retain_recent();
        self.signup_per_account.limiter.retain_recent();
        self.signup_without_proof.limiter.retain_recent();
        self.confirm_per_ip.limiter.retain_recent();
        self.forms_per_ip.limiter.retain_recent();
        self.reset_per_ip.limiter.retain_recent();
        self.reset_per_account.limiter.retain_recent();
        self.upload_per_ip.limiter.retain_recent();
        self.upload_per_account.limiter.retain_recent();
        self.reauth_per_account.limiter.retain_recent();
    }
}

/// "Please try again in 3 minutes."
pub fn try_again_in(lang: onboarding::i18n::Lang, wait: Duration) -> String {
    use onboarding::i18n::{Arg, msg, t_with};
    let minutes = wait.as_secs().div_ceil(60).max(1) as i64;
    t_with(
        lang,
        msg::NOTICE_TOO_MANY_ATTEMPTS,
        &[("minutes", Arg::from(minutes))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_account_is_limited_across_addresses_but_a_known_device_is_counted_apart() {
        let limits = AuthLimits::default();
        let account = Some("ada@example.com");
        for i in 0..10 {
            let ip: IpAddr = format!("10.0.0.{i}").parse().unwrap();
            assert!(
                limits.login(ip, account, LoginFrom::Unknown).await.is_ok(),
                "attempt {i}"
            );
        }
        let other_ip: IpAddr = "10.0.1.1".parse().unwrap();
        assert!(limits.login(other_ip, account, LoginFrom::Unknown).await.is_err());
        assert!(
            limits
                .login(other_ip, Some("someone@example.com"), LoginFrom::Unknown)
                .await
                .is_ok()
        );
        // The owner's own browser still gets its attempts.
        assert!(
            limits
                .login(other_ip, account, LoginFrom::KnownDevice("d1"))
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn one_address_gets_five_tries_at_one_account() {
        let limits = AuthLimits::default();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..5 {
            assert!(
                limits
                    .login(ip, Some("ada@example.com"), LoginFrom::Unknown)
                    .await
                    .is_ok()
            );
        }
        assert!(
            limits
                .login(ip, Some("ada@example.com"), LoginFrom::Unknown)
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn ipv6_clients_share_the_limit_of_their_64() {
        let limits = AuthLimits::default();
        for i in 0..20 {
            let ip: IpAddr = format!("2001:db8:0:1::{i:x}").parse().unwrap();
            assert!(limits.signup(ip, &format!("p{i}@example.com")).await.is_ok());
        }
        let same_64: IpAddr = "2001:db8:0:1:ffff::1".parse().unwrap();
        assert!(limits.signup(same_64, "late@example.com").await.is_err());
        let next_64: IpAddr = "2001:db8:0:2::1".parse().unwrap();
        assert!(limits.signup(next_64, "late@example.com").await.is_ok());
    }

    #[tokio::test]
    async fn a_full_limiter_refuses_new_keys_instead_of_growing() {
        let limit = Limit::<u32>::new("test", 1, Duration::from_secs(3600), None);
        for key in 0..MAX_KEYS as u32 {
            assert!(limit.check(&key).await.is_ok());
        }
        assert!(limit.check(&u32::MAX).await.is_err(), "no room for another key");
        assert!(limit.limiter.len() <= MAX_KEYS);
    }

    #[tokio::test]
    async fn one_address_is_limited_across_accounts_for_signup_and_reset() {
        let limits = AuthLimits::default();
        let ip: IpAddr = "10.0.0.3".parse().unwrap();
        for i in 0..20 {
            assert!(limits.signup(ip, &format!("person{i}@example.com")).await.is_ok());
        }
        assert!(limits.signup(ip, "one-more@example.com").await.is_err());
        for i in 0..10 {
            assert!(
                limits
                    .password_reset(ip, &format!("person{i}@example.com"))
                    .await
                    .is_ok()
            );
        }
        assert!(limits.password_reset(ip, "one-more@example.com").await.is_err());
        let elsewhere: IpAddr = "10.0.0.4".parse().unwrap();
        assert!(limits.signup(elsewhere, "one-more@example.com").await.is_ok());
    }

    #[tokio::test]
    async fn one_account_is_limited_across_addresses_for_signup_and_reset() {
        let limits = AuthLimits::default();
        for i in 0..3 {
            let ip: IpAddr = format!("10.0.1.{i}").parse().unwrap();
            assert!(limits.signup(ip, "target@example.com").await.is_ok());
            assert!(limits.password_reset(ip, "target@example.com").await.is_ok());
        }
        let fresh: IpAddr = "10.0.2.1".parse().unwrap();
        assert!(limits.signup(fresh, "target@example.com").await.is_err());
        assert!(limits.password_reset(fresh, "target@example.com").await.is_err());
    }

    #[test]
    fn the_wait_is_said_in_whole_minutes() {
        assert_eq!(
            try_again_in(onboarding::i18n::Lang::En, Duration::from_secs(5)),
            "Too many attempts. Please try again in 1 minute."
        );
        assert_eq!(
            try_again_in(onboarding::i18n::Lang::En, Duration::from_secs(121)),
            "Too many attempts. Please try again in 3 minutes."
        );
    }
}

//! Abuse limits on the account forms: per client address and per account.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// A keyed limiter: a burst, then one more attempt every `period`.
struct Limit<K: std::hash::Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: std::hash::Hash + Eq + Clone> Limit<K> {
    fn new(burst: u32, period: Duration) -> Self {
        let quota = Quota::with_period(period)
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"));
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
        }
    }

    /// `Err(wait)` when `key` has used its attempts.
    fn check(&self, key: &K) -> Result<(), Duration> {
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// The limits for login, signup, password reset and document uploads. Generous enough for a
/// demo on one laptop, tight enough to make password guessing slow and to keep us from being
/// used to flood someone's inbox (signup and reset send email).
pub struct AuthLimits {
    login_per_ip: Limit<IpAddr>,
    login_per_account: Limit<String>,
    signup_per_ip: Limit<IpAddr>,
    signup_per_account: Limit<String>,
    reset_per_ip: Limit<IpAddr>,
    reset_per_account: Limit<String>,
    upload_per_ip: Limit<IpAddr>,
    upload_per_account: Limit<String>,
}

impl Default for AuthLimits {
    fn default() -> Self {
        Self {
            login_per_ip: Limit::new(20, Duration::from_secs(30)),
            login_per_account: Limit::new(5, Duration::from_secs(60)),
            signup_per_ip: Limit::new(20, Duration::from_secs(60)),
            signup_per_account: Limit::new(3, Duration::from_secs(5 * 60)),
            reset_per_ip: Limit::new(10, Duration::from_secs(60)),
            reset_per_account: Limit::new(3, Duration::from_secs(5 * 60)),
            upload_per_ip: Limit::new(30, Duration::from_secs(20)),
            upload_per_account: Limit::new(10, Duration::from_secs(60)),
        }
    }
}

impl AuthLimits {
    pub fn login(&self, ip: IpAddr, email: &str) -> Result<(), Duration> {
        self.login_per_ip.check(&ip)?;
        self.login_per_account.check(&normalise(email))
    }

    pub fn signup(&self, ip: IpAddr, email: &str) -> Result<(), Duration> {
        self.signup_per_ip.check(&ip)?;
        self.signup_per_account.check(&normalise(email))
    }

    pub fn password_reset(&self, ip: IpAddr, email: &str) -> Result<(), Duration> {
        self.reset_per_ip.check(&ip)?;
        self.reset_per_account.check(&normalise(email))
    }

    /// Document uploads: each one is up to 10 MB passed on to LedgerOS.
    pub fn upload(&self, ip: IpAddr, account: &str) -> Result<(), Duration> {
        self.upload_per_ip.check(&ip)?;
        self.upload_per_account.check(&account.to_owned())
    }

    /// Forgets keys that have fully recovered, so memory stays bounded.
    pub fn prune(&self) {
        self.login_per_ip.limiter.retain_recent();
        self.login_per_account.limiter.retain_recent();
        self.signup_per_ip.limiter.retain_recent();
        self.signup_per_account.limiter.retain_recent();
        self.reset_per_ip.limiter.retain_recent();
        self.reset_per_account.limiter.retain_recent();
        self.upload_per_ip.limiter.retain_recent();
        self.upload_per_account.limiter.retain_recent();
    }
}

/// The key an email address is limited under (however it was typed).
fn normalise(email: &str) -> String {
    email.trim().to_lowercase()
}

/// "Please try again in 3 minutes."
pub fn try_again_in(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many attempts. Please try again in {minutes} {unit}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_whatever_the_address() {
        let limits = AuthLimits::default();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..5 {
            assert!(limits.login(ip, "Ada@example.com").is_ok());
        }
        let other_ip: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limits.login(other_ip, "ada@example.com ").is_err());
        assert!(limits.login(other_ip, "someone@example.com").is_ok());
    }

    #[test]
    fn one_address_is_limited_across_accounts_for_signup_and_reset() {
        let limits = AuthLimits::default();
        let ip: IpAddr = "10.0.0.3".parse().unwrap();
        for i in 0..20 {
            assert!(limits.signup(ip, &format!("person{i}@example.com")).is_ok());
        }
        assert!(limits.signup(ip, "one-more@example.com").is_err());
        for i in 0..10 {
            assert!(
                limits
                    .password_reset(ip, &format!("person{i}@example.com"))
                    .is_ok()
            );
        }
        assert!(limits.password_reset(ip, "one-more@example.com").is_err());
        let elsewhere: IpAddr = "10.0.0.4".parse().unwrap();
        assert!(limits.signup(elsewhere, "one-more@example.com").is_ok());
    }

    #[test]
    fn one_account_is_limited_across_addresses_for_signup_and_reset() {
        let limits = AuthLimits::default();
        for i in 0..3 {
            let ip: IpAddr = format!("10.0.1.{i}").parse().unwrap();
            assert!(limits.signup(ip, "Target@example.com").is_ok());
            assert!(limits.password_reset(ip, "target@example.com").is_ok());
        }
        let fresh: IpAddr = "10.0.2.1".parse().unwrap();
        assert!(limits.signup(fresh, " target@example.com").is_err());
        assert!(limits.password_reset(fresh, "TARGET@example.com").is_err());
    }

    #[test]
    fn the_wait_is_said_in_whole_minutes() {
        assert_eq!(
            try_again_in(Duration::from_secs(5)),
            "Too many attempts. Please try again in 1 minute."
        );
        assert_eq!(
            try_again_in(Duration::from_secs(121)),
            "Too many attempts. Please try again in 3 minutes."
        );
    }
}

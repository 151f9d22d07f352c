//! What guards the signup form (issue 30): the operators' lists of email domains, on top of the
//! maintained list of throwaway providers ([`crate::throwaway`]: a blocked domain is refused at
//! signup, an allowed one is accepted even when the list names it), and the proofs of work
//! already used ([`crate::proof_of_work`]: each works once, on every instance). The SQL is
//! written once with `$n` placeholders, which SQLite reads too; one macro implements the trait
//! on both backends. Adding or removing a rule writes the audit log in the same transaction.

use async_trait::async_trait;

use super::{OperatorId, StoreError};
use crate::clock::Millis;

/// What a rule does to its domain (and the domains under it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomainRuleKind {
    Block,
    Allow,
}

impl DomainRuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Block => "block",
            Self::Allow => "allow",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "block" => Some(Self::Block),
            "allow" => Some(Self::Allow),
            _ => None,
        }
    }
}

/// One operator rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainRule {
    pub domain: String,
    pub kind: DomainRuleKind,
    /// The operator who added it (their email), if they still exist.
    pub added_by: Option<String>,
    pub added_at: Millis,
}

/// What the funnel page shows of recent signups, to make a spike visible.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignupSignals {
    /// Signup forms accepted in the last hour…
    pub last_hour: i64,
    /// … and in the same hour a week before.
    pub same_hour_last_week: i64,
    /// Signup forms accepted in the last 24 hours, people who confirmed their email and who
    /// started verification in them.
    pub day_signups: i64,
    pub day_confirmed: i64,
    pub day_started: i64,
    /// Signup forms refused for a throwaway address in the last 24 hours.
    pub day_throwaway: i64,
    /// The networks most signup forms came from in the last 24 hours, with their count.
    pub top_networks: Vec<(String, i64)>,
}

/// How long signup attempts are kept for the signals: a week and a day (the same hour last
/// week is compared).
pub const SIGNUP_ATTEMPTS_KEPT_MS: Millis = 8 * 24 * 60 * 60 * 1000;

/// Storage for what guards the signup form.
#[async_trait]
pub trait SignupGuards {
    /// Notes a signup form from `network` (a /24 or /64), accepted or refused for a throwaway
    /// address, and forgets those older than [`SIGNUP_ATTEMPTS_KEPT_MS`].
    async fn record_signup_attempt(&self, network: &str, accepted: bool) -> Result<(), StoreError>;

    /// The signals as of now.
    async fn signup_signals(&self) -> Result<SignupSignals, StoreError>;

    /// Marks the proof of work signed `signature` as used, until `expires_at` (when it stops
    /// working anyway); `false` when it was used before. Forgets the expired ones.
    async fn use_proof(&self, signature: &str, expires_at: Millis) -> Result<bool, StoreError>;

    /// Every rule, by domain.
    async fn domain_rules(&self) -> Result<Vec<DomainRule>, StoreError>;

    /// The rule of the first of `domains` that has one (callers list the most specific first).
    async fn rule_for(&self, domains: &[String]) -> Result<Option<DomainRuleKind>, StoreError>;

    /// Adds or replaces the rule for `domain`, and audits it.
    async fn set_domain_rule(
        &self,
        operator: &OperatorId,
        domain: &str,
        kind: DomainRuleKind,
    ) -> Result<(), StoreError>;

    /// Removes the rule for `domain`, and audits it; `false` when there was none.
    async fn remove_domain_rule(&self, operator: &OperatorId, domain: &str) -> Result<bool, StoreError>;
}

/// Implements [`SignupGuards`] for a backend: `$begin` opens a write transaction (as a pair
/// whose first part is held until the commit), `self.pool` reads.
macro_rules! impl_signup_guards {
    ($backend:ty, |$this:ident| $begin:expr) => {
        #[async_trait::async_trait]
        impl $crate::store::signup_guards::SignupGuards for $backend {
            async fn record_signup_attempt(
                &self,
                network: &str,
                accepted: bool,
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let now = self.clock.now_ms();
                let (_writing, mut tx) = $begin;
                sqlx::query("DELETE FROM signup_attempts WHERE at < $1")
                    .bind(now - $crate::store::signup_guards::SIGNUP_ATTEMPTS_KEPT_MS)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO signup_attempts (at, network, accepted) VALUES ($1, $2, $3)")
                    .bind(now)
                    .bind(network)
                    .bind(accepted)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn signup_signals(
                &self,
            ) -> Result<$crate::store::signup_guards::SignupSignals, $crate::store::StoreError> {
                use sqlx::Row;
                const HOUR: i64 = 60 * 60 * 1000;
                let now = self.clock.now_ms();
                let count = |sql: &'static str, from: i64, to: i64| {
                    sqlx::query_scalar::<_, i64>(sql).bind(from).bind(to).fetch_one(&self.pool)
                };
                let accepted = "SELECT COUNT(*) FROM signup_attempts WHERE accepted AND at >= $1 AND at < $2";
                let last_hour = count(accepted, now - HOUR, now + 1).await?;
                let same_hour_last_week = count(accepted, now - 169 * HOUR, now - 168 * HOUR).await?;
                let day = now - 24 * HOUR;
                let day_signups = count(accepted, day, now + 1).await?;
                let day_throwaway = count(
                    "SELECT COUNT(*) FROM signup_attempts WHERE NOT accepted AND at >= $1 AND at < $2",
                    day,
                    now + 1,
                )
                .await?;
                let day_confirmed = count(
                    "SELECT COUNT(*) FROM users WHERE confirmed_at >= $1 AND confirmed_at < $2",
                    day,
                    now + 1,
                )
                .await?;
                let day_started = count(
                    "SELECT COUNT(*) FROM users WHERE started_at >= $1 AND started_at < $2",
                    day,
                    now + 1,
                )
                .await?;
                let top_networks = sqlx::query(
                    "SELECT network, COUNT(*) AS n FROM signup_attempts WHERE at >= $1 \
                     GROUP BY network ORDER BY n DESC, network LIMIT 5",
                )
                .bind(day)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|row| Ok((row.try_get::<String, _>(0)?, row.try_get::<i64, _>(1)?)))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
                Ok($crate::store::signup_guards::SignupSignals {
                    last_hour,
                    same_hour_last_week,
                    day_signups,
                    day_confirmed,
                    day_started,
                    day_throwaway,
                    top_networks,
                })
            }

            async fn use_proof(
                &self,
                signature: &str,
                expires_at: $crate::clock::Millis,
            ) -> Result<bool, $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                sqlx::query("DELETE FROM used_proofs WHERE expires_at < $1")
                    .bind(self.clock.now_ms())
                    .execute(&mut *tx)
                    .await?;
                let fresh = sqlx::query(
                    "INSERT INTO used_proofs (signature, expires_at) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING",
                )
                .bind(signature)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    > 0;
                tx.commit().await?;
                Ok(fresh)
            }

            async fn domain_rules(
                &self,
            ) -> Result<Vec<$crate::store::signup_guards::DomainRule>, $crate::store::StoreError> {
                use sqlx::Row;
                let rows = sqlx::query(
                    "SELECT r.domain, r.rule, o.email, r.added_at FROM email_domain_rules r \
                     LEFT JOIN operators o ON o.id = r.added_by ORDER BY r.domain",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        let rule: String = row.try_get(1)?;
                        Ok($crate::store::signup_guards::DomainRule {
                            domain: row.try_get(0)?,
                            kind: $crate::store::signup_guards::DomainRuleKind::parse(&rule)
                                .ok_or_else(|| $crate::store::StoreError::Corrupt(format!("domain rule {rule:?}")))?,
                            added_by: row.try_get(2)?,
                            added_at: row.try_get(3)?,
                        })
                    })
                    .collect()
            }

            async fn rule_for(
                &self,
                domains: &[String],
            ) -> Result<Option<$crate::store::signup_guards::DomainRuleKind>, $crate::store::StoreError> {
                for domain in domains {
                    let rule: Option<String> =
                        sqlx::query_scalar("SELECT rule FROM email_domain_rules WHERE domain = $1")
                            .bind(domain)
                            .fetch_optional(&self.pool)
                            .await?;
                    if let Some(rule) = rule {
                        return Ok($crate::store::signup_guards::DomainRuleKind::parse(&rule));
                    }
                }
                Ok(None)
            }

            async fn set_domain_rule(
                &self,
                operator: &$crate::store::OperatorId,
                domain: &str,
                kind: $crate::store::signup_guards::DomainRuleKind,
            ) -> Result<(), $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                let now = self.clock.now_ms();
                sqlx::query(
                    "INSERT INTO email_domain_rules (domain, rule, added_by, added_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (domain) DO UPDATE SET rule = excluded.rule, added_by = excluded.added_by, \
                     added_at = excluded.added_at",
                )
                .bind(domain)
                .bind(kind.as_str())
                .bind(&operator.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query($crate::store::AUDIT_SQL)
                .bind(&operator.0)
                .bind(match kind {
                    $crate::store::signup_guards::DomainRuleKind::Block => "blocked an email domain",
                    $crate::store::signup_guards::DomainRuleKind::Allow => "allowed an email domain",
                })
                .bind(domain)
                .bind("")
                .bind(now)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn remove_domain_rule(
                &self,
                operator: &$crate::store::OperatorId,
                domain: &str,
            ) -> Result<bool, $crate::store::StoreError> {
                let $this = self;
                let (_writing, mut tx) = $begin;
                let removed = sqlx::query("DELETE FROM email_domain_rules WHERE domain = $1")
                    .bind(domain)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    > 0;
                if removed {
                    sqlx::query($crate::store::AUDIT_SQL)
                    .bind(&operator.0)
                    .bind("removed an email domain rule")
                    .bind(domain)
                    .bind("")
                    .bind(self.clock.now_ms())
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(removed)
            }
        }
    };
}

pub(super) use impl_signup_guards;

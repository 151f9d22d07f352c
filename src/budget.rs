//! The verification budget (issue 30): a fintech pays its KYC provider for every verification,
//! so at most `VERIFICATION_DAILY_BUDGET` a day (UTC) and `VERIFICATION_HOURLY_BUDGET` an hour
//! are created. Past either, a confirmed signup still gets its account, but its LedgerOS user
//! and verification wait in the queue ([`crate::verification::provision`] refuses with
//! [`crate::verification::VerificationError::OverBudget`]); the person is told they will be
//! emailed, and is, when the budget opens again (the next hour or day, or an admin's "allow N
//! more today"). The count is kept in the database, so every instance shares it.

use crate::clock::Millis;

pub const HOUR_MS: Millis = 60 * 60 * 1000;
pub const DAY_MS: Millis = 24 * HOUR_MS;

/// The limits; `None` is no limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerificationBudget {
    pub daily: Option<u32>,
    pub hourly: Option<u32>,
}

/// What was spent, as the budget counts it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spend {
    /// Verifications created since the start of the day (UTC).
    pub today: i64,
    /// … and since the start of the hour.
    pub this_hour: i64,
    /// Verifications admins allowed today beyond the limits.
    pub granted_today: i64,
}

impl VerificationBudget {
    pub fn is_limited(&self) -> bool {
        self.daily.is_some() || self.hourly.is_some()
    }

    /// How many more may be created now; `None` without a limit. A grant raises both limits
    /// for the rest of the day.
    pub fn left(&self, spend: &Spend) -> Option<i64> {
        let day = self
            .daily
            .map(|limit| i64::from(limit) + spend.granted_today - spend.today);
        let hour = self
            .hourly
            .map(|limit| i64::from(limit) + spend.granted_today - spend.this_hour);
        match (day, hour) {
            (Some(d), Some(h)) => Some(d.min(h).max(0)),
            (d, h) => d.or(h).map(|n| n.max(0)),
        }
    }
}

/// The start of the day (UTC) and of the hour that `now` is in.
pub fn periods(now: Millis) -> (Millis, Millis) {
    (now - now.rem_euclid(DAY_MS), now - now.rem_euclid(HOUR_MS))
}

#[cfg(test)]
mod tests {
    use super::{DAY_MS, HOUR_MS, Spend, VerificationBudget, periods};

    #[test]
    fn the_tighter_limit_decides_and_a_grant_lifts_both() {
        let spend = Spend {
            today: 90,
            this_hour: 8,
            granted_today: 0,
        };
        let none = VerificationBudget::default();
        assert_eq!(none.left(&spend), None);
        assert!(!none.is_limited());
        let daily = VerificationBudget {
            daily: Some(100),
            hourly: None,
        };
        assert_eq!(daily.left(&spend), Some(10));
        let both = VerificationBudget {
            daily: Some(100),
            hourly: Some(10),
        };
        assert_eq!(both.left(&spend), Some(2));
        let spent = Spend { today: 120, ..spend };
        assert_eq!(both.left(&spent), Some(0), "never below zero");
        let granted = Spend {
            granted_today: 25,
            ..spent
        };
        assert_eq!(both.left(&granted), Some(5));
    }

    #[test]
    fn periods_start_on_the_utc_day_and_hour() {
        let now = 3 * DAY_MS + 5 * HOUR_MS + 1234;
        assert_eq!(periods(now), (3 * DAY_MS, 3 * DAY_MS + 5 * HOUR_MS));
    }
}

//! Reminders for abandoned verification: emails on a schedule counted from when the current
//! status began, for as long as the person has something to do. They stop when the status
//! moves (the count starts again for the new status if it too needs the person), or when the
//! person turns them off with the link in each reminder.

use std::time::Duration;

use crate::clock::Millis;
use crate::email::templates;
use crate::services::Services;
use crate::store::StoreError;

/// At most this many reminders per status.
pub const MAX_REMINDERS: usize = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderConfig {
    /// Delays after the status began: reminder n is due `schedule[n]` after it, and at least
    /// `schedule[n] - schedule[n-1]` after the one before (no bursts after downtime).
    pub schedule: Vec<Duration>,
    /// How often the worker looks for due reminders.
    pub poll: Duration,
}

impl Default for ReminderConfig {
    fn default() -> Self {
        Self {
            schedule: vec![
                Duration::from_secs(60 * 60),
                Duration::from_secs(24 * 60 * 60),
                Duration::from_secs(3 * 24 * 60 * 60),
            ],
            poll: Duration::from_secs(60),
        }
    }
}

/// Parses `REMINDER_SCHEDULE`: comma-separated delays like `1h,1d,3d` (units `s`, `m`, `h`,
/// `d`), increasing, at most three; empty turns reminders off.
pub fn parse_schedule(input: &str) -> Result<Vec<Duration>, String> {
    let mut schedule = Vec::new();
    for part in input.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let at = part.char_indices().last().map_or(0, |(at, _)| at);
        let (number, unit) = part.split_at(at);
        let number: u64 = number
            .parse()
            .map_err(|_| format!("`{part}` is not a number followed by s, m, h or d"))?;
        let secs = match unit {
            "s" => number,
            "m" => number * 60,
            "h" => number * 60 * 60,
            "d" => number * 24 * 60 * 60,
            _ => return Err(format!("`{part}` must end in s, m, h or d")),
        };
        let delay = Duration::from_secs(secs);
        if schedule.last().is_some_and(|last| *last >= delay) {
            return Err("delays must increase: 1h,1d,3d".to_owned());
        }
        schedule.push(delay);
    }
    if schedule.len() > MAX_REMINDERS {
        return Err(format!("at most {MAX_REMINDERS} reminders"));
    }
    Ok(schedule)
}

/// Queues every reminder due now. Returns how many were queued.
pub async fn remind_once(services: &Services, config: &ReminderConfig) -> Result<usize, StoreError> {
    if config.schedule.is_empty() {
        return Ok(0);
    }
    let schedule: Vec<Millis> = config.schedule.iter().map(|d| d.as_millis() as Millis).collect();
    let mut queued = 0;
    for due in services.store.due_reminders(&schedule, 100).await? {
        let Some(email) = templates::reminder(
            due.language.unwrap_or_default(),
            &due.email,
            &due.first_name,
            &due.status,
            &due.required_fields,
            &services.public_url,
            &due.reminders_token,
        ) else {
            continue;
        };
        if services.store.record_reminder(&due, &email).await? {
            tracing::info!(user = %due.user, status = %due.status, number = due.sent + 1, "reminder queued");
            queued += 1;
        }
    }
    Ok(queued)
}

/// Looks for due reminders every `config.poll`, forever.
pub async fn work(services: Services, config: ReminderConfig) {
    loop {
        let round = services.workers.round().await;
        if let Err(e) = remind_once(&services, &config).await {
            tracing::error!(error = %e, "reminders: could not read or record due reminders");
        }
        drop(round);
        tokio::time::sleep(config.poll).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schedule_is_one_hour_one_day_three_days() {
        assert_eq!(
            parse_schedule("1h,1d,3d").unwrap(),
            ReminderConfig::default().schedule
        );
        assert_eq!(parse_schedule(" 30m , 2h ").unwrap().len(), 2);
        assert!(parse_schedule("").unwrap().is_empty());
    }

    #[test]
    fn bad_schedules_are_refused_with_a_reason() {
        assert!(parse_schedule("1h,1d,3d,7d").unwrap_err().contains("at most 3"));
        assert!(parse_schedule("1d,1h").unwrap_err().contains("increase"));
        assert!(parse_schedule("soon").is_err());
        assert!(parse_schedule("5w").is_err());
        assert!(parse_schedule("5é").is_err());
    }
}

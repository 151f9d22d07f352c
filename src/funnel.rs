//! The onboarding funnel for the product team: of the people who signed up in a period, how
//! many reached each stage, how long each stage took (median), where they dropped off, and how
//! many came back after a reminder.

use crate::clock::Millis;
use crate::status::ApplicationStatus;

/// What the store reads for a period: the accounts created in it, with their milestones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunnelInput {
    /// Signup forms for new addresses in the period (confirmation emails queued).
    pub signup_forms: i64,
    pub people: Vec<Person>,
}

/// One account's milestones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    /// The account was created: the email was confirmed.
    pub confirmed_at: Millis,
    /// First opened the hosted verification.
    pub started_at: Option<Millis>,
    /// When each status was first reached (any order).
    pub changes: Vec<(ApplicationStatus, Millis)>,
    /// When reminders were sent.
    pub reminders: Vec<Millis>,
}

/// One bar of the funnel.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub name: &'static str,
    pub count: i64,
    /// Of the stage before (`None` for the first).
    pub conversion: Option<f64>,
    /// Median time from the previous stage, for those who reached this one (when both times
    /// are known).
    pub median_ms: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Funnel {
    pub stages: Vec<Stage>,
    /// The decisions among those who submitted (approved, denied, manual review).
    pub outcomes: Vec<Stage>,
    /// People who got a reminder and reached the next stage after it.
    pub back_after_reminder: i64,
    pub reminded: i64,
}

fn median(mut values: Vec<Millis>) -> Option<Millis> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[values.len() / 2])
}

/// When the person first reached a status `wanted` accepts.
fn first(person: &Person, wanted: impl Fn(&ApplicationStatus) -> bool) -> Option<Millis> {
    person
        .changes
        .iter()
        .filter(|(status, _)| wanted(status))
        .map(|(_, at)| *at)
        .min()
}

/// Submitted: LedgerOS has acted on the applicant's answers. LedgerOS reports "pending" from
/// the moment verification is initiated until it decides or asks for more, so the first
/// status past pending is when we know they finished the hosted page.
fn submitted(person: &Person) -> Option<Millis> {
    first(person, |s| {
        !matches!(s, ApplicationStatus::NotStarted | ApplicationStatus::Pending)
    })
}

impl Funnel {
    pub fn of(input: &FunnelInput) -> Self {
        let people = &input.people;
        let confirmed = people.len() as i64;
        let started: Vec<&Person> = people
            .iter()
            .filter(|p| p.started_at.is_some() || submitted(p).is_some())
            .collect();
        let submitted_people: Vec<(&Person, Millis)> = people
            .iter()
            .filter_map(|p| submitted(p).map(|at| (p, at)))
            .collect();
        let start_times = started
            .iter()
            .filter_map(|p| p.started_at.map(|at| at - p.confirmed_at))
            .collect();
        let submit_times = submitted_people
            .iter()
            .filter_map(|(p, at)| p.started_at.map(|start| at - start))
            .collect();
        let ratio = |n: i64, of: i64| (of > 0).then(|| n as f64 / of as f64);
        let stages = vec![
            Stage {
                name: "Signed up",
                count: input.signup_forms.max(confirmed),
                conversion: None,
                median_ms: None,
            },
            Stage {
                name: "Email confirmed",
                count: confirmed,
                conversion: ratio(confirmed, input.signup_forms.max(confirmed)),
                median_ms: None,
            },
            Stage {
                name: "Verification started",
                count: started.len() as i64,
                conversion: ratio(started.len() as i64, confirmed),
                median_ms: median(start_times),
            },
            Stage {
                name: "Submitted",
                count: submitted_people.len() as i64,
                conversion: ratio(submitted_people.len() as i64, started.len() as i64),
                median_ms: median(submit_times),
            },
        ];
        let submitted_count = submitted_people.len() as i64;
        // Decisions are timed from the start of verification (submitting is often the decision).
        let outcome = |name, status: ApplicationStatus| {
            let reached: Vec<&Person> = submitted_people
                .iter()
                .filter(|(p, _)| first(p, |s| *s == status).is_some())
                .map(|(p, _)| *p)
                .collect();
            let times = reached
                .iter()
                .filter_map(|p| Some(first(p, |s| *s == status)? - p.started_at?))
                .collect();
            Stage {
                name,
                count: reached.len() as i64,
                conversion: ratio(reached.len() as i64, submitted_count),
                median_ms: median(times),
            }
        };
        let outcomes = vec![
            outcome("Approved", ApplicationStatus::Approved),
            outcome("Denied", ApplicationStatus::Denied),
            outcome("Manual review", ApplicationStatus::ManualReview),
        ];
        let reminded = people.iter().filter(|p| !p.reminders.is_empty()).count() as i64;
        let back_after_reminder = people
            .iter()
            .filter(|p| {
                let Some(first_reminder) = p.reminders.iter().min() else {
                    return false;
                };
                p.changes
                    .iter()
                    .map(|(_, at)| *at)
                    .chain(p.started_at)
                    .any(|at| at > *first_reminder)
            })
            .count() as i64;
        Self {
            stages,
            outcomes,
            back_after_reminder,
            reminded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    const MIN: Millis = 60_000;

    fn person(
        started: Option<Millis>,
        changes: &[(ApplicationStatus, Millis)],
        reminders: &[Millis],
    ) -> Person {
        Person {
            confirmed_at: 0,
            started_at: started,
            changes: changes.to_vec(),
            reminders: reminders.to_vec(),
        }
    }

    #[test]
    fn stages_count_conversions_medians_and_reminders() {
        let input = FunnelInput {
            signup_forms: 5,
            people: vec![
                person(None, &[], &[]),
                person(Some(2 * MIN), &[], &[60 * MIN]),
                person(Some(4 * MIN), &[(Pending, 10 * MIN), (Approved, 12 * MIN)], &[]),
                person(
                    Some(6 * MIN),
                    &[
                        (Pending, 100 * MIN),
                        (ManualReview, 105 * MIN),
                        (Denied, 200 * MIN),
                    ],
                    &[60 * MIN],
                ),
            ],
        };
        let funnel = Funnel::of(&input);
        let counts: Vec<i64> = funnel.stages.iter().map(|s| s.count).collect();
        assert_eq!(counts, [5, 4, 3, 2]);
        assert_eq!(funnel.stages[1].conversion, Some(0.8));
        assert_eq!(funnel.stages[2].median_ms, Some(4 * MIN));
        // Started → submitted (the first status past pending): 8 and 99 minutes; the upper median.
        assert_eq!(funnel.stages[3].median_ms, Some(99 * MIN));
        let outcomes: Vec<(&str, i64)> = funnel.outcomes.iter().map(|s| (s.name, s.count)).collect();
        assert_eq!(outcomes, [("Approved", 1), ("Denied", 1), ("Manual review", 1)]);
        assert_eq!(funnel.outcomes[0].median_ms, Some(8 * MIN));
        assert_eq!(funnel.outcomes[1].median_ms, Some(194 * MIN));
        assert_eq!(funnel.outcomes[0].conversion, Some(0.5));
        assert_eq!((funnel.reminded, funnel.back_after_reminder), (2, 1));
    }

    #[test]
    fn an_empty_period_has_no_ratios() {
        let funnel = Funnel::of(&FunnelInput::default());
        assert!(
            funnel
                .stages
                .iter()
                .all(|s| s.count == 0 && s.median_ms.is_none())
        );
        assert!(funnel.stages.iter().all(|s| s.conversion.is_none()));
    }
}

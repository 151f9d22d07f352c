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

/// A stage's duration as the store counts it: its bucket, in the units the console shows a
/// median in (whole minutes under two hours, whole hours under two days, then whole days), so
/// a median read from the buckets is shown exactly as one read from the times. The database
/// triggers (migrations `*_funnel_counts.sql`) compute the same.
pub fn bucket(ms: Millis) -> i64 {
    const MINUTE: Millis = 60_000;
    const HOUR: Millis = 60 * MINUTE;
    const DAY: Millis = 24 * HOUR;
    match ms {
        ms if ms < 2 * HOUR => ms.max(0) / MINUTE,
        ms if ms < 2 * DAY => 120 + ms / HOUR,
        ms => 1000 + ms / DAY,
    }
}

/// The shortest duration in `bucket`.
pub fn bucket_start(bucket: i64) -> Millis {
    match bucket {
        b if b < 120 => b * 60_000,
        b if b < 1000 => (b - 120) * 3_600_000,
        b => (b - 1000) * 86_400_000,
    }
}

/// How many people counted in a measure, per bucket of its duration (`-1`: not timed): what
/// the store keeps for each day of confirmation, added up over a period.
pub type Counts = Vec<(String, i64, i64)>;

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

/// The measures a person counts in, each with its stage's duration when both ends are known.
/// "back": reminded, and moved on (started, or any status change) after the first reminder.
fn contributions(person: &Person) -> Vec<(&'static str, Option<Millis>)> {
    let started = person.started_at;
    let submitted = submitted(person);
    let since_start = |at: Option<Millis>| Some(at? - started?);
    let mut out = vec![("confirmed", None)];
    if started.is_some() || submitted.is_some() {
        out.push(("started", started.map(|at| at - person.confirmed_at)));
    }
    if submitted.is_some() {
        out.push(("submitted", since_start(submitted)));
        for (measure, status) in [
            ("approved", ApplicationStatus::Approved),
            ("denied", ApplicationStatus::Denied),
            ("review", ApplicationStatus::ManualReview),
        ] {
            if let Some(at) = first(person, |s| *s == status) {
                out.push((measure, since_start(Some(at))));
            }
        }
    }
    if let Some(reminded) = person.reminders.iter().min() {
        out.push(("reminded", None));
        let moved = person.changes.iter().map(|(_, at)| *at).chain(started).max();
        if moved.is_some_and(|at| at > *reminded) {
            out.push(("back", None));
        }
    }
    out
}

/// The counts of `input`, as the store keeps them.
pub fn counts_of(input: &FunnelInput) -> Counts {
    let mut counts: std::collections::BTreeMap<(&str, i64), i64> = Default::default();
    if input.signup_forms > 0 {
        counts.insert(("signup_forms", -1), input.signup_forms);
    }
    for person in &input.people {
        for (measure, time) in contributions(person) {
            *counts.entry((measure, time.map_or(-1, bucket))).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((measure, bucket), n)| (measure.to_owned(), bucket, n))
        .collect()
}

impl Funnel {
    /// The funnel of people's histories (the reference the store's counts are checked with).
    pub fn of(input: &FunnelInput) -> Self {
        Self::from_counts(&counts_of(input))
    }

    /// The funnel from counts per measure and bucket (rows may repeat a key: they add up).
    pub fn from_counts(counts: &[(String, i64, i64)]) -> Self {
        let total = |measure: &str| -> i64 {
            counts
                .iter()
                .filter(|(m, _, _)| m == measure)
                .map(|(_, _, n)| n)
                .sum()
        };
        // The upper median, as of the sorted times: the bucket holding the time at len / 2.
        let median = |measure: &str| -> Option<Millis> {
            let mut timed: std::collections::BTreeMap<i64, i64> = Default::default();
            for (_, bucket, n) in counts.iter().filter(|(m, b, _)| m == measure && *b >= 0) {
                *timed.entry(*bucket).or_default() += n;
            }
            let middle = timed.values().sum::<i64>() / 2;
            let mut seen = 0;
            timed.into_iter().find_map(|(bucket, n)| {
                seen += n;
                (seen > middle).then(|| bucket_start(bucket))
            })
        };
        let ratio = |n: i64, of: i64| (of > 0).then(|| n as f64 / of as f64);
        let (forms, confirmed) = (total("signup_forms"), total("confirmed"));
        let (started, submitted) = (total("started"), total("submitted"));
        let signed_up = forms.max(confirmed);
        let stages = vec![
            Stage {
                name: "Signed up",
                count: signed_up,
                conversion: None,
                median_ms: None,
            },
            Stage {
                name: "Email confirmed",
                count: confirmed,
                conversion: ratio(confirmed, signed_up),
                median_ms: None,
            },
            Stage {
                name: "Verification started",
                count: started,
                conversion: ratio(started, confirmed),
                median_ms: median("started"),
            },
            Stage {
                name: "Submitted",
                count: submitted,
                conversion: ratio(submitted, started),
                median_ms: median("submitted"),
            },
        ];
        // Decisions are timed from the start of verification (submitting is often the decision).
        let outcome = |name, measure| Stage {
            name,
            count: total(measure),
            conversion: ratio(total(measure), submitted),
            median_ms: median(measure),
        };
        let outcomes = vec![
            outcome("Approved", "approved"),
            outcome("Denied", "denied"),
            outcome("Manual review", "review"),
        ];
        Self {
            stages,
            outcomes,
            back_after_reminder: total("back"),
            reminded: total("reminded"),
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
        // 194 minutes is shown as "3 h": its bucket starts at three hours.
        assert_eq!(funnel.outcomes[1].median_ms, Some(180 * MIN));
        assert_eq!(funnel.outcomes[0].conversion, Some(0.5));
        assert_eq!((funnel.reminded, funnel.back_after_reminder), (2, 1));
    }

    #[test]
    fn a_bucket_holds_the_durations_shown_alike_and_starts_at_its_shortest() {
        const HOUR: Millis = 60 * MIN;
        const DAY: Millis = 24 * HOUR;
        for (ms, bucket_of) in [
            (-5 * MIN, 0),
            (59_999, 0),
            (MIN, 1),
            (2 * HOUR - 1, 119),
            (2 * HOUR, 122),
            (48 * HOUR - 1, 167),
            (2 * DAY, 1002),
            (400 * DAY + 5, 1400),
        ] {
            assert_eq!(bucket(ms), bucket_of, "{ms} ms");
            assert_eq!(bucket(bucket_start(bucket_of)), bucket_of);
            assert!(bucket_start(bucket_of) <= ms.max(0));
        }
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

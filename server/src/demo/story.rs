//! The plan of each demo applicant's last 30 days: when they signed up, confirmed, started,
//! and what LedgerOS decided when. Only times and outcomes; [`super::seed`] walks them.

use std::time::Duration;

use onboarding::clock::Millis;
use onboarding::kyc::StatusSource;
use sandbox::Outcome;

use super::HISTORY_DAYS;

pub(super) const MINUTE: Millis = 60_000;
pub(super) const HOUR: Millis = 60 * MINUTE;
pub(super) const DAY: Millis = 24 * HOUR;

/// A number in `[0, 1)` that depends only on `i` and `salt` (SplitMix64): the same demo every
/// time, varied from one applicant to the next.
fn unit(i: usize, salt: u64) -> f64 {
    let mut z = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as f64 / (u64::MAX as f64 + 1.0)
}

/// A duration between `low` and `high`, picked by `unit(i, salt)`.
pub(super) fn between(i: usize, salt: u64, low: Millis, high: Millis) -> Millis {
    low + ((high - low) as f64 * unit(i, salt)) as Millis
}

/// One step of someone's story.
#[derive(Clone, Debug)]
pub(super) enum Step {
    /// Fills in the signup form (a confirmation email is queued).
    SignUp,
    /// Opens the link: the account exists, and LedgerOS is asked to start verification.
    Confirm,
    /// Opens the hosted page.
    Start,
    /// LedgerOS decides; its webhook, if the contract sends one, follows.
    Decide(Outcome),
    /// LedgerOS's webhook reaches us.
    Deliver(String),
    /// We read the status from LedgerOS (the person came back from the hosted page, or the
    /// reconciler looked).
    Read(StatusSource),
    /// The person asks support to look again at a denial.
    Appeal,
    /// The person deletes their account (the link by email, confirmed): it waits out its grace
    /// period on the console's "Data requests" page.
    Delete,
}

/// The story of demo applicant `i` of `count`, as steps in time, some of them after `now`:
/// one in ten, whatever happened, deletes their account a few days later.
pub(super) fn story(i: usize, count: usize, now: Millis) -> Vec<(Millis, Step)> {
    let mut steps = plan(i, count, now);
    if i % 10 == 6
        && let Some(&(last, _)) = steps.last()
    {
        steps.push((last + between(i, 8, 2 * HOUR, 3 * DAY), Step::Delete));
    }
    steps
}

fn plan(i: usize, count: usize, now: Millis) -> Vec<(Millis, Step)> {
    let span = HISTORY_DAYS * DAY;
    let slot = span / count.max(1) as i64;
    let signed_up = now - span + i as i64 * slot + between(i, 1, 0, slot * 4 / 5);
    let mut steps = vec![(signed_up, Step::SignUp)];
    let confirmed = signed_up + between(i, 2, 2 * MINUTE, 40 * MINUTE);
    steps.push((confirmed, Step::Confirm));
    let kind = i % 8;
    if kind == 7 && i % 16 == 15 {
        // Confirmed, never opened the hosted page: reminded three times.
        return steps;
    }
    // One in five waits: reminded after an hour and a day, they come back on the second day.
    let started = confirmed
        + if i % 5 == 2 {
            between(i, 3, 26 * HOUR, 40 * HOUR)
        } else {
            between(i, 3, MINUTE, 12 * MINUTE)
        };
    steps.push((started, Step::Start));
    if kind == 7 {
        // Left the hosted page half-way: still pending, reminded.
        return steps;
    }
    let submitted = started + between(i, 4, 6 * MINUTE, 25 * MINUTE);
    // Back on our status page, which reads the status (dated a minute back).
    let back = submitted + 2 * MINUTE;
    let decided = |low: Millis, high: Millis| submitted + between(i, 5, low, high);
    match kind {
        0 | 1 => steps.push((submitted, Step::Decide(Outcome::Approve))),
        2 => {
            let deny = Outcome::Deny {
                reason: "Identity document could not be matched to the applicant".to_owned(),
            };
            if i % 16 == 2 {
                let denied = decided(3 * HOUR, 9 * HOUR);
                steps.push((submitted, Step::Decide(manual_review())));
                steps.push((back, Step::Read(StatusSource::Return)));
                steps.push((denied, Step::Decide(deny)));
                steps.push((denied + between(i, 6, 20 * HOUR, 30 * HOUR), Step::Appeal));
            } else {
                steps.push((submitted, Step::Decide(deny)));
            }
        }
        3 => {
            let asked = Outcome::NeedsInformation {
                required_fields: vec!["proofOfAddress".to_owned()],
            };
            steps.push((submitted, Step::Decide(asked)));
            if i % 16 == 3 {
                // Reminded after an hour and a day, they send the proof; approved hours later.
                steps.push((decided(30 * HOUR, 50 * HOUR), Step::Decide(Outcome::Approve)));
            }
        }
        4 => {
            steps.push((submitted, Step::Decide(manual_review())));
            steps.push((back, Step::Read(StatusSource::Return)));
            steps.push((decided(2 * HOUR, 20 * HOUR), Step::Decide(Outcome::Approve)));
        }
        5 => {
            steps.push((submitted, Step::Decide(Outcome::NeedsVerification)));
            steps.push((back, Step::Read(StatusSource::Return)));
        }
        _ => {
            steps.push((submitted, Step::Decide(Outcome::Lock)));
            steps.push((back, Step::Read(StatusSource::Return)));
        }
    }
    steps
}

/// A manual review whose end the story decides itself.
fn manual_review() -> Outcome {
    Outcome::ManualReview {
        then: Box::new(Outcome::Approve),
        after: Duration::from_secs(365 * 24 * 3600),
    }
}

//! Demo data for the product team: applicants with a past. Each one signed up on some day of
//! the last 30, confirmed their address minutes later, opened the hosted page, and was decided
//! by the built-in sandbox, some at once, some after hours of manual review; a few stalled and
//! were reminded, some came back after a reminder, a few never confirmed. The history is
//! written through the app's own code paths (signup, confirmation, provisioning at the sandbox
//! over HTTP, webhook ingestion, status reads, reminders) with a manual clock walked forward
//! through those 30 days, so the console's funnel, timelines and reminder figures tell a
//! believable story. What lies in the future of a story (a review that ends in three hours) is
//! left to the sandbox, which decides it then and sends its webhook over HTTP like LedgerOS.

use std::collections::BinaryHeap;
use std::time::Duration;

use onboarding::accounts::hash_password;
use onboarding::clock::{Clock, Millis};
use onboarding::email::templates;
use onboarding::i18n::Lang;
use onboarding::jobs::{ledger_calls, reminders};
use onboarding::kyc::StatusSource;
use onboarding::services::Services;
use onboarding::store::{ConfirmOutcome, InboxEvent, NewUser, SignupTarget, UserId};
use onboarding::webhook::ParsedEvent;
use onboarding::{tokens, verification};
use sandbox::{Decision, Outcome, Sandbox, WebhookMode};

/// The password of every demo applicant, shown on the console's demo page: log in as any of
/// them to see their status page.
pub const DEMO_APPLICANT_PASSWORD: &str = "demo applicant passphrase";

/// How far back the demo's history reaches.
pub const HISTORY_DAYS: i64 = 30;

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;

const FIRST: [&str; 12] = [
    "Amara", "Bilal", "Chen", "Dolores", "Emeka", "Farah", "Gustavo", "Hana", "Ivan", "Jade", "Kofi", "Lena",
];
const LAST: [&str; 12] = [
    "Okafor", "Haddad", "Wei", "Ruiz", "Nwosu", "Karimi", "Pereira", "Sato", "Petrov", "Moreau", "Mensah",
    "Novak",
];

const APPEAL: &str =
    "I renewed my passport last month, so the old one no longer matches. Could you look again?";

/// A number in `[0, 1)` that depends only on `i` and `salt` (SplitMix64): the same demo every
/// time, varied from one applicant to the next.
fn unit(i: usize, salt: u64) -> f64 {
    let mut z = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as f64 / (u64::MAX as f64 + 1.0)
}

/// A duration between `low` and `high`, picked by `unit(i, salt)`.
fn between(i: usize, salt: u64, low: Millis, high: Millis) -> Millis {
    low + ((high - low) as f64 * unit(i, salt)) as Millis
}

/// One step of someone's story.
#[derive(Clone, Debug)]
enum Step {
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
}

/// One step at its time; the heap pops the earliest first (then the first made).
#[derive(Debug)]
struct Action {
    at: Millis,
    order: usize,
    who: usize,
    step: Step,
}

impl PartialEq for Action {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.order) == (other.at, other.order)
    }
}
impl Eq for Action {}
impl PartialOrd for Action {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Action {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.order).cmp(&(self.at, self.order))
    }
}

/// What the story holds of each person while it is written.
struct Person {
    first: &'static str,
    last: &'static str,
    email: String,
    /// The confirmation link's token (its digest is stored).
    token: String,
    id: Option<UserId>,
    ledger_id: Option<String>,
    /// How the webhooks of this person travel: some twice, some late.
    webhooks: WebhookMode,
    /// The language they signed up in.
    lang: Lang,
}

/// The story of demo applicant `i` of `count`, as steps in time, some of them after `now`.
fn story(i: usize, count: usize, now: Millis) -> Vec<(Millis, Step)> {
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

/// Adds `count` demo applicants with 30 days of history; returns how many accounts were made.
/// Runs in the background from the console and at start-up (`DEMO_APPLICANTS`). The
/// background workers wait meanwhile (a few seconds), so that none of them reads the wall
/// clock in the middle of the past being written.
pub async fn seed(services: Services, sandbox: std::sync::Arc<Sandbox>, count: usize) -> usize {
    let hash = hash_password(DEMO_APPLICANT_PASSWORD.to_owned()).await;
    let batch = UserId::generate().0.replace('-', "");
    let now = services.clock.now_ms();
    let clock = Clock::manual(now - HISTORY_DAYS * DAY);
    let past = services.with_clock(clock.clone());
    let reminder_config = reminders::ReminderConfig::default();
    let mut people = Vec::with_capacity(count + count / 6 + 1);
    let mut queue = BinaryHeap::new();
    let mut order = 0;
    let mut future = Vec::new();
    for i in 0..count {
        let (first, last) = (FIRST[i % FIRST.len()], LAST[(i * 5 + 3) % LAST.len()]);
        let mut steps = story(i, count, now);
        // Every sixth applicant has a namesake who signed up and never opened the link.
        let namesake = (i % 6 == 4).then(|| vec![(steps[0].0 - between(i, 7, HOUR, 3 * DAY), Step::SignUp)]);
        for (steps, tag) in [Some(std::mem::take(&mut steps)), namesake]
            .into_iter()
            .flatten()
            .zip(["", "x"])
        {
            let who = people.len();
            people.push(Person {
                first,
                last,
                email: format!(
                    "{}.{}.{}{tag}{i}@demo.example",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    &batch[..4]
                ),
                token: tokens::generate(),
                id: None,
                ledger_id: None,
                webhooks: match i % 5 {
                    1 => WebhookMode::Duplicate,
                    3 => WebhookMode::Late(Duration::from_secs(20 * 60)),
                    _ => WebhookMode::Normal,
                },
                // Most in English, some in Spanish and Arabic, as a fintech in several markets sees.
                lang: match i % 6 {
                    1 | 4 => Lang::Es,
                    3 => Lang::Ar,
                    _ => Lang::En,
                },
            });
            // Steps to come are LedgerOS's: the first decision still ahead goes to the sandbox.
            let mut decided_later = false;
            for (at, step) in steps {
                if at <= now {
                    queue.push(Action { at, order, who, step });
                    order += 1;
                } else if let (Step::Decide(outcome), false) = (step, decided_later) {
                    decided_later = true;
                    future.push((who, outcome, at - now));
                }
            }
        }
    }

    let gate = services.workers.clone();
    let held = gate.hold().await;
    let mut made = 0;
    let mut swept_to = clock.now_ms();
    while let Some(action) = queue.pop() {
        // Reminders go out on the hour, as the worker would have sent them.
        while swept_to + HOUR <= action.at {
            swept_to += HOUR;
            clock.advance(swept_to - clock.now_ms());
            remind(&past, &reminder_config).await;
        }
        clock.advance(action.at - clock.now_ms());
        let person = &mut people[action.who];
        match act(&past, &sandbox, &hash, person, action.step).await {
            Ok(Some(Followed::Delivered(bodies))) => {
                for body in bodies {
                    let copies = match person.webhooks {
                        WebhookMode::Duplicate => vec![action.at, action.at + MINUTE / 2],
                        WebhookMode::Late(by) => vec![action.at + by.as_millis() as Millis],
                        _ => vec![action.at],
                    };
                    for at in copies.into_iter().filter(|at| *at <= now) {
                        queue.push(Action {
                            at,
                            order,
                            who: action.who,
                            step: Step::Deliver(body.clone()),
                        });
                        order += 1;
                    }
                }
            }
            Ok(Some(Followed::Created)) => made += 1,
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(error = %e, who = action.who, "demo: a step of an applicant's story failed")
            }
        }
    }
    clock.advance(services.clock.now_ms() - clock.now_ms());
    remind(&past, &reminder_config).await;
    drop(held);

    // What happens next is LedgerOS's, in real time: a review ends, the webhook arrives.
    for (who, outcome, after) in future {
        let Some(ledger_id) = &people[who].ledger_id else {
            continue;
        };
        let decision = Decision {
            outcome,
            delay: Duration::from_millis(after as u64),
            webhooks: WebhookMode::Normal,
        };
        if let Err(e) = sandbox.decide_with(ledger_id, decision).await {
            tracing::warn!(error = %e, "demo: the sandbox refused a decision");
        }
    }
    tracing::info!(made, "demo: applicants added");
    made
}

async fn remind(past: &Services, config: &reminders::ReminderConfig) {
    if let Err(e) = reminders::remind_once(past, config).await {
        tracing::warn!(error = %e, "demo: could not send the reminders due");
    }
}

/// What a step led to, beyond itself.
enum Followed {
    /// An account was made.
    Created,
    /// LedgerOS's webhooks for a decision, to deliver.
    Delivered(Vec<String>),
}

/// Takes one step of a person's story at the clock's time, through the app's own code.
async fn act(
    past: &Services,
    sandbox: &Sandbox,
    hash: &str,
    person: &mut Person,
    step: Step,
) -> anyhow::Result<Option<Followed>> {
    let now = past.clock.now_ms();
    match step {
        Step::SignUp => {
            let (email, base, token) = (person.email.as_str(), &past.public_url, &person.token);
            let expires_at = now + templates::CONFIRM_SIGNUP_HOURS * HOUR;
            let new = NewUser {
                email,
                first_name: person.first,
                last_name: person.last,
                password_hash: hash,
            };
            let lang = person.lang;
            past.store
                .record_signup(
                    new,
                    lang,
                    &tokens::digest(token),
                    expires_at,
                    &|target| match target {
                        SignupTarget::New => templates::confirm_signup(lang, email, base, token),
                        SignupTarget::Existing { first_name, language } => {
                            templates::account_exists(language.unwrap_or(lang), email, first_name, base)
                        }
                    },
                )
                .await?;
            Ok(None)
        }
        Step::Confirm => {
            let ConfirmOutcome::Created(id) =
                past.store.confirm_signup(&tokens::digest(&person.token)).await?
            else {
                anyhow::bail!("the confirmation link did not make an account");
            };
            // As the confirmation page does: verification starts at once.
            ledger_calls::provision_now(past, &id).await;
            let user = verification::provision(past, &id).await?;
            person.ledger_id = user.ledger_user_id;
            person.id = Some(id);
            Ok(Some(Followed::Created))
        }
        Step::Start => {
            let id = person.id.as_ref().ok_or_else(|| anyhow::anyhow!("no account"))?;
            verification::verification_url(past, id).await?;
            past.store.mark_started(id).await?;
            Ok(None)
        }
        Step::Decide(outcome) => {
            let ledger_id = person
                .ledger_id
                .as_deref()
                .ok_or_else(|| anyhow::anyhow!("not at LedgerOS"))?;
            let bodies = sandbox.decide_in_past(ledger_id, &outcome, now)?;
            Ok(Some(Followed::Delivered(bodies)))
        }
        Step::Deliver(body) => {
            let event = ParsedEvent::from_json(body.as_bytes())?;
            past.store
                .ingest_event(InboxEvent::from_webhook(&event, body.as_bytes()))
                .await?;
            Ok(None)
        }
        Step::Read(source) => {
            let id = person.id.as_ref().ok_or_else(|| anyhow::anyhow!("no account"))?;
            if source == StatusSource::Return {
                past.store.mark_returned(id).await?;
            }
            verification::refresh_status_in_past(past, id, source).await?;
            Ok(None)
        }
        Step::Appeal => {
            let id = person.id.as_ref().ok_or_else(|| anyhow::anyhow!("no account"))?;
            past.store.add_appeal(id, APPEAL).await?;
            Ok(None)
        }
    }
}

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
use sandbox::{Decision, Sandbox, WebhookMode};

mod story;

use story::{DAY, HOUR, MINUTE, Step, between, story};

/// The password of every demo applicant, shown on the console's demo page: log in as any of
/// them to see their status page.
pub const DEMO_APPLICANT_PASSWORD: &str = "demo applicant passphrase";

/// How far back the demo's history reaches.
pub const HISTORY_DAYS: i64 = 30;

const FIRST: [&str; 12] = [
    "Amara", "Bilal", "Chen", "Dolores", "Emeka", "Farah", "Gustavo", "Hana", "Ivan", "Jade", "Kofi", "Lena",
];
const LAST: [&str; 12] = [
    "Okafor", "Haddad", "Wei", "Ruiz", "Nwosu", "Karimi", "Pereira", "Sato", "Petrov", "Moreau", "Mensah",
    "Novak",
];

const APPEAL: &str =
    "I renewed my passport last month, so the old one no longer matches. Could you look again?";

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
        Step::Delete => {
            // As the account page and the emailed link do.
            let id = person.id.as_ref().ok_or_else(|| anyhow::anyhow!("no account"))?;
            let token = tokens::generate();
            let link =
                templates::deletion_link(person.lang, &person.email, person.first, &past.public_url, &token);
            let expires_at = now + templates::DELETION_LINK_HOURS * HOUR;
            past.store
                .request_deletion(id, &tokens::digest(&token), expires_at, &link)
                .await?;
            onboarding::data_rights::confirm_deletion(past, &token, person.lang).await?;
            Ok(None)
        }
    }
}

//! Demo data for the product team: real applicants in every status, made the way real ones
//! are (an account in our database, a LedgerOS user at the built-in sandbox, a decision there
//! whose webhooks travel over HTTP, some of them late or twice), and a reset.

use std::time::Duration;

use onboarding::accounts::hash_password;
use onboarding::services::Services;
use onboarding::store::NewUser;
use sandbox::{Decision, Outcome, Sandbox, WebhookMode};

/// The password of every demo applicant, shown on the console's demo page: log in as any of
/// them to see their status page.
pub const DEMO_APPLICANT_PASSWORD: &str = "demo applicant passphrase";

const FIRST: [&str; 12] = [
    "Amara", "Bilal", "Chen", "Dolores", "Emeka", "Farah", "Gustavo", "Hana", "Ivan", "Jade", "Kofi", "Lena",
];
const LAST: [&str; 12] = [
    "Okafor", "Haddad", "Wei", "Ruiz", "Nwosu", "Karimi", "Pereira", "Sato", "Petrov", "Moreau", "Mensah",
    "Novak",
];

/// What happens to demo applicant `i`.
fn plan(i: usize) -> Option<Decision> {
    let outcome = match i % 8 {
        0 | 1 => Outcome::Approve,
        2 => Outcome::Deny {
            reason: "Identity document could not be matched to the applicant".to_owned(),
        },
        3 => Outcome::NeedsInformation {
            required_fields: vec!["proofOfAddress".to_owned()],
        },
        4 => Outcome::ManualReview {
            then: Box::new(Outcome::Approve),
            after: Duration::from_secs(3600),
        },
        5 => Outcome::NeedsVerification,
        6 => Outcome::Lock,
        // Still on the hosted page: no decision yet.
        _ => return None,
    };
    // A few webhooks arrive twice, a few late: the console shows both.
    let webhooks = match i % 5 {
        1 => WebhookMode::Duplicate,
        3 => WebhookMode::Late(Duration::from_secs(20)),
        _ => WebhookMode::Normal,
    };
    Some(Decision {
        outcome,
        delay: Duration::ZERO,
        webhooks,
    })
}

/// Adds `count` demo applicants; returns how many were made. Runs in the background from the
/// console (a LedgerOS call and a decision each).
pub async fn seed(services: Services, sandbox: std::sync::Arc<Sandbox>, count: usize) -> usize {
    let hash = hash_password(DEMO_APPLICANT_PASSWORD.to_owned()).await;
    let batch = onboarding::store::UserId::generate().0.replace('-', "");
    let mut made = 0;
    for i in 0..count {
        let (first, last) = (FIRST[i % FIRST.len()], LAST[(i * 5 + 3) % LAST.len()]);
        let email = format!(
            "{}.{}.{}{i}@demo.example",
            first.to_lowercase(),
            last.to_lowercase(),
            &batch[..4]
        );
        let new = NewUser {
            email: &email,
            first_name: first,
            last_name: last,
            password_hash: &hash,
        };
        let id = match services.store.create_user(new).await {
            Ok(id) => id,
            Err(e) => {
                tracing::warn!(error = %e, "demo: could not create an applicant");
                continue;
            }
        };
        let user = match onboarding::verification::provision(&services, &id).await {
            Ok(user) => user,
            Err(e) => {
                tracing::warn!(error = %e, "demo: could not provision an applicant");
                continue;
            }
        };
        if let (Some(ledger_id), Some(decision)) = (user.ledger_user_id, plan(i)) {
            let denied = matches!(decision.outcome, Outcome::Deny { .. });
            if let Err(e) = sandbox.decide_with(&ledger_id, decision).await {
                tracing::warn!(error = %e, "demo: the sandbox refused a decision");
            }
            if denied && i % 16 == 2 {
                let _ = services
                    .store
                    .add_appeal(&id, "I renewed my passport last month, so the old one no longer matches. Could you look again?")
                    .await;
            }
        }
        made += 1;
    }
    tracing::info!(made, "demo: applicants added");
    made
}

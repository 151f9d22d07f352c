//! The store's promises, on the backend under test (SQLite, or PostgreSQL with
//! `TEST_DATABASE_URL`), including when two instances (two handles on one database) race.

use std::collections::HashSet;
use std::time::Duration;

use onboarding::clock::{Clock, Millis};
use onboarding::email::{EmailKind, OutgoingEmail};
use onboarding::status::ApplicationStatus;
use onboarding::store::{
    ConfirmOutcome, EventOutcome, InboxEvent, NewUser, SignupTarget, Store, StoreError, UserId,
};

use crate::helpers::fresh_database;

const START: Millis = 1_700_000_000_000;

/// Two handles on one fresh database, as two instances would hold, sharing a manual clock.
async fn two_instances() -> (Store, Store, Clock, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let clock = Clock::manual(START);
    let a = Store::connect(&url, clock.clone(), "http://app.test")
        .await
        .unwrap();
    let b = Store::connect(&url, clock.clone(), "http://app.test")
        .await
        .unwrap();
    (a, b, clock, dir)
}

async fn user(store: &Store, email: &str) -> UserId {
    let new = NewUser {
        email,
        first_name: "Ada",
        last_name: "Lovelace",
        password_hash: "h",
    };
    store.create_user(new).await.unwrap()
}

fn event(id: &str, ledger: &str, at: Millis, status: ApplicationStatus) -> InboxEvent {
    InboxEvent {
        id: id.to_owned(),
        event_type: "user.application.test".to_owned(),
        ledger_user_id: Some(ledger.to_owned()),
        created_at_ms: at,
        payload: "{}".to_owned(),
        status: Some(status),
        required_fields: Vec::new(),
        reason: None,
    }
}

fn email(to: &str) -> OutgoingEmail {
    OutgoingEmail {
        kind: EmailKind::ConfirmSignup,
        to: to.to_owned(),
        subject: "Confirm".to_owned(),
        body: "Open the link".to_owned(),
        unsubscribe_url: None,
    }
}

#[tokio::test]
async fn an_email_address_has_one_account() {
    let (store, _, _, _dir) = two_instances().await;
    user(&store, "a@example.com").await;
    let again = NewUser {
        email: "a@example.com",
        first_name: "B",
        last_name: "C",
        password_hash: "h",
    };
    assert!(matches!(
        store.create_user(again).await,
        Err(StoreError::EmailTaken)
    ));
}

#[tokio::test]
async fn an_event_is_applied_once_and_a_stale_one_is_ignored() {
    let (store, _, _, _dir) = two_instances().await;
    let id = user(&store, "a@example.com").await;
    store.link_ledger_user(&id, "user_1").await.unwrap();

    let applied = store
        .ingest_event(event("evt_1", "user_1", START + 50, ApplicationStatus::Approved))
        .await
        .unwrap();
    let duplicate = store
        .ingest_event(event("evt_1", "user_1", START + 50, ApplicationStatus::Approved))
        .await
        .unwrap();
    let stale = store
        .ingest_event(event("evt_0", "user_1", START + 10, ApplicationStatus::Pending))
        .await
        .unwrap();

    assert_eq!(applied, EventOutcome::Applied(ApplicationStatus::Approved));
    assert_eq!(duplicate, EventOutcome::Duplicate);
    assert!(matches!(stale, EventOutcome::Ignored(_)));
    let record = store.user(&id).await.unwrap().unwrap();
    assert_eq!(record.kyc.status, ApplicationStatus::Approved);
    assert_eq!(record.kyc.as_of_ms, Some(START + 50));
}

#[tokio::test]
async fn events_for_an_unknown_user_wait_and_apply_in_order_when_linked() {
    let (store, _, _, _dir) = two_instances().await;
    let later = store
        .ingest_event(event("evt_b", "user_9", START + 20, ApplicationStatus::Denied))
        .await
        .unwrap();
    assert_eq!(later, EventOutcome::Waiting);
    store
        .ingest_event(event(
            "evt_a",
            "user_9",
            START + 10,
            ApplicationStatus::ManualReview,
        ))
        .await
        .unwrap();

    let id = user(&store, "late@example.com").await;
    store.link_ledger_user(&id, "user_9").await.unwrap();

    let record = store.user(&id).await.unwrap().unwrap();
    assert_eq!(record.kyc.status, ApplicationStatus::Denied);
    assert_eq!(record.kyc.as_of_ms, Some(START + 20));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn due_jobs_claimed_by_many_workers_on_two_instances_go_to_one_worker_each() {
    let (a, b, clock, _dir) = two_instances().await;
    for n in 0..300 {
        user(&a, &format!("u{n}@example.com")).await;
    }
    clock.advance(60_000); // past the grace the signup request has to provision inline
    let workers = (0..8).map(|w| {
        let store = if w % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move {
            let mut claimed = Vec::new();
            while let Some(job) = store.claim_due_job(60_000).await.unwrap() {
                claimed.push(job.id);
            }
            claimed
        })
    });
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 300, "every job claimed once: {all:?}");
    assert_eq!(distinct.len(), 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn queued_emails_claimed_by_many_workers_on_two_instances_go_out_once_each() {
    let (a, b, _, _dir) = two_instances().await;
    for n in 0..40 {
        let address = format!("s{n}@example.com");
        let new = NewUser {
            email: &address,
            first_name: "S",
            last_name: "T",
            password_hash: "h",
        };
        a.record_signup(
            new,
            onboarding::i18n::Lang::En,
            &format!("hash{n}"),
            START + 1_000_000,
            &|_: SignupTarget<'_>| email(&address),
        )
        .await
        .unwrap();
    }
    let workers = (0..8).map(|w| {
        let store = if w % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move {
            let mut claimed = Vec::new();
            // Small claims, so that the workers take turns.
            loop {
                let queued = store.claim_due_emails(60_000, 3).await.unwrap();
                if queued.is_empty() {
                    break;
                }
                let ids: Vec<i64> = queued.iter().map(|q| q.id).collect();
                store.emails_sent(&ids, true).await.unwrap();
                claimed.extend(queued.into_iter().map(|q| q.to));
            }
            claimed
        })
    });
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!((all.len(), distinct.len()), (40, 40), "{all:?}");
}

#[tokio::test]
async fn a_signup_link_opened_twice_at_once_on_two_instances_creates_one_account() {
    let (a, b, _, _dir) = two_instances().await;
    for n in 0..10 {
        let address = format!("race{n}@example.com");
        let token = format!("token{n}");
        let new = NewUser {
            email: &address,
            first_name: "R",
            last_name: "C",
            password_hash: "h",
        };
        a.record_signup(
            new,
            onboarding::i18n::Lang::En,
            &token,
            START + 1_000_000,
            &|_: SignupTarget<'_>| email(&address),
        )
        .await
        .unwrap();
        let (one, two) = tokio::join!(a.confirm_signup(&token), b.confirm_signup(&token));
        let created = [one.unwrap(), two.unwrap()]
            .into_iter()
            .filter(|o| matches!(o, ConfirmOutcome::Created(_)))
            .count();
        assert_eq!(created, 1, "link {n}");
        assert!(a.user_by_email(&address).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn a_reset_link_used_twice_at_once_on_two_instances_works_once() {
    let (a, b, _, _dir) = two_instances().await;
    user(&a, "reset@example.com").await;
    for n in 0..10 {
        let token = format!("reset{n}");
        let known = a
            .request_password_reset("reset@example.com", &token, START + 1_000_000, &|_: &str, _| {
                email("reset@example.com")
            })
            .await
            .unwrap();
        assert!(known);
        let notice = |_: &str, _: &str, _| email("reset@example.com");
        let (one, two) = tokio::join!(
            a.reset_password(&token, "new-hash-a", &notice),
            b.reset_password(&token, "new-hash-b", &notice)
        );
        let used = [one.unwrap(), two.unwrap()]
            .iter()
            .filter(|o| o.is_some())
            .count();
        assert_eq!(used, 1, "token {n}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn events_for_one_user_received_at_once_on_two_instances_leave_the_newest_status() {
    let (a, b, _, _dir) = two_instances().await;
    let statuses = [
        ApplicationStatus::Pending,
        ApplicationStatus::ManualReview,
        ApplicationStatus::NeedsInformation,
        ApplicationStatus::Pending,
        ApplicationStatus::ManualReview,
        ApplicationStatus::Approved,
    ];
    for round in 0..5 {
        let ledger = format!("user_{round}");
        let id = user(&a, &format!("o{round}@example.com")).await;
        // Half the rounds link while the events arrive: none may be left waiting.
        let link_late = round % 2 == 1;
        if !link_late {
            a.link_ledger_user(&id, &ledger).await.unwrap();
        }
        let mut sends = Vec::new();
        for (i, status) in statuses.iter().enumerate().rev() {
            let store = if i % 2 == 0 { a.clone() } else { b.clone() };
            let (ledger, status) = (ledger.clone(), status.clone());
            sends.push(tokio::spawn(async move {
                let id = format!("evt_{ledger}_{i}");
                store
                    .ingest_event(event(&id, &ledger, START + 1_000 * i as i64, status))
                    .await
                    .unwrap()
            }));
        }
        if link_late {
            a.link_ledger_user(&id, &ledger).await.unwrap();
        }
        for send in sends {
            send.await.unwrap();
        }
        let record = b.user(&id).await.unwrap().unwrap();
        assert_eq!(record.kyc.status, ApplicationStatus::Approved, "round {round}");
        assert_eq!(record.kyc.as_of_ms, Some(START + 5_000), "round {round}");
    }
}

#[tokio::test]
async fn a_status_change_is_heard_by_every_instance_on_postgres_and_by_its_own_on_sqlite() {
    let (a, b, _, _dir) = two_instances().await;
    let id = user(&a, "live@example.com").await;
    a.link_ledger_user(&id, "user_live").await.unwrap();
    let mut on_a = a.subscribe();
    let mut on_b = b.subscribe();
    a.ingest_event(event(
        "evt_live",
        "user_live",
        START + 1,
        ApplicationStatus::Pending,
    ))
    .await
    .unwrap();
    let heard = tokio::time::timeout(Duration::from_secs(5), on_a.recv()).await;
    assert_eq!(heard.expect("heard in time").unwrap(), id);
    if a.kind() == "postgres" {
        let heard = tokio::time::timeout(Duration::from_secs(5), on_b.recv()).await;
        assert_eq!(heard.expect("the other instance heard in time").unwrap(), id);
    }
}

#[tokio::test]
async fn an_email_queued_on_one_instance_wakes_the_mail_worker_of_another_on_postgres() {
    let (a, b, _, _dir) = two_instances().await;
    if a.kind() != "postgres" {
        return; // One process on SQLite: the in-process wake-up is covered by the email tests.
    }
    let waiting = tokio::spawn(async move {
        let started = std::time::Instant::now();
        b.wait_for_mail(Duration::from_secs(10)).await;
        started.elapsed()
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let new = NewUser {
        email: "wake@example.com",
        first_name: "W",
        last_name: "U",
        password_hash: "h",
    };
    a.record_signup(
        new,
        onboarding::i18n::Lang::En,
        "wake",
        START + 1_000_000,
        &|_: SignupTarget<'_>| email("wake@example.com"),
    )
    .await
    .unwrap();
    let waited = waiting.await.unwrap();
    assert!(waited < Duration::from_secs(5), "woken after {waited:?}");
}

#[tokio::test]
async fn a_rate_limit_counted_in_the_database_is_shared_by_two_instances() {
    let (a, b, clock, _dir) = two_instances().await;
    // A burst of 3, then one more a second.
    for n in 0..3 {
        let store = if n % 2 == 0 { &a } else { &b };
        assert_eq!(
            store.rate_limit("k", 3, 1_000).await.unwrap(),
            None,
            "attempt {n}"
        );
    }
    let wait = b
        .rate_limit("k", 3, 1_000)
        .await
        .unwrap()
        .expect("the fourth is refused");
    assert!(wait <= Duration::from_millis(1_000), "{wait:?}");
    assert_eq!(
        a.rate_limit("other", 3, 1_000).await.unwrap(),
        None,
        "keys are apart"
    );
    clock.advance(1_000);
    assert_eq!(
        a.rate_limit("k", 3, 1_000).await.unwrap(),
        None,
        "one more after a second"
    );
    assert!(b.rate_limit("k", 3, 1_000).await.unwrap().is_some());
    clock.advance(10_000);
    assert_eq!(
        a.prune_rate_limits().await.unwrap(),
        2,
        "recovered keys are forgotten"
    );
}

#[tokio::test]
async fn a_group_of_events_is_applied_in_created_at_order_per_person_with_duplicates_caught() {
    let (store, _, _, _dir) = two_instances().await;
    let ada = user(&store, "ada@example.com").await;
    let bob = user(&store, "bob@example.com").await;
    store.link_ledger_user(&ada, "user_ada").await.unwrap();
    store.link_ledger_user(&bob, "user_bob").await.unwrap();
    // As the committer hands them over: sorted by person, then age.
    let mut group = vec![
        event("evt_a2", "user_ada", START + 20, ApplicationStatus::Approved),
        event(
            "evt_b1",
            "user_bob",
            START + 10,
            ApplicationStatus::NeedsInformation,
        ),
        event("evt_a1", "user_ada", START + 10, ApplicationStatus::ManualReview),
        event("evt_a2", "user_ada", START + 20, ApplicationStatus::Approved),
        event("evt_x", "user_unknown", START + 5, ApplicationStatus::Denied),
    ];
    group.sort_by(|a, b| a.apply_order().cmp(&b.apply_order()));
    let order: Vec<&str> = group.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(order, ["evt_a1", "evt_a2", "evt_a2", "evt_b1", "evt_x"]);

    let outcomes = store.ingest_events(group).await.unwrap();

    assert_eq!(
        outcomes,
        [
            EventOutcome::Applied(ApplicationStatus::ManualReview),
            EventOutcome::Applied(ApplicationStatus::Approved),
            EventOutcome::Duplicate,
            EventOutcome::Applied(ApplicationStatus::NeedsInformation),
            EventOutcome::Waiting,
        ]
    );
    let ada = store.user(&ada).await.unwrap().unwrap();
    assert_eq!(ada.kyc.status, ApplicationStatus::Approved);
    assert_eq!(ada.kyc.as_of_ms, Some(START + 20));
    let stored: i64 = store
        .scalar_for_tests("SELECT COUNT(*) FROM webhook_events")
        .await
        .unwrap();
    assert_eq!(stored, 4);
}

#[tokio::test]
async fn a_group_that_fails_leaves_nothing_and_the_next_one_goes_through() {
    let (store, _, _, _dir) = two_instances().await;
    let ada = user(&store, "ada@example.com").await;
    store.link_ledger_user(&ada, "user_ada").await.unwrap();
    // The database refuses one event of the group half way through its write.
    if store.kind() == "postgres" {
        store
            .execute_for_tests(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ \
                 LANGUAGE plpgsql",
            )
            .await
            .unwrap();
        store
            .execute_for_tests(
                "CREATE TRIGGER refuse BEFORE INSERT ON status_changes FOR EACH ROW \
                 WHEN (NEW.event_id = 'evt_bad') EXECUTE FUNCTION refuse()",
            )
            .await
            .unwrap();
    } else {
        store
            .execute_for_tests(
                "CREATE TRIGGER refuse BEFORE INSERT ON status_changes \
                 WHEN NEW.event_id = 'evt_bad' BEGIN SELECT RAISE(ABORT, 'refused'); END",
            )
            .await
            .unwrap();
    }
    let group = vec![
        event("evt_ok", "user_ada", START + 10, ApplicationStatus::ManualReview),
        event("evt_bad", "user_ada", START + 20, ApplicationStatus::Approved),
    ];
    assert!(store.ingest_events(group).await.is_err());
    let stored: i64 = store
        .scalar_for_tests("SELECT COUNT(*) FROM webhook_events")
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing of a failed group is kept");
    let ada_now = store.user(&ada).await.unwrap().unwrap();
    assert_eq!(ada_now.kyc.status, ApplicationStatus::NotStarted);

    // The connection went back clean: the next groups commit, and other writes too.
    for i in 0..3 {
        let outcome = store
            .ingest_event(event(
                &format!("evt_next_{i}"),
                "user_ada",
                START + 30 + i,
                ApplicationStatus::ManualReview,
            ))
            .await
            .unwrap();
        assert!(matches!(
            outcome,
            EventOutcome::Applied(_) | EventOutcome::Ignored(_)
        ));
    }
    user(&store, "bob@example.com").await;
    let stored: i64 = store
        .scalar_for_tests("SELECT COUNT(*) FROM webhook_events")
        .await
        .unwrap();
    assert_eq!(stored, 3);
}

/// Every row a batch of webhooks can leave, one text line per row, ids of people replaced by
/// their email addresses (the two databases give the same people different ids).
async fn webhook_footprint(url: &str) -> Vec<(String, String)> {
    let db = crate::harness::Db::connect(url).await;
    let mut rows = Vec::new();
    for sql in [
        "SELECT email, application_status || '|' || COALESCE(CAST(status_as_of AS TEXT), '-') \
         || '|' || CAST(required_fields AS TEXT) || '|' || CAST(status_changed_at AS TEXT) \
         || '|' || COALESCE(CAST(returned_at AS TEXT), '-') || '|' || CAST(reminders_sent AS TEXT) \
         || '|' || COALESCE(CAST(confirmed_at AS TEXT), '-') || '|' || COALESCE(denial_reason, '-') \
         FROM users ORDER BY email",
        "SELECT id, COALESCE(outcome, '-') || '|' || COALESCE(CAST(processed_at AS TEXT), '-') \
         || '|' || CAST(duplicates AS TEXT) || '|' || COALESCE(status, '-') || '|' \
         || CAST(required_fields AS TEXT) || '|' || COALESCE(reason, '-') || '|' \
         || CAST(created_at_ms AS TEXT) || '|' || payload || '|' || event_type || '|' \
         || COALESCE(ledger_user_id, '-') || '|' || CAST(received_at AS TEXT) \
         FROM webhook_events ORDER BY id",
        "SELECT u.email, c.status || '|' || c.source || '|' || COALESCE(c.event_id, '-') || '|' \
         || CAST(c.at AS TEXT) FROM status_changes c JOIN users u ON u.id = c.user_id ORDER BY c.id",
        "SELECT to_address, kind || '|' || subject || '|' || COALESCE(body, '') || '|' \
         || COALESCE(unsubscribe_url, '-') || '|' || CAST(created_at AS TEXT) || '|' \
         || CAST(run_at AS TEXT) FROM emails ORDER BY id",
    ] {
        rows.extend(db.pairs(sql).await);
    }
    rows
}

#[tokio::test]
async fn a_group_leaves_the_same_outcomes_and_rows_as_its_events_taken_one_by_one() {
    // Random groups (a fixed seed): five people and one nobody knows, every status and one
    // LedgerOS may add later, events without a status, denials with reasons, documents asked
    // for, duplicates inside a group and of earlier groups, out of order. One database takes
    // each group whole; the other takes the same events one at a time, in the same order.
    let clock = Clock::manual(START);
    let (dir_grouped, dir_single) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (url_grouped, url_single) = (
        fresh_database(dir_grouped.path()).await,
        fresh_database(dir_single.path()).await,
    );
    let grouped = Store::connect(&url_grouped, clock.clone(), "http://app.test")
        .await
        .unwrap();
    let single = Store::connect(&url_single, clock.clone(), "http://app.test")
        .await
        .unwrap();
    for store in [&grouped, &single] {
        for p in 0..5 {
            let id = user(store, &format!("p{p}@example.com")).await;
            store.link_ledger_user(&id, &format!("user_{p}")).await.unwrap();
            if p % 2 == 0 {
                // Came back from the hosted page: a status change clears this mark.
                store.mark_returned(&id).await.unwrap();
            }
        }
    }
    let mut statuses = ApplicationStatus::KNOWN.to_vec();
    statuses.push(ApplicationStatus::Unknown("underAudit".to_owned()));
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut sent: Vec<InboxEvent> = Vec::new();
    for round in 0..40 {
        let mut group = Vec::new();
        for _ in 0..1 + random(24) {
            if !sent.is_empty() && random(6) == 0 {
                group.push(sent[random(sent.len())].clone());
                continue;
            }
            let n = sent.len() + group.len();
            let person = random(6);
            let status = statuses[random(statuses.len())].clone();
            let mut e = event(
                &format!("evt_{n}"),
                &format!("user_{person}"),
                START + random(2_000) as i64,
                status.clone(),
            );
            e.payload = format!(r#"{{"id":"evt_{n}","note":"ünïcode \"quoted\""}}"#);
            match random(8) {
                0 => e.status = None,
                1 => e.ledger_user_id = None,
                _ => {}
            }
            if status == ApplicationStatus::NeedsInformation {
                e.required_fields = vec!["proofOfAddress".to_owned(), format!("doc{n}")];
            }
            if status == ApplicationStatus::Denied && random(2) == 0 {
                e.reason = Some(format!("reason {n}"));
            }
            group.push(e);
        }
        group.sort_by(|a, b| a.apply_order().cmp(&b.apply_order()));
        let whole = grouped.ingest_events(group.clone()).await.unwrap();
        let mut one_by_one = Vec::new();
        for e in &group {
            one_by_one.push(single.ingest_event(e.clone()).await.unwrap());
        }
        assert_eq!(whole, one_by_one, "outcomes of group {round}");
        sent.extend(group);
        clock.advance(1_000);
    }
    let (rows_grouped, rows_single) = (
        webhook_footprint(&url_grouped).await,
        webhook_footprint(&url_single).await,
    );
    assert_eq!(rows_grouped, rows_single);
    let applied = rows_grouped
        .iter()
        .filter(|(_, r)| r.starts_with("applied:"))
        .count();
    assert!(
        applied > 20,
        "the groups changed statuses: {applied} events applied"
    );
}

#[tokio::test]
async fn concurrent_deliveries_through_the_group_committer_are_each_answered_and_applied_once() {
    use onboarding::store::GroupCommit;
    let (a, b, _, _dir) = two_instances().await;
    // Two instances, each with a grouping committer (what SQLite uses; on PostgreSQL this also
    // shows that groups on two instances take their locks in one order), as two servers behind
    // a load balancer.
    let (on_a, on_b) = (GroupCommit::start(a.clone(), 2), GroupCommit::start(b.clone(), 2));
    let statuses = [
        ApplicationStatus::Pending,
        ApplicationStatus::ManualReview,
        ApplicationStatus::NeedsInformation,
        ApplicationStatus::Approved,
    ];
    let mut people = Vec::new();
    for p in 0..20 {
        let id = user(&a, &format!("p{p}@example.com")).await;
        a.link_ledger_user(&id, &format!("user_{p}")).await.unwrap();
        people.push(id);
    }
    // Every event twice, newest first, spread over both instances, all at once.
    let mut sends = Vec::new();
    for round in 0..2 {
        for (i, status) in statuses.iter().enumerate().rev() {
            for p in 0..20 {
                let inbox = if (p + i + round) % 2 == 0 {
                    on_a.clone()
                } else {
                    on_b.clone()
                };
                let status = status.clone();
                sends.push(tokio::spawn(async move {
                    let id = format!("evt_{p}_{i}");
                    let at = START + 1_000 * i as i64;
                    inbox
                        .ingest(event(&id, &format!("user_{p}"), at, status))
                        .await
                        .unwrap()
                }));
            }
        }
    }
    let mut duplicates = 0;
    for send in sends {
        if send.await.unwrap() == EventOutcome::Duplicate {
            duplicates += 1;
        }
    }
    assert_eq!(
        duplicates,
        20 * statuses.len(),
        "each second delivery is a duplicate"
    );
    let stored: i64 = a
        .scalar_for_tests("SELECT COUNT(*) FROM webhook_events")
        .await
        .unwrap();
    assert_eq!(stored, 20 * statuses.len() as i64);
    for id in &people {
        let record = b.user(id).await.unwrap().unwrap();
        assert_eq!(record.kyc.status, ApplicationStatus::Approved);
        assert_eq!(record.kyc.as_of_ms, Some(START + 3_000));
    }
}

/// A session record as axum-login leaves it for `user` (or for nobody).
fn session_of(user: Option<&UserId>) -> tower_sessions::session::Record {
    let mut data = std::collections::HashMap::new();
    if let Some(user) = user {
        data.insert(
            "axum-login.data".to_owned(),
            serde_json::json!({ "user_id": user.0, "auth_hash": [1, 2, 3] }),
        );
    }
    data.insert("logged_in_at".to_owned(), serde_json::json!(START));
    tower_sessions::session::Record {
        id: tower_sessions::session::Id::default(),
        data,
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    }
}

#[tokio::test]
async fn loading_a_session_brings_its_users_row_once_and_only_its_own() {
    use onboarding::store::{take_loaded_user, with_loaded_users};
    use tower_sessions::SessionStore as _;

    let (store, _, _, _dir) = two_instances().await;
    let ada = user(&store, "ada@example.com").await;
    let grace = user(&store, "grace@example.com").await;
    store.link_ledger_user(&ada, "user_ada").await.unwrap();
    let sessions = store.session_store();
    let mut signed_in = session_of(Some(&ada));
    sessions.create(&mut signed_in).await.unwrap();
    let stored = store.user(&ada).await.unwrap().unwrap();

    let (loaded, first, second) = with_loaded_users(async {
        let loaded = sessions.load(&signed_in.id).await.unwrap();
        (loaded, take_loaded_user(&ada), take_loaded_user(&ada))
    })
    .await;
    assert_eq!(loaded.expect("the session").data, signed_in.data);
    let first = first.expect("the user's row comes with the session");
    assert_eq!(
        (
            first.id,
            first.email,
            first.password_hash,
            first.ledger_user_id,
            first.kyc.status
        ),
        (
            stored.id,
            stored.email,
            stored.password_hash,
            stored.ledger_user_id,
            stored.kyc.status
        )
    );
    assert!(second.is_none(), "the row is handed over once");

    // Asked for someone else, nothing is handed over (the sign-in layer reads that user).
    let other = with_loaded_users(async {
        sessions.load(&signed_in.id).await.unwrap();
        take_loaded_user(&grace)
    })
    .await;
    assert!(other.is_none());

    // A session with nobody signed in brings no row; neither does one saved before the user
    // column existed, nor one whose user is gone.
    let mut anonymous = session_of(None);
    sessions.create(&mut anonymous).await.unwrap();
    let table = if store.kind() == "postgres" {
        "tower_sessions.session"
    } else {
        "tower_sessions"
    };
    let mut older = session_of(Some(&grace));
    sessions.create(&mut older).await.unwrap();
    store
        .execute_for_tests(&format!(
            "UPDATE {table} SET user_id = NULL WHERE id = '{}'",
            older.id
        ))
        .await
        .unwrap();
    let mut orphan = session_of(Some(&UserId("no-such-user".to_owned())));
    sessions.create(&mut orphan).await.unwrap();
    for (session, user) in [(&anonymous, &ada), (&older, &grace), (&orphan, &ada)] {
        let handed = with_loaded_users(async {
            assert!(sessions.load(&session.id).await.unwrap().is_some());
            take_loaded_user(user)
        })
        .await;
        assert!(handed.is_none());
    }

    // Saving moves the user column with the record: signing in as Grace hands Grace's row.
    let mut switched = signed_in.clone();
    switched.data = session_of(Some(&grace)).data;
    sessions.save(&switched).await.unwrap();
    let handed = with_loaded_users(async {
        sessions.load(&switched.id).await.unwrap();
        take_loaded_user(&grace)
    })
    .await;
    assert_eq!(handed.map(|u| u.email), Some("grace@example.com".to_owned()));

    // Outside a request's slot, loading still works; nothing is kept.
    assert!(sessions.load(&signed_in.id).await.unwrap().is_some());
    assert!(take_loaded_user(&grace).is_none());
    // Expired sessions do not load.
    let mut expired = session_of(Some(&ada));
    expired.expiry_date = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
    sessions.save(&expired).await.unwrap();
    assert!(sessions.load(&expired.id).await.unwrap().is_none());
}

/// An email held by a worker that died (an instance killed mid-send) is sent by another
/// worker once its lease ends: 20 seconds, not a minute (issue 28). The clock is moved by
/// hand; the other instance's real mail worker does the sending.
#[tokio::test]
async fn an_email_held_by_a_worker_that_died_is_sent_within_twenty_seconds() {
    use onboarding::jobs::mail::{LEASE_MS, work};
    let (a, b, clock, _dir) = two_instances().await;
    let address = "held@example.com";
    let new = NewUser {
        email: address,
        first_name: "H",
        last_name: "D",
        password_hash: "h",
    };
    a.record_signup(
        new,
        onboarding::i18n::Lang::En,
        "hash-held",
        START + 1_000_000,
        &|_: SignupTarget<'_>| email(address),
    )
    .await
    .unwrap();
    // Instance a claims it, then dies before sending.
    assert_eq!(a.claim_due_emails(LEASE_MS, 10).await.unwrap().len(), 1);
    const { assert!(LEASE_MS <= 20_000, "a lease of at most 20 s") };
    let worker = tokio::spawn(work(
        b.clone(),
        onboarding::email::Mailer::DevMailbox,
        clock.clone(),
        Duration::from_millis(20),
    ));
    let sent = || async { b.sent_emails(10).await.unwrap().len() };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sent().await, 0, "held by the dead worker");
    clock.advance(LEASE_MS - 1_000);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sent().await, 0, "19 s later: still held");
    clock.advance(1_001);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while sent().await == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "not sent after the lease ended"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.abort();
}

/// The funnel's counts, kept by the database as people sign up, start, change status and are
/// reminded (out of order too, and half folded), always say what their histories say, read
/// row by row and counted in Rust (`Funnel::of`), for all time and for a range of days; an
/// erased person's counts stay.
#[tokio::test]
async fn the_funnels_counts_follow_the_histories_they_are_kept_from() {
    use onboarding::funnel::Funnel;
    const DAY: Millis = 86_400_000;
    const HOUR: usize = 3_600_000;
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let clock = Clock::manual(START);
    let store = Store::connect(&url, clock.clone(), "http://app.test")
        .await
        .unwrap();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut random = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let email_row = |kind: &str, user: Option<&UserId>, at: Millis| {
        let user = user.map_or("NULL".to_owned(), |u| format!("'{}'", u.0));
        format!(
            "INSERT INTO emails (user_id, kind, to_address, subject, body, created_at, run_at) \
             VALUES ({user}, '{kind}', 'someone@example.com', 's', 'b', {at}, {at})"
        )
    };
    let check = |store: Store, now: Millis, when: &'static str| async move {
        for (from_day, to_day) in [
            (0, i64::MAX / DAY),
            (START / DAY + 1, START / DAY + 3),
            (now / DAY, now / DAY + 1),
        ] {
            let counts = store.funnel_counts(from_day, to_day).await.unwrap();
            let history = store.funnel(from_day * DAY, to_day * DAY).await.unwrap();
            assert_eq!(
                Funnel::from_counts(&counts),
                Funnel::of(&history),
                "{when}, days {from_day}..{to_day}"
            );
        }
    };
    let mut people = Vec::new();
    for p in 0..40 {
        clock.advance(random(6 * HOUR) as i64);
        let now = clock.now_ms();
        if random(4) == 0 {
            // A signup form nobody confirms.
            store
                .execute_for_tests(&email_row("confirm_signup", None, now))
                .await
                .unwrap();
        }
        store
            .execute_for_tests(&email_row("confirm_signup", None, now))
            .await
            .unwrap();
        let id = user(&store, &format!("p{p}@example.com")).await;
        store.link_ledger_user(&id, &format!("user_{p}")).await.unwrap();
        people.push(id);
    }
    let mut statuses = ApplicationStatus::KNOWN.to_vec();
    statuses.push(ApplicationStatus::Unknown("underAudit".to_owned()));
    let mut sent = 0;
    for round in 0..60 {
        clock.advance(random(3 * HOUR) as i64);
        let now = clock.now_ms();
        let person = random(people.len());
        match random(4) {
            0 => store.mark_started(&people[person]).await.unwrap(),
            1 => {
                let reminder = email_row("reminder", Some(&people[person]), now);
                store.execute_for_tests(&reminder).await.unwrap();
            }
            _ => {
                let mut group = Vec::new();
                for _ in 0..1 + random(5) {
                    sent += 1;
                    let at = now - random(2 * 24 * HOUR) as i64;
                    let status = statuses[random(statuses.len())].clone();
                    group.push(event(
                        &format!("evt_{sent}"),
                        &format!("user_{}", random(people.len())),
                        at,
                        status,
                    ));
                }
                group.sort_by(|a, b| a.apply_order().cmp(&b.apply_order()));
                store.ingest_events(group).await.unwrap();
            }
        }
        if round % 7 == 3 {
            store.fold_funnel().await.unwrap();
        }
        if round % 15 == 14 {
            check(store.clone(), clock.now_ms(), "during the changes").await;
        }
    }
    let all = |store: Store| async move {
        let counts = store.funnel_counts(0, i64::MAX / DAY).await.unwrap();
        Funnel::from_counts(&counts)
    };
    let before = all(store.clone()).await;
    assert!(
        before.stages[3].count > 5 && before.outcomes.iter().all(|o| o.count > 0) && before.reminded > 0,
        "the random history reached every stage: {before:?}"
    );
    // Erased: their row goes, their counts stay.
    store
        .execute_for_tests(&format!("DELETE FROM users WHERE id = '{}'", people[0].0))
        .await
        .unwrap();
    store.fold_funnel().await.unwrap();
    assert_eq!(all(store.clone()).await, before);
    assert_eq!(
        store
            .scalar_for_tests("SELECT COUNT(*) FROM funnel_people")
            .await
            .unwrap(),
        39
    );
}

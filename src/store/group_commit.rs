//! Group commit for webhooks: deliveries that arrive together share one transaction and one
//! disk flush.
//!
//! A durable commit costs one flush of the disk, and on SQLite only one write transaction runs
//! at a time, so committing each webhook on its own caps ingest at the disk's flush rate. Here
//! every delivery hands its event to one committer task and waits for the answer. The task
//! takes whatever is queued (up to [`MAX_GROUP`]), stores and applies it in one transaction
//! ([`Backend::ingest_events`](super::Backend::ingest_events)), and answers each delivery only
//! after that commit: an acknowledged event is still a durable one. While a group commits,
//! the next one gathers, so the busier the endpoint, the larger the groups. A lone delivery
//! commits at once: nothing waits for company.
//!
//! Within a group, events are applied per LedgerOS user in `createdAt` order, and all locks
//! are taken in one fixed order ([`InboxEvent::apply_order`]). If a group fails (one bad
//! event, a deadlock between instances on PostgreSQL), nothing of it was stored and each event
//! is retried in a transaction of its own, so one event's error is only that event's.

use std::sync::Arc;

use tokio::sync::{Semaphore, mpsc, oneshot};

use super::{EventOutcome, InboxEvent, Store, StoreError};

/// The most events one transaction takes. Large enough to pass the disk's flush rate many
/// times over, small enough that a group's commit stays a few milliseconds.
pub const MAX_GROUP: usize = 256;

struct Delivery {
    event: InboxEvent,
    reply: oneshot::Sender<Result<EventOutcome, StoreError>>,
}

/// The handle deliveries use; cheap to clone. The committer stops when every handle is gone.
#[derive(Clone)]
pub struct GroupCommit {
    mode: Mode,
}

#[derive(Clone)]
enum Mode {
    /// Deliveries queue for the committer task.
    Grouped(mpsc::Sender<Delivery>),
    /// Each delivery commits its own transaction, concurrently with the others.
    Direct(Store),
}

impl GroupCommit {
    /// Starts a committer that groups deliveries. `parallel` groups may commit at once.
    pub fn start(store: Store, parallel: usize) -> Self {
        let (queue, deliveries) = mpsc::channel(MAX_GROUP * 4);
        tokio::spawn(run(store, deliveries, parallel.max(1)));
        Self {
            mode: Mode::Grouped(queue),
        }
    }

    /// No grouping: one transaction per delivery.
    pub fn direct(store: Store) -> Self {
        Self {
            mode: Mode::Direct(store),
        }
    }

    /// The right committer for this store's backend. SQLite takes one writer at a time, so
    /// deliveries are grouped (one group commits at a time). PostgreSQL commits concurrent
    /// transactions in parallel and already shares WAL flushes between them (its own group
    /// commit): there, grouping measured slower (1605 against 1922 events/s at 32 senders, p99
    /// 73 ms against 34 ms, `cargo make bench-postgres` the same hour), so each delivery commits
    /// on its own.
    pub fn for_store(store: Store) -> Self {
        if store.kind() == "postgres" {
            Self::direct(store)
        } else {
            Self::start(store, 1)
        }
    }

    /// Stores and applies `event`; returns once it is committed (or could not be).
    pub async fn ingest(&self, event: InboxEvent) -> Result<EventOutcome, StoreError> {
        let queue = match &self.mode {
            Mode::Direct(store) => return store.ingest_event(event).await,
            Mode::Grouped(queue) => queue,
        };
        let (reply, answer) = oneshot::channel();
        if queue.send(Delivery { event, reply }).await.is_err() {
            return Err(StoreError::Unavailable("the webhook committer has stopped"));
        }
        answer
            .await
            .unwrap_or(Err(StoreError::Unavailable("the webhook committer has stopped")))
    }
}

async fn run(store: Store, mut deliveries: mpsc::Receiver<Delivery>, parallel: usize) {
    let slots = Arc::new(Semaphore::new(parallel));
    loop {
        // Wait for a free slot first, so that deliveries gather while the groups in flight commit.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let Some(first) = deliveries.recv().await else {
            return;
        };
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match deliveries.try_recv() {
                Ok(delivery) => group.push(delivery),
                Err(_) => break,
            }
        }
        let store = store.clone();
        tokio::spawn(async move {
            commit(&store, group).await;
            drop(slot);
        });
    }
}

async fn commit(store: &Store, mut group: Vec<Delivery>) {
    if let [_] = group.as_slice() {
        let Delivery { event, reply } = group.pop().expect("one delivery");
        let _ = reply.send(store.ingest_event(event).await);
        return;
    }
    group.sort_by(|a, b| a.event.apply_order().cmp(&b.event.apply_order()));
    let events: Vec<InboxEvent> = group.iter().map(|d| d.event.clone()).collect();
    match store.ingest_events(events).await {
        Ok(outcomes) => {
            for (delivery, outcome) in group.into_iter().zip(outcomes) {
                let _ = delivery.reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, size = group.len(), "a webhook group failed; committing its events one by one");
            for Delivery { event, reply } in group {
                let _ = reply.send(store.ingest_event(event).await);
            }
        }
    }
}

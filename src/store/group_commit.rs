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
//! Within a group, events are applied per LedgerOS user in `createdAt` order
//! ([`InboxEvent::apply_order`]); on PostgreSQL a group takes its locks in one fixed order, so
//! the committers of several instances never wait for each other in a circle. If a group fails (one bad
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
    queue: mpsc::Sender<Delivery>,
}

impl GroupCommit {
    /// Starts a committer that groups deliveries. `parallel` groups may commit at once.
    pub fn start(store: Store, parallel: usize) -> Self {
        let (queue, deliveries) = mpsc::channel(MAX_GROUP * 4);
        tokio::spawn(run(store, deliveries, parallel.max(1)));
        Self { queue }
    }

    /// The committer every backend uses: one group commits at a time per instance. On SQLite
    /// only one writer runs at a time anyway. On PostgreSQL, where each group is five
    /// statements whatever its size, one group at a time measured fastest at 32 senders
    /// (2146 and 3052 events/s, against 1838 and 1931 with two at a time, and 840 to 1088 with
    /// each delivery in its own transaction, `BENCH_DATABASE_URL=… cargo bench -p server --bench
    /// webhook_ingest`, 2026-12-02); instances still commit their groups in parallel.
    pub fn for_store(store: Store) -> Self {
        Self::start(store, 1)
    }

    /// Stores and applies `event`; returns once it is committed (or could not be).
    pub async fn ingest(&self, event: InboxEvent) -> Result<EventOutcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        if self.queue.send(Delivery { event, reply }).await.is_err() {
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

//! Open live-status streams (`GET /events/status`), counted per session and in all, with a way
//! to end every stream of a session when it logs out; and [`StatusHub`], which wakes only the
//! streams of the person whose status changed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use onboarding::store::UserId;
use tokio::sync::{broadcast, watch};

/// Live-status streams one session may hold open at once.
pub const MAX_STREAMS_PER_SESSION: usize = 4;
/// Live-status streams the whole process holds open at once.
pub const MAX_STREAMS: usize = 10_000;

/// The open live-status streams, by session id.
#[derive(Default)]
pub struct LiveStreams {
    sessions: Mutex<HashMap<String, SessionStreams>>,
}

struct SessionStreams {
    open: usize,
    /// Set to `true` when the session logs out.
    closed: watch::Sender<bool>,
}

/// Why a stream could not be opened.
#[derive(Debug, PartialEq, Eq)]
pub enum StreamRefused {
    SessionFull,
    ServerFull,
}

impl LiveStreams {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, SessionStreams>> {
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether a new stream for `session` would be refused now, without counting one (the
    /// stream is counted where it is served: [`crate::takeover`]).
    pub fn check(&self, session: &str) -> Result<(), StreamRefused> {
        let sessions = self.lock();
        let total: usize = sessions.values().map(|s| s.open).sum();
        if total >= MAX_STREAMS {
            return Err(StreamRefused::ServerFull);
        }
        if sessions
            .get(session)
            .is_some_and(|s| s.open >= MAX_STREAMS_PER_SESSION)
        {
            return Err(StreamRefused::SessionFull);
        }
        Ok(())
    }

    /// Counts a new stream for `session`; the ticket gives the count back when dropped and
    /// tells the stream when the session logs out.
    pub fn open(self: &Arc<Self>, session: &str) -> Result<StreamTicket, StreamRefused> {
        let mut sessions = self.lock();
        let total: usize = sessions.values().map(|s| s.open).sum();
        if total >= MAX_STREAMS {
            return Err(StreamRefused::ServerFull);
        }
        let entry = sessions
            .entry(session.to_owned())
            .or_insert_with(|| SessionStreams {
                open: 0,
                closed: watch::channel(false).0,
            });
        if entry.open >= MAX_STREAMS_PER_SESSION {
            return Err(StreamRefused::SessionFull);
        }
        entry.open += 1;
        Ok(StreamTicket {
            streams: self.clone(),
            session: session.to_owned(),
            closed: entry.closed.subscribe(),
        })
    }

    /// Ends every stream of `session` (at logout).
    pub fn close(&self, session: &str) {
        let mut sessions = self.lock();
        if let Some(entry) = sessions.remove(session) {
            let _ = entry.closed.send(true);
            shrink_when_mostly_empty(&mut sessions);
        }
    }

    /// Streams open for `session` now.
    pub fn open_for(&self, session: &str) -> usize {
        self.lock().get(session).map_or(0, |s| s.open)
    }
}

/// Gives back a table's room once three quarters of it is empty: after thousands of pages
/// close, the tables of streams and watchers would otherwise keep their largest size (about
/// 80 bytes a page each).
fn shrink_when_mostly_empty<K: std::hash::Hash + Eq, V>(table: &mut HashMap<K, V>) {
    if table.capacity() > 64 && table.len() < table.capacity() / 4 {
        table.shrink_to(table.len() * 2);
    }
}

/// One open stream's place in [`LiveStreams`].
pub struct StreamTicket {
    streams: Arc<LiveStreams>,
    session: String,
    pub(crate) closed: watch::Receiver<bool>,
}

impl Drop for StreamTicket {
    fn drop(&mut self) {
        let mut sessions = self.streams.lock();
        if let Some(entry) = sessions.get_mut(&self.session) {
            entry.open = entry.open.saturating_sub(1);
            if entry.open == 0 {
                sessions.remove(&self.session);
                shrink_when_mostly_empty(&mut sessions);
            }
        }
    }
}

/// Who is woken by a status change: the open streams of that person only. The store announces
/// every change (this instance's, and other instances' through PostgreSQL's notification, which
/// names the person) on one channel; one task per process reads it and signals that person's
/// watch, which their streams wait on. A stream costs no work for anyone else's change, and
/// changes that come faster than a page reads them coalesce into one.
#[derive(Default)]
pub struct StatusHub {
    users: Mutex<HashMap<UserId, Listeners>>,
}

struct Listeners {
    /// Bumped at each change of the person.
    changes: watch::Sender<u64>,
    /// Open streams of the person.
    streams: usize,
}

impl StatusHub {
    fn lock(&self) -> MutexGuard<'_, HashMap<UserId, Listeners>> {
        self.users.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A stream's watch on `user`'s changes from now on.
    pub fn watch(self: &Arc<Self>, user: &UserId) -> StatusWatch {
        let mut users = self.lock();
        let listeners = users.entry(user.clone()).or_insert_with(|| Listeners {
            changes: watch::channel(0).0,
            streams: 0,
        });
        listeners.streams += 1;
        StatusWatch {
            hub: self.clone(),
            user: user.clone(),
            changes: listeners.changes.subscribe(),
        }
    }

    /// Wakes `user`'s streams, if they have any open.
    pub fn changed(&self, user: &UserId) {
        if let Some(listeners) = self.lock().get(user) {
            listeners.changes.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Wakes every stream (this process missed some announcements: each page reads its own).
    pub fn all_changed(&self) {
        for listeners in self.lock().values() {
            listeners.changes.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// People with a stream open here.
    pub fn watched(&self) -> usize {
        self.lock().len()
    }

    /// Passes the store's announcements on, person by person, until the store closes.
    pub async fn run(self: Arc<Self>, mut announcements: broadcast::Receiver<UserId>) {
        loop {
            match announcements.recv().await {
                Ok(user) => self.changed(&user),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(
                        missed,
                        "live status: fell behind the announcements; waking every page"
                    );
                    self.all_changed();
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}

/// One stream's watch on its person's changes (see [`StatusHub::watch`]).
pub struct StatusWatch {
    hub: Arc<StatusHub>,
    user: UserId,
    pub(crate) changes: watch::Receiver<u64>,
}

impl Drop for StatusWatch {
    fn drop(&mut self) {
        let mut users = self.hub.lock();
        if let Some(listeners) = users.get_mut(&self.user) {
            listeners.streams = listeners.streams.saturating_sub(1);
            if listeners.streams == 0 {
                users.remove(&self.user);
                shrink_when_mostly_empty(&mut users);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_wakes_only_the_streams_of_its_person() {
        let hub = Arc::new(StatusHub::default());
        let (ada, bob) = (UserId("ada".into()), UserId("bob".into()));
        let ada_tab1 = hub.watch(&ada);
        let ada_tab2 = hub.watch(&ada);
        let bob_tab = hub.watch(&bob);
        assert_eq!(hub.watched(), 2);
        hub.changed(&ada);
        assert!(ada_tab1.changes.has_changed().unwrap());
        assert!(ada_tab2.changes.has_changed().unwrap());
        assert!(!bob_tab.changes.has_changed().unwrap(), "Bob's page is not woken");
        hub.changed(&UserId("nobody".into()));
        assert_eq!(hub.watched(), 2, "nobody watching: nothing kept");
        drop((ada_tab1, ada_tab2));
        assert_eq!(hub.watched(), 1);
        hub.all_changed();
        assert!(bob_tab.changes.has_changed().unwrap());
        drop(bob_tab);
        assert_eq!(hub.watched(), 0);
    }

    #[test]
    fn the_tables_give_their_room_back_when_thousands_of_pages_close() {
        let (streams, hub) = (Arc::new(LiveStreams::default()), Arc::new(StatusHub::default()));
        let pages: Vec<_> = (0..5_000)
            .map(|n| {
                let ticket = streams.open(&format!("session-{n}")).unwrap();
                (ticket, hub.watch(&UserId(format!("user-{n}"))))
            })
            .collect();
        assert!(streams.lock().capacity() >= 5_000 && hub.lock().capacity() >= 5_000);
        drop(pages);
        assert!(streams.lock().capacity() <= 64, "{}", streams.lock().capacity());
        assert!(hub.lock().capacity() <= 64, "{}", hub.lock().capacity());
    }

    #[test]
    fn a_session_gets_a_few_streams_and_gets_them_back_when_they_end() {
        let streams = Arc::new(LiveStreams::default());
        let tickets: Vec<_> = (0..MAX_STREAMS_PER_SESSION)
            .map(|_| streams.open("s1").unwrap())
            .collect();
        assert_eq!(streams.open("s1").err(), Some(StreamRefused::SessionFull));
        assert!(streams.open("s2").is_ok(), "another session is not affected");
        drop(tickets);
        assert_eq!(streams.open_for("s1"), 0);
        assert!(streams.open("s1").is_ok());
    }

    #[test]
    fn closing_a_session_tells_its_streams() {
        let streams = Arc::new(LiveStreams::default());
        let ticket = streams.open("s1").unwrap();
        assert!(!*ticket.closed.borrow());
        streams.close("s1");
        assert!(*ticket.closed.borrow());
    }
}

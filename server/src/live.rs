//! Open live-status streams (`GET /events/status`), counted per session and in all, with a way
//! to end every stream of a session when it logs out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

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
        if let Some(entry) = self.lock().remove(session) {
            let _ = entry.closed.send(true);
        }
    }

    /// Streams open for `session` now.
    pub fn open_for(&self, session: &str) -> usize {
        self.lock().get(session).map_or(0, |s| s.open)
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
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

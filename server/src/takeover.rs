//! Long-lived event streams served outside hyper's connection.
//!
//! An HTTP/1 connection in hyper keeps a read buffer (grown to 16 KB once a request has been
//! read) and an 8 KB header buffer for as long as it lives, and never shrinks them: with a
//! live-status page open for minutes, those buffers were 60% of the memory of an open page
//! (heaptrack, 2,000 pages open: about 41 KB each). A stream writes one small event now and
//! then, so it takes its connection out of hyper's hands instead:
//!
//! 1. the accept loop gives each HTTP/1.1 request a [`Takeover`] of its connection (a request
//!    extension), and wraps the socket in [`ConnIo`];
//! 2. the handler [`Takeover::claim`]s the connection with the stream's frames and answers as
//!    usual; every layer adds its headers to that answer;
//! 3. the accept loop's [`Takeover::intercept`] keeps the finished head (status and headers),
//!    tells hyper the connection closes after it, and from then on [`ConnIo`] swallows what
//!    hyper writes and reads as the end of the input: hyper ends the connection and frees its
//!    buffers;
//! 4. the accept loop gets the socket back and hands it to the [`StreamThread`], which makes the
//!    stream there and writes the kept head and the frames itself, with a buffer the size of
//!    one frame, until the stream ends, the client goes, or the server stops.
//!
//! The body is delimited by the end of the connection (`connection: close`, no length), which
//! HTTP/1.1 allows and which every browser's `EventSource` reads.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{CONNECTION, CONTENT_LENGTH, TRANSFER_ENCODING};
use axum::http::{HeaderValue, Response, response};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};

/// How long a frame may wait for a client that does not read before its stream is dropped.
const WRITE_LIMIT: Duration = Duration::from_secs(30);

/// One connection's way out of hyper: a request extension for HTTP/1.1 requests served by the
/// accept loop. Absent elsewhere (HTTP/2, tests that call the router directly): handlers then
/// stream through hyper as before.
#[derive(Clone, Default)]
pub struct Takeover(Arc<Shared>);

#[derive(Default)]
struct Shared {
    /// Set once the head is kept: from then on [`ConnIo`] stands between hyper and the socket.
    taken: AtomicBool,
    claim: Mutex<Option<Claim>>,
}

/// Makes a stream's frames. Called on the stream thread, so that everything the stream keeps
/// for as long as its page is open is allocated there, packed together, and not among the
/// short-lived allocations of the requests being served on the runtime's threads at the same
/// moment (which would leave it scattered over pages the allocator cannot give back).
pub type MakeFrames = Box<dyn FnOnce() -> BoxStream<'static, Bytes> + Send>;

struct Claim {
    make: MakeFrames,
    keep_alive: Duration,
    head: Option<response::Parts>,
}

/// What the accept loop hands to the [`StreamThread`] once hyper has let the connection go.
pub struct Handover {
    make: MakeFrames,
    keep_alive: Duration,
    head: response::Parts,
}

impl Takeover {
    /// Claims the connection for the frames `make` makes (each a complete server-sent event),
    /// written after the head of the response this request gets. A comment is sent after each
    /// `keep_alive` of silence, so that proxies and the browser know the stream is alive.
    pub fn claim(&self, make: MakeFrames, keep_alive: Duration) {
        *self.0.claim.lock().expect("takeover lock") = Some(Claim {
            make,
            keep_alive,
            head: None,
        });
    }

    /// Called by the accept loop with each finished response. A claimed connection's response
    /// is kept for [`Takeover::handover`]; hyper gets an empty one that closes the connection,
    /// and writes it into nothing.
    pub fn intercept(&self, response: Response<Body>) -> Response<Body> {
        let mut slot = self.0.claim.lock().expect("takeover lock");
        let Some(claim) = slot.as_mut().filter(|c| c.head.is_none()) else {
            return response;
        };
        if response.status() != axum::http::StatusCode::OK {
            // A layer answered otherwise (a timeout, say): that answer stands, the stream goes.
            *slot = None;
            return response;
        }
        let (head, _empty) = response.into_parts();
        claim.head = Some(head);
        self.0.taken.store(true, Ordering::Release);
        let mut closing = Response::new(Body::empty());
        closing
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
        closing
    }

    /// The claimed stream and its head, once the connection has been taken.
    pub fn handover(&self) -> Option<Handover> {
        if !self.0.taken.load(Ordering::Acquire) {
            return None;
        }
        let claim = self.0.claim.lock().expect("takeover lock").take()?;
        Some(Handover {
            make: claim.make,
            keep_alive: claim.keep_alive,
            head: claim.head?,
        })
    }

    /// The socket as hyper sees it: itself until the connection is taken, then a sink.
    pub fn io(&self, stream: Arc<TcpStream>) -> ConnIo {
        ConnIo {
            stream,
            shared: self.0.clone(),
        }
    }
}

/// A socket shared with hyper. Once the connection is taken, reads end (hyper stops
/// listening) and writes and the shutdown are accepted without touching the socket (hyper's
/// own answer goes nowhere; the socket stays open for the stream).
pub struct ConnIo {
    stream: Arc<TcpStream>,
    shared: Arc<Shared>,
}

impl ConnIo {
    fn taken(&self) -> bool {
        self.shared.taken.load(Ordering::Acquire)
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        loop {
            if self.taken() {
                return Poll::Ready(Ok(()));
            }
            std::task::ready!(self.stream.poll_read_ready(cx))?;
            match self.stream.try_read(buf.initialize_unfilled()) {
                Ok(read) => {
                    buf.advance(read);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        loop {
            if self.taken() {
                return Poll::Ready(Ok(data.len()));
            }
            std::task::ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write(data) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                written => return Poll::Ready(written),
            }
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        loop {
            if self.taken() {
                return Poll::Ready(Ok(data.iter().map(|d| d.len()).sum()));
            }
            std::task::ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write_vectored(data) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                written => return Poll::Ready(written),
            }
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.taken() {
            return Poll::Ready(Ok(()));
        }
        Poll::Ready(socket2_shutdown(&self.stream))
    }
}

/// Shuts the write side of a shared socket (what `TcpStream::poll_shutdown` does).
fn socket2_shutdown(stream: &TcpStream) -> io::Result<()> {
    let socket = socket2::SockRef::from(stream);
    match socket.shutdown(std::net::Shutdown::Write) {
        Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(()),
        other => other,
    }
}

/// The thread that serves every taken stream, on a runtime of its own: a page's stream is made,
/// kept and written there. One thread: a stream is idle but for an event now and then.
pub struct StreamThread {
    jobs: mpsc::UnboundedSender<(std::net::TcpStream, Handover)>,
}

impl StreamThread {
    /// Starts the thread. It ends, and with it every stream, when `stop` turns true.
    pub fn start(mut stop: watch::Receiver<bool>) -> io::Result<Self> {
        let (jobs, mut handed) = mpsc::unbounded_channel::<(std::net::TcpStream, Handover)>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            // The streams of closed pages are freed here: give their memory back.
            .on_thread_park(crate::memory::collect_when_idle)
            .build()?;
        std::thread::Builder::new()
            .name("live-streams".into())
            .spawn(move || {
                runtime.block_on(async move {
                    // A wake-up a second, so that the thread parks (and gives back what closed
                    // streams freed, `collect_when_idle`) after its last stream, not never.
                    let mut upkeep = tokio::time::interval(std::time::Duration::from_secs(1));
                    upkeep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    loop {
                        tokio::select! {
                            _ = upkeep.tick() => {}
                            job = handed.recv() => match job {
                                Some((stream, handover)) => match TcpStream::from_std(stream) {
                                    Ok(stream) => {
                                        tokio::spawn(serve_stream(stream, handover));
                                    }
                                    Err(e) => tracing::debug!(error = %e, "could not take a stream's socket"),
                                },
                                None => return,
                            },
                            stopping = stop.changed() => {
                                if stopping.is_err() || *stop.borrow() {
                                    return;
                                }
                            }
                        }
                    }
                });
                // The runtime goes with the thread, and every stream with it.
            })?;
        Ok(Self { jobs })
    }

    /// Serves `handover` on `stream` (which hyper has let go) from the stream thread.
    pub fn serve(&self, stream: TcpStream, handover: Handover) {
        match stream.into_std() {
            Ok(stream) => {
                let _ = self.jobs.send((stream, handover));
            }
            Err(e) => tracing::debug!(error = %e, "could not hand a stream's socket over"),
        }
    }
}

/// Writes a taken connection's head, then its frames, until the frames end or the client
/// closes or stops reading.
async fn serve_stream(mut stream: TcpStream, handover: Handover) {
    let Handover {
        make,
        keep_alive,
        head,
    } = handover;
    let mut frames = make();
    if write(&mut stream, &encode_head(head)).await.is_err() {
        return;
    }
    let mut quiet = tokio::time::interval_at(tokio::time::Instant::now() + keep_alive, keep_alive);
    let mut scratch = [0u8; 64];
    loop {
        let frame = tokio::select! {
            frame = frames.next() => match frame {
                Some(frame) => frame,
                None => return,
            },
            _ = quiet.tick() => Bytes::from_static(b":\n\n"),
            // `poll_read_ready`, not `readable()`: it takes the socket's one read-waker slot,
            // where hyper's connection task left its waker, which kept that task's memory
            // (3.5 KB a page, heaptrack) for as long as the stream lived.
            readable = std::future::poll_fn(|cx| stream.poll_read_ready(cx)) => {
                if readable.is_err() {
                    return;
                }
                // A client says nothing more on a stream; the end of its input is its leaving.
                match stream.try_read(&mut scratch) {
                    Ok(0) => return,
                    Ok(_) => continue,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    Err(_) => return,
                }
            }
        };
        if write(&mut stream, &frame).await.is_err() {
            return;
        }
        quiet.reset();
    }
}

async fn write(stream: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
    match tokio::time::timeout(WRITE_LIMIT, stream.write_all(bytes)).await {
        Ok(written) => written,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// The status line and headers of a kept head, as HTTP/1.1, for a body that ends with the
/// connection.
fn encode_head(head: response::Parts) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    let status = head.status;
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(status.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(status.canonical_reason().unwrap_or("").as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in &head.headers {
        if name == CONNECTION || name == CONTENT_LENGTH || name == TRANSFER_ENCODING {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"connection: close\r\n\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_head_is_written_for_a_body_that_ends_with_the_connection() {
        let response = Response::builder()
            .status(200)
            .header("content-type", "text/event-stream")
            .header("content-length", "0")
            .header("x-frame-options", "DENY")
            .body(())
            .unwrap();
        let (head, ()) = response.into_parts();
        let text = String::from_utf8(encode_head(head)).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-frame-options: DENY\r\nconnection: close\r\n\r\n"
        );
    }
}

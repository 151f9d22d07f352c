//! A minimal SMTP server for tests (RFC 5321's happy path) that keeps every message it is
//! given: the HTTP suite checks what goes out over `SMTP_URL`, and the outage harness lets the
//! app's emails be delivered in live mode.

// Each test binary uses a part.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server (RFC 5321's happy path) that keeps every message it is given.
pub struct SmtpListener {
    port: u16,
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpListener {
    pub async fn start() -> Self {
        Self::start_slow(Duration::ZERO).await
    }

    /// One that takes `per_message` to accept each message, as a busy relay does.
    pub async fn start_slow(per_message: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, kept.clone(), per_message));
            }
        });
        Self { port, messages }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, decoded.
    pub fn all(&self) -> Vec<String> {
        self.messages.lock().unwrap().iter().map(|m| decode(m)).collect()
    }

    /// Waits for a message whose headers or body contain `needle`.
    pub async fn wait_for(&self, needle: &str) -> String {
        for _ in 0..200 {
            if let Some(found) = self
                .messages
                .lock()
                .unwrap()
                .iter()
                .find(|m| decode(m).contains(needle))
            {
                return decode(found);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no SMTP message with {needle:?}");
    }
}

async fn session(stream: tokio::net::TcpStream, messages: Arc<Mutex<Vec<String>>>, per_message: Duration) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 localhost test SMTP\r\n").await.unwrap();
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-localhost\r\n250 8BITMIME\r\n"
        } else if command.starts_with("DATA") {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await.unwrap();
            let mut message = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                message.push_str(&line);
                message.push('\n');
            }
            tokio::time::sleep(per_message).await;
            messages.lock().unwrap().push(message);
            b"250 queued\r\n"
        } else if command.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else if ["HELO", "MAIL", "RCPT", "RSET", "NOOP"]
            .iter()
            .any(|c| command.starts_with(c))
        {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await.unwrap();
    }
}

/// The message with its body's quoted-printable (soft line breaks, `=XX`) undone, as lettre
/// uses it for long or non-ASCII lines.
fn decode(message: &str) -> String {
    let (headers, body) = message.split_once("\n\n").unwrap_or((message, ""));
    if !headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: quoted-printable")
    {
        return message.to_owned();
    }
    format!("{headers}\n\n{}", decode_quoted_printable(body))
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

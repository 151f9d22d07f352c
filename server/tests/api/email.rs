//! Email over SMTP (`SMTP_URL`), against a real SMTP listener this test starts, and the dev
//! mailbox page that demo mode uses instead.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use onboarding::clock::Clock;
use reqwest::StatusCode;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{location, spawn_app, spawn_app_with, spawn_app_with_clock};

/// A minimal SMTP server (RFC 5321's happy path) that keeps every message it is given.
struct SmtpListener {
    port: u16,
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpListener {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, kept.clone()));
            }
        });
        Self { port, messages }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits for a message whose headers or body contain `needle`.
    async fn wait_for(&self, needle: &str) -> String {
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

async fn session(stream: tokio::net::TcpStream, messages: Arc<Mutex<Vec<String>>>) {
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

#[tokio::test]
async fn with_smtp_url_set_emails_go_out_over_smtp_and_their_links_work() {
    let smtp = SmtpListener::start().await;
    let app = spawn_app_with(|config| config.smtp_url = Some(smtp.url().into())).await;

    let response = app
        .post_form(
            "/signup",
            &[
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
                ("email", "ada@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/signup/sent");

    let message = smtp.wait_for("To: ada@example.com").await;
    assert!(
        message.contains("Subject: Confirm your email to finish signing up"),
        "{message}"
    );
    assert!(
        message.contains("From: Onboarding <no-reply@onboarding.localhost>"),
        "{message}"
    );
    let prefix = format!("{}/signup/confirm?token=", app.address);
    let start = message.find(&prefix).expect("a confirmation link") + prefix.len();
    let token: String = message[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64);

    let confirmed = app
        .post_form(
            "/signup/confirm",
            &[("token", token.as_str()), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(location(&confirmed), "/status");

    // Sent over SMTP, the body (with its sign-in link) is not kept in our database.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let kept = app.services.store.sent_emails(10).await.unwrap();
    assert!(!kept.is_empty());
    assert!(
        kept.iter().all(|e| e.body.is_empty()),
        "bodies erased after sending"
    );
    // And there is no dev mailbox.
    let (_, page) = app.get_page("/dev/mailbox").await;
    assert!(page.contains("exists only in demo mode"), "{page}");
}

#[tokio::test]
async fn reminders_over_smtp_carry_one_click_unsubscribe_headers() {
    let smtp = SmtpListener::start().await;
    let clock = Clock::manual(Clock::system().now_ms());
    let app = spawn_app_with_clock(clock.clone(), |config| config.smtp_url = Some(smtp.url().into())).await;
    app.create_account("ada@example.com").await;

    // An hour on, the first reminder is due. (The LedgerOS call worker may provision the account at LedgerOS
    // meanwhile, which starts a new status and so a new hour: give it two.)
    clock.advance(60 * 60 * 1000);
    tokio::time::sleep(Duration::from_millis(500)).await;
    clock.advance(60 * 60 * 1000);
    let message = smtp.wait_for("Subject: Finish verifying your identity").await;
    assert!(
        message.contains(&format!(
            "List-Unsubscribe: <{}/reminders/stop?token=",
            app.address
        )),
        "{message}"
    );
    assert!(message.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(message.contains("identity verification."), "{message}");
    assert!(message.contains(&format!("Continue here: {}/verification/continue", app.address)));
}

#[tokio::test]
async fn in_demo_mode_the_dev_mailbox_lists_and_shows_every_email() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;
    let email = app.wait_for_email("ada@example.com", "Confirm your email").await;

    let response = app.client.get(app.url("/dev/mailbox")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("style-src 'self'") && !csp.contains("script-src"),
        "{csp}"
    );
    let list = response.text().await.unwrap();
    assert!(list.contains("Confirm your email to finish signing up"), "{list}");
    assert!(list.contains(&format!(r#"href="/dev/mailbox/{}""#, email.id)));

    let (code, shown) = app.get_page(&format!("/dev/mailbox/{}", email.id)).await;
    assert_eq!(code, StatusCode::OK);
    assert!(shown.contains("ada@example.com"));
    // Links in the email are links on the page.
    assert!(
        shown.contains(&format!(r#"<a href="{}/signup/confirm?token="#, app.address)),
        "{shown}"
    );
}

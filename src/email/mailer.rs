//! Delivery: SMTP through lettre when `SMTP_URL` is set, otherwise the dev mailbox (the
//! queued row itself, shown on `/dev/mailbox`).

use lettre::message::Mailbox;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::QueuedEmail;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP_URL is not valid: {0}")]
    Config(String),
    #[error("the address is not valid")]
    Address,
    #[error("the message could not be built: {0}")]
    Build(String),
    /// `summary` is safe to log (a reply code, or the kind of failure); `detail` is the
    /// server's own words, which may quote the recipient's address: kept with the email in the
    /// database for operators, never logged.
    #[error("SMTP delivery failed: {summary}")]
    Smtp {
        summary: String,
        detail: String,
        permanent: bool,
    },
}

impl MailError {
    /// Whether trying again later may help (a bad address or a 5xx refusal never will).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Smtp { permanent: false, .. })
    }

    /// Everything known about the failure, for the queued row.
    pub fn detail(&self) -> String {
        match self {
            Self::Smtp { detail, .. } => detail.clone(),
            other => other.to_string(),
        }
    }

    fn from_smtp(error: &lettre::transport::smtp::Error) -> Self {
        let summary = match error.status() {
            Some(code) => format!("the server replied {code}"),
            None if error.is_timeout() => "timed out".to_owned(),
            None if error.is_tls() => "TLS failed".to_owned(),
            None => "could not talk to the server".to_owned(),
        };
        Self::Smtp {
            summary,
            detail: error.to_string(),
            permanent: error.is_permanent(),
        }
    }
}

/// Where email goes.
#[derive(Clone, Debug)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// Demo mode: nothing leaves the machine; the queue keeps the email for the dev mailbox.
    DevMailbox,
}

/// How long one SMTP command may take (lettre's own default is a minute). A send ends well
/// inside the mail worker's lease: [`crate::jobs::mail::LEASE_MS`].
pub const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

impl Mailer {
    /// SMTP at `url` (`smtp://host:port`, `smtps://user:pass@host`, or with
    /// `?tls=required`), sending as `from`.
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Config(e.to_string()))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from = from
            .parse()
            .map_err(|_| MailError::Config(format!("MAIL_FROM is not an address: {from}")))?;
        Ok(Self::Smtp { transport, from })
    }

    /// Whether the queue should keep the body after delivery (for the dev mailbox).
    pub fn keeps_bodies(&self) -> bool {
        matches!(self, Self::DevMailbox)
    }

    pub async fn deliver(&self, email: &QueuedEmail) -> Result<(), MailError> {
        match self {
            Self::DevMailbox => Ok(()),
            Self::Smtp { transport, from } => {
                let message = build(from, email)?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::from_smtp(&e))
            }
        }
    }
}

fn build(from: &Mailbox, email: &QueuedEmail) -> Result<Message, MailError> {
    let to: Mailbox = email.to.parse().map_err(|_| MailError::Address)?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&email.subject)
        .header(ContentType::TEXT_PLAIN);
    if let Some(url) = &email.unsubscribe_url {
        builder = builder
            .header(ListUnsubscribe(url.clone()))
            .header(ListUnsubscribePost);
    }
    builder
        .body(email.body.clone())
        .map_err(|e| MailError::Build(e.to_string()))
}

/// `List-Unsubscribe: <url>`: mail clients show an unsubscribe button.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim_matches(['<', '>']).to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the button works in one
/// click, with a POST the client makes itself.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(unsubscribe: Option<&str>) -> QueuedEmail {
        QueuedEmail {
            id: 1,
            to: "ada@example.com".into(),
            subject: "Finish verifying your identity".into(),
            body: "Hi Ada".into(),
            unsubscribe_url: unsubscribe.map(str::to_owned),
            attempts: 1,
        }
    }

    #[test]
    fn a_reminder_carries_one_click_unsubscribe_headers() {
        let from: Mailbox = "Onboarding <no-reply@example.com>".parse().unwrap();
        let raw = build(&from, &queued(Some("https://app.example/reminders/stop?t=abc")))
            .unwrap()
            .formatted();
        let raw = String::from_utf8(raw).unwrap();
        assert!(
            raw.contains("List-Unsubscribe: <https://app.example/reminders/stop?t=abc>"),
            "{raw}"
        );
        assert!(
            raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{raw}"
        );
        assert!(raw.contains("Subject: Finish verifying your identity"));
    }

    #[test]
    fn other_emails_have_no_unsubscribe_header_and_bad_addresses_are_refused() {
        let from: Mailbox = "no-reply@example.com".parse().unwrap();
        let raw = String::from_utf8(build(&from, &queued(None)).unwrap().formatted()).unwrap();
        assert!(!raw.contains("List-Unsubscribe"));
        let mut bad = queued(None);
        bad.to = "not an address".into();
        assert!(matches!(build(&from, &bad), Err(MailError::Address)));
    }

    #[test]
    fn what_is_logged_of_an_smtp_failure_never_quotes_the_server() {
        let error = MailError::Smtp {
            summary: "the server replied 550".into(),
            detail: "permanent error (550): <ada@example.com>: Recipient address rejected".into(),
            permanent: true,
        };
        assert!(!error.to_string().contains("ada@example.com"), "{error}");
        assert!(error.detail().contains("Recipient address rejected"));
        assert!(!error.is_retryable(), "a 5xx refusal is final");
        let busy = MailError::Smtp {
            summary: "timed out".into(),
            detail: String::new(),
            permanent: false,
        };
        assert!(busy.is_retryable());
    }

    #[tokio::test]
    async fn smtp_urls_are_checked_at_start_up() {
        assert!(Mailer::smtp("smtp://127.0.0.1:2525", "no-reply@example.com").is_ok());
        assert!(matches!(
            Mailer::smtp("ftp://x", "no-reply@example.com"),
            Err(MailError::Config(_))
        ));
        assert!(matches!(
            Mailer::smtp("smtp://127.0.0.1:2525", "nobody"),
            Err(MailError::Config(_))
        ));
    }
}

//! Delivery: SMTP through lettre when `SMTP_URL` is set, otherwise the dev mailbox (the
//! outbox row itself, shown on `/dev/mailbox`).

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
    #[error("SMTP delivery failed: {0}")]
    Smtp(String),
}

impl MailError {
    /// Whether trying again later may help (a bad address never will).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Smtp(_))
    }
}

/// Where email goes.
#[derive(Clone, Debug)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// Demo mode: nothing leaves the machine; the outbox keeps the email for the dev mailbox.
    DevMailbox,
}

impl Mailer {
    /// SMTP at `url` (`smtp://host:port`, `smtps://user:pass@host`, or with
    /// `?tls=required`), sending as `from`.
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Config(e.to_string()))?
            .build();
        let from = from
            .parse()
            .map_err(|_| MailError::Config(format!("MAIL_FROM is not an address: {from}")))?;
        Ok(Self::Smtp { transport, from })
    }

    /// Whether the outbox should keep the body after delivery (for the dev mailbox).
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
                    .map_err(|e| MailError::Smtp(e.to_string()))
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

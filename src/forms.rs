//! Form input parsed into trusted values, with per-field errors people can read.
//!
//! Pure code, shared by the server (which decides) and the browser (which may hint early).

use serde::{Deserialize, Serialize};

/// Shortest password we accept (NIST SP 800-63B asks for at least 8; we ask for 12).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest password we accept: long enough for passphrases, short enough to hash cheaply.
pub const PASSWORD_MAX_CHARS: usize = 128;
const NAME_MAX_CHARS: usize = 100;
const EMAIL_MAX_CHARS: usize = 254;

/// One problem with one field, worded for the person filling the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Everything wrong with a submitted form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An email address, trimmed and lower-cased, plausibly deliverable.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Email(<redacted>)")
    }
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err("Enter your email address.");
        }
        if email.chars().count() > EMAIL_MAX_CHARS {
            return Err("This email address is too long.");
        }
        // Only the plain form: letters, digits and RFC 5322's `atext` symbols before the `@`, a
        // dotted host name after it. Quotes, comments, routes, brackets, `<>`, `,`, `;`, `:`
        // and whitespace make an address mean two things to two programs, so they are refused.
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
                let label_ok = |label: &str| {
                    !label.is_empty()
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                };
                let local_ok = local
                    .split('.')
                    .all(|atom| !atom.is_empty() && atom.chars().all(atext));
                let labels: Vec<&str> = domain.split('.').collect();
                local_ok && labels.len() >= 2 && labels.iter().all(|l| label_ok(l))
            }
            None => false,
        };
        if valid {
            Ok(Self(email))
        } else {
            Err("Enter an email address like name@example.com.")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as they typed it, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    fn parse(input: &str, empty: &'static str) -> Result<Self, &'static str> {
        let name = input.trim();
        if name.is_empty() {
            return Err(empty);
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err("This name is too long (100 characters at most).");
        }
        if name.chars().any(char::is_control) {
            return Err("This name contains characters we cannot use.");
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Leaked passwords long enough to pass the length check (see the file's header for its source).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Whether `password` is on the bundled list of common passwords (case does not matter).
pub fn is_common_password(password: &str) -> bool {
    let lowered = password.to_lowercase();
    COMMON_PASSWORDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|common| common == lowered)
}

/// Checks a new password: its length, and that it is not a well-known one. No composition
/// rules (NIST SP 800-63B): long and uncommon is what makes a password hard to guess.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err(format!(
            "Use at least {PASSWORD_MIN_CHARS} characters. A few words together work well."
        ))
    } else if chars > PASSWORD_MAX_CHARS {
        Err(format!("Use at most {PASSWORD_MAX_CHARS} characters."))
    } else if is_common_password(password) {
        Err("This password is on lists that attackers try first. Please choose another one.".to_owned())
    } else {
        Ok(())
    }
}

/// The signup form as submitted.
#[derive(Clone, Default, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// A signup form that passed every check.
pub struct ValidSignup {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub password: String,
}

impl SignupForm {
    pub fn validate(self) -> Result<ValidSignup, FieldErrors> {
        let mut errors = FieldErrors::default();
        let first_name = PersonName::parse(&self.first_name, "Enter your first name.")
            .map_err(|m| errors.add("first_name", m));
        let last_name = PersonName::parse(&self.last_name, "Enter your last name.")
            .map_err(|m| errors.add("last_name", m));
        let email = Email::parse(&self.email).map_err(|m| errors.add("email", m));
        let password = check_new_password(&self.password).map_err(|m| errors.add("password", m));
        match (first_name, last_name, email, password) {
            (Ok(first_name), Ok(last_name), Ok(email), Ok(())) => Ok(ValidSignup {
                first_name,
                last_name,
                email,
                password: self.password,
            }),
            _ => Err(errors),
        }
    }

    /// The values worth showing again after an error: never the password.
    pub fn redisplay(&self) -> Vec<(String, String)> {
        vec![
            ("first_name".into(), self.first_name.clone()),
            ("last_name".into(), self.last_name.clone()),
            ("email".into(), self.email.clone()),
        ]
    }
}

/// The login form as submitted.
#[derive(Clone, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    /// Where to go after logging in (a local path).
    #[serde(default)]
    pub next: Option<String>,
}

/// Keeps a post-login destination on this site: a path, never another origin.
///
/// The value is resolved the way a browser resolves a `Location` (the WHATWG URL parser drops
/// tabs and newlines, reads `\\` as `/`, and so on) against a stand-in origin, and kept only
/// if it stays on that origin. What comes back is the parser's own serialisation (path, query,
/// fragment), which cannot start with `//`, so a browser reads it exactly as we did.
///
/// Anything that would name a host (`//host`, `/\host`, with tabs or newlines anywhere, as the
/// parser drops them) is refused before parsing: a host is decoded as IDNA, whose punycode costs
/// time growing with the square of a label's length, so a few kilobytes of `//xn--…` took
/// about a second of CPU (found by the `forms` fuzz target).
#[cfg(feature = "server")]
pub fn safe_next(next: Option<&str>) -> Option<String> {
    const HERE: &str = "https://onboarding.invalid";
    /// Our own paths are short; a longer `next` is not one of ours.
    const MAX_LEN: usize = 2048;
    let next = next?;
    if next.len() > MAX_LEN {
        return None;
    }
    let mut path = next
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    // Only a path, as our own pages make them (the parser would also take `https:/evil`), and
    // not one starting `//` or `/\`, which name a host.
    if path.next() != Some('/') || matches!(path.next(), Some('/' | '\\')) {
        return None;
    }
    let base = url::Url::parse(HERE).expect("a valid base");
    let resolved = base.join(next).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    let local = &resolved[url::Position::BeforePath..];
    // `/.//evil` resolves to the path `//evil`, which a browser would read as a host. The
    // length is checked again: percent-encoding can make the path three times longer.
    (local.starts_with('/') && !local.starts_with("//") && local.len() <= MAX_LEN).then(|| local.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signup(first: &str, last: &str, email: &str, password: &str) -> SignupForm {
        SignupForm {
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            password: password.into(),
        }
    }

    #[test]
    fn a_complete_signup_is_valid_and_the_email_normalised() {
        let valid = signup(" Ada ", "Lovelace", " Ada@Example.COM ", "correct horse battery").validate();
        let valid = valid.ok().unwrap();
        assert_eq!(valid.first_name.as_str(), "Ada");
        assert_eq!(valid.email.as_str(), "ada@example.com");
    }

    #[test]
    fn every_problem_is_reported_against_its_field() {
        let errors = signup("", " ", "not-an-email", "short").validate().err().unwrap();
        assert_eq!(errors.get("first_name"), Some("Enter your first name."));
        assert_eq!(errors.get("last_name"), Some("Enter your last name."));
        assert!(errors.get("email").unwrap().contains("name@example.com"));
        assert!(errors.get("password").unwrap().contains("12"));
    }

    #[test]
    fn passwords_are_measured_in_characters_not_bytes() {
        assert!(check_new_password("ééééééééééé").is_err());
        assert!(check_new_password("éééééééééééé").is_ok());
        assert!(check_new_password(&"x".repeat(PASSWORD_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert!(check_new_password("qwerty123456").is_err());
        assert!(check_new_password("LeaveMeAlone").is_err());
        assert!(check_new_password("correct horse battery").is_ok());
        assert!(
            !is_common_password("# The most common leaked passwords"),
            "the header is not an entry"
        );
    }

    #[test]
    fn implausible_emails_are_refused() {
        for bad in [
            "",
            "a@b",
            "@x.com",
            "a@.com",
            "a@x.com.",
            "a b@x.com",
            "a@b@x.com",
            "\"a@b\"@x.com",
            "<a@x.com>",
            "a@x.com,b@y.com",
            "a;b@x.com",
            "a:b@x.com",
            "a(comment)@x.com",
            "a@[127.0.0.1]",
            "a@x..com",
            ".a@x.com",
            "a..b@x.com",
            "a@-x.com",
            "a@x_y.com",
            "a\u{0}@x.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ordinary_addresses_are_accepted() {
        for good in [
            "ada@example.com",
            "ada.lovelace+kyc@mail.example.co.uk",
            "o'brien@x-y.ie",
            "jürgen@exämple.de",
        ] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/status")), Some("/status".into()));
        assert_eq!(safe_next(Some("/status?x=1#top")), Some("/status?x=1#top".into()));
        assert_eq!(safe_next(None), None);
        for evil in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/%09/evil.example",
            "/.//evil.example",
            "///evil.example",
            "https:/evil.example",
            "javascript:alert(1)",
        ] {
            let kept = safe_next(Some(evil));
            if let Some(path) = &kept {
                assert!(
                    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'),
                    "{evil:?} -> {path:?}"
                );
                let joined = url::Url::parse("http://app.example/")
                    .unwrap()
                    .join(path)
                    .unwrap();
                assert_eq!(joined.host_str(), Some("app.example"), "{evil:?} -> {path:?}");
            }
        }
        // The example from the review: percent-encoded tab, kept as a harmless local path.
        assert_eq!(
            safe_next(Some("/%09/evil.example")),
            Some("/%09/evil.example".into())
        );
        assert_eq!(safe_next(Some("/\t/evil.example")), None);
    }

    #[test]
    fn a_next_naming_a_host_is_refused_before_it_is_parsed() {
        // Found by fuzzing: a long punycode host made the IDNA decoder work for milliseconds
        // per kilobyte, squared. Refused on sight now, whatever its length.
        let label = format!("xn--{}", "w".repeat(1800));
        for next in [
            format!("//{label}.example/status"),
            format!("/\\{label}.example"),
            format!("/\t/{label}.example"),
            format!(" \n//{label}"),
        ] {
            assert_eq!(safe_next(Some(&next)), None, "{next:.20}");
        }
        assert_eq!(
            safe_next(Some(&format!("/{}", "a".repeat(4096)))),
            None,
            "too long"
        );
        assert_eq!(
            safe_next(Some("/status?next=//x")),
            Some("/status?next=//x".into())
        );
    }

    #[test]
    fn the_password_is_never_redisplayed() {
        let form = signup("A", "B", "a@b.co", "secret password!");
        assert!(form.redisplay().iter().all(|(_, v)| v != "secret password!"));
    }
}

//! Form input parsed into trusted values, with per-field errors people can read.
//!
//! Pure code, shared by the server (which decides) and the browser (which may hint early).

use crate::i18n::{Arg, Lang, msg, t, t_with};
use serde::{Deserialize, Serialize};

/// Shortest password we accept (NIST SP 800-63B asks for at least 8; we ask for 12).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest password we accept: long enough for passphrases, short enough to hash cheaply.
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const NAME_MAX_CHARS: usize = 100;
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

/// Why an email address was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailProblem {
    Empty,
    TooLong,
    Malformed,
}

impl EmailProblem {
    /// What to tell the person, in `lang`.
    pub fn message(self, lang: Lang) -> String {
        t(
            lang,
            match self {
                Self::Empty => msg::ERROR_EMAIL_EMPTY,
                Self::TooLong => msg::ERROR_EMAIL_TOO_LONG,
                Self::Malformed => msg::ERROR_EMAIL_MALFORMED,
            },
        )
    }
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailProblem> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailProblem::Empty);
        }
        if email.chars().count() > EMAIL_MAX_CHARS {
            return Err(EmailProblem::TooLong);
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
            Err(EmailProblem::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

/// A person's name as they typed it, trimmed, and as people's names are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

/// Why a name is not one (see [`check_name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong,
    /// A character no name has (a digit, `@`, `<`, `/`, `:`, a control…), or `word.word` (a
    /// domain): what turns a greeting into a link or a phone number.
    NotAName,
}

/// The rule for first and last names, at signup and in the details sent to LedgerOS: letters of
/// any script with their marks, spaces, apostrophes (`'` and `’`), hyphens and periods; 1 to
/// [`NAME_MAX_CHARS`] characters after trimming. A period must not join two words of two or
/// more letters (`evil.example`, `www.bank`): initials (`J.R.R.`) and abbreviations (`St. John`)
/// stay allowed. Anything else (digits, `@`, `<>`, `/`, `:`, symbols, controls) is refused, so no
/// name can carry a URL, an address or a phone number into an email.
pub fn check_name(input: &str) -> Result<&str, NameProblem> {
    use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
    let name = input.trim();
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(NameProblem::TooLong);
    }
    let allowed = |c: char| {
        matches!(c, ' ' | '\'' | '\u{2019}' | '-' | '.')
            || matches!(
                c.general_category_group(),
                GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
            )
    };
    if !name.chars().all(allowed) {
        return Err(NameProblem::NotAName);
    }
    // `word.word`: the letters just before a period and just after it, both two or more long.
    let letters = |s: &str, from_end: bool| -> usize {
        let is_letter = |c: &char| !matches!(c, ' ' | '\'' | '\u{2019}' | '-' | '.');
        if from_end {
            s.chars().rev().take_while(is_letter).count()
        } else {
            s.chars().take_while(is_letter).count()
        }
    };
    let parts: Vec<&str> = name.split('.').collect();
    if parts
        .windows(2)
        .any(|pair| letters(pair[0], true) >= 2 && letters(pair[1], false) >= 2)
    {
        return Err(NameProblem::NotAName);
    }
    Ok(name)
}

impl PersonName {
    /// `field` names the field in the messages.
    fn parse(input: &str, field: NameField, lang: Lang) -> Result<Self, String> {
        check_name(input)
            .map(|name| Self(name.to_owned()))
            .map_err(|problem| name_message(lang, field, problem))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which name a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameField {
    First,
    Last,
    /// As on the ID, for LedgerOS.
    LegalFirst,
    LegalLast,
}

/// What to say when a name breaks the rule, naming the field, in `lang`.
pub fn name_message(lang: Lang, field: NameField, problem: NameProblem) -> String {
    let field = Arg::from(match field {
        NameField::First => "first",
        NameField::Last => "last",
        NameField::LegalFirst => "legal-first",
        NameField::LegalLast => "legal-last",
    });
    match problem {
        NameProblem::Empty => t_with(lang, msg::ERROR_NAME_EMPTY, &[("field", field)]),
        NameProblem::TooLong => t_with(lang, msg::ERROR_TOO_LONG, &[("max", Arg::from(NAME_MAX_CHARS))]),
        NameProblem::NotAName => t_with(lang, msg::ERROR_NAME_NOT_A_NAME, &[("field", field)]),
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
pub fn check_new_password(password: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err(PasswordProblem::TooShort)
    } else if chars > PASSWORD_MAX_CHARS {
        Err(PasswordProblem::TooLong)
    } else if is_common_password(password) {
        Err(PasswordProblem::Common)
    } else {
        Ok(())
    }
}

/// Why a new password was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    Common,
}

impl PasswordProblem {
    /// What to tell the person, in `lang`.
    pub fn message(self, lang: Lang) -> String {
        match self {
            Self::TooShort => t_with(
                lang,
                msg::ERROR_PASSWORD_TOO_SHORT,
                &[("min", Arg::from(PASSWORD_MIN_CHARS))],
            ),
            Self::TooLong => t_with(
                lang,
                msg::ERROR_PASSWORD_TOO_LONG,
                &[("max", Arg::from(PASSWORD_MAX_CHARS))],
            ),
            Self::Common => t(lang, msg::ERROR_PASSWORD_COMMON),
        }
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
    /// The proof of work's answer ([`crate::proof_of_work`]); empty without JavaScript.
    #[serde(default)]
    pub altcha: String,
}

/// A signup form that passed every check.
pub struct ValidSignup {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub password: String,
}

impl SignupForm {
    /// Checks the form; the errors are in `lang`.
    pub fn validate(self, lang: Lang) -> Result<ValidSignup, FieldErrors> {
        let mut errors = FieldErrors::default();
        let first_name = PersonName::parse(&self.first_name, NameField::First, lang)
            .map_err(|m| errors.add("first_name", m));
        let last_name =
            PersonName::parse(&self.last_name, NameField::Last, lang).map_err(|m| errors.add("last_name", m));
        let email = Email::parse(&self.email).map_err(|p| errors.add("email", p.message(lang)));
        let password =
            check_new_password(&self.password).map_err(|p| errors.add("password", p.message(lang)));
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
#[cfg(feature = "domain")]
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
mod tests;

//! What the hosted pages read: form bodies, uploads, and the checks shared with the API.

use super::*;

// ---------------------------------------------------------------------------------------
// Validation shared with the API

pub(crate) fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// `YYYY-MM-DD`, in the past, and at least 18 years ago. The error is the message to show.
pub(crate) fn check_date_of_birth(value: &str) -> Result<(), Key> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date =
        time::Date::parse(value.trim(), &format).map_err(|_| msg::HOSTED_ERROR_DATE_OF_BIRTH_FORMAT)?;
    let today = time::OffsetDateTime::now_utc().date();
    if date.year() < 1900 || date > today {
        return Err(msg::HOSTED_ERROR_DATE_OF_BIRTH_REAL);
    }
    let before_birthday = (u8::from(today.month()), today.day()) < (u8::from(date.month()), date.day());
    let age = today.year() - date.year() - i32::from(before_birthday);
    if age < 18 {
        return Err(msg::HOSTED_ERROR_DATE_OF_BIRTH_AGE);
    }
    Ok(())
}

pub(super) fn check_phone(value: &str) -> Result<(), Key> {
    if value.is_empty() {
        return Err(msg::HOSTED_ERROR_PHONE);
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !value.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) || !(7..=15).contains(&digits) {
        return Err(msg::HOSTED_ERROR_PHONE_DIGITS);
    }
    Ok(())
}

pub(super) fn check_tax_id(value: &str) -> Result<(), Key> {
    let compact: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if compact.is_empty() {
        return Err(msg::HOSTED_ERROR_TAX_ID);
    }
    if !(6..=20).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(msg::HOSTED_ERROR_TAX_ID_INVALID);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Form bodies

/// An `application/x-www-form-urlencoded` body (repeated names allowed), or the text parts
/// of a multipart one. Values are trimmed.
#[derive(Default)]
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        let pairs = body
            .split(|b| *b == b'&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = match pair.iter().position(|b| *b == b'=') {
                    Some(at) => (&pair[..at], &pair[at + 1..]),
                    None => (pair, &[][..]),
                };
                (percent_decode(name), percent_decode(value).trim().to_owned())
            })
            .collect();
        Form(pairs)
    }

    /// The first value for `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// Removes every value for `name`, returning the first.
    pub(super) fn take(&mut self, name: &str) -> String {
        let value = self.get(name).to_owned();
        self.0.retain(|(n, _)| n != name);
        value
    }
}

pub(super) fn percent_decode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < input.len() => {
                let hex = std::str::from_utf8(&input[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A multipart form: text parts as a [`Form`], files as their size only.
pub(super) struct Upload {
    pub(super) form: Form,
    file_sizes: HashMap<String, u64>,
}

impl Upload {
    pub(super) fn has_file(&self, name: &str) -> bool {
        self.file_sizes.get(name).is_some_and(|size| *size > 0)
    }
}

pub(super) async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> Result<Upload, String> {
    let mut multipart = multipart.map_err(|rejection| format!("Expected a multipart form: {rejection}"))?;
    let mut upload = Upload {
        form: Form::default(),
        file_sizes: HashMap::new(),
    };
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() {
            let size = discard(field).await?;
            *upload.file_sizes.entry(name).or_default() += size;
        } else {
            let text = field.text().await.map_err(|e| e.body_text())?;
            upload.form.0.push((name, text.trim().to_owned()));
        }
    }
    Ok(upload)
}

/// Reads a part to the end, keeping nothing but its size.
pub(crate) async fn discard(mut field: Field<'_>) -> Result<u64, String> {
    let mut size = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
        size += chunk.len() as u64;
    }
    Ok(size)
}

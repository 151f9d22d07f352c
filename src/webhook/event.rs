//! The LedgerOS webhook envelope, parsed into a [`ParsedEvent`] the KYC state machine can apply.
//!
//! `{"id":"evt_…","type":"user.application.approved","createdAt":…,
//!   "data":{"userId","reason"?,"requiredFields"?,"applicationStatus"?}}`
//!
//! Parsing is tolerant (unknown fields are ignored, unknown types are kept) because LedgerOS
//! retries anything we refuse: only an event we could never apply is an error.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::status::ApplicationStatus;

/// Below this, an epoch number is taken as seconds: as milliseconds it would be before March
/// 1973, as seconds it reaches the year 5138, so no real event is ambiguous.
const SECONDS_THRESHOLD: i64 = 100_000_000_000;
/// 9999-12-31T23:59:59.999Z: anything later is a unit mistake (micro- or nanoseconds).
const MAX_CREATED_AT_MS: i64 = 253_402_300_799_999;
/// The longest event id we store.
const MAX_ID_CHARS: usize = 255;

/// The raw envelope, exactly as LedgerOS sends it; every field optional so that
/// [`ParsedEvent::from_json`] can say precisely what is missing.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventEnvelope {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    /// Milliseconds since the epoch (number or digit string) or an ISO-8601 string.
    pub created_at: Option<Value>,
    pub data: Option<EventData>,
}

/// The `data` object of the envelope.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventData {
    pub user_id: Option<String>,
    pub reason: Option<String>,
    pub required_fields: Option<Vec<String>>,
    pub application_status: Option<ApplicationStatus>,
}

/// A LedgerOS event id: non-empty, at most 255 characters. Duplicates are detected by it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(String);

impl EventId {
    /// Checks an id from the envelope (or the `X-Ledger-Event-Id` header).
    pub fn parse(id: impl Into<String>) -> Result<Self, EventError> {
        let id = id.into();
        if id.trim().is_empty() {
            return Err(EventError::MissingId);
        }
        let chars = id.chars().count();
        if chars > MAX_ID_CHARS {
            return Err(EventError::IdTooLong { chars });
        }
        Ok(Self(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AsRef<str> for EventId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an event is about, from its `type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    Approved,
    Denied,
    NeedsInfo,
    /// Any other type: stored and acknowledged, never an error.
    Other(String),
}

impl EventKind {
    /// Maps a `type` string; never fails, unknown types become [`EventKind::Other`].
    pub fn parse(type_name: &str) -> Self {
        match type_name {
            "user.application.approved" => Self::Approved,
            "user.application.denied" => Self::Denied,
            "user.application.needs_info" => Self::NeedsInfo,
            other => Self::Other(other.to_owned()),
        }
    }

    fn is_known(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

/// A validated webhook event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedEvent {
    pub id: EventId,
    pub kind: EventKind,
    /// The `type` string verbatim, for storage and logs.
    pub type_name: String,
    /// When LedgerOS created the event, in milliseconds since the epoch; orders events per user.
    pub created_at_ms: i64,
    pub ledger_user_id: Option<String>,
    pub reason: Option<String>,
    pub required_fields: Vec<String>,
    /// `data.applicationStatus`, when LedgerOS sent one.
    pub status_hint: Option<ApplicationStatus>,
}

impl ParsedEvent {
    /// Parses and validates a raw webhook body.
    pub fn from_json(raw: &[u8]) -> Result<Self, EventError> {
        let envelope: EventEnvelope = serde_json::from_slice(raw).map_err(EventError::Malformed)?;
        Self::try_from(envelope)
    }

    /// The status this event moves the user to, if it names one.
    pub fn target_status(&self) -> Option<ApplicationStatus> {
        match self.kind {
            EventKind::Approved => Some(ApplicationStatus::Approved),
            EventKind::Denied => Some(ApplicationStatus::Denied),
            EventKind::NeedsInfo => Some(ApplicationStatus::NeedsInformation),
            EventKind::Other(_) => self.status_hint.clone(),
        }
    }
}

impl TryFrom<EventEnvelope> for ParsedEvent {
    type Error = EventError;

    fn try_from(envelope: EventEnvelope) -> Result<Self, EventError> {
        let id = EventId::parse(envelope.id.ok_or(EventError::MissingId)?)?;
        let type_name = envelope
            .type_name
            .filter(|t| !t.trim().is_empty())
            .ok_or(EventError::MissingType)?;
        let kind = EventKind::parse(&type_name);
        let created_at_ms = created_at_ms(envelope.created_at.as_ref().ok_or(EventError::MissingCreatedAt)?)?;
        let data = envelope.data.unwrap_or_default();
        let ledger_user_id = data.user_id.filter(|u| !u.trim().is_empty());
        // A known event without a user cannot be applied; unknown ones are only stored.
        if kind.is_known() && ledger_user_id.is_none() {
            return Err(EventError::MissingUserId);
        }
        Ok(Self {
            id,
            kind,
            type_name,
            created_at_ms,
            ledger_user_id,
            reason: data.reason,
            required_fields: data.required_fields.unwrap_or_default(),
            status_hint: data.application_status,
        })
    }
}

/// Why a webhook body was refused.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("the event is not a valid JSON envelope")]
    Malformed(#[source] serde_json::Error),
    #[error("the event has no id")]
    MissingId,
    #[error("the event id is {chars} characters long, more than {MAX_ID_CHARS}")]
    IdTooLong { chars: usize },
    #[error("the event has no type")]
    MissingType,
    #[error("the event has no createdAt")]
    MissingCreatedAt,
    #[error("the event's createdAt {0}")]
    BadCreatedAt(String),
    #[error("the event has no data.userId")]
    MissingUserId,
}

/// Reads `createdAt`: a number or digit string is epoch milliseconds (or seconds, see
/// [`SECONDS_THRESHOLD`]); any other string is RFC 3339 or ISO 8601.
fn created_at_ms(value: &Value) -> Result<i64, EventError> {
    let bad = |why: &str| EventError::BadCreatedAt(why.to_owned());
    match value {
        Value::Number(n) => match n.as_i64() {
            Some(int) => epoch_to_ms(int),
            // A float, or an integer beyond i64 that the range check then refuses.
            None => float_epoch_to_ms(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            epoch_to_ms(s.parse().map_err(|_| bad("is out of range"))?)
        }
        Value::String(s) => {
            parse_iso(s.trim()).ok_or_else(|| bad("is neither epoch milliseconds nor ISO 8601"))
        }
        _ => Err(bad("must be a number or a string")),
    }
}

fn epoch_to_ms(epoch: i64) -> Result<i64, EventError> {
    let ms = if epoch < SECONDS_THRESHOLD {
        epoch.saturating_mul(1000)
    } else {
        epoch
    };
    check_range(ms)
}

fn float_epoch_to_ms(epoch: f64) -> Result<i64, EventError> {
    // Sub-millisecond digits are dropped; seconds are rounded so 1.2345e9 s is not off by one.
    let ms = if epoch < SECONDS_THRESHOLD as f64 {
        (epoch * 1000.0).round()
    } else {
        epoch.trunc()
    };
    if !(0.0..=MAX_CREATED_AT_MS as f64).contains(&ms) {
        return Err(EventError::BadCreatedAt("is out of range".to_owned()));
    }
    Ok(ms as i64)
}

fn check_range(ms: i64) -> Result<i64, EventError> {
    match ms {
        ..0 => Err(EventError::BadCreatedAt("is before 1970".to_owned())),
        0..=MAX_CREATED_AT_MS => Ok(ms),
        _ => Err(EventError::BadCreatedAt("is after the year 9999".to_owned())),
    }
}

/// RFC 3339 first (what LedgerOS documents), then the wider ISO 8601; a time without an
/// offset is taken as UTC, which is what every API that omits it means.
fn parse_iso(text: &str) -> Option<i64> {
    let at = OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Iso8601::PARSING))
        .or_else(|_| PrimitiveDateTime::parse(text, &Iso8601::PARSING).map(PrimitiveDateTime::assume_utc))
        .ok()?;
    let ms = i64::try_from(at.unix_timestamp_nanos().div_euclid(1_000_000)).ok()?;
    check_range(ms).ok()
}

#[cfg(test)]
mod tests;

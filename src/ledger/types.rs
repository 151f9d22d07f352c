//! Request and response bodies of the LedgerOS API, as they travel on the wire.
//!
//! Both directions derive serde so the sandbox can serve the very types the client reads.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

pub use crate::documents::DocumentType;
use crate::status::ApplicationStatus;

/// A LedgerOS user id (`user_…`), checked wherever it enters the program.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LedgerUserId(String);

/// A string that cannot be a [`LedgerUserId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a LedgerOS user id must not be blank, \".\" or \"..\"")]
pub struct InvalidLedgerUserId;

impl LedgerUserId {
    /// Wraps an id that was checked when it first came in, such as one read back from our own
    /// database. Untrusted input goes through [`LedgerUserId::parse`].
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        debug_assert!(Self::is_valid(&id), "an invalid LedgerOS user id was stored");
        Self(id)
    }

    /// Checks an id from an untrusted source (an API answer, a webhook).
    pub fn parse(id: impl Into<String>) -> Result<Self, InvalidLedgerUserId> {
        let id = id.into();
        if Self::is_valid(&id) {
            Ok(Self(id))
        } else {
            Err(InvalidLedgerUserId)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Dot segments are refused because URL builders drop them, which would turn
    /// `/verification/user/{id}` into another endpoint.
    fn is_valid(id: &str) -> bool {
        !id.trim().is_empty() && !matches!(id, "." | "..")
    }
}

impl TryFrom<String> for LedgerUserId {
    type Error = InvalidLedgerUserId;

    fn try_from(id: String) -> Result<Self, Self::Error> {
        Self::parse(id)
    }
}

impl From<LedgerUserId> for String {
    fn from(id: LedgerUserId) -> Self {
        id.0
    }
}

impl AsRef<str> for LedgerUserId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LedgerUserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `POST /v1/users`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUser {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// A LedgerOS user, as returned by `POST /v1/users`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerUser {
    #[serde(default)]
    pub object: String,
    pub id: LedgerUserId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub application_status: ApplicationStatus,
    /// Kept raw: LedgerOS sends either epoch milliseconds or an ISO-8601 string.
    #[serde(default)]
    pub created_at: Value,
    #[serde(default)]
    pub metadata: Option<Value>,
}

/// `POST /v1/verification/user`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitiateVerification {
    pub user_id: LedgerUserId,
}

/// A user's verification, from `POST` or `GET /v1/verification/user…`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    #[serde(default)]
    pub object: String,
    pub user_id: LedgerUserId,
    pub application_status: ApplicationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_url: Option<String>,
    /// What LedgerOS still needs when the status is `needsInformation` (usually
    /// [`DocumentType`] wire names).
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub required_fields: Vec<String>,
}

/// `GET /v1/verification/user/{userId}/link`: the URL to resume the hosted flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationLink {
    #[serde(default)]
    pub object: String,
    pub user_id: LedgerUserId,
    pub verification_url: String,
    pub application_status: ApplicationStatus,
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// `PATCH /v1/verification/user/{userId}`: only the fields that are `Some` are sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateVerification {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `YYYY-MM-DD` on the wire.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "iso_date::option")]
    pub date_of_birth: Option<time::Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// A postal address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
}

/// A document on its way to LedgerOS. It is never stored by us, nor printed: `Debug` shows
/// only its size.
#[derive(Clone, PartialEq, Eq)]
pub struct Document {
    pub document_type: DocumentType,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("document_type", &self.document_type)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    #[test]
    fn a_blank_or_dot_user_id_is_refused_also_when_deserialized() {
        for id in ["", " ", ".", ".."] {
            assert_eq!(LedgerUserId::parse(id), Err(InvalidLedgerUserId), "{id:?}");
        }
        assert!(serde_json::from_value::<LedgerUserId>(json!("")).is_err());
        let id: LedgerUserId = serde_json::from_value(json!("user_1")).unwrap();
        assert_eq!(id.as_str(), "user_1");
        assert_eq!(serde_json::to_value(&id).unwrap(), json!("user_1"));
    }

    #[test]
    fn a_user_is_read_with_either_form_of_created_at() {
        for created_at in [json!(1_700_000_000_000i64), json!("2023-11-14T22:13:20Z")] {
            let user: LedgerUser = serde_json::from_value(json!({
                "object": "user",
                "id": "user_1",
                "firstName": "Ada",
                "lastName": "Lovelace",
                "email": "[email protected]",
                "applicationStatus": "notStarted",
                "createdAt": created_at,
                "metadata": null,
                "extra": 1
            }))
            .unwrap();
            assert_eq!(user.id.as_str(), "user_1");
            assert_eq!(user.application_status, ApplicationStatus::NotStarted);
            assert_eq!(user.created_at, created_at);
        }
    }

    #[test]
    fn required_fields_may_be_absent_or_null() {
        for required in [None, Some(Value::Null)] {
            let mut body = json!({ "userId": "user_1", "applicationStatus": "pending" });
            if let Some(required) = required {
                body["requiredFields"] = required;
            }
            let verification: Verification = serde_json::from_value(body).unwrap();
            assert!(verification.required_fields.is_empty());
            assert_eq!(verification.verification_url, None);
        }
    }

    #[test]
    fn an_update_sends_only_what_is_set_in_camel_case() {
        let update = UpdateVerification {
            date_of_birth: Some(date!(1990 - 04 - 01)),
            address: Some(Address {
                line1: "1 Main St".into(),
                line2: None,
                city: "Springfield".into(),
                state: "IL".into(),
                postal_code: "62701".into(),
                country: "US".into(),
            }),
            ..UpdateVerification::default()
        };
        let wire = serde_json::to_value(&update).unwrap();
        assert_eq!(
            wire,
            json!({
                "dateOfBirth": "1990-04-01",
                "address": {
                    "line1": "1 Main St",
                    "city": "Springfield",
                    "state": "IL",
                    "postalCode": "62701",
                    "country": "US"
                }
            })
        );
        assert_eq!(
            serde_json::from_value::<UpdateVerification>(wire).unwrap(),
            update
        );
    }

    #[test]
    fn document_types_round_trip_through_their_wire_names() {
        for kind in DocumentType::ALL {
            assert_eq!(DocumentType::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.as_str()));
        }
        assert_eq!(DocumentType::parse("dateOfBirth"), None);
        assert_eq!(DocumentType::ProofOfAddress.label(), "Proof of address");
    }

    #[test]
    fn a_document_debug_shows_its_size_not_its_content() {
        let document = Document {
            document_type: DocumentType::Passport,
            file_name: "passport.jpg".into(),
            content_type: "image/jpeg".into(),
            bytes: b"SECRET-PIXELS".to_vec(),
        };
        let debug = format!("{document:?}");
        assert!(debug.contains("len: 13"), "{debug}");
        assert!(!debug.contains("SECRET") && !debug.contains("83, 69"), "{debug}");
    }
}

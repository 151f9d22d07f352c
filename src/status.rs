//! The LedgerOS application status, shared by the server and the browser.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a user stands in LedgerOS's KYC process.
///
/// The nine statuses of the LedgerOS contract, plus [`ApplicationStatus::Unknown`] for any
/// status LedgerOS may add later: it is kept verbatim, shown as "under review" and never
/// makes us crash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    NotStarted,
    Pending,
    NeedsInformation,
    NeedsVerification,
    ManualReview,
    Approved,
    Denied,
    Locked,
    Canceled,
    Unknown(String),
}

impl ApplicationStatus {
    /// Every status of the contract, in the order a user usually meets them.
    pub const KNOWN: [ApplicationStatus; 9] = [
        Self::NotStarted,
        Self::Pending,
        Self::NeedsInformation,
        Self::NeedsVerification,
        Self::ManualReview,
        Self::Approved,
        Self::Denied,
        Self::Locked,
        Self::Canceled,
    ];

    /// Parses the wire name; anything unrecognised becomes [`ApplicationStatus::Unknown`].
    pub fn parse(wire: &str) -> Self {
        match wire {
            "notStarted" => Self::NotStarted,
            "pending" => Self::Pending,
            "needsInformation" => Self::NeedsInformation,
            "needsVerification" => Self::NeedsVerification,
            "manualReview" => Self::ManualReview,
            "approved" => Self::Approved,
            "denied" => Self::Denied,
            "locked" => Self::Locked,
            "canceled" => Self::Canceled,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// The wire name, as LedgerOS spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::NotStarted => "notStarted",
            Self::Pending => "pending",
            Self::NeedsInformation => "needsInformation",
            Self::NeedsVerification => "needsVerification",
            Self::ManualReview => "manualReview",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Locked => "locked",
            Self::Canceled => "canceled",
            Self::Unknown(other) => other,
        }
    }

    /// Whether the user may deposit funds and get cards.
    pub fn is_approved(&self) -> bool {
        matches!(self, Self::Approved)
    }

    /// Whether the user still has something to do on LedgerOS's hosted page.
    pub fn awaits_user(&self) -> bool {
        matches!(
            self,
            Self::NotStarted | Self::Pending | Self::NeedsInformation | Self::NeedsVerification
        )
    }

    /// A short plain-language label for people.
    pub fn label(&self) -> &'static str {
        match self {
            Self::NotStarted => "Not started",
            Self::Pending => "In progress",
            Self::NeedsInformation => "More information needed",
            Self::NeedsVerification => "Please verify again",
            Self::ManualReview => "Under review",
            Self::Approved => "Approved",
            Self::Denied => "Not approved",
            Self::Locked => "Account locked",
            Self::Canceled => "Closed",
            Self::Unknown(_) => "Under review",
        }
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ApplicationStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ApplicationStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = String::deserialize(deserializer)?;
        Ok(Self::parse(&wire))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_status_round_trips_through_its_wire_name() {
        for status in ApplicationStatus::KNOWN {
            assert_eq!(ApplicationStatus::parse(status.as_str()), status);
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(serde_json::from_str::<ApplicationStatus>(&json).unwrap(), status);
        }
    }

    #[test]
    fn an_unrecognised_status_is_kept_not_rejected() {
        let status: ApplicationStatus = serde_json::from_str("\"underAudit\"").unwrap();
        assert_eq!(status, ApplicationStatus::Unknown("underAudit".into()));
        assert_eq!(status.as_str(), "underAudit");
        assert_eq!(status.label(), "Under review");
        assert!(!status.is_approved());
    }
}

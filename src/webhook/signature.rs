//! `X-Ledger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "{t}.{raw body}")>`.
//!
//! Several `v1=` values may appear while LedgerOS rotates its signing secret, and we may hold
//! several secrets (old and new) for the same reason: any secret matching any `v1` is accepted.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use subtle::{Choice, ConstantTimeEq};

type HmacSha256 = Hmac<Sha256>;

/// Name of the header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-ledger-signature";
/// How far the signed timestamp may be from our clock, either way.
pub const TOLERANCE_SECS: u64 = 300;
/// Longest header we look at. A real one is `t=` and one `v1=` per secret in rotation (about 80
/// bytes each); anything far longer is an attempt to make us work.
pub const MAX_HEADER_LEN: usize = 1024;
/// Most `v1=` candidates we compare: LedgerOS sends one per live secret (two during rotation).
pub const MAX_CANDIDATES: usize = 8;
/// Most signing secrets we hold at once (old and new during rotation, with room to spare).
pub const MAX_SECRETS: usize = 4;

/// The webhook signing secrets we accept, newest first. Never printed.
#[derive(Clone)]
pub struct WebhookSecrets(Vec<SecretString>);

impl std::fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebhookSecrets([{} redacted])", self.0.len())
    }
}

impl WebhookSecrets {
    /// Parses a comma-separated list, as in `LEDGER_WEBHOOK_SECRET`. Blank entries are ignored.
    pub fn from_list(list: &str) -> Self {
        Self(
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| SecretString::from(s.to_owned()))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The secret used to sign outgoing events (the sandbox's side): the first one.
    pub fn primary(&self) -> Option<&SecretString> {
        self.0.first()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Checks `header` against the raw `body` at `now_secs`.
    ///
    /// The work is bounded whatever the header holds: it is refused unparsed past
    /// [`MAX_HEADER_LEN`], only 32-byte `v1` values count (at most [`MAX_CANDIDATES`]), and the
    /// MAC of the body is computed once per secret, then compared with each candidate in
    /// constant time. A 64 KiB body and a few secrets cost well under a millisecond.
    pub fn verify(&self, header: &str, body: &[u8], now_secs: i64) -> Result<(), SignatureError> {
        let parsed = ParsedHeader::parse(header)?;
        if now_secs.abs_diff(parsed.timestamp) > TOLERANCE_SECS {
            return Err(SignatureError::OutsideTolerance);
        }
        let mut matched = Choice::from(0);
        for secret in &self.0 {
            let expected = mac_for(secret.expose_secret().as_bytes(), parsed.timestamp, body)
                .finalize()
                .into_bytes();
            for candidate in &parsed.signatures {
                matched |= expected.as_slice().ct_eq(candidate);
            }
        }
        if bool::from(matched) {
            Ok(())
        } else {
            Err(SignatureError::Mismatch)
        }
    }
}

/// Why a signature was refused. The webhook answers 401 for all of them.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("the signature header is missing")]
    Missing,
    #[error("the signature header is malformed")]
    Malformed,
    #[error(
        "the signature header is longer than {MAX_HEADER_LEN} bytes or has more than {MAX_CANDIDATES} signatures"
    )]
    TooLarge,
    #[error("the signature timestamp is outside the {TOLERANCE_SECS} s tolerance")]
    OutsideTolerance,
    #[error("no signature matches any configured secret")]
    Mismatch,
}

struct ParsedHeader {
    timestamp: i64,
    signatures: Vec<[u8; 32]>,
}

impl ParsedHeader {
    fn parse(header: &str) -> Result<Self, SignatureError> {
        if header.len() > MAX_HEADER_LEN {
            return Err(SignatureError::TooLarge);
        }
        let mut timestamp = None;
        let mut signatures = Vec::new();
        let mut candidates = 0;
        for part in header.split(',') {
            let (key, value) = part.trim().split_once('=').ok_or(SignatureError::Malformed)?;
            match key {
                "t" => {
                    if timestamp.is_some() {
                        return Err(SignatureError::Malformed);
                    }
                    timestamp = Some(value.parse::<i64>().map_err(|_| SignatureError::Malformed)?);
                }
                // Only a 32-byte MAC can match. Anything else (empty, short, not hex) is skipped
                // rather than refusing the others, and never costs a comparison.
                "v1" => {
                    candidates += 1;
                    if candidates > MAX_CANDIDATES {
                        return Err(SignatureError::TooLarge);
                    }
                    let mut mac = [0u8; 32];
                    if hex::decode_to_slice(value, &mut mac).is_ok() {
                        signatures.push(mac);
                    }
                }
                // Future schemes (v0, v2…) are ignored, as Stripe-style consumers do.
                _ => {}
            }
        }
        let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
        if signatures.is_empty() {
            return Err(SignatureError::Malformed);
        }
        Ok(Self {
            timestamp,
            signatures,
        })
    }
}

fn mac_for(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Hex HMAC-SHA256 of `"{timestamp}.{body}"` under `secret`.
/// Whether two secrets are equal, in time that depends on neither (both are hashed first, so
/// not even their lengths leak).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    bool::from(Sha256::digest(a).ct_eq(&Sha256::digest(b)))
}

pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    hex::encode(
        mac_for(secret.as_bytes(), timestamp, body)
            .finalize()
            .into_bytes(),
    )
}

/// A complete `X-Ledger-Signature` value with one `v1` per secret.
pub fn signature_header<'a>(
    secrets: impl IntoIterator<Item = &'a str>,
    timestamp: i64,
    body: &[u8],
) -> String {
    let mut header = format!("t={timestamp}");
    for secret in secrets {
        header.push_str(",v1=");
        header.push_str(&sign(secret, timestamp, body));
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;
    const BODY: &[u8] = br#"{"id":"evt_1","type":"user.application.approved"}"#;

    fn secrets(list: &str) -> WebhookSecrets {
        WebhookSecrets::from_list(list)
    }

    #[test]
    fn a_signature_made_with_the_secret_verifies() {
        let header = signature_header(["whsec_a"], NOW, BODY);
        assert_eq!(secrets("whsec_a").verify(&header, BODY, NOW), Ok(()));
    }

    #[test]
    fn the_signed_payload_is_timestamp_dot_body_with_the_secret_bytes_as_key() {
        // Computed independently: printf '1780000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_x
        let expected = {
            let mut mac = HmacSha256::new_from_slice(b"whsec_x").unwrap();
            mac.update(b"1780000000.{\"a\":1}");
            hex::encode(mac.finalize().into_bytes())
        };
        assert_eq!(sign("whsec_x", NOW, br#"{"a":1}"#), expected);
    }

    #[test]
    fn any_configured_secret_matching_any_v1_is_accepted_during_rotation() {
        let header = signature_header(["whsec_old", "whsec_new"], NOW, BODY);
        assert_eq!(secrets("whsec_new").verify(&header, BODY, NOW), Ok(()));
        assert_eq!(
            secrets("whsec_other, whsec_old").verify(&header, BODY, NOW),
            Ok(())
        );
    }

    #[test]
    fn a_changed_body_or_wrong_secret_is_a_mismatch() {
        let header = signature_header(["whsec_a"], NOW, BODY);
        assert_eq!(
            secrets("whsec_a").verify(&header, b"{}", NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            secrets("whsec_b").verify(&header, BODY, NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            secrets("").verify(&header, BODY, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn timestamps_beyond_300_seconds_either_way_are_refused() {
        let s = secrets("whsec_a");
        let old = signature_header(["whsec_a"], NOW - 301, BODY);
        let future = signature_header(["whsec_a"], NOW + 301, BODY);
        let edge = signature_header(["whsec_a"], NOW - 300, BODY);
        assert_eq!(TOLERANCE_SECS, 300);
        assert_eq!(s.verify(&old, BODY, NOW), Err(SignatureError::OutsideTolerance));
        assert_eq!(
            s.verify(&future, BODY, NOW),
            Err(SignatureError::OutsideTolerance)
        );
        assert_eq!(s.verify(&edge, BODY, NOW), Ok(()));
    }

    #[test]
    fn a_timestamp_cannot_be_swapped_without_breaking_the_signature() {
        let header = signature_header(["whsec_a"], NOW - 1000, BODY);
        let v1 = header.split_once(",v1=").unwrap().1;
        let replayed = format!("t={NOW},v1={v1}");
        assert_eq!(
            secrets("whsec_a").verify(&replayed, BODY, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn malformed_headers_are_refused() {
        let s = secrets("whsec_a");
        for header in ["", "v1=abcd", "t=abc,v1=00", "t=1", "garbage", "t=1,t=2,v1=00"] {
            assert_eq!(
                s.verify(header, BODY, NOW),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
    }

    #[test]
    fn a_flood_of_empty_or_short_candidates_costs_nothing_and_matches_nothing() {
        let s = secrets("whsec_a");
        // Before the fix, each empty `v1=` was a candidate and recomputed the MAC of the body.
        let empties = format!("t={NOW}{}", ",v1=".repeat(100));
        assert_eq!(s.verify(&empties, BODY, NOW), Err(SignatureError::TooLarge));
        let short = format!("t={NOW},v1=,v1=00,v1=zz");
        assert_eq!(s.verify(&short, BODY, NOW), Err(SignatureError::Malformed));
    }

    #[test]
    fn headers_past_the_length_or_candidate_caps_are_refused_unread() {
        let s = secrets("whsec_a");
        let good = signature_header(["whsec_a"], NOW, BODY);
        let v1 = good.split_once(",v1=").unwrap().1;
        let padded = format!("{good}{}", ",x=1".repeat(MAX_HEADER_LEN));
        assert_eq!(s.verify(&padded, BODY, NOW), Err(SignatureError::TooLarge));
        let nine = format!("t={NOW}{}", format!(",v1={v1}").repeat(MAX_CANDIDATES + 1));
        assert!(nine.len() <= MAX_HEADER_LEN);
        assert_eq!(s.verify(&nine, BODY, NOW), Err(SignatureError::TooLarge));
        let eight = format!(
            "t={NOW}{}",
            format!(",v1={}", "0".repeat(64)).repeat(MAX_CANDIDATES - 1)
        );
        assert_eq!(s.verify(&format!("{eight},v1={v1}"), BODY, NOW), Ok(()));
    }

    #[test]
    fn extreme_timestamps_are_outside_the_tolerance_not_an_overflow() {
        let s = secrets("whsec_a");
        for t in [i64::MIN, i64::MAX] {
            let header = signature_header(["whsec_a"], t, BODY);
            assert_eq!(
                s.verify(&header, BODY, NOW),
                Err(SignatureError::OutsideTolerance)
            );
        }
        let header = signature_header(["whsec_a"], NOW, BODY);
        assert_eq!(
            s.verify(&header, BODY, i64::MIN),
            Err(SignatureError::OutsideTolerance)
        );
    }

    #[test]
    fn debug_output_never_shows_a_secret() {
        assert!(!format!("{:?}", secrets("whsec_hidden")).contains("hidden"));
    }
}

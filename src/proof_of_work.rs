//! The signup form's proof of work (issue 30), in ALTCHA's protocol (`altcha-lib-rs`): the
//! page asks for a challenge, a few lines of JavaScript (`public/enhance.js`) find the number
//! whose SHA-256 with the challenge's salt is the challenge, about a second on a phone, and the
//! form carries the answer. It costs a person nothing they see and a bot a second of CPU per
//! signup. The challenge is signed (HMAC-SHA-256, with a key of the server's), expires after
//! [`LIFETIME_MS`], and works once on every instance (the store keeps used ones until then). No
//! third party, no cookie, no tracking. A form without an answer (no JavaScript) still works,
//! under a much tighter limit per client (the caller's).

use altcha_lib_rs::{ChallengeOptions, Payload, algorithm::AltchaAlgorithm};
use base64::Engine;

use crate::clock::Millis;
use crate::store::{Store, StoreError};

/// How long a challenge works: time to fill in the form.
pub const LIFETIME_MS: Millis = 20 * 60 * 1000;
/// The answer is a number from 0 to this: on average half of it is tried, each a SHA-256 in
/// the browser. WebCrypto's digests cost about 60 µs each in Chromium slowed 4× (a mid-range
/// phone): 100,000 took 3.2 s there (median of 3), so 30,000 keeps it near a second.
pub const MAX_NUMBER: u64 = 30_000;

/// The key challenges are signed with.
#[derive(Clone)]
pub struct ProofKey(String);

impl std::fmt::Debug for ProofKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProofKey(<redacted>)")
    }
}

impl ProofKey {
    /// A key of its own derived from `secret` (every instance has the same one): HMAC-SHA-256
    /// of a fixed label, so the key says nothing about `secret`.
    pub fn derived_from(secret: &[u8]) -> Self {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key");
        mac.update(b"onboarding signup proof of work");
        Self(hex::encode(mac.finalize().into_bytes()))
    }
}

/// Why an answer was refused.
#[derive(Debug, thiserror::Error)]
pub enum ProofProblem {
    #[error("the answer is not one of ours")]
    Invalid,
    #[error("the challenge expired")]
    Expired,
    #[error("the answer was used before")]
    Used,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A fresh challenge, as JSON for the page's script.
pub fn challenge(key: &ProofKey, now: Millis) -> String {
    let expires = chrono::DateTime::from_timestamp_millis(now + LIFETIME_MS).unwrap_or_default();
    let options = ChallengeOptions {
        algorithm: Some(AltchaAlgorithm::Sha256),
        max_number: Some(MAX_NUMBER),
        hmac_key: &key.0,
        expires: Some(expires),
        ..Default::default()
    };
    altcha_lib_rs::create_json_challenge(options).expect("a challenge from valid options")
}

/// Checks the form's answer (base64 of ALTCHA's JSON payload) and uses it up.
pub async fn check(store: &Store, key: &ProofKey, answer: &str, now: Millis) -> Result<(), ProofProblem> {
    let json = base64::engine::general_purpose::STANDARD
        .decode(answer.trim())
        .map_err(|_| ProofProblem::Invalid)?;
    let payload: Payload = serde_json::from_slice(&json).map_err(|_| ProofProblem::Invalid)?;
    let expires_at = expiry(&payload.salt).ok_or(ProofProblem::Invalid)?;
    // The challenge again from its salt and the number, compared in constant time.
    let again = altcha_lib_rs::create_challenge(ChallengeOptions {
        algorithm: Some(payload.algorithm),
        hmac_key: &key.0,
        salt: Some(payload.salt.clone()),
        number: Some(payload.number),
        ..Default::default()
    })
    .map_err(|_| ProofProblem::Invalid)?;
    let same = |a: &str, b: &str| crate::webhook::signature::constant_time_eq(a.as_bytes(), b.as_bytes());
    if !matches!(payload.algorithm, AltchaAlgorithm::Sha256)
        || !same(&again.challenge, &payload.challenge)
        || !same(&again.signature, &payload.signature)
    {
        return Err(ProofProblem::Invalid);
    }
    if expires_at < now {
        return Err(ProofProblem::Expired);
    }
    if !store.use_proof(&payload.signature, expires_at).await? {
        return Err(ProofProblem::Used);
    }
    Ok(())
}

/// When the challenge with `salt` expires (our challenges all say), in milliseconds.
fn expiry(salt: &str) -> Option<Millis> {
    let (_, query) = salt.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("expires="))
        .and_then(|secs| secs.parse::<i64>().ok())
        .map(|secs| secs * 1000)
}

/// Answers `challenge_json` as the page's script does (for tests and the load harness).
pub fn solve(challenge_json: &str) -> String {
    let challenge: altcha_lib_rs::Challenge = serde_json::from_str(challenge_json).expect("a challenge");
    let number = altcha_lib_rs::solve_challenge(
        &challenge.challenge,
        &challenge.salt,
        Some(challenge.algorithm),
        Some(challenge.maxnumber),
        0,
    )
    .expect("an answer within the challenge's range");
    let payload = serde_json::json!({
        "algorithm": "SHA-256",
        "challenge": challenge.challenge,
        "number": number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    });
    base64::engine::general_purpose::STANDARD.encode(payload.to_string())
}

#[cfg(test)]
mod tests {
    use super::{ProofKey, challenge, expiry};

    #[test]
    fn a_challenge_expires_and_is_signed_with_our_key() {
        let key = ProofKey::derived_from(b"whsec_test");
        let json = challenge(&key, 1_700_000_000_000);
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        let salt = parsed["salt"].as_str().unwrap();
        assert_eq!(expiry(salt), Some(1_700_000_000_000 + super::LIFETIME_MS));
        assert_eq!(parsed["maxnumber"], super::MAX_NUMBER);
        assert_ne!(
            ProofKey::derived_from(b"whsec_other").0,
            key.0,
            "each secret its own key"
        );
    }
}

//! Secret tokens sent in links (signup confirmation, password reset). The link carries the
//! token; the database keeps only its SHA-256, compared by lookup.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh token: 32 random bytes from the OS generator, hex-encoded (64 characters).
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database stores for `token`.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `input` looks like a token we issued (before touching the database).
pub fn is_well_formed(input: &str) -> bool {
    input.len() == 64 && input.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_well_formed_and_stored_only_as_a_digest() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(is_well_formed(&a));
        assert_ne!(digest(&a), a);
        assert_eq!(digest(&a), digest(&a));
        assert!(!is_well_formed("short"));
        assert!(!is_well_formed(&"z".repeat(64)));
    }
}

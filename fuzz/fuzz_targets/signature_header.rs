//! The `X-Ledger-Signature` header against a raw body: whatever the header holds, verifying
//! ends with a clear answer (never a panic), and only a correct MAC is accepted.

#![no_main]

use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use onboarding::webhook::{SignatureError, WebhookSecrets};
use onboarding_fuzz::within_limit;
use sha2::Sha256;

const SECRET: &str = "whsec_fuzz_primary";
const NOW: i64 = 1_700_000_000;

fn sign(timestamp: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fuzz_target!(|data: &[u8]| {
    within_limit(data, |data| {
        let secrets = WebhookSecrets::from_list(&format!("{SECRET},whsec_fuzz_older"));
        // The first line is the header, the rest the body.
        let (header, body) = match data.iter().position(|&b| b == b'\n') {
            Some(at) => (&data[..at], &data[at + 1..]),
            None => (data, &[][..]),
        };
        let header = String::from_utf8_lossy(header);
        match secrets.verify(&header, body, NOW) {
            // Accepting a header we did not sign would be a forgery: only possible when the
            // fuzzer reproduced our MAC for this body, which the check below confirms.
            Ok(()) => {
                // Hex in either case is the same MAC.
                // The MAC covers the timestamp as a number ("+17…" and "17…" are one time).
                let signed = header
                    .to_ascii_lowercase()
                    .contains(&sign(&extract_t(&header), body));
                assert!(signed, "accepted a header without our MAC: {header:?}");
            }
            Err(
                SignatureError::Missing
                | SignatureError::Malformed
                | SignatureError::TooLarge
                | SignatureError::OutsideTolerance
                | SignatureError::Mismatch,
            ) => {}
        }
        // The same body, correctly signed, is always accepted; signed a second late, refused.
        let t = NOW.to_string();
        let good = format!("t={t},v1={}", sign(&t, body));
        assert_eq!(secrets.verify(&good, body, NOW), Ok(()));
        let late = (NOW - 301).to_string();
        let old = format!("t={late},v1={}", sign(&late, body));
        assert_eq!(
            secrets.verify(&old, body, NOW),
            Err(SignatureError::OutsideTolerance)
        );
    });
});

fn extract_t(header: &str) -> String {
    header
        .split(',')
        .filter_map(|part| part.trim().split_once('='))
        .find(|(key, _)| *key == "t")
        .and_then(|(_, value)| value.parse::<i64>().ok())
        .map(|t| t.to_string())
        .unwrap_or_default()
}

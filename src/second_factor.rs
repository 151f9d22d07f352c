//! Operators' second factor (issue 27): an authenticator app's codes (TOTP, RFC 6238: SHA-1,
//! six digits, 30-second steps, one step of drift either way) and ten single-use recovery
//! codes; passkeys are in [`crate::passkeys`]. An operator without either sets one up through a
//! one-time setup link, which `server admin create` prints and an admin can issue again.

use totp_rs::{Builder, Secret, Totp};

use crate::clock::Millis;
use crate::store::{OperatorId, Store, StoreError};
use crate::tokens;

/// The name authenticator apps show beside the code.
pub const ISSUER: &str = "LedgerOS Onboarding";
/// How many recovery codes an operator gets.
pub const RECOVERY_CODES: usize = 10;
/// How long a setup link works.
pub const SETUP_LINK_HOURS: i64 = 72;
/// The demo's console admin's secret, published like its password: demo mode only, so that
/// the product team signs in on any laptop (the login page shows the current code).
pub const DEMO_OPERATOR_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// Refused second factors an operator may give in [`FAILURES_WINDOW_MS`]; then they wait.
/// Six digits are a million codes and three match at a time: five tries every fifteen minutes
/// are 480 a day, a 0.14% chance of a guess in a day (after the password, and each refusal is
/// in the audit log for admins to see).
pub const FAILURES_ALLOWED: usize = 5;
pub const FAILURES_WINDOW_MS: Millis = 15 * 60 * 1000;

/// How long `operator` waits before trying their second factor again, if they used up their
/// tries.
pub async fn wait_before_trying(
    store: &Store,
    operator: &OperatorId,
    now: Millis,
) -> Result<Option<Millis>, StoreError> {
    let refusals = store.factor_refusals(operator, now - FAILURES_WINDOW_MS).await?;
    if refusals.len() < FAILURES_ALLOWED {
        return Ok(None);
    }
    // The oldest counted refusal leaves the window first.
    let oldest = refusals[refusals.len() - FAILURES_ALLOWED];
    Ok(Some((oldest + FAILURES_WINDOW_MS - now).max(1_000)))
}

/// Notes a refused second factor (an audit log line, which [`wait_before_trying`] counts).
pub async fn refused(store: &Store, operator: &OperatorId, what: &str) -> Result<(), StoreError> {
    store
        .audit(Some(operator), crate::store::factors::FACTOR_REFUSED, None, what)
        .await
}

/// A fresh TOTP secret (160 random bits), in base32 as apps take it.
pub fn new_secret() -> String {
    Secret::generate().to_base32()
}

/// The TOTP of `secret` (base32) for the operator `email`.
fn totp(secret: &str, email: &str) -> Option<Totp> {
    let bytes = Secret::try_from_base32(secret).ok()?.as_bytes().to_vec();
    Builder::new()
        .with_secret(bytes)
        .with_account_name(email.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The code an app shows for `secret` at `now` (tests and the demo's hint).
pub fn code_at(secret: &str, now: Millis) -> Option<String> {
    Some(totp(secret, "")?.generate(secs(now)).to_string())
}

fn secs(at: Millis) -> u64 {
    u64::try_from(at.max(0) / 1000).unwrap_or_default()
}

/// The `otpauth://` link an app scans, drawn as an SVG QR code (no script, no image request).
pub fn qr_svg(secret: &str, email: &str) -> Option<String> {
    use qrcode::render::svg;
    let url = totp(secret, email)?.to_url().ok()?;
    let svg = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .ok()?
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in HTML: without the XML declaration.
    Some(
        svg.split_once("?>")
            .map_or(svg.clone(), |(_, rest)| rest.to_owned()),
    )
}

/// The time step a code typed at `now` matches for `secret`, if it does (one step of drift
/// either way).
pub fn step_of(secret: &str, code: &str, now: Millis) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret, "")?
        .check(&code, secs(now))
        .and_then(|step| i64::try_from(step).ok())
}

/// What the operator typed, as far as its shape goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Typed {
    /// Six digits from an app.
    Code(String),
    /// A recovery code, normalised (lower case, no dashes or spaces).
    Recovery(String),
    Neither,
}

pub fn read_typed(input: &str) -> Typed {
    let kept: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if kept.len() == 6 && kept.bytes().all(|b| b.is_ascii_digit()) {
        Typed::Code(kept)
    } else if kept.len() == 16
        && kept
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
    {
        Typed::Recovery(kept)
    } else {
        Typed::Neither
    }
}

/// Ten fresh recovery codes (80 random bits each, `abcd-efgh-ijkl-mnop`), and the digests the
/// database keeps instead.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let raw: String = (0..16)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect();
            format!("{}-{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12], &raw[12..16])
        })
        .collect();
    let digests = codes.iter().map(|c| recovery_digest(c)).collect();
    (codes, digests)
}

/// What the database keeps for a recovery code, however it was typed.
pub fn recovery_digest(code: &str) -> String {
    match read_typed(code) {
        Typed::Recovery(kept) => tokens::digest(&format!("recovery:{kept}")),
        _ => tokens::digest(&format!("recovery:{}", code.trim())),
    }
}

/// How a second-factor check went.
#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    /// An app's code.
    Code,
    /// A recovery code, now used; `left` remain.
    Recovery { left: i64 },
    /// Wrong, reused, or not a code.
    Refused,
}

/// Checks what `operator` typed as their second factor at `now`: an app's code (each accepted
/// once) or an unused recovery code.
pub async fn check(
    store: &Store,
    operator: &OperatorId,
    typed: &str,
    now: Millis,
) -> Result<Checked, StoreError> {
    match read_typed(typed) {
        Typed::Code(code) => {
            let Some(secret) = store.totp_secret(operator).await? else {
                return Ok(Checked::Refused);
            };
            match step_of(&secret, &code, now) {
                Some(step) if store.accept_totp_step(operator, step).await? => Ok(Checked::Code),
                _ => Ok(Checked::Refused),
            }
        }
        Typed::Recovery(_) => {
            if store.use_recovery_code(operator, &recovery_digest(typed)).await? {
                let left = store.recovery_codes_left(operator).await?;
                Ok(Checked::Recovery { left })
            } else {
                Ok(Checked::Refused)
            }
        }
        Typed::Neither => Ok(Checked::Refused),
    }
}

/// Whether `operator` has any second factor (an app or a passkey).
pub async fn has_second_factor(store: &Store, operator: &OperatorId) -> Result<bool, StoreError> {
    if store.totp_secret(operator).await?.is_some() {
        return Ok(true);
    }
    let owner = crate::store::PasskeyOwner::Operator(operator.clone());
    Ok(!store.passkeys_of(&owner).await?.is_empty())
}

/// A new one-time setup link's token for `operator` (the database keeps its digest), valid for
/// [`SETUP_LINK_HOURS`]. The link is `{public_url}/admin/setup/{token}`.
pub async fn new_setup_link(store: &Store, operator: &OperatorId, now: Millis) -> Result<String, StoreError> {
    let token = tokens::generate();
    let expires = now + SETUP_LINK_HOURS * 3_600_000;
    store
        .add_setup_link(operator, &tokens::digest(&token), expires)
        .await?;
    Ok(token)
}

/// Resets `operator`'s second factor (every app, passkey and recovery code goes) and returns a
/// new setup link's token. `by` is the admin who did it (`None`: the command line); the
/// audit log says so.
pub async fn reset(
    store: &Store,
    operator: &OperatorId,
    by: Option<&OperatorId>,
    now: Millis,
) -> Result<String, StoreError> {
    store.remove_second_factors(operator).await?;
    let token = new_setup_link(store, operator, now).await?;
    store
        .audit(
            by,
            "reset the second factor of",
            Some(&operator.0),
            "a new setup link was made",
        )
        .await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238, appendix B (SHA-1), read with six digits: the last six of each.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(&secret, t * 1000).as_deref(), Some(code));
            assert_eq!(step_of(&secret, code, t * 1000), Some(t / 30));
        }
        // One step of drift either way, no more.
        let now = 1_111_111_109_000;
        let next = code_at(&secret, now + 30_000).unwrap();
        assert!(step_of(&secret, &next, now).is_some());
        let later = code_at(&secret, now + 90_000).unwrap();
        assert_eq!(step_of(&secret, &later, now), None);
        assert_eq!(step_of(&secret, "12345", now), None);
        assert_eq!(step_of(&secret, "abcdef", now), None);
    }

    #[test]
    fn recovery_codes_are_random_and_read_however_typed() {
        let (codes, digests) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 19);
        assert_eq!(recovery_digest(code), digests[0]);
        let typed = format!(" {} ", code.to_uppercase().replace('-', " "));
        assert_eq!(recovery_digest(&typed), digests[0]);
        assert!(matches!(read_typed(&typed), Typed::Recovery(_)));
        assert_eq!(read_typed("123 456"), Typed::Code("123456".to_owned()));
        assert_eq!(read_typed("hello"), Typed::Neither);
    }

    #[test]
    fn the_qr_code_is_inline_svg() {
        let svg = qr_svg(&new_secret(), "ops@fintech.example").unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{svg}");
        assert!(!svg.contains("style="));
    }
}

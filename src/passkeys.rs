//! Passkeys (WebAuthn) through `webauthn-rs`, for operators (a second factor after their
//! password) and applicants (optional: a passkey alone signs them in, the password stays as a
//! fallback). The ceremonies' states live in the server-side session between the two steps.
//!
//! WebAuthn needs a domain: a deployment whose public URL is an IP address (`127.0.0.1`) has no
//! passkeys, and browsers refuse them there anyway; the demo runs on `localhost`.

use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder,
};

use crate::store::PasskeyRow;

/// The ceremonies' states, kept in the session between their two steps.
pub use webauthn_rs::prelude::{DiscoverableAuthentication, PasskeyAuthentication, PasskeyRegistration};

/// The site's passkey ceremonies.
pub struct Passkeys {
    webauthn: Webauthn,
}

/// Why a passkey step failed (nothing in it is shown as is: the pages say what to do).
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error("the browser's answer could not be read")]
    Unreadable,
    #[error("the passkey was refused: {0}")]
    Refused(String),
    #[error("this passkey is not known here")]
    Unknown,
}

impl Passkeys {
    /// The ceremonies for the site at `public_url`, or `None` when its host is not a domain.
    pub fn new(public_url: &str, site_name: &str) -> Option<Self> {
        let origin = Url::parse(public_url).ok()?;
        let Some(url::Host::Domain(rp_id)) = origin.host() else {
            return None;
        };
        let webauthn = WebauthnBuilder::new(rp_id, &origin)
            .ok()?
            .rp_name(site_name)
            .build()
            .ok()?;
        Some(Self { webauthn })
    }

    /// Starts adding a passkey for the account with WebAuthn `handle`: the options for the
    /// browser (JSON) and the state to keep until it answers. `discoverable` asks for a
    /// passkey the browser offers on its own (applicants sign in with it alone).
    pub fn start_registration(
        &self,
        handle: &str,
        name: &str,
        display_name: &str,
        existing: &[PasskeyRow],
        discoverable: bool,
    ) -> Result<(String, PasskeyRegistration), PasskeyError> {
        let handle = Uuid::parse_str(handle).map_err(|_| PasskeyError::Unreadable)?;
        let exclude = existing
            .iter()
            .filter_map(|row| hex::decode(&row.id).ok())
            .collect();
        let (mut options, state): (CreationChallengeResponse, _) = self
            .webauthn
            .start_passkey_registration(handle, name, display_name, Some(exclude))
            .map_err(|e| PasskeyError::Refused(e.to_string()))?;
        if discoverable {
            // webauthn-rs asks for a non-discoverable credential; conditional UI needs one
            // the authenticator keeps.
            if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
                selection.resident_key = Some(webauthn_rs_proto::ResidentKeyRequirement::Required);
                selection.require_resident_key = true;
            }
        }
        let json = serde_json::to_string(&options).map_err(|_| PasskeyError::Unreadable)?;
        Ok((json, state))
    }

    /// Finishes adding a passkey from the browser's `credential` (JSON): its id (hex) and what
    /// to store.
    pub fn finish_registration(
        &self,
        credential: &str,
        state: &PasskeyRegistration,
    ) -> Result<(String, String), PasskeyError> {
        let credential: RegisterPublicKeyCredential =
            serde_json::from_str(credential).map_err(|_| PasskeyError::Unreadable)?;
        let passkey = self
            .webauthn
            .finish_passkey_registration(&credential, state)
            .map_err(|e| PasskeyError::Refused(e.to_string()))?;
        let json = serde_json::to_string(&passkey).map_err(|_| PasskeyError::Unreadable)?;
        Ok((hex::encode(passkey.cred_id()), json))
    }

    /// Starts signing in with one of `rows` (an operator's passkeys, after their password).
    pub fn start_authentication(
        &self,
        rows: &[PasskeyRow],
    ) -> Result<(String, PasskeyAuthentication), PasskeyError> {
        let passkeys = rows.iter().map(stored).collect::<Result<Vec<_>, _>>()?;
        let (options, state): (RequestChallengeResponse, _) = self
            .webauthn
            .start_passkey_authentication(&passkeys)
            .map_err(|e| PasskeyError::Refused(e.to_string()))?;
        let json = serde_json::to_string(&options).map_err(|_| PasskeyError::Unreadable)?;
        Ok((json, state))
    }

    /// Checks the browser's answer against one of `rows`: which one (its id) and, when its
    /// state moved on (the signature counter), what to store now.
    pub fn finish_authentication(
        &self,
        credential: &str,
        state: &PasskeyAuthentication,
        rows: &[PasskeyRow],
    ) -> Result<(String, Option<String>), PasskeyError> {
        let credential: PublicKeyCredential =
            serde_json::from_str(credential).map_err(|_| PasskeyError::Unreadable)?;
        let result = self
            .webauthn
            .finish_passkey_authentication(&credential, state)
            .map_err(|e| PasskeyError::Refused(e.to_string()))?;
        let id = hex::encode(result.cred_id());
        let row = rows.iter().find(|r| r.id == id).ok_or(PasskeyError::Unknown)?;
        let mut passkey = stored(row)?;
        let updated = (passkey.update_credential(&result) == Some(true))
            .then(|| serde_json::to_string(&passkey).ok())
            .flatten();
        Ok((id, updated))
    }

    /// Starts a sign-in with whichever passkey the browser offers (the applicant login).
    pub fn start_discoverable(&self) -> Result<(String, DiscoverableAuthentication), PasskeyError> {
        let (options, state) = self
            .webauthn
            .start_discoverable_authentication()
            .map_err(|e| PasskeyError::Refused(e.to_string()))?;
        let json = serde_json::to_string(&options).map_err(|_| PasskeyError::Unreadable)?;
        Ok((json, state))
    }

    /// Which passkey the browser's answer claims to be (its id, hex, and the account's
    /// handle), before it is checked with [`Self::finish_discoverable`].
    pub fn identify(&self, credential: &str) -> Result<(String, String), PasskeyError> {
        let credential: PublicKeyCredential =
            serde_json::from_str(credential).map_err(|_| PasskeyError::Unreadable)?;
        let (handle, id) = self
            .webauthn
            .identify_discoverable_authentication(&credential)
            .map_err(|e| PasskeyError::Refused(e.to_string()))?;
        Ok((hex::encode(id), handle.to_string()))
    }

    /// Checks the browser's answer against `row` (found by [`Self::identify`]): what to store
    /// now when its state moved on.
    pub fn finish_discoverable(
        &self,
        credential: &str,
        state: DiscoverableAuthentication,
        row: &PasskeyRow,
    ) -> Result<Option<String>, PasskeyError> {
        let credential: PublicKeyCredential =
            serde_json::from_str(credential).map_err(|_| PasskeyError::Unreadable)?;
        let mut passkey = stored(row)?;
        let result = self
            .webauthn
            .finish_discoverable_authentication_v2(&credential, state, &passkey)
            .map_err(|e| PasskeyError::Refused(e.to_string()))?;
        Ok((passkey.update_credential(&result) == Some(true))
            .then(|| serde_json::to_string(&passkey).ok())
            .flatten())
    }
}

fn stored(row: &PasskeyRow) -> Result<Passkey, PasskeyError> {
    serde_json::from_str(&row.passkey).map_err(|_| PasskeyError::Unreadable)
}

/// Whether passkeys work for the site at `public_url` (its host is a domain name).
pub fn available(public_url: &str) -> bool {
    Url::parse(public_url).is_ok_and(|url| matches!(url.host(), Some(url::Host::Domain(_))))
}

/// The WebAuthn user handle for an account with these passkeys: theirs, or a new random one.
pub fn handle_for(existing: &[PasskeyRow]) -> String {
    existing
        .first()
        .map_or_else(|| Uuid::new_v4().to_string(), |row| row.handle.clone())
}

/// A name for a new passkey from what its owner typed, or from their browser.
pub fn passkey_name(typed: &str, browser: &str) -> String {
    let typed: String = typed
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    if typed.is_empty() {
        format!("Passkey in {browser}")
    } else {
        typed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passkeys_need_a_domain() {
        assert!(Passkeys::new("http://localhost:3000", "Onboarding").is_some());
        assert!(Passkeys::new("https://onboarding.example", "Onboarding").is_some());
        assert!(Passkeys::new("http://127.0.0.1:3000", "Onboarding").is_none());
        assert!(Passkeys::new("not a url", "Onboarding").is_none());
    }

    #[test]
    fn registration_options_ask_for_a_discoverable_passkey_when_wanted() {
        let site = Passkeys::new("http://localhost:3000", "Onboarding").unwrap();
        let handle = handle_for(&[]);
        let (options, _) = site
            .start_registration(&handle, "ada@example.com", "Ada", &[], true)
            .unwrap();
        let options: serde_json::Value = serde_json::from_str(&options).unwrap();
        let selection = &options["publicKey"]["authenticatorSelection"];
        assert_eq!(selection["residentKey"], "required", "{options}");
        assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
        assert_eq!(passkey_name("  ", "Chrome"), "Passkey in Chrome");
        assert_eq!(passkey_name("Work laptop", "Chrome"), "Work laptop");
    }
}

//! Accounts: signup and login, with passwords hashed by argon2id.

use crate::i18n::Lang;

mod hashing;

use crate::clock::Millis;
use crate::email::templates;
use crate::forms::{Email, FieldErrors, SignupForm, check_new_password};
use crate::services::Services;
use crate::store::{ConfirmOutcome, NewUser, SignupTarget, StoreError, UserId};
use crate::tokens;

pub use hashing::{hash_password, hashing_limit, peak_concurrent_hashes, verify_password};

/// However active, a session ends this long after login: people log in again twice a day.
pub const ABSOLUTE_SESSION_MS: Millis = 12 * 60 * 60 * 1000;

/// Whether a login at `logged_in_at` is past the absolute session timeout at `now`.
pub fn login_expired(logged_in_at: Millis, now: Millis) -> bool {
    now - logged_in_at > ABSOLUTE_SESSION_MS
}

#[derive(Debug, thiserror::Error)]
pub enum SignupError {
    #[error("the form has errors")]
    Invalid(FieldErrors),
    /// The address is a throwaway one ([`crate::throwaway`]); the error says so.
    #[error("a throwaway address")]
    Throwaway(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Takes a signup form. A new address gets a link to confirm it (the account is created when
/// the link is opened); an address that has an account gets a note saying so, and nothing
/// changes. The caller answers both the same way, so the form does not reveal who has an
/// account; both paths hash the password and write one transaction, so they take similar time.
pub async fn sign_up(services: &Services, form: SignupForm, lang: Lang) -> Result<(), SignupError> {
    let valid = form.validate(lang).map_err(SignupError::Invalid)?;
    // Each confirmed signup costs a verification: no inbox made to be thrown away.
    if !crate::throwaway::is_kept(&services.store, &valid.email).await? {
        tracing::info!(reason = "throwaway address", "signup form refused");
        let mut errors = FieldErrors::default();
        errors.add(
            "email",
            crate::i18n::t(lang, crate::i18n::msg::ERROR_EMAIL_THROWAWAY),
        );
        return Err(SignupError::Throwaway(errors));
    }
    let password_hash = hash_password(valid.password).await;
    let token = tokens::generate();
    let expires_at = services.clock.now_ms() + templates::CONFIRM_SIGNUP_HOURS * 60 * 60 * 1000;
    let (email, first_name, base) = (
        valid.email.as_str(),
        valid.first_name.as_str(),
        &services.public_url,
    );
    services
        .store
        .record_signup(
            NewUser {
                email,
                first_name,
                last_name: valid.last_name.as_str(),
                password_hash: &password_hash,
            },
            lang,
            &tokens::digest(&token),
            expires_at,
            &|target| match target {
                SignupTarget::New => templates::confirm_signup(lang, email, base, &token),
                SignupTarget::Existing { first_name, language } => {
                    templates::account_exists(language.unwrap_or(lang), email, first_name, base)
                }
            },
        )
        .await?;
    Ok(())
}

/// Opens a signup confirmation link: creates the account, if `password` is the one chosen
/// at signup. Holding the link proves the address; the password proves that whoever opens it
/// is who filled in the form. So a stranger who signs up with someone else's address cannot
/// get an account with a password they know, and the owner of the address, opening a link
/// they did not ask for, does not end up verifying their identity inside a stranger's account.
/// Provisioning at LedgerOS is the caller's next step (its job is stored with the account).
pub async fn confirm_signup(
    services: &Services,
    token: &str,
    password: String,
) -> Result<ConfirmOutcome, StoreError> {
    if !tokens::is_well_formed(token) {
        return Ok(ConfirmOutcome::Invalid);
    }
    let digest = tokens::digest(token);
    let Some(pending) = services.store.pending_signup(&digest).await? else {
        return Ok(ConfirmOutcome::Invalid);
    };
    if !verify_password(Some(pending.password_hash), password).await {
        return Ok(ConfirmOutcome::WrongPassword);
    }
    services.store.confirm_signup(&digest).await
}

/// The address a signup confirmation link would confirm, while the link can still be used.
pub async fn signup_link_address(services: &Services, token: &str) -> Result<Option<String>, StoreError> {
    if !tokens::is_well_formed(token) {
        return Ok(None);
    }
    Ok(services
        .store
        .pending_signup(&tokens::digest(token))
        .await?
        .map(|pending| pending.email))
}

/// Emails a password reset link if an account uses `email`; does nothing otherwise. Callers
/// answer the same in both cases and should not wait for this (the time it takes differs).
pub async fn request_password_reset(services: &Services, email: &str, lang: Lang) -> Result<(), StoreError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    let token = tokens::generate();
    let expires_at = services.clock.now_ms() + templates::RESET_MINUTES * 60 * 1000;
    let base = &services.public_url;
    services
        .store
        .request_password_reset(
            email.as_str(),
            &tokens::digest(&token),
            expires_at,
            &|first_name, language| {
                templates::password_reset(language.unwrap_or(lang), email.as_str(), first_name, base, &token)
            },
        )
        .await?;
    Ok(())
}

/// Whether a reset link can still be used.
pub async fn reset_link_is_valid(services: &Services, token: &str) -> Result<bool, StoreError> {
    if !tokens::is_well_formed(token) {
        return Ok(false);
    }
    services.store.reset_token_is_valid(&tokens::digest(token)).await
}

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error("the new password is not acceptable")]
    Invalid(FieldErrors),
    #[error("the link is unknown, used or expired")]
    LinkInvalid,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Sets a new password with a reset link, once. Every session of the account made before
/// ends (the session checks a fingerprint of the password hash). Returns the account, to sign
/// the person in afresh.
pub async fn reset_password(
    services: &Services,
    token: &str,
    password: String,
    lang: Lang,
) -> Result<UserId, ResetError> {
    if let Err(problem) = check_new_password(&password) {
        let mut errors = FieldErrors::default();
        errors.add("password", problem.message(lang));
        return Err(ResetError::Invalid(errors));
    }
    if !tokens::is_well_formed(token) {
        return Err(ResetError::LinkInvalid);
    }
    let password_hash = hash_password(password).await;
    let base = &services.public_url;
    services
        .store
        .reset_password(
            &tokens::digest(token),
            &password_hash,
            &|email, first_name, language| {
                templates::password_changed(language.unwrap_or(lang), email, first_name, base)
            },
        )
        .await?
        .ok_or(ResetError::LinkInvalid)
}

/// What a session remembers of the password: a digest of its hash, so that changing the
/// password ends every session made before (axum-login compares it on each request) without
/// copying the hash itself into the session table.
pub fn session_fingerprint(password_hash: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(password_hash.as_bytes()).into()
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("the email or password is not right")]
    InvalidCredentials,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks credentials. Unknown emails and wrong passwords give the same answer in similar time.
pub async fn log_in(services: &Services, email: &str, password: String) -> Result<UserId, LoginError> {
    let user = match Email::parse(email) {
        Ok(email) => services.store.user_by_email(email.as_str()).await?,
        Err(_) => None,
    };
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    if verify_password(hash, password).await {
        Ok(user.expect("a verified password belongs to a user").id)
    } else {
        Err(LoginError::InvalidCredentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_is_argon2id_with_owasp_parameters_and_verifies() {
        let hash = hash_password("correct horse battery".into()).await;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(Some(hash.clone()), "correct horse battery".into()).await);
        assert!(!verify_password(Some(hash), "wrong horse battery".into()).await);
    }

    #[test]
    fn a_login_lasts_twelve_hours_at_most() {
        let login = 1_000_000;
        assert!(!login_expired(login, login + ABSOLUTE_SESSION_MS));
        assert!(login_expired(login, login + ABSOLUTE_SESSION_MS + 1));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_cores() {
        let password = || "correct horse battery".to_owned();
        let hash = hash_password(password()).await;
        let checks: Vec<_> = (0..4 * hashing_limit() + 4)
            .map(|_| tokio::spawn(verify_password(Some(hash.clone()), password())))
            .collect();
        for check in checks {
            assert!(check.await.unwrap());
        }
        assert!(
            peak_concurrent_hashes() <= hashing_limit(),
            "{} at once with {} cores",
            peak_concurrent_hashes(),
            hashing_limit()
        );
    }

    #[tokio::test]
    async fn no_stored_hash_never_verifies() {
        assert!(!verify_password(None, "not a real password".into()).await);
    }
}

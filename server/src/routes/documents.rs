//! `POST /documents`: a document LedgerOS asked for (`needsInformation`), from the upload form on
//! the status page, passed on to `PUT /v1/verification/user/{id}/document`.
//!
//! A plain multipart form post that answers 303 back to `/status` with a flash notice, so it
//! works without JavaScript. The file is judged by its content (PDF, JPEG or PNG magic bytes),
//! never by its name or the browser's Content-Type, and is read into memory only, at most
//! [`MAX_UPLOAD_BYTES`]: it is never written to disk, and logs carry only the user, the
//! document type, the size and the outcome (never a file name or any byte).

use app::auth;
use app::copy::upload_error_field;
use app::views::Flash;
use axum::Extension;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use onboarding::i18n::{Arg, Lang, msg, t, t_with};

use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use onboarding::documents::{DocumentType, MAX_UPLOAD_BYTES, sniff};
use onboarding::forms::FieldErrors;
use onboarding::ledger::{Document, LedgerError, LedgerUserId};
use onboarding::status::ApplicationStatus;
use onboarding::store::{UserId, UserRecord};

use super::flash::Back;
use crate::client_ip::ClientIp;
use crate::limits::try_again_in;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::post;
use tower::ServiceBuilder;

pub(super) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/documents",
            post(upload).layer(
                ServiceBuilder::new()
                    .layer(super::request_timeout(state.timeouts.upload))
                    .layer(DefaultBodyLimit::max(BODY_LIMIT)),
            ),
        )
        .route_layer(axum::middleware::from_fn(super::guard::require_login))
}

/// The request body limit of this route: the largest file plus room for the multipart framing
/// and the `documentType` field. A file a little over the limit is still read to the end (and
/// dropped), so the browser gets our answer rather than a reset connection.
const BODY_LIMIT: usize = MAX_UPLOAD_BYTES + 512 * 1024;
const _: () = assert!(BODY_LIMIT > MAX_UPLOAD_BYTES + 4096 && BODY_LIMIT < MAX_UPLOAD_BYTES + 1024 * 1024);

/// Longest text field we keep (a document type is one short word).
const MAX_TEXT_BYTES: usize = 64;

/// The form on the status page that shows our notices.
const FORM: &str = "status";

/// What the form sent, as far as it could be read.
#[derive(Default)]
struct Received {
    document_type: Option<String>,
    file: File,
}

/// The `file` field.
#[derive(Default)]
enum File {
    #[default]
    Missing,
    /// Over [`MAX_UPLOAD_BYTES`]: read to the end and dropped.
    TooLarge,
    Bytes(Vec<u8>),
}

/// Why a document was not sent. Each says, in plain words, what to do.
#[derive(Debug)]
enum Refusal {
    /// Not a multipart body, or a broken one.
    Unreadable,
    NoFile,
    EmptyFile,
    TooLarge,
    NotPdfJpegOrPng,
    NothingRequested,
    NotRequested,
    /// LedgerOS could not be reached (or asked us to slow down): trying again later may work.
    LedgerUnavailable,
    /// LedgerOS refused the document.
    LedgerRefused,
    /// Our side: database, missing LedgerOS link.
    Internal,
}

impl Refusal {
    /// Whether choosing another file is the fix.
    fn is_about_the_file(&self) -> bool {
        matches!(
            self,
            Self::NoFile | Self::EmptyFile | Self::TooLarge | Self::NotPdfJpegOrPng | Self::LedgerRefused
        )
    }

    /// For logs.
    fn outcome(&self) -> &'static str {
        match self {
            Self::Unreadable => "unreadable",
            Self::NoFile => "no_file",
            Self::EmptyFile => "empty_file",
            Self::TooLarge => "too_large",
            Self::NotPdfJpegOrPng => "not_pdf_jpeg_or_png",
            Self::NothingRequested => "nothing_requested",
            Self::NotRequested => "not_requested",
            Self::LedgerUnavailable => "ledger_unavailable",
            Self::LedgerRefused => "ledger_refused",
            Self::Internal => "internal_error",
        }
    }

    /// For the person, about the document called `label`.
    /// What to tell the person about `label` (the document's name), in `lang`.
    fn message(&self, label: &str, lang: Lang) -> String {
        let key = match self {
            Self::Unreadable => msg::UPLOAD_UNREADABLE,
            Self::NoFile => msg::UPLOAD_NO_FILE,
            Self::EmptyFile => msg::UPLOAD_EMPTY_FILE,
            Self::TooLarge => msg::UPLOAD_TOO_LARGE,
            Self::NotPdfJpegOrPng => msg::UPLOAD_WRONG_TYPE,
            Self::NothingRequested => msg::UPLOAD_NOTHING_REQUESTED,
            Self::NotRequested => msg::UPLOAD_NOT_REQUESTED,
            Self::LedgerUnavailable => msg::UPLOAD_PARTNER_UNAVAILABLE,
            Self::LedgerRefused => msg::UPLOAD_PARTNER_REFUSED,
            Self::Internal => msg::UPLOAD_INTERNAL,
        };
        t_with(lang, key, &[("document", Arg::from(label))])
    }
}

/// Receives one document, checks it, sends it to LedgerOS and refreshes the status.
async fn upload(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Extension(lang): Extension<Lang>,
    auth: auth::Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // The login guard has already sent anonymous visitors away; this covers an expired session.
    let Some(user_id) = auth::user_id(&auth).await else {
        return Redirect::to("/login").into_response();
    };
    if let Err(wait) = state.limits.upload(client, &user_id.0).await {
        tracing::info!(user = %user_id, outcome = "rate_limited", "document refused");
        let flash = Flash {
            form: FORM.into(),
            notice: Some(try_again_in(lang, wait)),
            ..Flash::default()
        };
        // The body was not read: the connection must not carry another request.
        return ([(header::CONNECTION, "close")], Back::to("/status", flash)).into_response();
    }
    let mut received = Received::default();
    let read = match multipart {
        Ok(mut multipart) => read_form(&mut multipart, &mut received)
            .await
            .map_err(|e| body_refusal(&e)),
        Err(rejection) => {
            tracing::debug!(status = rejection.status().as_u16(), "upload is not multipart");
            Err(Refusal::Unreadable)
        }
    };
    // A body we stopped reading must not be followed by another request on the same connection.
    let unread_body = read.is_err();
    let kind = received.document_type.as_deref().and_then(DocumentType::parse);
    let label = kind.map_or_else(|| t(lang, msg::UPLOAD_YOUR_DOCUMENT), |k| k.label_in(lang));
    let result = match read {
        Ok(()) => send(&state, &user_id, kind, received.file).await,
        Err(refusal) => Err(refusal),
    };
    let kind_for_log = kind.map_or("unknown", DocumentType::as_str);
    let mut errors = FieldErrors::default();
    let message = match result {
        Ok((size, remaining)) => {
            tracing::info!(user = %user_id, document_type = kind_for_log, size, outcome = "sent", "document sent to LedgerOS");
            if let Err(e) = state.services.store.record_document(&user_id, kind_for_log).await {
                tracing::warn!(error = %e, "could not note the document for operators");
            }
            sent_message(&label, remaining, lang)
        }
        Err(refusal) => {
            tracing::info!(user = %user_id, document_type = kind_for_log, outcome = refusal.outcome(), "document refused");
            let message = refusal.message(&label, lang);
            // A problem with the file is also shown next to that document's input.
            if let Some(kind) = kind.filter(|_| refusal.is_about_the_file()) {
                errors.add(&upload_error_field(kind), message.clone());
            }
            message
        }
    };
    let flash = Flash {
        form: FORM.into(),
        errors,
        notice: Some(message),
        ..Flash::default()
    };
    if unread_body {
        return ([(header::CONNECTION, "close")], Back::to("/status", flash)).into_response();
    }
    Back::to("/status", flash).into_response()
}

/// What the person reads after a successful upload, given the documents still wanted.
fn sent_message(label: &str, remaining: usize, lang: Lang) -> String {
    t_with(
        lang,
        msg::UPLOAD_SENT,
        &[
            ("document", Arg::from(label)),
            ("remaining", Arg::from(remaining)),
        ],
    )
}

/// Reads every field, keeping the document type and at most [`MAX_UPLOAD_BYTES`] of the file.
async fn read_form(multipart: &mut Multipart, received: &mut Received) -> Result<(), MultipartError> {
    while let Some(mut field) = multipart.next_field().await? {
        match field.name() {
            Some("documentType") if received.document_type.is_none() => {
                received.document_type = Some(read_text(&mut field).await?);
            }
            Some("file") if matches!(received.file, File::Missing) => {
                received.file = read_file(&mut field).await?;
            }
            // Anything else (or a second copy) is read past and dropped.
            _ => while field.chunk().await?.is_some() {},
        }
    }
    Ok(())
}

async fn read_text(field: &mut Field<'_>) -> Result<String, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = (MAX_TEXT_BYTES + 1).saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    // Over-long or not UTF-8: kept as something no document type matches.
    if bytes.len() > MAX_TEXT_BYTES {
        return Ok(String::new());
    }
    Ok(String::from_utf8(bytes).unwrap_or_default().trim().to_owned())
}

/// The file's bytes, in memory only. Past the limit the rest is read and dropped, so the
/// browser is still listening when we answer.
async fn read_file(field: &mut Field<'_>) -> Result<File, MultipartError> {
    // Browsers send an unnamed, empty part when no file was chosen. (The name is only looked at.)
    let chosen = field.file_name().is_some_and(|name| !name.is_empty());
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(chunk) = field.chunk().await? {
        if too_large {
            continue;
        }
        if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
            too_large = true;
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok(if too_large {
        File::TooLarge
    } else if bytes.is_empty() && !chosen {
        File::Missing
    } else {
        File::Bytes(bytes)
    })
}

/// A body that could not be read to the end: over the route's limit, or malformed.
fn body_refusal(error: &MultipartError) -> Refusal {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Refusal::TooLarge
    } else {
        tracing::debug!(status = error.status().as_u16(), "upload body could not be read");
        Refusal::Unreadable
    }
}

/// Checks the request against what LedgerOS asked for, sends the document, then records the
/// status LedgerOS reports. Returns the size sent and how many documents are still wanted.
async fn send(
    state: &AppState,
    user_id: &UserId,
    kind: Option<DocumentType>,
    file: File,
) -> Result<(usize, usize), Refusal> {
    let services = &state.services;
    let user = match services.store.user(user_id).await {
        Ok(Some(user)) => user,
        Ok(None) => return Err(Refusal::Internal),
        Err(e) => {
            tracing::error!(user = %user_id, error = %e, "loading the user for an upload failed");
            return Err(Refusal::Internal);
        }
    };
    if user.kyc.status != ApplicationStatus::NeedsInformation {
        return Err(Refusal::NothingRequested);
    }
    let Some(kind) = kind.filter(|k| user.kyc.required_fields.iter().any(|f| f == k.as_str())) else {
        return Err(Refusal::NotRequested);
    };
    let bytes = match file {
        File::Missing => return Err(Refusal::NoFile),
        File::TooLarge => return Err(Refusal::TooLarge),
        File::Bytes(bytes) if bytes.is_empty() => return Err(Refusal::EmptyFile),
        File::Bytes(bytes) => bytes,
    };
    let Some(file_kind) = sniff(&bytes) else {
        return Err(Refusal::NotPdfJpegOrPng);
    };
    let Some(ledger_id) = user.ledger_user_id.clone() else {
        tracing::error!(user = %user_id, "needsInformation without a LedgerOS user id");
        return Err(Refusal::Internal);
    };
    let ledger_id = LedgerUserId::new(ledger_id);
    let size = bytes.len();
    // Our own name for the file: the person's file name is neither kept nor passed on.
    let document = Document {
        document_type: kind,
        file_name: format!("{}.{}", kind.as_str(), file_kind.extension()),
        content_type: file_kind.content_type().to_owned(),
        bytes,
    };
    let sent_at = services.clock.now_ms();
    if let Err(e) = services.ledger.upload_document(&ledger_id, document).await {
        return Err(ledger_refusal(user_id, &e));
    }
    let remaining = match refresh_after_upload(state, &user, sent_at).await {
        Some(fresh) if fresh.kyc.status == ApplicationStatus::NeedsInformation => {
            fresh.kyc.required_fields.len()
        }
        Some(_) => 0,
        // The document is with LedgerOS; the status catches up with the next webhook or refresh.
        None => user
            .kyc
            .required_fields
            .iter()
            .filter(|f| *f != kind.as_str())
            .count(),
    };
    Ok((size, remaining))
}

fn ledger_refusal(user_id: &UserId, error: &LedgerError) -> Refusal {
    tracing::warn!(user = %user_id, error = %error, retryable = error.is_retryable(), "document upload to LedgerOS failed");
    if error.is_retryable() {
        Refusal::LedgerUnavailable
    } else if matches!(error, LedgerError::Api { .. }) {
        Refusal::LedgerRefused
    } else {
        Refusal::Internal
    }
}

/// The status the upload led to (`manualReview` once everything has arrived, or
/// `needsInformation` with fewer fields), or `None` if it could not be read now.
async fn refresh_after_upload(state: &AppState, user: &UserRecord, sent_at: i64) -> Option<UserRecord> {
    onboarding::verification::refresh_after_change(&state.services, &user.id, sent_at)
        .await
        .inspect_err(
            |e| tracing::warn!(user = %user.id, error = %e, "could not refresh the status after an upload"),
        )
        .ok()
}

#[cfg(test)]
mod tests;

//! Data requests from people who write in (issue 26): support opens an export or a deletion
//! for them, an admin confirms it. The law gives a month to answer (GDPR article 12(3)).

use crate::clock::Millis;
use crate::email::templates;
use crate::services::Services;
use crate::store::data_requests::RequestKind;
use crate::store::data_rights::Requester;
use crate::store::{OperatorId, StoreError};

use super::{ExportError, ExportFile};

/// How long the law gives to answer a request: a month.
pub const ANSWER_WITHIN_MS: Millis = 30 * 24 * 60 * 60 * 1000;

/// What confirming a request did.
#[derive(Debug)]
pub enum Confirmed {
    /// The person's file, for staff to send them.
    Export(ExportFile),
    /// Their deletion is scheduled at this time (the grace period, as if they had asked).
    Deletion(Millis),
    /// The request was unknown, confirmed already, or its account is a held record.
    Nothing,
}

/// An admin confirms request `id` and it is carried out.
pub async fn confirm(services: &Services, id: i64, admin: &OperatorId) -> Result<Confirmed, ExportError> {
    let Some(request) = services.store.confirm_data_request(id, admin).await? else {
        return Ok(Confirmed::Nothing);
    };
    match request.kind {
        RequestKind::Export => {
            let file = super::export(services, &request.user, Requester::Support).await?;
            Ok(Confirmed::Export(file))
        }
        RequestKind::Deletion => Ok(schedule(services, &request.user).await?),
    }
}

async fn schedule(services: &Services, user: &crate::store::UserId) -> Result<Confirmed, StoreError> {
    let policy = services.data_policy;
    let due_at = services.clock.now_ms() + policy.grace_ms();
    let base = &services.public_url;
    let scheduled = services
        .store
        .schedule_deletion(user, due_at, &|to, first_name, language| {
            templates::deletion_scheduled(
                language.unwrap_or_default(),
                to,
                first_name,
                base,
                due_at,
                policy.aml_retention_years,
            )
        })
        .await?;
    Ok(if scheduled {
        Confirmed::Deletion(due_at)
    } else {
        Confirmed::Nothing
    })
}

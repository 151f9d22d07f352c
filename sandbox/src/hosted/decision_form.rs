//! The controls page's decision form, read into a [`Decision`] (or the errors to show).

use super::*;

pub(super) fn parse_decision(form: &Form, lang: Lang) -> Result<Decision, Errors> {
    let mut errors = Errors::new();
    let reason = || {
        let reason = form.get("reason");
        if reason.is_empty() {
            Err(("reason", t(lang, msg::HOSTED_ERROR_REASON)))
        } else {
            Ok(reason.to_owned())
        }
    };
    let outcome = match form.get("outcome") {
        "approve" => Some(Outcome::Approve),
        "deny" => reason()
            .map(|reason| Outcome::Deny { reason })
            .map_err(|e| errors.push(e))
            .ok(),
        "needs_information" => {
            let required_fields: Vec<String> = form
                .all("required_fields")
                .filter(|f| REQUESTABLE.iter().any(|(value, _)| value == f))
                .map(str::to_owned)
                .collect();
            if required_fields.is_empty() {
                errors.push(("required_fields", t(lang, msg::HOSTED_ERROR_REQUEST)));
                None
            } else {
                Some(Outcome::NeedsInformation { required_fields })
            }
        }
        "needs_verification" => Some(Outcome::NeedsVerification),
        "manual_review" => {
            let after = seconds(form, "review_seconds", 10, lang, &mut errors);
            let then = match form.get("review_outcome") {
                "" | "approve" => Some(Outcome::Approve),
                "deny" => reason()
                    .map(|reason| Outcome::Deny { reason })
                    .map_err(|e| errors.push(e))
                    .ok(),
                _ => {
                    errors.push(("review_outcome", t(lang, msg::HOSTED_ERROR_REVIEW_OUTCOME)));
                    None
                }
            };
            then.map(|then| Outcome::ManualReview {
                then: Box::new(then),
                after,
            })
        }
        "lock" => Some(Outcome::Lock),
        _ => {
            errors.push(("outcome", t(lang, msg::HOSTED_ERROR_OUTCOME)));
            None
        }
    };
    let delay = seconds(form, "delay_seconds", 0, lang, &mut errors);
    let webhooks = match form.get("webhooks") {
        "" | "normal" => WebhookMode::Normal,
        "duplicate" => WebhookMode::Duplicate,
        "late" => WebhookMode::Late(seconds(form, "webhook_delay_seconds", 5, lang, &mut errors)),
        "reversed" => WebhookMode::Reversed,
        "skip" => WebhookMode::Skip,
        _ => {
            errors.push(("webhooks", t(lang, msg::HOSTED_ERROR_DELIVERY)));
            WebhookMode::Normal
        }
    };
    sort_errors(
        &mut errors,
        &[
            "outcome",
            "reason",
            "required_fields",
            "review_outcome",
            "review_seconds",
            "delay_seconds",
            "webhooks",
            "webhook_delay_seconds",
        ],
    );
    match outcome {
        Some(outcome) if errors.is_empty() => Ok(Decision {
            outcome,
            delay,
            webhooks,
        }),
        _ => Err(errors),
    }
}

/// A whole number of seconds from 0 to a day; blank means `default`.
fn seconds(form: &Form, name: &'static str, default: u64, lang: Lang, errors: &mut Errors) -> Duration {
    let value = form.get(name);
    if value.is_empty() {
        return Duration::from_secs(default);
    }
    match value.parse::<u64>() {
        Ok(secs) if secs <= MAX_DELAY_SECS => Duration::from_secs(secs),
        _ => {
            let max = i64::try_from(MAX_DELAY_SECS).unwrap_or(i64::MAX);
            errors.push((
                name,
                t_with(lang, msg::HOSTED_ERROR_SECONDS, &[("max", max.into())]),
            ));
            Duration::from_secs(default)
        }
    }
}

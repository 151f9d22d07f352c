//! The page after the four steps: the sandbox's controls (the outcome, its timing, how the
//! webhooks travel) and, when LedgerOS asked for documents, their upload.

use super::render::*;
use super::*;

pub(super) fn review_page(
    lang: Lang,
    inner: &Inner,
    token: &str,
    user: &User,
    status: StatusCode,
    values: &Form,
    errors: &[(&'static str, String)],
) -> Response {
    let tr = |key| t(lang, key);
    let token_attr = esc(token);
    let has_values = !errors.is_empty();
    let value = |name: &str, fallback: &str| -> String {
        if has_values && values.contains(name) {
            values.get(name).to_owned()
        } else {
            fallback.to_owned()
        }
    };
    let mut main = format!("<h1>{}</h1>", esc(&tr(msg::HOSTED_STEP_REVIEW)));
    // The decision's errors, or the upload's (`documents`, the upload form's id).
    main.push_str(&error_summary(lang, errors));
    let scheduled = user.scheduled.as_deref().map_or(String::new(), |what| {
        format!(
            " {}",
            esc(&t_with(
                lang,
                msg::HOSTED_REVIEW_SCHEDULED,
                &[("what", what.into())]
            ))
        )
    });
    let _ = write!(
        main,
        "<p class=\"status\" role=\"status\">{} {}<strong>{}</strong> (<code>{}</code>).{scheduled}</p>",
        esc(&tr(msg::HOSTED_REVIEW_COMPLETE)),
        esc(&tr(msg::HOSTED_REVIEW_CURRENT)),
        esc(&tr(status_label(&user.status))),
        esc(user.status.as_str()),
    );
    if user.status == ApplicationStatus::NeedsInformation && !user.required_fields.is_empty() {
        let _ = write!(
            main,
            "<section aria-labelledby=\"docs-title\"><h2 id=\"docs-title\">{}</h2>\
             <form id=\"f-documents\" method=\"post\" action=\"/verify/{token_attr}/documents\" enctype=\"multipart/form-data\" novalidate>",
            esc(&tr(msg::HOSTED_DOCUMENTS_TITLE))
        );
        for field in &user.required_fields {
            // Each required field gets its own input, named after the field.
            let label = REQUESTABLE
                .iter()
                .find(|(v, _)| v == field)
                .map_or_else(|| field.clone(), |(_, key)| tr(*key));
            let _ = write!(
                main,
                "<div class=\"field\"><label for=\"f-doc-{name}\">{label}</label>\
                 <input id=\"f-doc-{name}\" name=\"{name}\" type=\"file\" accept=\"image/*,application/pdf\"></div>",
                name = esc(field),
                label = esc(&label),
            );
        }
        main.push_str(&choice(
            "checkbox",
            "use_samples",
            "on",
            &tr(msg::HOSTED_DOCUMENTS_SAMPLES),
            false,
        ));
        let _ = write!(
            main,
            "<div class=\"actions\"><button type=\"submit\">{}</button></div></form></section>",
            esc(&tr(msg::HOSTED_DOCUMENTS_UPLOAD))
        );
    }
    let radios = |name: &str, chosen: &str, options: &[(&str, Key)]| -> String {
        options
            .iter()
            .map(|(v, label)| choice("radio", name, v, &tr(*label), chosen == *v))
            .collect()
    };
    let outcomes = radios(
        "outcome",
        &value("outcome", "approve"),
        &[
            ("approve", msg::HOSTED_OUTCOME_APPROVE),
            ("deny", msg::HOSTED_OUTCOME_DENY),
            ("needs_information", msg::HOSTED_OUTCOME_NEEDS_INFORMATION),
            ("needs_verification", msg::HOSTED_OUTCOME_NEEDS_VERIFICATION),
            ("manual_review", msg::HOSTED_OUTCOME_MANUAL_REVIEW),
            ("lock", msg::HOSTED_OUTCOME_LOCK),
        ],
    );
    let chosen_fields: Vec<&str> = values.all("required_fields").collect();
    let fields: String = REQUESTABLE
        .iter()
        .map(|(v, label)| {
            choice(
                "checkbox",
                "required_fields",
                v,
                &tr(*label),
                chosen_fields.contains(v),
            )
        })
        .collect();
    let review = radios(
        "review_outcome",
        &value("review_outcome", "approve"),
        &[
            ("approve", msg::HOSTED_THEN_APPROVE),
            ("deny", msg::HOSTED_THEN_DENY),
        ],
    );
    let webhooks = value("webhooks", "normal");
    let modes = radios(
        "webhooks",
        &webhooks,
        &[
            ("normal", msg::HOSTED_DELIVERY_NORMAL),
            ("duplicate", msg::HOSTED_DELIVERY_DUPLICATE),
            ("late", msg::HOSTED_DELIVERY_LATE),
            ("reversed", msg::HOSTED_DELIVERY_REVERSED),
            ("skip", msg::HOSTED_DELIVERY_SKIP),
        ],
    );
    let reason = value("reason", DENIAL_REASONS[0]);
    let review_seconds = value("review_seconds", "10");
    let delay_seconds = value("delay_seconds", "0");
    let webhook_delay = value("webhook_delay_seconds", "5");
    // The reasons are LedgerOS's own words, in English, as its API would send them.
    let mut reasons = String::from("<datalist id=\"denial-reasons\">");
    for r in DENIAL_REASONS {
        let _ = write!(reasons, "<option value=\"{r}\">");
    }
    reasons.push_str("</datalist>");
    let number = "min=\"0\" max=\"86400\" step=\"1\" inputmode=\"numeric\"";
    let delay_hint = tr(msg::HOSTED_DELAY_HINT);
    let seconds_input = |name: &'static str, label: Key, value: &str, hint: Option<&str>| {
        Input {
            kind: "number",
            required: false,
            extra: number,
            hint,
            ..Input::new(name, &tr(label), value, "off")
        }
        .render(lang, errors)
    };
    let _ = write!(
        main,
        "<section aria-labelledby=\"outcome-title\"><h2 id=\"outcome-title\">{}</h2><p>{}</p>\
         <form method=\"post\" action=\"/verify/{token_attr}/decision\" novalidate>\
         {}{}{reasons}{}\
         {}{}\
         <details{}><summary>{}</summary>{}{}</details>\
         <div class=\"actions\"><button type=\"submit\">{}</button>\
         <a href=\"{}\">{}</a></div></form></section>",
        esc(&tr(msg::HOSTED_OUTCOME_TITLE)),
        esc(&tr(msg::HOSTED_OUTCOME_INTRO)),
        choices(lang, "outcome", &tr(msg::HOSTED_OUTCOME), &outcomes, errors),
        Input {
            required: false,
            extra: "list=\"denial-reasons\"",
            ..Input::new("reason", &tr(msg::HOSTED_REASON), &reason, "off")
        }
        .render(lang, errors),
        choices(lang, "required_fields", &tr(msg::HOSTED_REQUEST), &fields, errors),
        choices(
            lang,
            "review_outcome",
            &tr(msg::HOSTED_MANUAL_REVIEW),
            &format!(
                "{review}{}",
                seconds_input(
                    "review_seconds",
                    msg::HOSTED_REVIEW_SECONDS,
                    &review_seconds,
                    None
                )
            ),
            errors
        ),
        seconds_input(
            "delay_seconds",
            msg::HOSTED_DELAY,
            &delay_seconds,
            Some(&delay_hint)
        ),
        if webhooks != "normal" || error_for(errors, "webhook_delay_seconds").is_some() {
            " open"
        } else {
            ""
        },
        esc(&tr(msg::HOSTED_WEBHOOKS)),
        choices(lang, "webhooks", &tr(msg::HOSTED_DELIVERY), &modes, errors),
        seconds_input("webhook_delay_seconds", msg::HOSTED_LATE_BY, &webhook_delay, None),
        esc(&tr(msg::HOSTED_SUBMIT)),
        esc(&inner.config.return_url()),
        esc(&tr(msg::HOSTED_RETURN)),
    );
    let has_errors = !errors.is_empty();
    page(
        lang,
        status,
        &title_of(lang, msg::HOSTED_STEP_REVIEW, has_errors),
        &main,
    )
}

/// LedgerOS's name for a status, as its own page shows it.
fn status_label(status: &ApplicationStatus) -> Key {
    match status {
        ApplicationStatus::NotStarted => msg::HOSTED_STATUS_NOT_STARTED,
        ApplicationStatus::Pending => msg::HOSTED_STATUS_PENDING,
        ApplicationStatus::NeedsInformation => msg::HOSTED_STATUS_NEEDS_INFORMATION,
        ApplicationStatus::NeedsVerification => msg::HOSTED_STATUS_NEEDS_VERIFICATION,
        ApplicationStatus::ManualReview => msg::HOSTED_STATUS_MANUAL_REVIEW,
        ApplicationStatus::Approved => msg::HOSTED_STATUS_APPROVED,
        ApplicationStatus::Denied => msg::HOSTED_STATUS_DENIED,
        ApplicationStatus::Locked => msg::HOSTED_STATUS_LOCKED,
        ApplicationStatus::Canceled => msg::HOSTED_STATUS_CANCELED,
        ApplicationStatus::Unknown(_) => msg::HOSTED_STATUS_OTHER,
    }
}

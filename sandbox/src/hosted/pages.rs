//! The hosted pages: the progress bar, one page per step, and the review with the decision
//! controls.

use super::render::*;
use super::*;

pub(super) fn progress(lang: Lang, token: &str, user: &User, current: Step) -> String {
    let step_of = t_with(
        lang,
        msg::HOSTED_PROGRESS,
        &[
            ("step", i64::from(current.number()).into()),
            ("total", 4i64.into()),
        ],
    );
    let mut html = format!(
        "<p class=\"progress\">{}</p><nav aria-label=\"{}\"><ol class=\"steps\">",
        esc(&step_of),
        esc(&t(lang, msg::HOSTED_STEPS)),
    );
    let done_text = format!(
        "<span class=\"visually-hidden\"> {}</span>",
        esc(&t(lang, msg::HOSTED_DONE))
    );
    for step in Step::FORM_STEPS {
        let done = step < user.step;
        let class = if done { " class=\"done\"" } else { "" };
        let current_attr = if step == current {
            " aria-current=\"step\""
        } else {
            ""
        };
        let title = esc(&t(lang, step.title()));
        let done_text = if done { done_text.as_str() } else { "" };
        if step <= user.step && step != current {
            let _ = write!(
                html,
                "<li{class}><a href=\"/verify/{}?step={}\">{title}</a>{done_text}</li>",
                esc(token),
                step.number()
            );
        } else {
            let _ = write!(html, "<li{class}{current_attr}>{title}{done_text}</li>");
        }
    }
    html.push_str("</ol></nav>");
    html
}

pub(super) fn step_page(
    lang: Lang,
    token: &str,
    user: &User,
    step: Step,
    status: StatusCode,
    values: &Form,
    errors: &[(&'static str, String)],
) -> Response {
    let token_attr = esc(token);
    let value = |name: &str, fallback: &str| -> String {
        if !errors.is_empty() && values.contains(name) {
            values.get(name).to_owned()
        } else {
            fallback.to_owned()
        }
    };
    let tr = |key| t(lang, key);
    let mut main = progress(lang, token, user, step);
    let _ = write!(main, "<h1>{}</h1>", esc(&tr(step.title())));
    main.push_str(&error_summary(lang, errors));
    let back = match step.number() {
        1 => String::new(),
        n => format!(
            "<a href=\"/verify/{token_attr}?step={}\">{}</a>",
            n - 1,
            esc(&tr(msg::HOSTED_BACK))
        ),
    };
    let continue_button = format!(
        "<button type=\"submit\">{}</button>",
        esc(&tr(msg::HOSTED_CONTINUE))
    );
    match step {
        Step::Personal => {
            let first = value("first_name", &user.first_name);
            let last = value("last_name", &user.last_name);
            let dob = value("date_of_birth", "");
            let phone = value("phone", "");
            let (dob_hint, phone_hint, tax_hint) = (
                tr(msg::HOSTED_DATE_OF_BIRTH_HINT),
                tr(msg::HOSTED_PHONE_HINT),
                tr(msg::HOSTED_TAX_ID_HINT),
            );
            let _ = write!(
                main,
                "<p>{}</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/personal\" novalidate>{}{}{}{}{}\
                 <div class=\"actions\">{continue_button}</div></form>",
                esc(&tr(msg::HOSTED_PERSONAL_INTRO)),
                Input::new("first_name", &tr(msg::HOSTED_FIRST_NAME), &first, "given-name")
                    .render(lang, errors),
                Input::new("last_name", &tr(msg::HOSTED_LAST_NAME), &last, "family-name")
                    .render(lang, errors),
                Input {
                    kind: "date",
                    hint: Some(&dob_hint),
                    ..Input::new("date_of_birth", &tr(msg::HOSTED_DATE_OF_BIRTH), &dob, "bday")
                }
                .render(lang, errors),
                Input {
                    kind: "tel",
                    hint: Some(&phone_hint),
                    ..Input::new("phone", &tr(msg::HOSTED_PHONE), &phone, "tel")
                }
                .render(lang, errors),
                Input {
                    hint: Some(&tax_hint),
                    extra: "inputmode=\"numeric\" spellcheck=\"false\"",
                    ..Input::new("ssn", &tr(msg::HOSTED_TAX_ID), "", "off")
                }
                .render(lang, errors),
            );
        }
        Step::GovernmentId => {
            let selected = value("id_type", "passport");
            let (mut select, attrs) = field_start(lang, "id_type", &tr(msg::HOSTED_ID_TYPE), None, errors);
            let _ = write!(
                select,
                "<select id=\"f-id_type\" name=\"id_type\" required{attrs}>"
            );
            for (value, label) in ID_TYPES {
                let sel = if value == selected { " selected" } else { "" };
                let _ = write!(
                    select,
                    "<option value=\"{value}\"{sel}>{}</option>",
                    esc(&tr(label))
                );
            }
            select.push_str("</select></div>");
            let _ = write!(
                main,
                "<p>{}</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/government-id\" enctype=\"multipart/form-data\" novalidate>\
                 {select}{}{}<div class=\"actions\">{continue_button}{back}</div></form>",
                esc(&tr(msg::HOSTED_ID_INTRO)),
                file_input(
                    lang,
                    "id_front",
                    &tr(msg::HOSTED_ID_FRONT),
                    &tr(msg::HOSTED_ID_FRONT_HINT),
                    "image/*,application/pdf",
                    errors
                ),
                choice(
                    "checkbox",
                    "use_sample_id",
                    "on",
                    &tr(msg::HOSTED_ID_SAMPLE),
                    values.checked("use_sample_id")
                ),
            );
        }
        Step::Selfie => {
            let _ = write!(
                main,
                "<p>{}</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/selfie\" enctype=\"multipart/form-data\" novalidate>{}{}\
                 <div class=\"actions\">{continue_button}{back}</div></form>",
                esc(&tr(msg::HOSTED_SELFIE_INTRO)),
                file_input(
                    lang,
                    "selfie",
                    &tr(msg::HOSTED_SELFIE_PHOTO),
                    &tr(msg::HOSTED_SELFIE_HINT),
                    "image/*",
                    errors
                ),
                choice(
                    "checkbox",
                    "liveness",
                    "on",
                    &tr(msg::HOSTED_SELFIE_LIVENESS),
                    values.checked("liveness")
                ),
            );
        }
        Step::Address | Step::Review => {
            let line1 = value("line1", "");
            let line2 = value("line2", "");
            let city = value("city", "");
            let region = value("state", "");
            let postal = value("postal_code", "");
            let country = value("country", "US");
            let country_hint = tr(msg::HOSTED_COUNTRY_HINT);
            let _ = write!(
                main,
                "<p>{}</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/address\" novalidate>{}{}{}{}{}{}\
                 <div class=\"actions\">{continue_button}{back}</div></form>",
                esc(&tr(msg::HOSTED_ADDRESS_INTRO)),
                Input::new("line1", &tr(msg::HOSTED_LINE1), &line1, "address-line1").render(lang, errors),
                Input {
                    required: false,
                    ..Input::new("line2", &tr(msg::HOSTED_LINE2), &line2, "address-line2")
                }
                .render(lang, errors),
                Input::new("city", &tr(msg::HOSTED_CITY), &city, "address-level2").render(lang, errors),
                Input::new("state", &tr(msg::HOSTED_REGION), &region, "address-level1").render(lang, errors),
                Input::new(
                    "postal_code",
                    &tr(msg::HOSTED_POSTAL_CODE),
                    &postal,
                    "postal-code"
                )
                .render(lang, errors),
                Input {
                    hint: Some(&country_hint),
                    extra: "maxlength=\"2\"",
                    ..Input::new("country", &tr(msg::HOSTED_COUNTRY), &country, "country")
                }
                .render(lang, errors),
            );
        }
    }
    page(
        lang,
        status,
        &title_of(lang, step.title(), !errors.is_empty()),
        &main,
    )
}

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

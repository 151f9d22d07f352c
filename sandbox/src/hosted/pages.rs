//! The hosted pages: the progress bar, one page per step, and the review with the decision
//! controls.

use super::render::*;
use super::*;

pub(super) fn progress(token: &str, user: &User, current: Step) -> String {
    let mut html = format!(
        "<p class=\"progress\">Step {} of 4</p><nav aria-label=\"Verification steps\"><ol class=\"steps\">",
        current.number()
    );
    for step in Step::FORM_STEPS {
        let done = step < user.step;
        let class = if done { " class=\"done\"" } else { "" };
        let current_attr = if step == current {
            " aria-current=\"step\""
        } else {
            ""
        };
        let title = step.title();
        let done_text = if done {
            "<span class=\"visually-hidden\"> (done)</span>"
        } else {
            ""
        };
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
    let mut main = progress(token, user, step);
    let _ = write!(main, "<h1>{}</h1>", step.title());
    main.push_str(&error_summary(errors));
    let back = match step.number() {
        1 => String::new(),
        n => format!("<a href=\"/verify/{token_attr}?step={}\">Back</a>", n - 1),
    };
    match step {
        Step::Personal => {
            let first = value("first_name", &user.first_name);
            let last = value("last_name", &user.last_name);
            let dob = value("date_of_birth", "");
            let phone = value("phone", "");
            let _ = write!(
                main,
                "<p>We need a few details to confirm who you are. Use your name exactly as it appears on your ID.</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/personal\" novalidate>{}{}{}{}{}\
                 <div class=\"actions\"><button type=\"submit\">Continue</button></div></form>",
                Input::new("first_name", "Legal first name", &first, "given-name").render(errors),
                Input::new("last_name", "Legal last name", &last, "family-name").render(errors),
                Input { kind: "date", hint: Some("For example 1990-04-27"), ..Input::new("date_of_birth", "Date of birth", &dob, "bday") }
                    .render(errors),
                Input { kind: "tel", hint: Some("Include the country code, like +1 555 010 0100"), ..Input::new("phone", "Phone number", &phone, "tel") }
                    .render(errors),
                Input {
                    hint: Some("US: 9-digit SSN or ITIN, like 123-45-6789. Elsewhere: your national tax ID. It is checked and never stored."),
                    extra: "inputmode=\"numeric\" spellcheck=\"false\"",
                    ..Input::new("ssn", "SSN or tax ID", "", "off")
                }
                .render(errors),
            );
        }
        Step::GovernmentId => {
            let selected = value("id_type", "passport");
            let (mut select, attrs) = field_start("id_type", "Type of ID", None, errors);
            let _ = write!(
                select,
                "<select id=\"f-id_type\" name=\"id_type\" required{attrs}>"
            );
            for (value, label) in ID_TYPES {
                let sel = if value == selected { " selected" } else { "" };
                let _ = write!(select, "<option value=\"{value}\"{sel}>{label}</option>");
            }
            select.push_str("</select></div>");
            let _ = write!(
                main,
                "<p>Upload a photo or scan of a valid government-issued ID.</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/government-id\" enctype=\"multipart/form-data\" novalidate>\
                 {select}{}{}<div class=\"actions\"><button type=\"submit\">Continue</button>{back}</div></form>",
                file_input(
                    "id_front",
                    "Front of your ID",
                    "JPEG, PNG or PDF. In the sandbox any file works; its content is discarded.",
                    "image/*,application/pdf",
                    errors
                ),
                choice(
                    "checkbox",
                    "use_sample_id",
                    "on",
                    "Use a sample ID instead (sandbox only)",
                    values.checked("use_sample_id")
                ),
            );
        }
        Step::Selfie => {
            let _ = write!(
                main,
                "<p>A quick selfie confirms that you are the person on the ID (liveness check).</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/selfie\" enctype=\"multipart/form-data\" novalidate>{}{}\
                 <div class=\"actions\"><button type=\"submit\">Continue</button>{back}</div></form>",
                file_input(
                    "selfie",
                    "Selfie photo",
                    "A clear photo of your face. In the sandbox any image works; its content is discarded.",
                    "image/*",
                    errors
                ),
                choice(
                    "checkbox",
                    "liveness",
                    "on",
                    "Take selfie (simulated)",
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
            let _ = write!(
                main,
                "<p>Where you live now. A PO box is not accepted.</p>\
                 <form method=\"post\" action=\"/verify/{token_attr}/address\" novalidate>{}{}{}{}{}{}\
                 <div class=\"actions\"><button type=\"submit\">Continue</button>{back}</div></form>",
                Input::new("line1", "Street address", &line1, "address-line1").render(errors),
                Input {
                    required: false,
                    ..Input::new(
                        "line2",
                        "Apartment, suite, etc. (optional)",
                        &line2,
                        "address-line2"
                    )
                }
                .render(errors),
                Input::new("city", "City or town", &city, "address-level2").render(errors),
                Input::new("state", "State, province or region", &region, "address-level1").render(errors),
                Input::new("postal_code", "Postal code", &postal, "postal-code").render(errors),
                Input {
                    hint: Some("Two-letter code, like US"),
                    extra: "maxlength=\"2\"",
                    ..Input::new("country", "Country", &country, "country")
                }
                .render(errors),
            );
        }
    }
    let title = if errors.is_empty() {
        step.title().to_owned()
    } else {
        format!("Error: {}", step.title())
    };
    page(status, &title, &main)
}

pub(super) fn review_page(
    inner: &Inner,
    token: &str,
    user: &User,
    status: StatusCode,
    values: &Form,
    errors: &[(&'static str, String)],
    document_errors: &[(&'static str, String)],
) -> Response {
    let token_attr = esc(token);
    let has_values = !errors.is_empty();
    let value = |name: &str, fallback: &str| -> String {
        if has_values && values.contains(name) {
            values.get(name).to_owned()
        } else {
            fallback.to_owned()
        }
    };
    let mut main = String::from("<h1>Sandbox controls</h1>");
    main.push_str(&error_summary(errors));
    main.push_str(&error_summary(document_errors));
    let _ = write!(
        main,
        "<p class=\"status\" role=\"status\">All four steps are complete. Current status: <strong>{}</strong> (<code>{}</code>).{}</p>",
        esc(user.status.label()),
        esc(user.status.as_str()),
        user.scheduled
            .as_deref()
            .map_or(String::new(), |s| format!(" Scheduled: {}.", esc(s))),
    );
    if user.status == ApplicationStatus::NeedsInformation && !user.required_fields.is_empty() {
        main.push_str(
            "<section aria-labelledby=\"docs-title\"><h2 id=\"docs-title\">Upload requested documents</h2>",
        );
        let _ = write!(
            main,
            "<form id=\"f-documents\" method=\"post\" action=\"/verify/{token_attr}/documents\" enctype=\"multipart/form-data\" novalidate>"
        );
        for field in &user.required_fields {
            // Each required field gets its own input, named after the field.
            let label = REQUESTABLE
                .iter()
                .find(|(v, _)| v == field)
                .map_or(field.as_str(), |(_, l)| l);
            let _ = write!(
                main,
                "<div class=\"field\"><label for=\"f-doc-{name}\">{label}</label>\
                 <input id=\"f-doc-{name}\" name=\"{name}\" type=\"file\" accept=\"image/*,application/pdf\"></div>",
                name = esc(field),
                label = esc(label),
            );
        }
        main.push_str(&choice(
            "checkbox",
            "use_samples",
            "on",
            "Use sample documents (sandbox only)",
            false,
        ));
        main.push_str(
            "<div class=\"actions\"><button type=\"submit\">Upload documents</button></div></form></section>",
        );
    }
    let outcome = value("outcome", "approve");
    let mut outcomes = String::new();
    for (v, label) in [
        ("approve", "Approve"),
        ("deny", "Deny (uses the reason below)"),
        (
            "needs_information",
            "Needs information (request the documents below)",
        ),
        ("needs_verification", "Needs verification (the user starts again)"),
        ("manual_review", "Manual review, then approve or deny"),
        ("lock", "Lock the account"),
    ] {
        outcomes.push_str(&choice("radio", "outcome", v, label, outcome == v));
    }
    let chosen_fields: Vec<&str> = values.all("required_fields").collect();
    let mut fields = String::new();
    for (v, label) in REQUESTABLE {
        fields.push_str(&choice(
            "checkbox",
            "required_fields",
            v,
            label,
            chosen_fields.contains(&v),
        ));
    }
    let review_outcome = value("review_outcome", "approve");
    let mut review = String::new();
    for (v, label) in [
        ("approve", "Then approve"),
        ("deny", "Then deny (with the reason above)"),
    ] {
        review.push_str(&choice("radio", "review_outcome", v, label, review_outcome == v));
    }
    let webhooks = value("webhooks", "normal");
    let mut modes = String::new();
    for (v, label) in [
        ("normal", "Normal: each event once, right away"),
        ("duplicate", "Duplicate: each event twice, same id"),
        ("late", "Late: each event after the delay below"),
        (
            "reversed",
            "Reversed: for a manual review, the final event before the review one",
        ),
        ("skip", "Skip: change the status without any webhook"),
    ] {
        modes.push_str(&choice("radio", "webhooks", v, label, webhooks == v));
    }
    let reason = value("reason", DENIAL_REASONS[0]);
    let review_seconds = value("review_seconds", "10");
    let delay_seconds = value("delay_seconds", "0");
    let webhook_delay = value("webhook_delay_seconds", "5");
    let mut reasons = String::from("<datalist id=\"denial-reasons\">");
    for r in DENIAL_REASONS {
        let _ = write!(reasons, "<option value=\"{r}\">");
    }
    reasons.push_str("</datalist>");
    let number = "min=\"0\" max=\"86400\" step=\"1\" inputmode=\"numeric\"";
    let _ = write!(
        main,
        "<section aria-labelledby=\"outcome-title\"><h2 id=\"outcome-title\">Choose the outcome</h2>\
         <p>Real LedgerOS reviews the application now. Here you decide what happens; the status changes, \
         a signed webhook goes to the app and you return to the app.</p>\
         <form method=\"post\" action=\"/verify/{token_attr}/decision\" novalidate>\
         {}{}{reasons}{}\
         {}{}\
         <details{}><summary>Webhook delivery (advanced)</summary>{}{}</details>\
         <div class=\"actions\"><button type=\"submit\">Submit verification</button>\
         <a href=\"{}\">Return to the app without deciding</a></div></form></section>",
        choices("outcome", "Outcome", &outcomes, errors),
        Input {
            required: false,
            extra: "list=\"denial-reasons\"",
            ..Input::new("reason", "Denial reason (for deny)", &reason, "off")
        }
        .render(errors),
        choices(
            "required_fields",
            "Documents to request (for needs information)",
            &fields,
            errors
        ),
        choices(
            "review_outcome",
            "Manual review",
            &format!(
                "{review}{}",
                Input {
                    kind: "number",
                    required: false,
                    extra: number,
                    ..Input::new("review_seconds", "Review takes (seconds)", &review_seconds, "off")
                }
                .render(errors)
            ),
            errors
        ),
        Input {
            kind: "number",
            required: false,
            extra: number,
            hint: Some("How long the application stays as it is before the outcome applies"),
            ..Input::new(
                "delay_seconds",
                "Delay before the outcome (seconds)",
                &delay_seconds,
                "off"
            )
        }
        .render(errors),
        if webhooks != "normal" || error_for(errors, "webhook_delay_seconds").is_some() {
            " open"
        } else {
            ""
        },
        choices("webhooks", "Delivery", &modes, errors),
        Input {
            kind: "number",
            required: false,
            extra: number,
            ..Input::new(
                "webhook_delay_seconds",
                "Late by (seconds)",
                &webhook_delay,
                "off"
            )
        }
        .render(errors),
        esc(&inner.config.return_url()),
    );
    let title = if errors.is_empty() && document_errors.is_empty() {
        "Sandbox controls"
    } else {
        "Error: Sandbox controls"
    };
    page(status, title, &main)
}

//! The hosted pages as HTML: steps, the review and decision controls, and their styles.

use super::*;

// ---------------------------------------------------------------------------------------
// Rendering

pub(super) fn verify_path(token: &str) -> String {
    format!("/verify/{token}")
}

pub(crate) use onboarding::html::escape as esc;

pub(super) fn page(status: StatusCode, title: &str, main: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} \u{b7} LedgerOS Sandbox</title><style>{CSS}</style></head><body>\
         <header class=\"banner\"><strong>LedgerOS Sandbox</strong> \u{b7} Test environment: no real identity \
         check happens, and nothing you enter is kept.</header>\
         <main>{main}</main></body></html>",
        title = esc(title),
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

pub(super) fn invalid_link() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Link not valid",
        "<h1>This verification link is not valid</h1>\
         <p>Go back to the app and open the verification again to get a fresh link.</p>",
    )
}

pub(super) fn bad_request(message: &str) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "Something went wrong",
        &format!("<h1>Something went wrong</h1><p>{}</p>", esc(message)),
    )
}

pub(super) fn error_summary(errors: &[(&'static str, String)]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut html = String::from(
        "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\">\
         <h2 id=\"error-summary-title\">There is a problem</h2><ul>",
    );
    for (name, message) in errors {
        let _ = write!(html, "<li><a href=\"#f-{name}\">{}</a></li>", esc(message));
    }
    html.push_str("</ul></div>");
    html
}

pub(super) fn error_for<'a>(errors: &'a [(&'static str, String)], name: &str) -> Option<&'a str> {
    errors.iter().find(|(n, _)| *n == name).map(|(_, m)| m.as_str())
}

/// Opening of a form field: wrapper, label, hint and error; returns it with the
/// `aria-describedby` / `aria-invalid` attributes for the control.
pub(super) fn field_start(
    name: &str,
    label: &str,
    hint: Option<&str>,
    errors: &[(&'static str, String)],
) -> (String, String) {
    let error = error_for(errors, name);
    let mut html = format!(
        "<div class=\"field{}\"><label for=\"f-{name}\">{}</label>",
        if error.is_some() { " invalid" } else { "" },
        esc(label)
    );
    let mut described = Vec::new();
    if let Some(hint) = hint {
        let _ = write!(html, "<p class=\"hint\" id=\"f-{name}-hint\">{}</p>", esc(hint));
        described.push(format!("f-{name}-hint"));
    }
    if let Some(error) = error {
        let _ = write!(
            html,
            "<p class=\"field-error\" id=\"f-{name}-error\"><span class=\"visually-hidden\">Error: </span>{}</p>",
            esc(error)
        );
        described.push(format!("f-{name}-error"));
    }
    let mut attrs = String::new();
    if !described.is_empty() {
        let _ = write!(attrs, " aria-describedby=\"{}\"", described.join(" "));
    }
    if error.is_some() {
        attrs.push_str(" aria-invalid=\"true\"");
    }
    (html, attrs)
}

pub(super) struct Input<'a> {
    name: &'static str,
    label: &'a str,
    kind: &'a str,
    value: &'a str,
    autocomplete: &'a str,
    hint: Option<&'a str>,
    /// Marks the control `required` (forms are `novalidate`: the server does the checking).
    required: bool,
    extra: &'a str,
}

impl<'a> Input<'a> {
    fn new(name: &'static str, label: &'a str, value: &'a str, autocomplete: &'a str) -> Self {
        Input {
            name,
            label,
            kind: "text",
            value,
            autocomplete,
            hint: None,
            required: true,
            extra: "",
        }
    }

    fn render(&self, errors: &[(&'static str, String)]) -> String {
        let (mut html, attrs) = field_start(self.name, self.label, self.hint, errors);
        let _ = write!(
            html,
            "<input id=\"f-{name}\" name=\"{name}\" type=\"{kind}\" value=\"{value}\" autocomplete=\"{ac}\"{req}{attrs} {extra}></div>",
            name = self.name,
            kind = self.kind,
            value = esc(self.value),
            ac = self.autocomplete,
            req = if self.required { " required" } else { "" },
            extra = self.extra,
        );
        html
    }
}

pub(super) fn file_input(
    name: &str,
    label: &str,
    hint: &str,
    accept: &str,
    errors: &[(&'static str, String)],
) -> String {
    let (mut html, attrs) = field_start(name, label, Some(hint), errors);
    let _ = write!(
        html,
        "<input id=\"f-{name}\" name=\"{name}\" type=\"file\" accept=\"{accept}\"{attrs}></div>"
    );
    html
}

/// A radio button or checkbox with its label.
pub(super) fn choice(kind: &str, name: &str, value: &str, label: &str, checked: bool) -> String {
    format!(
        "<div class=\"choice\"><input type=\"{kind}\" id=\"f-{name}-{value}\" name=\"{name}\" value=\"{value}\"{}>\
         <label for=\"f-{name}-{value}\">{}</label></div>",
        if checked { " checked" } else { "" },
        esc(label),
    )
}

/// A group of radios or checkboxes, with its legend and error.
pub(super) fn choices(name: &str, legend: &str, body: &str, errors: &[(&'static str, String)]) -> String {
    let error = error_for(errors, name).map_or(String::new(), |e| {
        format!(
            "<p class=\"field-error\"><span class=\"visually-hidden\">Error: </span>{}</p>",
            esc(e)
        )
    });
    format!(
        "<fieldset id=\"f-{name}\" class=\"{}\"><legend>{}</legend>{error}{body}</fieldset>",
        if error.is_empty() { "" } else { "invalid" },
        esc(legend)
    )
}

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

pub(super) const CSS: &str = "\
:root{--ink:#1b1f24;--muted:#4b5563;--line:#6b7280;--accent:#1d4ed8;--accent-dark:#1e3a8a;--error:#b91c1c;--bg:#f3f4f6}\
*{box-sizing:border-box}\
body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:var(--ink);background:var(--bg)}\
.banner{background:#fde68a;color:#422006;padding:.6rem 1rem;text-align:center;border-bottom:2px solid #b45309}\
main{max-width:40rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}\
@media (max-width:42rem){main{margin:0;border-radius:0;box-shadow:none;padding:1rem}}\
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}\
.progress{color:var(--muted);margin:0;font-weight:600}\
ol.steps{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding:0;margin:.25rem 0 1rem;list-style:none;font-size:.9rem;color:var(--muted)}\
ol.steps li[aria-current]{color:var(--ink);font-weight:700}\
ol.steps li.done::before{content:\"\\2713  \"}\
.field{margin:0 0 1rem}\
label,legend{display:block;font-weight:600;margin-bottom:.25rem}\
.hint{color:var(--muted);margin:0 0 .25rem;font-size:.9rem}\
input[type=text],input[type=email],input[type=tel],input[type=date],input[type=number],select{width:100%;padding:.55rem .6rem;font:inherit;border:1px solid var(--line);border-radius:.3rem;background:#fff;color:var(--ink)}\
input[type=file]{font:inherit;max-width:100%}\
fieldset{border:1px solid #d1d5db;border-radius:.4rem;margin:0 0 1rem;padding:.75rem 1rem}\
.choice{display:flex;gap:.5rem;align-items:flex-start;margin:.35rem 0}\
.choice label{font-weight:400;margin:0}\
.choice input{margin-top:.25rem;width:1.1rem;height:1.1rem;flex:none}\
details{margin:0 0 1rem}summary{cursor:pointer;font-weight:600;margin-bottom:.5rem}\
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}\
button{font:inherit;font-weight:600;padding:.65rem 1.4rem;border:0;border-radius:.3rem;background:var(--accent);color:#fff;cursor:pointer}\
button:hover{background:var(--accent-dark)}\
.actions{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin-top:1.25rem}\
a{color:var(--accent)}\
.error-summary{border:3px solid var(--error);padding:.75rem 1rem;margin:0 0 1rem;border-radius:.3rem}\
.error-summary h2{font-size:1.1rem;margin:0 0 .25rem;color:var(--error)}\
.error-summary a{color:var(--error);font-weight:600}\
.field-error{color:var(--error);font-weight:600;margin:0 0 .25rem}\
.invalid input:not([type=radio]):not([type=checkbox]),.invalid select{border:2px solid var(--error)}\
fieldset.invalid{border:2px solid var(--error)}\
.status{padding:.75rem 1rem;background:#eef2ff;border-left:4px solid var(--accent);margin:0 0 1rem}\
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #e5e7eb}\
";

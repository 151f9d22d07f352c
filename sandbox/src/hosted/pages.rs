//! The hosted pages: the progress bar and one page per step (the controls page that follows
//! them is in [`super::review`]).

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

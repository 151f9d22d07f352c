//! The hosted pages' HTML building blocks (page shell, fields, errors) and their styles; the
//! pages themselves are in [`super::pages`].

use super::*;

// ---------------------------------------------------------------------------------------
// Rendering

pub(super) fn verify_path(token: &str) -> String {
    format!("/verify/{token}")
}

pub(crate) use onboarding::html::escape as esc;

pub(super) fn page(lang: Lang, status: StatusCode, title: &str, main: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"{code}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} \u{b7} LedgerOS Sandbox</title><style>{CSS}</style></head><body>\
         <header class=\"banner\"><strong>LedgerOS Sandbox</strong> \u{b7} {banner}</header>\
         <main>{main}</main></body></html>",
        code = lang.code(),
        dir = lang.dir(),
        title = esc(title),
        banner = esc(&t(lang, msg::HOSTED_BANNER)),
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    response
}

/// A page's title, marked when the page shows errors.
pub(super) fn title_of(lang: Lang, title: Key, has_errors: bool) -> String {
    let title = t(lang, title);
    if has_errors {
        t_with(lang, msg::HOSTED_ERROR_TITLE, &[("title", title.as_str().into())])
    } else {
        title
    }
}

pub(super) fn invalid_link(lang: Lang) -> Response {
    page(
        lang,
        StatusCode::NOT_FOUND,
        &t(lang, msg::HOSTED_INVALID_TITLE),
        &format!(
            "<h1>{}</h1><p>{}</p>",
            esc(&t(lang, msg::HOSTED_INVALID_HEADING)),
            esc(&t(lang, msg::HOSTED_INVALID_BODY))
        ),
    )
}

/// A request the page cannot read (a broken upload): `message` is the parser's own words.
pub(super) fn bad_request(lang: Lang, message: &str) -> Response {
    let title = t(lang, msg::HOSTED_WRONG);
    page(
        lang,
        StatusCode::BAD_REQUEST,
        &title,
        &format!("<h1>{}</h1><p>{}</p>", esc(&title), esc(message)),
    )
}

pub(super) fn error_summary(lang: Lang, errors: &[(&'static str, String)]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\" autofocus>\
         <h2 id=\"error-summary-title\">{}</h2><ul>",
        esc(&t(lang, msg::HOSTED_PROBLEM))
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
    lang: Lang,
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
            "<p class=\"field-error\" id=\"f-{name}-error\"><span class=\"visually-hidden\">{}</span>{}</p>",
            esc(&t(lang, msg::HOSTED_ERROR_PREFIX)),
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
    pub(super) name: &'static str,
    pub(super) label: &'a str,
    pub(super) kind: &'a str,
    pub(super) value: &'a str,
    pub(super) autocomplete: &'a str,
    pub(super) hint: Option<&'a str>,
    /// Marks the control `required` (forms are `novalidate`: the server does the checking).
    pub(super) required: bool,
    pub(super) extra: &'a str,
}

impl<'a> Input<'a> {
    pub(super) fn new(name: &'static str, label: &'a str, value: &'a str, autocomplete: &'a str) -> Self {
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

    pub(super) fn render(&self, lang: Lang, errors: &[(&'static str, String)]) -> String {
        let (mut html, attrs) = field_start(lang, self.name, self.label, self.hint, errors);
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
    lang: Lang,
    name: &str,
    label: &str,
    hint: &str,
    accept: &str,
    errors: &[(&'static str, String)],
) -> String {
    let (mut html, attrs) = field_start(lang, name, label, Some(hint), errors);
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
pub(super) fn choices(
    lang: Lang,
    name: &str,
    legend: &str,
    body: &str,
    errors: &[(&'static str, String)],
) -> String {
    let error = error_for(errors, name).map_or(String::new(), |e| {
        format!(
            "<p class=\"field-error\"><span class=\"visually-hidden\">{}</span>{}</p>",
            esc(&t(lang, msg::HOSTED_ERROR_PREFIX)),
            esc(e)
        )
    });
    format!(
        "<fieldset id=\"f-{name}\" class=\"{}\"><legend>{}</legend>{error}{body}</fieldset>",
        if error.is_empty() { "" } else { "invalid" },
        esc(legend)
    )
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
.inline{display:inline-block;margin-block:0 .5rem;margin-inline:0 .5rem}\
.error-summary{border:3px solid var(--error);padding:.75rem 1rem;margin:0 0 1rem;border-radius:.3rem}\
.error-summary h2{font-size:1.1rem;margin:0 0 .25rem;color:var(--error)}\
.error-summary a{color:var(--error);font-weight:600}\
.field-error{color:var(--error);font-weight:600;margin:0 0 .25rem}\
.invalid input:not([type=radio]):not([type=checkbox]),.invalid select{border:2px solid var(--error)}\
fieldset.invalid{border:2px solid var(--error)}\
.status{padding:.75rem 1rem;background:#eef2ff;border-inline-start:4px solid var(--accent);margin:0 0 1rem}\
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
table{border-collapse:collapse;width:100%}th,td{text-align:start;padding:.4rem;border-bottom:1px solid #e5e7eb}\
";

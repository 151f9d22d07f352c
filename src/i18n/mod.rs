//! The applicant's language: English, Spanish or Arabic (right to left).
//!
//! Every word applicants read lives in the Fluent files beside this module,
//! `src/i18n/{en,es,ar}/*.ftl`, one folder per language with the same files. Code names a
//! message by a constant of [`msg`], which `build.rs` writes from the English files: a message
//! that does not exist fails to compile. A test checks that every language has every message,
//! with the same variables, and that each file parses.
//!
//! Fluent (Project Fluent's `fluent-bundle`) rather than `leptos_i18n`: the same messages are
//! read by the Leptos pages, the emails the store queues, the form checks and the sandbox's
//! hosted pages, most of which are not Leptos code; Fluent's plurals follow CLDR (Arabic has
//! six forms); and translators know the format. Everything is rendered on the server: the one
//! island receives finished HTML, so no message is shipped to the browser.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n_messages.rs"));
}

/// The messages, by name: `msg::LANDING_TITLE` is `landing-title` in the Fluent files.
pub mod msg {
    pub use super::generated::keys::*;
}

/// A message's name in the Fluent files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(pub &'static str);

/// A language the app speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
    Ar,
}

/// The cookie that remembers the language chosen with the switcher.
pub const LANG_COOKIE: &str = "lang";

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Ar];

    /// The BCP 47 code, for `<html lang>`, the cookie and the database.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Ar => "ar",
        }
    }

    /// `ltr` or `rtl`, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Ar => "العربية",
        }
    }

    /// The English name, for the console.
    pub fn english_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Spanish",
            Lang::Ar => "Arabic",
        }
    }

    /// A language from a tag such as `es`, `es-MX` or `AR`: its primary subtag decides.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The first language of an `Accept-Language` header, by quality (`q`), that we speak;
    /// `q=0` means "not this one".
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        accept_language::parse_with_quality(header)
            .into_iter()
            .filter(|(_, quality)| *quality > 0.0)
            .find_map(|(tag, _)| Lang::parse(&tag))
    }

    /// The language to speak: the one saved on the account, else the switcher's cookie, else
    /// the browser's `Accept-Language`, else English.
    pub fn choose(saved: Option<Lang>, cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        saved
            .or_else(|| cookie.and_then(Lang::parse))
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A value for a message's variable: text, or a number (which also picks the plural form).
#[derive(Clone, Debug)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Arg<'_> {
    fn from(text: String) -> Self {
        Arg::Text(Cow::Owned(text))
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Number(n as i64)
    }
}

/// The message `key` in `lang`, without variables.
pub fn t(lang: Lang, key: Key) -> String {
    format(lang, key, None)
}

/// The message `key` in `lang`, with its variables.
pub fn t_with(lang: Lang, key: Key, args: &[(&str, Arg<'_>)]) -> String {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        let value = match value {
            Arg::Text(text) => FluentValue::from(text.as_ref()),
            Arg::Number(n) => FluentValue::from(*n),
        };
        fluent_args.set(*name, value);
    }
    format(lang, key, Some(&fluent_args))
}

fn format(lang: Lang, key: Key, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = &BUNDLES[lang as usize];
    let Some(pattern) = bundle.get_message(key.0).and_then(|m| m.value()) else {
        // The completeness test keeps this from happening; say something rather than nothing.
        return match lang {
            Lang::En => key.0.to_owned(),
            _ => format(Lang::En, key, args),
        };
    };
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, args, &mut errors).into_owned()
}

/// A day in words in `lang`, UTC: "30 November 2026", "30 de noviembre de 2026",
/// "٣٠ نوفمبر ٢٠٢٦".
pub fn date_long(lang: Lang, at_ms: i64) -> String {
    let (year, month, day) = civil_date(at_ms.div_euclid(86_400_000));
    t_with(
        lang,
        msg::DATE_LONG,
        &[
            ("day", Arg::from(day)),
            ("month", Arg::from(month)),
            ("year", Arg::from(year)),
        ],
    )
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`): arithmetic the browser build can do without a date library.
fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Digits as the language writes them: Arabic-Indic in Arabic (CLDR's default numbering for
/// `ar`), Western elsewhere.
pub fn digits(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Ar => text
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                other => other,
            })
            .collect(),
        _ => text.to_owned(),
    }
}

/// Numbers in messages go through [`digits`].
fn number_format<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(digits(Lang::Ar, &n.as_string())),
        _ => None,
    }
}

/// One bundle per language, in [`Lang::ALL`]'s order, parsed on first use.
static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let tag = lang.code().parse().expect("our language codes are valid tags");
            let mut bundle = FluentBundle::new_concurrent(vec![tag]);
            // Bidi isolation marks around variables matter where a right-to-left sentence holds
            // a left-to-right name or address; elsewhere they would only be noise.
            bundle.set_use_isolating(lang.dir() == "rtl");
            if lang == Lang::Ar {
                bundle.set_formatter(Some(number_format));
            }
            for (file, source) in generated::sources(lang.code()) {
                let resource = FluentResource::try_new((*source).to_owned())
                    .unwrap_or_else(|(_, errors)| panic!("src/i18n/{lang}/{file}: {errors:?}"));
                bundle
                    .add_resource(resource)
                    .unwrap_or_else(|errors| panic!("src/i18n/{lang}/{file}: {errors:?}"));
            }
            bundle
        })
        .collect()
});

#[cfg(test)]
mod tests;

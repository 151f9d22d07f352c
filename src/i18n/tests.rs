use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// Each message of a language's files with the variables it uses (`$name`).
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut messages = BTreeMap::new();
    for (file, text) in generated::sources(lang.code()) {
        let mut current: Option<String> = None;
        for line in text.lines() {
            let starts_entry = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            if starts_entry {
                let (id, _) = line
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{lang}/{file}: {line}"));
                let id = id.trim().to_owned();
                assert!(
                    messages.insert(id.clone(), BTreeSet::new()).is_none(),
                    "{lang}/{file}: {id} twice"
                );
                current = Some(id);
            } else if line.starts_with('#') || line.starts_with('-') {
                current = None;
            }
            if let Some(id) = &current {
                let variables = messages.get_mut(id).expect("inserted above");
                for (at, _) in line.match_indices('$') {
                    let name: String = line[at + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    variables.insert(name);
                }
            }
        }
    }
    messages
}

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let english = messages(Lang::En);
    assert!(english.len() > 50, "{}", english.len());
    for lang in [Lang::Es, Lang::Ar] {
        let other = messages(lang);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang} has messages English does not: {extra:?}"
        );
        for (id, variables) in &english {
            assert_eq!(&other[id], variables, "{lang}: {id} uses other variables");
        }
    }
}

#[test]
fn every_message_formats_without_errors_in_every_language() {
    for lang in Lang::ALL {
        let bundle = &BUNDLES[lang as usize];
        for (id, variables) in messages(lang) {
            let message = bundle.get_message(&id).unwrap_or_else(|| panic!("{lang}: {id}"));
            let pattern = message
                .value()
                .unwrap_or_else(|| panic!("{lang}: {id} has no value"));
            let mut args = FluentArgs::new();
            for name in &variables {
                args.set(name.clone(), FluentValue::from(3));
            }
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
            assert!(errors.is_empty(), "{lang}: {id}: {errors:?}");
            assert!(!text.trim().is_empty(), "{lang}: {id} is empty");
        }
    }
}

#[test]
fn the_saved_language_wins_then_the_cookie_then_the_browser() {
    assert_eq!(Lang::choose(Some(Lang::Ar), Some("es"), Some("en")), Lang::Ar);
    assert_eq!(Lang::choose(None, Some("es"), Some("ar")), Lang::Es);
    assert_eq!(Lang::choose(None, Some("klingon"), Some("ar")), Lang::Ar);
    assert_eq!(Lang::choose(None, None, Some("fr-FR, de;q=0.9")), Lang::En);
    assert_eq!(Lang::choose(None, None, None), Lang::En);
}

#[test]
fn accept_language_is_read_by_quality() {
    assert_eq!(
        Lang::from_accept_language("es-MX,es;q=0.9,en;q=0.8"),
        Some(Lang::Es)
    );
    assert_eq!(Lang::from_accept_language("en;q=0.5, ar-SA"), Some(Lang::Ar));
    assert_eq!(
        Lang::from_accept_language("fr, es;q=0.3, en;q=0.2"),
        Some(Lang::Es)
    );
    assert_eq!(Lang::from_accept_language("es;q=0, en;q=0.1"), Some(Lang::En));
    assert_eq!(Lang::from_accept_language("*"), None);
    assert_eq!(Lang::from_accept_language(""), None);
}

#[test]
fn arabic_is_right_to_left_with_its_own_digits() {
    assert_eq!(Lang::Ar.dir(), "rtl");
    assert_eq!(Lang::Es.dir(), "ltr");
    assert_eq!(digits(Lang::Ar, "5–10"), "٥–١٠");
    assert_eq!(digits(Lang::Es, "5–10"), "5–10");
    assert_eq!(Lang::parse("AR-eg"), Some(Lang::Ar));
}

#[test]
fn variables_are_filled_in() {
    let name = [("name", Arg::from("Ada"))];
    assert_eq!(t_with(Lang::En, msg::NAV_SIGNED_IN_AS, &name), "Signed in as Ada");
    assert_eq!(
        t_with(Lang::Es, msg::NAV_SIGNED_IN_AS, &name),
        "Sesión iniciada como Ada"
    );
    // In Arabic the name is isolated, so a left-to-right name keeps its own direction.
    assert_eq!(
        t_with(Lang::Ar, msg::NAV_SIGNED_IN_AS, &name),
        "مسجّل الدخول باسم \u{2068}Ada\u{2069}"
    );
}

#[test]
fn dates_read_as_words_in_each_language() {
    // 2026-11-30 17:05:09 UTC
    let at = 1_796_058_309_000;
    assert_eq!(date_long(Lang::En, at), "30 November 2026");
    assert_eq!(date_long(Lang::Es, at), "30 de noviembre de 2026");
    assert_eq!(
        date_long(Lang::Ar, at),
        "\u{2068}٣٠\u{2069} \u{2068}نوفمبر\u{2069} \u{2068}٢٠٢٦\u{2069}"
    );
    // The same day as the time crate says, on every day of four centuries around now.
    for day in (-100 * 365..300 * 365).step_by(5) {
        let ms = i64::from(day) * 86_400_000;
        assert_eq!(
            date_long(Lang::En, ms),
            crate::clock::date_in_words(ms),
            "day {day}"
        );
    }
}

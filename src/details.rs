//! Personal details LedgerOS may ask for again: `requiredFields` that name no document
//! (`firstName`, `lastName`, `dateOfBirth`, `address`). People see them with plain labels in a
//! form; the server checks the form and sends it with `PATCH /v1/verification/user/{id}`.

use serde::{Deserialize, Serialize};

/// A detail LedgerOS can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetailField {
    FirstName,
    LastName,
    DateOfBirth,
    Address,
}

impl DetailField {
    pub const ALL: [Self; 4] = [Self::FirstName, Self::LastName, Self::DateOfBirth, Self::Address];

    /// The name in `requiredFields`; the address may be named as a whole or by a part of it.
    pub fn parse(wire: &str) -> Option<Self> {
        match wire {
            "firstName" => Some(Self::FirstName),
            "lastName" => Some(Self::LastName),
            "dateOfBirth" => Some(Self::DateOfBirth),
            "address" | "address.line1" | "address.city" | "address.postalCode" | "address.state"
            | "address.country" => Some(Self::Address),
            _ => None,
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::FirstName => "Legal first name",
            Self::LastName => "Legal last name",
            Self::DateOfBirth => "Date of birth",
            Self::Address => "Home address",
        }
    }

    /// The detail's name in the applicant's language.
    pub fn label_in(self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::msg;
        let key = match self {
            Self::FirstName => msg::DETAIL_FIRST_NAME,
            Self::LastName => msg::DETAIL_LAST_NAME,
            Self::DateOfBirth => msg::DETAIL_DATE_OF_BIRTH,
            Self::Address => msg::DETAIL_ADDRESS,
        };
        crate::i18n::t(lang, key)
    }

    /// The details among `required_fields`, each once, in form order.
    pub fn requested(required_fields: &[String]) -> Vec<Self> {
        let asked: Vec<Self> = required_fields.iter().filter_map(|f| Self::parse(f)).collect();
        Self::ALL.into_iter().filter(|d| asked.contains(d)).collect()
    }
}

/// What the details form posts. Every field may be missing: only the requested ones are shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    /// `YYYY-MM-DD`, as a date input sends it.
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub country: String,
}

impl DetailsForm {
    /// The values to show again after an error.
    pub fn values(&self) -> Vec<(String, String)> {
        [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("date_of_birth", &self.date_of_birth),
            ("line1", &self.line1),
            ("line2", &self.line2),
            ("city", &self.city),
            ("state", &self.state),
            ("postal_code", &self.postal_code),
            ("country", &self.country),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }
}

#[cfg(feature = "domain")]
pub use check::validate;

#[cfg(feature = "domain")]
mod check {
    use super::{DetailField, DetailsForm};
    use crate::forms::{FieldErrors, NameField};
    use crate::i18n::{Arg, Key, Lang, msg, t, t_with};
    use crate::ledger::{Address, UpdateVerification};

    const NAME_MAX_CHARS: usize = 100;
    const LINE_MAX_CHARS: usize = 200;

    /// Checks the requested details and builds the update for LedgerOS; per-field errors
    /// people can act on otherwise. Fields that were not requested are ignored.
    pub fn validate(
        form: &DetailsForm,
        requested: &[DetailField],
        lang: Lang,
    ) -> Result<UpdateVerification, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut update = UpdateVerification::default();
        for detail in requested {
            match detail {
                DetailField::FirstName => {
                    update.first_name = name(
                        &mut errors,
                        "first_name",
                        &form.first_name,
                        NameField::LegalFirst,
                        lang,
                    );
                }
                DetailField::LastName => {
                    update.last_name = name(
                        &mut errors,
                        "last_name",
                        &form.last_name,
                        NameField::LegalLast,
                        lang,
                    );
                }
                DetailField::DateOfBirth => match date_of_birth(form.date_of_birth.trim()) {
                    Ok(date) => update.date_of_birth = Some(date),
                    Err(problem) => errors.add("date_of_birth", t(lang, problem)),
                },
                DetailField::Address => {
                    let line1 = text(
                        &mut errors,
                        "line1",
                        &form.line1,
                        LINE_MAX_CHARS,
                        msg::ERROR_LINE1_MISSING,
                        lang,
                    );
                    let city = text(
                        &mut errors,
                        "city",
                        &form.city,
                        NAME_MAX_CHARS,
                        msg::ERROR_CITY_MISSING,
                        lang,
                    );
                    let state = text(
                        &mut errors,
                        "state",
                        &form.state,
                        NAME_MAX_CHARS,
                        msg::ERROR_STATE_MISSING,
                        lang,
                    );
                    let postal_code = text(
                        &mut errors,
                        "postal_code",
                        &form.postal_code,
                        20,
                        msg::ERROR_POSTAL_CODE_MISSING,
                        lang,
                    );
                    let country = form.country.trim().to_ascii_uppercase();
                    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                        errors.add("country", t(lang, msg::ERROR_COUNTRY));
                    }
                    let line2 = form.line2.trim();
                    if line2.chars().count() > LINE_MAX_CHARS {
                        errors.add("line2", too_long(lang, LINE_MAX_CHARS));
                    }
                    if let (Some(line1), Some(city), Some(state), Some(postal_code)) =
                        (line1, city, state, postal_code)
                    {
                        update.address = Some(Address {
                            line1,
                            line2: (!line2.is_empty()).then(|| line2.to_owned()),
                            city,
                            state,
                            postal_code,
                            country,
                        });
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(update)
        } else {
            Err(errors)
        }
    }

    /// A name for LedgerOS, by the same rule as at signup ([`crate::forms::check_name`]).
    fn name(
        errors: &mut FieldErrors,
        field: &str,
        value: &str,
        which: NameField,
        lang: Lang,
    ) -> Option<String> {
        match crate::forms::check_name(value) {
            Ok(name) => Some(name.to_owned()),
            Err(problem) => {
                errors.add(field, crate::forms::name_message(lang, which, problem));
                None
            }
        }
    }

    fn too_long(lang: Lang, max: usize) -> String {
        t_with(lang, msg::ERROR_TOO_LONG, &[("max", Arg::from(max))])
    }

    fn text(
        errors: &mut FieldErrors,
        field: &str,
        value: &str,
        max: usize,
        missing: Key,
        lang: Lang,
    ) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            errors.add(field, t(lang, missing));
            None
        } else if value.chars().count() > max {
            errors.add(field, too_long(lang, max));
            None
        } else if value.chars().any(char::is_control) {
            errors.add(field, t(lang, msg::ERROR_CONTROL_CHARACTERS));
            None
        } else {
            Some(value.to_owned())
        }
    }

    /// The date, or the message that says what is wrong with it.
    fn date_of_birth(value: &str) -> Result<time::Date, Key> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = time::Date::parse(value, &format).map_err(|_| msg::ERROR_DATE_FORMAT)?;
        let today = time::OffsetDateTime::now_utc().date();
        let age = today.year()
            - date.year()
            - i32::from((today.month() as u8, today.day()) < (date.month() as u8, date.day()));
        if date > today {
            Err(msg::ERROR_DATE_FUTURE)
        } else if age < 18 {
            Err(msg::ERROR_TOO_YOUNG)
        } else if age > 120 {
            Err(msg::ERROR_DATE_YEAR)
        } else {
            Ok(date)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn form() -> DetailsForm {
            DetailsForm {
                first_name: " Ada ".into(),
                date_of_birth: "1990-04-27".into(),
                line1: "1 Main St".into(),
                city: "Springfield".into(),
                state: "IL".into(),
                postal_code: "62701".into(),
                country: "us".into(),
                ..DetailsForm::default()
            }
        }

        #[test]
        fn only_the_requested_details_are_checked_and_sent() {
            let update = validate(&form(), &[DetailField::DateOfBirth], Lang::En).unwrap();
            assert_eq!(update.date_of_birth.unwrap().to_string(), "1990-04-27");
            assert!(update.first_name.is_none() && update.address.is_none());
            let update =
                validate(&form(), &[DetailField::FirstName, DetailField::Address], Lang::En).unwrap();
            assert_eq!(update.first_name.as_deref(), Some("Ada"));
            assert_eq!(update.address.unwrap().country, "US");
        }

        #[test]
        fn bad_details_get_a_message_per_field() {
            let bad = DetailsForm {
                date_of_birth: "27/04/1990".into(),
                country: "USA".into(),
                ..DetailsForm::default()
            };
            let errors = validate(
                &bad,
                &[
                    DetailField::DateOfBirth,
                    DetailField::Address,
                    DetailField::LastName,
                ],
                Lang::En,
            )
            .unwrap_err();
            assert!(errors.get("date_of_birth").unwrap().contains("1990-04-27"));
            assert!(errors.get("country").unwrap().contains("two-letter"));
            assert!(errors.get("line1").is_some() && errors.get("last_name").is_some());
            let young = DetailsForm {
                date_of_birth: format!("{}-01-01", time::OffsetDateTime::now_utc().year() - 10),
                ..DetailsForm::default()
            };
            let errors = validate(&young, &[DetailField::DateOfBirth], Lang::En).unwrap_err();
            assert!(errors.get("date_of_birth").unwrap().contains("18 or older"));
        }

        #[test]
        fn requested_details_are_read_from_required_fields_in_form_order() {
            let fields = ["address.city", "proofOfAddress", "dateOfBirth", "firstName"].map(String::from);
            assert_eq!(
                DetailField::requested(&fields),
                [
                    DetailField::FirstName,
                    DetailField::DateOfBirth,
                    DetailField::Address
                ]
            );
            assert_eq!(DetailField::parse("ssn"), None);
        }
    }
}

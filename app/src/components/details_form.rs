use leptos::prelude::*;

use onboarding::details::DetailField;

use crate::components::form::{ErrorSummary, Field};
use crate::i18n::{msg, tr};
use crate::views::Flash;

/// Details LedgerOS asked for again (not documents): one labelled field per detail, sent to
/// LedgerOS from our server. Works without JavaScript.
#[component]
pub fn DetailsForm(details: Vec<DetailField>, flash: Flash) -> impl IntoView {
    let errors = flash.errors.clone();
    let error = |name: &str| flash.errors.get(name).map(str::to_owned);
    let value = |name: &str| flash.value(name).to_owned();
    let fields = details
        .into_iter()
        .map(|detail| match detail {
            DetailField::FirstName => view! {
                <Field name="first_name" label=tr(msg::DETAIL_FIRST_NAME) autocomplete="given-name"
                    value=value("first_name") error=error("first_name") />
            }
            .into_any(),
            DetailField::LastName => view! {
                <Field name="last_name" label=tr(msg::DETAIL_LAST_NAME) autocomplete="family-name"
                    value=value("last_name") error=error("last_name") />
            }
            .into_any(),
            DetailField::DateOfBirth => view! {
                <Field name="date_of_birth" label=tr(msg::DETAIL_DATE_OF_BIRTH) kind="date" autocomplete="bday"
                    hint=tr(msg::DETAIL_DATE_OF_BIRTH_HINT)
                    value=value("date_of_birth") error=error("date_of_birth") />
            }
            .into_any(),
            DetailField::Address => view! {
                <fieldset class="details-address">
                    <legend>{tr(msg::DETAIL_ADDRESS)}</legend>
                    <Field name="line1" label=tr(msg::DETAIL_LINE1) autocomplete="address-line1"
                        value=value("line1") error=error("line1") />
                    <Field name="line2" label=tr(msg::DETAIL_LINE2) autocomplete="address-line2"
                        value=value("line2") error=error("line2") />
                    <Field name="city" label=tr(msg::DETAIL_CITY) autocomplete="address-level2"
                        value=value("city") error=error("city") />
                    <Field name="state" label=tr(msg::DETAIL_STATE) autocomplete="address-level1"
                        value=value("state") error=error("state") />
                    <Field name="postal_code" label=tr(msg::DETAIL_POSTAL_CODE) autocomplete="postal-code"
                        value=value("postal_code") error=error("postal_code") />
                    <Field name="country" label=tr(msg::DETAIL_COUNTRY) autocomplete="country"
                        hint=tr(msg::DETAIL_COUNTRY_HINT)
                        value=value("country") error=error("country") />
                </fieldset>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <form method="post" action="/details" class="details-form" id="details" novalidate>
            <h4>{tr(msg::DETAILS_TITLE)}</h4>
            <p class="field-hint">{tr(msg::DETAILS_HINT)}</p>
            <ErrorSummary errors=errors />
            {fields}
            <button type="submit" class="button">{tr(msg::DETAILS_SUBMIT)}</button>
        </form>
    }
}

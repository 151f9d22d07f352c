use leptos::prelude::*;

use onboarding::details::DetailField;

use crate::components::form::{ErrorSummary, Field};
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
                <Field name="first_name" label="Legal first name" autocomplete="given-name"
                    value=value("first_name") error=error("first_name") />
            }
            .into_any(),
            DetailField::LastName => view! {
                <Field name="last_name" label="Legal last name" autocomplete="family-name"
                    value=value("last_name") error=error("last_name") />
            }
            .into_any(),
            DetailField::DateOfBirth => view! {
                <Field name="date_of_birth" label="Date of birth" kind="date" autocomplete="bday"
                    hint="Year, month and day, for example 1990-04-27."
                    value=value("date_of_birth") error=error("date_of_birth") />
            }
            .into_any(),
            DetailField::Address => view! {
                <fieldset class="details-address">
                    <legend>"Home address"</legend>
                    <Field name="line1" label="Address line 1" autocomplete="address-line1"
                        value=value("line1") error=error("line1") />
                    <Field name="line2" label="Address line 2 (optional)" autocomplete="address-line2"
                        value=value("line2") error=error("line2") />
                    <Field name="city" label="City or town" autocomplete="address-level2"
                        value=value("city") error=error("city") />
                    <Field name="state" label="State, region or province" autocomplete="address-level1"
                        value=value("state") error=error("state") />
                    <Field name="postal_code" label="Postal code" autocomplete="postal-code"
                        value=value("postal_code") error=error("postal_code") />
                    <Field name="country" label="Country" autocomplete="country"
                        hint="The two-letter code, for example US."
                        value=value("country") error=error("country") />
                </fieldset>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <form method="post" action="/details" class="details-form" id="details" novalidate>
            <h4>"Confirm your details"</h4>
            <p class="field-hint">"Exactly as on your ID. We send them straight to LedgerOS."</p>
            <ErrorSummary errors=errors />
            {fields}
            <button type="submit" class="button">"Send to LedgerOS"</button>
        </form>
    }
}

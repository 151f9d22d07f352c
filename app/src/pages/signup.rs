use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::take_flash;
use crate::components::form::{ErrorSummary, Field, Notice, PasswordField};
use crate::i18n::{msg, tr};

/// Account creation. Posts to `/signup`; errors come back as a flash.
#[component]
pub fn Signup() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_flash("signup".into()));
    view! {
        <Title text=tr(msg::SIGNUP_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::SIGNUP_PAGE_TITLE)}</h1>
            <p class="lead">{tr(msg::SIGNUP_LEAD)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let flash = flash.await.ok().flatten().unwrap_or_default();
                    let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                    view! {
                        <Notice message=flash.notice.clone() />
                        <ErrorSummary errors=flash.errors.clone() />
                        // `data-proof`: the page's script fills `altcha` with the answer to a
                        // proof-of-work challenge (issue 30); without it the form still works.
                        <form method="post" action="/signup" class="form" novalidate data-proof="/signup/challenge">
                            <input type="hidden" name="altcha" value="" />
                            <div class="field-pair">
                                <Field name="first_name" label=tr(msg::FIELD_FIRST_NAME) autocomplete="given-name" value=flash.value("first_name") error=error("first_name") />
                                <Field name="last_name" label=tr(msg::FIELD_LAST_NAME) autocomplete="family-name" value=flash.value("last_name") error=error("last_name") />
                            </div>
                            <Field name="email" label=tr(msg::FIELD_EMAIL) kind="email" autocomplete="email" value=flash.value("email") hint=tr(msg::FIELD_EMAIL_HINT) error=error("email") />
                            <PasswordField name="password" label=tr(msg::FIELD_NEW_PASSWORD) autocomplete="new-password" hint=tr(msg::FIELD_NEW_PASSWORD_HINT) error=error("password") />
                            <button type="submit" class="button button-block">{tr(msg::SIGNUP_SUBMIT)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <p class="form-footer">{tr(msg::SIGNUP_HAVE_ACCOUNT)}" " <a href="/login">{tr(msg::NAV_LOG_IN)}</a></p>
        </div>
    }
}

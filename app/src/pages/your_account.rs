//! The signed-in person's account page: their details, and their data (issue 26). Every form
//! posts to the server, so the page works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{load_account_details, take_flash};
use crate::components::form::{ErrorSummary, Notice, PasswordField};
use crate::i18n::{msg, tr, use_lang};

#[component]
pub fn YourAccount() -> impl IntoView {
    let details = Resource::new(|| (), |_| load_account_details());
    let flash = Resource::new(|| (), |_| take_flash("data".into()));
    let lang = use_lang();
    view! {
        <Title text=tr(msg::ACCOUNT_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::ACCOUNT_PAGE_TITLE)}</h1>
            <p class="lead">{tr(msg::ACCOUNT_LEAD)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let details = details.await.ok().flatten()?;
                    Some(view! {
                        <section aria-labelledby="details-title">
                            <h2 id="details-title">{tr(msg::ACCOUNT_DETAILS_TITLE)}</h2>
                            <dl class="details-list">
                                <dt>{tr(msg::ACCOUNT_NAME)}</dt>
                                <dd>{format!("{} {}", details.first_name, details.last_name)}</dd>
                                <dt>{tr(msg::ACCOUNT_EMAIL)}</dt>
                                <dd>{details.email}</dd>
                                <dt>{tr(msg::ACCOUNT_LANGUAGE)}</dt>
                                <dd>{lang.native_name()}</dd>
                                <dt>{tr(msg::ACCOUNT_SIGNED_UP)}</dt>
                                <dd>{onboarding::i18n::date_long(lang, details.signed_up_at)}</dd>
                            </dl>
                        </section>
                    })
                })}
            </Suspense>
            <section aria-labelledby="data-title">
                <h2 id="data-title">{tr(msg::ACCOUNT_DATA_TITLE)}</h2>
                <p>{tr(msg::ACCOUNT_DATA_BODY)}</p>
                <p class="muted">{tr(msg::ACCOUNT_DATA_NOT_INCLUDED)}</p>
                <Suspense>
                    {move || Suspend::new(async move {
                        let flash = flash.await.ok().flatten().unwrap_or_default();
                        let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                        view! {
                            <Notice message=flash.notice.clone() />
                            <ErrorSummary errors=flash.errors.clone() />
                            <form method="post" action="/account/data" class="form" novalidate>
                                <PasswordField name="password" label=tr(msg::ACCOUNT_DATA_PASSWORD) autocomplete="current-password" hint=tr(msg::ACCOUNT_DATA_PASSWORD_HINT) error=error("password") />
                                <button type="submit" class="button">{tr(msg::ACCOUNT_DATA_SUBMIT)}</button>
                                <p class="muted">{tr(msg::ACCOUNT_DATA_LIMIT)}</p>
                            </form>
                        }
                    })}
                </Suspense>
            </section>
            <p class="form-footer"><a href="/status">{tr(msg::ACCOUNT_BACK)}</a></p>
        </div>
    }
}

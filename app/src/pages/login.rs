use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::take_flash;
use crate::components::form::{ErrorSummary, Field, Notice, PasswordField};
use crate::i18n::{msg, tr};

/// Login. Posts to `/login`; a wrong email or password comes back as one error.
#[component]
pub fn Login() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_flash("login".into()));
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=tr(msg::LOGIN_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::LOGIN_PAGE_TITLE)}</h1>
            <p class="lead">{tr(msg::LOGIN_LEAD)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let flash = flash.await.ok().flatten().unwrap_or_default();
                    let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                    view! {
                        <Notice message=flash.notice.clone() />
                        <ErrorSummary errors=flash.errors.clone() />
                        // Shown by /passkey.js where the browser has passkeys; the browser may
                        // also offer a saved one in the email field's suggestions.
                        <form method="post" action="/login/passkey" class="form passkey-form" data-passkey="discover"
                            data-passkey-conditional="" data-options-url="/login/passkey/options" hidden>
                            <input type="hidden" name="credential" value="" />
                            <input type="hidden" name="next" value=next() />
                            <p class="field-error" role="alert" data-passkey-error hidden>{tr(msg::LOGIN_PASSKEY_FAILED)}</p>
                            <button type="submit" class="button button-block button-secondary">{tr(msg::LOGIN_PASSKEY)}</button>
                            <p class="muted">{tr(msg::LOGIN_OR_PASSWORD)}</p>
                        </form>
                        <form method="post" action="/login" class="form" novalidate>
                            <input type="hidden" name="next" value=next() />
                            <Field name="email" label=tr(msg::FIELD_EMAIL) kind="email" autocomplete="username webauthn" value=flash.value("email") error=error("email") />
                            <PasswordField name="password" label=tr(msg::FIELD_PASSWORD) autocomplete="current-password" error=error("password") />
                            <button type="submit" class="button button-block">{tr(msg::LOGIN_PAGE_TITLE)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <p class="form-footer"><a href="/password/forgot">{tr(msg::LOGIN_FORGOT)}</a></p>
            <p class="form-footer">{tr(msg::LOGIN_NEW_HERE)}" " <a href="/signup">{tr(msg::LOGIN_CREATE)}</a></p>
            <p class="form-footer muted">{tr(msg::LOGIN_JUST_SIGNED_UP)}</p>
            <script src="/passkey.js" defer></script>
        </div>
    }
}

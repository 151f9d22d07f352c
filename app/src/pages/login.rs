use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::take_flash;
use crate::components::form::{ErrorSummary, Field, Notice, PasswordField};

/// Login. Posts to `/login`; a wrong email or password comes back as one error.
#[component]
pub fn Login() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_flash("login".into()));
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Log in" />
        <div class="narrow">
            <h1>"Log in"</h1>
            <p class="lead">"Pick up where you left off with your verification."</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let flash = flash.await.ok().flatten().unwrap_or_default();
                    let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                    view! {
                        <Notice message=flash.notice.clone() />
                        <ErrorSummary errors=flash.errors.clone() />
                        <form method="post" action="/login" class="form" novalidate>
                            <input type="hidden" name="next" value=next() />
                            <Field name="email" label="Email address" kind="email" autocomplete="username" value=flash.value("email") error=error("email") />
                            <PasswordField name="password" label="Password" autocomplete="current-password" error=error("password") />
                            <button type="submit" class="button button-block">"Log in"</button>
                        </form>
                    }
                })}
            </Suspense>
            <p class="form-footer"><a href="/password/forgot">"Forgot your password?"</a></p>
            <p class="form-footer">"New here? " <a href="/signup">"Create an account"</a></p>
            <p class="form-footer muted">"Just signed up? Open the link in the email we sent you first: it finishes creating your account."</p>
        </div>
    }
}

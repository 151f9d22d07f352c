use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::take_flash;
use crate::components::form::{ErrorSummary, Field, Notice, PasswordField};

/// Account creation. Posts to `/signup`; errors come back as a flash.
#[component]
pub fn Signup() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_flash("signup".into()));
    view! {
        <Title text="Create your account" />
        <div class="narrow">
            <h1>"Create your account"</h1>
            <p class="lead">"We'll email you a link to confirm your address. Then you'll verify your identity with our partner LedgerOS: about 5–10 minutes."</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let flash = flash.await.ok().flatten().unwrap_or_default();
                    let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                    view! {
                        <Notice message=flash.notice.clone() />
                        <ErrorSummary errors=flash.errors.clone() />
                        <form method="post" action="/signup" class="form" novalidate>
                            <div class="field-pair">
                                <Field name="first_name" label="First name" autocomplete="given-name" value=flash.value("first_name") error=error("first_name") />
                                <Field name="last_name" label="Last name" autocomplete="family-name" value=flash.value("last_name") error=error("last_name") />
                            </div>
                            <Field name="email" label="Email address" kind="email" autocomplete="email" value=flash.value("email") hint="We'll send updates about your verification here." error=error("email") />
                            <PasswordField name="password" label="Create a password" autocomplete="new-password" hint="At least 12 characters. A few words together work well." error=error("password") />
                            <button type="submit" class="button button-block">"Create account"</button>
                        </form>
                    }
                })}
            </Suspense>
            <p class="form-footer">"Already have an account? " <a href="/login">"Log in"</a></p>
        </div>
    }
}

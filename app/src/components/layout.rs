use leptos::prelude::*;

use crate::BRAND;
use crate::api::current_account;

/// Header, main landmark and footer around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let account = Resource::new(|| (), |_| current_account());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {BRAND}
                </a>
                <nav aria-label="Account">
                    <Suspense>
                        {move || Suspend::new(async move {
                            match account.await {
                                Ok(Some(me)) => view! {
                                    <span class="nav-greeting">"Signed in as " {me.first_name}</span>
                                    <a href="/status">"Your status"</a>
                                    <form method="post" action="/logout" class="inline-form">
                                        <button type="submit" class="link-button">"Log out"</button>
                                    </form>
                                }.into_any(),
                                _ => view! {
                                    <a href="/login">"Log in"</a>
                                    <a class="button button-small" href="/signup">"Sign up"</a>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                </nav>
            </div>
        </header>
        <main id="main" class="container" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="container">
                <p>
                    "Identity verification is provided by LedgerOS. We never store your Social Security number or ID documents. Questions? "
                    <a href=format!("mailto:{}", crate::copy::SUPPORT_EMAIL)>{crate::copy::SUPPORT_EMAIL}</a>
                </p>
            </div>
        </footer>
    }
}

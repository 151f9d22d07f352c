//! The account pages around email: "check your inbox", confirming a signup, forgotten and new
//! passwords, and the reminder opt-out. Every form posts to the server (works without JS).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{check_link, take_flash};
use crate::components::form::{ErrorSummary, Field, Notice, PasswordField};
use crate::views::{LinkInfo, LinkKind};

/// What the page's link (if any) is worth, and whether this is the demo.
fn link_resource(kind: Option<LinkKind>) -> Resource<LinkInfo> {
    let token = if kind.is_some() {
        query_token()
    } else {
        String::new()
    };
    Resource::new(
        move || token.clone(),
        move |token| async move { check_link(kind, token).await.unwrap_or_default() },
    )
}

fn query_token() -> String {
    let query = use_query_map();
    query.read_untracked().get("token").unwrap_or_default()
}

/// A pointer to the dev mailbox, shown in demo mode where the product team reads emails.
#[component]
fn DemoMailboxHint(demo: bool) -> impl IntoView {
    demo.then(|| {
        view! {
            <p class="notice demo-hint">
                "Demo mode: no real email is sent. Open the "<a href="/dev/mailbox">"dev mailbox"</a>" to read it."
            </p>
        }
    })
}

/// Where the signup form leads, whoever the address belongs to.
#[component]
pub fn SignupSent() -> impl IntoView {
    let link = link_resource(None);
    view! {
        <Title text="Check your email" />
        <div class="narrow">
            <h1>"Check your email"</h1>
            <p class="lead">"We've sent you an email. Open the link in it to confirm your address and finish creating your account."</p>
            <Suspense>
                {move || Suspend::new(async move {
                    view! { <DemoMailboxHint demo=link.await.demo /> }
                })}
            </Suspense>
            <h2>"What happens next"</h2>
            <ol class="timeline">
                <li>"Open the link in the email (it works for 24 hours)."</li>
                <li>"Verify your identity with our partner LedgerOS: 5–10 minutes, then usually 1–5 minutes for the result."</li>
                <li>"Once you're approved, deposit money and get your cards."</li>
            </ol>
            <p class="muted">"No email after a few minutes? Check your spam folder, or "<a href="/signup">"sign up again"</a>". Already have an account? "<a href="/login">"Log in"</a>" or "<a href="/password/forgot">"reset your password"</a>"."</p>
        </div>
    }
}

/// The page the confirmation link opens: one button that finishes the signup (a POST, so mail
/// scanners that open links do not use it up), or why the link no longer works.
#[component]
pub fn ConfirmSignup() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_flash("confirm".into()));
    let token = query_token();
    let link = link_resource(Some(LinkKind::Signup));
    view! {
        <Title text="Confirm your email" />
        <div class="narrow">
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let flash = flash.await.ok().flatten().unwrap_or_default();
                        let link = link.await;
                        let body = if let (true, Some(email)) = (link.valid, link.email.clone()) {
                            let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                            view! {
                                <h1>"Confirm your email"</h1>
                                <p class="lead">"You're confirming "<strong class="address">{email.clone()}</strong>". Enter the password you chose when you signed up, and your account is ready. Next, you'll verify your identity with LedgerOS."</p>
                                <ErrorSummary errors=flash.errors.clone() />
                                <form method="post" action="/signup/confirm" class="form" novalidate>
                                    <input type="hidden" name="token" value=token.clone() />
                                    <input type="hidden" name="email" autocomplete="username" value=email />
                                    <PasswordField name="password" label="Your password" autocomplete="current-password" hint="The one you chose on the signup form." error=error("password") />
                                    <button type="submit" class="button button-block">"Confirm and continue"</button>
                                </form>
                                <p class="muted">"Didn't sign up? Someone may have typed your address by mistake. Ignore this page: without the password nothing happens. To open an account yourself, "<a href="/signup">"sign up"</a>" with a password of your own."</p>
                            }.into_any()
                        } else {
                            view! {
                                <h1>"This link no longer works"</h1>
                                <div class="notice" role="status">
                                    <p>"This link has expired or was already used. Links work once, for 24 hours."</p>
                                </div>
                                <p>"Already confirmed? Log in. Otherwise sign up again and we'll send a new link."</p>
                                <p class="actions"><a class="button" href="/login">"Log in"</a><a class="button button-secondary" href="/signup">"Sign up again"</a></p>
                            }.into_any()
                        };
                        view! { <Notice message=flash.notice.clone() /> {body} }
                    })
                }}
            </Suspense>
        </div>
    }
}

/// Asks for the address to send a reset link to.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let flash = Resource::new(|| (), |_| take_flash("forgot".into()));
    let link = link_resource(None);
    view! {
        <Title text="Reset your password" />
        <div class="narrow">
            <h1>"Reset your password"</h1>
            <p class="lead">"Enter the email address you signed up with. We'll send you a link to choose a new password."</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let flash = flash.await.ok().flatten().unwrap_or_default();
                    let demo = link.await.demo;
                    let sent = flash.notice.is_some() && flash.errors.is_empty();
                    let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                    view! {
                        <Notice message=flash.notice.clone() />
                        {sent.then(|| view! { <DemoMailboxHint demo /> })}
                        <ErrorSummary errors=flash.errors.clone() />
                        <form method="post" action="/password/forgot" class="form" novalidate>
                            <Field name="email" label="Email address" kind="email" autocomplete="username" value=flash.value("email") error=error("email") />
                            <button type="submit" class="button button-block">"Send me a link"</button>
                        </form>
                    }
                })}
            </Suspense>
            <p class="form-footer">"Remembered it? "<a href="/login">"Log in"</a></p>
        </div>
    }
}

/// The page a reset link opens: a new password, or why the link no longer works.
#[component]
pub fn ResetPassword() -> impl IntoView {
    let token = query_token();
    let flash = Resource::new(|| (), |_| take_flash("reset".into()));
    let link = link_resource(Some(LinkKind::Reset));
    view! {
        <Title text="Choose a new password" />
        <div class="narrow">
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let flash = flash.await.ok().flatten().unwrap_or_default();
                        let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                        if !link.await.valid {
                            return view! {
                                <h1>"This link no longer works"</h1>
                                <div class="notice" role="status">
                                    <p>"This link has expired or was already used. Reset links work once, for 30 minutes."</p>
                                </div>
                                <p class="actions"><a class="button" href="/password/forgot">"Send me a new link"</a><a class="button button-secondary" href="/login">"Log in"</a></p>
                            }.into_any();
                        }
                        view! {
                            <h1>"Choose a new password"</h1>
                            <p class="lead">"After this, you'll be logged in here and logged out everywhere else."</p>
                            <Notice message=flash.notice.clone() />
                            <ErrorSummary errors=flash.errors.clone() />
                            <form method="post" action="/password/reset" class="form" novalidate>
                                <input type="hidden" name="token" value=token.clone() />
                                <PasswordField name="password" label="New password" autocomplete="new-password" hint="At least 12 characters. A few words together work well." error=error("password") />
                                <button type="submit" class="button button-block">"Save new password"</button>
                            </form>
                        }.into_any()
                    })
                }}
            </Suspense>
        </div>
    }
}

/// Where the opt-out link in reminders leads: says they are off, and can turn them back on.
#[component]
pub fn Reminders() -> impl IntoView {
    let token = query_token();
    let flash = Resource::new(|| (), |_| take_flash("reminders".into()));
    let link = link_resource(Some(LinkKind::Reminders));
    view! {
        <Title text="Reminder emails" />
        <div class="narrow">
            <h1>"Reminder emails"</h1>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let flash = flash.await.ok().flatten().unwrap_or_default();
                        let link = link.await;
                        let state = link.valid.then_some(link.reminders_on);
                        let body = match state {
                            None => view! {
                                <p>"This link is not valid. Use the link at the bottom of one of our reminder emails."</p>
                            }.into_any(),
                            Some(true) => view! {
                                <p class="lead" role="status">"Reminders are on. We'll email you if your verification needs something from you."</p>
                            }.into_any(),
                            Some(false) => view! {
                                <p class="lead" role="status">"You won't get any more reminder emails. We'll still send the emails you ask for, like password resets."</p>
                                <form method="post" action="/reminders/resume" class="form">
                                    <input type="hidden" name="token" value=token.clone() />
                                    <button type="submit" class="button button-secondary">"Turn reminders back on"</button>
                                </form>
                            }.into_any(),
                        };
                        view! { <Notice message=flash.notice.clone() /> {body} }
                    })
                }}
            </Suspense>
            <p class="form-footer"><a href="/status">"See your verification status"</a></p>
        </div>
    }
}

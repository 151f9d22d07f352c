//! The account pages around email: "check your inbox", confirming a signup, forgotten and new
//! passwords, and the reminder opt-out. Every form posts to the server (works without JS).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{check_link, take_flash};
use crate::components::form::{ErrorSummary, Field, Notice, PasswordField};
use crate::i18n::{msg, tr};
use crate::views::{LinkInfo, LinkKind};

/// What the page's link (if any) is worth, and whether this is the demo.
pub(crate) fn link_resource(kind: Option<LinkKind>) -> Resource<LinkInfo> {
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

pub(crate) fn query_token() -> String {
    let query = use_query_map();
    query.read_untracked().get("token").unwrap_or_default()
}

/// A pointer to the dev mailbox, shown in demo mode where the product team reads emails.
#[component]
fn DemoMailboxHint(demo: bool) -> impl IntoView {
    demo.then(|| {
        view! {
            <p class="notice demo-hint">
                {tr(msg::DEMO_MAILBOX_BEFORE)}<a href="/dev/mailbox">{tr(msg::DEMO_MAILBOX_LINK)}</a>{tr(msg::DEMO_MAILBOX_AFTER)}
            </p>
        }
    })
}

/// Where the signup form leads, whoever the address belongs to.
#[component]
pub fn SignupSent() -> impl IntoView {
    let link = link_resource(None);
    view! {
        <Title text=tr(msg::SENT_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::SENT_PAGE_TITLE)}</h1>
            <p class="lead">{tr(msg::SENT_LEAD)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    view! { <DemoMailboxHint demo=link.await.demo /> }
                })}
            </Suspense>
            <h2>{tr(msg::SENT_NEXT_TITLE)}</h2>
            <ol class="timeline">
                <li>{tr(msg::SENT_NEXT_LINK)}</li>
                <li>{tr(msg::SENT_NEXT_VERIFY)}</li>
                <li>{tr(msg::SENT_NEXT_APPROVED)}</li>
            </ol>
            <p class="muted">{tr(msg::SENT_NO_EMAIL)}<a href="/signup">{tr(msg::SENT_SIGN_UP_AGAIN)}</a>{tr(msg::SENT_HAVE_ACCOUNT)}<a href="/login">{tr(msg::NAV_LOG_IN)}</a>{tr(msg::SENT_OR)}<a href="/password/forgot">{tr(msg::SENT_RESET)}</a>"."</p>
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
        <Title text=tr(msg::CONFIRM_PAGE_TITLE) />
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
                                <h1>{tr(msg::CONFIRM_PAGE_TITLE)}</h1>
                                <p class="lead">{tr(msg::CONFIRM_LEAD_BEFORE)}<strong class="address" dir="ltr">{email.clone()}</strong>{tr(msg::CONFIRM_LEAD_AFTER)}</p>
                                <ErrorSummary errors=flash.errors.clone() />
                                <form method="post" action="/signup/confirm" class="form" novalidate>
                                    <input type="hidden" name="token" value=token.clone() />
                                    <input type="hidden" name="email" autocomplete="username" value=email />
                                    <PasswordField name="password" label=tr(msg::FIELD_YOUR_PASSWORD) autocomplete="current-password" hint=tr(msg::FIELD_YOUR_PASSWORD_HINT) error=error("password") />
                                    <button type="submit" class="button button-block">{tr(msg::CONFIRM_SUBMIT)}</button>
                                </form>
                                <p class="muted">{tr(msg::CONFIRM_NOT_YOU)}<a href="/signup">{tr(msg::CONFIRM_NOT_YOU_LINK)}</a>{tr(msg::CONFIRM_NOT_YOU_AFTER)}</p>
                            }.into_any()
                        } else {
                            view! {
                                <h1>{tr(msg::LINK_DEAD_TITLE)}</h1>
                                <div class="notice" role="status">
                                    <p>{tr(msg::CONFIRM_DEAD_BODY)}</p>
                                </div>
                                <p>{tr(msg::CONFIRM_DEAD_NEXT)}</p>
                                <p class="actions"><a class="button" href="/login">{tr(msg::NAV_LOG_IN)}</a><a class="button button-secondary" href="/signup">{tr(msg::SIGN_UP_AGAIN)}</a></p>
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
        <Title text=tr(msg::FORGOT_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::FORGOT_PAGE_TITLE)}</h1>
            <p class="lead">{tr(msg::FORGOT_LEAD)}</p>
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
                            <Field name="email" label=tr(msg::FIELD_EMAIL) kind="email" autocomplete="username" value=flash.value("email") error=error("email") />
                            <button type="submit" class="button button-block">{tr(msg::FORGOT_SUBMIT)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <p class="form-footer">{tr(msg::FORGOT_REMEMBERED)}<a href="/login">{tr(msg::NAV_LOG_IN)}</a></p>
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
        <Title text=tr(msg::RESET_PAGE_TITLE) />
        <div class="narrow">
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let flash = flash.await.ok().flatten().unwrap_or_default();
                        let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                        if !link.await.valid {
                            return view! {
                                <h1>{tr(msg::LINK_DEAD_TITLE)}</h1>
                                <div class="notice" role="status">
                                    <p>{tr(msg::RESET_DEAD_BODY)}</p>
                                </div>
                                <p class="actions"><a class="button" href="/password/forgot">{tr(msg::RESET_NEW_LINK)}</a><a class="button button-secondary" href="/login">{tr(msg::NAV_LOG_IN)}</a></p>
                            }.into_any();
                        }
                        view! {
                            <h1>{tr(msg::RESET_PAGE_TITLE)}</h1>
                            <p class="lead">{tr(msg::RESET_LEAD)}</p>
                            <Notice message=flash.notice.clone() />
                            <ErrorSummary errors=flash.errors.clone() />
                            <form method="post" action="/password/reset" class="form" novalidate>
                                <input type="hidden" name="token" value=token.clone() />
                                <PasswordField name="password" label=tr(msg::FIELD_NEW_PASSWORD_LABEL) autocomplete="new-password" hint=tr(msg::FIELD_NEW_PASSWORD_HINT) error=error("password") />
                                <button type="submit" class="button button-block">{tr(msg::RESET_SUBMIT)}</button>
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
        <Title text=tr(msg::REMINDERS_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::REMINDERS_PAGE_TITLE)}</h1>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let flash = flash.await.ok().flatten().unwrap_or_default();
                        let link = link.await;
                        let state = link.valid.then_some(link.reminders_on);
                        let body = match state {
                            None => view! {
                                <p>{tr(msg::REMINDERS_LINK_INVALID)}</p>
                            }.into_any(),
                            Some(true) => view! {
                                <p class="lead" role="status">{tr(msg::REMINDERS_ARE_ON)}</p>
                            }.into_any(),
                            Some(false) => view! {
                                <p class="lead" role="status">{tr(msg::REMINDERS_ARE_OFF)}</p>
                                <form method="post" action="/reminders/resume" class="form">
                                    <input type="hidden" name="token" value=token.clone() />
                                    <button type="submit" class="button button-secondary">{tr(msg::REMINDERS_BACK_ON)}</button>
                                </form>
                            }.into_any(),
                        };
                        view! { <Notice message=flash.notice.clone() /> {body} }
                    })
                }}
            </Suspense>
            <p class="form-footer"><a href="/status">{tr(msg::REMINDERS_SEE_STATUS)}</a></p>
        </div>
    }
}

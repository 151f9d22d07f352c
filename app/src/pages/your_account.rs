//! The signed-in person's account page: their details, and their data (issue 26). Every form
//! posts to the server, so the page works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{load_account_details, take_flash};
use crate::components::form::{ErrorSummary, Notice, PasswordField};
use crate::i18n::{Arg, msg, tr, tr_with, use_lang};

#[component]
pub fn YourAccount() -> impl IntoView {
    let details = Resource::new(|| (), |_| load_account_details());
    let flash = Resource::new(|| (), |_| take_flash("data".into()));
    let delete_flash = Resource::new(|| (), |_| take_flash("delete".into()));
    let passkey_flash = Resource::new(|| (), |_| take_flash("passkeys".into()));
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
            <section aria-labelledby="passkeys-title">
                <h2 id="passkeys-title">{tr(msg::PASSKEYS_TITLE)}</h2>
                <p>{tr(msg::PASSKEYS_BODY)}</p>
                <Suspense>
                    {move || Suspend::new(async move {
                        let details = details.await.ok().flatten()?;
                        let flash = passkey_flash.await.ok().flatten().unwrap_or_default();
                        Some(view! {
                            <Notice message=flash.notice.clone() />
                            <PasskeyList passkeys=details.passkeys.clone() />
                            {if details.passkeys_on {
                                view! {
                                    <form method="post" action="/account/passkeys" class="form" data-passkey="register"
                                        data-options-url="/account/passkeys/options" hidden>
                                        <input type="hidden" name="credential" value="" />
                                        <div class="field">
                                            <label for="field-passkey-name">{tr(msg::PASSKEYS_NEW_NAME)}</label>
                                            <p class="field-hint" id="field-passkey-name-hint">{tr(msg::PASSKEYS_NEW_NAME_HINT)}</p>
                                            <input id="field-passkey-name" name="name" type="text" maxlength="60" autocomplete="off"
                                                aria-describedby="field-passkey-name-hint" />
                                        </div>
                                        <p class="field-error" role="alert" data-passkey-error hidden>{tr(msg::PASSKEYS_ADD_FAILED)}</p>
                                        <button type="submit" class="button button-secondary">{tr(msg::PASSKEYS_ADD)}</button>
                                    </form>
                                    <noscript><p class="muted">{tr(msg::PASSKEYS_NEEDS_SCRIPT)}</p></noscript>
                                    <script src="/passkey.js" defer></script>
                                }.into_any()
                            } else {
                                view! { <p class="muted">{tr(msg::PASSKEYS_OFF)}</p> }.into_any()
                            }}
                        })
                    })}
                </Suspense>
            </section>
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
            <section aria-labelledby="delete-title">
                <h2 id="delete-title">{tr(msg::ACCOUNT_DELETE_TITLE)}</h2>
                <Suspense>
                    {move || Suspend::new(async move {
                        let details = details.await.ok().flatten()?;
                        let flash = delete_flash.await.ok().flatten().unwrap_or_default();
                        let error = |f: &str| flash.errors.get(f).map(str::to_owned);
                        Some(view! {
                            <p>{tr_with(msg::ACCOUNT_DELETE_BODY, &[("days", Arg::from(details.deletion_grace_days))])}</p>
                            <p class="muted">{tr_with(msg::ACCOUNT_DELETE_HOLD, &[("years", Arg::from(details.aml_retention_years))])}</p>
                            <Notice message=flash.notice.clone() />
                            <ErrorSummary errors=flash.errors.clone() />
                            <form method="post" action="/account/delete" class="form" novalidate>
                                <PasswordField name="delete_password" label=tr(msg::ACCOUNT_DATA_PASSWORD) autocomplete="current-password" hint=tr(msg::ACCOUNT_DATA_PASSWORD_HINT) error=error("delete_password") />
                                <button type="submit" class="button button-danger">{tr(msg::ACCOUNT_DELETE_SUBMIT)}</button>
                            </form>
                        })
                    })}
                </Suspense>
            </section>
            <p class="form-footer"><a href="/status">{tr(msg::ACCOUNT_BACK)}</a></p>
        </div>
    }
}

/// The page the deletion link opens: one button that confirms (a POST, so mail scanners that
/// open links do not use it up), or why the link no longer works.
#[component]
pub fn DeleteAccount() -> impl IntoView {
    let token = crate::pages::account::query_token();
    let link = crate::pages::account::link_resource(Some(crate::views::LinkKind::Deletion));
    let lang = use_lang();
    view! {
        <Title text=tr(msg::DELETE_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::DELETE_PAGE_TITLE)}</h1>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let link = link.await;
                        match link.deletion_due_at.filter(|_| link.valid) {
                            Some(due_at) => {
                                let date = onboarding::i18n::date_long(lang, due_at);
                                view! {
                                    <p class="lead">{tr_with(msg::DELETE_PAGE_BODY, &[("date", Arg::from(date))])}</p>
                                    <form method="post" action="/account/delete/confirm" class="form">
                                        <input type="hidden" name="token" value=token />
                                        <button type="submit" class="button button-danger">{tr(msg::DELETE_PAGE_SUBMIT)}</button>
                                    </form>
                                    <p class="form-footer"><a href="/status">{tr(msg::DELETE_PAGE_KEEP)}</a></p>
                                }.into_any()
                            }
                            None => view! {
                                <p class="lead">{tr_with(msg::DELETE_PAGE_INVALID, &[("hours", Arg::from(DELETION_LINK_HOURS))])}</p>
                                <p class="form-footer"><a href="/login">{tr(msg::NAV_LOG_IN)}</a></p>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

/// How long a deletion link works, in hours: `onboarding::email::templates::DELETION_LINK_HOURS`
/// (a server-side test checks that they agree; this crate also builds for the browser).
pub const DELETION_LINK_HOURS: i64 = 24;

/// After the deletion is confirmed: signed out, and when it happens (`?on=`, in milliseconds).
#[component]
pub fn AccountDeleted() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let lang = use_lang();
    let on = query
        .read_untracked()
        .get("on")
        .and_then(|on| on.parse::<i64>().ok());
    view! {
        <Title text=tr(msg::DELETED_PAGE_TITLE) />
        <div class="narrow">
            <h1>{tr(msg::DELETED_PAGE_TITLE)}</h1>
            {on.map(|due_at| {
                let date = onboarding::i18n::date_long(lang, due_at);
                view! { <p class="lead" role="status">{tr_with(msg::DELETED_PAGE_BODY, &[("date", Arg::from(date))])}</p> }
            })}
            <p class="form-footer"><a href="/">{tr(msg::ACCOUNT_BACK_HOME)}</a></p>
        </div>
    }
}

/// A person's passkeys: name, when added, last use, and a button to remove each.
#[component]
fn PasskeyList(passkeys: Vec<crate::views::PasskeySummary>) -> impl IntoView {
    let lang = use_lang();
    if passkeys.is_empty() {
        return view! { <p class="muted">{tr(msg::PASSKEYS_NONE)}</p> }.into_any();
    }
    let rows: Vec<_> = passkeys
        .into_iter()
        .map(|pk| {
            let last = pk.last_used_at.map_or_else(
                || tr(msg::PASSKEYS_NEVER_USED),
                |at| onboarding::i18n::date_long(lang, at),
            );
            view! {
                <tr>
                    <td>{pk.name.clone()}</td>
                    <td>{onboarding::i18n::date_long(lang, pk.created_at)}</td>
                    <td>{last}</td>
                    <td>
                        <form method="post" action="/account/passkeys/remove" class="inline-form">
                            <input type="hidden" name="id" value=pk.id.clone() />
                            <button type="submit" class="link-button">
                                {tr(msg::PASSKEYS_REMOVE)} <span class="visually-hidden">{format!(" {}", pk.name)}</span>
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="passkeys-title">
            <table class="info-table">
                <thead><tr>
                    <th scope="col">{tr(msg::PASSKEYS_NAME)}</th>
                    <th scope="col">{tr(msg::PASSKEYS_ADDED)}</th>
                    <th scope="col">{tr(msg::PASSKEYS_LAST_USED)}</th>
                    <th scope="col"><span class="visually-hidden">{tr(msg::PASSKEYS_REMOVE)}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

//! The dev mailbox (demo mode only): every email the app sent, so the product team can demo
//! signup confirmation, password reset and reminders without a mail server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{EmailView, list_sent_emails, sent_email};

const NOT_DEMO: &str = "The dev mailbox exists only in demo mode. This app sends real email.";

/// The list of sent emails, newest first.
#[component]
pub fn Mailbox() -> impl IntoView {
    let emails = Resource::new(|| (), |_| list_sent_emails());
    view! {
        <Title text="Dev mailbox" />
        <div class="narrow mailbox">
            <h1>"Dev mailbox"</h1>
            <p class="lead">"Demo mode: the emails the app sent, newest first. Nothing here left this machine."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match emails.await {
                        Ok(Some(list)) if list.is_empty() => view! { <p>"No emails yet. Sign up to get the first one."</p> }.into_any(),
                        Ok(Some(list)) => view! {
                            <ul class="mail-list">
                                {list.into_iter().map(|email| view! {
                                    <li>
                                        <a href=format!("/dev/mailbox/{}", email.id)>
                                            <span class="mail-subject">{email.subject}</span>
                                            <span class="mail-to">"To: "{email.to}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(None) => view! { <p>{NOT_DEMO}</p> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// One email, with its links clickable.
#[component]
pub fn MailboxEmail() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(-1)
    };
    let email = Resource::new(id, sent_email);
    view! {
        <Title text="Email" />
        <div class="narrow mailbox">
            <p><a href="/dev/mailbox">"← All emails"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match email.await {
                        Ok(Some(email)) => view! { <EmailBody email /> }.into_any(),
                        Ok(None) => view! { <h1>"No such email"</h1><p>{NOT_DEMO}" Or the email does not exist."</p> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn EmailBody(email: EmailView) -> impl IntoView {
    let lines = email
        .body
        .lines()
        .map(|line| view! { <span>{linkify(line)}</span><br /> })
        .collect_view();
    view! {
        <article class="panel mail">
            <h1 class="mail-title">{email.subject}</h1>
            <p class="muted">"To: "{email.to}</p>
            <div class="mail-body">{lines}</div>
        </article>
    }
}

/// Words of `line`, with every http(s) address made a link.
fn linkify(line: &str) -> impl IntoView + use<> {
    line.split(' ')
        .enumerate()
        .map(|(i, word)| {
            let space = if i == 0 { "" } else { " " };
            if word.starts_with("http://") || word.starts_with("https://") {
                view! { {space}<a href=word.to_owned()>{word.to_owned()}</a> }.into_any()
            } else {
                view! { {space}{word.to_owned()} }.into_any()
            }
        })
        .collect_view()
}

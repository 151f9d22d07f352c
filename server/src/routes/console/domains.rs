//! Email domains (admins, issue 30): the operators' own block and allow lists, on top of the
//! maintained list of throwaway providers that signup refuses ([`onboarding::throwaway`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;
use onboarding::clock::time_in_words;
use onboarding::store::DomainRuleKind;
use onboarding::throwaway;

use super::{Admin, Operator, page, unavailable};
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/email-domains", get(show).post(add))
        .route("/admin/email-domains/remove", post(remove))
}

/// `GET /admin/email-domains`.
async fn show(State(state): State<AppState>, Admin(admin): Admin) -> Response {
    domains_view(&state, &admin, StatusCode::OK, "", None).await
}

async fn domains_view(
    state: &AppState,
    admin: &Operator,
    status: StatusCode,
    entered: &str,
    error: Option<String>,
) -> Response {
    let rules = match state.services.store.domain_rules().await {
        Ok(rules) => rules,
        Err(e) => return unavailable(e),
    };
    let rows: Vec<_> = rules
        .into_iter()
        .map(|rule| {
            let effect = match rule.kind {
                DomainRuleKind::Block => "Blocked",
                DomainRuleKind::Allow if throwaway::listed(&rule.domain) => "Allowed (the list refuses it)",
                DomainRuleKind::Allow => "Allowed",
            };
            let added = format!(
                "{} by {}",
                time_in_words(rule.added_at),
                rule.added_by.unwrap_or_else(|| "a former operator".to_owned())
            );
            let label = format!("Remove the rule for {}", rule.domain);
            view! {
                <tr>
                    <td>{rule.domain.clone()}</td><td>{effect}</td><td>{added}</td>
                    <td>
                        <form method="post" action="/admin/email-domains/remove" class="inline-form">
                            <input type="hidden" name="domain" value=rule.domain />
                            <button type="submit" class="link-button" aria-label=label>"Remove"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect();
    let empty = rows.is_empty();
    let invalid = error.is_some();
    let entered = entered.to_owned();
    let body = view! {
        <h1>"Email domains"</h1>
        <p class="lead">"Every confirmed signup costs a verification, so signup refuses addresses made to be thrown away: those of some 2,700 throwaway email providers on a maintained list, and the domains you block here. Allow a domain the list refuses when real customers use it. A rule covers the domains under it too (blocking example.com blocks mail.example.com)."</p>
        {if empty {
            view! { <p class="muted">"No rules yet: the maintained list alone decides."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Email domain rules">
                    <table class="info-table">
                        <thead><tr><th scope="col">"Domain"</th><th scope="col">"Rule"</th><th scope="col">"Added"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <form method="post" action="/admin/email-domains" class="form" novalidate>
            <h2>"Add a rule"</h2>
            {error.map(|e| view! { <p class="field-error" role="alert" id="field-domain-error">{e}</p> })}
            <div class="field" class:field-invalid=invalid>
                <label for="field-domain">"Domain"</label>
                <p class="field-hint" id="field-domain-hint">"Like throwaway.example, or an address at it."</p>
                <input id="field-domain" name="domain" type="text" autocomplete="off" required=true value=entered
                    aria-describedby=if invalid { "field-domain-hint field-domain-error" } else { "field-domain-hint" }
                    aria-invalid=invalid.then_some("true") />
            </div>
            <div class="field">
                <label for="field-rule">"Rule"</label>
                <select id="field-rule" name="rule">
                    <option value="block" selected=true>"Block: refuse signups from it"</option>
                    <option value="allow">"Allow: accept signups from it"</option>
                </select>
            </div>
            <button type="submit" class="button">"Add rule"</button>
        </form>
    };
    let notice = admin.take_notice().await;
    page(status, "Email domains", Some(&admin.record), notice, body)
}

#[derive(serde::Deserialize)]
struct RuleForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    rule: String,
}

/// `POST /admin/email-domains`: adds (or changes) a rule.
async fn add(State(state): State<AppState>, Admin(admin): Admin, Form(form): Form<RuleForm>) -> Response {
    let entry = match (
        throwaway::parse_domain(&form.domain),
        DomainRuleKind::parse(&form.rule),
    ) {
        (Some(domain), Some(kind)) => Ok((domain, kind)),
        (None, _) => Err("Enter a domain name, like throwaway.example."),
        (_, None) => Err("Choose whether to block or allow it."),
    };
    let (domain, kind) = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return domains_view(&state, &admin, status, &form.domain, Some(error.to_owned())).await;
        }
    };
    if let Err(e) = state
        .services
        .store
        .set_domain_rule(&admin.record.id, &domain, kind)
        .await
    {
        return unavailable(e);
    }
    let notice = match kind {
        DomainRuleKind::Block => format!("Signups from {domain} are refused from now on."),
        DomainRuleKind::Allow => format!("Signups from {domain} are accepted from now on."),
    };
    admin.leave_notice(&notice).await;
    Redirect::to("/admin/email-domains").into_response()
}

#[derive(serde::Deserialize)]
struct RemoveForm {
    #[serde(default)]
    domain: String,
}

/// `POST /admin/email-domains/remove`.
async fn remove(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Form(form): Form<RemoveForm>,
) -> Response {
    let domain = form.domain.trim().to_lowercase();
    let notice = match state
        .services
        .store
        .remove_domain_rule(&admin.record.id, &domain)
        .await
    {
        Ok(true) => format!("The rule for {domain} is gone: the maintained list alone decides for it."),
        Ok(false) => format!("There was no rule for {domain}."),
        Err(e) => return unavailable(e),
    };
    admin.leave_notice(&notice).await;
    Redirect::to("/admin/email-domains").into_response()
}

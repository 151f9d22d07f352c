//! The sandbox's own overview at `/` (users, their verification links, the outage switch) and
//! `/stats` for harnesses. For the demonstrator, so in English, like the console.

use super::*;

pub(super) async fn index(State(inner): State<Arc<Inner>>) -> Response {
    let state = inner.state();
    let mut users: Vec<&User> = state.users.values().collect();
    users.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let mut main = String::from(
        "<h1>LedgerOS Sandbox</h1><p>A simulated LedgerOS for demos and tests. \
         The app talks to its API; users verify on its hosted pages.</p>",
    );
    if users.is_empty() {
        main.push_str("<p>No users yet. Sign up in the app to create one.</p>");
    } else {
        main.push_str(
            "<table><caption class=\"visually-hidden\">Users</caption><thead><tr><th scope=\"col\">Name</th>\
             <th scope=\"col\">User id</th><th scope=\"col\">Status</th><th scope=\"col\">Verification</th></tr></thead><tbody>",
        );
        for user in users {
            let link = match &user.token {
                Some(token) => format!("<a href=\"/verify/{}\">Open</a>", esc(token)),
                None => "Not initiated".to_owned(),
            };
            let _ = write!(
                main,
                "<tr><td>{} {}</td><td><code>{}</code></td><td>{}</td><td>{link}</td></tr>",
                esc(&user.first_name),
                esc(&user.last_name),
                esc(&user.id),
                esc(user.status.label()),
            );
        }
        main.push_str("</tbody></table>");
    }
    let mode = inner.outage();
    let _ = write!(
        main,
        "<h2>Outage switch</h2><p>While on, every API call from the app gets <code>503</code> (or <code>429</code> \
         with <code>Retry-After</code>, as LedgerOS's rate limit answers), so you can show that signups still work \
         and verification is set up once LedgerOS is back. Hosted pages keep working.</p>\
         <p>The API is <strong>{}</strong>.</p>",
        match mode {
            Outage::Up => "up",
            Outage::Unavailable => "down (answering 503)",
            Outage::Throttled => "throttled (answering 429)",
        },
    );
    if mode == Outage::Up {
        main.push_str(
            "<form method=\"post\" action=\"/outage\" class=\"inline\"><input type=\"hidden\" name=\"on\" value=\"true\">\
             <button type=\"submit\">Start an outage</button></form> \
             <form method=\"post\" action=\"/outage\" class=\"inline\"><input type=\"hidden\" name=\"on\" value=\"true\">\
             <input type=\"hidden\" name=\"mode\" value=\"429\"><button type=\"submit\">Throttle the API (429)</button></form>",
        );
    } else {
        main.push_str(
            "<form method=\"post\" action=\"/outage\"><input type=\"hidden\" name=\"on\" value=\"false\">\
             <button type=\"submit\">End the outage</button></form>",
        );
    }
    page(Lang::En, StatusCode::OK, "Overview", &main)
}

#[derive(serde::Deserialize)]
pub(super) struct OutageForm {
    on: bool,
    /// `503` (the default) or `429`.
    #[serde(default)]
    mode: Option<String>,
}

/// The demo's outage switch, the same as [`super::Sandbox::set_outage_mode`].
pub(super) async fn outage(
    State(inner): State<Arc<Inner>>,
    axum::Form(form): axum::Form<OutageForm>,
) -> Response {
    let mode = match (form.on, form.mode.as_deref()) {
        (false, _) => Outage::Up,
        (true, Some("429")) => Outage::Throttled,
        (true, _) => Outage::Unavailable,
    };
    inner.set_outage(mode);
    Redirect::to("/").into_response()
}

/// What the sandbox has seen, for harnesses that run the app as its own process: the outage
/// mode, request and replay counts, and each LedgerOS user's email and id (demo data only).
pub(super) async fn stats(State(inner): State<Arc<Inner>>) -> Response {
    let state = inner.state();
    let users: Vec<serde_json::Value> = state
        .users
        .values()
        .map(|u| {
            serde_json::json!({
                "id": u.id,
                "email": u.email,
                "createdAt": u.created_at,
                "verificationStarted": u.token.is_some(),
            })
        })
        .collect();
    axum::Json(serde_json::json!({
        "outage": inner.outage().as_str(),
        "apiRequests": inner.api_requests.load(std::sync::atomic::Ordering::SeqCst),
        "idempotentReplays": inner.replays.load(std::sync::atomic::Ordering::SeqCst),
        "users": users,
    }))
    .into_response()
}

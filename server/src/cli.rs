//! The server binary's subcommands for operators of the deployment:
//!
//! ```text
//! server admin create --email ops@fintech.example [--role support|admin]
//! server admin reset-factor --email ops@fintech.example
//! ```
//!
//! `create` makes an operator for the console at `/admin` in the database of `DATABASE_URL`. The
//! password is read from standard input when it is piped (one line), or asked for twice on a
//! terminal, without echo. It never appears in the arguments, the shell history or the log.
//! Both print a one-time link (`PUBLIC_URL/admin/setup/…`, 72 hours) with which the operator
//! sets up their second factor: without one, the console does not open. `reset-factor` is
//! for the last admin who lost theirs (other operators' an admin resets in the console).

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use onboarding::clock::Clock;
use onboarding::operators::{self, OperatorError, Role};
use onboarding::second_factor;
use onboarding::store::Store;

use crate::config::DEFAULT_DATABASE_URL;

const USAGE: &str = "usage: server admin create --email EMAIL [--role support|admin]\n\
     \x20      server admin reset-factor --email EMAIL\n\
     (the password is read from standard input, or asked for on a terminal)";

/// Runs the subcommand in `args` (the arguments after the program name).
pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (email, role, reset) = match args.as_slice() {
        ["admin", "create", rest @ ..] => {
            let (email, role) = parse_create(rest)?;
            (email, role, false)
        }
        ["admin", "reset-factor", "--email", email] => ((*email).to_owned(), Role::Support, true),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return Ok(());
        }
        _ => bail!("unknown command\n{USAGE}"),
    };
    let password = if reset { String::new() } else { read_password()? };
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
    // Where the setup link points.
    let public_url = std::env::var("PUBLIC_URL")
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .unwrap_or_else(|_| "http://localhost:3000".to_owned());
    let store = Store::connect(&url, Clock::system(), &public_url)
        .await
        .context("could not open the database (DATABASE_URL)")?;
    let now = Clock::system().now_ms();
    let email = email.trim().to_lowercase();
    if reset {
        let operator = store
            .operator_by_email(&email)
            .await?
            .with_context(|| format!("{email} has no operator account"))?;
        let token = second_factor::reset(&store, &operator.id, None, now).await?;
        println!(
            "The second factor of {email} was removed. They set up a new one with this link (once, within 72 hours):"
        );
        println!("{public_url}/admin/setup/{token}");
        return Ok(());
    }
    match operators::create_operator(&store, &email, password, role).await {
        Ok(id) => {
            let token = second_factor::new_setup_link(&store, &id, now).await?;
            println!(
                "Operator {email} ({}) created. Give them this one-time link (within 72 hours) to set up their second factor, then they log in at /admin:",
                role.as_str()
            );
            println!("{public_url}/admin/setup/{token}");
            Ok(())
        }
        Err(OperatorError::Invalid(problem)) => bail!("{problem}"),
        Err(OperatorError::EmailTaken) => bail!("{email} already has an operator account"),
        Err(OperatorError::Store(e)) => Err(e.into()),
    }
}

fn parse_create(rest: &[&str]) -> anyhow::Result<(String, Role)> {
    let (mut email, mut role) = (None, Role::Support);
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        match (*flag, rest.next()) {
            ("--email", Some(value)) => email = Some((*value).to_owned()),
            ("--role", Some(value)) => {
                role = Role::parse(value)
                    .with_context(|| format!("unknown role {value}: support or admin\n{USAGE}"))?;
            }
            _ => bail!("unexpected argument {flag}\n{USAGE}"),
        }
    }
    let email = email.with_context(|| format!("--email is required\n{USAGE}"))?;
    Ok((email, role))
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password for the new operator (12 characters or more): ")?;
        let again = rpassword::prompt_password("The same password again: ")?;
        if first != again {
            bail!("the two passwords differ; nothing was created");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

//! The server binary's subcommands for operators of the deployment:
//!
//! ```text
//! server admin create --email ops@fintech.example [--role support|admin]
//! ```
//!
//! creates an operator for the console at `/admin` in the database of `DATABASE_URL`. The
//! password is read from standard input when it is piped (one line), or asked for twice on a
//! terminal, without echo. It never appears in the arguments, the shell history or the log.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use onboarding::clock::Clock;
use onboarding::operators::{self, OperatorError, Role};
use onboarding::store::Store;

use crate::config::DEFAULT_DATABASE_URL;

const USAGE: &str = "usage: server admin create --email EMAIL [--role support|admin]\n\
     (the password is read from standard input, or asked for on a terminal)";

/// Runs the subcommand in `args` (the arguments after the program name).
pub async fn run(args: &[String]) -> anyhow::Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (email, role) = match args.as_slice() {
        ["admin", "create", rest @ ..] => parse_create(rest)?,
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return Ok(());
        }
        _ => bail!("unknown command\n{USAGE}"),
    };
    let password = read_password()?;
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
    // Operators' emails hold no links, so the public URL does not matter here.
    let store = Store::connect(&url, Clock::system(), "http://localhost")
        .await
        .context("could not open the database (DATABASE_URL)")?;
    match operators::create_operator(&store, &email, password, role).await {
        Ok(_) => {
            println!(
                "Operator {} ({}) created. They can log in at /admin.",
                email.trim().to_lowercase(),
                role.as_str()
            );
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

//! Throwaway addresses (issue 30): every confirmed signup costs a LedgerOS verification, so an
//! inbox made to be thrown away is refused at signup. The maintained list of throwaway providers
//! (the `mailchecker` crate, some 2,700 of them) decides, unless an operator's rule for the
//! domain, or a domain above it, says otherwise ([`crate::store::SignupGuards`]).

use crate::forms::Email;
use crate::store::{DomainRuleKind, Store, StoreError};

/// Whether `email` is an address its owner will keep: not refused by an operator's rule, and
/// not a throwaway provider's unless an operator allowed it.
pub async fn is_kept(store: &Store, email: &Email) -> Result<bool, StoreError> {
    let domain = email.domain();
    match store.rule_for(&domain_and_parents(domain)).await? {
        Some(DomainRuleKind::Allow) => Ok(true),
        Some(DomainRuleKind::Block) => Ok(false),
        None => Ok(!listed(domain)),
    }
}

/// Whether the maintained list names `domain` (or a domain above it). The list's own check
/// also judges the address's form, stricter than ours, so it is given a plain one at `domain`.
pub fn listed(domain: &str) -> bool {
    !mailchecker::is_valid(&format!("someone@{domain}"))
}

/// `domain` and the domains above it that can be registered (two labels or more), the most
/// specific first: `a.b.example.com`, `b.example.com`, `example.com`.
pub fn domain_and_parents(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').collect();
    (0..labels.len().saturating_sub(1))
        .map(|start| labels[start..].join("."))
        .collect()
}

/// An operator's entry for a rule, as a domain: lower case, no `@` part, no trailing dot;
/// `None` when it is not a domain name.
pub fn parse_domain(input: &str) -> Option<String> {
    let input = input.trim().trim_end_matches('.').to_lowercase();
    let domain = input.rsplit_once('@').map_or(input.as_str(), |(_, d)| d);
    // The same rule as an address's host (`Email::parse`).
    let as_address = Email::parse(&format!("someone@{domain}")).ok()?;
    Some(as_address.domain().to_owned())
}

#[cfg(test)]
mod tests {
    use super::{domain_and_parents, listed, parse_domain};

    #[test]
    fn throwaway_providers_are_listed_and_ordinary_ones_are_not() {
        assert!(listed("mailinator.com"));
        assert!(listed("yopmail.com"));
        assert!(!listed("gmail.com"));
        // Every address the tests and the demo use.
        assert!(!listed("example.com"));
        assert!(!listed("x.com"));
    }

    #[test]
    fn a_domain_comes_with_the_domains_above_it() {
        assert_eq!(
            domain_and_parents("a.b.example.com"),
            ["a.b.example.com", "b.example.com", "example.com"]
        );
        assert_eq!(domain_and_parents("example.com"), ["example.com"]);
    }

    #[test]
    fn an_operators_entry_becomes_a_domain() {
        assert_eq!(
            parse_domain(" Mailinator.COM. ").as_deref(),
            Some("mailinator.com")
        );
        assert_eq!(
            parse_domain("someone@spam.example").as_deref(),
            Some("spam.example")
        );
        assert_eq!(parse_domain("not a domain"), None);
        assert_eq!(parse_domain("localhost"), None);
        assert_eq!(parse_domain(""), None);
    }
}

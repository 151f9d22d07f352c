use super::*;

const BASE: &str = "https://app.example";

#[test]
fn each_reminder_names_the_exact_step_and_links_to_it() {
    let fields = vec!["proofOfAddress".to_owned()];
    let cases = [
        (
            ApplicationStatus::NotStarted,
            "Start your identity verification",
            "/verification/continue",
        ),
        (
            ApplicationStatus::Pending,
            "Finish your identity verification",
            "/verification/continue",
        ),
        (
            ApplicationStatus::NeedsInformation,
            "Send Proof of address",
            "/status#documents",
        ),
        (
            ApplicationStatus::NeedsVerification,
            "Verify your identity again",
            "/verification/continue",
        ),
    ];
    for (status, step, path) in cases {
        let email = reminder(Lang::En, "a@example.com", "Ada", &status, &fields, BASE, "tok").unwrap();
        assert!(email.body.contains(step), "{status}: {}", email.body);
        assert!(
            email.body.contains(&format!("Continue here: {BASE}{path}")),
            "{status}"
        );
        assert!(
            email
                .body
                .contains("https://app.example/reminders/stop?token=tok")
        );
        assert_eq!(
            email.unsubscribe_url.as_deref(),
            Some("https://app.example/reminders/stop?token=tok")
        );
    }
}

#[test]
fn each_decision_says_what_happened_and_what_to_do_next() {
    let fields = vec!["proofOfAddress".to_owned(), "governmentId".to_owned()];
    let cases = [
        (ApplicationStatus::Approved, "deposit money", "/status"),
        (ApplicationStatus::Denied, "appeal", "/status#appeal"),
        (ApplicationStatus::Locked, SUPPORT_EMAIL, "/status"),
        (
            ApplicationStatus::NeedsInformation,
            "Proof of address",
            "/status#documents",
        ),
        (
            ApplicationStatus::NeedsVerification,
            "once more",
            "/verification/continue",
        ),
    ];
    for (status, says, path) in cases {
        let email = decision(Lang::En, "a@example.com", "Ada", &status, &fields, BASE).unwrap();
        assert_eq!(email.kind, EmailKind::Decision);
        assert!(email.body.contains(says), "{status}: {}", email.body);
        assert!(
            email.body.contains(&format!("{BASE}{path}")),
            "{status}: {}",
            email.body
        );
        assert!(email.unsubscribe_url.is_none(), "news, not a reminder");
        assert!(!email.body.contains("proofOfAddress"), "never a raw field name");
    }
    for status in [
        ApplicationStatus::NotStarted,
        ApplicationStatus::Pending,
        ApplicationStatus::ManualReview,
        ApplicationStatus::Canceled,
    ] {
        assert!(
            decision(Lang::En, "a@example.com", "Ada", &status, &[], BASE).is_none(),
            "{status}"
        );
    }
}

#[test]
fn finished_or_waiting_statuses_get_no_reminder() {
    for status in [
        ApplicationStatus::ManualReview,
        ApplicationStatus::Approved,
        ApplicationStatus::Denied,
        ApplicationStatus::Locked,
        ApplicationStatus::Canceled,
        ApplicationStatus::Unknown("x".into()),
    ] {
        assert!(!wants_reminder(&status, false), "{status}");
        assert!(reminder(Lang::En, "a@example.com", "Ada", &status, &[], BASE, "t").is_none());
    }
    assert!(wants_reminder(&ApplicationStatus::Pending, false));
    assert!(
        !wants_reminder(&ApplicationStatus::Pending, true),
        "submitted: LedgerOS is working"
    );
}

#[test]
fn links_carry_the_token_and_the_debug_form_hides_address_and_body() {
    let email = password_reset(Lang::En, "a@example.com", "Ada", BASE, "abc123");
    assert!(
        email
            .body
            .contains("https://app.example/password/reset?token=abc123")
    );
    assert!(email.body.contains("30 minutes"));
    let debug = format!("{email:?}");
    assert!(
        !debug.contains("a@example.com") && !debug.contains("abc123"),
        "{debug}"
    );
}

/// Every template, each given the hostile names (stored before the name rule, or typed by
/// a stranger): none carries their words, and the signup confirmation, the only email to
/// an address not yet confirmed, carries no name at all.
#[test]
fn no_template_carries_a_hostile_name_and_the_confirmation_carries_no_name() {
    let hostile = [
        "Visit https://evil.example/claim now",
        "Your card is blocked call +1 555 0100 www.evil.example",
        "<a href=\"https://evil.example\">Claim</a>",
        "www.evil.example",
    ];
    let fields = vec!["proofOfAddress".to_owned()];
    for name in hostile {
        let mut emails = vec![
            account_exists(Lang::En, "a@example.com", name, BASE),
            password_reset(Lang::En, "a@example.com", name, BASE, "tok"),
            password_changed(Lang::En, "a@example.com", name, BASE),
            verification_link(Lang::En, "a@example.com", name, BASE),
            appeal_answer(Lang::En, "a@example.com", name, BASE, "We looked again."),
        ];
        for status in [
            ApplicationStatus::Approved,
            ApplicationStatus::Denied,
            ApplicationStatus::Locked,
            ApplicationStatus::NeedsInformation,
            ApplicationStatus::NeedsVerification,
        ] {
            emails.extend(decision(Lang::En, "a@example.com", name, &status, &fields, BASE));
        }
        for status in [ApplicationStatus::NotStarted, ApplicationStatus::NeedsInformation] {
            emails.extend(reminder(
                Lang::En,
                "a@example.com",
                name,
                &status,
                &fields,
                BASE,
                "tok",
            ));
        }
        assert_eq!(emails.len(), 12);
        for email in emails {
            for piece in ["evil", "555", "href", "Visit", "blocked"] {
                assert!(
                    !email.body.contains(piece),
                    "{:?} carries {piece:?}: {}",
                    email.kind,
                    email.body
                );
                assert!(!email.subject.contains(piece));
            }
            assert!(email.body.starts_with("Hello,\n"), "{}", email.body);
        }
    }
    let confirm = confirm_signup(Lang::En, "a@example.com", BASE, "tok");
    assert!(confirm.body.starts_with("Hello,\n"), "{}", confirm.body);
    assert!(
        confirm
            .body
            .contains("https://app.example/signup/confirm?token=tok")
    );
    // A real name still greets its confirmed owner.
    assert!(
        password_changed(Lang::En, "a@example.com", "محمد", BASE)
            .body
            .starts_with("Hi محمد,\n")
    );
}

#[test]
fn emails_speak_the_persons_language_and_keep_links_whole() {
    let fields = vec!["proofOfAddress".to_owned()];
    let spanish = reminder(
        Lang::Es,
        "a@example.com",
        "Ada",
        &ApplicationStatus::NeedsInformation,
        &fields,
        BASE,
        "tok",
    )
    .unwrap();
    assert_eq!(spanish.subject, "LedgerOS necesita un documento tuyo");
    assert!(spanish.body.starts_with("Hola, Ada:\n"), "{}", spanish.body);
    assert!(
        spanish.body.contains("Envía Comprobante de domicilio."),
        "{}",
        spanish.body
    );
    assert!(
        spanish
            .body
            .contains(&format!("Sigue aquí: {BASE}/status#documents")),
        "{}",
        spanish.body
    );
    assert!(spanish.body.ends_with("— El equipo de alta de clientes\n"));

    let arabic = decision(
        Lang::Ar,
        "a@example.com",
        "Ada",
        &ApplicationStatus::Approved,
        &[],
        BASE,
    )
    .unwrap();
    assert_eq!(arabic.subject, "تم التحقق من هويتك: حسابك جاهز");
    // The link on a line of its own, untouched by bidi marks or digit shaping.
    assert!(
        arabic.body.contains(&format!("\n{BASE}/status\n")),
        "{}",
        arabic.body
    );
    let expiry = confirm_signup(Lang::Ar, "a@example.com", BASE, "tok").body;
    assert!(expiry.contains("٢٤"), "Arabic-Indic digits: {expiry}");
    assert!(
        expiry.contains(&format!("\n{BASE}/signup/confirm?token=tok\n")),
        "{expiry}"
    );
}

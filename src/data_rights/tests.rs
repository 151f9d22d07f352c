use super::*;
use crate::kyc::KycState;
use crate::store::data_rights::{AuditAbout, EXPORT_ACTION, Export, StatusChange};

fn denied_user() -> UserRecord {
    UserRecord {
        id: UserId("u1".into()),
        email: "ada@example.com".into(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        password_hash: "$argon2id$v=19$secret-hash".into(),
        created_at: 1_764_700_000_000,
        ledger_user_id: Some("user_abc".into()),
        verification_url: Some("https://ledger.example/verify/secret-token".into()),
        kyc: KycState {
            status: ApplicationStatus::Denied,
            as_of_ms: Some(1_764_700_100_000),
            required_fields: Vec::new(),
        },
        status_changed_at: 1_764_700_100_000,
        returned_at: None,
        appealed_at: None,
        appeal_answered_at: None,
        reminders_off: false,
        budget_held_at: None,
        denial_reason: Some("Sanctions list match".into()),
        confirmed_at: None,
        checked_at: None,
        language: Some(crate::i18n::Lang::Es),
    }
}

#[test]
fn the_file_has_the_documented_parts_and_never_the_hash_the_link_or_the_denial_reason() {
    let data = PersonalData {
        status_changes: vec![StatusChange {
            status: "denied".into(),
            source: "webhook".into(),
            at: 1_764_700_100_000,
        }],
        audit: vec![
            AuditAbout {
                action: "refreshed the status".into(),
                by_operator: true,
                by_person: false,
                at: 1,
            },
            AuditAbout {
                action: EXPORT_ACTION.into(),
                by_operator: false,
                by_person: true,
                at: 2,
            },
        ],
        exports: vec![Export {
            requested_by: "person".into(),
            at: 2,
        }],
        ..PersonalData::default()
    };
    let file = document(&denied_user(), &data, 1_764_800_000_000);
    let mut keys: Vec<&str> = file.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    // The module's table lists the same ones.
    let documented = [
        "appeals",
        "audit",
        "devices",
        "documents",
        "emails",
        "exports",
        "format",
        "generated_at",
        "not_included",
        "passkeys",
        "profile",
        "sessions",
        "status_history",
        "verification",
        "version",
    ];
    assert_eq!(keys, documented);
    for key in documented
        .iter()
        .filter(|k| !["format", "generated_at", "version"].contains(k))
    {
        assert!(
            include_str!("../data_rights.rs").contains(&format!("| `{key}` |")),
            "{key} documented"
        );
    }
    assert_eq!(file["format"], EXPORT_FORMAT);
    assert_eq!(file["profile"]["language"], "es");
    assert_eq!(file["generated_at"], "2025-12-03T22:13:20Z");
    assert_eq!(file["status_history"][0]["how_we_learned_it"], "a webhook");
    assert_eq!(file["audit"][0]["by"], "support");
    assert_eq!(file["audit"][1]["by"], "you");
    assert_eq!(file["exports"][0]["requested_by"], "you");
    let text = file.to_string();
    for secret in ["argon2", "secret-hash", "secret-token", "Sanctions"] {
        assert!(!text.contains(secret), "{secret} must not be in the file");
    }
}

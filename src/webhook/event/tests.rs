use proptest::prelude::*;
use serde_json::json;
use time::UtcOffset;

use super::*;

/// 2023-11-14T22:13:20.123Z
const MS: i64 = 1_700_000_000_123;

fn event(created_at: Value) -> Value {
    json!({
        "id": "evt_1",
        "type": "user.application.approved",
        "createdAt": created_at,
        "data": { "userId": "user_1" }
    })
}

fn parse(body: &Value) -> Result<ParsedEvent, EventError> {
    ParsedEvent::from_json(body.to_string().as_bytes())
}

fn created_at(value: Value) -> Result<i64, EventError> {
    parse(&event(value)).map(|e| e.created_at_ms)
}

#[test]
fn an_approved_event_is_parsed_with_all_its_fields() {
    let body = json!({
        "id": "evt_abc",
        "type": "user.application.needs_info",
        "createdAt": MS,
        "data": {
            "userId": "user_42",
            "reason": "blurry photo",
            "requiredFields": ["proofOfAddress", "governmentIdBack"],
            "applicationStatus": "needsInformation"
        },
        "livemode": false
    });
    let parsed = parse(&body).unwrap();
    assert_eq!(parsed.id.as_str(), "evt_abc");
    assert_eq!(parsed.kind, EventKind::NeedsInfo);
    assert_eq!(parsed.type_name, "user.application.needs_info");
    assert_eq!(parsed.created_at_ms, MS);
    assert_eq!(parsed.ledger_user_id.as_deref(), Some("user_42"));
    assert_eq!(parsed.reason.as_deref(), Some("blurry photo"));
    assert_eq!(parsed.required_fields, ["proofOfAddress", "governmentIdBack"]);
    assert_eq!(parsed.status_hint, Some(ApplicationStatus::NeedsInformation));
    assert_eq!(parsed.target_status(), Some(ApplicationStatus::NeedsInformation));
}

#[test]
fn created_at_is_read_as_milliseconds_in_every_numeric_form() {
    assert_eq!(created_at(json!(MS)).unwrap(), MS);
    assert_eq!(created_at(json!(MS.to_string())).unwrap(), MS);
    assert_eq!(created_at(json!(1_700_000_000_123.9)).unwrap(), MS);
}

#[test]
fn a_small_epoch_number_is_read_as_seconds() {
    assert_eq!(created_at(json!(1_700_000_000)).unwrap(), 1_700_000_000_000);
    assert_eq!(created_at(json!("1700000000")).unwrap(), 1_700_000_000_000);
    assert_eq!(created_at(json!(1_700_000_000.123)).unwrap(), MS);
}

#[test]
fn created_at_accepts_iso_strings_with_fractions_and_offsets() {
    for text in [
        "2023-11-14T22:13:20.123Z",
        "2023-11-14T22:13:20.123456789Z",
        "2023-11-15T00:13:20.123+02:00",
        "2023-11-14T17:13:20.123-05:00",
        "2023-11-15T00:13:20.123+0200",
        "2023-11-14T22:13:20.123",
    ] {
        assert_eq!(created_at(json!(text)).unwrap(), MS, "{text}");
    }
    assert_eq!(created_at(json!("2023-11-14T22:13:20Z")).unwrap(), MS - 123);
}

#[test]
fn a_bad_created_at_is_refused() {
    for value in [
        json!("yesterday"),
        json!(""),
        json!(-1),
        json!(true),
        json!({}),
        json!(u64::MAX),
        json!(1e300),
        json!("99999999999999999999"),
        json!(MAX_CREATED_AT_MS + 1),
    ] {
        assert!(
            matches!(created_at(value.clone()), Err(EventError::BadCreatedAt(_))),
            "{value}"
        );
    }
    assert!(matches!(
        created_at(Value::Null),
        Err(EventError::MissingCreatedAt)
    ));
}

#[test]
fn an_unknown_type_is_kept_with_its_status_hint() {
    let body = json!({
        "id": "evt_2",
        "type": "user.application.manual_review",
        "createdAt": MS,
        "data": { "userId": "user_1", "applicationStatus": "manualReview" }
    });
    let parsed = parse(&body).unwrap();
    assert_eq!(
        parsed.kind,
        EventKind::Other("user.application.manual_review".into())
    );
    assert_eq!(parsed.target_status(), Some(ApplicationStatus::ManualReview));
}

#[test]
fn an_unknown_type_without_data_is_still_accepted() {
    let body = json!({ "id": "evt_3", "type": "card.created", "createdAt": MS });
    let parsed = parse(&body).unwrap();
    assert_eq!(parsed.ledger_user_id, None);
    assert!(parsed.required_fields.is_empty());
    assert_eq!(parsed.target_status(), None);
}

#[test]
fn known_types_map_to_their_status_whatever_the_hint() {
    for (type_name, status) in [
        ("user.application.approved", ApplicationStatus::Approved),
        ("user.application.denied", ApplicationStatus::Denied),
        ("user.application.needs_info", ApplicationStatus::NeedsInformation),
    ] {
        let mut body = event(json!(MS));
        body["type"] = json!(type_name);
        body["data"]["applicationStatus"] = json!("pending");
        assert_eq!(parse(&body).unwrap().target_status(), Some(status));
    }
}

#[test]
fn missing_or_invalid_fields_are_named() {
    let mut no_id = event(json!(MS));
    no_id.as_object_mut().unwrap().remove("id");
    assert!(matches!(parse(&no_id), Err(EventError::MissingId)));

    let mut blank_id = event(json!(MS));
    blank_id["id"] = json!("  ");
    assert!(matches!(parse(&blank_id), Err(EventError::MissingId)));

    let mut long_id = event(json!(MS));
    long_id["id"] = json!("e".repeat(256));
    assert!(matches!(
        parse(&long_id),
        Err(EventError::IdTooLong { chars: 256 })
    ));

    let mut no_type = event(json!(MS));
    no_type.as_object_mut().unwrap().remove("type");
    assert!(matches!(parse(&no_type), Err(EventError::MissingType)));

    let mut no_created_at = event(json!(MS));
    no_created_at.as_object_mut().unwrap().remove("createdAt");
    assert!(matches!(parse(&no_created_at), Err(EventError::MissingCreatedAt)));

    let mut no_user = event(json!(MS));
    no_user["data"] = json!({});
    assert!(matches!(parse(&no_user), Err(EventError::MissingUserId)));

    assert!(matches!(
        ParsedEvent::from_json(b"{not json"),
        Err(EventError::Malformed(_))
    ));
    assert!(matches!(
        ParsedEvent::from_json(b"[]"),
        Err(EventError::Malformed(_))
    ));
}

#[test]
fn an_id_of_exactly_255_characters_is_accepted() {
    let id = "é".repeat(255);
    assert_eq!(EventId::parse(id.clone()).unwrap().as_str(), id);
}

proptest! {
    #[test]
    fn created_at_round_trips_through_both_forms(
        // 1973-03-03 to 2100-01-01: where the seconds heuristic never applies.
        ms in SECONDS_THRESHOLD..4_102_444_800_000i64,
        offset_minutes in -(14 * 60)..=(14 * 60i32),
    ) {
        prop_assert_eq!(created_at(json!(ms)).unwrap(), ms);
        prop_assert_eq!(created_at(json!(ms.to_string())).unwrap(), ms);

        let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .unwrap()
            .to_offset(offset);
        prop_assert_eq!(created_at(json!(at.format(&Rfc3339).unwrap())).unwrap(), ms);
        prop_assert_eq!(created_at(json!(at.format(&Iso8601::DEFAULT).unwrap())).unwrap(), ms);
    }
}

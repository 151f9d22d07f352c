//! The documents LedgerOS asks for (`needsInformation`): listed on the status page, uploaded with
//! a plain multipart form, checked by content and size, passed on to LedgerOS (the sandbox).

use onboarding::documents::MAX_UPLOAD_BYTES;
use onboarding::ledger::LedgerUserId;
use onboarding::status::ApplicationStatus;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sandbox::Outcome;

use crate::helpers::{TestApp, browser_like_client, location, spawn_app};

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00,
    0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
    0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n";

/// Signs up `email` and has LedgerOS (the sandbox) ask for `fields`; returns the LedgerOS id.
async fn asked_for(app: &TestApp, email: &str, fields: &[&str]) -> String {
    app.sign_up(email).await;
    let ledger_id = provisioned(app, email).await;
    let required_fields = fields.iter().map(|f| (*f).to_owned()).collect();
    app.sandbox
        .decide(&ledger_id, Outcome::NeedsInformation { required_fields })
        .await
        .unwrap();
    app.wait_for_status("needsInformation").await;
    ledger_id
}

/// The LedgerOS id of `email`, once provisioning (which may finish just after signup) is done.
async fn provisioned(app: &TestApp, email: &str) -> String {
    for _ in 0..100 {
        let user = app.services.store.user_by_email(email).await.unwrap();
        if let Some(ledger_id) = user.and_then(|u| u.ledger_user_id) {
            return ledger_id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{email} was never provisioned at LedgerOS");
}

fn file(document_type: &str, bytes: &[u8], file_name: &str, content_type: &str) -> Form {
    let part = Part::bytes(bytes.to_vec())
        .file_name(file_name.to_owned())
        .mime_str(content_type)
        .unwrap();
    Form::new()
        .text("documentType", document_type.to_owned())
        .part("file", part)
}

/// Posts the upload form as a browser without JavaScript would; expects 303 back to /status
/// and returns the status page it leads to.
async fn upload(app: &TestApp, form: Form) -> String {
    let response = app
        .client
        .post(app.url("/documents"))
        .multipart(form)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/status");
    let (code, page) = app.get_page("/status").await;
    assert_eq!(code, StatusCode::OK);
    page
}

/// What LedgerOS still wants, asked over its API.
async fn still_required(app: &TestApp, ledger_id: &str) -> Vec<String> {
    app.services
        .ledger
        .get_verification(&LedgerUserId::new(ledger_id))
        .await
        .unwrap()
        .required_fields
}

#[tokio::test]
async fn requested_documents_are_uploaded_and_the_status_moves_on_to_manual_review() {
    let app = spawn_app().await;
    let ledger_id = asked_for(&app, "ada@example.com", &["proofOfAddress", "governmentIdBack"]).await;

    let (_, page) = app.get_page("/status").await;
    assert!(page.contains("Proof of address"), "{page}");
    assert!(page.contains("from the last 3 months"), "{page}");
    assert!(page.contains("Back of your government ID"), "{page}");
    assert!(page.contains("PDF, JPEG or PNG, up to 10 MB"), "{page}");
    assert!(page.contains(r#"action="/documents""#) && page.contains(r#"enctype="multipart/form-data""#));
    assert!(page.contains(r#"value="proofOfAddress""#) && page.contains(r#"value="governmentIdBack""#));
    assert!(
        !page.contains("Continue verification"),
        "the upload is here, not on LedgerOS's page"
    );

    let page = upload(&app, file("proofOfAddress", PNG, "bill.png", "image/png")).await;
    assert_eq!(still_required(&app, &ledger_id).await, ["governmentIdBack"]);
    assert!(page.contains(r#"data-status="needsInformation""#), "{page}");
    assert!(
        page.contains("Thanks: Proof of address was sent to LedgerOS."),
        "{page}"
    );
    assert!(
        !page.contains(r#"value="proofOfAddress""#),
        "no longer asked for: {page}"
    );
    assert!(page.contains(r#"value="governmentIdBack""#), "{page}");

    // The browser's name and type do not matter: the content is a PDF.
    let page = upload(
        &app,
        file("governmentIdBack", PDF, "id back", "application/octet-stream"),
    )
    .await;
    assert_eq!(
        app.sandbox.status_of(&ledger_id),
        Some(ApplicationStatus::ManualReview)
    );
    assert!(page.contains(r#"data-status="manualReview""#), "{page}");
    assert!(page.contains("A person at LedgerOS is reviewing"), "{page}");
    assert!(!page.contains(r#"action="/documents""#), "{page}");
}

#[tokio::test]
async fn a_file_over_10_mb_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let ledger_id = asked_for(&app, "ada@example.com", &["proofOfAddress"]).await;
    let mut big = PNG.to_vec();
    big.resize(MAX_UPLOAD_BYTES + 1, 0);

    let page = upload(&app, file("proofOfAddress", &big, "bill.png", "image/png")).await;

    assert!(page.contains("the file is larger than 10 MB"), "{page}");
    assert!(
        page.contains(r#"aria-invalid="true""#),
        "shown at the input too: {page}"
    );
    assert!(page.contains(r#"data-status="needsInformation""#));
    assert_eq!(still_required(&app, &ledger_id).await, ["proofOfAddress"]);

    // Exactly 10 MB is fine.
    big.truncate(MAX_UPLOAD_BYTES);
    let page = upload(&app, file("proofOfAddress", &big, "bill.png", "image/png")).await;
    assert!(page.contains(r#"data-status="manualReview""#), "{page}");
}

#[tokio::test]
async fn a_body_far_over_the_limit_still_gets_a_message() {
    let app = spawn_app().await;
    let ledger_id = asked_for(&app, "ada@example.com", &["proofOfAddress"]).await;
    let mut huge = PNG.to_vec();
    huge.resize(MAX_UPLOAD_BYTES + 2 * 1024 * 1024, 0);

    let page = upload(&app, file("proofOfAddress", &huge, "bill.png", "image/png")).await;

    assert!(page.contains("the file is larger than 10 MB"), "{page}");
    assert_eq!(still_required(&app, &ledger_id).await, ["proofOfAddress"]);
}

#[tokio::test]
async fn only_pdf_jpeg_and_png_content_is_accepted_whatever_the_name() {
    let app = spawn_app().await;
    let ledger_id = asked_for(&app, "ada@example.com", &["proofOfAddress"]).await;

    let page = upload(
        &app,
        file(
            "proofOfAddress",
            b"just some text, honest",
            "bill.png",
            "image/png",
        ),
    )
    .await;
    assert!(page.contains("the file is not a PDF, JPEG or PNG"), "{page}");
    assert!(!page.contains("bill.png"), "the file name is not repeated");

    let page = upload(&app, file("proofOfAddress", b"", "", "application/octet-stream")).await;
    assert!(page.contains("choose a file first"), "{page}");

    let page = upload(&app, Form::new().text("documentType", "proofOfAddress")).await;
    assert!(page.contains("choose a file first"), "{page}");

    assert_eq!(still_required(&app, &ledger_id).await, ["proofOfAddress"]);
    assert!(page.contains(r#"data-status="needsInformation""#));
}

#[tokio::test]
async fn a_document_that_was_not_asked_for_is_refused() {
    let app = spawn_app().await;
    let ledger_id = asked_for(&app, "ada@example.com", &["proofOfAddress"]).await;

    for document_type in ["selfie", "bankStatement", ""] {
        let page = upload(&app, file(document_type, PNG, "me.png", "image/png")).await;
        assert!(
            page.contains("asked for that document"),
            "{document_type}: {page}"
        );
    }
    assert_eq!(still_required(&app, &ledger_id).await, ["proofOfAddress"]);
    assert_eq!(
        app.sandbox.status_of(&ledger_id),
        Some(ApplicationStatus::NeedsInformation)
    );
}

#[tokio::test]
async fn when_ledger_is_unreachable_the_person_is_asked_to_try_again() {
    let app = spawn_app().await;
    let ledger_id = asked_for(&app, "ada@example.com", &["proofOfAddress"]).await;

    app.sandbox.set_outage(true);
    let page = upload(&app, file("proofOfAddress", PNG, "bill.png", "image/png")).await;
    app.sandbox.set_outage(false);

    assert!(page.contains("reach our verification partner"), "{page}");
    assert!(page.contains("Please try again in a minute."), "{page}");
    assert_eq!(still_required(&app, &ledger_id).await, ["proofOfAddress"]);

    let page = upload(&app, file("proofOfAddress", PNG, "bill.png", "image/png")).await;
    assert!(page.contains(r#"data-status="manualReview""#), "{page}");
}

#[tokio::test]
async fn signed_out_uploads_go_to_the_login_page() {
    let app = spawn_app().await;
    let ledger_id = asked_for(&app, "ada@example.com", &["proofOfAddress"]).await;

    let response = browser_like_client()
        .post(app.url("/documents"))
        .multipart(file("proofOfAddress", PNG, "bill.png", "image/png"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login");
    assert_eq!(still_required(&app, &ledger_id).await, ["proofOfAddress"]);
}

#[tokio::test]
async fn uploads_are_rate_limited_per_account_with_a_plain_message() {
    let app = spawn_app().await;
    app.sign_up("ada@example.com").await;

    for _ in 0..10 {
        upload(&app, file("selfie", PNG, "me.png", "image/png")).await;
    }
    let page = upload(&app, file("selfie", PNG, "me.png", "image/png")).await;

    assert!(
        page.contains("Too many attempts. Please try again in 1 minute."),
        "{page}"
    );
}

use super::*;

#[test]
fn every_refusal_says_what_to_do_without_technical_words() {
    for refusal in [
        Refusal::Unreadable,
        Refusal::NoFile,
        Refusal::EmptyFile,
        Refusal::TooLarge,
        Refusal::NotPdfJpegOrPng,
        Refusal::NothingRequested,
        Refusal::NotRequested,
        Refusal::LedgerUnavailable,
        Refusal::LedgerRefused,
        Refusal::Internal,
    ] {
        let message = refusal.message("Proof of address");
        assert!(message.ends_with('.'), "{refusal:?}: {message}");
        for word in ["413", "multipart", "MIME", "error"] {
            assert!(!message.contains(word), "{refusal:?}: {message}");
        }
    }
    assert!(Refusal::TooLarge.message("Selfie").contains("larger than 10 MB"));
    assert!(
        Refusal::NotPdfJpegOrPng
            .message("Selfie")
            .contains("PDF, JPEG or PNG")
    );
    assert!(
        Refusal::LedgerUnavailable
            .message("Selfie")
            .contains("couldn't reach our verification partner")
    );
}

#[test]
fn the_thanks_says_how_many_documents_are_left() {
    assert_eq!(sent_message("Selfie", 0), "Thanks: Selfie was sent to LedgerOS.");
    assert!(sent_message("Selfie", 1).contains("the last document"));
    assert!(sent_message("Selfie", 2).contains("the other documents"));
}

use super::*;
use onboarding::i18n::Lang;

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
        let message = refusal.message("Proof of address", Lang::En);
        assert!(message.ends_with('.'), "{refusal:?}: {message}");
        for word in ["413", "multipart", "MIME", "error"] {
            assert!(!message.contains(word), "{refusal:?}: {message}");
        }
    }
    assert!(
        Refusal::TooLarge
            .message("Selfie", Lang::En)
            .contains("larger than 10 MB")
    );
    assert!(
        Refusal::NotPdfJpegOrPng
            .message("Selfie", Lang::En)
            .contains("PDF, JPEG or PNG")
    );
    assert!(
        Refusal::LedgerUnavailable
            .message("Selfie", Lang::En)
            .contains("couldn't reach our verification partner")
    );
}

#[test]
fn the_thanks_says_how_many_documents_are_left() {
    assert_eq!(
        sent_message("Selfie", 0, Lang::En),
        "Thanks: Selfie was sent to LedgerOS."
    );
    assert!(sent_message("Selfie", 1, Lang::En).contains("the last document"));
    assert!(sent_message("Selfie", 2, Lang::En).contains("the other documents"));
}

#[test]
fn upload_messages_speak_the_page_language() {
    assert_eq!(
        sent_message("Selfi", 1, Lang::Es),
        "Gracias: «Selfi» se ha enviado a LedgerOS. Sube el último documento de la lista de abajo."
    );
    assert!(
        Refusal::TooLarge
            .message("Selfi", Lang::Es)
            .contains("más de 10 MB")
    );
}

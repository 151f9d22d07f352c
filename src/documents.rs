//! The documents LedgerOS may ask for, and the files we accept for them.
//!
//! Pure code (serde only), shared by the server, which decides, and the browser, which shows
//! the upload forms. A file's kind is judged by its first bytes ([`sniff`]), never by its name
//! or the Content-Type the browser sent.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The largest document we accept: 10 MB.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// The `accept` attribute of an upload input: what [`sniff`] recognises, by extension and type.
pub const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

/// The kinds of document `PUT /v1/verification/user/{userId}/document` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DocumentType {
    Passport,
    DriversLicense,
    NationalId,
    ProofOfAddress,
    GovernmentIdBack,
    Selfie,
}

impl DocumentType {
    /// Every document type, in the order the upload page offers them.
    pub const ALL: [DocumentType; 6] = [
        Self::Passport,
        Self::DriversLicense,
        Self::NationalId,
        Self::ProofOfAddress,
        Self::GovernmentIdBack,
        Self::Selfie,
    ];

    /// The wire name, as in `requiredFields`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passport => "passport",
            Self::DriversLicense => "driversLicense",
            Self::NationalId => "nationalId",
            Self::ProofOfAddress => "proofOfAddress",
            Self::GovernmentIdBack => "governmentIdBack",
            Self::Selfie => "selfie",
        }
    }

    /// Parses a wire name; `None` for fields that are not documents.
    pub fn parse(wire: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == wire)
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Passport => "Passport",
            Self::DriversLicense => "Driver's license",
            Self::NationalId => "National ID card",
            Self::ProofOfAddress => "Proof of address",
            Self::GovernmentIdBack => "Back of your government ID",
            Self::Selfie => "Selfie",
        }
    }

    /// The document's name in the applicant's language.
    pub fn label_in(self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::msg;
        let key = match self {
            Self::Passport => msg::DOCUMENT_PASSPORT,
            Self::DriversLicense => msg::DOCUMENT_DRIVERS_LICENSE,
            Self::NationalId => msg::DOCUMENT_NATIONAL_ID,
            Self::ProofOfAddress => msg::DOCUMENT_PROOF_OF_ADDRESS,
            Self::GovernmentIdBack => msg::DOCUMENT_GOVERNMENT_ID_BACK,
            Self::Selfie => msg::DOCUMENT_SELFIE,
        };
        crate::i18n::t(lang, key)
    }

    /// [`Self::description`] in the applicant's language.
    pub fn description_in(self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::msg;
        let key = match self {
            Self::Passport => msg::DOCUMENT_PASSPORT_DESCRIPTION,
            Self::DriversLicense => msg::DOCUMENT_DRIVERS_LICENSE_DESCRIPTION,
            Self::NationalId => msg::DOCUMENT_NATIONAL_ID_DESCRIPTION,
            Self::ProofOfAddress => msg::DOCUMENT_PROOF_OF_ADDRESS_DESCRIPTION,
            Self::GovernmentIdBack => msg::DOCUMENT_GOVERNMENT_ID_BACK_DESCRIPTION,
            Self::Selfie => msg::DOCUMENT_SELFIE_DESCRIPTION,
        };
        crate::i18n::t(lang, key)
    }

    /// One plain sentence on what the document is.
    pub fn description(self) -> &'static str {
        match self {
            Self::Passport => "The photo page of your passport, valid and with all four corners visible.",
            Self::DriversLicense => {
                "The front of your driver's license, valid and with all four corners visible."
            }
            Self::NationalId => {
                "The front of your national ID card, valid and with all four corners visible."
            }
            Self::ProofOfAddress => {
                "A utility bill, bank statement or government letter from the last 3 months showing your name and address."
            }
            Self::GovernmentIdBack => {
                "A photo of the back of the ID you used to verify, with all four corners visible."
            }
            Self::Selfie => "A clear, recent photo of your face in good light, without sunglasses or a hat.",
        }
    }
}

impl fmt::Display for DocumentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file format we accept for documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    /// The MIME type to send the file with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }
}

/// The kind of file `bytes` hold, by their signature ("magic bytes"); `None` for anything
/// that is not a PDF, JPEG or PNG, whatever it is called.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    const PDF: &[u8] = b"%PDF-";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if bytes.starts_with(PDF) {
        Some(FileKind::Pdf)
    } else if bytes.starts_with(JPEG) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(PNG) {
        Some(FileKind::Png)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_types_round_trip_through_their_wire_names() {
        for kind in DocumentType::ALL {
            assert_eq!(DocumentType::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.to_string(), kind.as_str());
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<DocumentType>(&json).unwrap(), kind);
        }
        assert_eq!(DocumentType::parse("dateOfBirth"), None);
        assert_eq!(DocumentType::parse("ProofOfAddress"), None);
    }

    #[test]
    fn every_document_type_has_a_label_and_one_plain_sentence() {
        for kind in DocumentType::ALL {
            assert!(!kind.label().is_empty(), "{kind}");
            let description = kind.description();
            assert!(description.ends_with('.'), "{kind}: {description}");
            assert_eq!(
                description.matches(". ").count(),
                0,
                "one sentence: {description}"
            );
        }
        assert_eq!(DocumentType::ProofOfAddress.label(), "Proof of address");
        assert!(
            DocumentType::ProofOfAddress
                .description()
                .contains("last 3 months")
        );
    }

    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), Some(FileKind::Pdf));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F']),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE1]),
            Some(FileKind::Jpeg),
            "EXIF JPEG"
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(FileKind::Png));
    }

    #[test]
    fn anything_else_is_refused_whatever_it_claims() {
        for bytes in [
            &b""[..],
            b"%PDF",               // cut short
            b"\x89PNG\r\n",        // cut short
            b"\xFF\xD8",           // cut short
            b"hello, I am a png",  // a text file named .png
            b"GIF89a\x01\0\x01\0", // another image format
            b"PK\x03\x04",         // a zip (docx…)
            b" %PDF-1.4",          // not at the start
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ] {
            assert_eq!(sniff(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn file_kinds_name_their_type_and_extension() {
        assert_eq!(FileKind::Pdf.content_type(), "application/pdf");
        assert_eq!(FileKind::Jpeg.content_type(), "image/jpeg");
        assert_eq!(FileKind::Png.content_type(), "image/png");
        for kind in [FileKind::Pdf, FileKind::Jpeg, FileKind::Png] {
            assert!(ACCEPT.contains(kind.content_type()), "{kind:?}");
            assert!(ACCEPT.contains(&format!(".{}", kind.extension())), "{kind:?}");
        }
    }

    #[test]
    fn the_limit_is_ten_megabytes() {
        assert_eq!(MAX_UPLOAD_BYTES, 10_485_760);
    }
}

//! An uploaded file's first bytes: it is a PDF, JPEG or PNG by its signature, or refused,
//! whatever it claims to be, and the answer agrees with the signature.

#![no_main]

use libfuzzer_sys::fuzz_target;
use onboarding::documents::{self, DocumentType, FileKind};
use onboarding_fuzz::within_limit;

fuzz_target!(|data: &[u8]| {
    within_limit(data, |data| {
        match documents::sniff(data) {
            Some(FileKind::Pdf) => assert!(data.starts_with(b"%PDF-")),
            Some(FileKind::Jpeg) => assert!(data.starts_with(&[0xFF, 0xD8, 0xFF])),
            Some(FileKind::Png) => assert!(data.starts_with(b"\x89PNG\r\n\x1a\n")),
            None => assert!(
                !data.starts_with(b"%PDF-")
                    && !data.starts_with(&[0xFF, 0xD8, 0xFF])
                    && !data.starts_with(b"\x89PNG\r\n\x1a\n")
            ),
        }
        // The document type a form names is one we know, or nothing.
        if let Ok(name) = std::str::from_utf8(data) {
            if let Some(kind) = DocumentType::parse(name) {
                assert_eq!(kind.as_str(), name);
            }
        }
    });
});

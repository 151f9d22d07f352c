//! Writes `i18n_messages.rs` for `src/i18n`: a constant for every message of the English
//! Fluent files (so code can only name messages that exist) and the files of every language,
//! embedded.

use std::fmt::Write as _;
use std::path::Path;

const LANGUAGES: [&str; 3] = ["en", "es", "ar"];

fn main() {
    // Read when the script runs, not when it is compiled: cargo shares one compiled script
    // between checkouts of the workspace (worktrees) that use the same target directory.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("src/i18n");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut out = String::from("pub mod keys {\n    use crate::i18n::Key;\n");
    let english = files(&root.join("en"));
    for (_, path) in &english {
        let text = std::fs::read_to_string(path).expect("read a Fluent file");
        for id in message_ids(&text) {
            let constant = id.replace('-', "_").to_uppercase();
            writeln!(out, "    pub const {constant}: Key = Key({id:?});").unwrap();
        }
    }
    out.push_str("}\n\n/// The Fluent files of `lang`, as (file name, text).\n");
    out.push_str(
        "pub fn sources(lang: &str) -> &'static [(&'static str, &'static str)] {\n    match lang {\n",
    );
    for lang in LANGUAGES {
        writeln!(out, "        {lang:?} => &[").unwrap();
        for (name, path) in files(&root.join(lang)) {
            writeln!(
                out,
                "            ({name:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
        out.push_str("        ],\n");
    }
    out.push_str("        _ => &[],\n    }\n}\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n_messages.rs");
    std::fs::write(target, out).expect("write i18n_messages.rs");
}

/// The `.ftl` files of a folder, by name.
fn files(folder: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "ftl"))
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), path))
        .collect();
    files.sort();
    files
}

/// The ids of the messages (not the `-terms`) defined in a Fluent file: lines that start
/// with an identifier followed by `=`.
fn message_ids(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            let mut chars = id.chars();
            let first = chars.next()?;
            (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .then_some(id)
        })
        .collect()
}

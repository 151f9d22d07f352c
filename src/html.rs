//! HTML escaping for the few pages written by hand (the sandbox, the dev mailbox).

/// Escapes text for element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            super::escape("<a href=\"x\">Ada & 'Bob'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Ada &amp; &#39;Bob&#39;&lt;/a&gt;"
        );
    }
}

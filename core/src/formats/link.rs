//! Resolving a relative address against a base, as browsers do for the cases feeds and Liferay
//! produce (no `url` crate in the wasm). The result is checked by `checked_web_url` afterwards.

/// `reference` resolved against the absolute http(s) address `base` (RFC 3986, section 5.2).
/// An absolute reference is returned as it is; `None` when the reference is relative and the base
/// is not an absolute http(s) address.
pub(crate) fn resolve(base: Option<&str>, reference: &str) -> Option<String> {
    let reference = reference.trim();
    if has_scheme(reference) {
        return Some(reference.to_owned());
    }
    let base = base.map(str::trim).filter(|base| is_web(base))?;
    let scheme_end = base.find(':')?;
    let (scheme, after_scheme) = (base.get(..scheme_end)?, base.get(scheme_end + 1..)?);
    let rest = after_scheme.strip_prefix("//")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = (rest.get(..authority_end)?, rest.get(authority_end..)?);
    let tail = tail.split('#').next().unwrap_or_default();
    let (base_path, base_query) = tail.split_once('?').map_or((tail, None), |(path, query)| (path, Some(query)));
    let origin = format!("{scheme}://{authority}");
    if reference.starts_with("//") {
        return Some(format!("{scheme}:{reference}"));
    }
    if reference.is_empty() || reference.starts_with('#') {
        let query = base_query.map(|query| format!("?{query}")).unwrap_or_default();
        return Some(format!("{origin}{base_path}{query}{reference}"));
    }
    if reference.starts_with('?') {
        return Some(format!("{origin}{base_path}{reference}"));
    }
    let split = reference.find(['?', '#']).unwrap_or(reference.len());
    let (path, suffix) = (reference.get(..split)?, reference.get(split..)?);
    let merged = if path.starts_with('/') {
        path.to_owned()
    } else {
        let directory = base_path.rfind('/').and_then(|slash| base_path.get(..=slash)).unwrap_or("/");
        format!("{directory}{path}")
    };
    Some(format!("{origin}{}{suffix}", remove_dot_segments(&merged)))
}

/// Whether `text` starts with a URL scheme (`https:`, `mailto:`…).
fn has_scheme(text: &str) -> bool {
    let Some(colon) = text.find(':') else { return false };
    let scheme = text.get(..colon).unwrap_or_default();
    scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

fn is_web(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `/a/b/../c/./d` → `/a/c/d`.
fn remove_dot_segments(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let mut parts = path.split('/').skip(1).peekable();
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        match part {
            "." => {
                if last {
                    segments.push("");
                }
            }
            ".." => {
                segments.pop();
                if last {
                    segments.push("");
                }
            }
            part => segments.push(part),
        }
    }
    format!("/{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_as_in_rfc_3986() {
        let base = Some("http://a/b/c/d;p?q");
        for (reference, expected) in [
            ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
            ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"), (";x", "http://a/b/c/;x"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"),
            ("../..", "http://a/"), ("../../g", "http://a/g"), ("../../../g", "http://a/g"), ("/./g", "http://a/g"),
            ("g.", "http://a/b/c/g."), ("g..", "http://a/b/c/g.."), ("./g/.", "http://a/b/c/g/"), ("g;x=1/../y", "http://a/b/c/y"),
            ("https://x.vn/a", "https://x.vn/a"), ("mailto:a@x.vn", "mailto:a@x.vn"),
        ] {
            assert_eq!(resolve(base, reference).as_deref(), Some(expected), "{reference:?}");
        }
        assert_eq!(resolve(Some("https://xa.gov.vn"), "tin-tuc/1").as_deref(), Some("https://xa.gov.vn/tin-tuc/1"));
        assert_eq!(resolve(Some("https://xa.gov.vn/rss/tin.xml#x"), "/a").as_deref(), Some("https://xa.gov.vn/a"));
        assert_eq!(resolve(None, "/a"), None);
        assert_eq!(resolve(Some("/relative/base"), "a"), None);
        assert_eq!(resolve(Some("file:///etc/"), "a"), None);
    }
}

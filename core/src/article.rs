//! The one article model every input format is normalised into.

/// An article as the reader shows it. Every field is plain text or a checked value;
/// only `body` may carry HTML, and that HTML still has to pass the sanitiser before it is shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    /// The publisher's id for the article, used as the view-counter key when it is a valid one.
    pub id: Option<String>,
    pub title: String,
    /// BCP 47 language tag of the article text (`vi` when the data does not say).
    pub language: String,
    /// Publication instant in milliseconds since the Unix epoch (UTC).
    pub published_ms: Option<i64>,
    pub authors: Vec<String>,
    /// The publishing office ("Trung tâm TT-VH-TT thị xã Đức Phổ").
    pub agency: Option<String>,
    pub body: Body,
    /// Canonical address of the article on the portal (http or https only).
    pub url: Option<String>,
    /// View count carried by the data itself (shown when no counter service answers).
    pub views: Option<u64>,
    /// Subjects the source files the article under, one line each, in the source's order: JSON
    /// Feed `tags`, RSS and Atom `category`, Liferay `taxonomyCategoryBriefs` names.
    pub categories: Vec<String>,
}

/// The article body: untrusted HTML to be sanitised, or plain text paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Html(String),
    Paragraphs(Vec<String>),
}

impl Default for Body {
    fn default() -> Self {
        Body::Paragraphs(Vec::new())
    }
}

impl Article {
    /// "Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ": authors, then the agency, joined by an en dash
    /// as the portals print it. `None` when neither is known.
    pub fn byline(&self) -> Option<String> {
        let authors = self.authors.join(", ");
        match (authors.is_empty(), &self.agency) {
            (true, None) => None,
            (true, Some(agency)) => Some(agency.clone()),
            (false, None) => Some(authors),
            (false, Some(agency)) => Some(format!("{authors} – {agency}")),
        }
    }

    /// The key under which the view counter counts this article, if the id is one it accepts
    /// (1–128 characters of `A-Z a-z 0-9 . _ : / -`, the counter service's own rule).
    pub fn counter_key(&self) -> Option<&str> {
        self.id.as_deref().filter(|id| is_valid_counter_key(id))
    }
}

/// The counter service's id rule, shared so the reader never sends an id the service would refuse.
pub fn is_valid_counter_key(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'/' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byline_joins_authors_and_agency_with_an_en_dash() {
        let mut article = Article {
            authors: vec!["Thúy Yến".into()],
            agency: Some("Trung tâm TT-VH-TT thị xã Đức Phổ".into()),
            ..Article::default()
        };
        assert_eq!(article.byline().as_deref(), Some("Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ"));
        article.agency = None;
        assert_eq!(article.byline().as_deref(), Some("Thúy Yến"));
        article.authors.clear();
        assert_eq!(article.byline(), None);
        article.agency = Some("UBND xã".into());
        assert_eq!(article.byline().as_deref(), Some("UBND xã"));
    }

    #[test]
    fn counter_key_accepts_only_the_services_alphabet() {
        let mut article = Article { id: Some("ducpho-2023-12-27-truc-bao-mttq".into()), ..Article::default() };
        assert_eq!(article.counter_key(), Some("ducpho-2023-12-27-truc-bao-mttq"));
        article.id = Some("có dấu".into());
        assert_eq!(article.counter_key(), None);
        article.id = Some("x".repeat(129));
        assert_eq!(article.counter_key(), None);
        article.id = Some(String::new());
        assert_eq!(article.counter_key(), None);
    }
}

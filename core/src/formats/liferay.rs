//! Liferay Headless Delivery `StructuredContent` (Liferay 7.1 and later): the content fields and
//! how the article body is made of them.
//!
//! Shapes from Liferay's `headless-delivery` OpenAPI (`ContentField`, `ContentFieldValue`,
//! `ContentDocument`): a field has a `name` (its field reference since 7.4), a `label`, a
//! `dataType` (`html` for rich text, `string`, `image`, `document`, `date`…), a
//! `contentFieldValue` (`data` for simple types, `image` for images) and `nestedContentFields`
//! (fieldsets and repeatable groups).

use super::link::resolve;
use crate::lenient;
use crate::text::html_to_text;
use crate::xml::escape;
use serde::Deserialize;

/// `ContentField`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ContentField {
    #[serde(deserialize_with = "lenient::text")]
    name: Option<String>,
    #[serde(rename = "fieldReference", deserialize_with = "lenient::text")]
    field_reference: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    label: Option<String>,
    #[serde(rename = "dataType", deserialize_with = "lenient::text")]
    data_type: Option<String>,
    #[serde(rename = "contentFieldValue", deserialize_with = "lenient::object")]
    value: Option<ContentFieldValue>,
    #[serde(rename = "nestedContentFields", deserialize_with = "lenient::nested")]
    nested: Option<Vec<ContentField>>,
}

/// `ContentFieldValue`: `data` for text and rich text, `image` for an image.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContentFieldValue {
    #[serde(deserialize_with = "lenient::text")]
    data: Option<String>,
    #[serde(deserialize_with = "lenient::object")]
    image: Option<ContentDocument>,
}

/// `ContentDocument`, as an image: `contentUrl` is relative to the portal; `description` is the
/// image's alternative text.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContentDocument {
    #[serde(rename = "contentUrl", deserialize_with = "lenient::text")]
    content_url: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    description: Option<String>,
}

/// `Creator` (`creator`): only the full name is used.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Creator {
    #[serde(deserialize_with = "lenient::text")]
    pub(super) name: Option<String>,
}

/// `TaxonomyCategoryBrief` (`taxonomyCategoryBriefs`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CategoryBrief {
    #[serde(rename = "taxonomyCategoryName", deserialize_with = "lenient::text")]
    pub(super) name: Option<String>,
}

impl ContentField {
    /// Whether `wanted` (from `data-field`) names this field: its name, field reference or label,
    /// ignoring ASCII case and surrounding spaces.
    fn is_named(&self, wanted: &str) -> bool {
        let wanted = wanted.trim();
        [&self.name, &self.field_reference, &self.label]
            .into_iter()
            .flatten()
            .any(|name| name.trim().eq_ignore_ascii_case(wanted))
    }

    fn is(&self, data_type: &str) -> bool {
        self.data_type.as_deref().is_some_and(|own| own.trim().eq_ignore_ascii_case(data_type))
    }

    fn nested(&self) -> &[ContentField] {
        self.nested.as_deref().unwrap_or_default()
    }
}

/// The article body as HTML: the rich-text field named by `wanted` (`data-field`), else the field
/// named `content` (Liferay's Basic Web Content), else every `html` and `image` field in document
/// order. A chosen field brings its nested fields with it; nested fields are read depth first.
/// Image addresses are resolved against `base` (the response's address). `None` when there is no
/// such field, or it is empty.
pub(super) fn body(fields: &[ContentField], wanted: Option<&str>, base: Option<&str>) -> Option<String> {
    let chosen = |name: &str| {
        let mut out = Vec::new();
        select(fields, &|field: &ContentField| field.is_named(name), &mut out, 0);
        render(&out, true, base)
    };
    if let Some(html) = wanted.and_then(&chosen) {
        return Some(html);
    }
    if let Some(html) = chosen("content") {
        return Some(html);
    }
    let mut all = Vec::new();
    select(fields, &|_: &ContentField| true, &mut all, 0);
    render(&all, false, base)
}

/// Collects, depth first, the fields matching `wanted` together with everything nested in them.
fn select<'a>(fields: &'a [ContentField], wanted: &dyn Fn(&ContentField) -> bool, out: &mut Vec<&'a ContentField>, depth: u8) {
    if depth >= lenient::MAX_NESTING {
        return;
    }
    for field in fields {
        if wanted(field) {
            out.push(field);
            select(field.nested(), &|_: &ContentField| true, out, depth + 1);
        } else {
            select(field.nested(), wanted, out, depth + 1);
        }
    }
}

/// HTML of the fields: rich text as it is, images as figures, and, when the fields were chosen by
/// name, plain text as paragraphs.
fn render(fields: &[&ContentField], with_text: bool, base: Option<&str>) -> Option<String> {
    let mut html = String::new();
    for field in fields {
        let Some(value) = &field.value else { continue };
        if field.is("image") || value.image.is_some() {
            let Some(image) = &value.image else { continue };
            let Some(src) = image.content_url.as_deref().map(str::trim).filter(|src| !src.is_empty()) else { continue };
            let src = resolve(base, src).unwrap_or_else(|| src.to_owned());
            let alt = image.description.as_deref().map(html_to_text).unwrap_or_default();
            html.push_str(&format!("<figure><img src=\"{}\" alt=\"{}\"></figure>", escape(&src, true), escape(alt.trim(), true)));
        } else if let Some(data) = value.data.as_deref().filter(|data| !data.trim().is_empty()) {
            if field.is("html") {
                html.push_str(data);
            } else if with_text && (field.is("string") || field.data_type.is_none()) {
                for paragraph in super::paragraphs_of(data) {
                    html.push_str(&format!("<p>{}</p>", escape(&paragraph, false)));
                }
            }
        }
    }
    Some(html).filter(|html| !html.trim().is_empty())
}

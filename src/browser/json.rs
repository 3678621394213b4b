//! JSON through the browser's own `JSON.parse`: the wasm carries no JSON parser. The core's
//! format adapters read the parsed value through the `Json` trait implemented here.

use commune_reader_core::{article_from_json, check_response, Article, FormatError, Json};
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Parses a response body into an article (size, emptiness and HTML checks first).
pub fn parse_article(text: &str, item_id: Option<&str>) -> Result<Article, FormatError> {
    let text = check_response(text)?;
    article_from_json(&parse(text).ok_or(FormatError::NotJson)?, item_id)
}

/// Parses any JSON text; `None` when it is not JSON.
pub fn parse(text: &str) -> Option<JsJson> {
    js_sys::JSON::parse(text).ok().map(JsJson)
}

/// A value produced by `JSON.parse`.
pub struct JsJson(JsValue);

impl Json for JsJson {
    fn member(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        // Own properties only: a host page that pollutes Object.prototype must not inject fields.
        let object: &js_sys::Object = self.0.unchecked_ref();
        let descriptor = Reflect::get_own_property_descriptor(object, &JsValue::from_str(key)).ok()?;
        if descriptor.is_undefined() {
            return None;
        }
        Reflect::get(&descriptor, &JsValue::from_str("value")).ok().map(JsJson)
    }

    fn elements(&self) -> Option<Vec<Self>> {
        Array::is_array(&self.0).then(|| Array::from(&self.0).iter().map(JsJson).collect())
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn is_object(&self) -> bool {
        self.0.is_object() && !Array::is_array(&self.0)
    }
}

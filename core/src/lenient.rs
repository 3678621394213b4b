//! Lenient field readers for the serde types of the input formats.
//!
//! Every field of a format type is read with `#[serde(default, deserialize_with = "…")]` and one of
//! the functions here: a value of the expected shape is kept, a value of any other shape is skipped
//! and reads as absent. One odd field from an old CMS costs that field, never the whole article.
//! Only a document that is not JSON at all fails.
//!
//! The readers work with any serde `Deserializer` (serde_json on text, serde-wasm-bindgen on the
//! result of `JSON.parse`): they ask for `deserialize_any` and skip with `IgnoredAny`, which
//! serde_json skips without recursion and serde-wasm-bindgen without reading the value at all.
//! Recursive fields (a feed's items, Liferay's nested fields) go through [`nested`], which stops
//! descending after [`MAX_NESTING`] levels, so no input can overflow the stack.
//! A key given twice in one object keeps its first value (serde's derived readers would refuse the
//! whole object).

use core::fmt;
use core::marker::PhantomData;
use serde::de::value::{MapAccessDeserializer, StringDeserializer};
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::cell::Cell;

/// Recursive fields are read this many levels deep; deeper ones are skipped.
pub const MAX_NESTING: u8 = 8;

/// Views above this are taken for corrupt data, not shown.
pub const MAX_VIEWS: u64 = 10_000_000_000;

/// A JSON number as the deserializer reports it.
#[derive(Clone, Copy)]
pub(crate) enum Number {
    Unsigned(u64),
    Other(f64),
}

/// What a lenient reader accepts. Every method has a default that refuses (and skips) the value.
pub(crate) trait Shape: Sized {
    fn from_str(_text: &str) -> Option<Self> {
        None
    }
    fn from_number(_number: Number) -> Option<Self> {
        None
    }
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// The one visitor: hands each kind of value to the shape, answers `None` for the rest.
struct ShapeVisitor<T>(PhantomData<T>);

impl<'de, T: Shape> Visitor<'de> for ShapeVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        Ok(T::from_number(Number::Other(value as f64)))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
        Ok(T::from_number(Number::Unsigned(value)))
    }
    fn visit_i128<E>(self, _: i128) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(T::from_number(Number::Other(value)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(T::from_str(text))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
        inner.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
        inner.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::from_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::from_map(map)
    }
}

/// Reads a value of the shape `T`; `None` when the value has another shape.
pub(crate) fn shape<'de, T: Shape, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_any(ShapeVisitor(PhantomData))
}

/// A value read leniently: `Lenient(None)` when it has another shape. For list elements.
struct Lenient<T>(Option<T>);

impl<'de, T: Shape> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        shape(deserializer).map(Lenient)
    }
}

impl Shape for String {
    fn from_str(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

/// A string; any other value reads as absent.
pub(crate) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    shape(deserializer)
}

/// Any value at all: true when the member is present, whatever it holds (format detection).
pub(crate) fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(deserializer).map(|_| true)
}

struct Id(String);

impl Shape for Id {
    fn from_str(text: &str) -> Option<Self> {
        Some(text.trim()).filter(|id| !id.is_empty()).map(|id| Id(id.to_owned()))
    }
    fn from_number(number: Number) -> Option<Self> {
        whole_number(number, u64::MAX).map(|id| Id(id.to_string()))
    }
}

/// An id: a non-empty string (trimmed), or a whole number ≥ 0, coerced to a string as JSON Feed asks.
pub(crate) fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(shape::<Id, D>(deserializer)?.map(|Id(id)| id))
}

struct Count(u64);

impl Shape for Count {
    /// Old CMSes write counts as strings: ASCII digits only, no sign, no fraction, no exponent.
    fn from_str(text: &str) -> Option<Self> {
        let digits = text.trim();
        let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        all_digits.then(|| digits.parse::<u64>().ok()).flatten().filter(|n| *n <= MAX_VIEWS).map(Count)
    }
    fn from_number(number: Number) -> Option<Self> {
        whole_number(number, MAX_VIEWS).map(Count)
    }
}

/// A count from 0 to [`MAX_VIEWS`]: a whole JSON number, or a string of ASCII digits ("98").
pub(crate) fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    Ok(shape::<Count, D>(deserializer)?.map(|Count(count)| count))
}

/// A non-negative whole number up to `max`, without any float formatting code in the wasm.
fn whole_number(number: Number, max: u64) -> Option<u64> {
    match number {
        Number::Unsigned(n) => Some(n).filter(|n| *n <= max),
        Number::Other(f) => (f >= 0.0 && f <= max as f64 && f.fract() == 0.0).then_some(f as u64),
    }
}

/// An object read as the serde type `T`, whose own fields are lenient in turn.
struct Object<T>(T);

impl<T: DeserializeOwned> Shape for Object<T> {
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(FirstKeyWins::new(map))).map(|value| Some(Object(value)))
    }
}

/// An object (JSON object, not array, not null); anything else reads as absent.
pub(crate) fn object<'de, T: DeserializeOwned, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    Ok(shape::<Object<T>, D>(deserializer)?.map(|Object(value)| value))
}

/// The objects of an array; other elements are skipped.
struct Objects<T>(Vec<T>);

impl<T: DeserializeOwned> Shape for Objects<T> {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut list = Vec::new();
        while let Some(Lenient(element)) = seq.next_element::<Lenient<Object<T>>>()? {
            list.extend(element.map(|Object(value)| value));
        }
        Ok(Some(Objects(list)))
    }
}

/// `[{…}, {…}]`: the objects of the array, in order (other elements skipped); anything else reads as
/// an empty list.
pub(crate) fn objects<'de, T: DeserializeOwned, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    Ok(shape::<Objects<T>, D>(deserializer)?.map(|Objects(list)| list).unwrap_or_default())
}

/// The strings of an array; other elements are skipped.
struct Strings(Vec<String>);

impl Shape for Strings {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut list = Vec::new();
        while let Some(Lenient(element)) = seq.next_element::<Lenient<String>>()? {
            list.extend(element);
        }
        Ok(Some(Strings(list)))
    }
}

/// `["…", "…"]`: the strings of the array, in order (other elements skipped); anything else reads
/// as an empty list.
pub(crate) fn strings<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(shape::<Strings, D>(deserializer)?.map(|Strings(list)| list).unwrap_or_default())
}

/// An array of objects, or a single object.
struct OneOrMany<T>(Vec<T>);

impl<T: DeserializeOwned> Shape for OneOrMany<T> {
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Ok(Object::from_map(map)?.map(|Object(value)| OneOrMany(vec![value])))
    }
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Option<Self>, A::Error> {
        Ok(Objects::from_seq(seq)?.map(|Objects(list)| OneOrMany(list)))
    }
}

/// Like [`objects`], and a single `{…}` is a list of one (JSON Feed 1.0's `author`).
pub(crate) fn one_or_many<'de, T: DeserializeOwned, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    Ok(shape::<OneOrMany<T>, D>(deserializer)?.map(|OneOrMany(list)| list).unwrap_or_default())
}

thread_local! {
    static DEPTH: Cell<u8> = const { Cell::new(0) };
}

/// Leaves one level of nesting when dropped, on errors too.
struct Level;

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// An array of objects for a field that holds objects of its own type (a feed's items, Liferay's
/// nested fields): `None` when the value is not an array, and past [`MAX_NESTING`] levels.
pub(crate) fn nested<'de, T: DeserializeOwned, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<T>>, D::Error> {
    let level = DEPTH.with(|depth| depth.get());
    if level >= MAX_NESTING {
        return IgnoredAny::deserialize(deserializer).map(|_| None);
    }
    DEPTH.with(|depth| depth.set(level + 1));
    let _leave = Level;
    Ok(shape::<Objects<T>, D>(deserializer)?.map(|Objects(list)| list))
}

/// Reads a document as `T` when it is an object; `None` for any other JSON value. The nesting
/// count starts from zero whatever happened to an earlier document.
pub(crate) fn top_level<'de, T: DeserializeOwned, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    DEPTH.with(|depth| depth.set(0));
    object(deserializer)
}

/// Keys remembered per object to drop a repeated key; a real article object has fewer than 40.
const TRACKED_KEYS: usize = 64;

/// Hands an object's entries to a derived reader, skipping a key already seen (the first value
/// wins). Only the first [`TRACKED_KEYS`] distinct keys are remembered, so a hostile object with
/// many keys costs linear time; a repeat beyond them refuses the document, as serde would.
struct FirstKeyWins<A> {
    map: A,
    seen: Vec<String>,
}

impl<A> FirstKeyWins<A> {
    fn new(map: A) -> Self {
        FirstKeyWins { map, seen: Vec::new() }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for FirstKeyWins<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(Lenient(key)) = self.map.next_key::<Lenient<String>>()? else { return Ok(None) };
            let Some(key) = key else {
                // Not a string key (no JSON deserializer makes one): skip the entry.
                self.map.next_value::<IgnoredAny>()?;
                continue;
            };
            if self.seen.contains(&key) {
                self.map.next_value::<IgnoredAny>()?;
                continue;
            }
            if self.seen.len() < TRACKED_KEYS {
                self.seen.push(key.clone());
            }
            return seed.deserialize(StringDeserializer::<A::Error>::new(key)).map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

#[cfg(all(test, feature = "json"))]
mod tests {
    use super::*;

    #[derive(Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Sample {
        #[serde(deserialize_with = "text")]
        name: Option<String>,
        #[serde(deserialize_with = "count")]
        views: Option<u64>,
        #[serde(deserialize_with = "id")]
        id: Option<String>,
        #[serde(deserialize_with = "objects")]
        list: Vec<Sample>,
        #[serde(deserialize_with = "one_or_many")]
        one: Vec<Sample>,
        #[serde(deserialize_with = "nested")]
        deeper: Option<Vec<Sample>>,
    }

    fn sample(json: &str) -> Option<Sample> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        top_level(&mut deserializer).ok().flatten()
    }

    #[test]
    fn values_of_another_shape_read_as_absent() {
        let read = sample(r#"{"name": ["x"], "views": "12abc", "id": -3, "list": [1, {"name": "a"}, null, "b"], "x": {"y": [1]}}"#);
        let expected = Sample { list: vec![Sample { name: Some("a".into()), ..Sample::default() }], ..Sample::default() };
        assert_eq!(read, Some(expected));
        assert_eq!(sample("[1]"), None);
        assert_eq!(sample(r#"{"list": {"name": "one"}}"#).map(|s| s.list.len()), Some(0), "not an array");
        assert_eq!(sample(r#"{"one": {"name": "one"}}"#).map(|s| s.one.len()), Some(1), "a single object is a list of one");
    }

    #[test]
    fn a_repeated_key_keeps_its_first_value() {
        assert_eq!(sample(r#"{"name": "a", "name": "b", "name": 3}"#).and_then(|s| s.name), Some("a".into()));
    }

    #[test]
    fn nesting_stops_at_the_limit() {
        let mut json = String::from(r#"{"name":"0""#);
        for level in 1..20 {
            json.push_str(&format!(r#","deeper":[{{"name":"{level}""#));
        }
        json.push_str(&"}]".repeat(19));
        json.push('}');
        let mut levels = 0;
        let mut current = sample(&json);
        while let Some(sample) = current {
            levels += 1;
            current = sample.deeper.unwrap_or_default().into_iter().next();
        }
        assert_eq!(levels, usize::from(MAX_NESTING) + 1);
    }
}

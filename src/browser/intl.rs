//! Dates and numbers through the browser's `Intl`: zero bytes of locale data in the wasm.

use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

const VIETNAM_TIME_ZONE: &str = "Asia/Ho_Chi_Minh";

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    options
}

fn call_format(format: Function, value: &JsValue) -> Option<String> {
    format.call1(&JsValue::UNDEFINED, value).ok()?.as_string()
}

/// "27/12/2023 09:14": the portals' own layout, always in Vietnam time whatever the device's zone.
/// Date and time are formatted separately because `vi-VN` alone would put the time first.
pub fn date_time(epoch_ms: i64, locale: &str) -> Option<String> {
    let locales = Array::of1(&JsValue::from_str(locale));
    let date = Date::new(&JsValue::from_f64(epoch_ms as f64));
    let day = Intl::DateTimeFormat::new(
        &locales,
        &options(&[("timeZone", VIETNAM_TIME_ZONE), ("day", "2-digit"), ("month", "2-digit"), ("year", "numeric")]),
    );
    let time = Intl::DateTimeFormat::new(
        &locales,
        &options(&[("timeZone", VIETNAM_TIME_ZONE), ("hour", "2-digit"), ("minute", "2-digit"), ("hourCycle", "h23")]),
    );
    Some(format!("{} {}", call_format(day.format(), &date)?, call_format(time.format(), &date)?))
}

/// "1.234" in Vietnamese, "1,234" in English.
pub fn count(value: u64, locale: &str) -> String {
    let format = Intl::NumberFormat::new(&Array::of1(&JsValue::from_str(locale)), &Object::new());
    call_format(format.format(), &JsValue::from_f64(value as f64)).unwrap_or_else(|| value.to_string())
}

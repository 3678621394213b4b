//! Component and browser-edge tests, run in headless Chromium by wasm-bindgen-test
//! (`cargo test --target wasm32-unknown-unknown`, driven by scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use commune_reader::browser::{intl, sanitize::Sanitiser, timers::sleep_ms};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE: &str = include_str!("../demo/articles/ducpho-truc-bao.json");
const FIXTURE_MS: i64 = 1_703_643_240_000;

fn document() -> Document {
    web_sys::window().and_then(|w| w.document()).expect("a browser document")
}

fn sanitise(html: &str) -> Element {
    let document = document();
    let target = document.create_element("div").expect("div");
    let sanitiser = Sanitiser { document: &document, base_url: "https://xa.example.gov.vn/tin/bai.html", table_label: "Bảng", cut_notice: "Phần còn lại bị cắt." };
    assert!(sanitiser.append_to(html, &target));
    target
}

#[wasm_bindgen_test]
fn dates_read_the_portal_way_in_vietnam_time() {
    // Whatever the machine's time zone, 02:14 UTC is 09:14 in Vietnam.
    assert_eq!(intl::date_time(FIXTURE_MS, "vi-VN").as_deref(), Some("27/12/2023 09:14"));
    assert_eq!(intl::date_time(FIXTURE_MS, "en-GB").as_deref(), Some("27/12/2023 09:14"));
}

#[wasm_bindgen_test]
fn counts_use_vietnamese_digit_grouping() {
    assert_eq!(intl::count(98, "vi-VN"), "98");
    assert_eq!(intl::count(1234, "vi-VN"), "1.234");
    assert_eq!(intl::count(1_234_567, "vi-VN"), "1.234.567");
    assert_eq!(intl::count(1234, "en-GB"), "1,234");
}

#[wasm_bindgen_test]
fn sanitiser_keeps_article_structure() {
    let out = sanitise(r#"<h1>Tiêu đề</h1><p>Đoạn <strong>đậm</strong> và <a href="/tin/khac.html">liên kết</a>.</p><ul><li>một</li></ul>"#);
    assert_eq!(
        out.inner_html(),
        r#"<h2>Tiêu đề</h2><p>Đoạn <strong>đậm</strong> và <a href="https://xa.example.gov.vn/tin/khac.html" rel="noopener noreferrer">liên kết</a>.</p><ul><li>một</li></ul>"#
    );
}

#[wasm_bindgen_test]
fn sanitiser_drops_scripts_handlers_and_bad_schemes() {
    let out = sanitise(concat!(
        r#"<p onclick="alert(1)" style="font-size:9px" class="MsoNormal">a</p>"#,
        r#"<script>alert(1)</script><img src=x onerror=alert(1)>"#,
        r#"<a href="jav&#x09;ascript:alert(1)">b</a><a href=" JAVASCRIPT:alert(1)">c</a>"#,
        r#"<svg><script>alert(1)</script></svg><math><mi>x</mi></math>"#,
        r#"<iframe srcdoc="<script>alert(1)</script>"></iframe><style>*{display:none}</style>"#,
        r#"<a href="data:text/html,hi">d</a><form action="javascript:alert(1)"><button>e</button></form>"#
    ));
    let html = out.inner_html();
    for forbidden in ["script", "onclick", "onerror", "style", "class", "javascript", "svg", "math", "iframe", "data:", "form", "button"] {
        assert!(!html.to_ascii_lowercase().contains(forbidden), "{forbidden} survived in {html}");
    }
    assert!(html.starts_with("<p>a</p>"), "{html}");
    assert!(html.contains("<a rel=\"noopener noreferrer\">b</a>"), "{html}");
}

#[wasm_bindgen_test]
fn images_load_lazily_with_alt_and_size_and_tables_scroll() {
    let out = sanitise(r#"<img src="/anh.jpg" width="640" height="80%"><table><tr><td colspan="2">x</td></tr></table>"#);
    let img = out.query_selector("img").ok().flatten().expect("img kept");
    assert_eq!(img.get_attribute("src").as_deref(), Some("https://xa.example.gov.vn/anh.jpg"));
    assert_eq!(img.get_attribute("alt").as_deref(), Some(""));
    assert_eq!(img.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(img.get_attribute("width").as_deref(), Some("640"));
    assert_eq!(img.get_attribute("height"), None, "a percentage is not a pixel size");
    let scroller = out.query_selector("div.table-scroll").ok().flatten().expect("table wrapped");
    assert_eq!(scroller.get_attribute("role").as_deref(), Some("region"));
    assert_eq!(scroller.get_attribute("aria-label").as_deref(), Some("Bảng"));
    assert!(scroller.query_selector("td[colspan='2']").ok().flatten().is_some());
}

#[wasm_bindgen_test]
fn deep_nesting_is_flattened_not_a_stack_overflow() {
    let html = format!("{}deep text{}", "<div><b>".repeat(5_000), "</b></div>".repeat(5_000));
    let out = sanitise(&html);
    assert!(out.text_content().unwrap_or_default().contains("deep text"));
}

async fn mounted_reader(attributes: &[(&str, &str)]) -> Element {
    let document = document();
    let host = document.create_element("div").expect("div");
    host.set_attribute("data-commune-reader", "").expect("attribute");
    for (name, value) in attributes {
        host.set_attribute(name, value).expect("attribute");
    }
    document.body().expect("body").append_child(&host).expect("append");
    commune_reader::mount::start();
    for _ in 0..50 {
        let shown = host.shadow_root().and_then(|root| root.query_selector("article, .error").ok().flatten());
        if shown.is_some() {
            break;
        }
        sleep_ms(20).await;
    }
    host
}

fn in_shadow(host: &Element, selector: &str) -> Option<Element> {
    host.shadow_root()?.query_selector(selector).ok().flatten()
}

#[wasm_bindgen_test]
async fn the_reader_mounts_in_a_shadow_root_and_shows_the_article() {
    let src = format!("data:application/json,{}", js_sys::encode_uri_component(FIXTURE));
    let host = mounted_reader(&[("data-src", &src)]).await;
    let article = in_shadow(&host, "article").expect("article rendered");
    assert_eq!(article.get_attribute("lang").as_deref(), Some("vi"));
    let title = in_shadow(&host, "h2.title").expect("title is an h2 by default");
    assert!(title.text_content().unwrap_or_default().starts_with("Thường trực Thị ủy"));
    let time = in_shadow(&host, "time").expect("time");
    assert_eq!(time.get_attribute("datetime").as_deref(), Some("2023-12-27T09:14:00+07:00"));
    assert_eq!(time.text_content().as_deref(), Some("27/12/2023 09:14"));
    assert_eq!(in_shadow(&host, ".views").and_then(|v| v.text_content()).as_deref(), Some("98 lượt xem"));
    assert_eq!(host.shadow_root().and_then(|r| r.query_selector_all(".body p").ok()).map(|l| l.length()), Some(5));
    assert_eq!(
        in_shadow(&host, "footer").and_then(|f| f.text_content()).as_deref(),
        Some("Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ")
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn font_buttons_scale_the_article_and_announce_it() {
    let src = format!("data:application/json,{}", js_sys::encode_uri_component(FIXTURE));
    let host = mounted_reader(&[("data-src", &src), ("data-heading-level", "3")]).await;
    assert!(in_shadow(&host, "h3.title").is_some(), "heading level follows data-heading-level");
    let larger = in_shadow(&host, "button[aria-label^='A+']").expect("A+ button").unchecked_into::<HtmlElement>();
    let reset = in_shadow(&host, "button[aria-label^='A ']").expect("A button").unchecked_into::<HtmlElement>();
    reset.click();
    larger.click();
    sleep_ms(10).await;
    let article = in_shadow(&host, "article").expect("article").unchecked_into::<HtmlElement>();
    assert_eq!(article.style().get_property_value("font-size").ok().as_deref(), Some("1.15em"));
    let status = in_shadow(&host, "[role=status][aria-live=polite]").expect("live region");
    assert_eq!(status.text_content().as_deref(), Some("Cỡ chữ 115 %"));
    reset.click();
    host.remove();
}

#[wasm_bindgen_test]
async fn a_broken_response_gives_a_vietnamese_message_not_a_panic() {
    let host = mounted_reader(&[("data-src", "data:text/html,<h1>502 Bad Gateway</h1>")]).await;
    let error = in_shadow(&host, ".error").expect("error view");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert!(error.text_content().unwrap_or_default().contains("không phải là một bài viết"));
    host.remove();
}

#[wasm_bindgen_test]
async fn english_interface_when_configured() {
    let host = mounted_reader(&[("data-lang", "en")]).await;
    let error = in_shadow(&host, ".error").expect("missing data-src is explained");
    assert!(error.text_content().unwrap_or_default().contains("data-src"));
    assert_eq!(in_shadow(&host, ".reader").and_then(|r| r.get_attribute("lang")).as_deref(), Some("en"));
    host.remove();
}

#[wasm_bindgen_test]
fn comfort_settings_round_trip_through_local_storage() {
    use commune_reader::browser::storage;
    use commune_reader_core::Comfort;
    let chosen = Comfort { theme: 2, line: 2, width: 0, speed: 3, large: true };
    storage::save_comfort(chosen);
    assert_eq!(storage::comfort(Comfort::new(0)), chosen);
    storage::save_comfort(Comfort::new(0));
}

#[wasm_bindgen_test]
fn the_theme_attribute_sets_the_default_theme_class() {
    let document = document();
    let host = document.create_element("div").expect("div");
    let _ = host.set_attribute("data-theme", "contrast");
    // The theme only; the class string is what the root element carries.
    let config = commune_reader_core::ReaderConfig::from_attributes(|name| host.get_attribute(name));
    assert_eq!(commune_reader_core::Comfort::new(config.theme).classes(), "reader contrast l1 w1");
}

//! The Liferay, RSS and Atom mappings, end to end on realistic responses (fixtures written from
//! Liferay's headless-delivery OpenAPI and from the RSS 2.0 and Atom 1.0 specifications), through
//! the native reader (`read_response`), which takes the same steps as the browser: checks, format
//! detection, then serde or the XML tree and the one mapping.

use commune_reader_core::datetime::parse_datetime;
use commune_reader_core::{
    article_from_feed_xml, read_response, Article, Body, FormatError, SourceOptions, XmlElement, XmlNode,
};

const LIFERAY: &str = include_str!("fixtures/liferay-structured-content.json");
const LIFERAY_PAGE: &str = include_str!("fixtures/liferay-structured-contents-page.json");
const RSS: &str = include_str!("fixtures/rss-portal.xml");
const ATOM: &str = include_str!("fixtures/atom-portal.xml");

const LIFERAY_URL: &str = "https://ducpho.quangngai.gov.vn/o/headless-delivery/v1.0/structured-contents/40521";
const LIFERAY_PAGE_URL: &str = "https://ducpho.quangngai.gov.vn/o/headless-delivery/v1.0/sites/20119/structured-contents";
const RSS_URL: &str = "https://ducpho.quangngai.gov.vn/rss/tin-tuc.rss";
const ATOM_URL: &str = "https://xa.example.gov.vn/tin-tuc/atom.xml";

fn options(url: &str, item: Option<&str>, field: Option<&str>) -> SourceOptions {
    SourceOptions { item: item.map(str::to_owned), field: field.map(str::to_owned), url: Some(url.to_owned()) }
}

fn read(text: &str, content_type: &str, options: &SourceOptions) -> Result<Article, FormatError> {
    read_response(text.as_bytes(), Some(content_type), options)
}

fn ms(rfc3339: &str) -> Option<i64> {
    parse_datetime(rfc3339, 0)
}

/// The HTML body; empty for a plain-text one (the assertions on it then fail).
fn html(article: &Article) -> &str {
    match &article.body {
        Body::Html(html) => html,
        Body::Paragraphs(_) => "",
    }
}

// ---------------------------------------------------------------------------------------------
// Liferay Headless Delivery.

#[test]
fn a_liferay_structured_content_is_read_completely() {
    let article = read(LIFERAY, "application/json", &options(LIFERAY_URL, None, None)).expect("an article");
    assert_eq!(article.id.as_deref(), Some("lr-40521"));
    assert_eq!(article.title, "Thường trực Thị ủy trực báo với Ủy ban MTTQ Việt Nam thị xã");
    assert_eq!(article.published_ms, ms("2023-12-27T02:14:00Z"), "UTC in the API: 09:14 in Vietnam");
    assert_eq!(article.authors, ["Nguyễn Thúy Yến"]);
    assert_eq!(article.categories, ["Tin tức – Sự kiện", "Mặt trận"]);
    assert_eq!(article.language, "vi");
    assert_eq!(article.url, None, "renderedContentURL is the API's own rendering, not the article's page");
    let body = html(&article);
    assert!(body.starts_with("<p><strong>Thường trực Thị ủy nghe Ủy ban MTTQ"), "the summary opens the body: {body}");
    assert!(body.contains("<p>Sáng ngày 27/12/2023") && body.contains("1.234.567.000 đồng"), "{body}");
    assert!(body.contains("src=\"/documents/20121/0/truc-bao.jpg"), "rich text is passed on as it is, for the sanitiser");
}

#[test]
fn a_liferay_page_yields_the_item_named_by_id_key_or_friendly_path() {
    let first = read(LIFERAY_PAGE, "application/json", &options(LIFERAY_PAGE_URL, None, None)).expect("first item");
    assert_eq!(first.id.as_deref(), Some("lr-40610"));
    assert_eq!(first.authors, ["Văn phòng HĐND và UBND thị xã"]);
    // No data-field, no `content` field: every html and image field, in order, nested ones included.
    assert_eq!(
        html(&first),
        "<figure><img src=\"https://ducpho.quangngai.gov.vn/documents/20121/40188/tiep-dan.jpg/8a1e9b2c-1d3f-4e5a-9b6c-7d8e9f0a1b2c?t=1704680000000\" \
         alt=\"Trụ sở Tiếp công dân thị xã\"></figure>\
         <p>Ủy ban nhân dân thị xã thông báo lịch tiếp công dân định kỳ tháng 01/2024 như sau:</p>\
         <table><tr><td>10/01/2024</td><td>Chủ tịch UBND thị xã</td></tr></table>"
    );
    for wanted in ["40650", "40648", "ra-quan-ngay-chu-nhat-xanh", " 40648 "] {
        let second = read(LIFERAY_PAGE, "application/json", &options(LIFERAY_PAGE_URL, Some(wanted), None)).expect(wanted);
        assert_eq!(second.id.as_deref(), Some("lr-40650"), "{wanted}");
        assert_eq!(second.published_ms, ms("2024-01-06T23:30:00Z"));
        assert!(html(&second).starts_with("<p><strong>Ra quân hưởng ứng phong trào “Ngày Chủ nhật Xanh” đầu năm 2024.</strong></p><p>Sáng"));
    }
    let missing = read(LIFERAY_PAGE, "application/json", &options(LIFERAY_PAGE_URL, Some("99999"), None));
    assert_eq!(missing, Err(FormatError::ItemNotFound));
}

#[test]
fn data_field_picks_the_body_by_name_reference_or_label() {
    let body = |field: &str| {
        let article = read(LIFERAY_PAGE, "application/json", &options(LIFERAY_PAGE_URL, None, Some(field))).expect(field);
        html(&article).to_owned()
    };
    let paragraphs = "<p>Ủy ban nhân dân thị xã thông báo lịch tiếp công dân định kỳ tháng 01/2024 như sau:</p>\
                      <table><tr><td>10/01/2024</td><td>Chủ tịch UBND thị xã</td></tr></table>";
    assert_eq!(body("phanNoiDung"), paragraphs, "a fieldset brings its nested fields");
    assert_eq!(body("doanVan"), paragraphs, "a repeatable field: every occurrence, in order");
    assert_eq!(body("Phần nội dung"), paragraphs, "the label the editor sees");
    assert_eq!(body("tóm tắt"), "<p>Lịch tiếp công dân định kỳ tháng 01/2024.</p>", "a text field chosen by name is text");
    assert_eq!(body("khongCo"), body("anything else"), "an unknown field falls back to the default choice");
    assert!(body("anhDaiDien").starts_with("<figure><img src=\"https://ducpho.quangngai.gov.vn/documents/"));
    // Without the response's address an image address stays relative, for the sanitiser to resolve.
    let relative = read(LIFERAY_PAGE, "application/json", &SourceOptions::default()).expect("article");
    assert!(html(&relative).starts_with("<figure><img src=\"/documents/20121/40188/tiep-dan.jpg"));
}

#[test]
fn liferay_fields_of_the_wrong_shape_are_dropped_one_by_one() {
    let json = r#"{"contentStructureId": 40193, "title": "Tiêu đề", "creator": "admin", "datePublished": 20231227,
        "taxonomyCategoryBriefs": {"taxonomyCategoryName": "x"}, "description": ["x"],
        "contentFields": [
            {"dataType": "html", "name": "content", "contentFieldValue": {"data": ["không phải chuỗi"]}},
            5, "x", null,
            {"dataType": "html", "name": "khac", "contentFieldValue": {"data": "<p>Thân bài</p>"}, "nestedContentFields": "x"},
            {"dataType": "image", "contentFieldValue": {"image": {"contentUrl": 7}}},
            {"dataType": "html", "contentFieldValue": "x"}
        ]}"#;
    let article = read(json, "application/json", &SourceOptions::default()).expect("best effort");
    assert_eq!(article.title, "Tiêu đề");
    assert_eq!((article.published_ms, article.authors.len(), article.categories.len()), (None, 0, 0));
    assert_eq!(article.body, Body::Html("<p>Thân bài</p>".into()));
    let summary_only = r#"{"contentStructureId": 1, "title": "T", "description": "Chỉ có tóm tắt &amp; thế thôi.", "contentFields": []}"#;
    let article = read(summary_only, "application/json", &SourceOptions::default()).expect("summary only");
    assert_eq!(article.body, Body::Paragraphs(vec!["Chỉ có tóm tắt & thế thôi.".into()]));
    let empty = r#"{"contentStructureId": 1, "siteId": 2, "contentFields": [{"dataType": "html", "contentFieldValue": {"data": "  "}}]}"#;
    assert_eq!(read(empty, "application/json", &SourceOptions::default()), Err(FormatError::NoContent));
}

#[test]
fn liferay_nested_fields_nest_only_so_deep() {
    let mut field = String::from(r#"{"dataType":"html","name":"n","contentFieldValue":{"data":"<p>sâu</p>"}}"#);
    for _ in 0..40 {
        field = format!(r#"{{"dataType":"","name":"f","nestedContentFields":[{field}]}}"#);
    }
    let json = format!(r#"{{"contentStructureId":1,"title":"Sâu","contentFields":[{field}]}}"#);
    let article = read(&json, "application/json", &SourceOptions::default()).expect("an article");
    assert_eq!(article.title, "Sâu");
    assert_eq!(article.body, Body::default(), "the body 40 levels down is not reached");
}

// ---------------------------------------------------------------------------------------------
// RSS.

#[test]
fn an_rss_item_is_read_completely() {
    let article = read(RSS, "application/rss+xml; charset=UTF-8", &options(RSS_URL, None, None)).expect("first item");
    assert_eq!(article.title, "Lịch tiếp công dân tháng 01/2024 – UBND thị xã Đức Phổ", "entities escaped twice");
    assert_eq!(article.id.as_deref(), Some("ducpho-tin-2417"));
    assert_eq!(
        article.url.as_deref(),
        Some("https://ducpho.quangngai.gov.vn/tin-tuc/lich-tiep-cong-dan-thang-01-2024.html"),
        "a relative link resolved against the channel's link"
    );
    assert_eq!(article.published_ms, ms("2024-01-08T00:30:00Z"));
    assert_eq!(article.authors, ["Văn phòng HĐND và UBND thị xã"]);
    assert_eq!(article.categories, ["Thông báo", "Tiếp công dân"]);
    assert_eq!(article.language, "vi-vn");
    let body = html(&article);
    assert!(body.starts_with("<p>Thực hiện Luật Tiếp công dân"), "content:encoded before description: {body}");
    assert!(body.contains("<img src=\"/uploads/2024/01/tiep-dan.jpg\""), "CDATA markup kept for the sanitiser");
}

#[test]
fn rss_items_are_picked_by_guid_or_link() {
    let pick = |item: &str| read(RSS, "application/rss+xml", &options(RSS_URL, Some(item), None));
    let second = pick("https://ducpho.quangngai.gov.vn/tin-tuc/ra-quan-ngay-chu-nhat-xanh.html").expect("by guid");
    assert_eq!(second.authors, ["Minh Tâm"], "the name of `mail (Name)`");
    assert_eq!(second.published_ms, ms("2024-01-06T23:30:00Z"));
    assert_eq!(second.body, Body::Html("<p>Sáng ngày 07/01/2024, Ủy ban MTTQ Việt Nam thị xã ra quân hưởng ứng phong trào “Ngày Chủ nhật Xanh”.</p>".into()));
    for wanted in ["tin-tuc/tuyen-dung-vien-chuc-2024.html", "https://ducpho.quangngai.gov.vn/tin-tuc/tuyen-dung-vien-chuc-2024.html"] {
        let third = pick(wanted).expect("by link, as written or resolved");
        assert_eq!(third.id.as_deref(), Some("https://ducpho.quangngai.gov.vn/tin-tuc/tuyen-dung-vien-chuc-2024.html"));
        assert_eq!(third.published_ms, None, "an item without a date");
        assert_eq!(
            third.body,
            Body::Html("<p>UBND thị xã thông báo tuyển dụng viên chức sự nghiệp giáo dục &amp; y tế năm 2024.</p>".into()),
            "markup escaped twice is unescaped once"
        );
    }
    let fourth = pick("ducpho-tin-2420").expect("by guid");
    assert_eq!(fourth.published_ms, ms("2024-01-09T01:00:00Z"), "ICT is +07:00");
    assert_eq!(fourth.url, None, "a guid that is not a link is no address");
    assert_eq!(
        fourth.body,
        Body::Paragraphs(vec![
            "Điện lực Đức Phổ thông báo tạm ngừng cấp điện để bảo dưỡng lưới điện.".into(),
            "Thời gian: từ 7 giờ đến 11 giờ ngày 10/01/2024.".into()
        ]),
        "a plain-text description"
    );
    assert_eq!(pick("ducpho-tin-9999"), Err(FormatError::ItemNotFound));
}

#[test]
fn a_feed_is_recognised_whatever_content_type_it_is_served_with() {
    for content_type in ["application/rss+xml", "application/xml", "text/xml", "text/html", "application/octet-stream", ""] {
        let article = read(RSS, content_type, &options(RSS_URL, None, None)).expect(content_type);
        assert_eq!(article.id.as_deref(), Some("ducpho-tin-2417"), "{content_type}");
    }
    assert!(read_response(RSS.as_bytes(), None, &SourceOptions::default()).is_ok());
}

#[test]
fn rss_1_0_and_0_91_feeds_are_read_too() {
    let rdf = r#"<?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel rdf:about="https://xa.gov.vn/rss"><title>Xã</title><link>https://xa.gov.vn/</link><dc:language>vi</dc:language></channel>
          <item rdf:about="https://xa.gov.vn/a"><title>Bài RSS 1.0</title><link>https://xa.gov.vn/a</link>
            <dc:date>2024-01-05T10:00:00+07:00</dc:date><dc:creator>Ban biên tập</dc:creator><dc:subject>Tin</dc:subject>
            <description>Nội dung.</description></item>
        </rdf:RDF>"#;
    let article = read(rdf, "application/rdf+xml", &SourceOptions::default()).expect("RSS 1.0");
    assert_eq!((article.title.as_str(), article.url.as_deref()), ("Bài RSS 1.0", Some("https://xa.gov.vn/a")));
    assert_eq!((article.published_ms, article.language.as_str()), (ms("2024-01-05T03:00:00Z"), "vi"));
    assert_eq!((article.authors, article.categories), (vec!["Ban biên tập".to_owned()], vec!["Tin".to_owned()]));
    let netscape = r#"<?xml version="1.0"?>
        <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
        <rss version="0.91"><channel><title>Xã</title><link>https://xa.gov.vn/</link><language>vi</language>
        <item><title>Bài cũ</title><link>https://xa.gov.vn/cu</link><description>Nội dung cũ.</description></item></channel></rss>"#;
    assert_eq!(read(netscape, "text/xml", &SourceOptions::default()).map(|a| a.title), Ok("Bài cũ".into()));
}

#[test]
fn a_500_item_feed_is_read_and_any_item_found() {
    let mut feed = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Xã</title><link>https://xa.gov.vn/</link>"#);
    for n in 0..500 {
        feed.push_str(&format!(
            "<item><title>Bài số {n}</title><link>/tin/{n}.html</link><guid isPermaLink=\"false\">bai-{n}</guid>\
             <pubDate>Mon, 08 Jan 2024 07:30:00 +0700</pubDate><content:encoded><![CDATA[<p>{}</p>]]></content:encoded></item>",
            "Nội dung bài viết khá dài. ".repeat(60)
        ));
    }
    feed.push_str("</channel></rss>");
    assert!(feed.len() > 1_000_000);
    let last = read(&feed, "application/rss+xml", &options("https://xa.gov.vn/rss.xml", Some("bai-499"), None)).expect("item 499");
    assert_eq!((last.title.as_str(), last.url.as_deref()), ("Bài số 499", Some("https://xa.gov.vn/tin/499.html")));
    let by_link = read(&feed, "application/rss+xml", &options("https://xa.gov.vn/rss.xml", Some("https://xa.gov.vn/tin/250.html"), None));
    assert_eq!(by_link.map(|a| a.title), Ok("Bài số 250".into()));
}

// ---------------------------------------------------------------------------------------------
// Atom.

#[test]
fn an_atom_entry_is_read_completely() {
    let article = read(ATOM, "application/atom+xml", &options(ATOM_URL, None, None)).expect("first entry");
    assert_eq!(article.title, "Họp dân thôn 3 & thôn 4 lấy ý kiến quy hoạch");
    assert_eq!(article.id.as_deref(), Some("tag:xa.example.gov.vn,2024:bai-1"));
    assert_eq!(article.url.as_deref(), Some("https://xa.example.gov.vn/tin-tuc/hop-dan-thon-3-thon-4.html"), "resolved against xml:base");
    assert_eq!(article.published_ms, ms("2024-01-05T03:00:00Z"), "published before updated");
    assert_eq!(article.authors, ["Ban biên tập"], "the feed's author for an entry without one");
    assert_eq!(article.categories, ["Thông báo", "quy-hoach"], "label, else term");
    assert_eq!(article.language, "vi");
    assert_eq!(
        html(&article),
        "<p>Nhân dân thôn 3 và thôn 4 góp ý <strong>quy hoạch</strong> khu dân cư.</p><p><a href=\"/van-ban/qh-2024.pdf\">Văn bản quy hoạch</a></p>",
        "xhtml content: the div's content as markup"
    );
    let second = read(ATOM, "application/atom+xml", &options(ATOM_URL, Some("tag:xa.example.gov.vn,2024:bai-2"), None)).expect("by id");
    assert_eq!((second.title.as_str(), second.language.as_str()), ("Second article", "en"));
    assert_eq!(second.url.as_deref(), Some("https://xa.example.gov.vn/tin-tuc/bai-hai.html"), "rel=alternate, not the enclosure");
    assert_eq!((second.authors, second.published_ms), (vec!["Lê Văn B".to_owned()], ms("2024-01-06T08:00:00Z")));
    assert_eq!(second.body, Body::Html("<p>Nội dung bài hai.</p>".into()), "content before summary");
    let by_link = read(ATOM, "application/atom+xml", &options(ATOM_URL, Some("https://xa.example.gov.vn/tin-tuc/bai-hai.html"), None));
    assert_eq!(by_link.map(|a| a.title), Ok("Second article".into()));
}

#[test]
fn a_single_atom_entry_document_is_an_article() {
    let entry = r#"<entry xmlns="http://www.w3.org/2005/Atom"><title>Một bài</title><id>urn:x:1</id>
        <link href="https://xa.gov.vn/1"/><updated>2024-01-05T10:00:00+07:00</updated><content>Chỉ là chữ.</content></entry>"#;
    let article = read(entry, "application/atom+xml", &SourceOptions::default()).expect("an entry");
    assert_eq!((article.title.as_str(), article.body), ("Một bài", Body::Paragraphs(vec!["Chỉ là chữ.".into()])));
}

// ---------------------------------------------------------------------------------------------
// Broken and hostile responses: each a clear error, quickly.

fn element(namespace: Option<&str>, name: &str, children: Vec<XmlNode>) -> XmlElement {
    XmlElement { namespace: namespace.map(str::to_owned), name: name.into(), attributes: Vec::new(), children }
}

#[test]
fn a_browser_parser_error_is_reported_as_a_broken_feed() {
    // Chromium inserts <parsererror> into the root; Firefox makes it the root.
    let xhtml = Some("http://www.w3.org/1999/xhtml");
    let error = || XmlNode::Element(element(xhtml, "parsererror", vec![XmlNode::Text("error on line 3".into())]));
    let chromium = element(None, "rss", vec![error(), XmlNode::Element(element(None, "channel", vec![]))]);
    let firefox = element(Some("http://www.mozilla.org/newlayout/xml/parsererror.xml"), "parsererror", vec![]);
    let wrapped = element(xhtml, "html", vec![XmlNode::Element(element(xhtml, "body", vec![error()]))]);
    for tree in [chromium, firefox, wrapped] {
        assert_eq!(article_from_feed_xml(&tree, &SourceOptions::default()), Err(FormatError::InvalidXml), "{tree:?}");
    }
    assert_eq!(read("<rss><channel><item><title>T</item></channel></rss>", "application/rss+xml", &SourceOptions::default()), Err(FormatError::InvalidXml));
}

#[test]
fn entity_bombs_and_external_entities_are_refused() {
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"haha\">{}]><rss><channel><item><title>&a9;</title></item></channel></rss>",
        (1..10).map(|n| format!("<!ENTITY a{n} \"{}\">", format!("&a{};", if n == 1 { String::new() } else { (n - 1).to_string() }).repeat(10))).collect::<String>()
    );
    let started = std::time::Instant::now();
    assert_eq!(read(&laughs, "application/rss+xml", &SourceOptions::default()), Err(FormatError::InvalidXml));
    assert!(started.elapsed().as_secs() < 5, "refused quickly");
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>"#;
    assert_eq!(read(xxe, "application/rss+xml", &SourceOptions::default()), Err(FormatError::InvalidXml));
    let remote = r#"<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd"><rss><channel><item><title>T</title></item></channel></rss>"#;
    assert!(read(remote, "application/rss+xml", &SourceOptions::default()).is_ok_and(|a| a.title == "T"), "an external DTD is never fetched");
}

#[test]
fn html_posing_as_a_feed_is_a_page_not_a_feed() {
    let page = "<!DOCTYPE html><html><head><title>Đăng nhập</title></head><body><form></form></body></html>";
    for content_type in ["application/rss+xml", "application/xml", "text/html", "application/json"] {
        assert_eq!(read(page, content_type, &SourceOptions::default()), Err(FormatError::HtmlPage), "{content_type}");
    }
    let xhtml = r#"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Lỗi 404</p></body></html>"#;
    assert_eq!(read(xhtml, "application/rss+xml", &SourceOptions::default()), Err(FormatError::HtmlPage));
    let tree = element(Some("http://www.w3.org/1999/xhtml"), "html", vec![]);
    assert_eq!(article_from_feed_xml(&tree, &SourceOptions::default()), Err(FormatError::HtmlPage));
}

#[test]
fn xml_that_is_no_feed_or_an_empty_feed_is_no_article() {
    let none = SourceOptions::default();
    assert_eq!(read("<urlset><url><loc>https://xa.gov.vn/</loc></url></urlset>", "application/xml", &none), Err(FormatError::NotAnArticle));
    assert_eq!(read("<rss version=\"2.0\"><channel><title>Trống</title></channel></rss>", "application/rss+xml", &none), Err(FormatError::NotAnArticle));
    assert_eq!(read("<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", "application/atom+xml", &none), Err(FormatError::NotAnArticle));
    assert_eq!(
        read("<rss><channel><item><title> </title><description/></item></channel></rss>", "application/rss+xml", &none),
        Err(FormatError::NoContent)
    );
    let wrong_shapes = "<rss><channel><item><title><b>Đậm</b> vẫn là tiêu đề</title><pubDate>hôm qua</pubDate><link>javascript:alert(1)</link>\
        <guid isPermaLink=\"true\">không phải địa chỉ</guid><description>Nội dung</description></item></channel></rss>";
    let article = read(wrong_shapes, "application/rss+xml", &none).expect("best effort");
    assert_eq!((article.title.as_str(), article.published_ms, article.url), ("Đậm vẫn là tiêu đề", None, None));
    let bytes = b"<rss><channel><item><title>\xff</title></item></channel></rss>";
    assert_eq!(read_response(bytes, Some("application/rss+xml"), &none), Err(FormatError::InvalidXml), "not UTF-8");
}

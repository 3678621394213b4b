//! Every string the reader shows, in one place, and the few text rules around them.

use crate::formats::FormatError;

/// The reader's interface language (`data-lang`); the article's own language is separate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// `vi` unless the attribute asks for English; unknown values fall back to Vietnamese.
    pub fn from_attribute(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()) {
            Some(v) if v == "en" || v.starts_with("en-") => Lang::En,
            _ => Lang::Vi,
        }
    }

    /// The locale handed to `Intl` for dates and numbers.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::Vi => "vi-VN",
            // en-GB keeps the portals' day/month/year order.
            Lang::En => "en-GB",
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn text(self) -> &'static UiText {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

/// The interface strings of one language. `{}` marks where a value goes.
#[derive(Debug)]
pub struct UiText {
    pub toolbar: &'static str,
    pub smaller_name: &'static str,
    pub reset_name: &'static str,
    pub larger_name: &'static str,
    pub font_size_now: &'static str,
    pub views: &'static str,
    pub published: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub missing_src: &'static str,
    pub network_error: &'static str,
    pub timed_out: &'static str,
    pub gone: &'static str,
    pub server_error: &'static str,
    pub refused: &'static str,
    pub too_large: &'static str,
    pub not_an_article: &'static str,
    /// An RSS or Atom feed that is not well-formed XML.
    pub invalid_feed: &'static str,
    /// `data-item` names no item of the feed.
    pub item_not_found: &'static str,
    pub no_content: &'static str,
    pub saved_copy: &'static str,
    pub table: &'static str,
    /// Ends a body the sanitiser had to cut (too long or too deeply built to show whole).
    pub cut_notice: &'static str,
    pub source_link: &'static str,
    pub reading_time: &'static str,
    pub display: &'static str,
    pub theme: &'static str,
    /// In the order of `comfort::THEMES`.
    pub themes: [&'static str; 5],
    pub line_height: &'static str,
    pub line_heights: [&'static str; 3],
    pub width: &'static str,
    pub widths: [&'static str; 3],
    pub speed: &'static str,
    pub speeds: [&'static str; 4],
    pub large_text: &'static str,
    pub restore: &'static str,
    pub restored: &'static str,
    pub print: &'static str,
    pub share: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub listen: &'static str,
    pub pause: &'static str,
    pub resume: &'static str,
    pub stop: &'static str,
    pub reading_aloud: &'static str,
    /// Announced (live region) when read-aloud is paused, resumed, stopped.
    pub paused: &'static str,
    pub resumed: &'static str,
    pub stopped_reading: &'static str,
}

pub static VI: UiText = UiText {
    toolbar: "Cỡ chữ",
    smaller_name: "A− Giảm cỡ chữ",
    reset_name: "A Cỡ chữ mặc định",
    larger_name: "A+ Tăng cỡ chữ",
    font_size_now: "Cỡ chữ {} %",
    views: "{} lượt xem",
    published: "Ngày đăng",
    loading: "Đang tải bài viết…",
    retry: "Thử lại",
    missing_src: "Chưa cấu hình địa chỉ bài viết (thuộc tính data-src).",
    network_error: "Không tải được bài viết. Vui lòng kiểm tra kết nối mạng rồi thử lại.",
    timed_out: "Máy chủ phản hồi quá lâu. Vui lòng thử lại.",
    gone: "Bài viết không còn tồn tại hoặc đã được gỡ xuống.",
    server_error: "Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.",
    refused: "Máy chủ từ chối yêu cầu đọc bài viết này.",
    too_large: "Bài viết quá lớn để hiển thị trên thiết bị này.",
    not_an_article: "Dữ liệu nhận được không phải là một bài viết.",
    invalid_feed: "Bản tin RSS/Atom nhận được bị lỗi nên không đọc được.",
    item_not_found: "Không tìm thấy bài viết đã chọn (thuộc tính data-item) trong nguồn tin.",
    no_content: "Bài viết không có nội dung.",
    saved_copy: "Đang hiển thị bản đã lưu lúc {}, vì không tải được bản mới.",
    table: "Bảng (vuốt ngang để xem hết)",
    cut_notice: "Phần còn lại của bài quá dài hoặc quá phức tạp để hiển thị ở đây.",
    source_link: "Địa chỉ bài viết:",
    reading_time: "≈ {} phút đọc",
    display: "Tùy chỉnh hiển thị",
    theme: "Màu nền",
    themes: ["Tự động", "Sáng", "Nâu đỏ", "Tối", "Tương phản cao"],
    line_height: "Khoảng cách dòng",
    line_heights: ["1,5", "1,7", "2,0"],
    width: "Độ rộng dòng chữ",
    widths: ["Hẹp", "Vừa", "Rộng"],
    speed: "Tốc độ nghe đọc",
    speeds: ["0,75×", "1×", "1,25×", "1,5×"],
    large_text: "Chữ lớn",
    restore: "Khôi phục mặc định",
    restored: "Đã khôi phục hiển thị mặc định",
    print: "In bài",
    share: "Chia sẻ",
    copied: "Đã sao chép liên kết",
    copy_failed: "Không sao chép được liên kết",
    listen: "Nghe đọc bài",
    pause: "Tạm dừng",
    resume: "Tiếp tục nghe",
    stop: "Dừng đọc",
    reading_aloud: "Đang đọc bài",
    paused: "Đã tạm dừng",
    resumed: "Tiếp tục đọc",
    stopped_reading: "Đã dừng đọc",
};

pub static EN: UiText = UiText {
    toolbar: "Text size",
    smaller_name: "A− Smaller text",
    reset_name: "A Default text size",
    larger_name: "A+ Larger text",
    font_size_now: "Text size {} %",
    views: "{} views",
    published: "Published",
    loading: "Loading the article…",
    retry: "Try again",
    missing_src: "No article address configured (data-src attribute).",
    network_error: "The article could not be loaded. Please check the connection and try again.",
    timed_out: "The server took too long to answer. Please try again.",
    gone: "This article no longer exists or has been taken down.",
    server_error: "The server is having trouble. Please try again in a few minutes.",
    refused: "The server refused to send this article.",
    too_large: "This article is too large to show on this device.",
    not_an_article: "The data received is not an article.",
    invalid_feed: "The RSS/Atom feed received is damaged and cannot be read.",
    item_not_found: "The chosen article (data-item attribute) is not in this feed.",
    no_content: "This article has no content.",
    saved_copy: "Showing the copy saved at {}, because a fresh one could not be loaded.",
    table: "Table (swipe sideways to see all)",
    cut_notice: "The rest of this article is too long or too complex to show here.",
    source_link: "Article address:",
    reading_time: "≈ {} min read",
    display: "Display settings",
    theme: "Colours",
    themes: ["Automatic", "Light", "Sepia", "Dark", "High contrast"],
    line_height: "Line spacing",
    line_heights: ["1.5", "1.7", "2.0"],
    width: "Text width",
    widths: ["Narrow", "Medium", "Wide"],
    speed: "Reading speed",
    speeds: ["0.75×", "1×", "1.25×", "1.5×"],
    large_text: "Large text",
    restore: "Restore defaults",
    restored: "Default display restored",
    print: "Print",
    share: "Share",
    copied: "Link copied",
    copy_failed: "The link could not be copied",
    listen: "Listen to the article",
    pause: "Pause",
    resume: "Resume",
    stop: "Stop reading",
    reading_aloud: "Reading the article aloud",
    paused: "Paused",
    resumed: "Reading resumed",
    stopped_reading: "Stopped reading",
};

impl UiText {
    pub fn format_error(&self, error: FormatError) -> &'static str {
        match error {
            FormatError::Empty | FormatError::HtmlPage | FormatError::NotJson | FormatError::NotAnArticle => {
                self.not_an_article
            }
            FormatError::InvalidXml => self.invalid_feed,
            FormatError::ItemNotFound => self.item_not_found,
            FormatError::TooLarge => self.too_large,
            FormatError::NoContent => self.no_content,
        }
    }
}

/// Fills the `{}` of a UI string. (Found byte-wise: a two-character `&str` pattern would bring
/// the substring searcher into the wasm, ≈ 1.5 KB, for this and one other caller.)
pub fn fill(template: &str, value: &str) -> String {
    let at = template.as_bytes().windows(2).position(|pair| pair == b"{}");
    match at.and_then(|at| Some((template.get(..at)?, template.get(at + 2..)?))) {
        Some((before, after)) => [before, value, after].concat(),
        None => template.to_owned(),
    }
}

/// Text of a small HTML fragment such as a WordPress `title.rendered`: tags dropped, the entities
/// WordPress writes decoded. Used for fields shown as text, never for bodies shown as HTML.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    for_each_text_char(html, |c| {
        if let Some(c) = c {
            text.push(c);
        }
    });
    text
}

/// The longest entity name looked for after `&` (`#x1F600`, `hellip`): a `;` further on is not
/// the end of an entity, and looking no further keeps a body of a million `&` linear.
const MAX_ENTITY_LEN: usize = 10;

/// Reads `html` once, left to right, and hands `visit` each character of its text (entities
/// decoded) and `None` where a tag was: no copy of the input, linear in its length whatever it
/// holds (so the reading time of a 2 MB body costs one pass, not three).
pub fn for_each_text_char(html: &str, mut visit: impl FnMut(Option<char>)) {
    // By byte position, ASCII without decoding: this reads megabyte bodies (reading time), and a
    // char iterator per character was most of that time in the wasm.
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let rest = bytes.get(at + 1..).unwrap_or_default();
        match byte {
            // A tag starts with a letter, `/`, `!` or `?`; "a < b" is text.
            b'<' if rest.first().is_some_and(|&next| next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?')) => {
                visit(None);
                at = rest.iter().position(|&b| b == b'>').map_or(bytes.len(), |end| at + end + 2);
            }
            b'&' => {
                // `;` is ASCII, so its byte position is a character boundary.
                let entity_end = rest.iter().take(MAX_ENTITY_LEN + 1).position(|&b| b == b';');
                let decoded = entity_end.and_then(|len| Some((len, decode_entity(html.get(at + 1..at + 1 + len)?)?)));
                match decoded {
                    Some((len, decoded)) => {
                        visit(Some(decoded));
                        at += len + 2;
                    }
                    None => {
                        visit(Some('&'));
                        at += 1;
                    }
                }
            }
            0..=0x7F => {
                visit(Some(char::from(byte)));
                at += 1;
            }
            _ => match html.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => {
                    visit(Some(c));
                    at += c.len_utf8();
                }
                // Not reached: `at` is always at a character boundary.
                None => break,
            },
        }
    }
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace());
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interface_is_vietnamese_unless_english_is_asked_for() {
        assert_eq!(Lang::from_attribute(None), Lang::Vi);
        assert_eq!(Lang::from_attribute(Some("fr")), Lang::Vi);
        assert_eq!(Lang::from_attribute(Some(" EN ")), Lang::En);
        assert_eq!(Lang::from_attribute(Some("en-US")), Lang::En);
        assert_eq!(Lang::Vi.locale(), "vi-VN");
    }

    #[test]
    fn accessible_names_contain_the_visible_labels() {
        for text in [&VI, &EN] {
            assert!(text.smaller_name.starts_with("A−"));
            assert!(text.reset_name.starts_with("A "));
            assert!(text.larger_name.starts_with("A+"));
        }
        assert_eq!(fill(VI.font_size_now, "125"), "Cỡ chữ 125 %");
        assert_eq!(fill(VI.views, "1.234"), "1.234 lượt xem");
        assert_eq!(fill("Đã lưu {} — {}", "9:00"), "Đã lưu 9:00 — {}", "only the first {{}} is filled");
        assert_eq!(fill("không có chỗ trống", "x"), "không có chỗ trống");
        assert_eq!(fill("{}", "ế"), "ế");
    }

    #[test]
    fn html_fragments_become_text() {
        assert_eq!(html_to_text("Họp dân &#8211; <em>Thôn 3</em> &amp; 4"), "Họp dân – Thôn 3 & 4");
        assert_eq!(html_to_text("&#x1F600;&lt;b&gt;&quot;"), "😀<b>\"");
        assert_eq!(html_to_text("AT&T &unknown; &#0; &#xZZ; &"), "AT&T &unknown; &#0; &#xZZ; &");
        assert_eq!(html_to_text("<script>alert(1)</script>x"), "alert(1)x");
        assert_eq!(html_to_text("a <b"), "a ");
        assert_eq!(html_to_text("Tỷ lệ < 5% &gt; 3%"), "Tỷ lệ < 5% > 3%");
        assert_eq!(html_to_text("&lt;p&gt;đã mã hóa hai lần&lt;/p&gt;"), "<p>đã mã hóa hai lần</p>");
    }
}

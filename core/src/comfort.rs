//! Reading comfort beyond the font size: colour theme, line height, text width, read-aloud speed and
//! the "Chữ lớn" (large text) preset. Every choice is an index into a short table, stored together
//! as one short string ("dark 1 1 1 0"), so a tampered or outdated value falls back field by field.

use crate::FontScale;

/// `auto` follows `prefers-color-scheme`; `contrast` keeps body text at 7:1 or more.
/// The names are the values of `data-theme` on the mount element and on the reader's root.
pub const THEMES: [&str; 5] = ["auto", "light", "sepia", "dark", "contrast"];
/// Unitless line heights: Vietnamese stacked diacritics (ệ, ở, ỹ) need 1.5 at least.
pub const LINE_HEIGHTS: [&str; 3] = ["1.5", "1.7", "2"];
/// Maximum text widths, in `em` of the article text (narrow, medium, wide).
pub const WIDTHS: [&str; 3] = ["32em", "42em", "56em"];
/// Read-aloud rates (0.75× … 1.5×) for `SpeechSynthesisUtterance.rate`.
pub const SPEEDS: [f32; 4] = [0.75, 1.0, 1.25, 1.5];
/// Font size of the large-text preset, in percent.
pub const LARGE_TEXT_PERCENT: u16 = 150;

const DEFAULT_LINE: u8 = 1;
const DEFAULT_WIDTH: u8 = 1;
const DEFAULT_SPEED: u8 = 1;
const LARGE_LINE: u8 = 2;

/// The reader's comfort settings besides the font scale (which keeps its own stored key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comfort {
    pub theme: u8,
    pub line: u8,
    pub width: u8,
    pub speed: u8,
    /// "Chữ lớn": bigger controls too, set with [`Comfort::large_text`].
    pub large: bool,
}

/// `data-theme`: one of [`THEMES`] (also `high-contrast`); anything else is `auto`.
pub fn theme_from_attribute(value: Option<&str>) -> u8 {
    let value = value.map(|v| v.trim().to_ascii_lowercase()).unwrap_or_default();
    let value = if value == "high-contrast" { "contrast" } else { value.as_str() };
    THEMES.iter().position(|&name| name == value).map_or(0, |index| index as u8)
}

fn name<T: Copy>(table: &[T], index: u8, fallback: T) -> T {
    table.get(usize::from(index)).copied().unwrap_or(fallback)
}

impl Comfort {
    /// The defaults, with the site's theme (`data-theme`).
    pub fn new(theme: u8) -> Self {
        Comfort { theme, line: DEFAULT_LINE, width: DEFAULT_WIDTH, speed: DEFAULT_SPEED, large: false }
    }

    pub fn theme_name(self) -> &'static str {
        name(&THEMES, self.theme, "auto")
    }

    pub fn line_height(self) -> &'static str {
        name(&LINE_HEIGHTS, self.line, "1.7")
    }

    pub fn width(self) -> &'static str {
        name(&WIDTHS, self.width, "42em")
    }

    pub fn rate(self) -> f32 {
        name(&SPEEDS, self.speed, 1.0)
    }

    /// The large-text preset for elderly and low-vision readers: the widest line spacing and bigger
    /// controls; the theme, width and speed stay as chosen. The font goes to [`large_text_scale`].
    pub fn large_text(self) -> Self {
        Comfort { line: LARGE_LINE, large: true, ..self }
    }

    /// The reader root's classes: the theme's name, `l0`–`l2` (line height), `w0`–`w2` (width) and
    /// `large`. style/reader.css maps them to [`LINE_HEIGHTS`] and [`WIDTHS`]; one class string is
    /// a single reactive attribute in the view instead of one per setting.
    pub fn classes(self) -> String {
        let large = if self.large { " large" } else { "" };
        format!("reader {} l{} w{}{large}", self.theme_name(), self.line.min(2), self.width.min(2))
    }

    pub fn to_stored(self) -> String {
        format!("{} {} {} {} {}", self.theme_name(), self.line, self.width, self.speed, u8::from(self.large))
    }

    /// Reads what [`Comfort::to_stored`] wrote; each missing or invalid field keeps `defaults`' value.
    pub fn from_stored(stored: &str, defaults: Self) -> Self {
        let mut fields = stored.split_whitespace();
        let theme = fields.next().and_then(|t| THEMES.iter().position(|&name| name == t)).map(|i| i as u8);
        let mut index = |len: usize| fields.next().and_then(|f| f.parse::<u8>().ok()).filter(|&i| usize::from(i) < len);
        let (line, width, speed, large) = (index(LINE_HEIGHTS.len()), index(WIDTHS.len()), index(SPEEDS.len()), index(2));
        Comfort {
            theme: theme.unwrap_or(defaults.theme),
            line: line.unwrap_or(defaults.line),
            width: width.unwrap_or(defaults.width),
            speed: speed.unwrap_or(defaults.speed),
            large: large.map_or(defaults.large, |l| l == 1),
        }
    }
}

/// The font step of the large-text preset.
pub fn large_text_scale() -> FontScale {
    FontScale::at_least(LARGE_TEXT_PERCENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_are_parsed_from_the_attribute() {
        assert_eq!(theme_from_attribute(None), 0);
        assert_eq!(theme_from_attribute(Some(" Dark ")), 3);
        assert_eq!(theme_from_attribute(Some("sepia")), 2);
        assert_eq!(theme_from_attribute(Some("high-contrast")), 4);
        assert_eq!(theme_from_attribute(Some("contrast")), 4);
        assert_eq!(theme_from_attribute(Some("neon")), 0);
        assert_eq!(Comfort::new(3).theme_name(), "dark");
    }

    #[test]
    fn spacing_steps_start_at_one_and_a_half_lines() {
        let defaults = Comfort::new(0);
        assert_eq!((defaults.line_height(), defaults.width(), defaults.rate()), ("1.7", "42em", 1.0));
        for step in LINE_HEIGHTS {
            assert!(step.parse::<f32>().unwrap() >= 1.5, "diacritics need 1.5");
        }
        assert_eq!(Comfort { line: 9, width: 9, speed: 9, ..defaults }.line_height(), "1.7", "out of range falls back");
        assert_eq!(SPEEDS.first(), Some(&0.75));
        assert_eq!(SPEEDS.last(), Some(&1.5));
    }

    #[test]
    fn classes_name_every_setting_and_the_stylesheet_knows_them() {
        assert_eq!(Comfort::new(0).classes(), "reader auto l1 w1");
        assert_eq!(Comfort { theme: 3, line: 2, width: 0, speed: 0, large: true }.classes(), "reader dark l2 w0 large");
        let css: String = include_str!("../../style/reader.css").split_whitespace().collect::<Vec<_>>().join(" ");
        for (index, height) in LINE_HEIGHTS.iter().enumerate() {
            assert!(css.contains(&format!(".l{index} article {{ line-height: {height}; }}")), "line height {height}");
        }
        for (index, width) in WIDTHS.iter().enumerate() {
            assert!(css.contains(&format!(".w{index} article {{ max-width: {width}; }}")), "width {width}");
        }
        // `light` is the base palette on `.reader` itself.
        for theme in THEMES.iter().filter(|&&theme| theme != "light") {
            assert!(css.contains(&format!(".reader.{theme} {{")), "theme {theme}");
        }
    }

    #[test]
    fn large_text_preset_is_150_percent_and_double_spacing() {
        let chosen = Comfort { theme: 2, width: 0, speed: 3, ..Comfort::new(0) };
        let large = chosen.large_text();
        assert_eq!((large.line_height(), large.large), ("2", true));
        assert_eq!((large.theme, large.width, large.speed), (2, 0, 3), "other choices stay");
        assert_eq!(large_text_scale().percent(), 150);
    }

    #[test]
    fn stored_settings_round_trip_and_garbage_falls_back() {
        let defaults = Comfort::new(1);
        let settings = Comfort { theme: 4, line: 2, width: 0, speed: 3, large: true };
        assert_eq!(settings.to_stored(), "contrast 2 0 3 1");
        assert_eq!(Comfort::from_stored(&settings.to_stored(), defaults), settings);
        assert_eq!(Comfort::from_stored("", defaults), defaults);
        assert_eq!(Comfort::from_stored("neon 7 -1 x 5", defaults), defaults);
        assert_eq!(Comfort::from_stored("dark", defaults), Comfort { theme: 3, ..defaults });
    }
}

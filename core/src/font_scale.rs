//! The A− / A / A+ steps. Sizes are percentages of the reader's base size, applied as `em`.

/// Steps from 85 % to 200 %: fine enough near the default, coarse at the large end where
/// low-vision readers want a visible jump per tap.
pub const STEPS: [u16; 8] = [85, 100, 115, 130, 150, 170, 185, 200];
const DEFAULT_INDEX: usize = 1;

/// One of the font-size steps; always a valid index into [`STEPS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FontScale(usize);

impl Default for FontScale {
    fn default() -> Self {
        FontScale(DEFAULT_INDEX)
    }
}

impl FontScale {
    pub fn percent(self) -> u16 {
        STEPS.get(self.0).copied().unwrap_or(100)
    }

    /// The size as a CSS length relative to the reader's base (`1.15em`).
    pub fn em(self) -> String {
        // Integer arithmetic: formatting a float would pull ~10 KB of float printing into the wasm.
        let percent = self.percent();
        match percent % 100 {
            0 => format!("{}em", percent / 100),
            hundredths if hundredths % 10 == 0 => format!("{}.{}em", percent / 100, hundredths / 10),
            hundredths => format!("{}.{hundredths:02}em", percent / 100),
        }
    }

    pub fn can_grow(self) -> bool {
        self.0 + 1 < STEPS.len()
    }

    pub fn can_shrink(self) -> bool {
        self.0 > 0
    }

    pub fn is_default(self) -> bool {
        self.0 == DEFAULT_INDEX
    }

    pub fn larger(self) -> Self {
        if self.can_grow() { FontScale(self.0 + 1) } else { self }
    }

    pub fn smaller(self) -> Self {
        if self.can_shrink() { FontScale(self.0 - 1) } else { self }
    }

    /// The step stored as its percentage; anything else stored (tampered, from an older version)
    /// falls back to the default rather than to a surprise size.
    pub fn from_stored(stored: &str) -> Self {
        stored
            .trim()
            .parse::<u16>()
            .ok()
            .and_then(|percent| STEPS.iter().position(|&step| step == percent))
            .map_or_else(FontScale::default, FontScale)
    }

    pub fn to_stored(self) -> String {
        self.percent().to_string()
    }

    /// The step closest to `percent` from below, for modes that ask for "about this size".
    pub fn at_least(percent: u16) -> Self {
        FontScale(STEPS.iter().position(|&step| step >= percent).unwrap_or(STEPS.len() - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_run_from_85_to_200_percent() {
        let mut scale = FontScale::default();
        assert_eq!(scale.percent(), 100);
        while scale.can_shrink() {
            scale = scale.smaller();
        }
        assert_eq!(scale.percent(), 85);
        assert_eq!(scale.smaller(), scale, "the smallest step stays put");
        while scale.can_grow() {
            scale = scale.larger();
        }
        assert_eq!(scale.percent(), 200);
        assert_eq!(scale.larger(), scale, "the largest step stays put");
        assert_eq!(scale.em(), "2em");
        let ems: Vec<String> = STEPS.iter().map(|&p| FontScale::from_stored(&p.to_string()).em()).collect();
        assert_eq!(ems, ["0.85em", "1em", "1.15em", "1.3em", "1.5em", "1.7em", "1.85em", "2em"]);
    }

    #[test]
    fn stored_values_round_trip_and_garbage_falls_back() {
        for step in STEPS {
            let scale = FontScale::from_stored(&step.to_string());
            assert_eq!(scale.percent(), step);
            assert_eq!(FontScale::from_stored(&scale.to_stored()), scale);
        }
        for garbage in ["", "120", "-1", "abc", "99999999999", "1e3"] {
            assert_eq!(FontScale::from_stored(garbage), FontScale::default());
        }
    }

    #[test]
    fn at_least_picks_the_first_step_that_reaches_the_size() {
        assert_eq!(FontScale::at_least(140).percent(), 150);
        assert_eq!(FontScale::at_least(500).percent(), 200);
        assert_eq!(FontScale::at_least(0).percent(), 85);
    }
}

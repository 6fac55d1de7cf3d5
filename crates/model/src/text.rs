//! Bilingual text. Every label, help text and message exists in English and Chinese.

use serde::{Deserialize, Serialize};

/// A language the console speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh")]
    Zh,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Zh];

    /// Picks a locale from a BCP 47 tag such as `navigator.language` gives (`zh-CN`, `en-US`, `zh`).
    /// Anything that is not Chinese falls back to English.
    pub fn from_tag(tag: &str) -> Locale {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("zh") {
            Locale::Zh
        } else {
            Locale::En
        }
    }

    /// The `lang` attribute value for this locale.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Zh => "zh-CN",
        }
    }
}

/// Static text in both languages (labels, help, choices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub const fn new(en: &'static str, zh: &'static str) -> Text {
        Text { en, zh }
    }

    pub fn get(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.en,
            Locale::Zh => self.zh,
        }
    }

    /// An optional parameter's help or label as it reads when a policy makes the parameter required: without
    /// its leading "Optional." ("可选。") or its trailing " (optional)" ("（可选）").
    pub fn required(self) -> Text {
        let strip = |text: &'static str, lead: &str, trail: &str| {
            let text = text.strip_prefix(lead).unwrap_or(text);
            text.strip_suffix(trail).unwrap_or(text)
        };
        Text {
            en: strip(self.en, OPTIONAL.en, OPTIONAL_MARK.en),
            zh: strip(self.zh, OPTIONAL.zh, OPTIONAL_MARK.zh),
        }
    }
}

/// How the help of an optional parameter begins.
pub const OPTIONAL: Text = Text::new("Optional. ", "可选。");
/// How the label of an optional part ends.
pub const OPTIONAL_MARK: Text = Text::new(" (optional)", "（可选）");

/// A message built at run time (it may quote the offending value or a limit), in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub en: String,
    pub zh: String,
}

impl Message {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Message {
        Message {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::Zh => &self.zh,
        }
    }
}

impl From<Text> for Message {
    fn from(text: Text) -> Message {
        Message::new(text.en, text.zh)
    }
}

//! What happened to the cat, stored as hidden context so the model remembers it.

use std::fmt;

/// One thing done to the cat, written to the thread as a hidden context tag (the sample's
/// `<FED_CAT>`, `<PLAYED_WITH_CAT>`, `<CLEANED_CAT>` and `<CAT_NAME_SELECTED>`).
///
/// ```
/// use cat_lounge::CatEvent;
/// let event = CatEvent::Named("Willow".into());
/// assert_eq!(event.to_string(), "<CAT_NAME_SELECTED>Willow</CAT_NAME_SELECTED>");
/// assert_eq!(CatEvent::parse(&event.to_string()), Some(event));
/// assert_eq!(CatEvent::parse("<OTHER>x</OTHER>"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatEvent {
    /// Fed, with what happened (e.g. "Fed Willow a tuna treat").
    Fed(String),
    /// Played, with the toy or activity.
    Played(String),
    /// Cleaned, with the method.
    Cleaned(String),
    /// Named.
    Named(String),
}

impl CatEvent {
    const TAGS: [&'static str; 4] = ["FED_CAT", "PLAYED_WITH_CAT", "CLEANED_CAT", "CAT_NAME_SELECTED"];

    fn tag(&self) -> (&'static str, &str) {
        match self {
            CatEvent::Fed(text) => (Self::TAGS[0], text),
            CatEvent::Played(text) => (Self::TAGS[1], text),
            CatEvent::Cleaned(text) => (Self::TAGS[2], text),
            CatEvent::Named(text) => (Self::TAGS[3], text),
        }
    }

    /// Reads a tag back; `None` for other content.
    pub fn parse(content: &str) -> Option<Self> {
        let content = content.trim();
        Self::TAGS.iter().find_map(|tag| {
            let inner = content.strip_prefix(&format!("<{tag}>"))?.strip_suffix(&format!("</{tag}>"))?.to_owned();
            Some(match *tag {
                "FED_CAT" => CatEvent::Fed(inner),
                "PLAYED_WITH_CAT" => CatEvent::Played(inner),
                "CLEANED_CAT" => CatEvent::Cleaned(inner),
                _ => CatEvent::Named(inner),
            })
        })
    }

    /// A short phrase, e.g. "played: Feather wand".
    pub fn describe(&self) -> String {
        match self {
            CatEvent::Fed(text) => text.clone(),
            CatEvent::Played(text) => format!("played: {text}"),
            CatEvent::Cleaned(text) => format!("cleaned: {text}"),
            CatEvent::Named(name) => format!("named {name}"),
        }
    }
}

impl fmt::Display for CatEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (tag, text) = self.tag();
        write!(f, "<{tag}>{text}</{tag}>")
    }
}

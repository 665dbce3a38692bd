//! Icon names.

/// The icon names the reference accepts, besides `vendor:*` and `lucide:*`.
pub const KNOWN_ICONS: &[&str] = &[
    "agent", "analytics", "atom", "batch", "bolt", "book-open", "book-closed", "book-clock",
    "bug", "calendar", "chart", "check", "check-circle", "check-circle-filled", "chevron-left",
    "chevron-right", "circle-question", "clock", "compass", "confetti", "cube", "desktop",
    "document", "dot", "dots-horizontal", "dots-vertical", "empty-circle", "external-link",
    "globe", "keys", "lab", "images", "info", "lifesaver", "lightbulb", "mail", "map-pin", "maps",
    "mobile", "name", "notebook", "notebook-pencil", "page-blank", "phone", "play", "plus",
    "profile", "profile-card", "reload", "star", "star-filled", "search", "sparkle",
    "sparkle-double", "square-code", "square-image", "square-text", "suitcase",
    "settings-slider", "user", "wreath", "write", "write-alt", "write-alt2",
];

open_tokens! {
    /// An icon: one of the reference's icons, or any other name ([`Other`](IconName::Other)),
    /// which the reference accepts when it starts with `vendor:` or `lucide:`.
    ///
    /// ```
    /// use chatkit::IconName;
    /// assert_eq!(IconName::new("sparkle"), IconName::Sparkle);
    /// assert_eq!(serde_json::to_string(&IconName::BookOpen).unwrap(), r#""book-open""#);
    /// assert!(IconName::new("lucide:rocket").is_valid());
    /// assert!(!IconName::new("rocket").is_valid());
    /// ```
    IconName {
        Agent = "agent",
        Analytics = "analytics",
        Atom = "atom",
        Batch = "batch",
        Bolt = "bolt",
        BookOpen = "book-open",
        BookClosed = "book-closed",
        BookClock = "book-clock",
        Bug = "bug",
        Calendar = "calendar",
        Chart = "chart",
        Check = "check",
        CheckCircle = "check-circle",
        CheckCircleFilled = "check-circle-filled",
        ChevronLeft = "chevron-left",
        ChevronRight = "chevron-right",
        CircleQuestion = "circle-question",
        Clock = "clock",
        Compass = "compass",
        Confetti = "confetti",
        Cube = "cube",
        Desktop = "desktop",
        Document = "document",
        Dot = "dot",
        DotsHorizontal = "dots-horizontal",
        DotsVertical = "dots-vertical",
        EmptyCircle = "empty-circle",
        ExternalLink = "external-link",
        Globe = "globe",
        Keys = "keys",
        Lab = "lab",
        Images = "images",
        Info = "info",
        Lifesaver = "lifesaver",
        Lightbulb = "lightbulb",
        Mail = "mail",
        MapPin = "map-pin",
        Maps = "maps",
        Mobile = "mobile",
        Name = "name",
        Notebook = "notebook",
        NotebookPencil = "notebook-pencil",
        PageBlank = "page-blank",
        Phone = "phone",
        Play = "play",
        Plus = "plus",
        Profile = "profile",
        ProfileCard = "profile-card",
        Reload = "reload",
        Star = "star",
        StarFilled = "star-filled",
        Search = "search",
        Sparkle = "sparkle",
        SparkleDouble = "sparkle-double",
        SquareCode = "square-code",
        SquareImage = "square-image",
        SquareText = "square-text",
        Suitcase = "suitcase",
        SettingsSlider = "settings-slider",
        User = "user",
        Wreath = "wreath",
        Write = "write",
        WriteAlt = "write-alt",
        WriteAlt2 = "write-alt2",
    }
}

impl IconName {
    /// The icon for a name (see [`IconName::is_valid`] for the names the reference accepts).
    pub fn new(name: impl Into<String>) -> Self {
        Self::from(name.into())
    }

    /// Whether the reference would accept this name.
    pub fn is_valid(&self) -> bool {
        is_valid_icon(self.as_str())
    }
}

/// Whether `name` is a known icon or a `vendor:`/`lucide:` name.
pub fn is_valid_icon(name: &str) -> bool {
    name.starts_with("vendor:") || name.starts_with("lucide:") || KNOWN_ICONS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_matches_the_name_list() {
        let names: Vec<&str> = IconName::KNOWN.iter().map(IconName::as_str).collect();
        assert_eq!(names, KNOWN_ICONS);
        assert!(IconName::KNOWN.iter().all(IconName::is_valid));
        let other: IconName = serde_json::from_str(r#""vendor:x""#).expect("parses");
        assert_eq!(other, IconName::Other("vendor:x".into()));
        assert_eq!(serde_json::to_string(&other).expect("serializes"), r#""vendor:x""#);
    }
}

//! The cat of each thread: its stats, name and looks, kept apart from the ChatKit store.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chatkit::{ThreadId, Timestamp};
use serde::Serialize;

/// The name of a cat nobody has named yet.
pub const UNNAMED: &str = "Unnamed Cat";

/// Stats run from 0 to 10.
const STAT_MAX: u8 = 10;

/// A cat's coat, chosen when it is named (and shown only from then on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorPattern {
    /// Black with pale yellow eyes.
    Black,
    /// Calico: white with orange and black spots.
    Calico,
    /// A ragdoll's colorpoint coat.
    Colorpoint,
    /// A shaggy orange tabby.
    Tabby,
    /// White with odd eyes.
    White,
}

impl ColorPattern {
    /// Every pattern.
    pub const ALL: [ColorPattern; 5] =
        [ColorPattern::Black, ColorPattern::Calico, ColorPattern::Colorpoint, ColorPattern::Tabby, ColorPattern::White];

    /// The pattern's name, e.g. `"calico"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColorPattern::Black => "black",
            ColorPattern::Calico => "calico",
            ColorPattern::Colorpoint => "colorpoint",
            ColorPattern::Tabby => "tabby",
            ColorPattern::White => "white",
        }
    }

    /// The pattern of this name.
    ///
    /// ```
    /// use cat_lounge::ColorPattern;
    /// assert_eq!(ColorPattern::parse("tabby"), Some(ColorPattern::Tabby));
    /// assert_eq!(ColorPattern::parse("plaid"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// How the cat looks, for the model (e.g. to describe or draw it).
    pub fn description(self) -> &'static str {
        match self {
            ColorPattern::Black => "A black cat with large pale yellow eyes.",
            ColorPattern::Calico => "A calico cat with pale green eyes, cream paws, and orange and black spots.",
            ColorPattern::Colorpoint => {
                "A ragdoll cat with blue eyes and colorpoint coat. Cream fur with darker patches on the ears, face, paws, and tail."
            }
            ColorPattern::Tabby => "A shaggy orange tabby cat with a striped coat and a temper.",
            ColorPattern::White => "A white smily cat with odd eyes - right eye yellow, left eye blue. Pink inner ears.",
        }
    }

    /// The pattern a name brings: the same name always gives the same coat.
    fn for_name(name: &str) -> Self {
        let index = fnv1a(name.to_lowercase().as_bytes()) % Self::ALL.len() as u64;
        Self::ALL[index as usize]
    }
}

/// One cat: what the side panel shows and the tools change.
///
/// The reference picks coats and side effects at random; here they follow from the thread and
/// the number of actions so far, so a conversation replays the same way (and tests can say
/// what happens).
#[derive(Clone, Debug, PartialEq)]
pub struct CatState {
    /// The cat's name ([`UNNAMED`] until named).
    pub name: String,
    /// Energy, 0–10.
    pub energy: u8,
    /// Happiness, 0–10.
    pub happiness: u8,
    /// Cleanliness, 0–10.
    pub cleanliness: u8,
    /// Age in years, 1–15.
    pub age: u8,
    /// The coat, once named.
    pub color_pattern: Option<ColorPattern>,
    /// When the cat last changed.
    pub updated_at: Timestamp,
    seed: u64,
    actions: u64,
}

fn raise(stat: u8, by: u8) -> u8 {
    stat.saturating_add(by).min(STAT_MAX)
}

/// 64-bit FNV-1a: a small, stable hash for the cat's "random" choices.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

impl CatState {
    /// A new cat for a thread: unnamed, 2 years old, every stat at 6.
    ///
    /// ```
    /// let cat = cat_lounge::CatState::new(&"thr_1".into());
    /// assert_eq!((cat.name.as_str(), cat.energy, cat.happiness, cat.cleanliness), ("Unnamed Cat", 6, 6, 6));
    /// assert!(!cat.is_named());
    /// ```
    pub fn new(thread: &ThreadId) -> Self {
        Self {
            name: UNNAMED.to_owned(),
            energy: 6,
            happiness: 6,
            cleanliness: 6,
            age: 2,
            color_pattern: None,
            updated_at: Timestamp::now(),
            seed: fnv1a(thread.as_str().as_bytes()),
            actions: 0,
        }
    }

    /// Whether the cat has a name (a named cat is never renamed).
    pub fn is_named(&self) -> bool {
        self.name != UNNAMED
    }

    /// The coin flip of this action: whether a side effect happens.
    fn side_effect(&mut self) -> bool {
        self.actions += 1;
        fnv1a(&[self.seed.to_le_bytes(), self.actions.to_le_bytes()].concat()) % 2 == 0
    }

    fn touch(&mut self) {
        self.updated_at = Timestamp::now();
    }

    /// A meal: +3 energy, +1 happiness, and sometimes −1 cleanliness.
    pub fn feed(&mut self) {
        self.energy = raise(self.energy, 3);
        self.happiness = raise(self.happiness, 1);
        if self.side_effect() {
            self.cleanliness = self.cleanliness.saturating_sub(1);
        }
        self.touch();
    }

    /// Playtime: +2 happiness, −1 energy, and sometimes −1 cleanliness.
    pub fn play(&mut self) {
        self.happiness = raise(self.happiness, 2);
        self.energy = self.energy.saturating_sub(1);
        if self.side_effect() {
            self.cleanliness = self.cleanliness.saturating_sub(1);
        }
        self.touch();
    }

    /// A wash: +3 cleanliness, and sometimes −1 happiness.
    pub fn clean(&mut self) {
        self.cleanliness = raise(self.cleanliness, 3);
        if self.side_effect() {
            self.happiness = self.happiness.saturating_sub(1);
        }
        self.touch();
    }

    /// Names the cat, which reveals its coat.
    ///
    /// ```
    /// let mut cat = cat_lounge::CatState::new(&"thr_1".into());
    /// cat.rename("Willow");
    /// assert_eq!(cat.name, "Willow");
    /// assert!(cat.color_pattern.is_some());
    /// ```
    pub fn rename(&mut self, name: &str) {
        self.name = name.to_owned();
        if self.color_pattern.is_none() {
            self.color_pattern = Some(ColorPattern::for_name(name));
        }
        self.touch();
    }

    /// Sets the age, kept within 1–15 years; `None` or 0 leave it as it is.
    pub fn set_age(&mut self, age: Option<i64>) {
        if let Some(age) = age.filter(|a| *a != 0) {
            self.age = age.clamp(1, 15) as u8;
            self.touch();
        }
    }

    /// The state as the page reads it (`update_cat_status` effects and `GET /api/cats/{id}`):
    /// `name`, `energy`, `happiness`, `cleanliness`, `age`, `colorPattern`, `description`,
    /// `updatedAt`, `threadId`.
    pub fn payload(&self, thread: &ThreadId) -> CatPayload {
        CatPayload {
            thread_id: thread.clone(),
            name: self.name.clone(),
            energy: self.energy,
            happiness: self.happiness,
            cleanliness: self.cleanliness,
            age: self.age,
            color_pattern: self.color_pattern,
            description: self.color_pattern.map(ColorPattern::description),
            updated_at: self.updated_at,
        }
    }

    /// One line for the model: name, age, coat and stats.
    pub fn summary(&self) -> String {
        let coat = match self.color_pattern {
            Some(pattern) => format!("{} coat ({})", pattern.as_str(), pattern.description()),
            None => "coat still a mystery until the cat is named".to_owned(),
        };
        format!(
            "{}, {} — energy {}/10, happiness {}/10, cleanliness {}/10; {coat}.",
            self.name,
            age_label(self.age),
            self.energy,
            self.happiness,
            self.cleanliness
        )
    }
}

/// `"1 year"`, `"3 years"`.
pub(crate) fn age_label(age: u8) -> String {
    if age == 1 { "1 year".to_owned() } else { format!("{age} years") }
}

/// A cat as JSON for the page (see [`CatState::payload`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatPayload {
    /// The thread whose cat this is.
    pub thread_id: ThreadId,
    /// Name.
    pub name: String,
    /// Energy, 0–10.
    pub energy: u8,
    /// Happiness, 0–10.
    pub happiness: u8,
    /// Cleanliness, 0–10.
    pub cleanliness: u8,
    /// Age in years.
    pub age: u8,
    /// Coat, once named.
    pub color_pattern: Option<ColorPattern>,
    /// Looks, once named.
    pub description: Option<&'static str>,
    /// Last change.
    pub updated_at: Timestamp,
}

/// Every thread's cat, in memory.
#[derive(Debug, Default)]
pub struct CatStore {
    cats: Mutex<HashMap<ThreadId, CatState>>,
}

impl CatStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the thread's cat (a new cat if it has none yet).
    pub fn load(&self, thread: &ThreadId) -> CatState {
        self.mutate(thread, |_| ())
    }

    /// Changes the thread's cat and returns a copy of the result.
    ///
    /// ```
    /// let store = cat_lounge::CatStore::new();
    /// let thread = "thr_1".into();
    /// let fed = store.mutate(&thread, |cat| cat.feed());
    /// assert_eq!(fed.energy, 9);
    /// assert_eq!(store.load(&thread), fed);
    /// ```
    pub fn mutate(&self, thread: &ThreadId, change: impl FnOnce(&mut CatState)) -> CatState {
        // A panic inside `change` cannot leave a cat half-changed in a way that matters (stats
        // stay in range), so a poisoned lock is used as is.
        let mut cats = self.cats.lock().unwrap_or_else(PoisonError::into_inner);
        let cat = cats.entry(thread.clone()).or_insert_with(|| CatState::new(thread));
        change(cat);
        cat.clone()
    }
}

/// Python's `str.title()`: each word capitalised, the rest lower case (`"mr. whiskers"` →
/// `"Mr. Whiskers"`).
pub(crate) fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_letter = false;
    for c in text.chars() {
        if after_letter {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        after_letter = c.is_alphabetic();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_stay_in_range() {
        let mut cat = CatState::new(&"thr_x".into());
        for _ in 0..20 {
            cat.feed();
            cat.play();
            cat.clean();
        }
        for stat in [cat.energy, cat.happiness, cat.cleanliness] {
            assert!(stat <= STAT_MAX);
        }
        let mut tired = CatState::new(&"thr_y".into());
        for _ in 0..20 {
            tired.play();
        }
        assert_eq!(tired.energy, 0);
        assert_eq!(tired.happiness, 10);
    }

    #[test]
    fn side_effects_happen_sometimes_and_replay_the_same() {
        let run = |thread: &str| {
            let mut cat = CatState::new(&thread.into());
            (0..16).map(|_| cat.side_effect()).collect::<Vec<_>>()
        };
        let flips = run("thr_a");
        assert_eq!(flips, run("thr_a"));
        assert!(flips.contains(&true) && flips.contains(&false), "{flips:?}");
    }

    #[test]
    fn naming_reveals_a_coat_that_depends_on_the_name_only() {
        let mut a = CatState::new(&"thr_a".into());
        let mut b = CatState::new(&"thr_b".into());
        a.rename("Willow");
        b.rename("willow");
        assert_eq!(a.color_pattern, b.color_pattern);
        let patterns: std::collections::HashSet<_> =
            ["Willow", "Pixel", "Miso", "Mochi", "Biscuit", "Nimbus", "Luna", "Tofu"].iter().map(|n| ColorPattern::for_name(n)).collect();
        assert!(patterns.len() >= 3, "names spread over the coats: {patterns:?}");
    }

    #[test]
    fn ages_are_clamped() {
        let mut cat = CatState::new(&"thr_a".into());
        cat.set_age(Some(40));
        assert_eq!(cat.age, 15);
        cat.set_age(Some(-3));
        assert_eq!(cat.age, 1);
        cat.set_age(None);
        cat.set_age(Some(0));
        assert_eq!(cat.age, 1);
    }

    #[test]
    fn payload_is_camel_case() {
        let mut cat = CatState::new(&"thr_a".into());
        cat.rename("Tofu");
        let json = serde_json::to_value(cat.payload(&"thr_a".into())).expect("JSON");
        assert_eq!(json["threadId"], "thr_a");
        assert_eq!(json["colorPattern"], cat.color_pattern.map(|p| p.as_str()).expect("named"));
        assert!(json["description"].as_str().is_some_and(|d| d.contains("cat")));
        assert!(json["updatedAt"].is_string());
    }

    #[test]
    fn title_case_matches_python() {
        assert_eq!(title_case("mr. whiskers"), "Mr. Whiskers");
        assert_eq!(title_case("FLUFFY paws"), "Fluffy Paws");
        assert_eq!(title_case("o'malley"), "O'Malley");
        assert_eq!(title_case("miso2go"), "Miso2Go");
    }
}

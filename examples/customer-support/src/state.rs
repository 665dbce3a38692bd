//! The traveller's account, kept per thread: itinerary, loyalty, bags, meal, assistance and
//! the service timeline the side panel shows.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

/// One flight of the itinerary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlightSegment {
    /// E.g. `OA476`.
    pub flight_number: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Airport code.
    pub origin: String,
    /// Airport code.
    pub destination: String,
    /// `HH:MM`.
    pub departure_time: String,
    /// `HH:MM`, maybe with a day offset.
    pub arrival_time: String,
    /// E.g. `14A`.
    pub seat: String,
    /// `Scheduled` or `Cancelled`.
    pub status: String,
}

/// Progress towards the next loyalty tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoyaltyProgress {
    /// The tier held.
    pub current_tier: String,
    /// The tier above.
    pub next_tier: String,
    /// Points earned this year.
    pub points_earned: u32,
    /// Points the next tier needs.
    pub points_required: u32,
    /// Segments flown this year.
    pub segments_flown: u32,
    /// Segments the next tier needs.
    pub segments_required: u32,
    /// When the status renews.
    pub renewal_date: String,
}

/// How a timeline entry is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// Neutral.
    Info,
    /// Something done.
    Success,
    /// Something to notice (a cancellation).
    Warning,
    /// Recorded by the system.
    System,
}

/// One line of the service timeline, newest first in [`CustomerProfile::timeline`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// RFC 3339.
    pub timestamp: String,
    /// How it is shown.
    pub kind: EntryKind,
    /// What happened.
    pub entry: String,
}

/// Why a change to the account was refused; the message is for the traveller.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// Not a seat like `12C`.
    #[error("Seat must be a row number followed by a letter, for example 12C.")]
    InvalidSeat,
    /// The flight is not on the itinerary.
    #[error("Flight {0} is not on the customer's itinerary.")]
    UnknownFlight(String),
}

/// The traveller's account, as the side panel and the model see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerProfile {
    /// Account id.
    pub customer_id: String,
    /// Full name.
    pub name: String,
    /// E.g. `Aviator Gold`.
    pub loyalty_status: String,
    /// Loyalty number.
    pub loyalty_id: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Where trips start unless told otherwise.
    pub home_airport: String,
    /// Routes flown often.
    pub preferred_routes: Vec<String>,
    /// A line about the traveller.
    pub travel_summary: String,
    /// What the tier unlocks.
    pub tier_benefits: Vec<String>,
    /// Progress to the next tier.
    pub loyalty_progress: LoyaltyProgress,
    /// The itinerary.
    pub segments: Vec<FlightSegment>,
    /// Checked bags.
    pub bags_checked: u32,
    /// The meal preference, if set.
    pub meal_preference: Option<String>,
    /// A special assistance note, if any.
    pub special_assistance: Option<String>,
    /// What was done, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Notes for the concierge.
    pub spotlight: Vec<String>,
    /// Flight option widgets already used to book (a second click books nothing).
    #[serde(skip)]
    booked_widget_ids: Vec<String>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn segment(flight: &str, date: &str, route: (&str, &str), times: (&str, &str), seat: &str) -> FlightSegment {
    FlightSegment {
        flight_number: flight.to_owned(),
        date: date.to_owned(),
        origin: route.0.to_owned(),
        destination: route.1.to_owned(),
        departure_time: times.0.to_owned(),
        arrival_time: times.1.to_owned(),
        seat: seat.to_owned(),
        status: "Scheduled".to_owned(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl CustomerProfile {
    /// The demo traveller, Jordan Miles, with two flights booked.
    ///
    /// ```
    /// let profile = customer_support::CustomerProfile::sample();
    /// assert_eq!(profile.segments[0].flight_number, "OA476");
    /// assert_eq!(profile.timeline.len(), 3);
    /// ```
    pub fn sample() -> Self {
        let mut profile = Self {
            customer_id: "cus_98421".into(),
            name: "Jordan Miles".into(),
            loyalty_status: "Aviator Gold".into(),
            loyalty_id: "APL-204981".into(),
            email: "jordan.miles@example.com".into(),
            phone: "+1 (415) 555-9214".into(),
            home_airport: "SFO".into(),
            preferred_routes: strings(&["SFO → JFK", "SFO → CDG", "SFO → HND"]),
            travel_summary: "Product leader splitting time between San Francisco and New York with quarterly long-haul art trips.".into(),
            tier_benefits: strings(&[
                "Complimentary Premium Plus upgrades on transcon routes",
                "4 lounge guest passes every quarter",
                "15% off buy-on-board food & beverage",
                "Dedicated rebooking desk with WhatsApp follow-up",
            ]),
            loyalty_progress: LoyaltyProgress {
                current_tier: "Gold".into(),
                next_tier: "Platinum".into(),
                points_earned: 42_000,
                points_required: 60_000,
                segments_flown: 18,
                segments_required: 32,
                renewal_date: "2026-02-01".into(),
            },
            segments: vec![
                segment("OA476", "2025-10-02", ("SFO", "JFK"), ("08:05", "16:35"), "14A"),
                segment("OA477", "2025-10-10", ("JFK", "SFO"), ("18:50", "22:15"), "15C"),
            ],
            bags_checked: 0,
            meal_preference: None,
            special_assistance: None,
            timeline: Vec::new(),
            spotlight: strings(&[
                "Prefers window seats on daytime flights",
                "Collects modern art city guides",
                "Enjoys Michelin Bib Gourmand discoveries",
            ]),
            booked_widget_ids: Vec::new(),
        };
        profile.log("Itinerary imported from confirmation LL0EZ6.", EntryKind::System);
        profile.log("Waived change fees for October trip.", EntryKind::Success);
        profile.log("Added note: enjoys single-origin drip coffee.", EntryKind::Info);
        profile
    }

    /// Adds a timeline entry (newest first).
    pub fn log(&mut self, entry: impl Into<String>, kind: EntryKind) {
        self.timeline.insert(0, TimelineEntry { timestamp: now(), kind, entry: entry.into() });
    }

    fn segment_mut(&mut self, flight_number: &str) -> Result<&mut FlightSegment, AccountError> {
        let wanted = flight_number.trim().to_uppercase();
        self.segments
            .iter_mut()
            .find(|s| s.flight_number.eq_ignore_ascii_case(&wanted))
            .ok_or(AccountError::UnknownFlight(wanted))
    }

    /// Moves the traveller to `seat` on `flight_number`.
    ///
    /// ```
    /// let mut profile = customer_support::CustomerProfile::sample();
    /// assert_eq!(profile.change_seat("oa476", "14c").unwrap(), "Seat updated to 14C on flight OA476.");
    /// assert!(profile.change_seat("OA476", "window").is_err());
    /// assert!(profile.change_seat("XX1", "2A").is_err());
    /// ```
    pub fn change_seat(&mut self, flight_number: &str, seat: &str) -> Result<String, AccountError> {
        let seat = seat.trim().to_uppercase();
        if !valid_seat(&seat) {
            return Err(AccountError::InvalidSeat);
        }
        let segment = self.segment_mut(flight_number)?;
        let previous = std::mem::replace(&mut segment.seat, seat.clone());
        let flight = segment.flight_number.clone();
        self.log(format!("Seat changed on {flight} from {previous} to {seat}."), EntryKind::Success);
        Ok(format!("Seat updated to {seat} on flight {flight}."))
    }

    /// Cancels every flight.
    pub fn cancel_trip(&mut self) -> String {
        for segment in &mut self.segments {
            segment.status = "Cancelled".into();
        }
        self.log("Trip cancelled at customer request.", EntryKind::Warning);
        "The reservation has been cancelled. Refund processing will begin immediately.".into()
    }

    /// Adds one checked bag.
    pub fn add_bag(&mut self) -> String {
        self.bags_checked += 1;
        let bags = self.bags_checked;
        self.log(format!("Added checked bag. Total bags now {bags}."), EntryKind::Info);
        format!("Checked bag added. You now have {bags} bag(s) checked.")
    }

    /// Sets the meal preference (a label such as `Vegetarian`).
    pub fn set_meal(&mut self, meal: &str) -> String {
        self.meal_preference = Some(meal.to_owned());
        self.log(format!("Meal preference updated to {meal}."), EntryKind::Info);
        format!("We'll note {meal} as the meal preference.")
    }

    /// Records a special assistance note.
    pub fn request_assistance(&mut self, note: &str) -> String {
        self.special_assistance = Some(note.to_owned());
        self.log(format!("Special assistance noted: {note}."), EntryKind::Info);
        "Assistance request recorded. Airport staff will be notified.".into()
    }

    /// Records an accepted cabin upgrade.
    pub fn record_upgrade(&mut self, cabin: &str, price: &str) -> String {
        self.log(format!("Accepted {cabin} upgrade ({price}). We'll finalize payment at the airport."), EntryKind::Info);
        format!("{cabin} upgrade confirmed. {price} will be charged at ticketing.")
    }

    /// Records a hold on a round trip.
    pub fn record_booking_hold(&mut self, destination: &str, depart: &str, ret: &str) -> String {
        self.log(format!("Placed hold for {destination}: {depart} / {ret}."), EntryKind::Success);
        format!("Flights to {destination} are on hold: {depart} outbound and {ret} return.")
    }

    /// Adds a booked flight to the itinerary.
    pub fn record_flight_booking(&mut self, segment: FlightSegment) -> FlightSegment {
        self.log(
            format!(
                "{}: {} {}->{} on {} {}-{} seat {}.",
                segment.status,
                segment.flight_number,
                segment.origin,
                segment.destination,
                segment.date,
                segment.departure_time,
                segment.arrival_time,
                segment.seat
            ),
            EntryKind::Success,
        );
        self.segments.push(segment.clone());
        segment
    }

    /// Notes the dates of a booking request.
    pub fn record_trip_dates(&mut self, origin: &str, destination: &str, depart: &str, ret: &str) -> String {
        self.log(format!("Booking request for {origin} → {destination} ({depart} to {ret})."), EntryKind::Info);
        format!("I'll check flights from {origin} to {destination} departing {depart} and returning {ret}.")
    }

    /// Moves a flight to another departure time.
    pub fn rebook_segment(&mut self, flight_number: &str, depart: &str, arrive: &str, note: &str) -> Result<String, AccountError> {
        let segment = self.segment_mut(flight_number)?;
        let before = format!("{}-{}", segment.departure_time, segment.arrival_time);
        segment.departure_time = depart.to_owned();
        segment.arrival_time = arrive.to_owned();
        let flight = segment.flight_number.clone();
        self.log(format!("Rebooked {flight} from {before} to {depart}-{arrive} ({note})."), EntryKind::Success);
        Ok(format!("You're now set for {flight} departing at {depart}. I'll keep the seat assignment the same."))
    }

    /// Marks a flight options widget as used; `false` when it already was.
    pub fn consume_widget(&mut self, widget_id: &str) -> bool {
        if self.booked_widget_ids.iter().any(|id| id == widget_id) {
            return false;
        }
        self.booked_widget_ids.push(widget_id.to_owned());
        true
    }

    /// Whether a flight options widget was already used.
    pub fn is_widget_consumed(&self, widget_id: &str) -> bool {
        self.booked_widget_ids.iter().any(|id| id == widget_id)
    }

    /// The account as the model reads it, in a `<CUSTOMER_PROFILE>` block.
    ///
    /// ```
    /// let text = customer_support::CustomerProfile::sample().model_context();
    /// assert!(text.starts_with("<CUSTOMER_PROFILE>\nName: Jordan Miles (Aviator Gold)"));
    /// assert!(text.contains("- OA476 SFO->JFK on 2025-10-02 seat 14A (Scheduled)"));
    /// ```
    pub fn model_context(&self) -> String {
        let segments: Vec<String> = self
            .segments
            .iter()
            .map(|s| format!("- {} {}->{} on {} seat {} ({})", s.flight_number, s.origin, s.destination, s.date, s.seat, s.status))
            .collect();
        let recent: Vec<String> = self.timeline.iter().take(3).map(|e| format!("  * {} ({})", e.entry, e.timestamp)).collect();
        let recent = if recent.is_empty() { "  * No service actions recorded yet.".to_owned() } else { recent.join("\n") };
        format!(
            "<CUSTOMER_PROFILE>\nName: {} ({})\nLoyalty ID: {}\nContact: {}, {}\nChecked Bags: {}\nMeal Preference: {}\n\
             Special Assistance: {}\nUpcoming Segments:\n{}\nRecent Service Timeline:\n{}\n</CUSTOMER_PROFILE>",
            self.name,
            self.loyalty_status,
            self.loyalty_id,
            self.email,
            self.phone,
            self.bags_checked,
            self.meal_preference.as_deref().unwrap_or("Not set"),
            self.special_assistance.as_deref().unwrap_or("None"),
            segments.join("\n"),
            recent,
        )
    }
}

/// A row number followed by one letter, e.g. `14C`.
fn valid_seat(seat: &str) -> bool {
    let Some(letter) = seat.chars().last() else { return false };
    let row = &seat[..seat.len() - letter.len_utf8()];
    !row.is_empty() && row.chars().all(|c| c.is_ascii_digit()) && letter.is_ascii_alphabetic()
}

/// Every thread's account, each starting as [`CustomerProfile::sample`].
#[derive(Debug, Default)]
pub struct Accounts(Mutex<HashMap<String, CustomerProfile>>);

impl Accounts {
    /// Runs `f` on the account of `thread_id` (created on first use).
    pub fn with<T>(&self, thread_id: &str, f: impl FnOnce(&mut CustomerProfile) -> T) -> T {
        // A panic while holding the lock leaves complete values behind (every change is one
        // assignment or push), so a poisoned map is still consistent.
        let mut accounts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(accounts.entry(thread_id.to_owned()).or_insert_with(CustomerProfile::sample))
    }

    /// A copy of the account of `thread_id`.
    pub fn profile(&self, thread_id: &str) -> CustomerProfile {
        self.with(thread_id, |p| p.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats() {
        assert!(valid_seat("14C"));
        assert!(valid_seat("2A"));
        assert!(!valid_seat("C"));
        assert!(!valid_seat("14"));
        assert!(!valid_seat("1é"));
        assert!(!valid_seat("A1"));
    }

    #[test]
    fn changes_are_logged_newest_first() {
        let accounts = Accounts::default();
        accounts.with("thr_1", |p| p.add_bag());
        accounts.with("thr_1", |p| p.set_meal("Kosher"));
        let profile = accounts.profile("thr_1");
        assert_eq!(profile.bags_checked, 1);
        assert_eq!(profile.timeline[0].entry, "Meal preference updated to Kosher.");
        assert_eq!(profile.timeline[1].entry, "Added checked bag. Total bags now 1.");
        assert_eq!(accounts.profile("thr_2").bags_checked, 0, "threads have their own account");
    }

    #[test]
    fn cancel_and_rebook() {
        let mut profile = CustomerProfile::sample();
        profile.cancel_trip();
        assert!(profile.segments.iter().all(|s| s.status == "Cancelled"));
        assert_eq!(profile.timeline[0].kind, EntryKind::Warning);
        assert!(profile.rebook_segment("OA477", "20:10", "23:35", "later").is_ok());
        assert_eq!(profile.segments[1].departure_time, "20:10");
        assert_eq!(profile.rebook_segment("ZZ9", "1", "2", ""), Err(AccountError::UnknownFlight("ZZ9".into())));
    }

    #[test]
    fn widgets_are_consumed_once() {
        let mut profile = CustomerProfile::sample();
        assert!(!profile.is_widget_consumed("w"));
        assert!(profile.consume_widget("w"));
        assert!(!profile.consume_widget("w"));
        assert!(profile.is_widget_consumed("w"));
        assert!(serde_json::to_value(&profile).expect("json").get("booked_widget_ids").is_none());
    }
}

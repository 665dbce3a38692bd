//! Timestamps as they appear on the wire.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDateTime, SecondsFormat, SubsecRound, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time, kept in UTC with microsecond precision.
///
/// Serialized as ISO-8601 with a `Z` suffix and a fractional part only when it is non-zero
/// (`2026-11-25T03:01:45.271298Z`, `2025-01-02T03:04:05Z`). Parsing accepts any ISO-8601 form the
/// reference or its clients produce: with an offset, with `Z`, or naive (taken as UTC).
///
/// ```
/// use chatkit::Timestamp;
/// let t: Timestamp = serde_json::from_str("\"2025-01-02T03:04:05\"").unwrap();
/// assert_eq!(serde_json::to_string(&t).unwrap(), "\"2025-01-02T03:04:05Z\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// The current time, truncated to microseconds so it survives every store unchanged.
    pub fn now() -> Self {
        Self(Utc::now().trunc_subsecs(6))
    }

    /// Wraps a UTC time (truncated to microseconds).
    pub fn from_utc(time: DateTime<Utc>) -> Self {
        Self(time.trunc_subsecs(6))
    }

    /// The time as a chrono value.
    pub fn as_utc(&self) -> DateTime<Utc> {
        self.0
    }

    /// Microseconds since the Unix epoch.
    pub fn unix_micros(&self) -> i64 {
        self.0.timestamp_micros()
    }

    /// Parses any ISO-8601 date-time; a value without offset is taken as UTC.
    pub fn parse(text: &str) -> Result<Self, chrono::ParseError> {
        match DateTime::parse_from_rfc3339(text) {
            Ok(t) => Ok(Self::from_utc(t.with_timezone(&Utc))),
            Err(err) => {
                let normalized = text.replacen(' ', "T", 1);
                let naive = NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%dT%H:%M:%S%.f")
                    .map_err(|_| err)?;
                Ok(Self::from_utc(naive.and_utc()))
            }
        }
    }
}

impl Timestamp {
    /// Writes the wire form into `buf` without allocating; `None` for years outside 0..=9999
    /// and leap seconds, which take the general path.
    fn write_wire(&self, buf: &mut [u8; 27]) -> Option<usize> {
        let (date, time) = (self.0.date_naive(), self.0.time());
        let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
        let micros = self.0.timestamp_subsec_micros();
        if micros >= 1_000_000 {
            return None;
        }
        let mut put = |at: usize, value: u32, digits: u32| {
            for i in 0..digits {
                buf[at + i as usize] = b'0' + (value / 10u32.pow(digits - 1 - i) % 10) as u8;
            }
        };
        put(0, year, 4);
        put(5, date.month(), 2);
        put(8, date.day(), 2);
        put(11, time.hour(), 2);
        put(14, time.minute(), 2);
        put(17, time.second(), 2);
        put(20, micros, 6);
        buf[4] = b'-';
        buf[7] = b'-';
        buf[10] = b'T';
        buf[13] = b':';
        buf[16] = b':';
        if micros == 0 {
            buf[19] = b'Z';
            Some(20)
        } else {
            buf[19] = b'.';
            buf[26] = b'Z';
            Some(27)
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 27];
        if let Some(len) = self.write_wire(&mut buf) {
            // Only ASCII digits and separators were written.
            return f.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?);
        }
        let format = if self.0.timestamp_subsec_micros() == 0 {
            SecondsFormat::Secs
        } else {
            SecondsFormat::Micros
        };
        f.write_str(&self.0.to_rfc3339_opts(format, true))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 27];
        match self.write_wire(&mut buf).and_then(|len| std::str::from_utf8(&buf[..len]).ok()) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(|_| {
            serde::de::Error::custom(format!("`{text}` is not an ISO-8601 date-time"))
        })
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Self {
        Self::from_utc(time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_reference_but_in_utc() {
        let t = Timestamp::parse("2026-11-25T03:01:45.271298").unwrap();
        assert_eq!(t.to_string(), "2026-11-25T03:01:45.271298Z");
        let t = Timestamp::parse("2025-01-02 03:04:05").unwrap();
        assert_eq!(t.to_string(), "2025-01-02T03:04:05Z");
        let t = Timestamp::parse("2025-01-02T05:04:05+02:00").unwrap();
        assert_eq!(t.to_string(), "2025-01-02T03:04:05Z");
    }

    #[test]
    fn the_fast_form_matches_chrono() {
        for micros in [0_i64, 1, 999_999, 1_764_547_200_000_001, 1_764_547_200_123_400, 253_402_300_799_999_999] {
            let t = Timestamp::from_utc(DateTime::from_timestamp_micros(micros).unwrap());
            let format = if t.0.timestamp_subsec_micros() == 0 { SecondsFormat::Secs } else { SecondsFormat::Micros };
            let expected = t.0.to_rfc3339_opts(format, true);
            assert_eq!(t.to_string(), expected);
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{expected}\""));
        }
        let far = Timestamp::from_utc(DateTime::from_timestamp_micros(253_402_300_800_000_000).unwrap());
        assert_eq!(far.to_string(), far.0.to_rfc3339_opts(SecondsFormat::Secs, true));
    }

    #[test]
    fn rejects_garbage() {
        assert!(Timestamp::parse("yesterday").is_err());
        assert!(serde_json::from_str::<Timestamp>("\"2025-13-01T00:00:00\"").is_err());
    }
}

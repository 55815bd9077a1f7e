//! Timestamps and dates as the file format wants them: real TOML datetimes
//! (`2026-11-24T14:02:00Z`) and dates (`2026-12-15`), never strings.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use toml::value::Datetime;

/// An instant with its UTC offset, from a TOML offset datetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Timestamp(pub DateTime<FixedOffset>);

/// A calendar day, from a TOML local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = Datetime::deserialize(d).map_err(|e| {
            de::Error::custom(format!(
                "{}; write a TOML datetime with an offset, e.g. 2026-11-24T14:02:00Z",
                strip_expected(&e.to_string())
            ))
        })?;
        timestamp_from_toml(&dt)
            .map(Timestamp)
            .map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = Datetime::deserialize(d).map_err(|e| {
            de::Error::custom(format!(
                "{}; write a TOML date without quotes, e.g. 2026-12-15",
                strip_expected(&e.to_string())
            ))
        })?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .map(Date)
            .ok_or_else(|| de::Error::custom(format!("{dt} is not a valid date"))),
            _ => Err(de::Error::custom(format!(
                "expected a date like 2026-12-15, found `{dt}`"
            ))),
        }
    }
}

/// serde's "invalid type: string \"x\", expected ..." is all we want from
/// the inner error, minus toml's internal type names.
fn strip_expected(message: &str) -> String {
    match message.find(", expected") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn timestamp_from_toml(dt: &Datetime) -> Result<DateTime<FixedOffset>, String> {
    let (Some(date), Some(time), Some(offset)) = (dt.date, dt.time, dt.offset) else {
        return Err(format!(
            "expected a datetime with an offset like 2026-11-24T14:02:00Z, found `{dt}`"
        ));
    };
    let day = NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
    .ok_or_else(|| format!("{dt} is not a valid date"))?;
    let clock = NaiveTime::from_hms_nano_opt(
        u32::from(time.hour),
        u32::from(time.minute),
        u32::from(time.second.unwrap_or(0)),
        time.nanosecond.unwrap_or(0),
    )
    .ok_or_else(|| format!("{dt} is not a valid time"))?;
    let minutes = match offset {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => i32::from(minutes),
    };
    let tz = FixedOffset::east_opt(minutes * 60).ok_or_else(|| format!("{dt}: bad offset"))?;
    tz.from_local_datetime(&day.and_time(clock))
        .single()
        .ok_or_else(|| format!("{dt} is not a valid datetime"))
}

impl Timestamp {
    /// RFC 3339 with `Z` for UTC and whole seconds where possible: the way
    /// the file format writes it.
    pub(crate) fn to_toml_string(self) -> String {
        let secs = chrono::SecondsFormat::AutoSi;
        self.0.to_rfc3339_opts(secs, true)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_toml_string())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_toml_string())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| format!("`{s}` is not a date like 2026-12-15"))
    }
}

impl std::str::FromStr for Timestamp {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let dt: Datetime = s
            .parse()
            .map_err(|_| format!("`{s}` is not a datetime like 2026-11-24T14:02:00Z"))?;
        timestamp_from_toml(&dt).map(Timestamp)
    }
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub(crate) fn epoch() -> Timestamp {
        Timestamp(DateTime::UNIX_EPOCH.fixed_offset())
    }

    /// A git time: seconds since the epoch and the offset in minutes.
    /// `None` when either is out of range.
    pub(crate) fn from_unix(seconds: i64, offset_minutes: i32) -> Option<Timestamp> {
        let tz = FixedOffset::east_opt(offset_minutes.checked_mul(60)?)?;
        let utc = DateTime::from_timestamp(seconds, 0)?;
        Some(Timestamp(utc.with_timezone(&tz)))
    }

    /// The calendar day in the timestamp's own offset.
    pub(crate) fn day(&self) -> Date {
        Date(self.0.date_naive())
    }

    pub(crate) fn unix_seconds(&self) -> i64 {
        self.0.timestamp()
    }
}

/// JSON Schema-aware TOML editors (taplo, Tombi) see a TOML offset
/// datetime as a string in `date-time` format.
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "A TOML datetime with an offset, without quotes: 2026-11-24T14:02:00Z."
        })
    }
}

/// JSON Schema-aware TOML editors see a TOML local date as a string in
/// `date` format.
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A TOML date, without quotes: 2026-12-15."
        })
    }
}

/// A period of whole days, at least one: `7d`, `2w`, `30d`, `1day`, `48h`
/// (read as humantime reads durations). `remind --every` and
/// `digest --since` both take one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Days(pub u32);

impl std::str::FromStr for Days {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const DAY: u64 = 86_400;
        let duration = humantime::parse_duration(text.trim()).map_err(|e| {
            format!("`{text}` is not a period like 7d or 2w: it is not a duration like 7d, 2w or 30d ({e})")
        })?;
        let seconds = duration.as_secs();
        if seconds < DAY {
            return Err(format!(
                "`{text}` is less than a day: periods are whole days; give at least 1d"
            ));
        }
        let days = seconds / DAY;
        if seconds % DAY != 0 || duration.subsec_nanos() != 0 {
            return Err(format!(
                "`{text}` is not whole days: periods are whole days; try {days}d or {}d",
                days + 1
            ));
        }
        u32::try_from(days)
            .map(Days)
            .map_err(|_| format!("`{text}` is too long a period"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_whole_days() {
        for (text, days) in [("7d", 7), ("2w", 14), ("30d", 30), ("1day", 1), ("48h", 2)] {
            assert_eq!(text.parse::<Days>(), Ok(Days(days)), "{text}");
        }
        for bad in ["", "7", "seven days", "-7d", "0d", "12h", "36h", "1month"] {
            assert!(bad.parse::<Days>().is_err(), "{bad}");
        }
    }

    #[test]
    fn git_times_keep_their_offset() {
        let t = Timestamp::from_unix(1_700_000_000, -90).expect("in range");
        assert_eq!(t.to_string(), "2023-11-14T20:43:20-01:30");
        assert_eq!(t.day().to_string(), "2023-11-14");
        assert!(Timestamp::from_unix(0, 100_000).is_none());
    }
}

//! Shared pieces of the benchmark tools in `src/bin/`: command-line flags, latency
//! percentiles and process counters read from `/proc`.
//!
//! ```
//! let mut samples = vec![5.0, 1.0, 3.0, 2.0, 4.0];
//! let stats = chatkit_bench::Latency::from_samples(&mut samples);
//! assert_eq!(stats.p50, 3.0);
//! assert_eq!(stats.max, 5.0);
//! ```

use std::str::FromStr;

use anyhow::{Context, Result, bail};

/// `--name value` flags of a command line.
///
/// ```
/// let args = chatkit_bench::Flags::from(vec!["--port".to_string(), "0".to_string()]);
/// assert_eq!(args.get::<u16>("port", 8000).unwrap(), 0);
/// assert_eq!(args.get::<u16>("other", 7).unwrap(), 7);
/// ```
#[derive(Debug, Clone)]
pub struct Flags(Vec<String>);

impl From<Vec<String>> for Flags {
    fn from(args: Vec<String>) -> Self {
        Self(args)
    }
}

impl Flags {
    /// The flags of this process (program name and subcommand skipped by the caller).
    pub fn from_env(skip: usize) -> Self {
        Self(std::env::args().skip(skip).collect())
    }

    /// The raw value of `--name`, if given.
    pub fn raw(&self, name: &str) -> Option<&str> {
        let flag = format!("--{name}");
        self.0.iter().position(|a| *a == flag).and_then(|i| self.0.get(i + 1)).map(String::as_str)
    }

    /// The value of `--name` parsed, or `default`.
    pub fn get<T: FromStr>(&self, name: &str, default: T) -> Result<T>
    where
        T::Err: std::fmt::Display,
    {
        match self.raw(name) {
            None => Ok(default),
            Some(text) => text.parse().map_err(|e| anyhow::anyhow!("--{name} {text}: {e}")),
        }
    }

    /// The value of `--name`, which must be given.
    pub fn required(&self, name: &str) -> Result<&str> {
        match self.raw(name) {
            Some(v) => Ok(v),
            None => bail!("--{name} is required"),
        }
    }
}

/// Latency percentiles, in the unit of the samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    /// Median.
    pub p50: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest sample.
    pub max: f64,
}

impl Latency {
    /// Percentiles of `samples` (sorted in place; all zero when empty).
    pub fn from_samples(samples: &mut [f64]) -> Self {
        if samples.is_empty() {
            return Self { p50: 0.0, p99: 0.0, max: 0.0 };
        }
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| samples[(((samples.len() - 1) as f64) * q).round() as usize];
        Self { p50: at(0.50), p99: at(0.99), max: samples[samples.len() - 1] }
    }
}

/// Resident memory and CPU time of a process, from `/proc/PID`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessSample {
    /// Resident set size in KiB.
    pub rss_kib: u64,
    /// User plus system CPU time in seconds.
    pub cpu_seconds: f64,
}

impl ProcessSample {
    /// Reads the counters of process `pid` (Linux only).
    ///
    /// ```
    /// let me = chatkit_bench::ProcessSample::read(std::process::id()).unwrap();
    /// assert!(me.rss_kib > 0);
    /// ```
    pub fn read(pid: u32) -> Result<Self> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).with_context(|| format!("process {pid}"))?;
        let rss_kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("VmRSS missing")?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        // Fields after the command name (which may hold spaces) start at field 3.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).context("malformed stat")?;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: f64 = fields.get(11).zip(fields.get(12)).and_then(|(u, s)| Some(u.parse::<f64>().ok()? + s.parse::<f64>().ok()?)).context("cpu times missing")?;
        // USER_HZ is 100 on every Linux configuration in use.
        Ok(Self { rss_kib, cpu_seconds: ticks / 100.0 })
    }
}

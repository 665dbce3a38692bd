//! A small HTTP/1.1 load client for what `wrk` does not measure: time to the first body
//! chunk (the first event of a stream), a fixed number of requests, and the memory and CPU
//! of the server while many streams are open.
//!
//! `loadgen --url http://127.0.0.1:PORT/path --body FILE --concurrency C
//!  (--duration SECONDS | --count N) [--user ID] [--timeout SECONDS] [--pid PID]`
//!
//! FILE holds one JSON body per line; each request takes the next one, round robin. Every
//! connection is kept alive and sends one request at a time. With `--pid`, the server's
//! resident memory and CPU time are sampled every 50 ms. Prints one line of `key=value`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chatkit_bench::{Flags, Latency, ProcessSample};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Shared {
    requests: Vec<Vec<u8>>,
    next: AtomicUsize,
    count: Option<usize>,
    deadline: Option<Instant>,
    timeout: Duration,
    errors: AtomicU64,
    stop: AtomicBool,
}

/// Timings of one exchange.
struct Timing {
    first_chunk: Duration,
    total: Duration,
}

#[tokio::main]
async fn main() -> Result<()> {
    let flags = Flags::from_env(1);
    let url = flags.required("url")?;
    let rest = url.strip_prefix("http://").context("--url must start with http://")?;
    let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let user = flags.raw("user").unwrap_or("bench").to_owned();
    let bodies = std::fs::read_to_string(flags.required("body")?)?;
    let requests: Vec<Vec<u8>> = bodies
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|body| {
            format!(
                "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\nx-user-id: {user}\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .collect();
    if requests.is_empty() {
        bail!("--body has no request");
    }
    let concurrency: usize = flags.get("concurrency", 1)?;
    let count: Option<usize> = flags.raw("count").map(str::parse).transpose()?;
    let duration: Option<f64> = flags.raw("duration").map(str::parse).transpose()?;
    if count.is_none() == duration.is_none() {
        bail!("give exactly one of --count and --duration");
    }
    let pid: Option<u32> = flags.raw("pid").map(str::parse).transpose()?;
    let start = Instant::now();
    let shared = Arc::new(Shared {
        requests,
        next: AtomicUsize::new(0),
        count,
        deadline: duration.map(|d| start + Duration::from_secs_f64(d)),
        timeout: Duration::from_secs_f64(flags.get("timeout", 30.0)?),
        errors: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    });

    let idle = pid.map(ProcessSample::read).transpose()?;
    let sampler = pid.map(|pid| {
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut peak = 0;
            while !shared.stop.load(Ordering::Relaxed) {
                if let Ok(sample) = ProcessSample::read(pid) {
                    peak = peak.max(sample.rss_kib);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            peak
        })
    });

    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let shared = shared.clone();
            let addr = addr.to_owned();
            tokio::spawn(async move { worker(&addr, &shared).await })
        })
        .collect();
    let mut first = Vec::new();
    let mut total = Vec::new();
    for worker in workers {
        for timing in worker.await? {
            first.push(timing.first_chunk.as_secs_f64() * 1e3);
            total.push(timing.total.as_secs_f64() * 1e3);
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    shared.stop.store(true, Ordering::Relaxed);
    let peak = match sampler {
        Some(s) => Some(s.await?),
        None => None,
    };
    let done = total.len();
    let first = Latency::from_samples(&mut first);
    let total = Latency::from_samples(&mut total);
    let mut line = format!(
        "requests={done} errors={} seconds={elapsed:.3} rps={:.1} first_p50_ms={:.3} first_p99_ms={:.3} p50_ms={:.3} p99_ms={:.3} max_ms={:.3}",
        shared.errors.load(Ordering::Relaxed),
        done as f64 / elapsed,
        first.p50,
        first.p99,
        total.p50,
        total.p99,
        total.max,
    );
    if let (Some(pid), Some(idle), Some(peak)) = (pid, idle, peak) {
        let after = ProcessSample::read(pid)?;
        line.push_str(&format!(
            " idle_rss_kib={} peak_rss_kib={peak} per_request_kib={:.1} cpu_seconds={:.2}",
            idle.rss_kib,
            peak.saturating_sub(idle.rss_kib) as f64 / concurrency.max(1) as f64,
            after.cpu_seconds - idle.cpu_seconds,
        ));
    }
    println!("{line}");
    Ok(())
}

async fn worker(addr: &str, shared: &Shared) -> Vec<Timing> {
    let mut timings = Vec::new();
    let mut conn: Option<TcpStream> = None;
    let mut buf = Vec::with_capacity(64 * 1024);
    loop {
        if shared.deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let n = shared.next.fetch_add(1, Ordering::Relaxed);
        if shared.count.is_some_and(|c| n >= c) {
            break;
        }
        let request = &shared.requests[n % shared.requests.len()];
        let stream = match conn.take() {
            Some(s) => s,
            None => match TcpStream::connect(addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    s
                }
                Err(_) => {
                    shared.errors.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let mut stream = stream;
        match tokio::time::timeout(shared.timeout, exchange(&mut stream, request, &mut buf)).await {
            Ok(Ok((timing, keep))) => {
                timings.push(timing);
                if keep {
                    conn = Some(stream);
                }
            }
            _ => {
                shared.errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    timings
}

/// Sends one request and reads its whole response; tells whether the connection stays open.
async fn exchange(stream: &mut TcpStream, request: &[u8], buf: &mut Vec<u8>) -> Result<(Timing, bool)> {
    let start = Instant::now();
    stream.write_all(request).await?;
    buf.clear();
    let head_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i + 4;
        }
        read_more(stream, buf).await?;
    };
    let head = std::str::from_utf8(&buf[..head_end]).context("response head is not UTF-8")?.to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).unwrap_or_default();
    if !status.starts_with('2') {
        bail!("status {status}");
    }
    let keep = !head.contains("\r\nconnection: close");
    let header = |name: &str| head.lines().find_map(|l| l.strip_prefix(name)).map(str::trim);
    let mut first_chunk = None;
    if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        let mut pos = head_end;
        loop {
            let line_end = loop {
                if let Some(i) = find(&buf[pos..], b"\r\n") {
                    break pos + i;
                }
                read_more(stream, buf).await?;
            };
            let size_text = std::str::from_utf8(&buf[pos..line_end])?;
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or_default().trim(), 16)?;
            let end = line_end + 2 + size + 2;
            while buf.len() < end {
                read_more(stream, buf).await?;
            }
            if size == 0 {
                break;
            }
            first_chunk.get_or_insert_with(|| start.elapsed());
            pos = end;
        }
    } else {
        let length: usize = header("content-length:").context("no content-length")?.parse()?;
        while buf.len() < head_end + length {
            read_more(stream, buf).await?;
        }
    }
    let total = start.elapsed();
    Ok((Timing { first_chunk: first_chunk.unwrap_or(total), total }, keep))
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    if n == 0 {
        bail!("connection closed mid-response");
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

//! Server-sent events framing.
//!
//! Each event is one frame, `data: <compact JSON>\n\n`, exactly as the reference writes it:
//! no `event:`/`id:` lines, no comments, no terminal sentinel.

use bytes::{BufMut, Bytes, BytesMut};

use std::borrow::Cow;

use crate::ThreadStreamEvent;

/// Encodes one event as an SSE frame.
///
/// Items are written as clients may see them (attachment metadata removed).
///
/// ```
/// use chatkit::{ThreadStreamEvent, sse};
/// let frame = sse::encode(&ThreadStreamEvent::progress("Working"));
/// assert_eq!(&frame[..], b"data: {\"type\":\"progress_update\",\"text\":\"Working\"}\n\n");
/// ```
pub fn encode(event: &ThreadStreamEvent) -> Bytes {
    let mut buf = BytesMut::with_capacity(256);
    encode_into(event, &mut buf);
    buf.freeze()
}

/// Appends one event as an SSE frame to `buf`, serializing straight into it (no intermediate
/// value or string).
///
/// ```
/// use chatkit::{ThreadStreamEvent, sse};
/// let mut buf = bytes::BytesMut::new();
/// sse::encode_into(&ThreadStreamEvent::progress("One"), &mut buf);
/// sse::encode_into(&ThreadStreamEvent::progress("Two"), &mut buf);
/// assert_eq!(sse::parse(&buf).len(), 2);
/// ```
pub fn encode_into(event: &ThreadStreamEvent, buf: &mut BytesMut) {
    let redacted = redact(event);
    let event = redacted.as_ref().unwrap_or(event);
    buf.extend_from_slice(b"data: ");
    let mut writer = BufMut::writer(&mut *buf);
    let written = serde_json::to_writer(&mut writer, event);
    // Serializing protocol types to memory cannot fail: every map key is a string.
    debug_assert!(written.is_ok(), "event serialization failed: {written:?}");
    buf.extend_from_slice(b"\n\n");
}

/// A copy of the event without attachment metadata, when it carries any.
fn redact(event: &ThreadStreamEvent) -> Option<ThreadStreamEvent> {
    let (ThreadStreamEvent::ItemAdded { item } | ThreadStreamEvent::ItemDone { item } | ThreadStreamEvent::ItemReplaced { item }) =
        event
    else {
        return None;
    };
    let Cow::Owned(clean) = item.to_response() else { return None };
    Some(match event {
        ThreadStreamEvent::ItemAdded { .. } => ThreadStreamEvent::ItemAdded { item: clean },
        ThreadStreamEvent::ItemDone { .. } => ThreadStreamEvent::ItemDone { item: clean },
        _ => ThreadStreamEvent::ItemReplaced { item: clean },
    })
}

/// Splits a byte stream of SSE frames into the JSON payloads of its `data:` lines.
///
/// A small parser for tests and clients written in Rust; it follows the SSE rules the
/// conformance runner uses (comments and other fields ignored, multi-line data joined).
///
/// ```
/// let events = chatkit::sse::parse(b"data: {\"a\":1}\n\n: comment\n\ndata: 2\n\n");
/// assert_eq!(events, vec!["{\"a\":1}".to_string(), "2".to_string()]);
/// ```
pub fn parse(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut events = Vec::new();
    let mut data: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            if !data.is_empty() {
                events.push(data.join("\n"));
                data.clear();
            }
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        if field == "data" {
            data.push(value.strip_prefix(' ').unwrap_or(value));
        }
    }
    events
}

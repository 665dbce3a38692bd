//! An incremental server-sent events decoder, for reading model streams.

/// One decoded event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field; empty when absent.
    pub event: String,
    /// The `data:` lines, joined by newlines.
    pub data: String,
}

impl SseEvent {
    /// The data as JSON, or `None` at the `[DONE]` sentinel; `what` names the data in the
    /// error (`"a chunk"`).
    pub(crate) fn json(&self, what: &str) -> Result<Option<serde_json::Value>, super::ModelError> {
        let data = self.data.trim();
        if data == "[DONE]" {
            return Ok(None);
        }
        let value = serde_json::from_str(data).map_err(|e| super::ModelError::Protocol(format!("{what} is not JSON ({e}): {data:.200}")))?;
        Ok(Some(value))
    }
}

/// Decodes SSE frames from bytes as they arrive, in chunks split anywhere (even inside a
/// UTF-8 character).
///
/// ```
/// use chatkit_agents::model::sse::SseDecoder;
/// let mut decoder = SseDecoder::default();
/// assert!(decoder.feed(b"event: ping\ndata: {\"a\"").is_empty());
/// let events = decoder.feed(b":1}\r\n\r\n: comment\n\n");
/// assert_eq!(events.len(), 1);
/// assert_eq!(events[0].event, "ping");
/// assert_eq!(events[0].data, "{\"a\":1}");
/// ```
#[derive(Debug, Default)]
pub struct SseDecoder {
    buffer: Vec<u8>,
    event: String,
    data: Vec<String>,
}

impl SseDecoder {
    /// Feeds bytes; returns the events they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut start = 0;
        while let Some(offset) = self.buffer[start..].iter().position(|&b| b == b'\n') {
            let end = start + offset;
            let line = &self.buffer[start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let line = String::from_utf8_lossy(line).into_owned();
            start = end + 1;
            if let Some(event) = self.line(&line) {
                events.push(event);
            }
        }
        self.buffer.drain(..start);
        events
    }

    /// Ends the input: a last event without its blank line still counts.
    pub fn finish(&mut self) -> Option<SseEvent> {
        let rest = std::mem::take(&mut self.buffer);
        if !rest.is_empty() {
            let line = String::from_utf8_lossy(&rest).into_owned();
            if let Some(event) = self.line(line.trim_end_matches('\r')) {
                return Some(event);
            }
        }
        self.line("")
    }

    fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            if self.data.is_empty() {
                self.event.clear();
                return None;
            }
            let data = std::mem::take(&mut self.data).join("\n");
            return Some(SseEvent { event: std::mem::take(&mut self.event), data });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => self.data.push(value.to_owned()),
            "event" => self.event = value.to_owned(),
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_anywhere_and_joins_multiline_data() {
        let input = "data: first\ndata: second\n\nevent: x\ndata: é\n\ndata: [DONE]\n\n".as_bytes();
        for size in 1..input.len() {
            let mut decoder = SseDecoder::default();
            let mut events = Vec::new();
            for chunk in input.chunks(size) {
                events.extend(decoder.feed(chunk));
            }
            events.extend(decoder.finish());
            let data: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
            assert_eq!(data, ["first\nsecond", "é", "[DONE]"], "chunk size {size}");
            assert_eq!(events[1].event, "x");
            assert_eq!(events[2].event, "");
        }
    }

    #[test]
    fn unterminated_last_event_is_kept() {
        let mut decoder = SseDecoder::default();
        assert!(decoder.feed(b"data: tail").is_empty());
        assert_eq!(decoder.finish().map(|e| e.data), Some("tail".to_owned()));
        assert_eq!(decoder.finish(), None);
    }
}

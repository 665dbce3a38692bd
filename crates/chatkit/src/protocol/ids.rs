//! Identifier newtypes: a [`ThreadId`] cannot stand in for an [`ItemId`].

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an existing id string verbatim.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the id into its string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type! {
    /// Id of a thread (`thr_…` when generated).
    ///
    /// ```
    /// use chatkit::ThreadId;
    /// let id = ThreadId::new("thr_1234abcd");
    /// assert_eq!(id.as_str(), "thr_1234abcd");
    /// ```
    ThreadId
}

id_type! {
    /// Id of a thread item (`msg_…`, `tc_…`, `wf_…`, `tsk_…`, `shcx_…` when generated).
    ///
    /// ```
    /// use chatkit::ItemId;
    /// assert_eq!(ItemId::from("msg_1").to_string(), "msg_1");
    /// ```
    ItemId
}

id_type! {
    /// Id of an attachment (`atc_…` when generated).
    ///
    /// ```
    /// use chatkit::AttachmentId;
    /// assert_eq!(&*AttachmentId::from("atc_1"), "atc_1");
    /// ```
    AttachmentId
}

/// What an item id is generated for; each kind has the reference's id prefix.
///
/// ```
/// use chatkit::IdKind;
/// assert_eq!(IdKind::ToolCall.prefix(), "tc");
/// assert!(IdKind::Message.generate().starts_with("msg_"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdKind {
    /// A thread (`thr`).
    Thread,
    /// A message: user and assistant messages, widgets, hidden context, images (`msg`).
    Message,
    /// A client tool call (`tc`).
    ToolCall,
    /// A workflow (`wf`).
    Workflow,
    /// A task item (`tsk`).
    Task,
    /// An attachment (`atc`).
    Attachment,
    /// The framework's own hidden context, e.g. the cancellation note (`shcx`).
    SdkHiddenContext,
}

impl IdKind {
    /// The id prefix of this kind, as the reference uses it.
    pub fn prefix(self) -> &'static str {
        match self {
            IdKind::Thread => "thr",
            IdKind::Message => "msg",
            IdKind::ToolCall => "tc",
            IdKind::Workflow => "wf",
            IdKind::Task => "tsk",
            IdKind::Attachment => "atc",
            IdKind::SdkHiddenContext => "shcx",
        }
    }

    /// A fresh random id: the prefix, `_` and 16 random lowercase hex digits.
    ///
    /// The reference uses 8 digits (32 bits: a thread of 100,000 items has about a 70% chance
    /// of two equal ids); 16 digits (64 bits) keep the same shape — ids are opaque to clients
    /// and the reference accepts any — without that risk. The digits come from a per-thread
    /// generator seeded once from the operating system, so making an id costs no system call.
    pub fn generate(self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let prefix = self.prefix();
        let bits = random_u64();
        let mut id = String::with_capacity(prefix.len() + 17);
        id.push_str(prefix);
        id.push('_');
        for shift in (0..16).rev() {
            id.push(char::from(HEX[((bits >> (shift * 4)) & 0xf) as usize]));
        }
        id
    }
}

/// 64 random bits: SplitMix64 over a per-thread state seeded from a v4 UUID.
fn random_u64() -> u64 {
    thread_local! {
        static STATE: std::cell::Cell<u64> = std::cell::Cell::new(uuid::Uuid::new_v4().as_u64_pair().0);
    }
    STATE.with(|state| {
        let x = state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        state.set(x);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_the_reference_shape_and_differ() {
        let ids: std::collections::HashSet<String> = (0..100_000).map(|_| IdKind::Message.generate()).collect();
        assert_eq!(ids.len(), 100_000, "no collisions in a large thread's worth of ids");
        for id in &ids {
            let token = id.strip_prefix("msg_").expect("msg_ prefix");
            assert_eq!(token.len(), 16);
            assert!(token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
        }
        assert!(IdKind::SdkHiddenContext.generate().starts_with("shcx_"));
    }
}

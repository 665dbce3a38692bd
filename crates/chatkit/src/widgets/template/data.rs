//! The caller's data as direct rendering reads it: serialized once into one list of nodes and
//! one string of text, with no hashing and no allocation per value.
//!
//! [`Data::of`] takes any `Serialize` data to what `serde_json::to_value` would make of it —
//! maps (members in the order written) and lists laid out after their node, strings as ranges of
//! the text — or refuses it ([`Unsupported`]) where it would not be sure to: a key repeated in
//! a map, a float key, a number `Value` cannot hold, `serde_json`'s raw values. The caller then
//! converts the data the usual way. [`Datum::json`] reads a value back as [`Json`], much as
//! one matches on a `serde_json::Value`.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::Number;

/// The name under which `serde_json` serializes a `RawValue` (and, with `arbitrary_precision`,
/// a `Number`): `to_value` parses its text, which is left to it.
const PRIVATE_TOKENS: [&str; 2] = ["$serde_json::private::RawValue", "$serde_json::private::Number"];

/// Maps with at most this many members are checked for a repeated key pair by pair.
const PAIRWISE: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    /// An integer ≥ 0.
    PosInt(u64),
    /// An integer < 0.
    NegInt(i64),
    /// A finite float.
    Float(f64),
    /// `text[start..end]`.
    Str(u32, u32),
    /// `len` items follow; the node after the list is at `end`.
    List { len: u32, end: u32 },
    /// `len` members follow, each a key (`Str`) and its value; the node after the map is at `end`.
    Map { len: u32, end: u32 },
}

/// Data serialized for direct rendering; its root is [`Data::root`].
#[derive(Debug, Default)]
pub(super) struct Data {
    nodes: Vec<Node>,
    text: String,
    /// The keys of the map being checked for a repeated key.
    keys: Vec<(u32, u32)>,
}

/// Why [`Data::of`] refused the data: it has something `to_value` may treat otherwise.
#[derive(Debug)]
pub(super) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("data left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

type Result<T, E = Unsupported> = std::result::Result<T, E>;

impl Data {
    /// Serializes `value`, with room for `nodes` nodes and `text` bytes of text.
    pub(super) fn of(value: &(impl Serialize + ?Sized), nodes: usize, text: usize) -> Result<Data> {
        Data::of_in(value, Data::default(), nodes, text)
    }

    /// [`Data::of`] into the buffers of `spare`, data done with: a render reuses the last one's.
    pub(super) fn of_in(value: &(impl Serialize + ?Sized), mut spare: Data, nodes: usize, text: usize) -> Result<Data> {
        spare.nodes.clear();
        spare.text.clear();
        spare.keys.clear();
        spare.nodes.reserve(nodes);
        spare.text.reserve(text);
        value.serialize(&mut spare)?;
        Ok(spare)
    }

    /// The bytes its buffers take.
    pub(super) fn capacity(&self) -> usize {
        self.nodes.capacity() * size_of::<Node>() + self.text.capacity() + self.keys.capacity() * size_of::<(u32, u32)>()
    }

    /// The number of nodes and bytes of text, to size the next [`Data::of`].
    pub(super) fn size(&self) -> (usize, usize) {
        (self.nodes.len(), self.text.len())
    }

    /// The value serialized.
    pub(super) fn root(&self) -> Datum<'_> {
        Datum { data: self, at: 0 }
    }

    fn node(&self, at: usize) -> Node {
        self.nodes.get(at).copied().unwrap_or(Node::Null)
    }

    /// Tells the list or map at `at` from others, for as long as the data lives.
    fn address(&self, at: usize) -> usize {
        self.nodes.as_ptr().wrapping_add(at) as usize
    }

    fn str(&self, start: u32, end: u32) -> &str {
        self.text.get(start as usize..end as usize).unwrap_or_default()
    }

    /// Where the node after the value at `at` (and all it holds) is.
    fn after(&self, at: usize) -> usize {
        match self.node(at) {
            Node::List { end, .. } | Node::Map { end, .. } => end as usize,
            _ => at + 1,
        }
    }

    fn push(&mut self, node: Node) -> Result<()> {
        self.nodes.push(node);
        Ok(())
    }

    fn push_str(&mut self, text: &str) -> Result<()> {
        let start = offset(self.text.len())?;
        self.text.push_str(text);
        self.push(Node::Str(start, offset(self.text.len())?))
    }

    /// Starts a list or map: its node, completed by [`close`](Self::close).
    fn open(&mut self, map: bool) -> usize {
        self.nodes.push(if map { Node::Map { len: 0, end: 0 } } else { Node::List { len: 0, end: 0 } });
        self.nodes.len() - 1
    }

    fn close(&mut self, at: usize, len: u32) -> Result<()> {
        let end = offset(self.nodes.len())?;
        match self.nodes.get_mut(at) {
            Some(Node::List { len: l, end: e } | Node::Map { len: l, end: e }) => {
                (*l, *e) = (len, end);
                Ok(())
            }
            _ => Err(Unsupported),
        }
    }

    /// Completes a map, refusing it when a key repeats (`to_value` keeps the first place and
    /// the last value).
    fn close_map(&mut self, at: usize, len: u32) -> Result<()> {
        self.close(at, len)?;
        if len < 2 {
            return Ok(());
        }
        self.keys.clear();
        let mut key = at + 1;
        for _ in 0..len {
            let Node::Str(start, end) = self.node(key) else { return Err(Unsupported) };
            self.keys.push((start, end));
            key = self.after(key + 1);
        }
        let (text, keys) = (&self.text, &mut self.keys);
        let name = |&(start, end): &(u32, u32)| text.get(start as usize..end as usize).unwrap_or_default();
        let repeated = if keys.len() <= PAIRWISE {
            keys.iter().enumerate().any(|(i, a)| {
                keys[..i].iter().any(|b| a.1 - a.0 == b.1 - b.0 && name(a) == name(b))
            })
        } else {
            keys.sort_unstable_by(|a, b| name(a).cmp(name(b)));
            keys.windows(2).any(|pair| name(&pair[0]) == name(&pair[1]))
        };
        if repeated { Err(Unsupported) } else { Ok(()) }
    }

    /// Starts `{variant: …}` (an enum's tuple or struct variant): the outer map and the key.
    fn variant(&mut self, variant: &str) -> Result<usize> {
        let outer = self.open(true);
        self.push_str(variant)?;
        Ok(outer)
    }
}

/// A node index or text offset, which must fit 32 bits.
fn offset(n: usize) -> Result<u32> {
    u32::try_from(n).map_err(|_| Unsupported)
}

/// One value of a [`Data`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Datum<'a> {
    data: &'a Data,
    at: usize,
}

/// What a [`Datum`] is, as `serde_json::Value` would have it.
#[derive(Debug, Clone)]
pub(super) enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(&'a str),
    Array(Items<'a>),
    Object(Members<'a>),
}

impl<'a> Datum<'a> {
    pub(super) fn json(self) -> Json<'a> {
        let data = self.data;
        match data.node(self.at) {
            Node::Null => Json::Null,
            Node::Bool(b) => Json::Bool(b),
            Node::PosInt(n) => Json::Number(n.into()),
            Node::NegInt(n) => Json::Number(n.into()),
            Node::Float(f) => Number::from_f64(f).map_or(Json::Null, Json::Number),
            Node::Str(start, end) => Json::String(data.str(start, end)),
            Node::List { len, .. } => Json::Array(Items { data, at: self.at, len: len as usize }),
            Node::Map { len, .. } => Json::Object(Members { data, at: self.at, len: len as usize }),
        }
    }

    pub(super) fn is_null(self) -> bool {
        self.data.node(self.at) == Node::Null
    }
}

/// The items of a list of a [`Data`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Items<'a> {
    data: &'a Data,
    at: usize,
    len: usize,
}

impl<'a> Items<'a> {
    pub(super) fn len(self) -> usize {
        self.len
    }

    pub(super) fn is_empty(self) -> bool {
        self.len == 0
    }

    pub(super) fn iter(self) -> impl Iterator<Item = Datum<'a>> {
        let data = self.data;
        let mut at = self.at + 1;
        (0..self.len).map(move |_| {
            let item = Datum { data, at };
            at = data.after(at);
            item
        })
    }

    pub(super) fn get(self, index: usize) -> Option<Datum<'a>> {
        self.iter().nth(index)
    }

    /// Tells this list from others, for as long as the data lives.
    pub(super) fn address(self) -> usize {
        self.data.address(self.at)
    }
}

/// The members of a map of a [`Data`], in the order they were written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Members<'a> {
    data: &'a Data,
    at: usize,
    len: usize,
}

impl<'a> Members<'a> {
    /// The members of `{}`.
    pub(super) fn empty(data: &'a Data) -> Self {
        Members { data, at: 0, len: 0 }
    }

    pub(super) fn len(self) -> usize {
        self.len
    }

    pub(super) fn is_empty(self) -> bool {
        self.len == 0
    }

    pub(super) fn iter(self) -> impl Iterator<Item = (&'a str, Datum<'a>)> {
        let data = self.data;
        let mut at = self.at + 1;
        (0..self.len).map(move |_| {
            let key = match data.node(at) {
                Node::Str(start, end) => data.str(start, end),
                _ => "",
            };
            let member = (key, Datum { data, at: at + 1 });
            at = data.after(at + 1);
            member
        })
    }

    pub(super) fn get(self, name: &str) -> Option<Datum<'a>> {
        let data = self.data;
        let mut at = self.at + 1;
        for _ in 0..self.len {
            // Keys of another length are passed over without reading them.
            let Node::Str(start, end) = data.node(at) else { return None };
            if (end - start) as usize == name.len() && data.str(start, end) == name {
                return Some(Datum { data, at: at + 1 });
            }
            at = data.after(at + 1);
        }
        None
    }

    /// Tells this map from others, for as long as the data lives.
    pub(super) fn address(self) -> usize {
        self.data.address(self.at)
    }
}

impl<'b> ser::Serializer for &'b mut Data {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'b>;
    type SerializeTuple = Compound<'b>;
    type SerializeTupleStruct = Compound<'b>;
    type SerializeTupleVariant = Compound<'b>;
    type SerializeMap = Compound<'b>;
    type SerializeStruct = Compound<'b>;
    type SerializeStructVariant = Compound<'b>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.push(Node::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<()> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.push(u64::try_from(v).map_or(Node::NegInt(v), Node::PosInt))
    }

    fn serialize_i128(self, v: i128) -> Result<()> {
        match (u64::try_from(v), i64::try_from(v)) {
            (Ok(n), _) => self.push(Node::PosInt(n)),
            (_, Ok(n)) => self.push(Node::NegInt(n)),
            _ => Err(Unsupported),
        }
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        self.push(Node::PosInt(v))
    }

    fn serialize_u128(self, v: u128) -> Result<()> {
        self.push(Node::PosInt(u64::try_from(v).map_err(|_| Unsupported)?))
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }

    /// Not finite, it is `null`, as in `to_value`.
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.push(if v.is_finite() { Node::Float(v) } else { Node::Null })
    }

    fn serialize_char(self, v: char) -> Result<()> {
        self.push_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        self.push_str(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        let at = self.open(false);
        self.nodes.extend(v.iter().map(|&b| Node::PosInt(b.into())));
        self.close(at, offset(v.len())?)
    }

    fn serialize_none(self) -> Result<()> {
        self.push(Node::Null)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.push(Node::Null)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.push(Node::Null)
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<()> {
        self.push_str(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        let outer = self.variant(variant)?;
        value.serialize(&mut *self)?;
        self.close(outer, 1)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'b>> {
        let at = self.open(false);
        Ok(Compound { data: self, at, len: 0, variant: None, key: false })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'b>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'b>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'b>> {
        let outer = self.variant(variant)?;
        let at = self.open(false);
        Ok(Compound { data: self, at, len: 0, variant: Some(outer), key: false })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'b>> {
        let at = self.open(true);
        Ok(Compound { data: self, at, len: 0, variant: None, key: false })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'b>> {
        if PRIVATE_TOKENS.contains(&name) {
            return Err(Unsupported);
        }
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'b>> {
        let outer = self.variant(variant)?;
        let at = self.open(true);
        Ok(Compound { data: self, at, len: 0, variant: Some(outer), key: false })
    }
}

/// A list or map being serialized.
pub(super) struct Compound<'b> {
    data: &'b mut Data,
    /// Its node.
    at: usize,
    len: u32,
    /// The map `{variant: …}` around it, for an enum's tuple or struct variant.
    variant: Option<usize>,
    /// A map's key is written and its value due.
    key: bool,
}

impl Compound<'_> {
    fn item<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut *self.data)?;
        self.len = self.len.checked_add(1).ok_or(Unsupported)?;
        Ok(())
    }

    fn end_list(self) -> Result<()> {
        self.data.close(self.at, self.len)?;
        self.end_variant()
    }

    fn end_map(self) -> Result<()> {
        if self.key {
            return Err(Unsupported);
        }
        self.data.close_map(self.at, self.len)?;
        self.end_variant()
    }

    fn end_variant(self) -> Result<()> {
        match self.variant {
            Some(outer) => self.data.close(outer, 1),
            None => Ok(()),
        }
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        self.data.push_str(key)?;
        self.item(value)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.item(value)
    }

    fn end(self) -> Result<()> {
        self.end_list()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.item(value)
    }

    fn end(self) -> Result<()> {
        self.end_list()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.item(value)
    }

    fn end(self) -> Result<()> {
        self.end_list()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.item(value)
    }

    fn end(self) -> Result<()> {
        self.end_list()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        if self.key {
            return Err(Unsupported);
        }
        key.serialize(KeySerializer(&mut *self.data))?;
        self.key = true;
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        if !self.key {
            return Err(Unsupported);
        }
        self.key = false;
        self.item(value)
    }

    fn end(self) -> Result<()> {
        self.end_map()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<()> {
        self.field(key, value)
    }

    fn end(self) -> Result<()> {
        self.end_map()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<()> {
        self.field(key, value)
    }

    fn end(self) -> Result<()> {
        self.end_map()
    }
}

/// Writes a map key as `to_value` turns it into a string: strings, characters, booleans,
/// integers and unit variants (float keys, which it writes its own way, are refused).
struct KeySerializer<'b>(&'b mut Data);

impl KeySerializer<'_> {
    fn display(self, value: impl fmt::Display) -> Result<()> {
        use fmt::Write as _;
        let start = offset(self.0.text.len())?;
        write!(self.0.text, "{value}").map_err(|_| Unsupported)?;
        self.0.push(Node::Str(start, offset(self.0.text.len())?))
    }
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.0.push_str(if v { "true" } else { "false" })
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.display(v)
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.display(v)
    }

    fn serialize_i32(self, v: i32) -> Result<()> {
        self.display(v)
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.display(v)
    }

    fn serialize_i128(self, v: i128) -> Result<()> {
        self.display(v)
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.display(v)
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.display(v)
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.display(v)
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        self.display(v)
    }

    fn serialize_u128(self, v: u128) -> Result<()> {
        self.display(v)
    }

    fn serialize_f32(self, _v: f32) -> Result<()> {
        Err(Unsupported)
    }

    fn serialize_f64(self, _v: f64) -> Result<()> {
        Err(Unsupported)
    }

    fn serialize_char(self, v: char) -> Result<()> {
        self.0.push_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        self.0.push_str(v)
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(Unsupported)
    }

    fn serialize_none(self) -> Result<()> {
        Err(Unsupported)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result<()> {
        Err(Unsupported)
    }

    fn serialize_unit(self) -> Result<()> {
        Err(Unsupported)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Err(Unsupported)
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<()> {
        self.0.push_str(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(Unsupported)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unsupported)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unsupported)
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Unsupported)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{Value, json};

    use super::*;

    /// The data read back into a `Value`, members in the order they were written.
    fn value(datum: Datum<'_>) -> Value {
        match datum.json() {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(n) => Value::Number(n),
            Json::String(s) => Value::String(s.to_owned()),
            Json::Array(items) => Value::Array(items.iter().map(value).collect()),
            Json::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.to_owned(), value(v))).collect()),
        }
    }

    /// Serializes `data` both ways and checks that they agree, order of members included.
    fn same(data: &(impl Serialize + ?Sized)) -> String {
        let expected = serde_json::to_string(&serde_json::to_value(data).expect("to_value")).expect("text");
        let view = Data::of(data, 0, 0).expect("serializes");
        assert_eq!(serde_json::to_string(&value(view.root())).expect("text"), expected);
        expected
    }

    #[test]
    fn keeps_members_in_order_and_nests() {
        let data = json!({"b": 1, "a": {"z": [1, "x", null, true, [], {}], "y": 2.5}, "c": "é\"\n", "": [[{"k": null}]]});
        assert_eq!(same(&data), r#"{"b":1,"a":{"z":[1,"x",null,true,[],{}],"y":2.5},"c":"é\"\n","":[[{"k":null}]]}"#);
        let view = Data::of(&data, 0, 0).expect("serializes");
        let Json::Object(root) = view.root().json() else { panic!("a map") };
        assert_eq!(root.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["b", "a", "c", ""]);
        let Some(Json::Object(a)) = root.get("a").map(Datum::json) else { panic!("a map") };
        let Some(Json::Array(z)) = a.get("z").map(Datum::json) else { panic!("a list") };
        assert_eq!((z.len(), z.get(1).map(value), z.get(6).map(value)), (6, Some(json!("x")), None));
        assert!(root.get("d").is_none());
        // Built from a `Value`, as `build` does, and from the text it was parsed from.
        let text = r#"{"x": {"y": [1, {"z": "w"}]}, "v": -3}"#;
        assert_eq!(same(&serde_json::from_str::<Value>(text).expect("json")), r#"{"x":{"y":[1,{"z":"w"}]},"v":-3}"#);
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Meters(f32);

    #[derive(Serialize)]
    enum Shape {
        Dot,
        Circle(f64),
        Line(i8, i8),
        Box { w: u8, h: u8 },
    }

    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    enum Side {
        Left,
        Right,
    }

    #[derive(Serialize)]
    struct Typed {
        name: String,
        note: Option<String>,
        given: Option<u32>,
        unit: Unit,
        empty: (),
        length: Meters,
        shapes: Vec<Shape>,
        pair: (char, bool),
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        #[serde(rename = "renamed")]
        field: i16,
        #[serde(flatten)]
        extra: BTreeMap<String, i32>,
    }

    #[test]
    fn structs_and_enums_as_to_value_has_them() {
        let typed = Typed {
            name: "Ada".into(),
            note: None,
            given: Some(7),
            unit: Unit,
            empty: (),
            length: Meters(0.1),
            shapes: vec![Shape::Dot, Shape::Circle(1.5), Shape::Line(-1, 2), Shape::Box { w: 3, h: 4 }],
            pair: ('é', false),
            skipped: None,
            field: -2,
            extra: BTreeMap::from([("x".to_owned(), 1)]),
        };
        assert_eq!(
            same(&typed),
            concat!(
                r#"{"name":"Ada","note":null,"given":7,"unit":null,"empty":null,"length":0.10000000149011612,"#,
                r#""shapes":["Dot",{"Circle":1.5},{"Line":[-1,2]},{"Box":{"w":3,"h":4}}],"pair":["é",false],"renamed":-2,"x":1}"#
            )
        );
        same(&Shape::Box { w: 0, h: 1 });
        same(&Some(Unit));
        same(&());
        same(&serde_bytes_like(b"ab\x00"));
    }

    /// Bytes, serialized as bytes (`serde_json` makes a list of numbers of them).
    fn serde_bytes_like(bytes: &'static [u8]) -> impl Serialize {
        struct Bytes(&'static [u8]);
        impl Serialize for Bytes {
            fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(self.0)
            }
        }
        Bytes(bytes)
    }

    #[test]
    fn numbers_as_to_value_has_them() {
        assert_eq!(same(&[u64::MAX]), "[18446744073709551615]");
        assert_eq!(same(&[i64::MIN, 0, -1]), "[-9223372036854775808,0,-1]");
        assert_eq!(same(&(1e300, -0.0, 0.5f32, 2.0)), "[1e+300,-0.0,0.5,2.0]");
        // Floats that JSON cannot hold are null.
        assert_eq!(same(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]), "[null,null,null]");
        assert_eq!(same(&f32::NAN), "null");
        assert_eq!(same(&[i128::from(i64::MIN), i128::from(u64::MAX)]), "[-9223372036854775808,18446744073709551615]");
        assert_eq!(same(&[u128::from(u64::MAX)]), "[18446744073709551615]");
        // Out of range, `to_value` fails; so does this.
        for wide in [i128::MAX, i128::MIN] {
            assert!(serde_json::to_value(wide).is_err() && Data::of(&wide, 0, 0).is_err());
        }
        assert!(serde_json::to_value(u128::MAX).is_err() && Data::of(&u128::MAX, 0, 0).is_err());
        // Integers and floats stay apart, as in a `Value`.
        let view = Data::of(&(1u8, -1i32, 1.0f64), 0, 0).expect("serializes");
        let Json::Array(items) = view.root().json() else { panic!("a list") };
        let numbers: Vec<Value> = items.iter().map(value).collect();
        assert_eq!(numbers, [json!(1), json!(-1), json!(1.0)]);
        assert!(numbers[2].is_f64() && numbers[1].is_i64());
    }

    #[test]
    fn map_keys_become_strings_as_in_to_value() {
        same(&BTreeMap::from([(1, "a"), (-20, "b")]));
        same(&BTreeMap::from([(true, 1), (false, 2)]));
        same(&BTreeMap::from([('k', 1)]));
        same(&BTreeMap::from([(Side::Left, 1), (Side::Right, 2)]));
        same(&BTreeMap::from([(u128::MAX, 1), (0, 2)]));
        same(&BTreeMap::from([(i128::MIN, 1)]));
        assert_eq!(same(&BTreeMap::from([(3u8, 1), (10, 2)])), r#"{"3":1,"10":2}"#);
        // Keys `to_value` rejects are refused too; float keys, which it writes its own way, are
        // left to it.
        for refused in [Data::of(&BTreeMap::from([((1, 2), 1)]), 0, 0), Data::of(&BTreeMap::from([(vec![1], 1)]), 0, 0)] {
            assert!(refused.is_err());
        }
        assert!(serde_json::to_value(BTreeMap::from([((1, 2), 1)])).is_err());
        let float_keys = FloatKeys(vec![(0.5, 1)]);
        assert!(serde_json::to_value(&float_keys).is_ok());
        assert!(Data::of(&float_keys, 0, 0).is_err());
    }

    /// A map with float keys.
    struct FloatKeys(Vec<(f64, i32)>);

    impl Serialize for FloatKeys {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }

    /// A map written member by member, repeats included.
    struct Entries(Vec<(&'static str, Value)>);

    impl Serialize for Entries {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }

    #[test]
    fn a_repeated_key_is_left_to_to_value() {
        // `to_value` keeps the first place and the last value; such data is refused here.
        let repeated = Entries(vec![("a", json!(1)), ("b", json!(2)), ("a", json!(3))]);
        assert_eq!(serde_json::to_string(&serde_json::to_value(&repeated).expect("to_value")).expect("text"), r#"{"a":3,"b":2}"#);
        assert!(Data::of(&repeated, 0, 0).is_err());
        // Many members: found by sorting.
        let mut many: Vec<(&'static str, Value)> = KEYS.iter().map(|k| (*k, json!(1))).collect();
        assert!(Data::of(&Entries(many.clone()), 0, 0).is_ok());
        many.push(("k07", json!([{"z": 1}])));
        assert!(Data::of(&Entries(many), 0, 0).is_err());
        // Nested maps each have their own keys.
        same(&Entries(vec![("a", json!({"a": {"a": 1}, "b": 2})), ("b", json!({"a": 3}))]));
    }

    const KEYS: [&str; 20] = [
        "k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10", "k11", "k12", "k13", "k14", "k15", "k16",
        "k17", "k18", "k19",
    ];

    #[test]
    fn raw_values_are_left_to_to_value() {
        let raw = serde_json::value::RawValue::from_string(r#"{"a": [1, 2]}"#.to_owned()).expect("raw");
        assert_eq!(serde_json::to_value(&raw).expect("to_value"), json!({"a": [1, 2]}));
        assert!(Data::of(&raw, 0, 0).is_err());
        assert!(Data::of(&BTreeMap::from([("x", &raw)]), 0, 0).is_err());
    }

    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|f| json!(f)),
            "[a-c\"\\\\\u{0}-\u{1f}é]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(("[a-d]{0,2}", inner), 0..6).prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any JSON comes back as it went in, members in their order.
        #[test]
        fn json_round_trips(data in arbitrary_json()) {
            let view = Data::of(&data, 0, 0).expect("serializes");
            prop_assert_eq!(serde_json::to_string(&value(view.root())).expect("text"), serde_json::to_string(&data).expect("text"));
        }
    }
}

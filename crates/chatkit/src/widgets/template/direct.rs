//! Direct rendering of the usual `.widget` template: JSON text with `{{ …|tojson }}` holes,
//! `if`, `for`, `set` and the authoring tool's comma idiom, rendered straight into the wire
//! JSON of the widget instead of into text that is then parsed, checked and serialized again.
//!
//! At load, the Jinja source is parsed (by minijinja's own parser) and, when every construct is
//! one this module knows, compiled into a [`Program`]: the text between tags is cut into JSON
//! tokens once (each kept as the text `serde_json` writes for it), and `{{ x|tojson }}` becomes
//! "insert this value". Parts of the text that do not depend on the data — whole objects and
//! lists, runs of whole members — are checked and written at compile time for each place they
//! can go, so a render copies their text after one check of where it is; constant lists and
//! maps in expressions are built once, and held as data (below) like the caller's. A list or
//! map literal with computed parts ([`Lit`]) is compiled into its shape, written out as
//! template text would be, and a render fills in only those parts.
//!
//! The caller's data is serialized once into a [`Data`] (see `data`): the JSON that
//! `serde_json::to_value` would make of it, laid out in one list of nodes and one string of
//! text, with no hashing and no allocation per value; data it is not sure to lay out the same
//! way is left to the engine. Rendering walks the program, evaluating expressions on that data
//! as JSON (no conversion into template values; maps and lists the template builds share what
//! they hold) and feeding tokens and values to a [`Writer`] that checks the JSON grammar and
//! the widget shape as it writes the output.
//!
//! The program does only what it can do exactly as the minijinja environment would: whenever a
//! render meets anything else (an undefined value used, a comparison of lists, a float printed,
//! text that is not whole JSON tokens, invalid JSON, a widget of the wrong shape…), it gives up
//! with [`Fallback`] and the caller renders through minijinja, which also gives the error
//! message. So a render that succeeds here produces the same JSON, and every error comes from
//! the one engine.

use minijinja::machinery::ast;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use serde_json::{Map, Number, Value};

use super::data::{self, Data, Datum, Json};
use crate::widgets::ROOT_TYPES;

/// This render needs the full engine (an error, or something the program does not do).
#[derive(Debug)]
pub(super) struct Fallback;

type Outcome<T> = Result<T, Fallback>;

/// A template compiled for direct rendering.
#[derive(Debug)]
pub(super) struct Program {
    body: Vec<Node>,
    /// The length of the last output, to allocate the next one at once.
    last_len: AtomicUsize,
    /// The size of the last data (nodes, bytes of text), likewise.
    last_data: (AtomicUsize, AtomicUsize),
}

#[derive(Debug)]
enum Node {
    /// Template text, cut into JSON tokens; `first` is its first byte (for the comma idiom).
    Raw { tokens: Vec<Tok>, first: Option<u8> },
    /// `{{ expr|tojson }}`: the value goes into the tree as it is.
    Json(Expr),
    /// `{{ expr }}`: printed, then read as JSON tokens.
    Print(Expr),
    If { cond: Expr, then: Vec<Node>, otherwise: Vec<Node> },
    For { var: String, iter: Expr, body: Vec<Node>, otherwise: Vec<Node> },
    Set { var: String, value: Expr },
    /// `{% set ns = namespace(a=…, b=…) %}`
    Namespace { var: String, members: Vec<(String, Expr)> },
    /// `{% set var = ns.member.append(value) %}`: `var` is then none. `moves`: the value is a
    /// variable set before in the same block and not read after, so it is moved, not copied.
    Append { var: String, namespace: String, member: String, value: Expr, moves: bool },
    /// `{% set _c %}…{% endset %}{{ _c[1:] if _c and _c[0] == ',' else _c }}`: the body's
    /// output without its leading comma.
    CommaList(Vec<Node>),
}

#[derive(Debug)]
enum Expr {
    Const(Const),
    Var(String),
    Loop(LoopAttr),
    Attr(Box<Expr>, String),
    Item(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Eq(Box<Expr>, Box<Expr>),
    Ne(Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Option<Box<Expr>>),
    Default(Box<Expr>, Box<Expr>),
    /// `upper`, `lower` or `capitalize` of a string.
    Case(Box<Expr>, Case),
    Length(Box<Expr>),
    /// `string`: Python's `str()`.
    Str(Box<Expr>),
    /// `join(sep)`.
    Join(Box<Expr>, Box<Expr>),
    /// `round(precision)`.
    Round(Box<Expr>, i32),
    /// `format(args…)` with `%s`, `%d` and `%%` only.
    Format(Box<Expr>, Vec<Expr>),
    IsNone(Box<Expr>),
    IsDefined(Box<Expr>),
    /// A list or map literal with parts computed at render.
    Lit(Box<Lit>),
}

/// A list or map literal of the template with parts computed at render (its holes), such as
/// `{"type": "Text", "value": x}`: the literal's shape, with the constant parts and nested
/// literals in place, and the holes' expressions. A render evaluates the holes into one list
/// and the value is the shape with that list: one allocation however deep the literal.
#[derive(Debug)]
struct Lit {
    node: LitNode,
    holes: Vec<Expr>,
}

/// A list or map of a [`Lit`].
#[derive(Debug)]
struct LitNode {
    map: bool,
    /// The members, sorted by key (for a list, the items, with no keys).
    parts: Vec<(Option<MapKey>, Part)>,
    /// The literal as template text with [`Tok::Hole`]s, folded as text is: how it is written
    /// where the widget shape matters.
    tokens: Vec<Tok>,
}

#[derive(Debug)]
enum Part {
    Const(Const),
    /// The value of the literal's hole at this index.
    Hole(usize),
    Lit(LitNode),
}

impl Lit {
    /// The literal of `parts` (members when `map`), or `None` when one cannot be written.
    fn new(map: bool, parts: Vec<(Option<MapKey>, Expr)>) -> Option<Lit> {
        let mut holes = Vec::new();
        let node = LitNode::new(map, parts, &mut holes)?;
        Some(Lit { node, holes })
    }
}

impl LitNode {
    fn new(map: bool, parts: Vec<(Option<MapKey>, Expr)>, holes: &mut Vec<Expr>) -> Option<LitNode> {
        let parts = parts
            .into_iter()
            .map(|(key, expr)| {
                let part = match expr {
                    Expr::Const(c) => Part::Const(c),
                    // A nested literal's holes are the outer one's.
                    Expr::Lit(lit) => {
                        let Lit { mut node, holes: inner } = *lit;
                        node.shift(holes.len());
                        holes.extend(inner);
                        Part::Lit(node)
                    }
                    expr => {
                        holes.push(expr);
                        Part::Hole(holes.len() - 1)
                    }
                };
                (key, part)
            })
            .collect();
        let mut node = LitNode { map, parts, tokens: Vec::new() };
        let mut tokens = Vec::new();
        node.write_tokens(&mut tokens)?;
        node.tokens = fold_keys(fold_members(tokens));
        Some(node)
    }

    /// Moves the hole indices by `offset`, for the node to go inside a larger literal.
    fn shift(&mut self, offset: usize) {
        for (_, part) in &mut self.parts {
            match part {
                Part::Const(_) => {}
                Part::Hole(at) => *at += offset,
                Part::Lit(node) => node.shift(offset),
            }
        }
        for tok in &mut self.tokens {
            if let Tok::Hole(at) = tok {
                *at += offset;
            }
        }
    }

    /// The node as template text would be lexed, holes as [`Tok::Hole`].
    fn write_tokens(&self, out: &mut Vec<Tok>) -> Option<()> {
        out.push(if self.map { Tok::ObjStart } else { Tok::ArrStart });
        for (i, (key, part)) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push(Tok::Comma);
            }
            if let Some(key) = key {
                out.push(Tok::Str(key.quoted.clone(), key.key));
                out.push(Tok::Colon);
            }
            match part {
                Part::Const(c) => match &c.written {
                    Some(written) => out.push(Tok::Static(written.clone())),
                    None => {
                        let mut text = String::new();
                        write_value(c.data.root().json(), true, &mut text);
                        lex(&text, out)?;
                    }
                },
                Part::Hole(at) => out.push(Tok::Hole(*at)),
                Part::Lit(node) => node.write_tokens(out)?,
            }
        }
        out.push(if self.map { Tok::ObjEnd } else { Tok::ArrEnd });
        Some(())
    }

    /// The items of a list (the members' values of a map), with the holes of its literal.
    fn items<'a: 'h, 'h>(&'a self, holes: &'h Rc<[V<'a>]>) -> impl Iterator<Item = V<'a>> + 'h {
        self.parts.iter().map(move |(_, part)| part.value(holes))
    }

    /// The member `name` of a map.
    fn member(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|(key, _)| key.as_ref().is_some_and(|k| k.name == name)).map(|(_, part)| part)
    }
}

impl Part {
    /// The part as a value, with the holes of its literal.
    fn value<'a>(&'a self, holes: &Rc<[V<'a>]>) -> V<'a> {
        match self {
            Part::Const(c) => c.value(),
            Part::Hole(at) => holes.get(*at).cloned().unwrap_or(V::Undefined),
            Part::Lit(node) => V::Lit(node, holes.clone()),
        }
    }
}

/// A key of a map the template builds: its name, and as the writer needs it.
#[derive(Debug)]
struct MapKey {
    name: String,
    /// As `serde_json` writes it (quoted and escaped).
    quoted: Box<str>,
    key: Key,
}

impl MapKey {
    fn new(name: String) -> MapKey {
        let mut quoted = String::with_capacity(name.len() + 2);
        write_str(&name, &mut quoted);
        MapKey { key: Key::of(&name), quoted: quoted.into_boxed_str(), name }
    }
}

impl Expr {
    /// A constant.
    fn of(value: Value) -> Option<Expr> {
        let data = Data::of(&value, 1, 0).ok()?;
        // A list or map is also written once, as template text of it would be.
        let written = match data.root().json() {
            whole @ (Json::Array(_) | Json::Object(_)) => {
                let mut text = String::new();
                write_value(whole, true, &mut text);
                let mut tokens = Vec::new();
                lex(&text, &mut tokens).map(|()| Box::new(Static::compile(&tokens)))
            }
            _ => None,
        };
        Some(Expr::Const(Const { value, data, written }))
    }

    /// The value of a constant.
    fn constant(&self) -> Option<Value> {
        match self {
            Expr::Const(c) => Some(c.value.clone()),
            _ => None,
        }
    }
}

/// A constant of the template, and the same as data to render with.
#[derive(Debug)]
struct Const {
    value: Value,
    data: Data,
    /// A list or map, written each way it can go.
    written: Option<Box<Static>>,
}

impl Const {
    /// The constant as a value: with its written text when it is a list or map.
    fn value(&self) -> V<'_> {
        match self.written {
            Some(_) => V::Const(self),
            None => V::Ref(self.data.root()),
        }
    }

    /// The text of a list or map where the widget shape does not matter, as [`write_value`]
    /// writes it.
    fn plain(&self, keep_nulls: bool) -> Option<&str> {
        self.written.as_ref()?.written[Static::way(Role::Plain, keep_nulls)].as_deref()
    }
}

#[derive(Debug, Clone, Copy)]
enum Case {
    Upper,
    Lower,
    Capitalize,
}

#[derive(Debug, Clone, Copy)]
enum LoopAttr {
    Index,
    Index0,
    First,
    Last,
    Length,
    RevIndex,
    RevIndex0,
}

/// A JSON token of template text.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    ObjStart,
    ObjEnd,
    ArrStart,
    ArrEnd,
    Colon,
    Comma,
    /// A string as `serde_json` writes it (quoted and escaped), and what it means as a key.
    Str(Box<str>, Key),
    /// A number, `true` or `false`, as `serde_json` writes it.
    Scalar(Box<str>),
    Null,
    /// A whole object or list of template text (no holes inside), checked and written once at
    /// compile time for each place it may go.
    Static(Box<Static>),
    /// Whole members of an object in template text (`"a": 1, "b": {…}`), checked and written
    /// once at compile time for each object they can go in.
    Members(Box<Members>),
    /// A key and its colon (`"a":`), after a comma when `comma`: the tokens of a member whose
    /// value is not whole text, taken in one step.
    Key { comma: bool, quoted: Box<str>, key: Key, bit: u64 },
    /// The value of a literal's hole (in the tokens of a [`LitNode`] only).
    Hole(usize),
}

/// A run of whole members of template text: each key with a value of text (no holes), after a
/// comma or where an object's first or next key goes.
#[derive(Debug, Clone, PartialEq)]
struct Members {
    /// The run starts with the comma before its first key.
    comma: bool,
    /// The keys, as written (quoted), for the repeated-key check against the object's others.
    keys: Vec<Box<str>>,
    /// Their [`key_bit`]s.
    key_bits: u64,
    /// By [`Members::way`]; `None` where the writer gives up.
    ways: [Option<MembersWay>; Members::WAYS],
}

/// What a run of members writes into one kind of object.
#[derive(Debug, Clone, PartialEq)]
struct MembersWay {
    text: Box<str>,
    /// Members written (the others were null, dropped).
    count: usize,
    /// A string `type` was among them.
    typed: bool,
    /// The root type, in the root object.
    kind: Option<&'static str>,
}

impl Members {
    const ROLES: [Role; 3] = [Role::Root, Role::Component, Role::Plain];
    const WAYS: usize = 4 * Members::ROLES.len();

    /// By the object's role and null handling, and whether it has members already.
    fn way(role: Role, keep_nulls: bool, counted: bool) -> Option<usize> {
        let role = Members::ROLES.iter().position(|r| *r == role)?;
        Some(4 * role + 2 * usize::from(keep_nulls) + usize::from(counted))
    }

    /// Writes `tokens` (whole members, after a comma when `comma`) each way, as the writer would
    /// at render.
    fn compile(tokens: &[Tok]) -> Members {
        let comma = tokens.first() == Some(&Tok::Comma);
        let keys: Vec<Box<str>> = tokens
            .iter()
            .zip(tokens.iter().skip(1))
            .filter_map(|(tok, next)| match (tok, next) {
                (Tok::Str(quoted, _), Tok::Colon) => Some(quoted.clone()),
                _ => None,
            })
            .collect();
        let mut ways: [Option<MembersWay>; Members::WAYS] = Default::default();
        for role in Members::ROLES {
            for keep_nulls in [false, true] {
                for counted in [false, true] {
                    let mut writer = Writer::default();
                    writer.push_frame(true, role, keep_nulls);
                    writer.out.clear();
                    if let Some(frame) = writer.frames.last_mut() {
                        frame.expect = if comma { Expect::Next } else { Expect::Key };
                        frame.count = usize::from(counted);
                    }
                    if tokens.iter().try_for_each(|tok| writer.token(tok)).is_err() {
                        continue;
                    }
                    let Some(frame) = writer.frames.last().filter(|f| writer.frames.len() == 1 && f.expect == Expect::Next)
                    else {
                        continue;
                    };
                    let way = Members::way(role, keep_nulls, counted).unwrap_or(0);
                    ways[way] = Some(MembersWay {
                        count: frame.count - usize::from(counted),
                        typed: frame.typed,
                        kind: writer.kind,
                        text: writer.out.into_boxed_str(),
                    });
                }
            }
        }
        let key_bits = keys.iter().fold(0, |bits, key| bits | key_bit(key));
        Members { comma, keys, key_bits, ways }
    }

    /// The length of the run of whole members at the start of `tokens` (0 when there is none);
    /// `comma`: it may start with a comma.
    fn run(tokens: &[Tok], comma: bool) -> usize {
        let member = |at: usize| {
            matches!(
                (tokens.get(at), tokens.get(at + 1), tokens.get(at + 2)),
                (Some(Tok::Str(..)), Some(Tok::Colon), Some(Tok::Str(..) | Tok::Scalar(_) | Tok::Null | Tok::Static(_)))
            )
        };
        let mut at = usize::from(comma && tokens.first() == Some(&Tok::Comma));
        let mut end = 0;
        while member(at) {
            end = at + 3;
            if tokens.get(end) != Some(&Tok::Comma) {
                break;
            }
            at = end + 1;
        }
        end
    }
}

/// A whole object or list of template text, as [`Writer`] writes it in each of the ways it can
/// be opened (by the role and null handling of the new frame); `None` where it fails there.
#[derive(Debug, Clone, PartialEq)]
struct Static {
    object: bool,
    written: [Option<Box<str>>; Static::WAYS],
    /// The root type, when written as the root.
    kind: Option<&'static str>,
}

impl Static {
    const ROLES: [Role; 4] = [Role::Root, Role::Component, Role::Components, Role::Plain];
    const WAYS: usize = 2 * Static::ROLES.len();

    fn way(role: Role, keep_nulls: bool) -> usize {
        2 * Static::ROLES.iter().position(|r| *r == role).unwrap_or(0) + usize::from(keep_nulls)
    }

    /// Writes `tokens` (one whole object or list) each way, as the writer would at render.
    fn compile(tokens: &[Tok]) -> Static {
        let object = tokens.first() == Some(&Tok::ObjStart);
        let mut written: [Option<Box<str>>; Static::WAYS] = Default::default();
        let mut kind = None;
        for role in Static::ROLES {
            for keep_nulls in [false, true] {
                let mut writer = Writer::default();
                writer.push_frame(object, role, keep_nulls);
                let ok = tokens[1..].iter().try_for_each(|tok| writer.token(tok)).is_ok()
                    && writer.done
                    && writer.frames.is_empty();
                if ok {
                    if role == Role::Root {
                        kind = writer.kind;
                    }
                    written[Static::way(role, keep_nulls)] = Some(writer.out.into_boxed_str());
                }
            }
        }
        Static { object, written, kind }
    }
}

/// Replaces each run of whole members in `tokens` by a [`Tok::Members`]. A comma that starts
/// the text stays alone: the comma idiom may drop it.
fn fold_members(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let len = Members::run(&tokens[i..], i > 0);
        if len > 0 {
            out.push(Tok::Members(Box::new(Members::compile(&tokens[i..i + len]))));
            i += len;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

/// Replaces each key and its colon, with the comma before them, by a [`Tok::Key`]. A comma
/// that starts the text stays alone: the comma idiom may drop it.
fn fold_keys(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let comma = i > 0 && tokens[i] == Tok::Comma;
        let at = i + usize::from(comma);
        if let (Some(Tok::Str(quoted, key)), Some(Tok::Colon)) = (tokens.get(at), tokens.get(at + 1)) {
            out.push(Tok::Key { comma, quoted: quoted.clone(), key: *key, bit: key_bit(quoted) });
            i = at + 2;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

/// Replaces each outermost whole object or list in `tokens` by a [`Tok::Static`].
fn fold_static(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if matches!(tokens[i], Tok::ObjStart | Tok::ArrStart) {
            let mut depth = 0usize;
            let end = tokens[i..].iter().position(|tok| {
                match tok {
                    Tok::ObjStart | Tok::ArrStart => depth += 1,
                    Tok::ObjEnd | Tok::ArrEnd => depth -= 1,
                    _ => {}
                }
                depth == 0
            });
            if let Some(len) = end {
                out.push(Tok::Static(Box::new(Static::compile(&tokens[i..=i + len]))));
                i += len + 1;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// What a member's key means to the widget shape check and to the dropping of `null`s.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Type,
    /// `key` or `id`: a string or null.
    Ident,
    Children,
    /// Nothing inside is dropped.
    Payload,
    Other,
}

impl Key {
    fn of(name: &str) -> Key {
        match name {
            "type" => Key::Type,
            "key" | "id" => Key::Ident,
            "children" => Key::Children,
            "payload" => Key::Payload,
            _ => Key::Other,
        }
    }
}

/// One bit of 64 for a key as written (quoted): keys with different bits differ, so most keys
/// of an object are known to be new without comparing them with the others.
fn key_bit(quoted: &str) -> u64 {
    let hash = quoted.bytes().fold(0u32, |h, b| h.rotate_left(5) ^ u32::from(b)).wrapping_mul(0x9E37_79B9);
    1 << (hash >> 26)
}

/// Names the environment defines as functions: a template using them needs the engine.
const GLOBALS: &[&str] = &["range", "dict", "namespace", "debug", "cycler", "joiner", "lipsum", "loop"];

/// `namespace(a=…)` as a call: its keyword arguments.
fn namespace_call<'e, 's>(expr: &'e ast::Expr<'s>) -> Option<Vec<(&'s str, &'e ast::Expr<'s>)>> {
    let ast::Expr::Call(call) = expr else { return None };
    let ast::Expr::Var(function) = &call.expr else { return None };
    if function.id != "namespace" {
        return None;
    }
    call.args
        .iter()
        .map(|arg| match arg {
            ast::CallArg::Kwarg(name, value) => Some((*name, value)),
            _ => None,
        })
        .collect()
}

/// `ns.member.append(value)`: the namespace's variable, the member and the value.
fn append_call<'e, 's>(expr: &'e ast::Expr<'s>) -> Option<(&'s str, &'s str, &'e ast::Expr<'s>)> {
    let ast::Expr::Call(call) = expr else { return None };
    let ast::Expr::GetAttr(method) = &call.expr else { return None };
    let ast::Expr::GetAttr(member) = &method.expr else { return None };
    let ast::Expr::Var(namespace) = &member.expr else { return None };
    match call.args.as_slice() {
        [ast::CallArg::Pos(value)] if method.name == "append" => Some((namespace.id, member.name, value)),
        _ => None,
    }
}

impl Program {
    /// Compiles `source`, or `None` when it uses anything direct rendering does not do.
    pub(super) fn compile(source: &str) -> Option<Program> {
        let ast::Stmt::Template(template) =
            minijinja::machinery::parse(source, "widget", Default::default(), Default::default()).ok()?
        else {
            return None;
        };
        let mut compiler = Compiler { loops: 0, captured: Vec::new(), used: Vec::new() };
        let body = compiler.body(&template.children)?;
        // The variable of a comma idiom holds text, which only the idiom itself may read.
        if compiler.used.iter().any(|name| compiler.captured.contains(name)) {
            return None;
        }
        Some(Program { body, last_len: AtomicUsize::new(1024), last_data: (AtomicUsize::new(64), AtomicUsize::new(512)) })
    }

    /// The data to render with, or `None` when it is left to `serde_json` (see [`Data::of`]).
    pub(super) fn data(&self, value: &(impl Serialize + ?Sized)) -> Option<Data> {
        let (nodes, text) = &self.last_data;
        let spare = SPARE.with(|spare| std::mem::take(&mut spare.borrow_mut().data));
        let data = Data::of_in(value, spare, nodes.load(Ordering::Relaxed), text.load(Ordering::Relaxed)).ok()?;
        let (n, t) = data.size();
        nodes.store(n, Ordering::Relaxed);
        text.store(t, Ordering::Relaxed);
        Some(data)
    }

    /// Renders with `data` (a map of the template's variables, or null for none) into the wire
    /// JSON of a checked widget root, and its type.
    pub(super) fn render(&self, data: &Data) -> Outcome<(String, &'static str)> {
        let data = match data.root().json() {
            Json::Object(variables) => variables,
            Json::Null => data::Members::empty(data),
            _ => return Err(Fallback),
        };
        let out = Writer::with_capacity(self.last_len.load(Ordering::Relaxed));
        let mut run = Run { data, locals: Vec::new(), namespaces: Vec::new(), loops: Vec::new(), out, scratch: Vec::new() };
        run.nodes(&self.body)?;
        let (wire, kind) = run.out.finish()?;
        self.last_len.store(wire.len(), Ordering::Relaxed);
        Ok((wire, kind))
    }
}

/// Gives the buffers of `data`, rendered with, to the next render on this thread.
pub(super) fn recycle(data: Data) {
    if data.capacity() <= Spare::MAX_BYTES {
        SPARE.with(|spare| spare.borrow_mut().data = data);
    }
}

/// Buffers a render leaves to the next one on the same thread: the data's and the writer's
/// stacks, so that rendering a small template allocates little more than its output.
#[derive(Default)]
struct Spare {
    data: Data,
    frames: Vec<Frame>,
    keys: String,
    key_ends: Vec<usize>,
}

impl Spare {
    /// Larger buffers (of rare, large data) are freed rather than kept.
    const MAX_BYTES: usize = 64 << 10;
}

thread_local! {
    static SPARE: std::cell::RefCell<Spare> = std::cell::RefCell::default();
}

struct Compiler {
    loops: usize,
    captured: Vec<String>,
    used: Vec<String>,
}

impl Compiler {
    fn body(&mut self, stmts: &[ast::Stmt<'_>]) -> Option<Vec<Node>> {
        let mut nodes = Vec::with_capacity(stmts.len());
        let mut i = 0;
        while i < stmts.len() {
            if let (ast::Stmt::SetBlock(block), Some(ast::Stmt::EmitExpr(emit))) = (&stmts[i], stmts.get(i + 1))
                && let ast::Expr::Var(var) = &block.target
                && block.filter.is_none()
                && is_comma_idiom(&emit.expr, var.id)
            {
                self.captured.push(var.id.to_owned());
                nodes.push(Node::CommaList(self.body(&block.body)?));
                i += 2;
                continue;
            }
            match (nodes.last_mut(), self.stmt(&stmts[i])?) {
                (Some(Node::Raw { tokens, first }), Node::Raw { tokens: more, first: next }) => {
                    tokens.extend(more);
                    *first = first.or(next);
                }
                (_, node) => nodes.push(node),
            }
            i += 1;
        }
        for node in &mut nodes {
            if let Node::Raw { tokens, .. } = node {
                *tokens = fold_keys(fold_members(fold_static(std::mem::take(tokens))));
            }
        }
        mark_moves(&mut nodes);
        Some(nodes)
    }

    fn stmt(&mut self, stmt: &ast::Stmt<'_>) -> Option<Node> {
        Some(match stmt {
            ast::Stmt::EmitRaw(raw) => {
                let mut tokens = Vec::new();
                lex(raw.raw, &mut tokens)?;
                Node::Raw { tokens, first: raw.raw.as_bytes().first().copied() }
            }
            ast::Stmt::EmitExpr(emit) => match &emit.expr {
                ast::Expr::Filter(filter) if filter.name == "tojson" && filter.args.is_empty() => {
                    match self.expr(filter.expr.as_ref()?)? {
                        // A constant is template text: its token joins the text around it.
                        Expr::Const(Const { value: Value::String(text), .. }) => {
                            let mut quoted = String::with_capacity(text.len() + 2);
                            write_str(&text, &mut quoted);
                            Node::Raw { tokens: vec![Tok::Str(quoted.into_boxed_str(), Key::of(&text))], first: Some(b'"') }
                        }
                        expr => Node::Json(expr),
                    }
                }
                expr => Node::Print(self.expr(expr)?),
            },
            ast::Stmt::IfCond(cond) => Node::If {
                cond: self.expr(&cond.expr)?,
                then: self.body(&cond.true_body)?,
                otherwise: self.body(&cond.false_body)?,
            },
            ast::Stmt::ForLoop(for_loop) => {
                let ast::Expr::Var(var) = &for_loop.target else { return None };
                if for_loop.filter_expr.is_some() || for_loop.recursive || GLOBALS.contains(&var.id) {
                    return None;
                }
                let iter = self.expr(&for_loop.iter)?;
                self.loops += 1;
                let body = self.body(&for_loop.body);
                self.loops -= 1;
                Node::For { var: var.id.to_owned(), iter, body: body?, otherwise: self.body(&for_loop.else_body)? }
            }
            ast::Stmt::Set(set) => {
                let ast::Expr::Var(var) = &set.target else { return None };
                if GLOBALS.contains(&var.id) {
                    return None;
                }
                let var = var.id.to_owned();
                if let Some(members) = namespace_call(&set.expr) {
                    let members =
                        members.into_iter().map(|(name, e)| Some((name.to_owned(), self.expr(e)?))).collect::<Option<_>>()?;
                    Node::Namespace { var, members }
                } else if let Some((namespace, member, value)) = append_call(&set.expr) {
                    self.used.push(namespace.to_owned());
                    Node::Append {
                        var,
                        namespace: namespace.to_owned(),
                        member: member.to_owned(),
                        value: self.expr(value)?,
                        moves: false,
                    }
                } else {
                    Node::Set { var, value: self.expr(&set.expr)? }
                }
            }
            _ => return None,
        })
    }

    fn expr(&mut self, expr: &ast::Expr<'_>) -> Option<Expr> {
        let boxed = |this: &mut Self, e: &ast::Expr<'_>| this.expr(e).map(Box::new);
        Some(match expr {
            ast::Expr::Var(var) => {
                if GLOBALS.contains(&var.id) {
                    return None;
                }
                self.used.push(var.id.to_owned());
                Expr::Var(var.id.to_owned())
            }
            ast::Expr::Const(c) => Expr::of(constant(&c.value)?)?,
            ast::Expr::GetAttr(attr) => match &attr.expr {
                ast::Expr::Var(var) if var.id == "loop" => {
                    if self.loops == 0 {
                        return None;
                    }
                    Expr::Loop(match attr.name {
                        "index" => LoopAttr::Index,
                        "index0" => LoopAttr::Index0,
                        "first" => LoopAttr::First,
                        "last" => LoopAttr::Last,
                        "length" => LoopAttr::Length,
                        "revindex" => LoopAttr::RevIndex,
                        "revindex0" => LoopAttr::RevIndex0,
                        _ => return None,
                    })
                }
                inner => Expr::Attr(boxed(self, inner)?, attr.name.to_owned()),
            },
            ast::Expr::GetItem(item) => Expr::Item(boxed(self, &item.expr)?, boxed(self, &item.subscript_expr)?),
            ast::Expr::UnaryOp(op) => match op.op {
                ast::UnaryOpKind::Not => Expr::Not(boxed(self, &op.expr)?),
                ast::UnaryOpKind::Neg => return None,
            },
            ast::Expr::BinOp(op) => {
                let (left, right) = (boxed(self, &op.left)?, boxed(self, &op.right)?);
                match op.op {
                    ast::BinOpKind::ScAnd => Expr::And(left, right),
                    ast::BinOpKind::ScOr => Expr::Or(left, right),
                    ast::BinOpKind::Concat => Expr::Concat(left, right),
                    ast::BinOpKind::Eq => Expr::Eq(left, right),
                    ast::BinOpKind::Ne => Expr::Ne(left, right),
                    _ => return None,
                }
            }
            ast::Expr::Compare(cmp) => {
                let [op] = cmp.ops.as_slice() else { return None };
                let (left, right) = (boxed(self, &cmp.expr)?, boxed(self, &op.expr)?);
                match op.op {
                    ast::CompareOpKind::Eq => Expr::Eq(left, right),
                    ast::CompareOpKind::Ne => Expr::Ne(left, right),
                    _ => return None,
                }
            }
            ast::Expr::IfExpr(cond) => Expr::Cond(
                boxed(self, &cond.test_expr)?,
                boxed(self, &cond.true_expr)?,
                match &cond.false_expr {
                    Some(e) => Some(boxed(self, e)?),
                    None => None,
                },
            ),
            ast::Expr::Filter(filter) if filter.name == "default" => {
                let value = boxed(self, filter.expr.as_ref()?)?;
                let fallback = match filter.args.as_slice() {
                    [] => Box::new(Expr::of(Value::String(String::new()))?),
                    [ast::CallArg::Pos(arg)] => boxed(self, arg)?,
                    _ => return None,
                };
                Expr::Default(value, fallback)
            }
            ast::Expr::Filter(filter) if filter.args.is_empty() => {
                let value = boxed(self, filter.expr.as_ref()?)?;
                match filter.name {
                    "upper" => Expr::Case(value, Case::Upper),
                    "lower" => Expr::Case(value, Case::Lower),
                    "capitalize" => Expr::Case(value, Case::Capitalize),
                    "length" => Expr::Length(value),
                    "string" => Expr::Str(value),
                    "join" => Expr::Join(value, Box::new(Expr::of(Value::String(String::new()))?)),
                    "round" => Expr::Round(value, 0),
                    _ => return None,
                }
            }
            ast::Expr::Filter(filter) if matches!(filter.name, "join" | "round" | "format") => {
                let value = boxed(self, filter.expr.as_ref()?)?;
                let mut args = Vec::with_capacity(filter.args.len());
                for arg in &filter.args {
                    let ast::CallArg::Pos(arg) = arg else { return None };
                    args.push(self.expr(arg)?);
                }
                match (filter.name, args.len()) {
                    ("join", 1) => Expr::Join(value, Box::new(args.pop()?)),
                    ("round", 1) => match args.pop()? {
                        Expr::Const(Const { value: Value::Number(n), .. }) => Expr::Round(value, i32::try_from(n.as_i64()?).ok()?),
                        _ => return None,
                    },
                    ("format", _) => Expr::Format(value, args),
                    _ => return None,
                }
            }
            ast::Expr::Test(test) if test.args.is_empty() => match test.name {
                "none" => Expr::IsNone(boxed(self, &test.expr)?),
                "defined" => Expr::IsDefined(boxed(self, &test.expr)?),
                "undefined" => Expr::Not(Box::new(Expr::IsDefined(boxed(self, &test.expr)?))),
                _ => return None,
            },
            ast::Expr::List(list) => {
                let items: Vec<Expr> = list.items.iter().map(|e| self.expr(e)).collect::<Option<_>>()?;
                // Written as constants, lists and maps of constants are built once, here.
                match items.iter().map(Expr::constant).collect::<Option<Vec<Value>>>() {
                    Some(values) => Expr::of(Value::Array(values))?,
                    None => Expr::Lit(Box::new(Lit::new(false, items.into_iter().map(|e| (None, e)).collect())?)),
                }
            }
            ast::Expr::Map(map) => {
                let mut members = Vec::with_capacity(map.keys.len());
                for (key, value) in map.keys.iter().zip(&map.values) {
                    let ast::Expr::Const(key) = key else { return None };
                    members.push((key.value.as_str()?.to_owned(), self.expr(value)?));
                }
                // The engine's maps are sorted by key; built sorted, `tojson` finds nothing to do.
                members.sort_by(|a, b| a.0.cmp(&b.0));
                if members.windows(2).any(|pair| pair[0].0 == pair[1].0) {
                    return None;
                }
                match members.iter().map(|(k, e)| Some((k.clone(), e.constant()?))).collect::<Option<Map<String, Value>>>() {
                    Some(map) => Expr::of(Value::Object(map))?,
                    None => Expr::Lit(Box::new(Lit::new(true, members.into_iter().map(|(k, e)| (Some(MapKey::new(k)), e)).collect())?)),
                }
            }
            _ => return None,
        })
    }
}

/// Marks the appends of a variable that is set earlier in `nodes` and read nowhere after.
fn mark_moves(nodes: &mut [Node]) {
    for j in 0..nodes.len() {
        let (before, rest) = nodes.split_at_mut(j);
        let Some((Node::Append { var, value: Expr::Var(name), moves, .. }, after)) = rest.split_first_mut() else {
            continue;
        };
        let set_before = before.iter().any(|n| matches!(n, Node::Set { var, .. } if var == name));
        if set_before && var != name && !after.iter().any(|n| node_uses(n, name)) {
            *moves = true;
        }
    }
}

/// Whether `node` reads or sets the variable `name`.
fn node_uses(node: &Node, name: &str) -> bool {
    let any = |nodes: &[Node]| nodes.iter().any(|n| node_uses(n, name));
    match node {
        Node::Raw { .. } => false,
        Node::Json(e) | Node::Print(e) => expr_uses(e, name),
        Node::If { cond, then, otherwise } => expr_uses(cond, name) || any(then) || any(otherwise),
        Node::For { var, iter, body, otherwise } => var == name || expr_uses(iter, name) || any(body) || any(otherwise),
        Node::Set { var, value } => var == name || expr_uses(value, name),
        Node::Namespace { var, members } => var == name || members.iter().any(|(_, e)| expr_uses(e, name)),
        Node::Append { var, namespace, value, .. } => var == name || namespace == name || expr_uses(value, name),
        Node::CommaList(body) => any(body),
    }
}

fn expr_uses(expr: &Expr, name: &str) -> bool {
    match expr {
        Expr::Const(_) | Expr::Loop(_) => false,
        Expr::Var(var) => var == name,
        Expr::Attr(e, _)
        | Expr::Not(e)
        | Expr::Case(e, _)
        | Expr::Length(e)
        | Expr::Str(e)
        | Expr::Round(e, _)
        | Expr::IsNone(e)
        | Expr::IsDefined(e) => expr_uses(e, name),
        Expr::Item(a, b)
        | Expr::And(a, b)
        | Expr::Or(a, b)
        | Expr::Eq(a, b)
        | Expr::Ne(a, b)
        | Expr::Concat(a, b)
        | Expr::Join(a, b)
        | Expr::Default(a, b) => expr_uses(a, name) || expr_uses(b, name),
        Expr::Format(a, args) => expr_uses(a, name) || args.iter().any(|e| expr_uses(e, name)),
        Expr::Cond(a, b, c) => expr_uses(a, name) || expr_uses(b, name) || c.as_ref().is_some_and(|c| expr_uses(c, name)),
        Expr::Lit(lit) => lit.holes.iter().any(|e| expr_uses(e, name)),
    }
}

/// Whether `expr` is `name[1:] if name and name[0] == ',' else name`.
fn is_comma_idiom(expr: &ast::Expr<'_>, name: &str) -> bool {
    let is_var = |e: &ast::Expr<'_>| matches!(e, ast::Expr::Var(v) if v.id == name);
    let is_int = |e: Option<&ast::Expr<'_>>, n: i64| {
        matches!(e, Some(ast::Expr::Const(c)) if c.value.is_integer() && i64::try_from(c.value.clone()).ok() == Some(n))
    };
    let is_comma = |e: &ast::Expr<'_>| matches!(e, ast::Expr::Const(c) if c.value.as_str() == Some(","));
    let first_is_comma = |e: &ast::Expr<'_>| {
        let (left, right) = match e {
            ast::Expr::Compare(cmp) => match cmp.ops.as_slice() {
                [op] if matches!(op.op, ast::CompareOpKind::Eq) => (&cmp.expr, &op.expr),
                _ => return false,
            },
            ast::Expr::BinOp(op) if matches!(op.op, ast::BinOpKind::Eq) => (&op.left, &op.right),
            _ => return false,
        };
        matches!(left, ast::Expr::GetItem(item) if is_var(&item.expr) && is_int(Some(&item.subscript_expr), 0))
            && is_comma(right)
    };
    let ast::Expr::IfExpr(cond) = expr else { return false };
    let test = matches!(&cond.test_expr, ast::Expr::BinOp(op)
        if matches!(op.op, ast::BinOpKind::ScAnd) && is_var(&op.left) && first_is_comma(&op.right));
    let strip = matches!(&cond.true_expr, ast::Expr::Slice(slice)
        if is_var(&slice.expr) && is_int(slice.start.as_ref(), 1) && slice.stop.is_none() && slice.step.is_none());
    test && strip && cond.false_expr.as_ref().is_some_and(is_var)
}

/// A template constant as JSON: none, booleans, integers, floats and strings.
fn constant(value: &minijinja::Value) -> Option<Value> {
    use minijinja::value::ValueKind;
    Some(match value.kind() {
        ValueKind::None => Value::Null,
        ValueKind::Bool => Value::Bool(value.is_true()),
        ValueKind::String => Value::String(value.as_str()?.to_owned()),
        ValueKind::Number if value.is_integer() => Value::Number(i64::try_from(value.clone()).ok()?.into()),
        ValueKind::Number => Value::Number(Number::from_f64(f64::try_from(value.clone()).ok()?)?),
        _ => return None,
    })
}

/// Cuts `text` into JSON tokens; `None` when it is not whole tokens.
fn lex(text: &str, out: &mut Vec<Tok>) -> Option<()> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let tok = match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'{' => Tok::ObjStart,
            b'}' => Tok::ObjEnd,
            b'[' => Tok::ArrStart,
            b']' => Tok::ArrEnd,
            b':' => Tok::Colon,
            b',' => Tok::Comma,
            b'"' => {
                let start = i;
                i += 1;
                let mut plain = true;
                loop {
                    match *bytes.get(i)? {
                        b'\\' => {
                            plain = false;
                            i += 2;
                        }
                        b'"' => break,
                        b if b < 0x20 => return None,
                        _ => i += 1,
                    }
                }
                i += 1;
                let decoded: std::borrow::Cow<'_, str> = if plain {
                    text[start + 1..i - 1].into()
                } else {
                    serde_json::from_str::<String>(&text[start..i]).ok()?.into()
                };
                let mut quoted = String::with_capacity(decoded.len() + 2);
                write_str(&decoded, &mut quoted);
                out.push(Tok::Str(quoted.into_boxed_str(), Key::of(&decoded)));
                continue;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    i += 1;
                }
                match serde_json::from_str(&text[start..i]).ok()? {
                    Value::Number(number) => out.push(Tok::Scalar(number.to_string().into_boxed_str())),
                    _ => return None,
                }
                continue;
            }
            _ => {
                let rest = &text[i..];
                let word = ["true", "false", "null"].into_iter().find(|word| rest.starts_with(word))?;
                i += word.len();
                out.push(if word == "null" { Tok::Null } else { Tok::Scalar(word.into()) });
                continue;
            }
        };
        out.push(tok);
        i += 1;
    }
    Some(())
}

/// A null, boolean, number or string the template computed: a `Value` without its lists and
/// maps, so that values (held by the many members of the maps a template builds) stay small.
#[derive(Debug, Clone)]
enum Scalar {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
}

/// An evaluated expression.
#[derive(Debug, Clone)]
enum V<'a> {
    /// Data, or a constant of the template.
    Ref(Datum<'a>),
    /// A list or map constant of the template, with its text written beforehand.
    Const(&'a Const),
    /// A scalar the template computed.
    Own(Scalar),
    /// A list or map literal of the template (or a part of one), with the values of the
    /// literal's holes; shared, not copied, when a variable or a list holds it.
    Lit(&'a LitNode, Rc<[V<'a>]>),
    /// A list built by the template.
    List(Rc<Vec<V<'a>>>),
    /// An undefined variable, member or item.
    Undefined,
    /// `a if b` when `b` is false: prints as nothing.
    Nothing,
    /// A `namespace()`, by its place in [`Run::namespaces`].
    Namespace(usize),
}

impl<'a> V<'a> {
    /// The value as JSON, when it is data or a scalar.
    fn json(&self) -> Outcome<Json<'_>> {
        match self {
            V::Ref(datum) => Ok(datum.json()),
            V::Const(c) => Ok(c.data.root().json()),
            V::Own(Scalar::Null) => Ok(Json::Null),
            V::Own(Scalar::Bool(b)) => Ok(Json::Bool(*b)),
            V::Own(Scalar::Number(n)) => Ok(Json::Number(n.clone())),
            V::Own(Scalar::String(s)) => Ok(Json::String(s)),
            V::Lit(..)
            | V::List(_)
            | V::Undefined
            | V::Nothing
            | V::Namespace(_) => Err(Fallback),
        }
    }

    fn is_null(&self) -> bool {
        match self {
            V::Ref(datum) => datum.is_null(),
            V::Own(value) => matches!(value, Scalar::Null),
            _ => false,
        }
    }

    /// A constant as data; other values as they are.
    fn plain(self) -> Self {
        match self.datum() {
            Some(datum) => V::Ref(datum),
            None => self,
        }
    }

    /// The data this value is, when it is data or a constant.
    fn datum(&self) -> Option<Datum<'a>> {
        match self {
            V::Ref(datum) => Some(*datum),
            V::Const(c) => Some(c.data.root()),
            _ => None,
        }
    }

    /// A member or item of this value, as the engine looks it up.
    fn member(self, key: &Json<'_>) -> Outcome<Self> {
        Ok(match self.plain() {
            V::Ref(datum) => lookup(datum, key)?.map_or(V::Undefined, V::Ref),
            V::Lit(node, holes) if node.map => {
                let Json::String(name) = key else { return Err(Fallback) };
                node.member(name).map_or(V::Undefined, |part| part.value(&holes))
            }
            V::Lit(node, holes) => {
                let at = index(key, node.parts.len())?;
                at.and_then(|at| node.parts.get(at)).map_or(V::Undefined, |(_, part)| part.value(&holes))
            }
            V::List(items) => index(key, items.len())?.and_then(|at| items.get(at)).map_or(V::Undefined, V::clone),
            V::Own(_) | V::Const(_) | V::Undefined | V::Nothing | V::Namespace(_) => return Err(Fallback),
        })
    }
}

/// `value[key]` of a map (string key) or a list (integer index, negative from the end).
fn lookup<'a>(value: Datum<'a>, key: &Json<'_>) -> Outcome<Option<Datum<'a>>> {
    Ok(match (value.json(), key) {
        (Json::Object(map), Json::String(name)) => map.get(name),
        (Json::Array(items), key) => index(key, items.len())?.and_then(|at| items.get(at)),
        _ => return Err(Fallback),
    })
}

/// Where the item `key` (an integer, negative from the end) of a list of `len` items is: `None`
/// when before the start.
fn index(key: &Json<'_>, len: usize) -> Outcome<Option<usize>> {
    let Json::Number(n) = key else { return Err(Fallback) };
    let n = n.as_i64().ok_or(Fallback)?;
    let at = if n < 0 { n + len as i64 } else { n };
    Ok(usize::try_from(at).ok())
}

/// Python truthiness; undefined values are an error in strict mode.
fn truthy(value: &V<'_>) -> Outcome<bool> {
    match value {
        V::Lit(node, _) => return Ok(!node.parts.is_empty()),
        V::List(items) => return Ok(!items.is_empty()),
        _ => {}
    }
    Ok(match value.json()? {
        Json::Null => false,
        Json::Bool(b) => b,
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i != 0,
            (_, Some(u)) => u != 0,
            _ => n.as_f64().is_some_and(|f| f != 0.0),
        },
        Json::String(s) => !s.is_empty(),
        Json::Array(items) => !items.is_empty(),
        Json::Object(map) => !map.is_empty(),
    })
}

/// `==` on scalars; anything the engine might compare differently needs the engine.
fn equal(a: &V<'_>, b: &V<'_>) -> Outcome<bool> {
    Ok(match (a.json()?, b.json()?) {
        (Json::String(a), Json::String(b)) => a == b,
        (Json::Null, Json::Null) => true,
        (Json::Bool(a), Json::Bool(b)) => a == b,
        (Json::Number(a), Json::Number(b)) => match (integer(&a), integer(&b)) {
            (Some(a), Some(b)) => a == b,
            (None, None) if a.is_f64() && b.is_f64() => a.as_f64() == b.as_f64(),
            _ => return Err(Fallback),
        },
        (Json::Array(_) | Json::Object(_), _) | (_, Json::Array(_) | Json::Object(_)) => return Err(Fallback),
        (Json::Bool(_), Json::Number(_)) | (Json::Number(_), Json::Bool(_)) => return Err(Fallback),
        _ => false,
    })
}

fn integer(n: &Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

/// Python's `str()` of strings and integers; other values need the engine.
fn push_str(value: &V<'_>, out: &mut String) -> Outcome<()> {
    match value {
        V::Nothing => {}
        _ => match value.json()? {
            Json::String(s) => out.push_str(s),
            Json::Number(n) if integer(&n).is_some() => {
                use std::fmt::Write as _;
                let _ = write!(out, "{n}");
            }
            _ => return Err(Fallback),
        },
    }
    Ok(())
}

/// Python's `str()` of a scalar, as the engine prints it; lists and maps need the engine.
fn py_str(value: &Json<'_>, out: &mut String) -> Outcome<()> {
    match value {
        Json::String(s) => out.push_str(s),
        Json::Null => out.push_str("None"),
        Json::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Json::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => crate::python::repr_float(f, out),
            _ => {
                use std::fmt::Write as _;
                let _ = write!(out, "{n}");
            }
        },
        Json::Array(_) | Json::Object(_) => return Err(Fallback),
    }
    Ok(())
}

struct LoopState {
    index0: usize,
    length: usize,
}

struct Run<'a> {
    data: data::Members<'a>,
    locals: Vec<(&'a str, V<'a>)>,
    namespaces: Vec<Vec<(&'a str, V<'a>)>>,
    loops: Vec<LoopState>,
    out: Writer,
    scratch: Vec<Tok>,
}

impl<'a> Run<'a> {
    fn nodes(&mut self, nodes: &'a [Node]) -> Outcome<()> {
        for node in nodes {
            self.node(node)?;
        }
        Ok(())
    }

    fn node(&mut self, node: &'a Node) -> Outcome<()> {
        match node {
            Node::Raw { tokens, first } => {
                if let Some(first) = *first {
                    let skip = usize::from(self.out.starts(first));
                    for tok in &tokens[skip..] {
                        self.out.token(tok)?;
                    }
                }
            }
            Node::Json(expr) => {
                let value = self.eval(expr)?;
                self.out.starts(b'"');
                self.out.json(&value)?;
            }
            Node::Print(expr) => {
                let value = self.eval(expr)?;
                // A string (most often the `","` between items) is read where it is.
                match value.json() {
                    Ok(Json::String(text)) => self.print(text)?,
                    _ => {
                        let mut text = String::new();
                        push_str(&value, &mut text)?;
                        self.print(&text)?;
                    }
                }
            }
            Node::If { cond, then, otherwise } => {
                let cond = self.eval(cond)?;
                self.nodes(if truthy(&cond)? { then } else { otherwise })?;
            }
            Node::For { var, iter, body, otherwise } => {
                let items: Vec<V<'a>> = match self.eval(iter)?.plain() {
                    V::Ref(datum) => match datum.json() {
                        Json::Array(items) => items.iter().map(V::Ref).collect(),
                        _ => return Err(Fallback),
                    },
                    V::List(items) => items.iter().cloned().collect(),
                    V::Lit(node, holes) if !node.map => node.items(&holes).collect(),
                    _ => return Err(Fallback),
                };
                if items.is_empty() {
                    return self.nodes(otherwise);
                }
                let length = items.len();
                let scope = self.locals.len();
                self.loops.push(LoopState { index0: 0, length });
                for (index0, item) in items.into_iter().enumerate() {
                    if let Some(state) = self.loops.last_mut() {
                        state.index0 = index0;
                    }
                    self.locals.push((var, item));
                    self.nodes(body)?;
                    self.locals.truncate(scope);
                }
                self.loops.pop();
            }
            Node::Set { var, value } => {
                let value = self.eval(value)?;
                self.locals.push((var, value));
            }
            Node::Namespace { var, members } => {
                let mut values = Vec::with_capacity(members.len());
                for (name, e) in members {
                    values.push((name.as_str(), self.eval(e)?));
                }
                self.namespaces.push(values);
                self.locals.push((var, V::Namespace(self.namespaces.len() - 1)));
            }
            Node::Append { var, namespace, member, value, moves } => {
                let Some((_, V::Namespace(at))) = self.locals.iter().rev().find(|(n, _)| n == namespace) else {
                    return Err(Fallback);
                };
                let at = *at;
                let value = match value {
                    Expr::Var(name) if *moves => {
                        let (_, slot) = self.locals.iter_mut().rev().find(|(n, _)| n == name).ok_or(Fallback)?;
                        std::mem::replace(slot, V::Undefined)
                    }
                    value => self.eval(value)?,
                };
                if matches!(value, V::Undefined | V::Nothing | V::Namespace(_)) {
                    return Err(Fallback);
                }
                let (_, list) = self.namespaces[at].iter_mut().find(|(name, _)| name == member).ok_or(Fallback)?;
                match list {
                    V::List(items) => Rc::make_mut(items).push(value),
                    V::Ref(_) | V::Const(_) => {
                        let datum = list.datum().ok_or(Fallback)?;
                        let Json::Array(items) = datum.json() else { return Err(Fallback) };
                        *list = V::List(Rc::new(items.iter().map(V::Ref).chain([value]).collect()));
                    }
                    V::Lit(node, holes) if !node.map => {
                        *list = V::List(Rc::new(node.items(holes).chain([value]).collect()));
                    }
                    _ => return Err(Fallback),
                }
                self.locals.push((var, V::Own(Scalar::Null)));
            }
            Node::CommaList(body) => {
                if self.out.strip_comma {
                    return Err(Fallback);
                }
                self.out.strip_comma = true;
                self.nodes(body)?;
                self.out.strip_comma = false;
            }
        }
        Ok(())
    }

    /// Writes printed text, read as JSON tokens.
    fn print(&mut self, text: &str) -> Outcome<()> {
        if let Some(&first) = text.as_bytes().first() {
            let mut tokens = std::mem::take(&mut self.scratch);
            tokens.clear();
            lex(text, &mut tokens).ok_or(Fallback)?;
            let skip = usize::from(self.out.starts(first));
            for tok in &tokens[skip..] {
                self.out.token(tok)?;
            }
            self.scratch = tokens;
        }
        Ok(())
    }

    /// [`eval`](Self::eval), with constants (most members of the maps and lists a template
    /// builds) taken without the call.
    #[inline]
    fn quick_eval(&self, expr: &'a Expr) -> Outcome<V<'a>> {
        match expr {
            Expr::Const(c) => Ok(c.value()),
            expr => self.eval(expr),
        }
    }

    fn eval(&self, expr: &'a Expr) -> Outcome<V<'a>> {
        Ok(match expr {
            Expr::Const(c) => c.value(),
            Expr::Var(name) => match self.locals.iter().rev().find(|(n, _)| *n == name) {
                Some((_, value)) => value.clone(),
                None => self.data.get(name).map_or(V::Undefined, V::Ref),
            },
            Expr::Loop(attr) => {
                let state = self.loops.last().ok_or(Fallback)?;
                let (i, n) = (state.index0, state.length);
                let number = |n: usize| V::Own(Scalar::Number(Number::from(n)));
                match attr {
                    LoopAttr::Index => number(i + 1),
                    LoopAttr::Index0 => number(i),
                    LoopAttr::First => V::Own(Scalar::Bool(i == 0)),
                    LoopAttr::Last => V::Own(Scalar::Bool(i + 1 == n)),
                    LoopAttr::Length => number(n),
                    LoopAttr::RevIndex => number(n - i),
                    LoopAttr::RevIndex0 => number(n - i - 1),
                }
            }
            Expr::Attr(inner, name) => {
                let value = self.eval(inner)?;
                match value.plain() {
                    V::Ref(datum) => match datum.json() {
                        Json::Object(map) => map.get(name).map_or(V::Undefined, V::Ref),
                        _ => return Err(Fallback),
                    },
                    V::Lit(node, holes) if node.map => node.member(name).map_or(V::Undefined, |part| part.value(&holes)),
                    V::Namespace(at) => {
                        self.namespaces[at].iter().find(|(k, _)| k == name).map_or(V::Undefined, |(_, v)| v.clone())
                    }
                    _ => return Err(Fallback),
                }
            }
            Expr::Item(inner, key) => {
                let value = self.eval(inner)?;
                let key = self.eval(key)?;
                value.member(&key.json()?)?
            }
            Expr::Not(inner) => V::Own(Scalar::Bool(!truthy(&self.eval(inner)?)?)),
            Expr::And(a, b) => {
                let a = self.eval(a)?;
                if truthy(&a)? { self.eval(b)? } else { a }
            }
            Expr::Or(a, b) => {
                let a = self.eval(a)?;
                if truthy(&a)? { a } else { self.eval(b)? }
            }
            Expr::Eq(a, b) => V::Own(Scalar::Bool(equal(&self.eval(a)?, &self.eval(b)?)?)),
            Expr::Ne(a, b) => V::Own(Scalar::Bool(!equal(&self.eval(a)?, &self.eval(b)?)?)),
            Expr::Concat(a, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                if matches!(a, V::Nothing) || matches!(b, V::Nothing) {
                    return Err(Fallback);
                }
                let mut text = String::new();
                push_str(&a, &mut text)?;
                push_str(&b, &mut text)?;
                V::Own(Scalar::String(text))
            }
            Expr::Cond(test, then, otherwise) => {
                if truthy(&self.eval(test)?)? {
                    self.eval(then)?
                } else {
                    match otherwise {
                        Some(otherwise) => self.eval(otherwise)?,
                        None => V::Nothing,
                    }
                }
            }
            Expr::Default(value, fallback) => match self.eval(value)? {
                V::Undefined => self.eval(fallback)?,
                V::Nothing | V::Namespace(_) => return Err(Fallback),
                value => value,
            },
            Expr::Case(inner, case) => {
                let value = self.eval(inner)?;
                // The text minijinja's string filters read: Display of none, Python's of booleans.
                let text: std::borrow::Cow<'_, str> = match value.json()? {
                    Json::String(text) => text.into(),
                    Json::Null => "none".into(),
                    Json::Bool(b) => (if b { "True" } else { "False" }).into(),
                    Json::Number(n) if integer(&n).is_some() => n.to_string().into(),
                    _ => return Err(Fallback),
                };
                // As minijinja's filters do it.
                V::Own(Scalar::String(match case {
                    Case::Upper => text.to_uppercase(),
                    Case::Lower => text.to_lowercase(),
                    Case::Capitalize => {
                        let mut chars = text.chars();
                        match chars.next() {
                            None => String::new(),
                            Some(first) => first.to_uppercase().collect::<String>() + &chars.as_str().to_lowercase(),
                        }
                    }
                }))
            }
            Expr::Length(inner) => V::Own(Scalar::Number(Number::from(match self.eval(inner)? {
                V::Lit(node, _) => node.parts.len(),
                V::List(items) => items.len(),
                value => match value.json()? {
                    Json::String(text) => text.chars().count(),
                    Json::Array(items) => items.len(),
                    Json::Object(map) => map.len(),
                    _ => return Err(Fallback),
                },
            }))),
            Expr::Str(inner) => {
                let value = self.eval(inner)?;
                if matches!(value.json(), Ok(Json::String(_))) {
                    value
                } else {
                    let mut text = String::new();
                    py_str(&value.json()?, &mut text)?;
                    V::Own(Scalar::String(text))
                }
            }
            Expr::Join(inner, sep) => {
                let (value, sep) = (self.eval(inner)?, self.eval(sep)?);
                let Json::String(sep) = sep.json()? else { return Err(Fallback) };
                let mut text = String::new();
                let mut push = |i: usize, item: Json<'_>| {
                    if i > 0 {
                        text.push_str(sep);
                    }
                    py_str(&item, &mut text)
                };
                match &value {
                    V::List(items) => {
                        items.iter().enumerate().try_for_each(|(i, item)| push(i, item.json()?))?;
                    }
                    V::Lit(node, holes) if !node.map => {
                        node.items(holes).enumerate().try_for_each(|(i, item)| push(i, item.json()?))?;
                    }
                    value => match value.json()? {
                        Json::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| push(i, item.json()))?,
                        Json::String(chars) => {
                            for (i, c) in chars.chars().enumerate() {
                                if i > 0 {
                                    text.push_str(sep);
                                }
                                text.push(c);
                            }
                        }
                        _ => return Err(Fallback),
                    },
                }
                V::Own(Scalar::String(text))
            }
            Expr::Round(inner, precision) => {
                let value = self.eval(inner)?;
                let Json::Number(n) = value.json()? else { return Err(Fallback) };
                match n.as_f64() {
                    // Python's round() of an int with precision ≥ 0 is the int itself.
                    _ if !n.is_f64() && *precision >= 0 => value,
                    Some(f) if n.is_f64() => {
                        let rounded = super::jinja::round_f64(f, *precision, None).map_err(|_| Fallback)?;
                        V::Own(Scalar::Number(Number::from_f64(rounded).ok_or(Fallback)?))
                    }
                    _ => return Err(Fallback),
                }
            }
            Expr::Format(format, args) => {
                let format = self.eval(format)?;
                let Json::String(format) = format.json()? else { return Err(Fallback) };
                let mut args = args.iter();
                let mut text = String::with_capacity(format.len());
                let mut rest = format;
                while let Some(at) = rest.find('%') {
                    text.push_str(&rest[..at]);
                    let conversion = rest[at + 1..].chars().next().ok_or(Fallback)?;
                    rest = &rest[at + 1 + conversion.len_utf8()..];
                    if conversion == '%' {
                        text.push('%');
                        continue;
                    }
                    let arg = self.eval(args.next().ok_or(Fallback)?)?;
                    match (conversion, arg.json()?) {
                        ('s', Json::String(s)) => text.push_str(s),
                        ('s' | 'd', Json::Number(n)) if integer(&n).is_some() => {
                            use std::fmt::Write as _;
                            let _ = write!(text, "{n}");
                        }
                        _ => return Err(Fallback),
                    }
                }
                if args.next().is_some() {
                    return Err(Fallback);
                }
                text.push_str(rest);
                V::Own(Scalar::String(text))
            }
            Expr::IsNone(inner) => V::Own(Scalar::Bool(match self.eval(inner)? {
                V::Lit(..) | V::List(_) => false,
                value => matches!(value.json()?, Json::Null),
            })),
            Expr::IsDefined(inner) => match self.eval(inner)? {
                V::Undefined => V::Own(Scalar::Bool(false)),
                V::Nothing | V::Namespace(_) => return Err(Fallback),
                _ => V::Own(Scalar::Bool(true)),
            },
            Expr::Lit(lit) => {
                // Collected straight into its one allocation; a failure is noted on the way.
                let mut failed = false;
                let holes: Rc<[V<'a>]> = lit
                    .holes
                    .iter()
                    .map(|e| {
                        self.quick_eval(e).unwrap_or_else(|Fallback| {
                            failed = true;
                            V::Undefined
                        })
                    })
                    .collect();
                if failed {
                    return Err(Fallback);
                }
                V::Lit(&lit.node, holes)
            }
        })
    }
}

/// Writes the wire JSON from tokens and whole values, checking on the way what parsing the
/// rendered text and building the widget would check: the JSON grammar as `serde_json` reads
/// it, and the widget shape (see `shape`). It drops `null` members and items (except inside
/// `payload`s) and writes maps with sorted keys (`tojson`), so the text is what serializing the
/// built tree would give. An object with a repeated key (where the tree would keep one member)
/// is left to the engine.
#[derive(Default)]
struct Writer {
    out: String,
    frames: Vec<Frame>,
    /// The keys of the open objects (as written, quoted), to find repeated keys.
    keys: String,
    /// Where each key in `keys` ends.
    key_ends: Vec<usize>,
    /// The root type, once read.
    kind: Option<&'static str>,
    /// The root value is complete.
    done: bool,
    /// Inside a comma idiom before its first output: a leading comma is dropped.
    strip_comma: bool,
    /// Lists and maps of the data written so far, to copy when written again.
    copies: Copies,
}

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// After `{`: a key or `}`.
    FirstKey,
    Key,
    Colon,
    /// After `[`: a value or `]`.
    FirstItem,
    Value,
    /// After a member or item: `,` or the end.
    Next,
}

/// What an open object or list is to the widget shape check.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Root,
    Component,
    /// The list of a component's `children`.
    Components,
    Plain,
}

struct Frame {
    object: bool,
    role: Role,
    /// Inside a `payload`: nulls stay.
    keep_nulls: bool,
    expect: Expect,
    /// Members or items written.
    count: usize,
    /// Where this object's keys start in `key_ends`.
    keys: usize,
    /// The [`key_bit`]s of its keys: a key whose bit is not among them is not a repeated one.
    key_bits: u64,
    /// Where the member being read starts in the output (at its comma), to drop it when its
    /// value is null.
    member: usize,
    /// The key of the member being read.
    slot: Key,
    /// A component whose string `type` has been read.
    typed: bool,
}

/// The keys (as written) of an open object: those in `keys` ending at `key_ends[first..]`.
fn object_keys<'k>(keys: &'k str, key_ends: &'k [usize], first: usize) -> impl Iterator<Item = &'k str> {
    let start = first.checked_sub(1).and_then(|k| key_ends.get(k)).copied().unwrap_or(0);
    key_ends[first..].iter().scan(start, move |start, &end| {
        let key = &keys[*start..end];
        *start = end;
        Some(key)
    })
}

/// Where the next value goes, for the shape check.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Root,
    /// The `type` of a component (`true`: of the root).
    Type(bool),
    Ident,
    Children,
    /// An item of a component's `children` list.
    Component,
    Payload,
    Plain,
}

impl Writer {
    /// Room for `len` bytes of output, so that the buffers do not grow piece by piece.
    fn with_capacity(len: usize) -> Self {
        let (frames, keys, key_ends) = SPARE.with(|spare| {
            let mut spare = spare.borrow_mut();
            (std::mem::take(&mut spare.frames), std::mem::take(&mut spare.keys), std::mem::take(&mut spare.key_ends))
        });
        Writer { out: String::with_capacity(len), frames, keys, key_ends, ..Writer::default() }
    }

    /// Notes output starting with `first`; true when that is a comma the idiom drops.
    fn starts(&mut self, first: u8) -> bool {
        if !self.strip_comma {
            return false;
        }
        self.strip_comma = false;
        first == b','
    }

    /// Where a value may go now, and whether nulls stay there.
    fn place(&self) -> Outcome<(Place, bool)> {
        match self.frames.last() {
            None if !self.done => Ok((Place::Root, false)),
            Some(frame) if frame.object && frame.expect == Expect::Value => {
                let place = match (frame.slot, frame.role) {
                    (Key::Payload, _) => Place::Payload,
                    (_, Role::Plain | Role::Components) => Place::Plain,
                    (Key::Type, role) => Place::Type(role == Role::Root),
                    (Key::Ident, _) => Place::Ident,
                    (Key::Children, _) => Place::Children,
                    (Key::Other, _) => Place::Plain,
                };
                Ok((place, frame.keep_nulls))
            }
            Some(frame) if !frame.object && matches!(frame.expect, Expect::FirstItem | Expect::Value) => {
                Ok((if frame.role == Role::Components { Place::Component } else { Place::Plain }, frame.keep_nulls))
            }
            _ => Err(Fallback),
        }
    }

    /// Writes what comes before a value that is kept: the comma of a list item.
    fn begin(&mut self) {
        if let Some(frame) = self.frames.last()
            && !frame.object
            && frame.count > 0
        {
            self.out.push(',');
        }
    }

    /// A value was written.
    fn end(&mut self) {
        match self.frames.last_mut() {
            None => self.done = true,
            Some(frame) => {
                frame.expect = Expect::Next;
                frame.count += 1;
            }
        }
    }

    /// A null value is dropped: with its key, in an object.
    fn drop_null(&mut self) {
        if let Some(frame) = self.frames.last_mut() {
            frame.expect = Expect::Next;
            if frame.object {
                self.out.truncate(frame.member);
            }
        }
    }

    /// Notes the string `type` of a component.
    fn typed(&mut self, root: bool, name: &str) -> Outcome<()> {
        if root {
            self.kind = Some(ROOT_TYPES.iter().find(|root| **root == name).copied().ok_or(Fallback)?);
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.typed = true;
        }
        Ok(())
    }

    /// Opens an object or a list where a value may go.
    fn open(&mut self, object: bool) -> Outcome<()> {
        let (role, keep_nulls) = self.opening(object)?;
        self.begin();
        self.push_frame(object, role, keep_nulls);
        Ok(())
    }

    /// The role and null handling of an object or list opened now.
    fn opening(&self, object: bool) -> Outcome<(Role, bool)> {
        let (place, keep_nulls) = self.place()?;
        let role = match (place, object) {
            (Place::Root, true) => Role::Root,
            (Place::Children | Place::Component, true) => Role::Component,
            (Place::Children, false) => Role::Components,
            (Place::Payload | Place::Plain, _) => Role::Plain,
            _ => return Err(Fallback),
        };
        Ok((role, keep_nulls || place == Place::Payload))
    }

    /// Writes the opening bracket and starts its frame.
    fn push_frame(&mut self, object: bool, role: Role, keep_nulls: bool) {
        self.out.push(if object { '{' } else { '[' });
        self.frames.push(Frame {
            object,
            role,
            keep_nulls,
            expect: if object { Expect::FirstKey } else { Expect::FirstItem },
            count: 0,
            keys: self.key_ends.len(),
            key_bits: 0,
            member: 0,
            slot: Key::Other,
            typed: false,
        });
    }

    /// Closes the open object or list.
    fn close(&mut self, object: bool) -> Outcome<()> {
        let frame = self.frames.pop().ok_or(Fallback)?;
        let complete = if object {
            matches!(frame.expect, Expect::FirstKey | Expect::Next) && (frame.role == Role::Plain || frame.typed)
        } else {
            matches!(frame.expect, Expect::FirstItem | Expect::Next)
        };
        if frame.object != object || !complete {
            return Err(Fallback);
        }
        if object {
            self.key_ends.truncate(frame.keys);
            self.keys.truncate(self.key_ends.last().copied().unwrap_or(0));
        }
        self.out.push(if object { '}' } else { ']' });
        self.end();
        Ok(())
    }

    fn token(&mut self, tok: &Tok) -> Outcome<()> {
        match tok {
            Tok::ObjStart => self.open(true)?,
            Tok::ArrStart => self.open(false)?,
            Tok::Static(value) => self.static_value(value)?,
            Tok::Members(members) => {
                let frame = self.frames.last_mut().ok_or(Fallback)?;
                let ready = match frame.expect {
                    Expect::Next => members.comma,
                    Expect::FirstKey | Expect::Key => !members.comma,
                    _ => false,
                };
                let way = Members::way(frame.role, frame.keep_nulls, frame.count > 0).filter(|_| frame.object && ready);
                let way = way.and_then(|way| members.ways[way].as_ref()).ok_or(Fallback)?;
                if frame.key_bits & members.key_bits != 0
                    && object_keys(&self.keys, &self.key_ends, frame.keys).any(|key| members.keys.iter().any(|k| **k == *key))
                {
                    return Err(Fallback);
                }
                frame.key_bits |= members.key_bits;
                for key in &members.keys {
                    self.keys.push_str(key);
                    self.key_ends.push(self.keys.len());
                }
                frame.expect = Expect::Next;
                frame.count += way.count;
                frame.typed |= way.typed;
                if frame.role == Role::Root && way.kind.is_some() {
                    self.kind = way.kind;
                }
                self.out.push_str(&way.text);
            }
            Tok::ObjEnd => self.close(true)?,
            Tok::ArrEnd => self.close(false)?,
            Tok::Hole(_) => return Err(Fallback),
            Tok::Colon => {
                let frame = self.frames.last_mut().ok_or(Fallback)?;
                if frame.expect != Expect::Colon {
                    return Err(Fallback);
                }
                frame.expect = Expect::Value;
            }
            Tok::Comma => {
                let frame = self.frames.last_mut().ok_or(Fallback)?;
                if frame.expect != Expect::Next {
                    return Err(Fallback);
                }
                frame.expect = if frame.object { Expect::Key } else { Expect::Value };
            }
            Tok::Key { comma, quoted, key, bit } => {
                let frame = self.frames.last_mut().ok_or(Fallback)?;
                let ready = match frame.expect {
                    Expect::Next => *comma && frame.object,
                    Expect::FirstKey | Expect::Key => !*comma,
                    _ => false,
                };
                if !ready {
                    return Err(Fallback);
                }
                self.key(quoted, *key, *bit, Expect::Value)?;
            }
            Tok::Str(quoted, key) => match self.frames.last() {
                Some(frame) if matches!(frame.expect, Expect::FirstKey | Expect::Key) => {
                    self.key(quoted, *key, key_bit(quoted), Expect::Colon)?;
                }
                _ => {
                    match self.place()?.0 {
                        // Written by `write_str`, a root type's name is the text between the quotes.
                        Place::Type(root) => self.typed(root, &quoted[1..quoted.len() - 1])?,
                        Place::Root | Place::Children | Place::Component => return Err(Fallback),
                        Place::Ident | Place::Payload | Place::Plain => {}
                    }
                    self.begin();
                    self.out.push_str(quoted);
                    self.end();
                }
            },
            Tok::Scalar(text) => {
                if !matches!(self.place()?.0, Place::Payload | Place::Plain) {
                    return Err(Fallback);
                }
                self.begin();
                self.out.push_str(text);
                self.end();
            }
            Tok::Null => {
                let (place, keep_nulls) = self.place()?;
                if !matches!(place, Place::Ident | Place::Children | Place::Payload | Place::Plain) {
                    return Err(Fallback);
                }
                if keep_nulls {
                    self.begin();
                    self.out.push_str("null");
                    self.end();
                } else {
                    self.drop_null();
                }
            }
        }
        Ok(())
    }

    /// Writes the key `quoted` (read as `key`, with its [`key_bit`]) of the open object, where a
    /// key may go; `then`: what comes next (the colon, or with it written, the value).
    fn key(&mut self, quoted: &str, key: Key, bit: u64, then: Expect) -> Outcome<()> {
        let frame = self.frames.last_mut().ok_or(Fallback)?;
        if frame.key_bits & bit != 0 && object_keys(&self.keys, &self.key_ends, frame.keys).any(|k| k == quoted) {
            return Err(Fallback);
        }
        frame.key_bits |= bit;
        self.keys.push_str(quoted);
        self.key_ends.push(self.keys.len());
        frame.expect = then;
        frame.slot = key;
        frame.member = self.out.len();
        if frame.count > 0 {
            self.out.push(',');
        }
        self.out.push_str(quoted);
        self.out.push(':');
        Ok(())
    }

    /// A whole object or list written beforehand, where a value may go.
    fn static_value(&mut self, value: &Static) -> Outcome<()> {
        let (role, keep_nulls) = self.opening(value.object)?;
        let written = value.written[Static::way(role, keep_nulls)].as_deref().ok_or(Fallback)?;
        self.begin();
        self.out.push_str(written);
        if role == Role::Root {
            self.kind = value.kind;
        }
        self.end();
        Ok(())
    }

    /// A whole value (`tojson`), written with sorted keys. Where the widget shape matters it
    /// goes through the same checks as template text, member by member.
    fn json(&mut self, value: &V<'_>) -> Outcome<()> {
        let (place, keep_nulls) = self.place()?;
        match value {
            V::Ref(_) | V::Own(_) => return self.json_value(value.json()?),
            V::Const(c) => {
                return match &c.written {
                    Some(written) => self.static_value(written),
                    None => self.json_value(c.data.root().json()),
                };
            }
            V::Undefined | V::Nothing | V::Namespace(_) => return Err(Fallback),
            V::Lit(..) | V::List(_) => {}
        }
        if matches!(place, Place::Payload | Place::Plain) {
            self.begin();
            write_v(value, keep_nulls || place == Place::Payload, &mut self.out, &mut self.copies)?;
            self.end();
            return Ok(());
        }
        match value {
            // As template text of it would be written.
            V::Lit(node, holes) => node.tokens.iter().try_for_each(|tok| match tok {
                Tok::Hole(at) => self.json(holes.get(*at).ok_or(Fallback)?),
                tok => self.token(tok),
            }),
            V::List(items) => {
                self.open(false)?;
                for item in items.iter() {
                    self.item();
                    self.json(item)?;
                }
                self.close(false)
            }
            _ => Err(Fallback),
        }
    }

    /// [`json`](Self::json) of data or a scalar.
    fn json_value(&mut self, value: Json<'_>) -> Outcome<()> {
        let (place, keep_nulls) = self.place()?;
        match (place, value) {
            (_, Json::Null) if !keep_nulls => {
                if !matches!(place, Place::Ident | Place::Children | Place::Payload | Place::Plain) {
                    return Err(Fallback);
                }
                self.drop_null();
                Ok(())
            }
            (Place::Payload | Place::Plain, value) => {
                self.begin();
                let keep_nulls = keep_nulls || place == Place::Payload;
                self.copies.write(value, keep_nulls, &mut self.out);
                self.end();
                Ok(())
            }
            (_, Json::Object(map)) => {
                self.open(true)?;
                if map.iter().map(|(name, _)| name).is_sorted() {
                    for (name, member) in map.iter() {
                        self.member(name);
                        self.json_value(member.json())?;
                    }
                } else {
                    let mut members: Vec<(&str, Datum<'_>)> = map.iter().collect();
                    members.sort_unstable_by(|a, b| a.0.cmp(b.0));
                    for (name, member) in members {
                        self.member(name);
                        self.json_value(member.json())?;
                    }
                }
                self.close(true)
            }
            (_, Json::Array(items)) => {
                self.open(false)?;
                for item in items.iter() {
                    self.item();
                    self.json_value(item.json())?;
                }
                self.close(false)
            }
            (Place::Type(root), Json::String(name)) => {
                self.typed(root, name)?;
                self.begin();
                write_str(name, &mut self.out);
                self.end();
                Ok(())
            }
            (Place::Ident, Json::String(text)) => {
                self.begin();
                write_str(text, &mut self.out);
                self.end();
                Ok(())
            }
            _ => Err(Fallback),
        }
    }

    /// The next item of a list of a whole value (there are no comma tokens there).
    fn item(&mut self) {
        if let Some(frame) = self.frames.last_mut() {
            frame.expect = Expect::Value;
        }
    }

    /// The key of a member of a whole value (unique there, so not checked).
    fn member(&mut self, name: &str) {
        if let Some(frame) = self.frames.last_mut() {
            frame.expect = Expect::Value;
            frame.slot = Key::of(name);
            frame.member = self.out.len();
            if frame.count > 0 {
                self.out.push(',');
            }
            write_str(name, &mut self.out);
            self.out.push(':');
        }
    }

    /// The wire JSON and the root type.
    fn finish(self) -> Outcome<(String, &'static str)> {
        if !self.done || !self.frames.is_empty() {
            return Err(Fallback);
        }
        let (mut keys, mut key_ends) = (self.keys, self.key_ends);
        if keys.capacity() + key_ends.capacity() * size_of::<usize>() <= Spare::MAX_BYTES {
            keys.clear();
            key_ends.clear();
            SPARE.with(|spare| {
                let mut spare = spare.borrow_mut();
                (spare.frames, spare.keys, spare.key_ends) = (self.frames, keys, key_ends);
            });
        }
        Ok((self.out, self.kind.ok_or(Fallback)?))
    }
}

/// Writes `value` as `tojson` then `serde_json` would: maps with sorted keys; `null` members
/// and items dropped unless `keep_nulls` (and always kept inside a `payload`).
fn write_value(value: Json<'_>, keep_nulls: bool, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Json::Number(n) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{n}");
        }
        Json::String(s) => write_str(s, out),
        Json::Array(items) => {
            out.push('[');
            let mut first = true;
            for item in items.iter() {
                if item.is_null() && !keep_nulls {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                write_value(item.json(), keep_nulls, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            let mut first = true;
            let mut member = |key: &str, value: Datum<'_>, out: &mut String| {
                if value.is_null() && !keep_nulls {
                    return;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                write_str(key, out);
                out.push(':');
                write_value(value.json(), keep_nulls || key == "payload", out);
            };
            if map.iter().map(|(key, _)| key).is_sorted() {
                map.iter().for_each(|(k, v)| member(k, v, out));
            } else {
                let mut members: Vec<(&str, Datum<'_>)> = map.iter().collect();
                members.sort_unstable_by(|a, b| a.0.cmp(b.0));
                members.into_iter().for_each(|(k, v)| member(k, v, out));
            }
            out.push('}');
        }
    }
}

/// The text of the lists and maps of the data (and of the template's constants) written so
/// far, so that writing one again copies its text: templates often repeat a whole list in every
/// item's action payload. Values are told apart by address, which is sound because they are
/// borrowed, unchanged, for the whole render.
#[derive(Default)]
struct Copies {
    text: String,
    spans: Vec<(usize, bool, std::ops::Range<usize>)>,
}

impl Copies {
    /// Values remembered at most, so that looking one up stays cheap.
    const MAX: usize = 64;
    /// Shorter text is written again rather than remembered.
    const MIN_LEN: usize = 32;

    /// Writes `value` (borrowed for the whole render) as [`write_value`] does.
    fn write(&mut self, value: Json<'_>, keep_nulls: bool, out: &mut String) {
        let address = match &value {
            Json::Array(items) => items.address(),
            Json::Object(map) => map.address(),
            _ => return write_value(value, keep_nulls, out),
        };
        if let Some((_, _, span)) = self.spans.iter().find(|(a, k, _)| *a == address && *k == keep_nulls) {
            out.push_str(&self.text[span.clone()]);
            return;
        }
        let start = out.len();
        write_value(value, keep_nulls, out);
        if out.len() - start >= Copies::MIN_LEN && self.spans.len() < Copies::MAX {
            let from = self.text.len();
            self.text.push_str(&out[start..]);
            self.spans.push((address, keep_nulls, from..self.text.len()));
        }
    }
}

/// [`write_value`] of a value the template built.
fn write_v(value: &V<'_>, keep_nulls: bool, out: &mut String, copies: &mut Copies) -> Outcome<()> {
    match value {
        V::Ref(_) | V::Own(_) => copies.write(value.json()?, keep_nulls, out),
        V::Const(c) => match c.plain(keep_nulls) {
            Some(text) => out.push_str(text),
            None => copies.write(c.data.root().json(), keep_nulls, out),
        },
        V::Lit(node, holes) => {
            out.push(if node.map { '{' } else { '[' });
            let mut first = true;
            for (key, part) in &node.parts {
                let part = part.value(holes);
                if part.is_null() && !keep_nulls {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                let payload = match key {
                    Some(key) => {
                        out.push_str(&key.quoted);
                        out.push(':');
                        key.key == Key::Payload
                    }
                    None => false,
                };
                write_v(&part, keep_nulls || payload, out, copies)?;
            }
            out.push(if node.map { '}' } else { ']' });
        }
        V::List(items) => {
            out.push('[');
            let mut first = true;
            for item in items.iter() {
                if item.is_null() && !keep_nulls {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                write_v(item, keep_nulls, out, copies)?;
            }
            out.push(']');
        }
        V::Undefined | V::Nothing | V::Namespace(_) => return Err(Fallback),
    }
    Ok(())
}

/// Writes a JSON string as `serde_json` does: quoted, escaping `"`, `\` and control characters.
fn write_str(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    // Most strings have nothing to escape: copied whole.
    if !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
        out.reserve(bytes.len() + 2);
        out.push('"');
        out.push_str(text);
        out.push('"');
        return;
    }
    out.push('"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;
    use serde_json::json;

    use super::super::WidgetTemplate;
    use super::*;

    fn corpus_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/kit/widgets")
    }

    /// Every template of the corpus that loads, with the data of its cases.
    fn corpus() -> Vec<(String, WidgetTemplate, Vec<Value>)> {
        let dir = corpus_dir();
        let mut templates = Vec::new();
        for entry in std::fs::read_dir(dir.join("corpus")).expect("corpus") {
            let path = entry.expect("entry").path();
            let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else { continue };
            let Ok(template) = WidgetTemplate::from_file(&path) else { continue };
            let mut cases = Vec::new();
            for n in 0.. {
                let Ok(text) = std::fs::read_to_string(dir.join(format!("cases/{name}.{n}.data.json"))) else { break };
                cases.push(serde_json::from_str(&text).expect("case data is JSON"));
            }
            templates.push((name, template, cases));
        }
        templates.sort_by(|a, b| a.0.cmp(&b.0));
        templates
    }

    /// The direct render, or `None` when it falls back.
    fn direct(template: &WidgetTemplate, data: &(impl Serialize + ?Sized)) -> Option<String> {
        template.build_direct(data).map(|root| serde_json::to_string(&root).expect("serializes"))
    }

    /// The render through minijinja, or its error.
    fn engine(template: &WidgetTemplate, data: &Value) -> Result<String, String> {
        template.build_rendered(data).map(|root| serde_json::to_string(&root).expect("serializes")).map_err(|e| e.to_string())
    }

    fn template(source: &str) -> WidgetTemplate {
        WidgetTemplate::from_definition(json!({"version": "1.0", "name": "t", "template": source})).expect("compiles")
    }

    #[test]
    fn corpus_cases_render_directly_and_alike() {
        let mut direct_cases = 0;
        for (name, template, cases) in corpus() {
            for (n, data) in cases.iter().enumerate() {
                let Some(fast) = direct(&template, data) else {
                    // Only cases the engine rejects.
                    assert!(engine(&template, data).is_err(), "{name}.{n} falls back");
                    continue;
                };
                direct_cases += 1;
                assert_eq!(Ok(fast), engine(&template, data), "{name}.{n}");
            }
        }
        assert!(direct_cases >= 55, "{direct_cases} cases rendered directly");
    }

    #[test]
    fn typed_data_renders_as_its_json() {
        #[derive(Serialize)]
        struct Task {
            id: u32,
            title: String,
            done: bool,
            note: Option<String>,
        }
        #[derive(Serialize)]
        enum Filter {
            Open,
        }
        #[derive(Serialize)]
        struct Tasks {
            tasks: Vec<Task>,
            filter: Filter,
            owner: Option<&'static str>,
        }
        let t = template(concat!(
            r#"{"type":"Card","children":[{% for t in tasks %}{"type":"Text","id":{{ (t.id|string)|tojson }},"value":{{ t.title|tojson }},"#,
            r#""done":{{ t.done|tojson }},"note":{{ t.note|tojson }}}{{ "," if not loop.last }}{% endfor %}],"#,
            r#""f":{{ filter|tojson }},"all":{{ tasks|tojson }},"n":{{ (tasks|length)|tojson }},"o":{{ (owner or "nobody")|tojson }}}"#
        ));
        assert!(t.direct.is_some());
        let typed = Tasks {
            tasks: vec![
                Task { id: 1, title: "Write".into(), done: false, note: None },
                Task { id: 2, title: "Ship \"it\"".into(), done: true, note: Some("é".into()) },
            ],
            filter: Filter::Open,
            owner: None,
        };
        let same = json!({"tasks": [{"id": 1, "title": "Write", "done": false, "note": null},
            {"id": 2, "title": "Ship \"it\"", "done": true, "note": "é"}], "filter": "Open", "owner": null});
        let fast = direct(&t, &typed).expect("renders directly");
        assert_eq!(Some(fast.clone()), direct(&t, &same));
        assert_eq!(Ok(fast), engine(&t, &same));
    }

    #[test]
    fn data_the_view_refuses_renders_from_to_value() {
        /// `{"v": 1, "v": 2}`, which `to_value` makes `{"v": 2}`.
        struct Repeated;
        impl Serialize for Repeated {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map([("v", 1), ("v", 2)])
            }
        }
        let t = template(r#"{"type":"Card","children":[],"v":{{ v|tojson }}}"#);
        assert!(Data::of(&Repeated, 0, 0).is_err());
        assert_eq!(direct(&t, &Repeated).as_deref(), Some(r#"{"type":"Card","children":[],"v":2}"#));
        let raw = serde_json::value::RawValue::from_string(r#"{"v": [1, null]}"#.to_owned()).expect("raw");
        assert!(Data::of(&raw, 0, 0).is_err());
        assert_eq!(direct(&t, &raw).as_deref(), Some(r#"{"type":"Card","children":[],"v":[1]}"#));
    }

    #[test]
    fn what_direct_rendering_leaves_to_the_engine() {
        let t = template(r#"{"type": "Card", "children": [{"type": "Text", "value": {{ v|tojson }}}]}"#);
        assert!(t.direct.is_some());
        // Undefined values, invalid JSON and the wrong shape all give the engine's error.
        assert_eq!(direct(&t, &json!({})), None);
        assert!(engine(&t, &json!({})).is_err());
        let t = template(r#"{"type": "Card", "children": [{"type": "Text", "value": "{{ v }}"}]}"#);
        assert!(t.direct.is_none(), "a string cut by a hole is not whole tokens");
        let t = template(r#"{"type": "Card", "children": [{{ v }}]}"#);
        assert_eq!(direct(&t, &json!({"v": "{\"type\": \"Text\"}"})).as_deref(), Some(r#"{"type":"Card","children":[{"type":"Text"}]}"#));
        assert_eq!(direct(&t, &json!({"v": "{\"type\": "})), None);
        assert_eq!(direct(&t, &json!({"v": 1.5})), None, "floats print the Python way, left to the engine");
        let t = template(r#"{"type": "Text"}"#);
        assert_eq!(direct(&t, &json!({})), None, "not a root");
        let t = template(r#"{% for x in xs %}{% endfor %}{{ range(3)|tojson }}"#);
        assert!(t.direct.is_none(), "functions need the engine");
    }

    #[test]
    fn literals_with_holes_behave_as_built() {
        let t = template(concat!(
            r#"{%- set item = {"type": "Text", "value": v, "key": k, "onClickAction": {"type": "a", "payload": {"v": v, "n": none}}} -%}"#,
            r#"{%- set row = {"type": "Row", "children": [item, {"type": "Spacer"}, {"type": "Text", "value": v ~ "!"}]} -%}"#,
            r#"{%- set ns = namespace(children=[item]) -%}{%- set _ = ns.children.append(row) -%}"#,
            r#"{%- for c in row.children -%}{%- set _ = ns.children.append({"type": "Text", "value": c.type}) -%}{%- endfor -%}"#,
            r#"{{ {"type": "Card", "key": row["children"][0].key, "size": [v, k]|join("-") ~ row.children|length,"#,
            r#" "children": ns.children, "hidden": item.missing is defined} | tojson }}"#
        ));
        assert!(t.direct.is_some());
        for data in [json!({"v": "a", "k": "b"}), json!({"v": "a", "k": null}), json!({"v": 1, "k": "b"}), json!({"v": "a"})] {
            assert_eq!(direct(&t, &data).ok_or(()), engine(&t, &data).map_err(drop), "{data}");
        }
        // A literal list iterated, indexed and tested for emptiness.
        let t = template(concat!(
            r#"{%- set xs = [a, {"type": "Divider", "key": b}] -%}{"type":"Basic","children":["#,
            r#"{%- for x in xs -%}{{ x|tojson }}{{ "," if not loop.last }}{%- endfor -%}],"#,
            r#""key":{{ (xs[1].key if xs else "none")|tojson }},"id":{{ xs[0]["id"]|default("i")|tojson }}}"#
        ));
        assert!(t.direct.is_some());
        for data in [json!({"a": {"type": "Text"}, "b": "k"}), json!({"a": {"type": "Text", "id": "t"}, "b": null}), json!({"a": 1, "b": "k"})] {
            assert_eq!(direct(&t, &data).ok_or(()), engine(&t, &data).map_err(drop), "{data}");
        }
    }

    #[test]
    fn renders_reuse_buffers_cleanly() {
        // A render that gives up midway (an object left open, keys noted) leaves nothing to
        // the next render on the thread; a large one leaves no oversized buffers behind.
        let t = template(r#"{"type":"Card","children":[{"type":"Text","key":"k","value":{{ v|tojson }},"size":"sm"}]}"#);
        let wide = json!({"v": "x".repeat(Spare::MAX_BYTES * 2)});
        for data in [json!({}), json!({"v": "a"}), wide, json!({"v": [1, 2]}), json!({"v": "b"})] {
            assert_eq!(direct(&t, &data).ok_or(()), engine(&t, &data).map_err(drop), "{data}");
        }
        assert!(SPARE.with(|spare| spare.borrow().data.capacity()) <= Spare::MAX_BYTES);
        // Keys fused with their colon and comma still find a repeated key.
        let t = template(r#"{"type":"Card","children":[{"type":"Text","value":{{ v|tojson }},"value":{{ v|tojson }}}]}"#);
        assert_eq!(direct(&t, &json!({"v": "a"})), None);
    }

    #[test]
    fn comma_idiom_and_loops() {
        let t = template(concat!(
            r#"{"type":"ListView","children":[{%- set _c -%}{%- for i in items -%},{"type":"ListViewItem","key":{{ (i.k ~ "-" ~ loop.index) | tojson }}}"#,
            r#"{%- endfor -%}{%- endset -%}{{- (_c[1:] if _c and _c[0] == ',' else _c) -}}]}"#
        ));
        assert!(t.direct.is_some());
        for data in [json!({"items": []}), json!({"items": [{"k": "a"}, {"k": 2}]})] {
            assert_eq!(direct(&t, &data).ok_or(()), engine(&t, &data).map_err(drop), "{data}");
        }
        let t = template(r#"{"type":"Basic","children":[{% for n in nums %}{{ n|tojson }}{{ "," if not loop.last }}{% else %}{"type":"Spacer"}{% endfor %}]}"#);
        assert_eq!(direct(&t, &json!({"nums": []})).as_deref(), Some(r#"{"type":"Basic","children":[{"type":"Spacer"}]}"#));
    }

    #[test]
    fn filters_print_like_the_engine() {
        let t = template(concat!(
            r#"{"type":"Card","children":[],"j":{{ (xs|join(", "))|tojson }},"k":{{ (xs|join)|tojson }},"#,
            r#""r":{{ (x|round(2))|tojson }},"r0":{{ (x|round)|tojson }},"s":{{ (x|round(1))|string|tojson }},"#,
            r#""t":{{ x|string|tojson }},"f":{{ ("%d of %s, 100%%"|format(n, s))|tojson }}}"#
        ));
        assert!(t.direct.is_some());
        let mut rendered = 0;
        for (xs, x) in [
            (json!(["a", 1, 2.5, true, null, 1e16, 0.0001]), json!(2.675)),
            (json!("abc"), json!(-0.005)),
            (json!([]), json!(7)),
            (json!([[1]]), json!(1e300)),
            (json!(["x"]), json!(0.125)),
            (json!(["x"]), json!("text")),
        ] {
            for (n, s) in [(json!(3), json!("é")), (json!(1.5), json!("a")), (json!(2), json!(2))] {
                let data = json!({"xs": xs, "x": x, "n": n, "s": s});
                if let Some(fast) = direct(&t, &data) {
                    assert_eq!(Ok(fast), engine(&t, &data), "{data}");
                    rendered += 1;
                }
            }
        }
        assert_eq!(rendered, 8);
    }

    #[test]
    fn tojson_sorts_keys_like_the_engine() {
        let t = template(r#"{"type":"Card","children":[],"x":{{ d|tojson }},"y":{{ {"b": 1, "a": [d]}|tojson }}}"#);
        let data = json!({"d": {"z": 1, "a": {"y": "<&>'", "b": null}, "l": [3, null, {"k": null}]}});
        assert_eq!(direct(&t, &data).ok_or(()), engine(&t, &data).map_err(drop));
    }

    #[test]
    fn repeated_data_is_copied_as_written() {
        let t = template(concat!(
            r#"{"type":"Card","children":[],"a":{{ xs|tojson }},"n":{{ n|tojson }},"b":{{ {"k": xs}|tojson }},"#,
            r#""c":{"payload":{{ xs|tojson }}},"d":[{% for x in xs %}{{ xs|tojson }}{{ "," if not loop.last }}{% endfor %}],"e":{{ xs|tojson }}}"#
        ));
        let data = json!({"n": null, "xs": [{"id": "aaaaaaaaaaaaaaaaaaaa", "z": null, "b": 1}, null, ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]]});
        let fast = direct(&t, &data).expect("renders directly");
        assert_eq!(Ok(fast.clone()), engine(&t, &data));
        assert_eq!(fast.matches(r#"[{"b":1,"id":"aaaaaaaaaaaaaaaaaaaa"},["bbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]]"#).count(), 6);
        assert_eq!(fast.matches(r#"[{"b":1,"id":"aaaaaaaaaaaaaaaaaaaa","z":null},null,["#).count(), 1, "nulls stay in payloads");
    }

    #[test]
    fn whole_values_are_checked_as_widgets() {
        let t = template(r#"{"type":"Card","children":{{ cs|tojson }}}"#);
        let good = json!({"cs": [{"type": "Text", "value": "a"}, {"type": "Text", "value": null, "key": null},
            {"type": "Row", "children": [{"type": "Text", "payload": {"x": null}}]}]});
        assert!(direct(&t, &good).is_some());
        assert_eq!(direct(&t, &good).ok_or(()), engine(&t, &good).map_err(drop));
        for bad in [json!({"cs": [{"type": "Text"}, {"value": 1}]}), json!({"cs": [{"type": "Text"}, null]}), json!({"cs": 1})] {
            assert_eq!(direct(&t, &bad), None, "{bad}");
            assert!(engine(&t, &bad).is_err(), "{bad}");
        }
        let t = template(r#"{% set c = {"type": "Text", "id": x} %}{{ {"type": "Basic", "children": [c, c, {"type": "Spacer"}]}|tojson }}"#);
        let data = json!({"x": "a"});
        assert!(direct(&t, &data).is_some());
        assert_eq!(direct(&t, &data).ok_or(()), engine(&t, &data).map_err(drop));
        assert_eq!(direct(&t, &json!({"x": 1})), None, "an id must be a string");
    }

    #[test]
    fn static_parts_are_written_once_and_alike() {
        // Whole objects and lists of template text, in every place they can go.
        let sources = [
            r#"{"type":"Card","children":[{"type":"Text","value":"a","key":null,"x":[1,null,{"y":null}]}],"z":null}"#,
            r#"{"type":"Card","children":[{"type":"Text","value":{{ v|tojson }}},{"type":"Button","onClickAction":{"type":"t","payload":{"a":null,"b":[null,{"c":null}]}}}]}"#,
            r#"{"type":"Card","children":[{% if v %}{"type":"Text","value":"a"}{% else %}{"type":"Spacer","k":null}{% endif %}]}"#,
            r#"{"type":"Card","children":{% if v %}[{"type":"Text","value":"a"},{"type":"Spacer"}]{% else %}[]{% endif %}}"#,
            r#"{"type":"Card","children":[],"p":{"payload":{{ v|tojson }},"q":{"r":null}}}"#,
            r#"{"type":"Card","children":[{"type":"Text","a":1,"a":2}]}"#,
            r#"{"type":"Card","children":[{"value":"no type"}]}"#,
            r#"{"type":"Card","children":[[{"type":"Text"}]]}"#,
            r#"{"type":"Card","children":[{"type":"Text","id":1}]}"#,
            r#"{"type":"Card","children":[{"type":1}]}"#,
            r#"{"type":"Text","children":[]}"#,
            r#"[{"type":"Card","children":[]}]"#,
            r#"{"type":"Card","children":[{% for x in xs %}{"type":"Text","value":"a"}{{ "," if not loop.last }}{% endfor %}]}"#,
            r#"{"type":"Card","children":[{"type":"Text"}{% if v %},{"type":"Text","value":null}{% endif %}]}"#,
            // Runs of whole members between holes.
            r#"{"type":"Card","children":[{"type":"Text","value":{{ v|tojson }},"a":null,"b":"x","c":{"d":null}}],"e":{{ v|tojson }},"f":null}"#,
            r#"{"z":null,"type":"Card","children":[],"y":{{ v|tojson }},"type":"Basic"}"#,
            r#"{"type":"Card","children":[{"type":"Button","onClickAction":{"type":"a","payload":{"k":{{ v|tojson }},"n":null,"m":[null]}}}]}"#,
            r#"{"type":"Card","children":[{"type":"Text","value":{{ v|tojson }},"key":null,"id":"i"}]}"#,
            r#"{"type":"Card","children":[{"type":"Text","value":{{ v|tojson }},"type":"Title"}]}"#,
            r#"{"type":"Card","children":[{"value":{{ v|tojson }},"type":"Title","size":null}],"x":{"y":{{ v|tojson }},"z":null,"type":1}}"#,
            r#"{"type":"Card","children":[{% for x in xs %}{"type":"Text","value":{{ x|tojson }},"a":null}{{ "," if not loop.last }}{% endfor %}],"b":1}"#,
            r#"{"a":null{% if v %},"type":"Card"{% else %},"type":"Basic"{% endif %},"children":[],"c":null,"d":2}"#,
            r#"{"type":"Card","children":[{"type":"Text","value":{{ v|tojson }},"size":"sm"}]{% if v %},"type":"Basic"{% endif %}}"#,
            // Constants given to `tojson` are template text.
            r#"{"type":{{ "Card"|tojson }},"children":[{"type":"Markdown","value":{{ "x<&'y"|tojson }}}],"k":{{ "k"|tojson }}}"#,
            r#"{"type":"Card","children":[]{% if v %},{{ "key"|tojson }}:{{ "k"|tojson }}{% endif %}}"#,
        ];
        let mut rendered = 0;
        for source in sources {
            let t = template(source);
            assert!(t.direct.is_some(), "{source}");
            for data in [json!({"v": 1, "xs": [1, 2]}), json!({"v": null, "xs": []}), json!({"v": {"k": null}, "xs": [1]})] {
                // Whatever renders directly renders as the engine does; the rest is the engine's.
                if let Some(fast) = direct(&t, &data) {
                    assert_eq!(Ok(fast), engine(&t, &data), "{source} with {data}");
                    rendered += 1;
                }
            }
        }
        assert_eq!(rendered, 46);
        let t = template(sources[0]);
        assert_eq!(direct(&t, &json!({})).as_deref(), Some(r#"{"type":"Card","children":[{"type":"Text","value":"a","x":[1,{}]}]}"#));
    }

    #[test]
    fn lexes_json_tokens() {
        let mut tokens = Vec::new();
        lex(r#" {"a\n\u00e9": [-1.5e3, true, null, "x"]} "#, &mut tokens).expect("lexes");
        assert_eq!(tokens.len(), 13);
        assert_eq!(tokens[1], Tok::Str(r#""a\né""#.into(), Key::Other));
        assert_eq!(tokens[4], Tok::Scalar("-1500.0".into()));
        assert_eq!(tokens[8], Tok::Null);
        for bad in ["\"open", "tru", "01", "-", "x", "\"\u{1}\""] {
            assert_eq!(lex(bad, &mut Vec::new()), None, "{bad:?}");
        }
    }

    /// Changes one place of `value`: the path is chosen by `seed`, and it is replaced by
    /// `with` or, when `with` is `None`, removed.
    fn mutate(value: &mut Value, mut seed: u64, with: Option<Value>) {
        let mut at = value;
        loop {
            let len = match at {
                Value::Object(map) => map.len(),
                Value::Array(items) => items.len(),
                _ => 0,
            };
            let descend = len > 0 && seed % 3 != 0;
            seed /= 3;
            if !descend {
                break;
            }
            let i = (seed % len as u64) as usize;
            seed /= len as u64;
            let leaf = match &at {
                Value::Object(map) => map.values().nth(i).is_some_and(|v| !v.is_object() && !v.is_array()),
                Value::Array(items) => !items[i].is_object() && !items[i].is_array(),
                _ => true,
            };
            if leaf {
                match (at, with) {
                    (Value::Object(map), None) => {
                        if let Some(key) = map.keys().nth(i).cloned() {
                            map.shift_remove(&key);
                        }
                    }
                    (Value::Array(items), None) => {
                        items.remove(i);
                    }
                    (Value::Object(map), Some(v)) => {
                        if let Some(slot) = map.values_mut().nth(i) {
                            *slot = v;
                        }
                    }
                    (Value::Array(items), Some(v)) => items[i] = v,
                    _ => {}
                }
                return;
            }
            at = match at {
                Value::Object(map) => map.values_mut().nth(i).expect("in range"),
                Value::Array(items) => &mut items[i],
                _ => unreachable!("only maps and lists have members"),
            };
        }
        if let Some(v) = with {
            *at = v;
        }
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..3).prop_map(|n| json!(n)),
            any::<i64>().prop_map(|n| json!(n)),
            (-1.0e3f64..1.0e3).prop_map(|f| json!(f)),
            Just(json!(2.0)),
            prop::sample::select(vec!["", ",", "a", "x<y>&'", "é", "{", "1"]).prop_map(|s| json!(s)),
            Just(json!([])),
            Just(json!({})),
            Just(json!([{"id": "a", "name": "n"}])),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Changed case data: whenever the direct render succeeds, the engine renders the same.
        #[test]
        fn direct_renders_match_the_engine(
            pick in any::<prop::sample::Index>(),
            changes in prop::collection::vec((any::<u64>(), prop::option::weighted(0.8, leaf())), 1..4),
        ) {
            static CORPUS: std::sync::OnceLock<Vec<(String, WidgetTemplate, Vec<Value>)>> = std::sync::OnceLock::new();
            let corpus = CORPUS.get_or_init(corpus);
            let cases: Vec<(&str, &WidgetTemplate, &Value)> =
                corpus.iter().flat_map(|(name, t, cases)| cases.iter().map(move |c| (name.as_str(), t, c))).collect();
            let (name, template, data) = cases[pick.index(cases.len())];
            let mut data = data.clone();
            for (seed, with) in changes {
                mutate(&mut data, seed, with);
            }
            if let Some(fast) = direct(template, &data) {
                prop_assert_eq!(Ok(fast), engine(template, &data), "{} with {}", name, data);
            }
        }
    }
}

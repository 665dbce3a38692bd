//! The two macros every component and token type is declared with, so the wire rules live in
//! one place: `type` always written, `None` props left out, unknown props kept, parse errors
//! that name the prop.

/// A closed set of wire strings: `enum` with `as_str`, `Display` and serde as the string.
macro_rules! tokens {
    (
        $(#[$meta:meta])*
        $name:ident { $($variant:ident = $wire:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(
                #[doc = concat!("`", $wire, "`")]
                #[serde(rename = $wire)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the reference's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire string.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A set of known wire strings that also accepts any other string (`Other`), for props the
/// reference types as "a token or any CSS string" and for icon names.
macro_rules! open_tokens {
    (
        $(#[$meta:meta])*
        $name:ident { $($variant:ident = $wire:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant,
            )+
            /// Any other string, sent as is.
            Other(String),
        }

        impl $name {
            /// The known values, in the reference's order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),+];

            /// The value for a wire string: a known one, or [`Other`](Self::Other).
            pub fn parse(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(other) => other,
                }
            }

            /// Whether this is one of the known values.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::parse(value)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match Self::parse(&value) {
                    Self::Other(_) => Self::Other(value),
                    known => known,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

/// A widget component: the struct (public props, `key`, `id`, `extra`), its wire form and the
/// builder setters of its optional props.
///
/// `Name = "Wire" (arg: Type, …)` declares the constructor `Name::new`, whose arguments are
/// the required props (by name); `Name = "Wire" custom` leaves `new` to be written by hand. Each prop is `name "wireName": req Type` (required, set by the constructor) or
/// `name "wireName": opt Type` (an `Option`, with a setter taking `impl Into<Type>`),
/// `name "wireName": num u32` (the same with a setter taking the type itself, so integer
/// literals infer), or
/// `children "children": kids Vec<Child>` (an optional list, built with `child`/`children`), or
/// `name "wireName": list Vec<T>` (a required list, empty after `new`, built by hand-written
/// methods). `..sizes,` stands for the nine size props every sized component shares, in the
/// reference's order: `height`, `width`, `size` and their `min`/`max` forms.
/// Serialization writes `key`, `id`, `type`, then the props in declaration order (the
/// reference's order), then `extra`; `None` props are left out. Deserialization reads the
/// props by name, so `serde_path_to_error` points into them, checks `type` when present,
/// treats `null` as absent and keeps unknown props in `extra`.
macro_rules! component {
    (
        $(#[$meta:meta])*
        $name:ident = $wire:literal $ctor:tt {
            $(
                $(#[$fmeta:meta])*
                $field:ident $fwire:literal : $kind:ident $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            /// Identity for diffing: keeps input state and focus across replacements.
            pub key: Option<String>,
            /// Target of component updates and text deltas.
            pub id: Option<String>,
            $(
                $(#[$fmeta])*
                pub $field: component!(@ty $kind $ty),
            )*
            /// Props this library does not know, kept verbatim (the reference's templates
            /// accept any member).
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// The `type` of this component on the wire.
            pub const TYPE: &'static str = $wire;

            component!(@ctor $wire $ctor [$($field $kind),*]);

            /// Sets `key` (identity for diffing).
            #[must_use]
            pub fn key(mut self, key: impl Into<String>) -> Self {
                self.key = Some(key.into());
                self
            }

            /// Sets `id` (the target of component updates and text deltas).
            #[must_use]
            pub fn id(mut self, id: impl Into<String>) -> Self {
                self.id = Some(id.into());
                self
            }

            /// Sets a prop this library does not model; it is sent as is.
            #[must_use]
            pub fn extra(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
                self.extra.insert(name.into(), value.into());
                self
            }

            $(component!(@setter $kind $field $ty; $(#[$fmeta])*);)*
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                if let Some(key) = &self.key {
                    map.serialize_entry("key", key)?;
                }
                if let Some(id) = &self.id {
                    map.serialize_entry("id", id)?;
                }
                map.serialize_entry("type", $wire)?;
                $(component!(@ser $kind map $fwire self.$field);)*
                for (name, value) in &self.extra {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FieldsVisitor;

                impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a `", $wire, "` component (a JSON object)"))
                    }

                    #[allow(unused_mut)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<$name, A::Error> {
                        use serde::de::Error as _;
                        let mut __key: Option<String> = None;
                        let mut __id: Option<String> = None;
                        $(let mut $field: Option<$ty> = None;)*
                        let mut __extra = serde_json::Map::new();
                        while let Some(__name) = access.next_key::<String>()? {
                            match __name.as_str() {
                                "key" => __key = access.next_value()?,
                                "id" => __id = access.next_value()?,
                                "type" => {
                                    let __kind: String = access.next_value()?;
                                    if __kind != $wire {
                                        return Err(A::Error::custom(format_args!(
                                            "expected a `{}` component, found `{}`", $wire, __kind
                                        )));
                                    }
                                }
                                $($fwire => $field = access.next_value()?,)*
                                _ => {
                                    let __value: serde_json::Value = access.next_value()?;
                                    if !__value.is_null() {
                                        __extra.insert(__name, __value);
                                    }
                                }
                            }
                        }
                        Ok($name {
                            key: __key,
                            id: __id,
                            $($field: component!(@finish $kind $field $fwire A),)*
                            extra: __extra,
                        })
                    }
                }

                deserializer.deserialize_map(FieldsVisitor)
            }
        }
    };

    // A prop list with `..sizes`: spelled out one prop at a time, then declared as above.
    (
        $(#[$meta:meta])*
        $name:ident = $wire:literal $ctor:tt { $($props:tt)* }
    ) => {
        component!(@expand [$(#[$meta])* $name = $wire $ctor] [] $($props)*);
    };
    (@expand [$($head:tt)*] [$($done:tt)*] ..sizes, $($rest:tt)*) => {
        component!(@expand [$($head)*] [$($done)*
            /// Height: px or CSS.
            height "height": opt $crate::widgets::Dimension,
            /// Width: px or CSS.
            width "width": opt $crate::widgets::Dimension,
            /// Width and height: px or CSS.
            size "size": opt $crate::widgets::Dimension,
            /// Minimum height: px or CSS.
            min_height "minHeight": opt $crate::widgets::Dimension,
            /// Minimum width: px or CSS.
            min_width "minWidth": opt $crate::widgets::Dimension,
            /// Minimum width and height: px or CSS.
            min_size "minSize": opt $crate::widgets::Dimension,
            /// Maximum height: px or CSS.
            max_height "maxHeight": opt $crate::widgets::Dimension,
            /// Maximum width: px or CSS.
            max_width "maxWidth": opt $crate::widgets::Dimension,
            /// Maximum width and height: px or CSS.
            max_size "maxSize": opt $crate::widgets::Dimension,
        ] $($rest)*);
    };
    (@expand [$($head:tt)*] [$($done:tt)*] $(#[$fmeta:meta])* $field:ident $fwire:literal : $kind:ident $ty:ty, $($rest:tt)*) => {
        component!(@expand [$($head)*] [$($done)* $(#[$fmeta])* $field $fwire : $kind $ty,] $($rest)*);
    };
    (@expand [$($head:tt)*] [$($done:tt)*]) => {
        component!($($head)* { $($done)* });
    };

    (@ctor $wire:literal custom [$($field:ident $kind:ident),*]) => {};
    (@ctor $wire:literal ($($arg:ident : $aty:ty),* $(,)?) [$($field:ident $kind:ident),*]) => {
        #[doc = concat!("A `", $wire, "` with its required props; every other prop unset.")]
        pub fn new($($arg: impl Into<$aty>),*) -> Self {
            $(let $arg: $aty = $arg.into();)*
            Self {
                key: None,
                id: None,
                $($field: component!(@init $kind $field),)*
                extra: serde_json::Map::new(),
            }
        }
    };

    (@init req $field:ident) => { $field };
    (@init list $field:ident) => { Vec::new() };
    (@init $kind:ident $field:ident) => { None };

    (@ty req $ty:ty) => { $ty };
    (@ty list $ty:ty) => { $ty };
    (@ty opt $ty:ty) => { Option<$ty> };
    (@ty kids $ty:ty) => { Option<$ty> };
    (@ty num $ty:ty) => { Option<$ty> };

    (@setter req $field:ident $ty:ty; $(#[$fmeta:meta])*) => {};
    (@setter list $field:ident $ty:ty; $(#[$fmeta:meta])*) => {};
    (@setter num $field:ident $ty:ty; $(#[$fmeta:meta])*) => {
        $(#[$fmeta])*
        #[must_use]
        pub fn $field(mut self, value: $ty) -> Self {
            self.$field = Some(value);
            self
        }
    };
    (@setter kids $field:ident $ty:ty; $(#[$fmeta:meta])*) => {};
    (@setter opt $field:ident $ty:ty; $(#[$fmeta:meta])*) => {
        $(#[$fmeta])*
        #[must_use]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };

    (@ser list $map:ident $fwire:literal $value:expr) => {
        $map.serialize_entry($fwire, &$value)?;
    };
    (@ser req $map:ident $fwire:literal $value:expr) => {
        $map.serialize_entry($fwire, &$value)?;
    };
    (@ser $kind:ident $map:ident $fwire:literal $value:expr) => {
        if let Some(value) = &$value {
            $map.serialize_entry($fwire, value)?;
        }
    };

    (@finish list $field:ident $fwire:literal $access:ident) => {
        component!(@finish req $field $fwire $access)
    };
    (@finish req $field:ident $fwire:literal $access:ident) => {
        match $field {
            Some(value) => value,
            None => return Err(<$access::Error as serde::de::Error>::missing_field($fwire)),
        }
    };
    (@finish $kind:ident $field:ident $fwire:literal $access:ident) => { $field };
}

/// `child`/`children` builders for a component whose `children` is a list.
macro_rules! children_builders {
    ($name:ident, list $child:ty) => {
        impl $name {
            /// Appends a child.
            #[must_use]
            pub fn child(mut self, child: impl Into<$child>) -> Self {
                self.children.push(child.into());
                self
            }

            /// Appends children.
            #[must_use]
            pub fn children<I: IntoIterator<Item = C>, C: Into<$child>>(mut self, children: I) -> Self {
                self.children.extend(children.into_iter().map(Into::into));
                self
            }
        }
    };
    ($name:ident, opt $child:ty) => {
        impl $name {
            /// Appends a child.
            #[must_use]
            pub fn child(mut self, child: impl Into<$child>) -> Self {
                self.children.get_or_insert_with(Vec::new).push(child.into());
                self
            }

            /// Appends children.
            #[must_use]
            pub fn children<I: IntoIterator<Item = C>, C: Into<$child>>(mut self, children: I) -> Self {
                self.children.get_or_insert_with(Vec::new).extend(children.into_iter().map(Into::into));
                self
            }
        }
    };
}

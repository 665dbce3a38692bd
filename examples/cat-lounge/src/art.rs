//! Pictures of the cats: one description of a cat's face as shapes (one per coat, and one for a
//! cat not yet named), written out as SVG for the page and rasterised by
//! [`picture`](crate::picture) for the offline model's generated images.

use std::fmt::Write as _;

use crate::state::ColorPattern;

/// A colour, `0xRRGGBB`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Rgb(pub(crate) u32);

impl Rgb {
    /// The red, green and blue bytes.
    pub(crate) fn bytes(self) -> [u8; 3] {
        let [_, r, g, b] = self.0.to_be_bytes();
        [r, g, b]
    }

    /// This colour laid over `under` with `opacity` (0–1).
    pub(crate) fn over(self, under: Rgb, opacity: f32) -> Rgb {
        let mix = |top: u8, bottom: u8| (f32::from(top) * opacity + f32::from(bottom) * (1.0 - opacity)).round() as u32;
        let ([r, g, b], [ur, ug, ub]) = (self.bytes(), under.bytes());
        Rgb(mix(r, ur) << 16 | mix(g, ug) << 8 | mix(b, ub))
    }
}

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:06x}", self.0)
    }
}

/// A shape's outline, in the drawing's units.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Shape {
    Ellipse { cx: f32, cy: f32, rx: f32, ry: f32 },
    /// A closed polygon.
    Polygon(Vec<(f32, f32)>),
    /// An open line through the points, stroked with round ends.
    Line(Vec<(f32, f32)>),
}

impl Shape {
    /// The shape scaled by `scale`, then moved by `(dx, dy)`.
    pub(crate) fn placed(&self, scale: f32, dx: f32, dy: f32) -> Shape {
        let point = |&(x, y): &(f32, f32)| (x * scale + dx, y * scale + dy);
        match self {
            Shape::Ellipse { cx, cy, rx, ry } => Shape::Ellipse { cx: cx * scale + dx, cy: cy * scale + dy, rx: rx * scale, ry: ry * scale },
            Shape::Polygon(points) => Shape::Polygon(points.iter().map(point).collect()),
            Shape::Line(points) => Shape::Line(points.iter().map(point).collect()),
        }
    }
}

/// A shape and how it is painted.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Part {
    pub(crate) shape: Shape,
    pub(crate) fill: Option<Rgb>,
    /// Outline colour and width (centred on the edge, as in SVG).
    pub(crate) stroke: Option<(Rgb, f32)>,
    /// Opacity of the fill (1: opaque).
    pub(crate) opacity: f32,
    /// When the part appears in a picture drawn step by step (0: first).
    pub(crate) step: u8,
}

impl Part {
    fn filled(shape: Shape, fill: Rgb, step: u8) -> Self {
        Self { shape, fill: Some(fill), stroke: None, opacity: 1.0, step }
    }

    fn outlined(shape: Shape, fill: Rgb, outline: Rgb, width: f32, step: u8) -> Self {
        Self { stroke: Some((outline, width)), ..Self::filled(shape, fill, step) }
    }

    fn line(points: Vec<(f32, f32)>, colour: Rgb, width: f32, step: u8) -> Self {
        Self { shape: Shape::Line(points), fill: None, stroke: Some((colour, width)), opacity: 1.0, step }
    }

    /// The part scaled by `scale`, then moved by `(dx, dy)`.
    pub(crate) fn placed(&self, scale: f32, dx: f32, dy: f32) -> Part {
        Part {
            shape: self.shape.placed(scale, dx, dy),
            stroke: self.stroke.map(|(colour, width)| (colour, width * scale)),
            ..self.clone()
        }
    }

    /// The part as an SVG element.
    fn svg(&self) -> String {
        let points = |points: &[(f32, f32)]| points.iter().map(|(x, y)| format!("{x} {y}")).collect::<Vec<_>>().join("L");
        let mut element = match &self.shape {
            Shape::Ellipse { cx, cy, rx, ry } => format!(r#"<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}""#),
            Shape::Polygon(p) => format!(r#"<path d="M{}Z""#, points(p)),
            Shape::Line(p) => format!(r#"<path d="M{}""#, points(p)),
        };
        let _ = match self.fill {
            Some(fill) => write!(element, r#" fill="{fill}""#),
            None => write!(element, r#" fill="none""#),
        };
        if self.opacity < 1.0 {
            let _ = write!(element, r#" opacity="{}""#, self.opacity);
        }
        if let Some((colour, width)) = self.stroke {
            let join = if matches!(self.shape, Shape::Line(_)) { r#" stroke-linecap="round""# } else { r#" stroke-linejoin="round""# };
            let _ = write!(element, r#" stroke="{colour}" stroke-width="{width}"{join}"#);
        }
        element + "/>"
    }
}

/// The colours and markings of one coat.
pub(crate) struct Coat {
    pub(crate) fur: Rgb,
    pub(crate) outline: Rgb,
    inner_ear: Rgb,
    left_eye: Rgb,
    right_eye: Rgb,
    /// The colour of the ears (and tail), when it differs from the fur.
    pub(crate) ears: Option<Rgb>,
    /// Spots, stripes or a mask, drawn over the head.
    markings: Vec<Part>,
}

/// Markings appear with the inner ears, the second step of a picture drawn step by step.
const MARKINGS: u8 = 1;

pub(crate) fn coat(pattern: Option<ColorPattern>) -> Coat {
    let spot = |cx, cy, rx, ry, colour| Part::filled(Shape::Ellipse { cx, cy, rx, ry }, colour, MARKINGS);
    match pattern {
        Some(ColorPattern::Black) => Coat {
            fur: Rgb(0x2d2d33),
            outline: Rgb(0x17171b),
            inner_ear: Rgb(0x4a4a52),
            left_eye: Rgb(0xf2e27d),
            right_eye: Rgb(0xf2e27d),
            ears: None,
            markings: Vec::new(),
        },
        Some(ColorPattern::Calico) => Coat {
            fur: Rgb(0xfbf3e4),
            outline: Rgb(0xd8cbb5),
            inner_ear: Rgb(0xf4b6b6),
            left_eye: Rgb(0xa8d5a2),
            right_eye: Rgb(0xa8d5a2),
            ears: None,
            markings: vec![spot(68.0, 84.0, 30.0, 22.0, Rgb(0xe08a3c)), spot(138.0, 96.0, 22.0, 17.0, Rgb(0x2f2f35))],
        },
        Some(ColorPattern::Colorpoint) => Coat {
            fur: Rgb(0xf3e6d0),
            outline: Rgb(0xcdb89a),
            inner_ear: Rgb(0xc9a38a),
            left_eye: Rgb(0x7fb6ea),
            right_eye: Rgb(0x7fb6ea),
            ears: Some(Rgb(0x7b5b45)),
            markings: vec![Part { opacity: 0.55, ..spot(100.0, 124.0, 38.0, 30.0, Rgb(0x7b5b45)) }],
        },
        Some(ColorPattern::Tabby) => {
            let stripe = |from, to| Part::line(vec![from, to], Rgb(0xb4621f), 6.0, MARKINGS);
            Coat {
                fur: Rgb(0xe9973f),
                outline: Rgb(0xb4621f),
                inner_ear: Rgb(0xf4b6b6),
                left_eye: Rgb(0x9bc45a),
                right_eye: Rgb(0x9bc45a),
                ears: None,
                markings: vec![
                    stripe((100.0, 56.0), (100.0, 78.0)),
                    stripe((82.0, 60.0), (88.0, 78.0)),
                    stripe((118.0, 60.0), (112.0, 78.0)),
                    stripe((38.0, 112.0), (54.0, 112.0)),
                    stripe((146.0, 112.0), (162.0, 112.0)),
                ],
            }
        }
        Some(ColorPattern::White) => Coat {
            fur: Rgb(0xffffff),
            outline: Rgb(0xd0d4da),
            inner_ear: Rgb(0xf7b6c2),
            left_eye: Rgb(0x7fb6ea),
            right_eye: Rgb(0xf2d45c),
            ears: None,
            markings: Vec::new(),
        },
        None => Coat {
            fur: Rgb(0xcbd2db),
            outline: Rgb(0x9aa4b1),
            inner_ear: Rgb(0xb3bcc7),
            left_eye: Rgb(0xffffff),
            right_eye: Rgb(0xffffff),
            ears: None,
            markings: Vec::new(),
        },
    }
}

/// Points along the quadratic curve from `from` through control point `via` to `to`.
fn curve(from: (f32, f32), via: (f32, f32), to: (f32, f32)) -> Vec<(f32, f32)> {
    (0..=6u8)
        .map(|i| {
            let t = f32::from(i) / 6.0;
            let at = |a: f32, b: f32, c: f32| (1.0 - t) * (1.0 - t) * a + 2.0 * (1.0 - t) * t * b + t * t * c;
            (at(from.0, via.0, to.0), at(from.1, via.1, to.1))
        })
        .collect()
}

/// The face of a cat with this coat, in a 200×200 space, back to front. Its steps: 0 the head
/// and ears, 1 the inner ears and markings, 2 the eyes, 3 the pupils, nose, mouth and whiskers.
pub(crate) fn face(coat: &Coat) -> Vec<Part> {
    let ellipse = |cx, cy, rx, ry| Shape::Ellipse { cx, cy, rx, ry };
    let polygon = |points: &[(f32, f32)]| Shape::Polygon(points.to_vec());
    let ears = coat.ears.unwrap_or(coat.fur);
    let pupil = Rgb(0x1d1d22);
    let mouth = Rgb(0x5b4a4a);
    let whisker = Rgb(0x8a8f98);
    let mut parts = vec![
        Part::outlined(polygon(&[(40.0, 92.0), (56.0, 22.0), (98.0, 62.0)]), ears, coat.outline, 3.0, 0),
        Part::outlined(polygon(&[(160.0, 92.0), (144.0, 22.0), (102.0, 62.0)]), ears, coat.outline, 3.0, 0),
        Part::filled(polygon(&[(55.0, 76.0), (62.0, 40.0), (84.0, 62.0)]), coat.inner_ear, 1),
        Part::filled(polygon(&[(145.0, 76.0), (138.0, 40.0), (116.0, 62.0)]), coat.inner_ear, 1),
        Part::outlined(ellipse(100.0, 112.0, 68.0, 60.0), coat.fur, coat.outline, 3.0, 0),
    ];
    parts.extend(coat.markings.iter().cloned());
    parts.extend([
        Part::outlined(ellipse(74.0, 106.0, 12.0, 14.0), coat.left_eye, coat.outline, 2.0, 2),
        Part::outlined(ellipse(126.0, 106.0, 12.0, 14.0), coat.right_eye, coat.outline, 2.0, 2),
        Part::filled(ellipse(74.0, 107.0, 3.5, 10.0), pupil, 3),
        Part::filled(ellipse(126.0, 107.0, 3.5, 10.0), pupil, 3),
        Part::filled(polygon(&[(93.0, 130.0), (107.0, 130.0), (100.0, 138.0)]), Rgb(0xe58a9a), 3),
        Part::line(curve((100.0, 138.0), (94.0, 147.0), (86.0, 143.0)), mouth, 2.5, 3),
        Part::line(curve((100.0, 138.0), (106.0, 147.0), (114.0, 143.0)), mouth, 2.5, 3),
        Part::line(vec![(80.0, 134.0), (40.0, 128.0)], whisker, 2.0, 3),
        Part::line(vec![(80.0, 140.0), (42.0, 146.0)], whisker, 2.0, 3),
        Part::line(vec![(120.0, 134.0), (160.0, 128.0)], whisker, 2.0, 3),
        Part::line(vec![(120.0, 140.0), (158.0, 146.0)], whisker, 2.0, 3),
    ]);
    parts
}

/// The picture of a cat with this coat (`None`: a cat not yet named, whose coat is a mystery).
///
/// ```
/// use cat_lounge::{ColorPattern, cat_svg};
/// let svg = cat_svg(Some(ColorPattern::Tabby));
/// assert!(svg.starts_with("<svg") && svg.contains("#e9973f"));
/// assert!(cat_svg(None).contains(">?</text>"));
/// ```
pub fn cat_svg(pattern: Option<ColorPattern>) -> String {
    let label = pattern.map_or("A cat whose coat is still a mystery", ColorPattern::description);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200" role="img" aria-label="{label}">"#
    );
    svg.push('\n');
    let parts = face(&coat(pattern));
    // The mystery cat's question mark goes over the head, under the eyes (the first part of
    // step 2).
    let eyes = parts.iter().position(|part| part.step == 2);
    for (index, part) in parts.iter().enumerate() {
        if pattern.is_none() && Some(index) == eyes {
            svg.push_str(r##"<text x="100" y="82" font-family="sans-serif" font-size="34" font-weight="700" fill="#7d8794" text-anchor="middle">?</text>"##);
            svg.push('\n');
        }
        svg.push_str(&part.svg());
        svg.push('\n');
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_is_written_out_once_in_the_svg() {
        for pattern in ColorPattern::ALL.map(Some).into_iter().chain([None]) {
            let svg = cat_svg(pattern);
            let parts = face(&coat(pattern)).len();
            assert_eq!(svg.matches("<ellipse").count() + svg.matches("<path").count(), parts, "{svg}");
            assert!(svg.trim_end().ends_with("</svg>"));
        }
        let colorpoint = cat_svg(Some(ColorPattern::Colorpoint));
        assert!(colorpoint.contains(r##"fill="#7b5b45" opacity="0.55""##), "{colorpoint}");
        assert!(cat_svg(Some(ColorPattern::Tabby)).contains(r##"<path d="M100 56L100 78" fill="none" stroke="#b4621f" stroke-width="6" stroke-linecap="round"/>"##));
    }

    #[test]
    fn colours_mix_by_opacity() {
        assert_eq!(Rgb(0x000000).over(Rgb(0xffffff), 0.5), Rgb(0x808080));
        assert_eq!(Rgb(0x123456).over(Rgb(0xabcdef), 1.0), Rgb(0x123456));
        assert_eq!(Rgb(0x0a0b0c).to_string(), "#0a0b0c");
    }
}

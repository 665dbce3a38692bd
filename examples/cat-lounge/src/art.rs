//! Pictures of the cats, drawn as SVG (one per coat, and one for a cat not yet named).

use crate::state::ColorPattern;

/// The colours of one coat.
struct Coat {
    fur: &'static str,
    outline: &'static str,
    inner_ear: &'static str,
    left_eye: &'static str,
    right_eye: &'static str,
    /// Extra shapes drawn over the head (spots, stripes, a mask).
    markings: &'static str,
    /// The ears' colour, when it differs from the fur.
    ears: Option<&'static str>,
}

fn coat(pattern: Option<ColorPattern>) -> Coat {
    match pattern {
        Some(ColorPattern::Black) => Coat {
            fur: "#2d2d33",
            outline: "#17171b",
            inner_ear: "#4a4a52",
            left_eye: "#f2e27d",
            right_eye: "#f2e27d",
            markings: "",
            ears: None,
        },
        Some(ColorPattern::Calico) => Coat {
            fur: "#fbf3e4",
            outline: "#d8cbb5",
            inner_ear: "#f4b6b6",
            left_eye: "#a8d5a2",
            right_eye: "#a8d5a2",
            markings: r##"<ellipse cx="68" cy="84" rx="30" ry="22" fill="#e08a3c"/><ellipse cx="138" cy="96" rx="22" ry="17" fill="#2f2f35"/>"##,
            ears: None,
        },
        Some(ColorPattern::Colorpoint) => Coat {
            fur: "#f3e6d0",
            outline: "#cdb89a",
            inner_ear: "#c9a38a",
            left_eye: "#7fb6ea",
            right_eye: "#7fb6ea",
            markings: r##"<ellipse cx="100" cy="124" rx="38" ry="30" fill="#7b5b45" opacity="0.55"/>"##,
            ears: Some("#7b5b45"),
        },
        Some(ColorPattern::Tabby) => Coat {
            fur: "#e9973f",
            outline: "#b4621f",
            inner_ear: "#f4b6b6",
            left_eye: "#9bc45a",
            right_eye: "#9bc45a",
            markings: r##"<g stroke="#b4621f" stroke-width="6" stroke-linecap="round" fill="none"><path d="M100 56v22"/><path d="M82 60l6 18"/><path d="M118 60l-6 18"/><path d="M38 112h16"/><path d="M146 112h16"/></g>"##,
            ears: None,
        },
        Some(ColorPattern::White) => Coat {
            fur: "#ffffff",
            outline: "#d0d4da",
            inner_ear: "#f7b6c2",
            left_eye: "#7fb6ea",
            right_eye: "#f2d45c",
            markings: "",
            ears: None,
        },
        None => Coat {
            fur: "#cbd2db",
            outline: "#9aa4b1",
            inner_ear: "#b3bcc7",
            left_eye: "#ffffff",
            right_eye: "#ffffff",
            markings: r##"<text x="100" y="82" font-family="sans-serif" font-size="34" font-weight="700" fill="#7d8794" text-anchor="middle">?</text>"##,
            ears: None,
        },
    }
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
    let Coat { fur, outline, inner_ear, left_eye, right_eye, markings, ears } = coat(pattern);
    let ears = ears.unwrap_or(fur);
    let label = pattern.map_or("A cat whose coat is still a mystery", ColorPattern::description);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200" role="img" aria-label="{label}">
<path d="M40 92L56 22L98 62Z" fill="{ears}" stroke="{outline}" stroke-width="3" stroke-linejoin="round"/>
<path d="M160 92L144 22L102 62Z" fill="{ears}" stroke="{outline}" stroke-width="3" stroke-linejoin="round"/>
<path d="M55 76L62 40L84 62Z" fill="{inner_ear}"/><path d="M145 76L138 40L116 62Z" fill="{inner_ear}"/>
<ellipse cx="100" cy="112" rx="68" ry="60" fill="{fur}" stroke="{outline}" stroke-width="3"/>
{markings}
<ellipse cx="74" cy="106" rx="12" ry="14" fill="{left_eye}" stroke="{outline}" stroke-width="2"/>
<ellipse cx="126" cy="106" rx="12" ry="14" fill="{right_eye}" stroke="{outline}" stroke-width="2"/>
<ellipse cx="74" cy="107" rx="3.5" ry="10" fill="#1d1d22"/><ellipse cx="126" cy="107" rx="3.5" ry="10" fill="#1d1d22"/>
<path d="M93 130h14l-7 8Z" fill="#e58a9a"/>
<path d="M100 138q-6 9-14 5M100 138q6 9 14 5" fill="none" stroke="#5b4a4a" stroke-width="2.5" stroke-linecap="round"/>
<g stroke="#8a8f98" stroke-width="2" stroke-linecap="round"><path d="M80 134L40 128"/><path d="M80 140L42 146"/><path d="M120 134L160 128"/><path d="M120 140L158 146"/></g>
</svg>
"##
    )
}

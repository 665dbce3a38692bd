//! The offline model's generated pictures: the cat sitting on a rug at home, drawn from the
//! shapes of [`art`](crate::art), rasterised and encoded as PNG (palette, stored deflate).

use crate::art::{Part, Rgb, Shape, coat, face};
use crate::state::ColorPattern;

/// Width and height of a picture, in pixels.
pub const PICTURE_SIZE: u32 = 256;

/// The steps a picture is drawn in: the partial images show steps `0..PICTURE_STEPS - 1`
/// (the room, the head and ears; then the inner ears, markings and tail; then the eyes), the
/// final image all of them (with the pupils, nose, mouth and whiskers).
pub const PICTURE_STEPS: u8 = 4;

/// The cat of this coat at home, drawn up to `step` (0 to [`PICTURE_STEPS`]` - 1`, the
/// finished picture), as a PNG file.
///
/// ```
/// use cat_lounge::{ColorPattern, PICTURE_STEPS, cat_png};
/// let png = cat_png(ColorPattern::Calico, PICTURE_STEPS - 1);
/// assert_eq!(png[..8], [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n']);
/// assert_ne!(png, cat_png(ColorPattern::Calico, 0), "a partial picture is not the finished one");
/// ```
pub fn cat_png(pattern: ColorPattern, step: u8) -> Vec<u8> {
    png(PICTURE_SIZE, PICTURE_SIZE, &rasterise(&scene(pattern), PICTURE_SIZE, step))
}

/// The room and the cat, back to front, in picture pixels.
fn scene(pattern: ColorPattern) -> Vec<Part> {
    let coat = coat(Some(pattern));
    let rect = |x0: f32, y0: f32, x1: f32, y1: f32| Shape::Polygon(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]);
    let paint = |shape, fill: Option<Rgb>, stroke: Option<(Rgb, f32)>, step| Part { shape, fill, stroke, opacity: 1.0, step };
    let line = |points: Vec<(f32, f32)>, colour, width, step| paint(Shape::Line(points), None, Some((colour, width)), step);
    let size = PICTURE_SIZE as f32;
    let (frame, board) = (Rgb(0xfdfaf3), Rgb(0xa06f40));
    let tail = vec![(186.0, 238.0), (222.0, 232.0), (236.0, 206.0), (226.0, 180.0)];
    let mut parts = vec![
        // The wall, the floor and its boards, a window with a view of the sky.
        paint(rect(0.0, 0.0, size, size), Some(Rgb(0xf3e3c8)), None, 0),
        paint(rect(0.0, 196.0, size, size), Some(Rgb(0xb98552)), None, 0),
        line(vec![(0.0, 218.0), (size, 218.0)], board, 2.0, 0),
        line(vec![(0.0, 242.0), (size, 242.0)], board, 2.0, 0),
        paint(rect(12.0, 22.0, 74.0, 102.0), Some(Rgb(0x9fd3f2)), Some((frame, 6.0)), 0),
        line(vec![(43.0, 22.0), (43.0, 102.0)], frame, 4.0, 0),
        line(vec![(12.0, 62.0), (74.0, 62.0)], frame, 4.0, 0),
        // The rug, the body and the tail behind the head.
        paint(Shape::Ellipse { cx: 128.0, cy: 236.0, rx: 116.0, ry: 18.0 }, Some(Rgb(0xc4574f)), None, 0),
        line(tail.clone(), coat.outline, 18.0, 1),
        line(tail, coat.ears.unwrap_or(coat.fur), 12.0, 1),
        paint(Shape::Ellipse { cx: 128.0, cy: 232.0, rx: 66.0, ry: 48.0 }, Some(coat.fur), Some((coat.outline, 3.0)), 0),
    ];
    parts.extend(face(&coat).iter().map(|part| part.placed(1.0, 28.0, 20.0)));
    parts
}

/// The parts up to `step`, painted on a `size`×`size` canvas (row by row).
fn rasterise(parts: &[Part], size: u32, step: u8) -> Vec<Rgb> {
    let parts: Vec<&Part> = parts.iter().filter(|part| part.step <= step).collect();
    let mut pixels = Vec::with_capacity((size * size) as usize);
    for y in 0..size {
        for x in 0..size {
            let point = (x as f32 + 0.5, y as f32 + 0.5);
            let mut colour = Rgb(0xffffff);
            for part in &parts {
                if let Some(fill) = part.fill
                    && inside(&part.shape, point, 0.0)
                {
                    colour = fill.over(colour, part.opacity);
                }
                if let Some((stroke, width)) = part.stroke
                    && on_edge(&part.shape, point, width / 2.0)
                {
                    colour = stroke;
                }
            }
            pixels.push(colour);
        }
    }
    pixels
}

/// Whether `point` is inside the shape grown by `grow` (negative: shrunk; ellipses only).
fn inside(shape: &Shape, (x, y): (f32, f32), grow: f32) -> bool {
    match shape {
        Shape::Ellipse { cx, cy, rx, ry } => {
            let (rx, ry) = (rx + grow, ry + grow);
            rx > 0.0 && ry > 0.0 && ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2) <= 1.0
        }
        Shape::Polygon(points) => {
            // Even-odd rule: count the edges a ray to the right crosses.
            let edges = points.iter().zip(points.iter().cycle().skip(1));
            edges.filter(|((x0, y0), (x1, y1))| (*y0 > y) != (*y1 > y) && x < x0 + (y - y0) * (x1 - x0) / (y1 - y0)).count() % 2 == 1
        }
        Shape::Line(_) => false,
    }
}

/// Whether `point` is within `half_width` of the shape's outline.
fn on_edge(shape: &Shape, point: (f32, f32), half_width: f32) -> bool {
    let near = |points: &[(f32, f32)], closed: bool| {
        let ends = points.iter().skip(1).chain(points.first().filter(|_| closed));
        points.iter().zip(ends).any(|(a, b)| distance_to_segment(point, *a, *b) <= half_width)
    };
    match shape {
        Shape::Ellipse { .. } => inside(shape, point, half_width) && !inside(shape, point, -half_width),
        Shape::Polygon(points) => near(points, true),
        Shape::Line(points) => near(points, false),
    }
}

fn distance_to_segment((px, py): (f32, f32), (ax, ay): (f32, f32), (bx, by): (f32, f32)) -> f32 {
    let (dx, dy) = (bx - ax, by - ay);
    let length = dx * dx + dy * dy;
    let t = if length == 0.0 { 0.0 } else { (((px - ax) * dx + (py - ay) * dy) / length).clamp(0.0, 1.0) };
    ((px - ax - t * dx).powi(2) + (py - ay - t * dy).powi(2)).sqrt()
}

/// A PNG file of these pixels (row by row): indexed colour (4 or 8 bits a pixel) when they
/// have at most 256 colours, else RGB; the image data zlib-wrapped in stored deflate blocks.
fn png(width: u32, height: u32, pixels: &[Rgb]) -> Vec<u8> {
    let mut palette: Vec<Rgb> = Vec::new();
    for pixel in pixels {
        if palette.len() <= 256 && !palette.contains(pixel) {
            palette.push(*pixel);
        }
    }
    let depth: u8 = match palette.len() {
        0..=16 => 4,
        17..=256 => 8,
        _ => 0,
    };
    let index = |pixel: &Rgb| palette.iter().position(|p| p == pixel).unwrap_or(0) as u8;
    let mut raw = Vec::new();
    for row in pixels.chunks(width as usize) {
        raw.push(0); // filter: none
        match depth {
            4 => raw.extend(row.chunks(2).map(|pair| index(&pair[0]) << 4 | pair.get(1).map_or(0, index))),
            8 => raw.extend(row.iter().map(index)),
            _ => raw.extend(row.iter().flat_map(|pixel| pixel.bytes())),
        }
    }
    let mut header = Vec::with_capacity(13);
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    // Bit depth, colour type (3: indexed, 2: RGB), compression, filter, interlace.
    header.extend(if depth == 0 { [8, 2, 0, 0, 0] } else { [depth, 3, 0, 0, 0] });
    let mut file = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    chunk(&mut file, b"IHDR", &header);
    if depth != 0 {
        chunk(&mut file, b"PLTE", &palette.iter().flat_map(|colour| colour.bytes()).collect::<Vec<_>>());
    }
    chunk(&mut file, b"IDAT", &zlib_stored(&raw));
    chunk(&mut file, b"IEND", &[]);
    file
}

/// Appends a PNG chunk: length, type, data, CRC of type and data.
fn chunk(file: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    file.extend((data.len() as u32).to_be_bytes());
    let start = file.len();
    file.extend(kind);
    file.extend(data);
    let crc = crc32(&file[start..]);
    file.extend(crc.to_be_bytes());
}

/// A zlib stream of `data` in stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = if data.is_empty() { vec![data] } else { data.chunks(usize::from(u16::MAX)).collect() };
    let last = blocks.len() - 1;
    for (i, block) in blocks.into_iter().enumerate() {
        out.push(u8::from(i == last));
        let len = block.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend(block);
    }
    out.extend(adler32(data).to_be_bytes());
    out
}

/// CRC-32 (ISO-HDLC, the one of PNG and zlib).
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(u32::MAX, |crc, &byte| {
        (0..8).fold(crc ^ u32::from(byte), |crc, _| if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 })
    })
}

fn adler32(bytes: &[u8]) -> u32 {
    let (a, b) = bytes.iter().fold((1u32, 0u32), |(a, b), &byte| {
        let a = (a + u32::from(byte)) % 65_521;
        (a, (b + a) % 65_521)
    });
    b << 16 | a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pixels of a PNG file this module wrote, checking its structure on the way: the
    /// chunks' CRCs, the stored blocks, the zlib checksum.
    fn decode(file: &[u8]) -> (u32, u32, Vec<Rgb>) {
        assert_eq!(file[..8], [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n']);
        let mut rest = &file[8..];
        let (mut header, mut palette, mut zlib, mut kinds) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        while !rest.is_empty() {
            let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
            let (kind, data) = (&rest[4..8], &rest[8..8 + len]);
            assert_eq!(crc32(&rest[4..8 + len]).to_be_bytes(), rest[8 + len..12 + len], "CRC of {kind:?}");
            match kind {
                b"IHDR" => header = data.to_vec(),
                b"PLTE" => palette = data.chunks(3).map(|c| Rgb(u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]))).collect(),
                b"IDAT" => zlib.extend(data),
                _ => {}
            }
            kinds.push(String::from_utf8(kind.to_vec()).unwrap());
            rest = &rest[12 + len..];
        }
        assert_eq!(kinds.first().map(String::as_str), Some("IHDR"));
        assert_eq!(kinds.last().map(String::as_str), Some("IEND"));
        let (width, height) = (u32::from_be_bytes(header[..4].try_into().unwrap()), u32::from_be_bytes(header[4..8].try_into().unwrap()));
        let (depth, colour_type) = (header[8], header[9]);
        assert_eq!(((zlib[0] as u16) << 8 | zlib[1] as u16) % 31, 0, "zlib header check");
        let mut raw = Vec::new();
        let mut at = 2;
        loop {
            let last = zlib[at] & 1 == 1;
            assert_eq!(zlib[at] >> 1, 0u8, "a stored block");
            let len = u16::from_le_bytes([zlib[at + 1], zlib[at + 2]]);
            assert_eq!(!len, u16::from_le_bytes([zlib[at + 3], zlib[at + 4]]));
            raw.extend(&zlib[at + 5..at + 5 + usize::from(len)]);
            at += 5 + usize::from(len);
            if last {
                break;
            }
        }
        assert_eq!(zlib[at..], adler32(&raw).to_be_bytes());
        let row_bytes = match (colour_type, depth) {
            (3, 4) => width.div_ceil(2),
            (3, 8) => width,
            (2, 8) => width * 3,
            other => panic!("unexpected colour type and depth {other:?}"),
        } as usize;
        assert_eq!(raw.len(), (row_bytes + 1) * height as usize);
        let mut pixels = Vec::new();
        for row in raw.chunks(row_bytes + 1) {
            assert_eq!(row[0], 0, "filter none");
            let data = &row[1..];
            let row_pixels: Vec<Rgb> = match (colour_type, depth) {
                (3, 4) => data.iter().flat_map(|b| [b >> 4, b & 15]).take(width as usize).map(|i| palette[usize::from(i)]).collect(),
                (3, _) => data.iter().map(|&i| palette[usize::from(i)]).collect(),
                _ => data.chunks(3).map(|c| Rgb(u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]))).collect(),
            };
            pixels.extend(row_pixels);
        }
        (width, height, pixels)
    }

    #[test]
    fn checksums_match_their_standard_check_values() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn pixels_survive_encoding_in_every_colour_mode() {
        let few: Vec<Rgb> = (0..15u32).map(|i| Rgb(i * 0x10_1010)).collect();
        let many: Vec<Rgb> = (0..200u32).map(|i| Rgb(i * 0x01_0203)).collect();
        let all: Vec<Rgb> = (0..300u32).map(|i| Rgb(i * 0x00_0107)).collect();
        for (width, pixels) in [(5, few), (20, many), (30, all)] {
            let height = pixels.len() as u32 / width;
            assert_eq!(decode(&png(width, height, &pixels)), (width, height, pixels));
        }
        // More than one stored block.
        let big: Vec<Rgb> = (0..300u32 * 300).map(|i| Rgb(i % 7 * 0x22_0000)).collect();
        assert_eq!(decode(&png(300, 300, &big)), (300, 300, big));
    }

    #[test]
    fn the_picture_is_completed_step_by_step_in_the_coat_of_the_cat() {
        let pixel = |pixels: &[Rgb], (x, y): (u32, u32)| pixels[(y * PICTURE_SIZE + x) as usize];
        // Places in picture pixels: the face is drawn 28 right and 20 down of its own space.
        let (left_eye_white, left_pupil, inner_ear, wall) = ((28 + 80, 20 + 106), (28 + 74, 20 + 107), (28 + 64, 20 + 52), (128, 8));
        for pattern in ColorPattern::ALL {
            let coat = coat(Some(pattern));
            let steps: Vec<Vec<Rgb>> = (0..PICTURE_STEPS).map(|step| decode(&cat_png(pattern, step)).2).collect();
            assert!(steps.iter().all(|pixels| pixels.len() == (PICTURE_SIZE * PICTURE_SIZE) as usize));
            assert!(steps.windows(2).all(|pair| pair[0] != pair[1]), "each step adds to the picture ({pattern:?})");
            assert!(steps.iter().all(|pixels| pixel(pixels, wall) == Rgb(0xf3e3c8)), "the room is there from the start");
            let ears = if pattern == ColorPattern::Colorpoint { Rgb(0x7b5b45) } else { coat.fur };
            assert_eq!(pixel(&steps[0], inner_ear), ears, "{pattern:?}");
            assert_ne!(pixel(&steps[1], inner_ear), ears, "{pattern:?}: the inner ear is drawn at step 1");
            let head = pixel(&steps[1], left_eye_white);
            assert_ne!(pixel(&steps[2], left_eye_white), head, "{pattern:?}: the eyes are drawn at step 2");
            assert_eq!(pixel(&steps[2], left_pupil), pixel(&steps[2], left_eye_white));
            assert_eq!(pixel(&steps[3], left_pupil), Rgb(0x1d1d22), "{pattern:?}: the pupils are drawn last");
        }
        let calico = decode(&cat_png(ColorPattern::Calico, 1)).2;
        assert_eq!(pixel(&calico, (28 + 68, 20 + 84)), Rgb(0xe08a3c), "the calico's orange spot");
    }
}

//! Links that reopen a view: the page's query says which project to open and how (`?project=…&mode=explore`),
//! its hash says what to look at (`#v=x,y,span&way=2&cluster=5&f=3:a|b&q=word`).
//!
//! Kept apart from the components and free of the DOM, so the encoding is tested natively: a shared link is a
//! promise that the same screen comes back, and a hash written by one version must be read by the next. Unknown
//! or malformed hash parts are skipped rather than refused, so a damaged link still opens the project.

use std::collections::{BTreeMap, BTreeSet};

use vejkort_engine::project::{Framing, SavedView};
use vejkort_render::camera::Viewport;
use vejkort_render::Camera;

/// What the page's query asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageRequest {
    /// `?project=`: a project file to open, as written in the link (percent-decoded).
    pub project: Option<String>,
    /// `?mode=explore` or `?readonly`: the read-only explorer, without editing controls.
    pub explore: bool,
    /// `?mode=present`: start in presenter mode.
    pub present: bool,
}

/// Why a `?project=` link cannot be followed, before anything is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// The project is on another site: the page's security policy (`connect-src 'self'`) lets it fetch only
    /// from its own origin, so nothing on another site is ever contacted.
    CrossOrigin { origin: String },
    /// A scheme other than http(s) (`data:`, `file:`, `javascript:`).
    Scheme { scheme: String },
    /// `?project=` was given without a path.
    Empty,
    /// The server answered but not with the file (`HTTP 404`), or the fetch failed.
    Fetch { detail: String },
    /// The file arrived but is not a Vejkort project (an HTML error page, a CSV).
    NotAProject,
}

/// Decodes `%XX` escapes (UTF-8) and, as forms write them, `+` as a space; malformed escapes stay as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but unreserved characters, so values may hold the hash's own separators (`&=:|;,`).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `key=value` pairs of a query or hash (leading `?` or `#` ignored), decoded; a bare `key` has an empty value.
fn pairs(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    text.trim_start_matches(['?', '#']).split('&').filter(|part| !part.is_empty()).map(|part| {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        (percent_decode(key), value.to_owned())
    })
}

impl PageRequest {
    /// Reads `location.search`.
    pub fn parse(search: &str) -> PageRequest {
        let mut request = PageRequest::default();
        for (key, value) in pairs(search) {
            match key.as_str() {
                "project" => request.project = Some(percent_decode(&value)),
                "mode" => match percent_decode(&value).as_str() {
                    "explore" | "readonly" | "read-only" => request.explore = true,
                    "present" => request.present = true,
                    _ => {}
                },
                "readonly" | "explore" => request.explore = !matches!(value.as_str(), "0" | "false" | "no"),
                _ => {}
            }
        }
        request
    }
}

/// Checks a `?project=` target against the page's origin (`http://host:port`): relative paths and URLs of
/// the same origin pass (as written); anything else is refused before a request is made.
pub fn project_target(target: &str, origin: &str) -> Result<String, LinkProblem> {
    let target = target.trim();
    if target.is_empty() {
        return Err(LinkProblem::Empty);
    }
    let origin_of = |url: &str| -> String {
        let after_scheme = url.find("//").map_or(0, |at| at + 2);
        let end = url[after_scheme..].find(['/', '?', '#']).map_or(url.len(), |at| after_scheme + at);
        url[..end].to_ascii_lowercase()
    };
    if let Some(rest) = target.strip_prefix("//") {
        let scheme = origin.split("//").next().unwrap_or("http:");
        return project_target(&format!("{scheme}//{rest}"), origin);
    }
    // A scheme is letters (and + - .) before the first ':' that comes before any '/', '?' or '#'.
    let scheme = target.find(':').filter(|&at| {
        !target[..at].is_empty()
            && target[..at].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !target[..at].contains(['/', '?', '#'])
    });
    match scheme.map(|at| target[..at].to_ascii_lowercase()) {
        None => Ok(target.to_owned()),
        Some(scheme) if scheme == "http" || scheme == "https" => {
            let theirs = origin_of(target);
            if theirs == origin_of(origin) {
                Ok(target.to_owned())
            } else {
                Err(LinkProblem::CrossOrigin { origin: theirs })
            }
        }
        Some(scheme) => Err(LinkProblem::Scheme { scheme }),
    }
}

/// How many decimals a coordinate needs to place the view to a thousandth of what it shows.
fn decimals_for(span: f64) -> usize {
    let magnitude = if span > 0.0 && span.is_finite() { span.log10().floor() as i32 } else { 0 };
    (4 - magnitude).clamp(0, 9) as usize
}

/// `span` to four significant digits: enough to reframe the same statements, short enough to read.
fn round_span(span: f64) -> String {
    let magnitude = span.log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 12) as usize;
    trim_zeros(format!("{span:.decimals$}"))
}

fn trim_zeros(text: String) -> String {
    if !text.contains('.') {
        return text;
    }
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The hash (without `#`) that reopens `view`; empty for the whole map with nothing focused or filtered.
pub fn encode(view: &SavedView) -> String {
    let mut parts = Vec::new();
    if let Some(framing) = view.framing.filter(|f| f.span.is_finite() && f.span > 0.0) {
        let decimals = decimals_for(framing.span);
        let [x, y] = framing.centre;
        parts.push(format!(
            "v={},{},{}",
            trim_zeros(format!("{x:.decimals$}")),
            trim_zeros(format!("{y:.decimals$}")),
            round_span(framing.span)
        ));
    }
    if let Some(way) = view.focused_way {
        parts.push(format!("way={way}"));
    }
    if let Some(cluster) = view.focused_cluster {
        parts.push(format!("cluster={cluster}"));
    }
    let filters: Vec<String> = view
        .excluded
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(column, values)| {
            format!("{column}:{}", values.iter().map(|v| percent_encode(v)).collect::<Vec<_>>().join("|"))
        })
        .collect();
    if !filters.is_empty() {
        // The separators are escaped inside values, so they can be written bare here.
        parts.push(format!("f={}", filters.join(";")));
    }
    if !view.search.is_empty() {
        parts.push(format!("q={}", percent_encode(&view.search)));
    }
    parts.join("&")
}

/// Reads a hash written by [`encode`] (with or without `#`); parts it cannot read are left at their defaults.
pub fn decode(hash: &str) -> SavedView {
    let mut view = SavedView::default();
    for (key, value) in pairs(hash) {
        match key.as_str() {
            "v" => {
                let numbers: Vec<f64> = value.split(',').filter_map(|n| n.trim().parse().ok()).collect();
                if let [x, y, span] = numbers[..] {
                    if x.is_finite() && y.is_finite() && span.is_finite() && span > 0.0 {
                        view.framing = Some(Framing { centre: [x, y], span });
                    }
                }
            }
            "way" => view.focused_way = value.parse().ok(),
            "cluster" => view.focused_cluster = value.parse().ok(),
            "f" => view.excluded = decode_filters(&value),
            "q" => view.search = percent_decode(&value),
            _ => {}
        }
    }
    view
}

fn decode_filters(text: &str) -> BTreeMap<usize, BTreeSet<String>> {
    let mut excluded = BTreeMap::new();
    for column in text.split(';') {
        let Some((index, values)) = column.split_once(':') else { continue };
        let Ok(index) = index.parse::<usize>() else { continue };
        let values: BTreeSet<String> = values.split('|').map(percent_decode).collect();
        excluded.insert(index, values);
    }
    excluded
}

/// The framing a camera shows in a viewport.
pub fn framing_of(camera: Camera, view: Viewport) -> Framing {
    let side = view.width_px.min(view.height_px).max(1.0) as f64;
    Framing {
        centre: [camera.centre[0] as f64, camera.centre[1] as f64],
        span: side / camera.pixels_per_unit.max(f32::MIN_POSITIVE) as f64,
    }
}

/// The camera that shows a framing in a viewport.
pub fn camera_for(framing: Framing, view: Viewport) -> Camera {
    let side = view.width_px.min(view.height_px).max(1.0) as f64;
    Camera {
        centre: [framing.centre[0] as f32, framing.centre[1] as f32],
        pixels_per_unit: (side / framing.span.max(f64::MIN_POSITIVE)) as f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_view() -> SavedView {
        SavedView {
            framing: Some(Framing { centre: [3.25159, -12.5], span: 4.25 }),
            focused_way: Some(2),
            focused_cluster: Some(5),
            excluded: [
                (1, ["Løsning".to_owned(), "a|b;c:d&e=f".to_owned()].into_iter().collect()),
                (4, ["Aarhus Kommune".to_owned()].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
            search: "ældre & pleje #1".into(),
        }
    }

    #[test]
    fn everything_but_the_rounding_survives_a_round_trip() {
        let view = full_view();
        let hash = encode(&view);
        let back = decode(&format!("#{hash}"));
        assert_eq!(back.focused_way, view.focused_way);
        assert_eq!(back.focused_cluster, view.focused_cluster);
        assert_eq!(back.excluded, view.excluded);
        assert_eq!(back.search, view.search);
        let (sent, got) = (view.framing.unwrap(), back.framing.unwrap());
        // A thousandth of the view's span is far below a pixel on any screen.
        assert!((sent.centre[0] - got.centre[0]).abs() <= sent.span / 1000.0, "{sent:?} {got:?}");
        assert!((sent.centre[1] - got.centre[1]).abs() <= sent.span / 1000.0, "{sent:?} {got:?}");
        assert!((sent.span - got.span).abs() / sent.span < 1e-3, "{sent:?} {got:?}");
        // Encoding what was decoded gives the same hash: reopening a link does not drift.
        assert_eq!(encode(&back), hash);
    }

    #[test]
    fn the_hash_is_short_and_separators_inside_values_are_escaped() {
        let hash = encode(&full_view());
        assert!(hash.starts_with("v=3.2516,-12.5,4.25&way=2&cluster=5&f=1:"), "{hash}");
        assert!(!hash.contains(' ') && !hash.contains('#'), "{hash}");
        assert_eq!(hash.matches('&').count(), 4, "{hash}");
        assert_eq!(encode(&SavedView::default()), "");
    }

    #[test]
    fn decimals_follow_the_zoom() {
        let near =
            SavedView { framing: Some(Framing { centre: [1.0 / 3.0, 2.0], span: 0.0123456 }), ..Default::default() };
        assert_eq!(encode(&near), "v=0.333333,2,0.01235");
        let far = SavedView { framing: Some(Framing { centre: [1234.5678, 0.0], span: 9876.0 }), ..Default::default() };
        assert_eq!(encode(&far), "v=1234.6,0,9876");
    }

    #[test]
    fn damaged_parts_are_skipped_not_fatal() {
        let view = decode("#v=1,2&way=two&cluster=-1&f=x:1;3:a|b;nonsense&q=%ZZok&extra=1");
        assert_eq!(view.framing, None);
        assert_eq!(view.focused_way, None);
        assert_eq!(view.focused_cluster, Some(-1));
        assert_eq!(view.excluded.len(), 1);
        assert_eq!(view.excluded[&3], ["a".to_owned(), "b".to_owned()].into_iter().collect());
        assert_eq!(view.search, "%ZZok");
        assert_eq!(decode("#v=1,2,-4").framing, None);
        assert_eq!(decode("#v=1,2,NaN").framing, None);
        assert_eq!(decode(""), SavedView::default());
    }

    #[test]
    fn the_query_names_the_project_and_the_mode() {
        let request = PageRequest::parse("?project=published%2Fvelf%C3%A6rd.json&mode=explore");
        assert_eq!(request.project.as_deref(), Some("published/velfærd.json"));
        assert!(request.explore && !request.present);
        assert!(PageRequest::parse("?readonly&project=a.json").explore);
        assert!(!PageRequest::parse("?readonly=0").explore);
        assert!(PageRequest::parse("?mode=present").present);
        assert_eq!(PageRequest::parse("?labels=large"), PageRequest::default());
    }

    #[test]
    fn only_projects_of_the_same_origin_are_fetched() {
        let origin = "http://127.0.0.1:8080";
        assert_eq!(project_target("projects/a.json", origin), Ok("projects/a.json".into()));
        assert_eq!(project_target("/a.json?x=1", origin), Ok("/a.json?x=1".into()));
        assert_eq!(project_target("http://127.0.0.1:8080/a.json", origin), Ok("http://127.0.0.1:8080/a.json".into()));
        assert_eq!(
            project_target("https://example.org/a.json", origin),
            Err(LinkProblem::CrossOrigin { origin: "https://example.org".into() })
        );
        assert_eq!(
            project_target("http://127.0.0.1:9999/a.json", origin),
            Err(LinkProblem::CrossOrigin { origin: "http://127.0.0.1:9999".into() })
        );
        assert_eq!(
            project_target("//evil.example/a.json", origin),
            Err(LinkProblem::CrossOrigin { origin: "http://evil.example".into() })
        );
        assert_eq!(
            project_target("data:application/json,{}", origin),
            Err(LinkProblem::Scheme { scheme: "data".into() })
        );
        assert_eq!(project_target("  ", origin), Err(LinkProblem::Empty));
    }

    #[test]
    fn framing_is_independent_of_the_screen() {
        let laptop = Viewport { width_px: 1200.0, height_px: 700.0 };
        let projector = Viewport { width_px: 1920.0, height_px: 1080.0 };
        let camera = Camera { centre: [2.0, -1.0], pixels_per_unit: 35.0 };
        let framing = framing_of(camera, laptop);
        assert!((framing.span - 20.0).abs() < 1e-9);
        let shown = camera_for(framing, projector);
        // The shorter side shows the same 20 map units, about the same centre.
        assert!((projector.height_px / shown.pixels_per_unit - 20.0).abs() < 1e-4);
        assert_eq!(shown.centre, camera.centre);
        let back = camera_for(framing, laptop);
        assert!((back.pixels_per_unit - camera.pixels_per_unit).abs() < 1e-4);
    }

    #[test]
    fn link_errors_name_the_link_and_the_way_out_in_both_languages() {
        use crate::i18n::Lang;
        let cross = LinkProblem::CrossOrigin { origin: "https://example.org".into() };
        let en = Lang::En.link_error("https://example.org/p.json", &cross);
        let da = Lang::Da.link_error("https://example.org/p.json", &cross);
        for message in [&en, &da] {
            assert!(message.starts_with("https://example.org/p.json: "), "{message}");
            assert!(message.contains("connect-src 'self'"), "{message}");
        }
        assert!(en.contains("another site"), "{en}");
        assert!(da.contains("andet websted"), "{da}");
        let missing = LinkProblem::Fetch { detail: "HTTP 404 Not Found".into() };
        assert!(Lang::En.link_error("a/b.json", &missing).contains("(HTTP 404 Not Found). Check the path"));
        assert!(Lang::Da.link_error("a/b.json", &missing).contains("(HTTP 404 Not Found). Tjek stien"));
    }

    #[test]
    fn percent_coding_round_trips_unicode() {
        for text in ["æøå ÆØÅ", "a+b", "100%", "tab\tline\n", ""] {
            assert_eq!(percent_decode(&percent_encode(text)), text);
        }
        assert_eq!(percent_decode("a+b%20c"), "a b c");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
    }
}

//! The dashboard's charts as SVG, written when the site is built so they
//! read without JavaScript, print, and need nothing from outside the site.
//!
//! Hand-written rather than a plotting crate: the charts are two kinds of
//! plain bar chart (columns over quarters, rows over categories), which
//! take a page of code here, while the plotting crates draw through a
//! backend of their own (fonts, raster or a `style` attribute per element)
//! that a strict Content-Security-Policy (`style-src 'self'`) and the
//! site's light and dark themes would have to fight. Every element carries
//! a class and no inline style, so `site.css` colours it for either scheme.
//! Every chart is `role="img"` with a `<title>` and a `<desc>` (its text
//! alternative), and every label is HTML-escaped.

use std::fmt::Write;

use handlebars::html_escape;

/// One bar: what it is, how long it is, and the value as people read it.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: f64,
    pub(crate) text: String,
    /// An extra class for the bar (`state-shipped`), to colour it.
    pub(crate) class: Option<String>,
}

impl Bar {
    pub(crate) fn new(label: impl Into<String>, value: f64, text: impl Into<String>) -> Bar {
        Bar {
            label: label.into(),
            value,
            text: text.into(),
            class: None,
        }
    }
}

/// The chart's `<title>` and `<desc>`, with ids for `aria-labelledby`.
fn head(out: &mut String, id: &str, title: &str, description: &str, width: f64, height: f64) {
    let id = html_escape(id);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        html_escape(title),
        html_escape(description),
    );
}

/// A rounded-up axis maximum: 1, 2 or 5 times a power of ten.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 5.0, 10.0] {
        if step * power >= max {
            return step * power;
        }
    }
    10.0 * power
}

/// A number for an axis: no trailing `.0`.
fn axis_number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

/// At most this many characters of a row label; the whole label is the
/// bar's tooltip and in the data table.
const LABEL_CHARS: usize = 24;

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let kept: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{kept}…")
}

/// What a column chart's axis counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Axis {
    /// From zero to the largest value, rounded up.
    Count,
    /// Fractions from 0 to 1, labelled as percentages.
    Percent,
}

/// Columns over a sequence (quarters): one bar each, the value above it,
/// the label below it at an angle.
pub(crate) fn columns(
    id: &str,
    title: &str,
    description: &str,
    bars: &[Bar],
    axis: Axis,
) -> String {
    const LEFT: f64 = 44.0;
    const TOP: f64 = 16.0;
    const PLOT: f64 = 160.0;
    const BOTTOM: f64 = 64.0;
    // Narrower columns as quarters pile up, so years of them stay about
    // 420 pixels wide, the width of a dashboard column. Values over columns
    // too narrow for them are left to the table, and so are the labels of
    // all but each year's first quarter, which then shows just the year.
    let step = (420.0 / bars.len().max(1) as f64).clamp(8.0, 34.0);
    let bar = (step * 0.7).round().max(4.0);
    let roomy = step >= 24.0;
    let width = (LEFT + step * bars.len() as f64 + 16.0).max(240.0);
    let height = TOP + PLOT + BOTTOM;
    let max = match axis {
        Axis::Percent => 1.0,
        Axis::Count => nice_max(bars.iter().map(|b| b.value).fold(0.0, f64::max)),
    };
    let mut out = String::new();
    head(&mut out, id, title, description, width, height);
    for tick in [0.0, 0.5, 1.0] {
        let y = TOP + PLOT - PLOT * tick;
        let value = max * tick;
        let label = match axis {
            Axis::Percent => format!("{}%", axis_number(tick * 100.0)),
            // A half-way count that is not whole (2.5 of 5) reads oddly.
            Axis::Count if (value - value.round()).abs() > 1e-9 => String::new(),
            Axis::Count => axis_number(value),
        };
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y}" y2="{y}"/><text class="axis" x="{}" y="{}" text-anchor="end">{}</text>"#,
            width - 8.0,
            LEFT - 6.0,
            y + 4.0,
            html_escape(&label)
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let x = LEFT + 6.0 + step * i as f64;
        let h = (b.value.max(0.0) / max).min(1.0) * PLOT;
        let y = TOP + PLOT - h;
        let class = b
            .class
            .as_deref()
            .map_or_else(String::new, |c| format!(" {}", html_escape(c)));
        let _ = write!(
            out,
            r#"<g><title>{}: {}</title><rect class="bar{class}" x="{x:.1}" y="{y:.1}" width="{bar}" height="{h:.1}"/>"#,
            html_escape(&b.label),
            html_escape(&b.text),
        );
        if roomy && !b.text.is_empty() {
            let _ = write!(
                out,
                r#"<text class="value" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + bar / 2.0,
                y - 4.0,
                html_escape(&b.text)
            );
        }
        let lx = x + bar / 2.0;
        let ly = TOP + PLOT + 14.0;
        if roomy {
            let _ = write!(
                out,
                r#"<text class="label" x="{lx:.1}" y="{ly}" text-anchor="end" transform="rotate(-40 {lx:.1} {ly})">{}</text>"#,
                html_escape(&b.label)
            );
        } else if let Some(year) = b.label.strip_suffix("-Q1") {
            let _ = write!(
                out,
                r#"<line class="grid" x1="{lx:.1}" x2="{lx:.1}" y1="{}" y2="{}"/><text class="label" x="{lx:.1}" y="{ly}" text-anchor="start">{}</text>"#,
                TOP + PLOT,
                TOP + PLOT + 4.0,
                html_escape(year)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// Rows over categories (states, factors, files): the label on the left,
/// the bar, and the value after it.
pub(crate) fn rows(id: &str, title: &str, description: &str, bars: &[Bar]) -> String {
    const LABEL: f64 = 160.0;
    const PLOT: f64 = 240.0;
    const ROW: f64 = 26.0;
    const BAR: f64 = 18.0;
    let width = LABEL + PLOT + 60.0;
    let height = (ROW * bars.len() as f64 + 8.0).max(ROW + 8.0);
    let max = nice_max(bars.iter().map(|b| b.value).fold(0.0, f64::max));
    let mut out = String::new();
    head(&mut out, id, title, description, width, height);
    for (i, bar) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let w = (bar.value.max(0.0) / max).min(1.0) * PLOT;
        let class = bar
            .class
            .as_deref()
            .map_or_else(String::new, |c| format!(" {}", html_escape(c)));
        let _ = write!(
            out,
            r#"<g><title>{}: {}</title><text class="label" x="{}" y="{:.1}" text-anchor="end">{}</text><rect class="bar{class}" x="{LABEL}" y="{y}" width="{w:.1}" height="{BAR}"/><text class="value" x="{:.1}" y="{:.1}">{}</text></g>"#,
            html_escape(&bar.label),
            html_escape(&bar.text),
            LABEL - 8.0,
            y + BAR - 5.0,
            html_escape(&shorten(&bar.label)),
            LABEL + w + 6.0,
            y + BAR - 5.0,
            html_escape(&bar.text),
        );
    }
    if bars.is_empty() {
        let _ = write!(
            out,
            r#"<text class="label" x="8" y="{}">Nothing to show yet</text>"#,
            ROW - 6.0
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_titles_are_escaped() {
        let bars = [Bar::new("<script>alert(1)</script>", 3.0, "3 & more")];
        for svg in [
            columns(
                "c1",
                "A <b>title</b>",
                "desc \"quoted\"",
                &bars,
                Axis::Count,
            ),
            rows("c2", "A <b>title</b>", "desc", &bars),
        ] {
            assert!(!svg.contains("<script>"), "{svg}");
            assert!(!svg.contains("<b>"), "{svg}");
            assert!(svg.contains("&lt;script&gt;"), "{svg}");
            assert!(svg.contains("3 &amp; more"), "{svg}");
            assert!(!svg.contains("style="), "{svg}");
        }
    }

    #[test]
    fn axes_round_up_to_nice_numbers() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(3.0), 5.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(100.0), 100.0);
    }

    #[test]
    fn long_labels_are_shortened_in_the_picture_only() {
        let long = "src/some/deeply/nested/directory/file_name.rs";
        let svg = rows("c", "t", "d", &[Bar::new(long, 2.0, "2")]);
        assert!(svg.contains(&format!("<title>{}: 2</title>", html_escape(long))));
        assert!(svg.contains('…'));
    }
}

//! MATLAB-style display (`format short`).
//!
//! ```text
//!   1x2 dlarray
//!
//!    396   200
//! ```
//!
//! Rules (chosen to match MATLAB's `format short` on the cases the seed shows; column wrapping at the
//! terminal width is not reproduced):
//! - all values integers: right-aligned in columns of width 6 (up to 3 digits and a sign), 12 (up to
//!   10 characters), or the longest value plus 3;
//! - otherwise, when the largest magnitude is below 1000 and the smallest non-zero one at least 0.001: four
//!   decimals, right-aligned, width 4 + integer digits + 5;
//! - otherwise a common scale factor line (`  1.0e+03 *`) and four decimals;
//! - `NaN`, `Inf` and `-Inf` as MATLAB prints them; N-D arrays page by page (`(:,:,2) =`).

use std::fmt;

use super::DlArray;
use crate::Real;

impl<T: Real> fmt::Display for DlArray<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size = self.size();
        let class = if T::CLASS == "single" { "single " } else { "" };
        let header = if self.fmt.is_empty() {
            size.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("x")
        } else {
            size.iter().zip(self.fmt.labels()).map(|(d, l)| format!("{d}({l})")).collect::<Vec<_>>().join(" x ")
        };
        if self.is_empty() {
            return writeln!(f, "  {header} empty {class}dlarray");
        }
        writeln!(f, "  {header} {class}dlarray")?;
        writeln!(f)?;
        let values: Vec<f64> = self.view().iter().map(|v| v.to_f64()).collect();
        let style = Style::choose(&values);
        if let Some(scale) = style.scale_line() {
            writeln!(f, "{scale}")?;
            writeln!(f)?;
        }
        let rows = size[0];
        let cols = size[1];
        let pages: usize = size[2..].iter().product();
        let view = self.view();
        let shape = size.to_vec();
        let cells: Vec<String> = view.iter().map(|v| style.cell(v.to_f64())).collect();
        let width = style.width(&cells);
        // column-major access into the (possibly permuted) view
        let page_dims = &shape[2..];
        for p in 0..pages {
            let page_idx = super::unravel_col_major(page_dims, p);
            if pages > 1 {
                let label: Vec<String> = page_idx.iter().map(|i| (i + 1).to_string()).collect();
                writeln!(f, "(:,:,{}) =", label.join(","))?;
                writeln!(f)?;
            }
            for r in 0..rows {
                let mut line = String::new();
                for c in 0..cols {
                    let mut idx = vec![r, c];
                    idx.extend_from_slice(&page_idx);
                    let v = view[ndarray::IxDyn(&idx)].to_f64();
                    let s = style.cell(v);
                    line.push_str(&format!("{s:>width$}"));
                }
                writeln!(f, "{line}")?;
            }
            if pages > 1 && p + 1 < pages {
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

impl<T: Real> fmt::Debug for DlArray<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DlArray<{}> {{ size: {}, format: {:?}, traced: {}, data: {:?} }}",
            T::CLASS,
            crate::Size::from(self.size()),
            self.fmt,
            self.tag.id != 0,
            self.to_vec()
        )
    }
}

enum Style {
    Integer,
    Fixed { int_digits: usize },
    Scaled { exponent: i32 },
}

impl Style {
    fn choose(values: &[f64]) -> Style {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e15) {
            return Style::Integer;
        }
        let max = finite.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let min_nz = finite.iter().filter(|v| **v != 0.0).fold(f64::INFINITY, |m, v| m.min(v.abs()));
        if max < 1000.0 && min_nz >= 0.001 {
            let int_digits = if max < 1.0 { 1 } else { max.log10().floor() as usize + 1 };
            Style::Fixed { int_digits }
        } else {
            Style::Scaled { exponent: max.log10().floor() as i32 }
        }
    }

    fn scale_line(&self) -> Option<String> {
        match self {
            Style::Scaled { exponent } => {
                let sign = if *exponent < 0 { '-' } else { '+' };
                Some(format!("   1.0e{sign}{:02} *", exponent.abs()))
            }
            _ => None,
        }
    }

    fn cell(&self, v: f64) -> String {
        if v.is_nan() {
            return "NaN".into();
        }
        if v.is_infinite() {
            return if v > 0.0 { "Inf".into() } else { "-Inf".into() };
        }
        match self {
            Style::Integer => format!("{v:.0}"),
            Style::Fixed { .. } => format!("{v:.4}"),
            Style::Scaled { exponent } => format!("{:.4}", v / 10f64.powi(*exponent)),
        }
    }

    fn width(&self, cells: &[String]) -> usize {
        let longest = cells.iter().map(|c| c.len()).max().unwrap_or(1);
        match self {
            Style::Integer => {
                let digits = cells.iter().map(|c| c.trim_start_matches('-').len()).max().unwrap_or(1);
                if digits <= 3 {
                    6
                } else if longest <= 10 {
                    12
                } else {
                    longest + 3
                }
            }
            Style::Fixed { int_digits } => (4 + int_digits + 5).max(longest + 3),
            Style::Scaled { .. } => 10.max(longest + 3),
        }
    }
}

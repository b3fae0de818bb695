//! Dimension labels (`"SSCB"`, `"CBT"`, …) and the rules of `dlarray(X, fmt)`.

use std::fmt;

use crate::error::{At, Error, Result};

/// The most dimensions a format can label.
pub(crate) const MAX_DIMS: usize = 14;

/// One dimension label of a formatted dlarray.
///
/// The order of the variants is MATLAB's canonical storage order: `S…, C, B, T, U…`.
///
/// # Example
///
/// ```
/// use autodiff_runtime::Label;
///
/// assert!(Label::S < Label::C && Label::C < Label::B && Label::B < Label::T && Label::T < Label::U);
/// assert_eq!(Label::try_from('B').unwrap(), Label::B);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Label {
    /// Spatial (may repeat).
    S,
    /// Channel (at most once).
    C,
    /// Batch, or observation (at most once).
    B,
    /// Time, or sequence (at most once).
    T,
    /// Unspecified (may repeat).
    #[default]
    U,
}

impl Label {
    /// The label's letter.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::Label::T.letter(), 'T');
    /// ```
    pub fn letter(self) -> char {
        match self {
            Label::S => 'S',
            Label::C => 'C',
            Label::B => 'B',
            Label::T => 'T',
            Label::U => 'U',
        }
    }
}

impl TryFrom<char> for Label {
    type Error = char;
    fn try_from(c: char) -> std::result::Result<Self, char> {
        match c {
            'S' => Ok(Label::S),
            'C' => Ok(Label::C),
            'B' => Ok(Label::B),
            'T' => Ok(Label::T),
            'U' => Ok(Label::U),
            other => Err(other),
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

/// The dimension format of a dlarray: a short sequence of [`Label`]s, empty for an unformatted array.
///
/// A `Format` is `Copy` and lives inline in the array (no allocation).
///
/// # Example
///
/// ```
/// use autodiff_runtime::Format;
///
/// let f = Format::parse("SSCB").unwrap();
/// assert_eq!(f.to_string(), "SSCB");
/// assert_eq!(f.len(), 4);
/// assert!(Format::parse("CCB").is_err()); // C at most once
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Format {
    len: u8,
    labels: [Label; MAX_DIMS],
}

impl Format {
    /// The empty format of an unformatted array.
    pub const NONE: Format = Format { len: 0, labels: [Label::U; MAX_DIMS] };

    /// Parses a format string, checking MATLAB's rules: only the letters `S C B T U`, and `C`, `B`, `T` at
    /// most once each. The labels are kept in the given order (see [`Format::canonical_order`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFormat`] naming the rule that is broken.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::Format;
    ///
    /// assert_eq!(Format::parse("TCB").unwrap().to_string(), "TCB");
    /// let err = Format::parse("CX").unwrap_err().to_string();
    /// assert!(err.contains("'X'"));
    /// ```
    pub fn parse(s: &str) -> Result<Format> {
        let bad = |reason: String| Error::InvalidFormat { format: s.to_string(), reason, at: At(None) };
        let mut out = Format::NONE;
        for c in s.chars() {
            let label = Label::try_from(c).map_err(|c| {
                bad(format!("'{c}' is not a dimension label; use S (spatial), C (channel), B (batch), T (time) or U (unspecified)"))
            })?;
            if matches!(label, Label::C | Label::B | Label::T) && out.labels().contains(&label) {
                return Err(bad(format!("the label {label} may appear at most once")));
            }
            if out.len as usize == MAX_DIMS {
                return Err(bad(format!("at most {MAX_DIMS} dimensions can be labelled")));
            }
            out.labels[out.len as usize] = label;
            out.len += 1;
        }
        Ok(out)
    }

    /// Builds a format from labels (unchecked: callers keep the rules).
    pub(crate) fn from_labels(labels: &[Label]) -> Format {
        let mut out = Format::NONE;
        out.len = labels.len() as u8;
        out.labels[..labels.len()].copy_from_slice(labels);
        out
    }

    /// The labels, in storage order.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::{Format, Label};
    /// assert_eq!(Format::parse("CB").unwrap().labels(), &[Label::C, Label::B]);
    /// ```
    pub fn labels(&self) -> &[Label] {
        &self.labels[..self.len as usize]
    }

    /// Number of labelled dimensions.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(autodiff_runtime::Format::parse("SSCB").unwrap().len(), 4);
    /// ```
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True for an unformatted array.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(autodiff_runtime::Format::NONE.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The permutation that sorts the labels into canonical order `S…, C, B, T, U…` (stable, so repeated
    /// `S` and `U` keep their relative order): `perm[k]` is the given dimension that becomes dimension `k`.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff_runtime::Format;
    ///
    /// // "TCB" is stored as "CBT": dimension 1 (C) first, then 2 (B), then 0 (T).
    /// assert_eq!(Format::parse("TCB").unwrap().canonical_order(), vec![1, 2, 0]);
    /// ```
    pub fn canonical_order(&self) -> Vec<usize> {
        let mut perm: Vec<usize> = (0..self.len()).collect();
        perm.sort_by_key(|&i| self.labels[i]);
        perm
    }

    /// The indices (0-based) of the dimensions with the given label.
    pub(crate) fn find(&self, label: Label) -> Vec<usize> {
        self.labels().iter().enumerate().filter(|(_, l)| **l == label).map(|(i, _)| i).collect()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in self.labels() {
            write!(f, "{l}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

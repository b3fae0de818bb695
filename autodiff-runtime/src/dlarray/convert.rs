//! Conversions between [`DlArray`] and `ndarray`, and `serde` support.
//!
//! - `ndarray` → `DlArray`: [`dlarray`](fn@crate::dlarray) (or `From`); moving an owned array is free.
//! - `DlArray` → `ndarray`: [`extractdata`](DlArray::extractdata) (one copy) or
//!   [`into_data`](DlArray::into_data) / `From` (free when the storage is not shared).
//! - `serde`: `{ "size": [..], "format": "..", "data": [..column-major..] }`. The trace tag is never
//!   serialized: a deserialized array is untraced (SPEC §4 rule 3).

use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::format::Format;
use super::{DlArray, Tag};
use crate::Real;

impl<T: Real> From<ArrayD<T>> for DlArray<T> {
    fn from(a: ArrayD<T>) -> Self {
        DlArray::from_array(a, Format::NONE, Tag::UNTRACED)
    }
}

impl<T: Real> From<DlArray<T>> for ArrayD<T> {
    fn from(x: DlArray<T>) -> Self {
        x.into_data()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "dlarray")]
struct Repr<T> {
    size: Vec<usize>,
    format: String,
    data: Vec<T>,
}

impl<T: Real> Serialize for DlArray<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Repr { size: self.size().to_vec(), format: self.dims(), data: self.to_vec() }.serialize(s)
    }
}

impl<'de, T: Real> Deserialize<'de> for DlArray<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let r = Repr::<T>::deserialize(d)?;
        let n: usize = r.size.iter().product();
        if n != r.data.len() {
            return Err(D::Error::custom(format!(
                "dlarray: size {:?} needs {n} values, found {}",
                r.size,
                r.data.len()
            )));
        }
        let fmt = Format::parse(&r.format).map_err(D::Error::custom)?;
        if !fmt.is_empty() && fmt.len() != r.size.len().max(2) && fmt.len() < r.size.len() {
            return Err(D::Error::custom(format!("dlarray: format \"{}\" does not fit size {:?}", r.format, r.size)));
        }
        let arr = ArrayD::from_shape_vec(IxDyn(&r.size).f(), r.data).map_err(D::Error::custom)?;
        Ok(DlArray::from_array(arr, fmt, Tag::UNTRACED))
    }
}

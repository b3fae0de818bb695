//! What a `#[differentiable]` function does on entry (trace its parameters when `dlfeval` called it)
//! and at each `dlgradient` (MATLAB's run-time checks).

use crate::dlarray::Tag;
use crate::error::{At, Error, Result};
use crate::trace::TraceId;
use crate::{DlArray, Real};

/// Values `dlfeval` can trace: every dlarray inside them gets the call's trace tag.
#[diagnostic::on_unimplemented(
    message = "`dlfeval` cannot trace a parameter of type `{Self}`",
    note = "parameters are dlarrays, containers of them (`Vec`, arrays, tuples, `Option`, `#[derive(Learnables)]` structs) or plain data; mark a parameter of another type `#[untraced]`"
)]
pub trait Trace {
    /// The traced copy.
    type Owned;
    /// A copy with every dlarray traced in context `id`, or untraced for `None` (dlarrays share
    /// storage: cheap).
    fn traced(&self, id: Option<TraceId>) -> Self::Owned;
    /// The path of the first dlarray that is not traced (`""` for the value itself), if any.
    fn untraced(&self) -> Option<String>;
}

impl<T: Real> Trace for DlArray<T> {
    type Owned = DlArray<T>;
    #[inline]
    fn traced(&self, id: Option<TraceId>) -> DlArray<T> {
        self.clone().retag(id.map_or(Tag::UNTRACED, Tag::traced))
    }
    fn untraced(&self) -> Option<String> {
        (!self.is_traced()).then(String::new)
    }
}

macro_rules! trace_plain {
    ($($t:ty),*) => {$(
        impl Trace for $t {
            type Owned = $t;
            #[inline]
            fn traced(&self, _: Option<TraceId>) -> $t {
                self.clone()
            }
            fn untraced(&self) -> Option<String> {
                Some(String::new())
            }
        }
    )*};
}
trace_plain!(f32, f64, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, bool, char, String);

impl Trace for crate::private::grad::NoGrad {
    type Owned = Self;
    #[inline]
    fn traced(&self, _: Option<TraceId>) -> Self {
        *self
    }
    fn untraced(&self) -> Option<String> {
        Some(String::new())
    }
}

impl Trace for str {
    type Owned = String;
    fn traced(&self, _: Option<TraceId>) -> String {
        self.to_string()
    }
    fn untraced(&self) -> Option<String> {
        Some(String::new())
    }
}

impl<S: ndarray::RawDataClone, D: ndarray::Dimension> Trace for ndarray::ArrayBase<S, D> {
    type Owned = Self;
    fn traced(&self, _: Option<TraceId>) -> Self {
        self.clone()
    }
    fn untraced(&self) -> Option<String> {
        Some(String::new())
    }
}

fn join(i: impl std::fmt::Display, rest: String) -> String {
    if rest.is_empty() || rest.starts_with('[') { format!("[{i}]{rest}") } else { format!("[{i}].{rest}") }
}

impl<L: Trace<Owned = L> + Clone> Trace for Vec<L> {
    type Owned = Vec<L>;
    fn traced(&self, id: Option<TraceId>) -> Vec<L> {
        self.iter().map(|l| l.traced(id)).collect()
    }
    fn untraced(&self) -> Option<String> {
        self.iter().enumerate().find_map(|(i, l)| l.untraced().map(|p| join(i, p)))
    }
}

impl<L: Trace<Owned = L> + Clone> Trace for [L] {
    type Owned = Vec<L>;
    fn traced(&self, id: Option<TraceId>) -> Vec<L> {
        self.iter().map(|l| l.traced(id)).collect()
    }
    fn untraced(&self) -> Option<String> {
        self.iter().enumerate().find_map(|(i, l)| l.untraced().map(|p| join(i, p)))
    }
}

impl<L: Trace<Owned = L>, const N: usize> Trace for [L; N] {
    type Owned = [L; N];
    fn traced(&self, id: Option<TraceId>) -> [L; N] {
        std::array::from_fn(|i| self[i].traced(id))
    }
    fn untraced(&self) -> Option<String> {
        self.iter().enumerate().find_map(|(i, l)| l.untraced().map(|p| join(i, p)))
    }
}

impl<L: Trace<Owned = L>> Trace for Option<L> {
    type Owned = Option<L>;
    fn traced(&self, id: Option<TraceId>) -> Option<L> {
        self.as_ref().map(|l| l.traced(id))
    }
    fn untraced(&self) -> Option<String> {
        self.as_ref().and_then(Trace::untraced)
    }
}

impl<L: Trace<Owned = L>> Trace for Box<L> {
    type Owned = Box<L>;
    fn traced(&self, id: Option<TraceId>) -> Box<L> {
        Box::new((**self).traced(id))
    }
    fn untraced(&self) -> Option<String> {
        (**self).untraced()
    }
}

macro_rules! trace_tuple {
    ($($v:ident $i:tt),+) => {
        impl<$($v: Trace<Owned = $v>),+> Trace for ($($v,)+) {
            type Owned = Self;
            fn traced(&self, id: Option<TraceId>) -> Self {
                ($(self.$i.traced(id),)+)
            }
            fn untraced(&self) -> Option<String> {
                None $(.or_else(|| self.$i.untraced().map(|p| if p.is_empty() { stringify!($i).to_string() } else { format!("{}.{p}", stringify!($i)) })))+
            }
        }
    };
}
trace_tuple!(A 0);
trace_tuple!(A 0, B 1);
trace_tuple!(A 0, B 1, C 2);
trace_tuple!(A 0, B 1, C 2, D 3);
trace_tuple!(A 0, B 1, C 2, D 3, E 4);
trace_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);

impl<V: Trace + ?Sized> Trace for &V {
    type Owned = V::Owned;
    fn traced(&self, id: Option<TraceId>) -> V::Owned {
        (**self).traced(id)
    }
    fn untraced(&self) -> Option<String> {
        (**self).untraced()
    }
}

/// A copy of a parameter with its dlarrays traced in context `id`.
#[inline]
pub fn trace<V: Trace + ?Sized>(v: &V, id: TraceId) -> V::Owned {
    v.traced(Some(id))
}

/// An untraced copy of a value a closure captures when the closure is handed to code that is not
/// differentiated (`std::thread::spawn`, a user's function): SPEC §4 rule 3, what crosses to another
/// worker arrives untraced.
#[inline]
pub fn detach<V: Trace + ?Sized>(v: &V) -> V::Owned {
    v.traced(None)
}

/// `dlgradient`'s run-time checks of `y`: inside `dlfeval`, 1x1, traced.
#[track_caller]
pub fn check_value<T: Real>(y: &DlArray<T>, name: &str) -> Result<()> {
    let at = At::caller();
    if !crate::trace::in_dlfeval() {
        return Err(Error::NotInDlfeval { at });
    }
    if y.numel() != 1 {
        return Err(Error::NonScalarValue { name: name.to_string(), size: y.size().into(), at });
    }
    if !y.is_traced() {
        return Err(Error::UntracedValue { name: name.to_string(), at });
    }
    Ok(())
}

/// `dlgradient`'s run-time check of a target: every dlarray in it is traced.
#[track_caller]
pub fn check_target<V: Trace + ?Sized>(x: &V, name: &str) -> Result<()> {
    match x.untraced() {
        None => Ok(()),
        Some(path) => {
            let name = if path.is_empty() {
                name.to_string()
            } else if path.starts_with('[') {
                format!("{name}{path}")
            } else {
                format!("{name}.{path}")
            };
            Err(Error::UntracedTarget { name, at: At::caller() })
        }
    }
}

/// Unwraps a fallible primitive in a function that does not return `Result`: panics at the user's
/// line with the error, as the operators do outside `#[differentiable]`.
#[track_caller]
#[inline(always)]
pub fn or_panic<R>(r: Result<R>) -> R {
    crate::ops::or_panic(r)
}

//! Containers of learnable parameters: the [`Learnables`] trait, implemented for dlarrays, `Vec`s,
//! arrays, `Option`s, `Box`es, tuples, plain numbers (no parameters), and user structs through
//! `#[derive(Learnables)]`.
//!
//! A gradient has the type of the container it is taken with respect to; optimizers walk parameters,
//! gradients and state together with [`Learnables::zip_map`] and friends. [`Learnables::parameters`] is
//! MATLAB's `net.Learnables` table: each parameter with a path name such as `fc1.weights`.

use crate::{DlArray, Real};

/// A value holding learnable dlarrays (possibly none), visited in a fixed order.
///
/// Derive it for structs with `#[derive(Learnables)]`: every field must be `Learnables` (dlarrays,
/// nested derived structs, `Vec`s, arrays, `Option`s, tuples, plain numbers and strings); fields marked
/// `#[learnables(skip)]` are cloned as they are and never differentiated.
///
/// # Example
///
/// ```
/// use autodiff::prelude::*;
///
/// #[derive(Clone, Learnables)]
/// struct Layer {
///     weights: DlArray,
///     bias: DlArray,
/// }
///
/// let layer = Layer { weights: dlarray([[1.0, 2.0]]), bias: dlarray(0.5) };
/// let names: Vec<String> = layer.parameters().into_iter().map(|(n, _)| n).collect();
/// assert_eq!(names, ["weights", "bias"]);
/// let doubled = layer.map(&mut |p| p * 2.0);
/// assert_eq!(doubled.bias.get(0), 1.0);
/// assert_eq!(layer.zeros_like().weights.to_vec(), vec![0.0, 0.0]);
/// ```
#[allow(clippy::type_complexity)] // the closure types are the API
pub trait Learnables<T: Real>: Sized {
    /// Calls `f` with the path name and value of every parameter. `path` is the prefix so far.
    fn visit(&self, path: &mut String, f: &mut dyn FnMut(&str, &DlArray<T>));
    /// Calls `f` with every parameter, mutably.
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut DlArray<T>));
    /// A container of the same shape with `f` applied to every parameter.
    fn map(&self, f: &mut dyn FnMut(&DlArray<T>) -> DlArray<T>) -> Self;
    /// A container of the same shape with `f` applied to matching parameters of `self` and `other`.
    fn zip_map(&self, other: &Self, f: &mut dyn FnMut(&DlArray<T>, &DlArray<T>) -> DlArray<T>) -> Self;
    /// Calls `f` with matching parameters of `self` (mutably) and `other`.
    fn zip_visit_mut(&mut self, other: &Self, f: &mut dyn FnMut(&mut DlArray<T>, &DlArray<T>));

    /// Zeros of the same shapes (MATLAB `dlupdate(@(p) zeros(size(p), "like", p), net)`).
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff::prelude::*;
    /// let v = vec![dlarray([1.0, 2.0]), dlarray(3.0)];
    /// assert_eq!(v.zeros_like()[1].get(0), 0.0);
    /// ```
    fn zeros_like(&self) -> Self {
        self.map(&mut |p| crate::zeros_like(p))
    }

    /// Every parameter with its path name, in visiting order (MATLAB's Learnables table).
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff::prelude::*;
    /// let v = (dlarray(1.0), vec![dlarray(2.0), dlarray(3.0)]);
    /// let names: Vec<String> = v.parameters().into_iter().map(|(n, _)| n).collect();
    /// assert_eq!(names, ["0", "1[0]", "1[1]"]);
    /// ```
    fn parameters(&self) -> Vec<(String, DlArray<T>)> {
        let mut out = Vec::new();
        self.visit(&mut String::new(), &mut |name, p| out.push((name.to_string(), p.clone())));
        out
    }

    /// Number of parameter arrays.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff::prelude::*;
    /// assert_eq!(vec![dlarray(1.0), dlarray(2.0)].num_learnables(), 2);
    /// ```
    fn num_learnables(&self) -> usize {
        let mut n = 0;
        self.visit(&mut String::new(), &mut |_, _| n += 1);
        n
    }

    /// Total number of elements over all parameters.
    ///
    /// # Example
    ///
    /// ```
    /// use autodiff::prelude::*;
    /// assert_eq!(vec![dlarray([1.0, 2.0]), dlarray(2.0)].total_numel(), 3);
    /// ```
    fn total_numel(&self) -> usize {
        let mut n = 0;
        self.visit(&mut String::new(), &mut |_, p| n += p.numel());
        n
    }
}

/// Appends `.seg` (or `seg` at the root) to a path; returns the previous length for truncation.
#[doc(hidden)]
pub fn push_path(path: &mut String, seg: &str) -> usize {
    let len = path.len();
    if !path.is_empty() && !seg.starts_with('[') {
        path.push('.');
    }
    path.push_str(seg);
    len
}

impl<T: Real> Learnables<T> for DlArray<T> {
    fn visit(&self, path: &mut String, f: &mut dyn FnMut(&str, &DlArray<T>)) {
        f(path, self)
    }
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut DlArray<T>)) {
        f(self)
    }
    fn map(&self, f: &mut dyn FnMut(&DlArray<T>) -> DlArray<T>) -> Self {
        f(self)
    }
    fn zip_map(&self, other: &Self, f: &mut dyn FnMut(&DlArray<T>, &DlArray<T>) -> DlArray<T>) -> Self {
        f(self, other)
    }
    fn zip_visit_mut(&mut self, other: &Self, f: &mut dyn FnMut(&mut DlArray<T>, &DlArray<T>)) {
        f(self, other)
    }
}

impl<T: Real, L: Learnables<T>> Learnables<T> for Vec<L> {
    fn visit(&self, path: &mut String, f: &mut dyn FnMut(&str, &DlArray<T>)) {
        for (i, l) in self.iter().enumerate() {
            let len = push_path(path, &format!("[{i}]"));
            l.visit(path, f);
            path.truncate(len);
        }
    }
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut DlArray<T>)) {
        self.iter_mut().for_each(|l| l.visit_mut(f));
    }
    fn map(&self, f: &mut dyn FnMut(&DlArray<T>) -> DlArray<T>) -> Self {
        self.iter().map(|l| l.map(f)).collect()
    }
    fn zip_map(&self, other: &Self, f: &mut dyn FnMut(&DlArray<T>, &DlArray<T>) -> DlArray<T>) -> Self {
        assert_eq!(self.len(), other.len(), "zip_map: containers of different lengths");
        self.iter().zip(other).map(|(a, b)| a.zip_map(b, f)).collect()
    }
    fn zip_visit_mut(&mut self, other: &Self, f: &mut dyn FnMut(&mut DlArray<T>, &DlArray<T>)) {
        assert_eq!(self.len(), other.len(), "zip_visit_mut: containers of different lengths");
        self.iter_mut().zip(other).for_each(|(a, b)| a.zip_visit_mut(b, f));
    }
}

impl<T: Real, L: Learnables<T>, const N: usize> Learnables<T> for [L; N] {
    fn visit(&self, path: &mut String, f: &mut dyn FnMut(&str, &DlArray<T>)) {
        for (i, l) in self.iter().enumerate() {
            let len = push_path(path, &format!("[{i}]"));
            l.visit(path, f);
            path.truncate(len);
        }
    }
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut DlArray<T>)) {
        self.iter_mut().for_each(|l| l.visit_mut(f));
    }
    fn map(&self, f: &mut dyn FnMut(&DlArray<T>) -> DlArray<T>) -> Self {
        std::array::from_fn(|i| self[i].map(f))
    }
    fn zip_map(&self, other: &Self, f: &mut dyn FnMut(&DlArray<T>, &DlArray<T>) -> DlArray<T>) -> Self {
        std::array::from_fn(|i| self[i].zip_map(&other[i], f))
    }
    fn zip_visit_mut(&mut self, other: &Self, f: &mut dyn FnMut(&mut DlArray<T>, &DlArray<T>)) {
        self.iter_mut().zip(other).for_each(|(a, b)| a.zip_visit_mut(b, f));
    }
}

impl<T: Real, L: Learnables<T>> Learnables<T> for Option<L> {
    fn visit(&self, path: &mut String, f: &mut dyn FnMut(&str, &DlArray<T>)) {
        if let Some(l) = self {
            l.visit(path, f)
        }
    }
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut DlArray<T>)) {
        if let Some(l) = self {
            l.visit_mut(f)
        }
    }
    fn map(&self, f: &mut dyn FnMut(&DlArray<T>) -> DlArray<T>) -> Self {
        self.as_ref().map(|l| l.map(f))
    }
    fn zip_map(&self, other: &Self, f: &mut dyn FnMut(&DlArray<T>, &DlArray<T>) -> DlArray<T>) -> Self {
        match (self, other) {
            (Some(a), Some(b)) => Some(a.zip_map(b, f)),
            (a, _) => a.as_ref().map(|l| l.map(&mut |p| p.clone())),
        }
    }
    fn zip_visit_mut(&mut self, other: &Self, f: &mut dyn FnMut(&mut DlArray<T>, &DlArray<T>)) {
        if let (Some(a), Some(b)) = (self, other) {
            a.zip_visit_mut(b, f)
        }
    }
}

impl<T: Real, L: Learnables<T>> Learnables<T> for Box<L> {
    fn visit(&self, path: &mut String, f: &mut dyn FnMut(&str, &DlArray<T>)) {
        (**self).visit(path, f)
    }
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut DlArray<T>)) {
        (**self).visit_mut(f)
    }
    fn map(&self, f: &mut dyn FnMut(&DlArray<T>) -> DlArray<T>) -> Self {
        Box::new((**self).map(f))
    }
    fn zip_map(&self, other: &Self, f: &mut dyn FnMut(&DlArray<T>, &DlArray<T>) -> DlArray<T>) -> Self {
        Box::new((**self).zip_map(other, f))
    }
    fn zip_visit_mut(&mut self, other: &Self, f: &mut dyn FnMut(&mut DlArray<T>, &DlArray<T>)) {
        (**self).zip_visit_mut(other, f)
    }
}

macro_rules! no_params {
    ($($t:ty),*) => {$(
        impl<T: Real> Learnables<T> for $t {
            fn visit(&self, _: &mut String, _: &mut dyn FnMut(&str, &DlArray<T>)) {}
            fn visit_mut(&mut self, _: &mut dyn FnMut(&mut DlArray<T>)) {}
            fn map(&self, _: &mut dyn FnMut(&DlArray<T>) -> DlArray<T>) -> Self {
                self.clone()
            }
            fn zip_map(&self, _: &Self, _: &mut dyn FnMut(&DlArray<T>, &DlArray<T>) -> DlArray<T>) -> Self {
                self.clone()
            }
            fn zip_visit_mut(&mut self, _: &Self, _: &mut dyn FnMut(&mut DlArray<T>, &DlArray<T>)) {}
        }
    )*};
}
no_params!((), bool, f32, f64, i32, i64, u32, u64, usize, String);

macro_rules! tuple_learnables {
    ($($name:ident : $idx:tt),+) => {
        impl<T: Real, $($name: Learnables<T>),+> Learnables<T> for ($($name,)+) {
            fn visit(&self, path: &mut String, f: &mut dyn FnMut(&str, &DlArray<T>)) {
                $(
                    let len = push_path(path, stringify!($idx));
                    self.$idx.visit(path, f);
                    path.truncate(len);
                )+
            }
            fn visit_mut(&mut self, f: &mut dyn FnMut(&mut DlArray<T>)) {
                $(self.$idx.visit_mut(f);)+
            }
            fn map(&self, f: &mut dyn FnMut(&DlArray<T>) -> DlArray<T>) -> Self {
                ($(self.$idx.map(f),)+)
            }
            fn zip_map(&self, other: &Self, f: &mut dyn FnMut(&DlArray<T>, &DlArray<T>) -> DlArray<T>) -> Self {
                ($(self.$idx.zip_map(&other.$idx, f),)+)
            }
            fn zip_visit_mut(&mut self, other: &Self, f: &mut dyn FnMut(&mut DlArray<T>, &DlArray<T>)) {
                $(self.$idx.zip_visit_mut(&other.$idx, f);)+
            }
        }
    };
}
tuple_learnables!(A: 0);
tuple_learnables!(A: 0, B: 1);
tuple_learnables!(A: 0, B: 1, C: 2);
tuple_learnables!(A: 0, B: 1, C: 2, D: 3);
tuple_learnables!(A: 0, B: 1, C: 2, D: 3, E: 4);
tuple_learnables!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5);

//! The rule table: every operator, method and free function `#[differentiable]` recognizes, with its
//! argument layout and its adjoint kernels. This is the only place that knows primitives.
//!
//! Adding a primitive = one row here + one forward/adjoint kernel pair in the runtime's `ops` + one
//! gradient check.
//!
//! A row's `args` lists each argument of the runtime kernel in order: [`A::Operand`] (a value that may
//! be traced, passed as `&impl Operand` or `&DlArray`) or [`A::Extra`] (a plain parameter: dimensions,
//! an exponent, an index). Method forms take the receiver as the first argument. Adjoint kernels have
//! the signature `(slot, g, out, <the same arguments>)` and accumulate into `slot`.

/// One argument of a primitive.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum A {
    /// A dlarray (or a plain number acting as a constant) that derivatives flow through.
    Operand,
    /// A non-differentiable parameter.
    Extra,
}

/// How the derivative is obtained.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Adjoint {
    /// One adjoint kernel per operand, in operand order.
    Kernels(&'static [&'static str]),
    /// Derivative 0 everywhere (`floor`, `round`, …): nothing flows back.
    Zero,
    /// The result is untraced (comparisons): nothing flows back and the result is a constant.
    Untraced,
}

/// Where a primitive may be written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Form {
    /// `f(x, ..)` only.
    Free,
    /// `x.f(..)` only.
    Method,
    /// Both.
    Both,
}

/// One primitive.
#[derive(Debug)]
pub(crate) struct Rule {
    /// The name the user writes.
    pub(crate) name: &'static str,
    pub(crate) form: Form,
    /// The runtime kernel (`::autodiff::__private::ops::<kernel>`).
    pub(crate) kernel: &'static str,
    /// Whether a `try_<kernel>` returning `Result` exists.
    pub(crate) fallible: bool,
    pub(crate) args: &'static [A],
    pub(crate) adjoint: Adjoint,
}

use A::{Extra as E, Operand as O};
use Adjoint::{Kernels as K, Untraced, Zero};
use Form::{Both, Free, Method};

macro_rules! rule {
    ($name:literal, $form:expr, $kernel:literal, $fallible:expr, [$($a:expr),*], $adj:expr) => {
        Rule { name: $name, form: $form, kernel: $kernel, fallible: $fallible, args: &[$($a),*], adjoint: $adj }
    };
}

/// The table.
pub(crate) static RULES: &[Rule] = &[
    // elementwise binary (operators map here too)
    rule!("plus", Both, "plus", true, [O, O], K(&["plus_adj0", "plus_adj1"])),
    rule!("minus", Both, "minus", true, [O, O], K(&["minus_adj0", "minus_adj1"])),
    rule!("times", Both, "times", true, [O, O], K(&["times_adj0", "times_adj1"])),
    rule!("rdivide", Both, "rdivide", true, [O, O], K(&["rdivide_adj0", "rdivide_adj1"])),
    rule!("power", Both, "power", true, [O, O], K(&["power_adj0", "power_adj1"])),
    rule!("atan2", Both, "atan2", true, [O, O], K(&["atan2_adj0", "atan2_adj1"])),
    rule!("hypot", Both, "hypot", true, [O, O], K(&["hypot_adj0", "hypot_adj1"])),
    rule!("maximum", Both, "maximum", true, [O, O], K(&["maximum_adj0", "maximum_adj1"])),
    rule!("minimum", Both, "minimum", true, [O, O], K(&["minimum_adj0", "minimum_adj1"])),
    // elementwise unary
    rule!("uminus", Both, "uminus", false, [O], K(&["uminus_adj"])),
    rule!("exp", Both, "exp", false, [O], K(&["exp_adj"])),
    rule!("log", Both, "log", false, [O], K(&["log_adj"])),
    rule!("ln", Method, "log", false, [O], K(&["log_adj"])),
    rule!("log1p", Both, "log1p", false, [O], K(&["log1p_adj"])),
    rule!("ln_1p", Method, "log1p", false, [O], K(&["log1p_adj"])),
    rule!("sqrt", Both, "sqrt", false, [O], K(&["sqrt_adj"])),
    rule!("abs", Both, "abs", false, [O], K(&["abs_adj"])),
    rule!("sign", Both, "sign", false, [O], Zero),
    rule!("sin", Both, "sin", false, [O], K(&["sin_adj"])),
    rule!("cos", Both, "cos", false, [O], K(&["cos_adj"])),
    rule!("tan", Both, "tan", false, [O], K(&["tan_adj"])),
    rule!("asin", Both, "asin", false, [O], K(&["asin_adj"])),
    rule!("acos", Both, "acos", false, [O], K(&["acos_adj"])),
    rule!("atan", Both, "atan", false, [O], K(&["atan_adj"])),
    rule!("sinh", Both, "sinh", false, [O], K(&["sinh_adj"])),
    rule!("cosh", Both, "cosh", false, [O], K(&["cosh_adj"])),
    rule!("tanh", Both, "tanh", false, [O], K(&["tanh_adj"])),
    rule!("erf", Both, "erf", false, [O], K(&["erf_adj"])),
    rule!("floor", Both, "floor", false, [O], Zero),
    rule!("ceil", Both, "ceil", false, [O], Zero),
    rule!("round", Both, "round", false, [O], Zero),
    rule!("fix", Both, "fix", false, [O], Zero),
    rule!("powi", Both, "powi", false, [O, E], K(&["powi_adj"])),
    rule!("powf", Both, "powf", false, [O, E], K(&["powf_adj"])),
    // activations
    rule!("relu", Both, "relu", false, [O], K(&["relu_adj"])),
    rule!("leakyrelu", Both, "leakyrelu", false, [O, E], K(&["leakyrelu_adj"])),
    rule!("gelu", Both, "gelu", false, [O], K(&["gelu_adj"])),
    rule!("sigmoid", Both, "sigmoid", false, [O], K(&["sigmoid_adj"])),
    rule!("softplus", Both, "softplus", false, [O], K(&["softplus_adj"])),
    // reductions
    rule!("sum", Both, "sum", true, [O, E], K(&["sum_adj"])),
    rule!("mean", Both, "mean", true, [O, E], K(&["mean_adj"])),
    rule!("prod", Both, "prod", true, [O, E], K(&["prod_adj"])),
    rule!("max", Both, "max", true, [O, E], K(&["max_adj"])),
    rule!("min", Both, "min", true, [O, E], K(&["min_adj"])),
    rule!("var", Both, "var", true, [O, E], K(&["var_adj"])),
    rule!("std", Both, "std", true, [O, E], K(&["std_adj"])),
    rule!("logsumexp", Both, "logsumexp", true, [O, E], K(&["logsumexp_adj"])),
    rule!("cumsum", Both, "cumsum", true, [O, E], K(&["cumsum_adj"])),
    rule!("norm", Both, "norm", false, [O], K(&["norm_adj"])),
    // linear algebra
    rule!("matmul", Both, "matmul", true, [O, O], K(&["matmul_adj0", "matmul_adj1"])),
    rule!("mtimes", Free, "matmul", true, [O, O], K(&["matmul_adj0", "matmul_adj1"])),
    rule!("transpose", Both, "transpose", true, [O], K(&["transpose_adj"])),
    rule!("t", Method, "transpose", true, [O], K(&["transpose_adj"])),
    // shape
    rule!("reshape", Both, "reshape", true, [O, E], K(&["reshape_adj"])),
    rule!("permute", Both, "permute", true, [O, E], K(&["permute_adj"])),
    rule!("squeeze", Both, "squeeze", false, [O], K(&["squeeze_adj"])),
    rule!("repmat", Both, "repmat", true, [O, E], K(&["repmat_adj"])),
    rule!("flip", Both, "flip", true, [O, E], K(&["flip_adj"])),
    // indexing (`x[i]` maps to `index`; `x.at(i)` is the method form)
    rule!("index", Free, "index", true, [O, E], K(&["index_adj"])),
    rule!("at", Method, "index", true, [O, E], K(&["index_adj"])),
    rule!("assign", Both, "assign", true, [O, E, O], K(&["assign_adj0", "assign_adj1"])),
    // deep learning
    rule!(
        "fullyconnect",
        Free,
        "fullyconnect",
        true,
        [O, O, O],
        K(&["fullyconnect_adj0", "fullyconnect_adj1", "fullyconnect_adj2"])
    ),
    rule!("softmax", Both, "softmax", false, [O], K(&["softmax_adj"])),
    rule!("crossentropy", Free, "crossentropy", true, [O, O], K(&["crossentropy_adj0", "crossentropy_adj1"])),
    rule!("mse", Free, "mse", true, [O, O], K(&["mse_adj0", "mse_adj1"])),
    rule!("l1loss", Free, "l1loss", true, [O, O], K(&["l1loss_adj0", "l1loss_adj1"])),
    rule!("l2loss", Free, "l2loss", true, [O, O], K(&["l2loss_adj0", "l2loss_adj1"])),
    rule!("huber", Free, "huber", true, [O, O], K(&["huber_adj0", "huber_adj1"])),
    // comparisons and logic: untraced results
    rule!("eq", Both, "eq", true, [O, O], Untraced),
    rule!("ne", Both, "ne", true, [O, O], Untraced),
    rule!("lt", Both, "lt", true, [O, O], Untraced),
    rule!("le", Both, "le", true, [O, O], Untraced),
    rule!("gt", Both, "gt", true, [O, O], Untraced),
    rule!("ge", Both, "ge", true, [O, O], Untraced),
    rule!("and", Both, "and", true, [O, O], Untraced),
    rule!("or", Both, "or", true, [O, O], Untraced),
    rule!("not", Both, "not", false, [O], Untraced),
];

/// The rule for a free-function call `name(..)`.
pub(crate) fn free(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name && r.form != Form::Method)
}

/// The rule for a method call `x.name(..)`.
pub(crate) fn method(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name && r.form != Form::Free)
}

/// The rule for a binary operator.
pub(crate) fn binary_op(op: &syn::BinOp) -> Option<&'static Rule> {
    let name = match op {
        syn::BinOp::Add(_) | syn::BinOp::AddAssign(_) => "plus",
        syn::BinOp::Sub(_) | syn::BinOp::SubAssign(_) => "minus",
        syn::BinOp::Mul(_) | syn::BinOp::MulAssign(_) => "times",
        syn::BinOp::Div(_) | syn::BinOp::DivAssign(_) => "rdivide",
        _ => return None,
    };
    free(name)
}

/// The rule `x[i]` lowers to.
pub(crate) fn index() -> &'static Rule {
    free("index").expect("the table has index")
}

/// The rule of unary minus.
pub(crate) fn neg() -> &'static Rule {
    free("uminus").expect("the table has uminus")
}

/// Methods and functions that read a value without differentiating it: their results are plain
/// (untraced) data, and a traced argument is fine.
pub(crate) const QUERIES: &[&str] = &[
    "size",
    "size_of",
    "numel",
    "ndims",
    "dims",
    "format",
    "finddim",
    "is_empty",
    "is_scalar",
    "get",
    "try_get",
    "scalar_value",
    "to_vec",
    "extractdata",
    "into_data",
    "view",
    "is_traced",
    "class",
    "stripdims_data",
    "is_true",
    "len",
    "to_string",
    "parameters",
    "num_learnables",
    "total_numel",
];

/// Functions that create new, untraced dlarrays (MATLAB: a dlarray made inside the objective is
/// untraced). Differentiating with respect to their results is a compile error.
pub(crate) const CREATORS: &[&str] =
    &["dlarray", "dlarray_fmt", "zeros", "ones", "rand", "randn", "zeros_like", "ones_like", "rand_like", "randn_like"];

/// Macros whose arguments may mention traced values without differentiating them.
pub(crate) const KNOWN_MACROS: &[&str] = &[
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "write",
    "writeln",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "panic",
    "dbg",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
];

//! The rule table: every operator, method and free function `#[differentiable]` rewrites, with its
//! argument layout, its adjoint, and its adjoint template. This is the only place that knows
//! primitives by name.
//!
//! A row names the user-facing spelling (`exp`, `ln`, `+`), the runtime function generated code calls
//! (`::autodiff::__private::exp`, a trait dispatch: rustc picks the dlarray kernel for a `DlArray`, the
//! plain `f64::exp` for an `f64`), whether that function returns `Result`, the arguments (`O` an
//! operand derivatives flow through, `E` a plain parameter), and the adjoint:
//!
//! - `K(&[..])` one adjoint function per operand (`times_adj0`, `times_adj1`), the fused kernels emitted
//!   for first-order sweeps, each with a template (below) for sweeps that are differentiated again;
//! - `Zero` derivative 0 everywhere (`floor`, `round`): nothing flows back;
//! - `Untraced` the result is a constant (comparisons, masks).
//!
//! A template is the contribution to one operand written in the same vocabulary, with `g` the
//! gradient of the result, `y` the result, `a`, `b`, `c` the operands and `e` the plain parameter:
//! `exp: g * y`. Templates that broadcast are summed back to the operand's size with `sum_to`.
//!
//! Adding a primitive = one row here + one forward/adjoint kernel pair in the runtime's `ops` + its
//! dispatch in the runtime's `__private::prim` + one gradient check.

/// One argument of a primitive.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum A {
    /// A value derivatives flow through (a dlarray or a number).
    O,
    /// A plain parameter: dimensions, an exponent, an index.
    E,
}

/// How the derivative is obtained.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Adjoint {
    /// One adjoint function per operand, in operand order.
    K(&'static [&'static str]),
    /// Derivative 0 everywhere: nothing flows back.
    Zero,
    /// The result is untraced: nothing flows back and the result is a constant.
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
    /// Reached through an operator or indexing only.
    Op,
}

/// One primitive.
#[derive(Debug)]
pub(crate) struct Rule {
    /// The name the user writes.
    pub(crate) name: &'static str,
    pub(crate) form: Form,
    /// The runtime function (`::autodiff::__private::<func>`).
    pub(crate) func: &'static str,
    /// Whether the runtime function returns `Result`.
    pub(crate) fallible: bool,
    pub(crate) args: &'static [A],
    pub(crate) adjoint: Adjoint,
    /// One template per adjoint kernel (see the module docs); empty when higher derivatives are not
    /// available for this primitive.
    pub(crate) templates: &'static [&'static str],
}

impl Rule {
    /// The number of operands.
    #[cfg(test)]
    pub(crate) fn operands(&self) -> usize {
        self.args.iter().filter(|a| **a == A::O).count()
    }
}

use A::{E, O};
use Adjoint::{K, Untraced, Zero};
use Form::{Both, Free, Method, Op};

macro_rules! rule {
    ($name:literal, $form:expr, $func:literal, $fallible:expr, [$($a:expr),*], $adj:expr $(, [$($t:literal),*])?) => {
        Rule {
            name: $name,
            form: $form,
            func: $func,
            fallible: $fallible,
            args: &[$($a),*],
            adjoint: $adj,
            templates: &[$($($t),*)?],
        }
    };
}

/// The table.
pub(crate) static RULES: &[Rule] = &[
    // elementwise binary (operators map here)
    rule!("plus", Both, "plus", true, [O, O], K(&["plus_adj0", "plus_adj1"]), ["sum_to(g, a)", "sum_to(g, b)"]),
    rule!("minus", Both, "minus", true, [O, O], K(&["minus_adj0", "minus_adj1"]), ["sum_to(g, a)", "sum_to(-g, b)"]),
    rule!(
        "times",
        Both,
        "times",
        true,
        [O, O],
        K(&["times_adj0", "times_adj1"]),
        ["sum_to(g * b, a)", "sum_to(g * a, b)"]
    ),
    rule!(
        "rdivide",
        Both,
        "rdivide",
        true,
        [O, O],
        K(&["rdivide_adj0", "rdivide_adj1"]),
        ["sum_to(g / b, a)", "sum_to(-(g * y / b), b)"]
    ),
    rule!(
        "power",
        Both,
        "power",
        true,
        [O, O],
        K(&["power_adj0", "power_adj1"]),
        ["sum_to(g * b * power(a, b - 1.0), a)", "sum_to(g * y * log(a), b)"]
    ),
    rule!(
        "atan2",
        Both,
        "atan2",
        true,
        [O, O],
        K(&["atan2_adj0", "atan2_adj1"]),
        ["sum_to(g * b / (a * a + b * b), a)", "sum_to(-(g * a) / (a * a + b * b), b)"]
    ),
    rule!(
        "hypot",
        Both,
        "hypot",
        true,
        [O, O],
        K(&["hypot_adj0", "hypot_adj1"]),
        ["sum_to(g * a / y, a)", "sum_to(g * b / y, b)"]
    ),
    rule!(
        "maximum",
        Both,
        "maximum",
        true,
        [O, O],
        K(&["maximum_adj0", "maximum_adj1"]),
        ["sum_to(g * ge(a, b), a)", "sum_to(g * lt(a, b), b)"]
    ),
    rule!(
        "minimum",
        Both,
        "minimum",
        true,
        [O, O],
        K(&["minimum_adj0", "minimum_adj1"]),
        ["sum_to(g * le(a, b), a)", "sum_to(g * gt(a, b), b)"]
    ),
    // elementwise unary
    rule!("uminus", Op, "uminus", false, [O], K(&["uminus_adj"]), ["-g"]),
    rule!("exp", Both, "exp", false, [O], K(&["exp_adj"]), ["g * y"]),
    rule!("log", Both, "log", false, [O], K(&["log_adj"]), ["g / a"]),
    rule!("ln", Method, "ln", false, [O], K(&["ln_adj"]), ["g / a"]),
    rule!("log1p", Both, "log1p", false, [O], K(&["log1p_adj"]), ["g / (a + 1.0)"]),
    rule!("ln_1p", Method, "ln_1p", false, [O], K(&["ln_1p_adj"]), ["g / (a + 1.0)"]),
    rule!("sqrt", Both, "sqrt", false, [O], K(&["sqrt_adj"]), ["g / (y + y)"]),
    rule!("abs", Both, "abs", false, [O], K(&["abs_adj"]), ["g * sign(a)"]),
    rule!("sign", Both, "sign", false, [O], Zero),
    rule!("sin", Both, "sin", false, [O], K(&["sin_adj"]), ["g * cos(a)"]),
    rule!("cos", Both, "cos", false, [O], K(&["cos_adj"]), ["-(g * sin(a))"]),
    rule!("tan", Both, "tan", false, [O], K(&["tan_adj"]), ["g * (y * y + 1.0)"]),
    rule!("asin", Both, "asin", false, [O], K(&["asin_adj"]), ["g / sqrt(1.0 - a * a)"]),
    rule!("acos", Both, "acos", false, [O], K(&["acos_adj"]), ["-(g / sqrt(1.0 - a * a))"]),
    rule!("atan", Both, "atan", false, [O], K(&["atan_adj"]), ["g / (a * a + 1.0)"]),
    rule!("sinh", Both, "sinh", false, [O], K(&["sinh_adj"]), ["g * cosh(a)"]),
    rule!("cosh", Both, "cosh", false, [O], K(&["cosh_adj"]), ["g * sinh(a)"]),
    rule!("tanh", Both, "tanh", false, [O], K(&["tanh_adj"]), ["g * (1.0 - y * y)"]),
    rule!("erf", Both, "erf", false, [O], K(&["erf_adj"]), ["g * exp(-(a * a)) * 1.1283791670955126"]),
    rule!("floor", Both, "floor", false, [O], Zero),
    rule!("ceil", Both, "ceil", false, [O], Zero),
    rule!("round", Both, "round", false, [O], Zero),
    rule!("fix", Both, "fix", false, [O], Zero),
    rule!("powi", Both, "powi", false, [O, E], K(&["powi_adj"]), ["g * powi(a, e - 1) * (e as f64)"]),
    rule!("powf", Both, "powf", false, [O, E], K(&["powf_adj"]), ["g * powf(a, e - 1.0) * e"]),
    // activations
    rule!("relu", Both, "relu", false, [O], K(&["relu_adj"]), ["g * gt(a, 0.0)"]),
    rule!("leakyrelu", Both, "leakyrelu", false, [O, E], K(&["leakyrelu_adj"]), ["g * (gt(a, 0.0) + le(a, 0.0) * e)"]),
    rule!("gelu", Both, "gelu", false, [O], K(&["gelu_adj"])),
    rule!("sigmoid", Both, "sigmoid", false, [O], K(&["sigmoid_adj"]), ["g * y * (1.0 - y)"]),
    rule!("softplus", Both, "softplus", false, [O], K(&["softplus_adj"]), ["g * sigmoid(a)"]),
    // reductions
    rule!("sum", Both, "sum", true, [O, E], K(&["sum_adj"]), ["expand_to(g, a)"]),
    rule!(
        "mean",
        Both,
        "mean",
        true,
        [O, E],
        K(&["mean_adj"]),
        ["expand_to(g, a) * (numel(y) as f64 / numel(a) as f64)"]
    ),
    rule!("prod", Both, "prod", true, [O, E], K(&["prod_adj"])),
    rule!("max", Both, "max", true, [O, E], K(&["max_adj"])),
    rule!("min", Both, "min", true, [O, E], K(&["min_adj"])),
    rule!("var", Both, "var", true, [O, E], K(&["var_adj"])),
    rule!("std", Both, "std", true, [O, E], K(&["std_adj"])),
    rule!(
        "logsumexp",
        Both,
        "logsumexp",
        true,
        [O, E],
        K(&["logsumexp_adj"]),
        ["expand_to(g, a) * exp(a - expand_to(y, a))"]
    ),
    rule!("cumsum", Both, "cumsum", true, [O, E], K(&["cumsum_adj"])),
    rule!("norm", Both, "norm", false, [O], K(&["norm_adj"]), ["g * a / y"]),
    // linear algebra
    rule!(
        "matmul",
        Both,
        "matmul",
        true,
        [O, O],
        K(&["matmul_adj0", "matmul_adj1"]),
        ["matmul(g, transpose(b))", "matmul(transpose(a), g)"]
    ),
    rule!(
        "mtimes",
        Free,
        "matmul",
        true,
        [O, O],
        K(&["matmul_adj0", "matmul_adj1"]),
        ["matmul(g, transpose(b))", "matmul(transpose(a), g)"]
    ),
    rule!("transpose", Both, "transpose", true, [O], K(&["transpose_adj"]), ["transpose(g)"]),
    rule!("t", Method, "transpose", true, [O], K(&["transpose_adj"]), ["transpose(g)"]),
    // shape
    rule!("reshape", Both, "reshape", true, [O, E], K(&["reshape_adj"]), ["reshape_like(g, a)"]),
    rule!("permute", Both, "permute", true, [O, E], K(&["permute_adj"])),
    rule!("squeeze", Both, "squeeze", false, [O], K(&["squeeze_adj"]), ["reshape_like(g, a)"]),
    rule!("repmat", Both, "repmat", true, [O, E], K(&["repmat_adj"])),
    rule!("flip", Both, "flip", true, [O, E], K(&["flip_adj"]), ["flip(g, e)"]),
    // indexing (`x[i]` maps to `index`; `x.at(i)` is the dlarray method form)
    rule!("index", Op, "index", true, [O, E], K(&["index_adj"]), ["scatter(g, a, e)"]),
    rule!("at", Method, "index", true, [O, E], K(&["index_adj"]), ["scatter(g, a, e)"]),
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
    // MATLAB's comparison and logic functions: untraced masks
    rule!("eq", Both, "eq", true, [O, O], Untraced),
    rule!("ne", Both, "ne", true, [O, O], Untraced),
    rule!("lt", Both, "lt", true, [O, O], Untraced),
    rule!("le", Both, "le", true, [O, O], Untraced),
    rule!("gt", Both, "gt", true, [O, O], Untraced),
    rule!("ge", Both, "ge", true, [O, O], Untraced),
    rule!("and", Both, "and", true, [O, O], Untraced),
    rule!("or", Both, "or", true, [O, O], Untraced),
    rule!("not", Op, "not", false, [O], Untraced),
    // comparison operators: a `bool`
    rule!("<", Op, "cmp_lt", true, [O, O], Untraced),
    rule!("<=", Op, "cmp_le", true, [O, O], Untraced),
    rule!(">", Op, "cmp_gt", true, [O, O], Untraced),
    rule!(">=", Op, "cmp_ge", true, [O, O], Untraced),
    rule!("==", Op, "cmp_eq", true, [O, O], Untraced),
    rule!("!=", Op, "cmp_ne", true, [O, O], Untraced),
    // primitives that only templates use (the adjoints of higher derivatives)
    rule!("sum_to", Op, "sum_to", false, [O, O], K(&["sum_to_adj0"]), ["expand_to(g, a)"]),
    rule!("expand_to", Op, "expand_to", false, [O, O], K(&["expand_to_adj0"]), ["sum_to(g, a)"]),
    rule!("reshape_like", Op, "reshape_like", false, [O, O], K(&["reshape_like_adj0"]), ["reshape_like(g, a)"]),
    rule!("scatter", Op, "scatter", true, [O, O, E], K(&["scatter_adj0"]), ["index(g, e)"]),
];

/// The rule for a free-function call `name(..)`.
pub(crate) fn free(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name && matches!(r.form, Free | Both))
}

/// The rule for a method call `x.name(..)`.
pub(crate) fn method(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name && matches!(r.form, Method | Both))
}

/// The rule of an operator or an internal primitive.
pub(crate) fn op(name: &str) -> &'static Rule {
    match RULES.iter().find(|r| r.name == name) {
        Some(r) => r,
        // every caller names a row of the table above; the first row is never reached
        None => &RULES[0],
    }
}

/// The rule of a binary operator (`+ - * /`, comparisons); `None` for the others.
pub(crate) fn binary_op(op_: &syn::BinOp) -> Option<&'static Rule> {
    use syn::BinOp::*;
    let name = match op_ {
        Add(_) | AddAssign(_) => "plus",
        Sub(_) | SubAssign(_) => "minus",
        Mul(_) | MulAssign(_) => "times",
        Div(_) | DivAssign(_) => "rdivide",
        Lt(_) => "<",
        Le(_) => "<=",
        Gt(_) => ">",
        Ge(_) => ">=",
        Eq(_) => "==",
        Ne(_) => "!=",
        _ => return None,
    };
    Some(op(name))
}

/// Methods that read a value without differentiating it. Their results are asserted to be plain data
/// (the compiler checks it): a `Vec`'s `get` returns traced elements and is refused there, with a
/// message to index instead.
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
    "is_true",
    "len",
    "to_string",
    "num_learnables",
    "total_numel",
];

/// Free functions whose results are plain data (asserted).
pub(crate) const FREE_QUERIES: &[&str] = &["extractdata", "dims", "finddim", "size", "numel", "ndims"];

/// Functions that create new, untraced dlarrays (MATLAB: a dlarray made inside the objective is
/// untraced). Differentiating with respect to their results is a compile error.
pub(crate) const CREATORS: &[&str] =
    &["dlarray", "dlarray_fmt", "zeros", "ones", "rand", "randn", "zeros_like", "ones_like", "rand_like", "randn_like"];

/// Macros whose arguments are only read (formatted, compared): their results are plain.
pub(crate) const READING_MACROS: &[&str] = &[
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
    "todo",
    "unimplemented",
    "unreachable",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template is an expression in the vocabulary, one per adjoint kernel, naming only the result
    /// `y`, its gradient `g`, the operands (`a`, `b`, `c`, as many as the rule has) and `e` when the
    /// rule has a plain parameter.
    #[test]
    fn templates_are_well_formed() {
        let mut checked = 0;
        for r in RULES.iter().filter(|r| !r.templates.is_empty()) {
            let Adjoint::K(kernels) = r.adjoint else { panic!("{}: templates without kernels", r.name) };
            assert_eq!(r.templates.len(), kernels.len(), "{}: one template per adjoint kernel", r.name);
            assert!(kernels.len() <= r.operands(), "{}", r.name);
            let mut allowed: Vec<&str> = vec!["g", "y"];
            allowed.extend(["a", "b", "c"].iter().take(r.operands()));
            if r.args.contains(&A::E) {
                allowed.push("e");
            }
            for t in r.templates {
                let e: syn::Expr = syn::parse_str(t).unwrap_or_else(|e| panic!("{}: `{t}`: {e}", r.name));
                let mut names = std::collections::HashSet::new();
                crate::rename::mentioned(&quote::ToTokens::to_token_stream(&e), &mut names);
                for n in &names {
                    let single = n.len() == 1;
                    assert!(!single || allowed.contains(&n.as_str()), "{}: `{t}` names `{n}`", r.name);
                }
                checked += 1;
            }
        }
        assert!(checked > 50, "{checked} templates");
    }
}

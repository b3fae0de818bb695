//! Build script of `autodiff-random-programs`: a seeded generator of random `#[differentiable]` programs.
//!
//! It writes `$OUT_DIR/programs.rs`, which `tests/random.rs` includes. For every generated model function
//! the file holds three things:
//!
//! - the `#[differentiable]` function itself, returning its value and the gradients (`dlgradient`);
//! - a *plain twin*: the same computation written with the runtime's operators and methods outside the
//!   macro (`x.at(i)` for `x[i]`, `assign` for `y[i] = v`, `fold` for `sum::<DlArray>()`), which the test
//!   uses as the oracle for the value and, through central finite differences, for the gradient;
//! - a `Case` row: the input values, the plain numbers passed, the shape and feature names, the source.
//!
//! The generator tracks the shape and a conservative value interval of every expression, so that every
//! program is well-shaped, `log`/`sqrt`/`/` only see operands bounded away from zero, `exp` never sees
//! large arguments, and branch thresholds on input values stay away from the inputs (no kink within the
//! finite-difference step).
//!
//! Environment (each re-runs the script when changed):
//!
//! - `AUTODIFF_RANDOM_SEED`: the seed (decimal or `0x` hexadecimal; default [`DEFAULT_SEED`]);
//! - `AUTODIFF_RANDOM_COUNT`: the number of model functions (default [`DEFAULT_MODELS`]).

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The seed used when `AUTODIFF_RANDOM_SEED` is not set.
const DEFAULT_SEED: u64 = 0x00AD_D1FF_5EED;
/// Number of model functions (each calls `dlgradient`) when `AUTODIFF_RANDOM_COUNT` is not set.
const DEFAULT_MODELS: usize = 320;
/// Number of helper functions (`#[differentiable]`, no `dlgradient`) the models call.
const HELPERS: usize = 40;

/// Features the generator does not produce, because they expose a known bug of `#[differentiable]`.
/// Each entry names a feature (see the `feat` calls below and the post-hoc checks in `gen_model`) and
/// says why; the minimal reproducers are in the crate documentation (`src/lib.rs`) and, as complete
/// programs, in `known_bugs/b<N>_*.rs`. Remove an entry to generate the feature again.
const KNOWN_BUGS: &[&str] = &[
    // Bug 1: untraced dlarrays (an `#[untraced]` parameter, a value computed only from untraced values
    // or constants) are left as plain Rust inside a `#[differentiable]` body, so the body's conveniences
    // do not apply to them:
    // `d[0]` does not compile (E0608 "cannot index into a value of type `&autodiff::DlArray`"),
    "index_untraced",
    // `2.0 * &d` with `d: &DlArray` does not compile (E0277 "cannot multiply `{float}` by `&&DlArray`"),
    "ref_operand_untraced",
    // an owned untraced local used twice (`c + c`, or once per loop iteration) is moved (E0382/E0505),
    "owned_operand_untraced",
    // `sum(d, All) > 0.5` does not compile (E0369 "`>` cannot be applied to type `DlArray`"),
    "compare_untraced",
    // `v.iter().map(..).sum::<DlArray>()` over untraced values does not compile (E0277 "cannot be made
    // by summing an iterator").
    "vec_map_sum_untraced",
    // Bugs 2 to 7 (found by this generator) are fixed; their reproducers are regression tests in the
    // main crate's tests/random_regressions.rs.
];

/// Largest magnitude allowed for a generated expression (keeps finite differences accurate).
const MAXMAG: f64 = 40.0;
/// Bound of the inputs: every input entry is drawn from `[-INPUT, INPUT]`.
const INPUT: f64 = 1.2;
/// Helpers assume their dlarray arguments lie in `[-HELPER_ARG, HELPER_ARG]`.
const HELPER_ARG: f64 = 3.0;

// ---------------------------------------------------------------------------------------------
// PRNG: splitmix64.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// A number in `[lo, hi]` rounded to two decimals.
    fn num(&mut self, lo: f64, hi: f64) -> f64 {
        ((self.range(lo, hi) * 100.0).round() / 100.0).clamp(lo, hi)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// An index drawn with the given weights.
    fn weighted(&mut self, w: &[u32]) -> usize {
        let total: u32 = w.iter().sum();
        let mut r = (self.next() % u64::from(total.max(1))) as u32;
        for (i, &wi) in w.iter().enumerate() {
            if r < wi {
                return i;
            }
            r -= wi;
        }
        w.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// Intervals.

#[derive(Clone, Copy, Debug)]
struct Iv {
    lo: f64,
    hi: f64,
}

impl Iv {
    fn new(lo: f64, hi: f64) -> Iv {
        Iv { lo: lo.min(hi), hi: lo.max(hi) }
    }
    fn pt(v: f64) -> Iv {
        Iv::new(v, v)
    }
    fn mag(self) -> f64 {
        self.lo.abs().max(self.hi.abs())
    }
    fn ok(self) -> bool {
        self.lo.is_finite() && self.hi.is_finite() && self.mag() <= MAXMAG
    }
    fn add(self, o: Iv) -> Iv {
        Iv::new(self.lo + o.lo, self.hi + o.hi)
    }
    fn sub(self, o: Iv) -> Iv {
        Iv::new(self.lo - o.hi, self.hi - o.lo)
    }
    fn mul(self, o: Iv) -> Iv {
        let c = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi];
        Iv::new(c.iter().copied().fold(f64::INFINITY, f64::min), c.iter().copied().fold(f64::NEG_INFINITY, f64::max))
    }
    fn away(self, m: f64) -> bool {
        self.lo >= m || self.hi <= -m
    }
    fn div(self, o: Iv) -> Option<Iv> {
        o.away(0.25).then(|| self.mul(Iv::new(1.0 / o.lo, 1.0 / o.hi)))
    }
    fn neg(self) -> Iv {
        Iv::new(-self.hi, -self.lo)
    }
    fn union(self, o: Iv) -> Iv {
        Iv::new(self.lo.min(o.lo), self.hi.max(o.hi))
    }
    fn mono(self, f: fn(f64) -> f64) -> Iv {
        Iv::new(f(self.lo), f(self.hi))
    }
    fn sq(self) -> Iv {
        if self.lo >= 0.0 {
            Iv::new(self.lo * self.lo, self.hi * self.hi)
        } else if self.hi <= 0.0 {
            Iv::new(self.hi * self.hi, self.lo * self.lo)
        } else {
            Iv::new(0.0, self.mag() * self.mag())
        }
    }
    /// The sum of between `nmin` and `nmax` elements of this interval.
    fn sum_of(self, nmin: usize, nmax: usize) -> Iv {
        let (a, b) = (nmin as f64, nmax as f64);
        Iv::new((self.lo * a).min(self.lo * b), (self.hi * a).max(self.hi * b))
    }
    fn sin(self) -> Iv {
        if self.mag() <= 1.5 { self.mono(f64::sin) } else { Iv::new(-1.0, 1.0) }
    }
}

// ---------------------------------------------------------------------------------------------
// Shapes: (rows, columns). (0, 0) is the symbolic shape `S` of a helper's argument (any size).

type Shape = (usize, usize);
const POLY: Shape = (0, 0);

fn bdim(a: usize, b: usize) -> Option<usize> {
    if a == b {
        Some(a)
    } else if a == 1 {
        Some(b)
    } else if b == 1 {
        Some(a)
    } else {
        None
    }
}

fn bcast(a: Shape, b: Shape) -> Option<Shape> {
    Some((bdim(a.0, b.0)?, bdim(a.1, b.1)?))
}

fn fits(s: Shape, req: Option<Shape>) -> bool {
    match req {
        None => true,
        Some(r) => (s.0 == r.0 || s.0 == 1) && (s.1 == r.1 || s.1 == 1),
    }
}

/// Number of elements, and its range for the symbolic shape.
fn numel_range(s: Shape) -> (usize, usize) {
    if s == POLY { (1, 6) } else { (s.0 * s.1, s.0 * s.1) }
}

fn lit(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') { format!("{s}0") } else { s.to_string() }
}

// ---------------------------------------------------------------------------------------------
// Values and scopes.

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// A `&DlArray` parameter.
    Param,
    /// An owned local `DlArray`.
    Local,
    /// A `&DlArray` binding (`for t in &v`, a closure argument).
    Ref,
    /// `v[j]` of a local `Vec<DlArray>`.
    VecElem,
    /// An expression that needs no parentheses as an operand or receiver (calls, method chains).
    Atom,
    /// An expression that does (binary operators, negation).
    Compound,
}

/// A generated dlarray expression in its two renderings.
#[derive(Clone, Debug)]
struct V {
    d: String,
    p: String,
    kind: Kind,
    shape: Shape,
    iv: Iv,
    deps: u32,
}

/// A plain-number operand (`0.5`, `dt`, `(k as f64)`, `(i as f64)`).
#[derive(Clone, Debug)]
struct Sc {
    d: String,
    p: String,
    iv: Iv,
}

#[derive(Clone, Debug)]
struct Var {
    name: String,
    kind: Kind,
    shape: Shape,
    iv: Iv,
    deps: u32,
    /// Hidden from expression generation (an accumulator while its own update is generated).
    hidden: bool,
    used: bool,
    /// The actual input values (parameters only), to keep branch thresholds away from them.
    values: Vec<f64>,
}

#[derive(Clone, Debug)]
struct VecVar {
    name: String,
    len: usize,
    shape: Shape,
    iv: Iv,
    deps: u32,
}

/// How an element got into a local `Vec` (for the post-hoc known-bug checks), with its dependencies.
#[derive(Clone, Copy, PartialEq, Debug)]
enum VecEvent {
    Literal(u32),
    Collect(u32),
    Push(u32),
    Write(u32),
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum NumTy {
    F64,
    Usize,
}

#[derive(Clone, Debug)]
struct Num {
    name: String,
    ty: NumTy,
    iv: Iv,
    /// Known value (parameters of models).
    value: Option<f64>,
}

#[derive(Default)]
struct Scope {
    vars: Vec<Var>,
    vecs: Vec<VecVar>,
    nums: Vec<Num>,
    /// Loop indices: (name, smallest value, largest value).
    idx: Vec<(String, usize, usize)>,
    names: BTreeSet<String>,
    /// Helpers with an index below this may be called.
    helper_limit: usize,
    /// Inside a loop or branch body (no shadowing of outer names there).
    depth: usize,
    /// Prefer indexing leaves (the `indexing` shape).
    prefer_index: bool,
    /// Prefer helper calls (the `calls` shape).
    prefer_calls: bool,
    /// The function returns `Result` (so `?` may be used on helper calls).
    result_fn: bool,
    /// A helper is being generated (not a model).
    in_helper: bool,
    /// Every local `Vec`'s element history.
    vec_events: Vec<Vec<VecEvent>>,
}

impl Scope {
    fn fresh(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut k = 1;
        while self.names.contains(&name) {
            name = format!("{base}{k}");
            k += 1;
        }
        self.names.insert(name.clone());
        name
    }
    fn var_v(&self, i: usize) -> V {
        let v = &self.vars[i];
        V { d: v.name.clone(), p: v.name.clone(), kind: v.kind, shape: v.shape, iv: v.iv, deps: v.deps }
    }
}

/// Body text in both renderings, with indentation.
#[derive(Default)]
struct Body {
    d: String,
    p: String,
    ind: usize,
}

impl Body {
    fn line(&mut self, d: &str, p: &str) {
        let pad = "    ".repeat(self.ind + 1);
        let _ = writeln!(self.d, "{pad}{d}");
        let _ = writeln!(self.p, "{pad}{p}");
    }
    fn both(&mut self, s: &str) {
        self.line(s, s);
    }
    fn open(&mut self, d: &str, p: &str) {
        self.line(d, p);
        self.ind += 1;
    }
    fn close(&mut self) {
        self.ind -= 1;
        self.both("}");
    }
    fn reopen(&mut self, d: &str, p: &str) {
        self.ind -= 1;
        self.line(d, p);
        self.ind += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers and models.

#[derive(Clone, Copy, PartialEq, Debug)]
enum HelperSig {
    /// `fn(a: &DlArray) -> Result<DlArray>`
    One,
    /// `fn(a: &DlArray) -> DlArray`
    OnePlain,
    /// `fn(a: &DlArray, b: &DlArray) -> Result<DlArray>`
    Two,
    /// `fn(a: &DlArray, s: f64) -> DlArray`
    WithNumber,
}

struct Helper {
    name: String,
    sig: HelperSig,
    scalar_out: bool,
    out: Iv,
    src_d: String,
    src_p: String,
}

#[derive(Clone, Debug)]
enum Param {
    Arr { name: String, shape: Shape, values: Vec<f64>, untraced: bool },
    F64 { name: String, value: f64 },
    Usize { name: String, value: usize },
}

const SHAPES: &[&str] = &["straight", "branch", "loop_acc", "loop_state", "vec_state", "calls", "indexing"];

struct Gen {
    rng: Rng,
    helpers: Vec<Helper>,
    feats: BTreeSet<&'static str>,
    /// Loop and branch nesting of the code being generated.
    depth: usize,
    /// Dependencies of every operand generated inside a loop or branch body (post-hoc known-bug check).
    cf_deps: Vec<u32>,
    /// Loop counters of `while`/`loop` forms that the body reads.
    counters_read: BTreeSet<String>,
}

enum Opnd {
    A(V),
    S(Sc),
}

impl Gen {
    fn enter(&mut self, sc: &mut Scope) {
        sc.depth += 1;
        self.depth += 1;
    }

    fn leave(&mut self, sc: &mut Scope) {
        sc.depth -= 1;
        self.depth -= 1;
    }

    /// Records an operand's dependencies when it is computed inside a loop or branch body.
    fn note(&mut self, deps: u32) {
        if self.depth > 0 {
            self.cf_deps.push(deps);
        }
    }

    fn ok(&self, feature: &str) -> bool {
        !KNOWN_BUGS.contains(&feature)
    }

    /// Records a feature of the current function; false (and nothing recorded) when it is a known bug.
    fn feat(&mut self, feature: &'static str) -> bool {
        if self.ok(feature) {
            self.feats.insert(feature);
            true
        } else {
            false
        }
    }

    /// Chance `p` of a feature that is not a known bug; records it when taken.
    fn maybe(&mut self, p: f64, feature: &'static str) -> bool {
        self.ok(feature) && self.rng.chance(p) && self.feat(feature)
    }

    // ---- renderings ----

    fn od(&mut self, v: &V) -> String {
        match v.kind {
            Kind::Param => {
                let untraced_ok = v.deps != 0 || self.ok("ref_operand_untraced");
                if untraced_ok && self.rng.chance(0.2) && self.feat("ref_operand") {
                    if v.deps == 0 {
                        self.feat("ref_operand_untraced");
                    }
                    format!("&{}", v.d)
                } else {
                    v.d.clone()
                }
            }
            Kind::Local => {
                let owned_ok = v.deps != 0 || self.ok("owned_operand_untraced");
                if !owned_ok || (self.rng.chance(0.25) && self.feat("ref_operand")) {
                    format!("&{}", v.d)
                } else {
                    self.feats.insert("owned_operand");
                    if v.deps == 0 {
                        self.feat("owned_operand_untraced");
                    }
                    v.d.clone()
                }
            }
            Kind::VecElem => {
                let owned_ok = v.deps != 0 || self.ok("owned_operand_untraced");
                if owned_ok && self.maybe(0.3, "vec_elem_owned_operand") {
                    if v.deps == 0 {
                        self.feat("owned_operand_untraced");
                    }
                    v.d.clone()
                } else {
                    format!("&{}", v.d)
                }
            }
            Kind::Ref | Kind::Atom => v.d.clone(),
            Kind::Compound => format!("({})", v.d),
        }
    }

    fn op(v: &V) -> String {
        match v.kind {
            Kind::Local | Kind::VecElem => format!("&{}", v.p),
            Kind::Param | Kind::Ref | Kind::Atom => v.p.clone(),
            Kind::Compound => format!("({})", v.p),
        }
    }

    fn rd(v: &V) -> String {
        if v.kind == Kind::Compound { format!("({})", v.d) } else { v.d.clone() }
    }

    fn rp(v: &V) -> String {
        if v.kind == Kind::Compound { format!("({})", v.p) } else { v.p.clone() }
    }

    fn ad(&mut self, v: &V) -> String {
        match v.kind {
            Kind::Param => {
                if self.rng.chance(0.3) && self.feat("ref_of_param_argument") {
                    format!("&{}", v.d)
                } else {
                    v.d.clone()
                }
            }
            Kind::Ref => v.d.clone(),
            Kind::Local | Kind::VecElem | Kind::Atom => format!("&{}", v.d),
            Kind::Compound => format!("&({})", v.d),
        }
    }

    fn ap(v: &V) -> String {
        match v.kind {
            Kind::Param | Kind::Ref => v.p.clone(),
            Kind::Local | Kind::VecElem | Kind::Atom => format!("&{}", v.p),
            Kind::Compound => format!("&({})", v.p),
        }
    }

    /// `v` as an owned `let` initializer.
    fn owned(&mut self, v: V) -> V {
        self.note(v.deps);
        match v.kind {
            Kind::Param | Kind::Local | Kind::Ref | Kind::VecElem => {
                if self.rng.chance(0.5) && self.feat("clone") {
                    V { d: format!("{}.clone()", v.d), p: format!("{}.clone()", v.p), kind: Kind::Atom, ..v }
                } else {
                    let c = self.rng.num(0.5, 2.0);
                    let s = Sc { d: lit(c), p: lit(c), iv: Iv::pt(c) };
                    self.bin("*", Opnd::A(v.clone()), Opnd::S(s)).unwrap_or(v)
                }
            }
            _ => v,
        }
    }

    // ---- expressions ----

    fn scalar(&mut self, sc: &Scope) -> Sc {
        let f64s: Vec<&Num> = sc.nums.iter().filter(|n| n.ty == NumTy::F64).collect();
        let usizes: Vec<&Num> = sc.nums.iter().filter(|n| n.ty == NumTy::Usize).collect();
        let w = [
            6,
            if f64s.is_empty() { 0 } else { 4 },
            if usizes.is_empty() { 0 } else { 2 },
            if sc.idx.is_empty() { 0 } else { 4 },
        ];
        match self.rng.weighted(&w) {
            1 => {
                let n = f64s[self.rng.below(f64s.len())];
                self.feats.insert("plain_f64_param");
                Sc { d: n.name.clone(), p: n.name.clone(), iv: n.iv }
            }
            2 => {
                let n = usizes[self.rng.below(usizes.len())];
                self.feats.insert("usize_param_as_f64");
                let s = format!("({} as f64)", n.name);
                Sc { d: s.clone(), p: s, iv: n.iv }
            }
            3 => {
                let (name, lo, hi) = sc.idx[self.rng.below(sc.idx.len())].clone();
                self.counters_read.insert(name.clone());
                self.feats.insert("loop_index_as_f64");
                if self.rng.chance(0.3) {
                    let s = format!("(({name} + 1) as f64)");
                    Sc { d: s.clone(), p: s, iv: Iv::new(lo as f64 + 1.0, hi as f64 + 1.0) }
                } else {
                    let s = format!("({name} as f64)");
                    Sc { d: s.clone(), p: s, iv: Iv::new(lo as f64, hi as f64) }
                }
            }
            _ => {
                let c = self.rng.num(0.1, 2.0);
                Sc { d: lit(c), p: lit(c), iv: Iv::pt(c) }
            }
        }
    }

    fn bin(&mut self, op: &str, a: Opnd, b: Opnd) -> Option<V> {
        let (ad, ap, aiv, ashape, adeps) = match &a {
            Opnd::A(v) => (self.od(v), Self::op(v), v.iv, Some(v.shape), v.deps),
            Opnd::S(s) => (s.d.clone(), s.p.clone(), s.iv, None, 0),
        };
        let (bd, bp, biv, bshape, bdeps) = match &b {
            Opnd::A(v) => (self.od(v), Self::op(v), v.iv, Some(v.shape), v.deps),
            Opnd::S(s) => (s.d.clone(), s.p.clone(), s.iv, None, 0),
        };
        self.note(adeps);
        self.note(bdeps);
        let shape = match (ashape, bshape) {
            (Some(x), Some(y)) => bcast(x, y)?,
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => return None,
        };
        let iv = match op {
            "+" => aiv.add(biv),
            "-" => aiv.sub(biv),
            "*" => aiv.mul(biv),
            "/" => aiv.div(biv)?,
            _ => unreachable!(),
        };
        if !iv.ok() {
            return None;
        }
        Some(V {
            d: format!("{ad} {op} {bd}"),
            p: format!("{ap} {op} {bp}"),
            kind: Kind::Compound,
            shape,
            iv,
            deps: adeps | bdeps,
        })
    }

    /// A method call `v.name()` or, in the differentiable rendering sometimes, `name(&v)`.
    fn call1(&mut self, name: &str, v: &V, iv: Iv) -> V {
        self.note(v.deps);
        let d = if self.rng.chance(0.3) && self.feat("free_function_form") {
            format!("{name}({})", self.ad(v))
        } else {
            format!("{}.{name}()", Self::rd(v))
        };
        V { d, p: format!("{}.{name}()", Self::rp(v)), kind: Kind::Atom, shape: v.shape, iv, deps: v.deps }
    }

    fn powi(&mut self, v: &V, n: i32) -> Option<V> {
        self.note(v.deps);
        let iv = if n == 2 { v.iv.sq() } else { Iv::new(v.iv.lo.powi(n), v.iv.hi.powi(n)) };
        if !iv.ok() {
            return None;
        }
        let d = if self.rng.chance(0.25) && self.feat("free_function_form") {
            format!("powi({}, {n})", self.ad(v))
        } else {
            format!("{}.powi({n})", Self::rd(v))
        };
        Some(V { d, p: format!("{}.powi({n})", Self::rp(v)), kind: Kind::Atom, shape: v.shape, iv, deps: v.deps })
    }

    /// An expression built from `v` that is at least 0.3 everywhere.
    fn positive(&mut self, v: V) -> V {
        if v.iv.lo >= 0.3 {
            return v;
        }
        for _ in 0..6 {
            let c = self.rng.num(0.3, 1.5);
            let cs = Sc { d: lit(c), p: lit(c), iv: Iv::pt(c) };
            let base = match self.rng.below(5) {
                0 => self.powi(&v, 2),
                1 if v.iv.hi <= 3.0 => Some(self.call1("exp", &v, v.iv.mono(f64::exp))),
                2 => Some(self.call1("sigmoid", &v, v.iv.mono(sigmoid))),
                3 if v.iv.hi <= 20.0 => Some(self.call1("softplus", &v, v.iv.mono(softplus))),
                4 => Some(self.call1("tanh", &v, v.iv.mono(f64::tanh))).map(|t| V { iv: Iv::new(-1.0, 1.0), ..t }),
                _ => None,
            };
            let Some(base) = base else { continue };
            let cs = if base.iv.lo < -0.5 { Sc { d: lit(c + 1.0), p: lit(c + 1.0), iv: Iv::pt(c + 1.0) } } else { cs };
            if let Some(r) = self.bin("+", Opnd::A(base), Opnd::S(cs))
                && r.iv.lo >= 0.3
            {
                return r;
            }
        }
        let t = self.call1("sigmoid", &v, v.iv.mono(sigmoid));
        let s = Sc { d: "0.5".into(), p: "0.5".into(), iv: Iv::pt(0.5) };
        self.bin("+", Opnd::A(t), Opnd::S(s)).expect("bounded")
    }

    /// `v` squashed into `[-m, m]` when it may leave it.
    fn bounded(&mut self, v: V, m: f64) -> V {
        if v.iv.mag() <= m {
            return v;
        }
        let t = if self.rng.chance(0.5) {
            self.call1("tanh", &v, v.iv.mono(f64::tanh))
        } else {
            self.call1("sin", &v, v.iv.sin())
        };
        if m >= 1.0 {
            t
        } else {
            let s = Sc { d: lit(m.max(0.05) - 0.01), p: lit(m.max(0.05) - 0.01), iv: Iv::pt(m.max(0.05) - 0.01) };
            self.bin("*", Opnd::A(t), Opnd::S(s)).expect("bounded")
        }
    }

    fn unary(&mut self, a: V) -> Option<V> {
        let w = [5, 6, 4, 5, 4, 3, 3, 3, 4, 2, 2, 2, 1];
        let v = match self.rng.weighted(&w) {
            0 if a.iv.hi <= 3.0 => self.call1("exp", &a, a.iv.mono(f64::exp)),
            1 => self.call1("sin", &a, a.iv.sin()),
            2 => self.call1("cos", &a, Iv::new(-1.0, 1.0)),
            3 => self.call1("tanh", &a, a.iv.mono(f64::tanh)),
            4 => self.call1("sigmoid", &a, a.iv.mono(sigmoid)),
            5 if a.iv.hi <= 20.0 => self.call1("softplus", &a, a.iv.mono(softplus)),
            6 => {
                let p = self.positive(a);
                self.feats.insert("log_of_positive");
                self.call1("log", &p, p.iv.mono(f64::ln))
            }
            7 => {
                let p = self.positive(a);
                self.feats.insert("sqrt_of_positive");
                self.call1("sqrt", &p, p.iv.mono(f64::sqrt))
            }
            8 => self.powi(&a, 2)?,
            9 => self.powi(&a, 3)?,
            10 => {
                let p = self.positive(a);
                let e = *self.rng.pick(&[0.5, 1.5, 2.5]);
                let iv = Iv::new(p.iv.lo.powf(e), p.iv.hi.powf(e));
                if !iv.ok() {
                    return None;
                }
                self.feats.insert("powf");
                let d = format!("{}.powf({})", Self::rd(&p), lit(e));
                V {
                    d,
                    p: format!("{}.powf({})", Self::rp(&p), lit(e)),
                    kind: Kind::Atom,
                    shape: p.shape,
                    iv,
                    deps: p.deps,
                }
            }
            11 => {
                self.feats.insert("negation");
                let owned_ok = a.deps != 0 || self.ok("owned_operand_untraced");
                let d = if matches!(a.kind, Kind::Local | Kind::VecElem) && !owned_ok {
                    format!("-&{}", a.d)
                } else {
                    if matches!(a.kind, Kind::Local | Kind::VecElem) && a.deps == 0 {
                        self.feat("owned_operand_untraced");
                    }
                    format!("-{}", Self::rd(&a))
                };
                V { d, p: format!("-{}", Self::op(&a)), kind: Kind::Compound, iv: a.iv.neg(), ..a }
            }
            12 if a.iv.away(0.05) => {
                if self.rng.chance(0.5) {
                    self.feats.insert("relu_away_from_kink");
                    let iv = if a.iv.lo > 0.0 { a.iv } else { Iv::pt(0.0) };
                    self.call1("relu", &a, iv)
                } else {
                    self.feats.insert("abs_away_from_kink");
                    let iv = if a.iv.lo > 0.0 { a.iv } else { a.iv.neg() };
                    self.call1("abs", &a, iv)
                }
            }
            _ => return None,
        };
        v.iv.ok().then_some(v)
    }

    fn reduce(&mut self, a: V, req: Option<Shape>) -> Option<V> {
        self.note(a.deps);
        let (nmin, nmax) = numel_range(a.shape);
        let arg = self.ad(&a);
        let argp = Self::ap(&a);
        let known = a.shape != POLY;
        let r = self.rng.below(100);
        let v = if r < 35 {
            let d =
                if self.rng.chance(0.3) { format!("{}.sum(All)", Self::rd(&a)) } else { format!("sum({arg}, All)") };
            V {
                d,
                p: format!("sum({argp}, All)"),
                kind: Kind::Atom,
                shape: (1, 1),
                iv: a.iv.sum_of(nmin, nmax),
                deps: a.deps,
            }
        } else if r < 60 {
            let d =
                if self.rng.chance(0.3) { format!("{}.mean(All)", Self::rd(&a)) } else { format!("mean({arg}, All)") };
            V { d, p: format!("mean({argp}, All)"), kind: Kind::Atom, shape: (1, 1), iv: a.iv, deps: a.deps }
        } else if r < 75 && known && fits((1, a.shape.1), req) && self.feat("reduce_dim") {
            let d = format!("sum({arg}, 0)");
            let iv = a.iv.sum_of(a.shape.0, a.shape.0);
            V { d, p: format!("sum({argp}, 0)"), kind: Kind::Atom, shape: (1, a.shape.1), iv, deps: a.deps }
        } else if r < 85 && known && fits((a.shape.0, 1), req) && self.feat("reduce_dim") {
            let d = format!("mean({arg}, 1)");
            V { d, p: format!("mean({argp}, 1)"), kind: Kind::Atom, shape: (a.shape.0, 1), iv: a.iv, deps: a.deps }
        } else if r < 93 && a.iv.hi <= 20.0 && self.feat("logsumexp") {
            let iv = Iv::new(a.iv.lo, a.iv.hi + (nmax as f64).ln());
            V {
                d: format!("logsumexp({arg}, All)"),
                p: format!("logsumexp({argp}, All)"),
                kind: Kind::Atom,
                shape: (1, 1),
                iv,
                deps: a.deps,
            }
        } else if known && nmax <= 4 && a.iv.mag() <= 2.0 && self.feat("prod") {
            let m = a.iv.mag().powi(nmax as i32).max(a.iv.mag());
            V {
                d: format!("prod({arg}, All)"),
                p: format!("prod({argp}, All)"),
                kind: Kind::Atom,
                shape: (1, 1),
                iv: Iv::new(-m, m),
                deps: a.deps,
            }
        } else {
            V {
                d: format!("sum({arg}, All)"),
                p: format!("sum({argp}, All)"),
                kind: Kind::Atom,
                shape: (1, 1),
                iv: a.iv.sum_of(nmin, nmax),
                deps: a.deps,
            }
        };
        v.iv.ok().then_some(v)
    }

    /// An index into an array of `shape` (`None` for the symbolic shape unless 0 is asked).
    fn index_expr(&mut self, sc: &Scope, n: usize) -> String {
        let loops: Vec<&(String, usize, usize)> = sc.idx.iter().collect();
        if !loops.is_empty() && self.rng.chance(0.6) {
            let (name, _, hi) = loops[self.rng.below(loops.len())].clone();
            self.counters_read.insert(name.clone());
            self.feats.insert("index_by_loop_variable");
            if hi < n {
                if hi + 1 < n && self.rng.chance(0.3) {
                    return format!("{name} + 1");
                }
                return name;
            }
            return if n == 1 { "0".to_string() } else { format!("{name} % {n}") };
        }
        self.feats.insert("index_const");
        self.rng.below(n).to_string()
    }

    fn leaf(&mut self, sc: &mut Scope, req: Option<Shape>) -> V {
        // candidates: (weight, kind, var index)
        let mut cands: Vec<(u32, u8, usize)> = Vec::new();
        let pi = if sc.prefer_index { 4 } else { 1 };
        for (i, v) in sc.vars.iter().enumerate() {
            if v.hidden {
                continue;
            }
            if fits(v.shape, req) {
                cands.push((if v.kind == Kind::Param { 6 } else { 5 }, 0, i));
            }
            if v.kind == Kind::Ref {
                continue;
            }
            if v.deps == 0 && !self.ok("index_untraced") {
                continue;
            }
            if v.shape == POLY {
                cands.push((1, 1, i));
                continue;
            }
            cands.push((3 * pi, 1, i));
            if v.shape.0 > 1 && v.shape.1 > 1 {
                cands.push((2 * pi, 2, i)); // x[(r, c)]
            }
            if v.shape.1 > 1 && v.shape.0 > 1 && fits((v.shape.0, 1), req) && self.ok("at_column") {
                cands.push((pi, 3, i));
            }
            if v.shape.0 > 1 && v.shape.1 > 1 && fits((1, v.shape.1), req) && self.ok("at_row") {
                cands.push((pi, 4, i));
            }
            if v.shape.0 == 1 && v.shape.1 >= 3 && self.ok("at_range") && fits((1, 2), req) {
                cands.push((pi, 5, i));
            }
        }
        for (i, v) in sc.vecs.iter().enumerate() {
            if fits(v.shape, req) && self.ok("vec_index_read") {
                cands.push((4, 6, i));
            }
        }
        if cands.is_empty() {
            let c = self.rng.num(0.1, 1.0);
            let s = format!("dlarray({})", lit(c));
            return V { d: s.clone(), p: s, kind: Kind::Atom, shape: (1, 1), iv: Iv::pt(c), deps: 0 };
        }
        let w: Vec<u32> = cands.iter().map(|c| c.0).collect();
        let (_, kind, i) = cands[self.rng.weighted(&w)];
        match kind {
            0 => {
                sc.vars[i].used = true;
                sc.var_v(i)
            }
            1 | 2 => {
                sc.vars[i].used = true;
                let v = sc.vars[i].clone();
                let (dj, pj) = if kind == 2 {
                    self.feats.insert("index_2d");
                    let r = self.index_expr(sc, v.shape.0);
                    let c = self.index_expr(sc, v.shape.1);
                    (format!("[({r}, {c})]"), format!(".at(({r}, {c}))"))
                } else {
                    let n = if v.shape == POLY { 1 } else { v.shape.0 * v.shape.1 };
                    let j = self.index_expr(sc, n);
                    (format!("[{j}]"), format!(".at({j})"))
                };
                self.feats.insert("index");
                if v.deps == 0 {
                    self.feat("index_untraced");
                }
                let d = if self.rng.chance(0.2) && self.feat("at_linear") {
                    format!("{}{}", v.name, pj)
                } else {
                    format!("{}{}", v.name, dj)
                };
                V { d, p: format!("{}{}", v.name, pj), kind: Kind::Atom, shape: (1, 1), iv: v.iv, deps: v.deps }
            }
            3 => {
                sc.vars[i].used = true;
                let v = sc.vars[i].clone();
                self.feats.insert("at_column");
                let j = self.index_expr(sc, v.shape.1);
                let s = format!("{}.at((.., {j}))", v.name);
                V { d: s.clone(), p: s, kind: Kind::Atom, shape: (v.shape.0, 1), iv: v.iv, deps: v.deps }
            }
            4 => {
                sc.vars[i].used = true;
                let v = sc.vars[i].clone();
                self.feats.insert("at_row");
                let j = self.index_expr(sc, v.shape.0);
                let s = format!("{}.at(({j}, ..))", v.name);
                V { d: s.clone(), p: s, kind: Kind::Atom, shape: (1, v.shape.1), iv: v.iv, deps: v.deps }
            }
            5 => {
                sc.vars[i].used = true;
                let v = sc.vars[i].clone();
                self.feats.insert("at_range");
                let a = self.rng.below(v.shape.1 - 1);
                let s = format!("{}.at({a}..{})", v.name, a + 2);
                V { d: s.clone(), p: s, kind: Kind::Atom, shape: (1, 2), iv: v.iv, deps: v.deps }
            }
            _ => {
                let v = sc.vecs[i].clone();
                self.feats.insert("vec_index_read");
                let j = self.index_expr(sc, v.len);
                let s = format!("{}[{j}]", v.name);
                V { d: s.clone(), p: s, kind: Kind::VecElem, shape: v.shape, iv: v.iv, deps: v.deps }
            }
        }
    }

    fn expr(&mut self, sc: &mut Scope, req: Option<Shape>, depth: u32) -> V {
        if depth == 0 {
            return self.leaf(sc, req);
        }
        for _ in 0..10 {
            let helpers_ok = sc.helper_limit > 0 && self.ok("helper_call");
            let wc = if !helpers_ok {
                0
            } else if sc.prefer_calls {
                20
            } else {
                6
            };
            let w = [22, 38, 22, 9, wc, 3];
            let v = match self.rng.weighted(&w) {
                0 => Some(self.leaf(sc, req)),
                1 => self.gen_bin(sc, req, depth),
                2 => {
                    let a = self.expr(sc, req, depth - 1);
                    self.unary(a)
                }
                3 => {
                    let a = self.expr(sc, None, depth - 1);
                    self.reduce(a, req)
                }
                4 => self.gen_call(sc, req, depth),
                _ => {
                    // the same value twice: v * v, v + v.sin()
                    let a = self.leaf(sc, req);
                    self.feats.insert("same_operand_twice");
                    if self.rng.chance(0.5) {
                        self.bin("*", Opnd::A(a.clone()), Opnd::A(a))
                    } else {
                        let s = self.call1("sin", &a, a.iv.sin());
                        self.bin("+", Opnd::A(a), Opnd::A(s))
                    }
                }
            };
            if let Some(v) = v
                && v.iv.ok()
                && fits(v.shape, req)
            {
                return v;
            }
        }
        self.leaf(sc, req)
    }

    fn gen_bin(&mut self, sc: &mut Scope, req: Option<Shape>, depth: u32) -> Option<V> {
        let op = ["+", "-", "*", "/"][self.rng.weighted(&[30, 22, 30, 14])];
        let a = self.expr(sc, req, depth - 1);
        if self.rng.chance(0.35) {
            let s = self.scalar(sc);
            if op == "/" {
                // plain number over a positive dlarray, or dlarray over a number
                if self.rng.chance(0.5) {
                    let p = self.positive(a);
                    return self.bin("/", Opnd::S(s), Opnd::A(p));
                }
                if !s.iv.away(0.25) {
                    return None;
                }
                return self.bin("/", Opnd::A(a), Opnd::S(s));
            }
            return if self.rng.chance(0.5) {
                self.bin(op, Opnd::A(a), Opnd::S(s))
            } else {
                self.bin(op, Opnd::S(s), Opnd::A(a))
            };
        }
        let b = if req.is_none() && self.rng.chance(0.5) {
            self.expr(sc, None, depth - 1)
        } else {
            self.expr(sc, Some(req.unwrap_or(a.shape)), depth - 1)
        };
        let b = if op == "/" { self.positive(b) } else { b };
        self.bin(op, Opnd::A(a), Opnd::A(b))
    }

    fn gen_call(&mut self, sc: &mut Scope, req: Option<Shape>, depth: u32) -> Option<V> {
        let k = self.rng.below(sc.helper_limit);
        let result_callee = matches!(self.helpers[k].sig, HelperSig::One | HelperSig::Two);
        if !sc.result_fn && result_callee {
            return None;
        }
        if sc.in_helper && result_callee && !self.feat("result_helper_calls_result_helper") {
            return None;
        }
        let (sig, scalar_out, out, name) = {
            let h = &self.helpers[k];
            (h.sig, h.scalar_out, h.out, h.name.clone())
        };
        let a = self.expr(sc, req, depth.saturating_sub(1));
        let a = self.bounded(a, HELPER_ARG);
        self.note(a.deps);
        let mut deps = a.deps;
        let (ad, ap) = (self.ad(&a), Self::ap(&a));
        let (args_d, args_p) = match sig {
            HelperSig::One | HelperSig::OnePlain => (ad, ap),
            HelperSig::Two => {
                let b = self.expr(sc, Some(a.shape), depth.saturating_sub(2));
                let b = self.exact(sc, b, a.shape);
                let b = self.bounded(b, HELPER_ARG);
                if b.shape != a.shape {
                    return None;
                }
                deps |= b.deps;
                self.note(b.deps);
                let (bd, bp) = (self.ad(&b), Self::ap(&b));
                (format!("{ad}, {bd}"), format!("{ap}, {bp}"))
            }
            HelperSig::WithNumber => {
                let s = self.scalar(sc);
                if s.iv.mag() > 1.0 {
                    let c = self.rng.num(-1.0, 1.0);
                    (format!("{ad}, {}", lit(c)), format!("{ap}, {}", lit(c)))
                } else {
                    (format!("{ad}, {}", unparen(&s.d)), format!("{ap}, {}", unparen(&s.p)))
                }
            }
        };
        let q = if matches!(sig, HelperSig::One | HelperSig::Two) { "?" } else { "" };
        if a.kind == Kind::Atom && a.d.contains("h_") {
            self.feats.insert("helper_nested_call");
        }
        self.feats.insert("helper_call");
        let shape = if scalar_out { (1, 1) } else { a.shape };
        Some(V {
            d: format!("{name}({args_d}){q}"),
            p: format!("{name}_plain({args_p})"),
            kind: Kind::Atom,
            shape,
            iv: out,
            deps,
        })
    }

    /// `v` made to have exactly `shape` (combining it with a value of that shape when it is smaller).
    fn exact(&mut self, sc: &mut Scope, v: V, shape: Shape) -> V {
        if v.shape == shape {
            return v;
        }
        for _ in 0..4 {
            let mut cands: Vec<usize> = Vec::new();
            for (i, x) in sc.vars.iter().enumerate() {
                if x.shape == shape && !x.hidden {
                    cands.push(i);
                }
            }
            if cands.is_empty() {
                break;
            }
            let i = cands[self.rng.below(cands.len())];
            sc.vars[i].used = true;
            let x = sc.var_v(i);
            let x = if self.rng.chance(0.5) { self.unary(x.clone()).unwrap_or(x) } else { x };
            let op = *self.rng.pick(&["+", "*", "-"]);
            if let Some(r) = self.bin(op, Opnd::A(v.clone()), Opnd::A(x))
                && r.shape == shape
            {
                return r;
            }
        }
        let z = if shape == POLY {
            let a = sc.vars.iter().find(|x| x.shape == POLY).map(|x| x.name.clone()).unwrap_or_else(|| "a".into());
            format!("{a} * 0.0")
        } else {
            format!("zeros::<f64>(&[{}, {}])", shape.0, shape.1)
        };
        let zv = V {
            d: z.clone(),
            p: z,
            kind: if shape == POLY { Kind::Compound } else { Kind::Atom },
            shape,
            iv: Iv::pt(0.0),
            deps: 0,
        };
        self.bin("+", Opnd::A(v.clone()), Opnd::A(zv)).unwrap_or(v)
    }

    // ---- statements ----

    /// `let name = v;` (sometimes shadowing an existing local). Returns the variable's index.
    fn let_(&mut self, sc: &mut Scope, b: &mut Body, v: V, base: &str) -> usize {
        let v = self.owned(v);
        let shadow: Vec<usize> =
            sc.vars.iter().enumerate().filter(|(_, x)| x.kind == Kind::Local && !x.hidden).map(|(i, _)| i).collect();
        let name = if sc.depth == 0 && !shadow.is_empty() && self.maybe(0.1, "shadowing") {
            let i = shadow[self.rng.below(shadow.len())];
            let name = sc.vars[i].name.clone();
            sc.vars.remove(i);
            name
        } else {
            sc.fresh(base)
        };
        b.line(&format!("let {name} = {};", v.d), &format!("let {name} = {};", v.p));
        sc.vars.push(Var {
            name,
            kind: Kind::Local,
            shape: v.shape,
            iv: v.iv,
            deps: v.deps,
            hidden: false,
            used: false,
            values: vec![],
        });
        sc.vars.len() - 1
    }

    fn let_mut(&mut self, sc: &mut Scope, b: &mut Body, v: V, base: &str) -> usize {
        let v = self.owned(v);
        let name = sc.fresh(base);
        b.line(&format!("let mut {name} = {};", v.d), &format!("let mut {name} = {};", v.p));
        sc.vars.push(Var {
            name,
            kind: Kind::Local,
            shape: v.shape,
            iv: v.iv,
            deps: v.deps,
            hidden: false,
            used: false,
            values: vec![],
        });
        sc.vars.len() - 1
    }

    /// A condition on plain values (diff, plain).
    fn cond(&mut self, sc: &mut Scope) -> (String, String) {
        let (d, p) = self.cond1(sc);
        if self.maybe(0.15, "compound_condition") {
            let (d2, p2) = self.cond1(sc);
            let op = if self.rng.chance(0.5) { "&&" } else { "||" };
            return (format!("{d} {op} {d2}"), format!("{p} {op} {p2}"));
        }
        (d, p)
    }

    fn cond1(&mut self, sc: &mut Scope) -> (String, String) {
        let f64s: Vec<Num> = sc.nums.iter().filter(|n| n.ty == NumTy::F64 && n.value.is_some()).cloned().collect();
        let usizes: Vec<Num> = sc.nums.iter().filter(|n| n.ty == NumTy::Usize && n.value.is_some()).cloned().collect();
        let helper_s: Vec<Num> = sc.nums.iter().filter(|n| n.ty == NumTy::F64 && n.value.is_none()).cloned().collect();
        let arrs: Vec<usize> = sc
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.hidden && v.kind != Kind::Ref && v.shape != POLY)
            .map(|(i, _)| i)
            .collect();
        let w = [
            if f64s.is_empty() { 0 } else { 3 },
            if usizes.is_empty() { 0 } else { 3 },
            if arrs.is_empty() { 0 } else { 5 },
            if helper_s.is_empty() { 0 } else { 4 },
            if sc.idx.is_empty() { 0 } else { 2 },
            1,
        ];
        let cmp = if self.rng.chance(0.5) { ">" } else { "<" };
        match self.rng.weighted(&w) {
            0 => {
                let n = &f64s[self.rng.below(f64s.len())];
                self.feat("cond_on_plain_f64");
                let c = self.away_from(&[n.value.unwrap_or(0.0)], n.iv);
                let s = format!("{} {cmp} {}", n.name, signed(c));
                (s.clone(), s)
            }
            1 => {
                let n = &usizes[self.rng.below(usizes.len())];
                self.feat("cond_on_usize");
                let s = match self.rng.below(3) {
                    0 => format!("{} > {}", n.name, self.rng.below(4)),
                    1 => format!("{} % 2 == {}", n.name, self.rng.below(2)),
                    _ => format!("{} == {}", n.name, 1 + self.rng.below(3)),
                };
                (s.clone(), s)
            }
            2 => {
                let i = arrs[self.rng.below(arrs.len())];
                sc.vars[i].used = true;
                let v = sc.vars[i].clone();
                let n = v.shape.0 * v.shape.1;
                let (d, p) = if self.rng.chance(0.3) {
                    // on a reduction
                    let c = self.away_from(&[v.values.iter().sum::<f64>()], v.iv.sum_of(n, n));
                    let arg = if v.kind == Kind::Param { v.name.clone() } else { format!("&{}", v.name) };
                    let p = format!("sum({arg}, All).get(0) {cmp} {}", signed(c));
                    if (v.deps != 0 || self.ok("compare_untraced")) && self.maybe(0.4, "cond_dlarray_compare") {
                        if v.deps == 0 {
                            self.feat("compare_untraced");
                        }
                        (format!("sum({arg}, All) {cmp} {}", signed(c)), p)
                    } else {
                        (p.clone(), p)
                    }
                } else {
                    let j = self.index_expr(sc, n);
                    let c = self.away_from(&v.values, v.iv);
                    let p = format!("{}.get({j}) {cmp} {}", v.name, signed(c));
                    if (v.deps != 0 || (self.ok("compare_untraced") && self.ok("index_untraced")))
                        && self.maybe(0.3, "cond_dlarray_compare")
                    {
                        if v.deps == 0 {
                            self.feat("compare_untraced");
                            self.feat("index_untraced");
                        }
                        (format!("{}[{j}] {cmp} {}", v.name, signed(c)), p)
                    } else {
                        (p.clone(), p)
                    }
                };
                self.feat("cond_on_traced_value");
                (d, p)
            }
            3 => {
                let n = &helper_s[self.rng.below(helper_s.len())];
                let c = self.rng.num(-0.5, 0.5);
                let s = format!("{} {cmp} {}", n.name, signed(c));
                (s.clone(), s)
            }
            4 => {
                let (name, lo, hi) = sc.idx[self.rng.below(sc.idx.len())].clone();
                self.counters_read.insert(name.clone());
                self.feat("cond_on_loop_index");
                let s = match self.rng.below(3) {
                    0 => format!("{name} % 2 == 0"),
                    1 => format!("{name} > {}", lo + self.rng.below(hi - lo + 1)),
                    _ => format!("{name} == {}", lo + self.rng.below(hi - lo + 1)),
                };
                (s.clone(), s)
            }
            _ => {
                // a size: always the same branch for this function, still a branch to replay
                let i = self.rng.below(sc.vars.len());
                let v = sc.vars[i].clone();
                let s = format!("{}.numel() > {}", v.name, 1 + self.rng.below(3));
                (s.clone(), s)
            }
        }
    }

    /// A threshold inside `iv` at least 0.05 away from every known value.
    fn away_from(&mut self, values: &[f64], iv: Iv) -> f64 {
        let (lo, hi) = (iv.lo.max(-2.0 * INPUT) * 0.7, iv.hi.min(2.0 * INPUT) * 0.7);
        for _ in 0..50 {
            let c = self.rng.num(lo.min(hi), hi.max(lo));
            if values.iter().all(|v| (v - c).abs() > 0.05) {
                return c;
            }
        }
        3.0 * INPUT + 1.0
    }

    /// A loop bound: (diff text, plain text, value).
    fn loop_bound(&mut self, sc: &Scope, max: usize) -> (String, usize) {
        let usizes: Vec<&Num> = sc.nums.iter().filter(|n| n.ty == NumTy::Usize && n.value.is_some()).collect();
        let arrs: Vec<&Var> = sc.vars.iter().filter(|v| v.kind == Kind::Param && v.shape != POLY).collect();
        match self.rng.below(4) {
            0 if !usizes.is_empty() => {
                let n = usizes[self.rng.below(usizes.len())];
                if (n.value.unwrap_or(0.0) as usize) <= max {
                    self.feats.insert("loop_bound_param");
                    return (n.name.clone(), n.value.unwrap_or(0.0) as usize);
                }
            }
            1 if !arrs.is_empty() => {
                let v = arrs[self.rng.below(arrs.len())];
                let n = v.shape.0 * v.shape.1;
                if n <= max {
                    self.feats.insert("loop_bound_numel");
                    return (format!("{}.numel()", v.name), n);
                }
            }
            _ => {}
        }
        let n = 1 + self.rng.below(max);
        (n.to_string(), n)
    }

    /// Opens `for i in lo..n {` (or a `while`/`loop` form) and pushes the loop index.
    /// Returns the closing actions: (index name, kind) where kind 0 = for, 1 = while, 2 = loop.
    fn open_loop(&mut self, sc: &mut Scope, b: &mut Body, max: usize, allow_other: bool) -> (String, u8, usize) {
        let (bound, n) = self.loop_bound(sc, max);
        let n = n.max(1);
        let base = *self.rng.pick(&["i", "j", "t", "step", "k"]);
        let name = sc.fresh(base);
        let kind = if allow_other && self.maybe(0.12, "loop_while") {
            1
        } else if allow_other && self.maybe(0.08, "loop_loop_break") {
            2
        } else {
            0
        };
        let lo = if kind == 0 && n >= 2 && self.maybe(0.15, "loop_from_one") { 1 } else { 0 };
        match kind {
            1 => {
                b.both(&format!("let mut {name} = 0;"));
                b.open(&format!("while {name} < {bound} {{"), &format!("while {name} < {bound} {{"));
            }
            2 => {
                b.both(&format!("let mut {name} = 0;"));
                b.open("loop {", "loop {");
                b.both(&format!("if {name} >= {bound} {{"));
                b.both("    break;");
                b.both("}");
            }
            _ => {
                b.open(&format!("for {name} in {lo}..{bound} {{"), &format!("for {name} in {lo}..{bound} {{"));
            }
        }
        sc.idx.push((name.clone(), lo, n.saturating_sub(1).max(lo)));
        self.enter(sc);
        (name, kind, n - lo)
    }

    fn close_loop(&mut self, sc: &mut Scope, b: &mut Body, l: &(String, u8, usize)) {
        if l.1 != 0 && self.counters_read.contains(&l.0) {
            self.feats.insert("while_counter_read_in_body");
        }
        if l.1 != 0 {
            b.both(&format!("{} += 1;", l.0));
        }
        b.close();
        sc.idx.pop();
        self.leave(sc);
    }

    /// Generates `acc = <update>` inside a loop: returns the per-iteration change (an interval) and the
    /// shape of the update.
    fn acc_update(&mut self, sc: &mut Scope, b: &mut Body, acc: usize, target: Shape) -> (Iv, Shape) {
        let name = sc.vars[acc].name.clone();
        sc.vars[acc].hidden = true;
        let depth = 1 + self.rng.below(3) as u32;
        let mut e = self.expr(sc, Some(target), depth);
        let saved = sc.vars.len();
        if self.maybe(0.2, "let_in_loop_body") {
            let i = self.let_(sc, b, e, "tmp");
            sc.vars[i].used = true;
            let t = sc.var_v(i);
            e = if self.rng.chance(0.5) {
                self.bin("*", Opnd::A(t.clone()), Opnd::A(t.clone())).unwrap_or(t)
            } else {
                t
            };
        }
        sc.vars[acc].hidden = false;
        let (ed, ep) = (self.od(&e), Self::op(&e));
        // the right of `+=` needs no parentheses
        let (cd, cp) = if e.kind == Kind::Compound { (e.d.clone(), e.p.clone()) } else { (ed.clone(), ep.clone()) };
        let delta = match self.rng.below(5) {
            0 if self.feat("compound_assign") => {
                b.line(&format!("{name} += {cd};"), &format!("{name} += {cp};"));
                e.iv
            }
            1 if self.feat("compound_assign") => {
                b.line(&format!("{name} -= {cd};"), &format!("{name} -= {cp};"));
                e.iv.neg()
            }
            2 => {
                b.line(&format!("{name} = {ed} + {name};"), &format!("{name} = {ep} + {name};"));
                e.iv
            }
            3 => {
                b.line(&format!("{name} = {name} - {ed};"), &format!("{name} = {name} - {ep};"));
                e.iv.neg()
            }
            _ => {
                b.line(&format!("{name} = {name} + {ed};"), &format!("{name} = {name} + {ep};"));
                e.iv
            }
        };
        sc.vars.truncate(saved);
        sc.vars[acc].deps |= e.deps;
        sc.vars[acc].used = true;
        (delta, e.shape)
    }

    // ---- blocks ----

    fn blk_straight(&mut self, sc: &mut Scope, b: &mut Body) -> usize {
        let n = 2 + self.rng.below(3);
        let mut last = 0;
        for _ in 0..n {
            let req = self.some_shape(sc);
            let depth = 1 + self.rng.below(3) as u32;
            let v = self.expr(sc, req, depth);
            let base = *self.rng.pick(&["a", "h", "u", "z", "t", "e", "r", "mid", "feat"]);
            last = self.let_(sc, b, v, base);
        }
        last
    }

    fn some_shape(&mut self, sc: &Scope) -> Option<Shape> {
        if self.rng.chance(0.3) {
            return None;
        }
        let shapes: Vec<Shape> = sc.vars.iter().filter(|v| !v.hidden && v.kind != Kind::Ref).map(|v| v.shape).collect();
        if shapes.is_empty() { None } else { Some(shapes[self.rng.below(shapes.len())]) }
    }

    fn exact_shape(&mut self, sc: &Scope) -> Shape {
        let shapes: Vec<Shape> = sc.vars.iter().filter(|v| !v.hidden && v.kind != Kind::Ref).map(|v| v.shape).collect();
        shapes[self.rng.below(shapes.len())]
    }

    fn blk_branch(&mut self, sc: &mut Scope, b: &mut Body) -> usize {
        let t = self.exact_shape(sc);
        let r = self.rng.below(100);
        let has_usize = sc.nums.iter().any(|n| n.ty == NumTy::Usize && n.value.is_some());
        if r < 35 && self.feat("branch_value_if") {
            // let z = if c { e1 } else { e2 };
            let (cd, cp) = self.cond(sc);
            let name = {
                let base = *self.rng.pick(&["z", "sel", "branch", "pick"]);
                sc.fresh(base)
            };
            b.open(&format!("let {name} = if {cd} {{"), &format!("let {name} = if {cp} {{"));
            self.enter(sc);
            let saved = sc.vars.len();
            let e1 = self.expr(sc, Some(t), 2);
            let e1 = self.exact(sc, e1, t);
            let e1 = if self.maybe(0.3, "let_in_branch") {
                let i = self.let_(sc, b, e1, "inner");
                sc.vars[i].used = true;
                let v = sc.var_v(i);
                let s = self.scalar(sc);
                self.bin("*", Opnd::A(v.clone()), Opnd::S(s)).unwrap_or(v)
            } else {
                e1
            };
            let e1 = self.owned(e1);
            b.line(&e1.d, &e1.p);
            sc.vars.truncate(saved);
            b.reopen("} else {", "} else {");
            let e2 = self.expr(sc, Some(t), 2);
            let e2 = self.exact(sc, e2, t);
            let e2 = self.owned(e2);
            b.line(&e2.d, &e2.p);
            sc.vars.truncate(saved);
            self.leave(sc);
            b.ind -= 1;
            b.both("};");
            sc.vars.push(Var {
                name,
                kind: Kind::Local,
                shape: t,
                iv: e1.iv.union(e2.iv),
                deps: e1.deps | e2.deps,
                hidden: false,
                used: false,
                values: vec![],
            });
            return sc.vars.len() - 1;
        }
        if r < 55 && has_usize && self.feat("branch_match") {
            let n = sc.nums.iter().find(|n| n.ty == NumTy::Usize && n.value.is_some()).cloned().expect("usize");
            let name = {
                let base = *self.rng.pick(&["m", "mode_out", "chosen"]);
                sc.fresh(base)
            };
            b.open(&format!("let {name} = match {} {{", n.name), &format!("let {name} = match {} {{", n.name));
            self.enter(sc);
            let mut iv: Option<Iv> = None;
            let mut deps = 0;
            let arms = ["0 =>", "1 | 2 =>", "_ =>"];
            let k = 2 + self.rng.below(2);
            for (ai, arm) in arms.iter().enumerate().skip(3 - k) {
                let arm = if ai == 2 { "_ =>" } else { arm };
                let e = self.expr(sc, Some(t), 2);
                let e = self.exact(sc, e, t);
                let e = self.owned(e);
                b.line(&format!("{arm} {},", e.d), &format!("{arm} {},", e.p));
                iv = Some(iv.map_or(e.iv, |x| x.union(e.iv)));
                deps |= e.deps;
            }
            self.leave(sc);
            b.ind -= 1;
            b.both("};");
            sc.vars.push(Var {
                name,
                kind: Kind::Local,
                shape: t,
                iv: iv.unwrap_or(Iv::pt(0.0)),
                deps,
                hidden: false,
                used: false,
                values: vec![],
            });
            return sc.vars.len() - 1;
        }
        // let mut z = e0; if c1 { z = e1; } [else if c2 { z = z * c + e2; }] [else { z = e3; }]
        self.feat("branch_stmt_if");
        let e0 = self.expr(sc, Some(t), 2);
        let e0 = self.exact(sc, e0, t);
        let z = self.let_mut(sc, b, e0, "z");
        let zname = sc.vars[z].name.clone();
        let mut iv = sc.vars[z].iv;
        let (cd, cp) = self.cond(sc);
        b.open(&format!("if {cd} {{"), &format!("if {cp} {{"));
        self.enter(sc);
        let arms = 1 + self.rng.below(3);
        for arm in 0..arms {
            if arm > 0 {
                if arm == 1 && arms == 3 {
                    self.feat("else_if");
                    let (cd, cp) = self.cond(sc);
                    b.reopen(&format!("}} else if {cd} {{"), &format!("}} else if {cp} {{"));
                } else {
                    b.reopen("} else {", "} else {");
                }
            }
            let cur = sc.var_v(z);
            let e = self.expr(sc, Some(t), 2);
            let new = if self.rng.chance(0.4) {
                // z = z * c + e (reads the old value)
                let c = self.rng.num(0.2, 1.5);
                let s = Sc { d: lit(c), p: lit(c), iv: Iv::pt(c) };
                let zc = self.bin("*", Opnd::A(cur), Opnd::S(s));
                zc.and_then(|zc| self.bin("+", Opnd::A(zc), Opnd::A(e.clone()))).unwrap_or(e)
            } else {
                e
            };
            let new = self.exact(sc, new, t);
            let new = self.owned(new);
            b.line(&format!("{zname} = {};", new.d), &format!("{zname} = {};", new.p));
            iv = iv.union(new.iv);
            sc.vars[z].deps |= new.deps;
        }
        self.leave(sc);
        b.close();
        sc.vars[z].iv = iv;
        z
    }

    fn blk_loop_acc(&mut self, sc: &mut Scope, b: &mut Body) -> usize {
        self.feat("loop_acc");
        let target = self.exact_shape(sc);
        let init = match self.rng.below(4) {
            0 if self.feat("acc_init_traced") => {
                let e = self.expr(sc, Some(target), 1);
                self.bounded(e, 2.0)
            }
            1 if target != POLY && self.feat("acc_init_zeros") => {
                let s = format!("zeros::<f64>(&[{}, {}])", target.0, target.1);
                V { d: s.clone(), p: s, kind: Kind::Atom, shape: target, iv: Iv::pt(0.0), deps: 0 }
            }
            _ => V {
                d: "dlarray(0.0)".into(),
                p: "dlarray(0.0)".into(),
                kind: Kind::Atom,
                shape: (1, 1),
                iv: Iv::pt(0.0),
                deps: 0,
            },
        };
        let base = *self.rng.pick(&["acc", "total", "s", "sum_", "energy"]);
        let base = if base == "sum_" && !self.feat("local_name_trailing_underscore") { "total_s" } else { base };
        let acc = self.let_mut(sc, b, init, base);
        let loops = 1 + self.rng.weighted(&[5, 3, 2]);
        if loops > 1 {
            self.feat("loop_acc_multi");
        }
        for _ in 0..loops {
            let nested = target != POLY && self.maybe(0.12, "loop_nested");
            let l = self.open_loop(sc, b, 4, true);
            let l2 = if nested { Some(self.open_loop(sc, b, 3, false)) } else { None };
            let iters = l.2 * l2.as_ref().map_or(1, |l| l.2);
            let cont = (nested || l.1 == 0) && self.maybe(0.1, "loop_continue");
            if cont {
                let (cd, cp) = self.cond(sc);
                b.open(&format!("if {cd} {{"), &format!("if {cp} {{"));
                b.both("continue;");
                b.close();
            }
            let delta = if self.maybe(0.25, "loop_branch") {
                let (cd, cp) = self.cond(sc);
                b.open(&format!("if {cd} {{"), &format!("if {cp} {{"));
                let (d1, s1) = self.acc_update(sc, b, acc, target);
                let d = if self.rng.chance(0.7) {
                    b.reopen("} else {", "} else {");
                    let (d2, s2) = self.acc_update(sc, b, acc, target);
                    sc.vars[acc].shape = bcast(sc.vars[acc].shape, s2).unwrap_or(target);
                    d1.union(d2)
                } else {
                    d1.union(Iv::pt(0.0))
                };
                b.close();
                sc.vars[acc].shape = bcast(sc.vars[acc].shape, s1).unwrap_or(target);
                d
            } else {
                let (d, s) = self.acc_update(sc, b, acc, target);
                sc.vars[acc].shape = bcast(sc.vars[acc].shape, s).unwrap_or(target);
                d
            };
            let delta = if cont { delta.union(Iv::pt(0.0)) } else { delta };
            let mut brk = false;
            if l2.is_none() && self.maybe(0.1, "loop_break") {
                let a = sc.vars[acc].clone();
                let c = self.rng.num(-1.0, 2.0);
                let arg = format!("&{}", a.name);
                b.open(
                    &format!("if sum({arg}, All).get(0) > {} {{", lit(c)),
                    &format!("if sum({arg}, All).get(0) > {} {{", lit(c)),
                );
                b.both("break;");
                b.close();
                brk = true;
            }
            if let Some(l2) = &l2 {
                self.close_loop(sc, b, l2);
            }
            let _ = brk;
            self.close_loop(sc, b, &l);
            let a = &mut sc.vars[acc];
            let n = iters as f64;
            a.iv = Iv::new(a.iv.lo + (n * delta.lo).min(0.0), a.iv.hi + (n * delta.hi).max(0.0));
        }
        acc
    }

    fn blk_loop_state(&mut self, sc: &mut Scope, b: &mut Body) -> usize {
        self.feat("loop_state");
        let t = self.exact_shape(sc);
        const B: f64 = 2.5;
        if self.maybe(0.2, "two_state") {
            let e = self.expr(sc, Some(t), 1);
            let e = self.exact(sc, e, t);
            let e = self.bounded(e, 1.5);
            let a = self.let_mut(sc, b, e, "a");
            let e = self.expr(sc, Some(t), 1);
            let e = self.exact(sc, e, t);
            let e = self.bounded(e, 1.5);
            let c = self.let_mut(sc, b, e, "c");
            let (an, cn) = (sc.vars[a].name.clone(), sc.vars[c].name.clone());
            let l = self.open_loop(sc, b, 4, true);
            let tmp = if self.feat("local_name_trailing_underscore") { sc.fresh("prod_") } else { sc.fresh("prod_ac") };
            b.both(&format!("let {tmp} = &{an} * &{cn};"));
            sc.vars[a].hidden = true;
            sc.vars[c].hidden = true;
            let g = self.expr(sc, Some(t), 2);
            let g = self.bounded(g, 0.9);
            sc.vars[a].hidden = false;
            sc.vars[c].hidden = false;
            let (gd, gp) = (self.od(&g), Self::op(&g));
            b.line(&format!("{an} = {cn}.sin() * 0.6 + {gd};"), &format!("{an} = {cn}.sin() * 0.6 + {gp};"));
            b.both(&format!("{cn} = {tmp}.cos() * 1.5;"));
            self.close_loop(sc, b, &l);
            for i in [a, c] {
                sc.vars[i].iv = Iv::new(-1.5, 1.5);
                sc.vars[i].deps |= g.deps | sc.vars[a].deps | sc.vars[c].deps;
            }
            sc.vars[c].used = true;
            // result: combine both
            let va = sc.var_v(a);
            let vc = sc.var_v(c);
            let r = self.bin("*", Opnd::A(va), Opnd::A(vc)).expect("same shape");
            return self.let_(sc, b, r, "pair");
        }
        let e = self.expr(sc, Some(t), 2);
        let e = self.exact(sc, e, t);
        let e = self.bounded(e, B);
        let s = {
            let base = *self.rng.pick(&["s", "state", "h", "x_t", "mem"]);
            self.let_mut(sc, b, e, base)
        };
        let sname = sc.vars[s].name.clone();
        let l = self.open_loop(sc, b, 5, true);
        let cur = sc.var_v(s);
        sc.vars[s].hidden = true;
        let (nd, np, deps) = match self.rng.below(4) {
            0 => {
                // s = s * c + G, |G| <= (1 - c) B
                self.feat("state_decay");
                let c = self.rng.num(0.2, 0.9);
                let g = self.expr(sc, Some(t), 2);
                let g = self.bounded(g, ((1.0 - c) * B * 100.0).floor() / 100.0);
                let (cd, gd, gp) = (self.od(&cur), self.od(&g), Self::op(&g));
                (format!("{cd} * {} + {gd}", lit(c)), format!("&{sname} * {} + {gp}", lit(c)), g.deps)
            }
            1 => {
                // s = (s * W + G).tanh()
                self.feat("state_tanh");
                let w = self.expr(sc, Some(t), 1);
                let w = self.bounded(w, 2.0);
                let g = self.expr(sc, Some(t), 2);
                let (cd, wd, gd) = (self.od(&cur), self.od(&w), self.od(&g));
                let (wp, gp) = (Self::op(&w), Self::op(&g));
                (format!("({cd} * {wd} + {gd}).tanh()"), format!("(&{sname} * {wp} + {gp}).tanh()"), w.deps | g.deps)
            }
            2 => {
                // s = s - c * (s - G), |G| <= B
                self.feat("state_relaxation");
                let c = self.rng.num(0.1, 0.9);
                let g = self.expr(sc, Some(t), 2);
                let g = self.bounded(g, B);
                let (c1, c2, gd, gp) = (self.od(&cur), self.od(&cur), self.od(&g), Self::op(&g));
                (
                    format!("{c1} - {} * ({c2} - {gd})", lit(c)),
                    format!("&{sname} - {} * (&{sname} - {gp})", lit(c)),
                    g.deps,
                )
            }
            _ => {
                // s = s.sin() * c + G, |G| <= B - c
                self.feat("state_sin");
                let c = self.rng.num(0.3, 1.0);
                let g = self.expr(sc, Some(t), 2);
                let g = self.bounded(g, B - c);
                let gd = self.od(&g);
                let gp = Self::op(&g);
                (format!("{sname}.sin() * {} + {gd}", lit(c)), format!("{sname}.sin() * {} + {gp}", lit(c)), g.deps)
            }
        };
        sc.vars[s].hidden = false;
        if self.maybe(0.15, "let_in_loop_body") {
            let tmp = sc.fresh("next");
            b.line(&format!("let {tmp} = {nd};"), &format!("let {tmp} = {np};"));
            b.both(&format!("{sname} = {tmp};"));
        } else {
            b.line(&format!("{sname} = {nd};"), &format!("{sname} = {np};"));
        }
        if self.maybe(0.12, "loop_break") {
            let c = self.rng.num(-1.0, 1.0);
            let j = self.rng.below(t.0.max(1) * t.1.max(1));
            let j = if t == POLY { 0 } else { j };
            let traced = sc.vars[s].deps != 0 || deps != 0;
            let (d, p) = if traced && self.maybe(0.4, "cond_dlarray_compare") {
                (format!("if {sname}[{j}] > {} {{", signed(c)), format!("if {sname}.get({j}) > {} {{", signed(c)))
            } else {
                (format!("if {sname}.get({j}) > {} {{", signed(c)), format!("if {sname}.get({j}) > {} {{", signed(c)))
            };
            b.open(&d, &p);
            b.both("break;");
            b.close();
        }
        self.close_loop(sc, b, &l);
        sc.vars[s].iv = sc.vars[s].iv.union(Iv::new(-B, B));
        sc.vars[s].deps |= deps;
        sc.vars[s].used = false;
        s
    }

    fn blk_vec(&mut self, sc: &mut Scope, b: &mut Body) -> usize {
        let t = self.exact_shape(sc);
        let len = 2 + self.rng.below(3);
        let vname = {
            let base = *self.rng.pick(&["v", "hist", "parts", "seq", "items", "layers_out"]);
            sc.fresh(base)
        };
        let mut iv: Option<Iv> = None;
        let mut deps = 0;
        let mut events = Vec::new();
        let build = self.rng.below(100);
        if build < 40 && self.feat("vec_push_loop") {
            let decl = match self.rng.below(3) {
                0 => format!("let mut {vname}: Vec<DlArray> = Vec::new();"),
                1 => format!("let mut {vname} = Vec::with_capacity({len});"),
                _ => format!("let mut {vname} = Vec::new();"),
            };
            b.both(&decl);
            b.open(&format!("for i in 0..{len} {{"), &format!("for i in 0..{len} {{"));
            sc.names.insert("i".into());
            sc.idx.push(("i".into(), 0, len - 1));
            self.enter(sc);
            let e = self.expr(sc, Some(t), 2);
            let e = self.exact(sc, e, t);
            let e = self.owned(e);
            b.line(&format!("{vname}.push({});", e.d), &format!("{vname}.push({});", e.p));
            iv = Some(e.iv);
            deps |= e.deps;
            events.push(VecEvent::Push(e.deps));
            self.leave(sc);
            sc.idx.pop();
            b.close();
        } else if build < 60 && self.feat("vec_literal") {
            let mut ds = vec![];
            let mut ps = vec![];
            for _ in 0..len {
                let e = self.expr(sc, Some(t), 2);
                let e = self.exact(sc, e, t);
                let e = self.owned(e);
                ds.push(e.d.clone());
                ps.push(e.p.clone());
                iv = Some(iv.map_or(e.iv, |x| x.union(e.iv)));
                deps |= e.deps;
                events.push(VecEvent::Literal(e.deps));
            }
            b.line(
                &format!("let mut {vname} = vec![{}];", ds.join(", ")),
                &format!("let mut {vname} = vec![{}];", ps.join(", ")),
            );
        } else if build < 75 && self.feat("vec_collect") {
            b.open(
                &format!("let mut {vname}: Vec<DlArray> = (0..{len})"),
                &format!("let mut {vname}: Vec<DlArray> = (0..{len})"),
            );
            let i = sc.fresh("i");
            sc.idx.push((i.clone(), 0, len - 1));
            self.enter(sc);
            let saved_limit = std::mem::take(&mut sc.helper_limit);
            let e = self.expr(sc, Some(t), 2);
            let e = self.exact(sc, e, t);
            let e = self.owned(e);
            sc.helper_limit = saved_limit;
            b.line(&format!(".map(|{i}| {})", e.d), &format!(".map(|{i}| {})", e.p));
            b.both(".collect();");
            b.ind -= 1;
            iv = Some(e.iv);
            deps |= e.deps;
            events.push(VecEvent::Collect(e.deps));
            self.leave(sc);
            sc.idx.pop();
        } else {
            self.feat("vec_push");
            b.both(&format!("let mut {vname}: Vec<DlArray> = Vec::new();"));
            for _ in 0..len {
                let e = self.expr(sc, Some(t), 2);
                let e = self.exact(sc, e, t);
                let e = self.owned(e);
                b.line(&format!("{vname}.push({});", e.d), &format!("{vname}.push({});", e.p));
                iv = Some(iv.map_or(e.iv, |x| x.union(e.iv)));
                deps |= e.deps;
                events.push(VecEvent::Push(e.deps));
            }
        }
        let vi = sc.vecs.len();
        sc.vecs.push(VecVar { name: vname.clone(), len, shape: t, iv: iv.unwrap_or(Iv::pt(0.0)), deps });
        // writes
        if self.maybe(0.5, "vec_write") {
            let in_loop = self.rng.chance(0.4);
            let (j, l) = if in_loop {
                let l = self.open_loop(sc, b, len, false);
                (l.0.clone(), Some(l))
            } else {
                (self.rng.below(len).to_string(), None)
            };
            if in_loop && l.as_ref().is_some_and(|l| l.0 != "i") {
                // the bound of open_loop is at most len
            }
            let old = V {
                d: format!("{vname}[{j}]"),
                p: format!("{vname}[{j}]"),
                kind: Kind::VecElem,
                shape: t,
                iv: sc.vecs[vi].iv,
                deps: sc.vecs[vi].deps,
            };
            let e = self.expr(sc, Some(t), 2);
            let new = if self.rng.chance(0.6) {
                let c = self.rng.num(0.2, 0.9);
                let s = Sc { d: lit(c), p: lit(c), iv: Iv::pt(c) };
                let o = if self.rng.chance(0.5) { self.call1("tanh", &old, old.iv.mono(f64::tanh)) } else { old };
                let oc = self.bin("*", Opnd::A(o), Opnd::S(s));
                oc.and_then(|oc| self.bin("+", Opnd::A(oc), Opnd::A(e.clone()))).unwrap_or(e)
            } else {
                e
            };
            let new = self.exact(sc, new, t);
            let new = self.bounded(new, MAXMAG / 2.0);
            let new = self.owned(new);
            b.line(&format!("{vname}[{j}] = {};", new.d), &format!("{vname}[{j}] = {};", new.p));
            events.push(VecEvent::Write(new.deps));
            if let Some(l) = l {
                self.close_loop(sc, b, &l);
            }
            // a loop over all elements may apply the update to already updated values: bound it
            let v = &mut sc.vecs[vi];
            v.iv = v.iv.union(new.iv);
            v.deps |= new.deps;
            if in_loop {
                v.iv = v.iv.union(Iv::new(-MAXMAG / 2.0, MAXMAG / 2.0));
            }
        }
        sc.vec_events.push(events);
        // reads into a result
        let v = sc.vecs[vi].clone();
        let r = self.rng.below(100);
        let rname = {
            let base = *self.rng.pick(&["r", "pooled", "agg", "out"]);
            sc.fresh(base)
        };
        let (riv, rdeps, shape) = if r < 25 && self.feat("vec_for_ref") {
            b.both(&format!("let mut {rname} = dlarray(0.0);"));
            let tname = {
                let base = *self.rng.pick(&["t", "item", "p"]);
                sc.fresh(base)
            };
            let form = if self.rng.chance(0.5) { format!("&{vname}") } else { format!("{vname}.iter()") };
            b.open(&format!("for {tname} in {form} {{"), &format!("for {tname} in {form} {{"));
            self.enter(sc);
            let e = self.ref_expr(sc, &tname, &v);
            b.line(&format!("{rname} = {rname} + {};", self.od(&e)), &format!("{rname} = {rname} + {};", Self::op(&e)));
            self.leave(sc);
            b.close();
            (e.iv.sum_of(0, len).union(Iv::pt(0.0)), e.deps, bcast((1, 1), e.shape).unwrap_or(t))
        } else if r < 40 && self.feat("vec_enumerate") {
            b.both(&format!("let mut {rname} = dlarray(0.0);"));
            let tname = sc.fresh("item");
            let i = sc.fresh("idx");
            b.open(
                &format!("for ({i}, {tname}) in {vname}.iter().enumerate() {{"),
                &format!("for ({i}, {tname}) in {vname}.iter().enumerate() {{"),
            );
            self.enter(sc);
            sc.idx.push((i.clone(), 0, len - 1));
            let e = self.ref_expr(sc, &tname, &v);
            let s = self.scalar(sc);
            let e = self.bin("*", Opnd::A(e.clone()), Opnd::S(s)).unwrap_or(e);
            b.line(&format!("{rname} = {rname} + {};", self.od(&e)), &format!("{rname} = {rname} + {};", Self::op(&e)));
            sc.idx.pop();
            self.leave(sc);
            b.close();
            (e.iv.sum_of(0, len).union(Iv::pt(0.0)), e.deps, bcast((1, 1), e.shape).unwrap_or(t))
        } else if r < 60 && self.feat("vec_map_sum") {
            let tname = sc.fresh("t");
            self.enter(sc);
            let e = self.ref_expr(sc, &tname, &v);
            self.leave(sc);
            if (e.deps | v.deps) == 0 {
                self.feats.insert("vec_map_sum_untraced");
            }
            let ed = e.d.clone();
            let ep = e.p.clone();
            b.line(
                &format!("let {rname} = {vname}.iter().map(|{tname}| {ed}).sum::<DlArray>();"),
                &format!("let {rname} = {vname}.iter().fold(dlarray(0.0), |acc_, {tname}| acc_ + {});", paren(&e, &ep)),
            );
            (e.iv.sum_of(1, len), e.deps, bcast((1, 1), e.shape).unwrap_or(t))
        } else if r < 75 && self.feat("vec_fold") {
            let tname = sc.fresh("t");
            let aname = sc.fresh("a");
            self.enter(sc);
            let e = self.ref_expr(sc, &tname, &v);
            self.leave(sc);
            let (ed, ep) = (paren(&e, &e.d), paren(&e, &e.p));
            b.line(
                &format!("let {rname} = {vname}.iter().fold(dlarray(0.0), |{aname}, {tname}| {aname} + {ed});"),
                &format!("let {rname} = {vname}.iter().fold(dlarray(0.0), |{aname}, {tname}| {aname} + {ep});"),
            );
            (e.iv.sum_of(0, len).union(Iv::pt(0.0)), e.deps, bcast((1, 1), e.shape).unwrap_or(t))
        } else {
            self.feat("vec_index_loop");
            b.both(&format!("let mut {rname} = dlarray(0.0);"));
            let i = sc.fresh("i");
            let bound = if self.rng.chance(0.5) { format!("{vname}.len()") } else { len.to_string() };
            b.open(&format!("for {i} in 0..{bound} {{"), &format!("for {i} in 0..{bound} {{"));
            self.enter(sc);
            sc.idx.push((i.clone(), 0, len - 1));
            let el = V {
                d: format!("{vname}[{i}]"),
                p: format!("{vname}[{i}]"),
                kind: Kind::VecElem,
                shape: t,
                iv: v.iv,
                deps: v.deps,
            };
            let e = self.unary(el.clone()).unwrap_or(el);
            let s = self.scalar(sc);
            let e = self.bin("*", Opnd::A(e.clone()), Opnd::S(s)).unwrap_or(e);
            b.line(&format!("{rname} = {rname} + {};", self.od(&e)), &format!("{rname} = {rname} + {};", Self::op(&e)));
            sc.idx.pop();
            self.leave(sc);
            b.close();
            (e.iv.sum_of(0, len).union(Iv::pt(0.0)), e.deps, bcast((1, 1), e.shape).unwrap_or(t))
        };
        sc.vars.push(Var {
            name: rname,
            kind: Kind::Local,
            shape,
            iv: riv,
            deps: rdeps,
            hidden: false,
            used: false,
            values: vec![],
        });
        sc.vars.len() - 1
    }

    /// An expression of a `&DlArray` binding `t` (an element of `v`), possibly with captured values.
    fn ref_expr(&mut self, sc: &mut Scope, t: &str, v: &VecVar) -> V {
        sc.vars.push(Var {
            name: t.to_string(),
            kind: Kind::Ref,
            shape: v.shape,
            iv: v.iv,
            deps: v.deps,
            hidden: false,
            used: false,
            values: vec![],
        });
        let tv = sc.var_v(sc.vars.len() - 1);
        let saved_vecs = std::mem::take(&mut sc.vecs);
        let saved_limit = std::mem::take(&mut sc.helper_limit);
        let e = if self.rng.chance(0.5) {
            self.unary(tv.clone()).unwrap_or(tv.clone())
        } else {
            let o = self.expr(sc, Some(v.shape), 1);
            {
                let op = *self.rng.pick(&["*", "+", "-"]);
                self.bin(op, Opnd::A(tv.clone()), Opnd::A(o)).unwrap_or(tv.clone())
            }
        };
        sc.vecs = saved_vecs;
        sc.helper_limit = saved_limit;
        sc.vars.pop();
        if v.deps == 0 && e.deps != 0 {
            self.feats.insert("untraced_vec_binding_in_traced_op");
        }
        if e.kind == Kind::Ref {
            let c = self.rng.num(0.5, 1.0);
            let scaled = self.bin("*", Opnd::A(e.clone()), Opnd::S(Sc { d: lit(c), p: lit(c), iv: Iv::pt(c) }));
            return scaled.unwrap_or_else(|| self.call1("tanh", &e, e.iv.mono(f64::tanh)));
        }
        e
    }

    fn blk_calls(&mut self, sc: &mut Scope, b: &mut Body) -> usize {
        sc.prefer_calls = true;
        let mut last = 0;
        let n = 1 + self.rng.below(3);
        for _ in 0..n {
            let req = self.some_shape(sc);
            let depth = 2 + self.rng.below(2) as u32;
            let v = self.gen_call(sc, req, depth);
            let v = match v {
                Some(v) => v,
                None => self.expr(sc, req, 2),
            };
            let v = if self.rng.chance(0.3) { self.unary(v.clone()).unwrap_or(v) } else { v };
            last = {
                let base = *self.rng.pick(&["c", "out", "hv", "g1", "res"]);
                self.let_(sc, b, v, base)
            };
        }
        if self.maybe(0.3, "helper_in_loop") {
            let t = self.exact_shape(sc);
            let acc = self.let_mut(
                sc,
                b,
                V {
                    d: "dlarray(0.0)".into(),
                    p: "dlarray(0.0)".into(),
                    kind: Kind::Atom,
                    shape: (1, 1),
                    iv: Iv::pt(0.0),
                    deps: 0,
                },
                "acc",
            );
            let l = self.open_loop(sc, b, 3, false);
            sc.vars[acc].hidden = true;
            let mut e = self.gen_call(sc, Some(t), 2);
            if e.is_none() {
                e = Some(self.expr(sc, Some(t), 2));
            }
            let e = e.expect("some");
            sc.vars[acc].hidden = false;
            let name = sc.vars[acc].name.clone();
            b.line(&format!("{name} = {name} + {};", self.od(&e)), &format!("{name} = {name} + {};", Self::op(&e)));
            self.close_loop(sc, b, &l);
            let n = l.2 as f64;
            let a = &mut sc.vars[acc];
            a.iv = Iv::new((n * e.iv.lo).min(0.0), (n * e.iv.hi).max(0.0));
            a.deps |= e.deps;
            a.shape = bcast((1, 1), e.shape).unwrap_or(t);
            last = acc;
        }
        sc.prefer_calls = false;
        last
    }

    fn blk_index(&mut self, sc: &mut Scope, b: &mut Body) -> usize {
        sc.prefer_index = true;
        let r = self.rng.below(100);
        let params: Vec<usize> = sc
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.kind == Kind::Param && v.shape != POLY && (v.deps != 0 || self.ok("index_untraced")))
            .map(|(i, _)| i)
            .collect();
        let res = if r < 35 && self.feat("index_assign_zeros") {
            // let mut y = zeros(..); for i in 0..m { y[i] = e; }
            let shape = *self.rng.pick(&[(1, 3), (1, 2), (3, 1), (2, 2)]);
            let m = shape.0 * shape.1;
            let base = *self.rng.pick(&["y_vec", "buf", "out_vec", "col"]);
            let y = self.let_mut(
                sc,
                b,
                V {
                    d: format!("zeros::<f64>(&[{}, {}])", shape.0, shape.1),
                    p: format!("zeros::<f64>(&[{}, {}])", shape.0, shape.1),
                    kind: Kind::Atom,
                    shape,
                    iv: Iv::pt(0.0),
                    deps: 0,
                },
                base,
            );
            let yname = sc.vars[y].name.clone();
            sc.vars[y].hidden = true;
            let mut iv = Iv::pt(0.0);
            let mut deps = 0;
            if self.rng.chance(0.6) && self.feat("index_assign_loop") {
                let i = sc.fresh("i");
                b.open(&format!("for {i} in 0..{m} {{"), &format!("for {i} in 0..{m} {{"));
                sc.idx.push((i.clone(), 0, m - 1));
                self.enter(sc);
                let e = self.expr(sc, Some((1, 1)), 2);
                let e = self.owned(e);
                let (idx_d, idx_p) = if shape.0 > 1 && shape.1 > 1 {
                    self.feat("index_assign_2d");
                    (
                        format!("({i} % {}, {i} / {})", shape.0, shape.0),
                        format!("({i} % {}, {i} / {})", shape.0, shape.0),
                    )
                } else {
                    (i.clone(), i.clone())
                };
                if e.deps == 0 {
                    self.feats.insert("index_assign_untraced_value");
                }
                b.line(
                    &format!("{yname}[{idx_d}] = {};", e.d),
                    &format!("{yname} = {yname}.assign({idx_p}, &{});", paren(&e, &e.p)),
                );
                iv = iv.union(e.iv);
                deps |= e.deps;
                self.leave(sc);
                sc.idx.pop();
                b.close();
            } else {
                for j in 0..m {
                    if j > 0 && self.rng.chance(0.3) {
                        continue;
                    }
                    let e = self.expr(sc, Some((1, 1)), 2);
                    let e = self.owned(e);
                    if e.deps == 0 {
                        self.feats.insert("index_assign_untraced_value");
                    }
                    b.line(
                        &format!("{yname}[{j}] = {};", e.d),
                        &format!("{yname} = {yname}.assign({j}, &{});", paren(&e, &e.p)),
                    );
                    iv = iv.union(e.iv);
                    deps |= e.deps;
                }
            }
            sc.vars[y].hidden = false;
            sc.vars[y].iv = iv;
            sc.vars[y].deps = deps;
            y
        } else if r < 60 && !params.is_empty() && self.feat("index_assign_overwrite") {
            // let mut y = x * c; y[j] = f(y[j]) + e;
            let p = params[self.rng.below(params.len())];
            let pv = sc.var_v(p);
            let init = self.owned(pv.clone());
            let y = self.let_mut(sc, b, init, "y_copy");
            let yname = sc.vars[y].name.clone();
            let n = pv.shape.0 * pv.shape.1;
            let k = 1 + self.rng.below(2);
            for _ in 0..k {
                let j = self.rng.below(n);
                let old = V {
                    d: format!("{yname}[{j}]"),
                    p: format!("{yname}.at({j})"),
                    kind: Kind::Atom,
                    shape: (1, 1),
                    iv: sc.vars[y].iv,
                    deps: sc.vars[y].deps,
                };
                let o = self.unary(old.clone()).unwrap_or(old);
                let e = self.expr(sc, Some((1, 1)), 1);
                let e = self.bin("+", Opnd::A(o.clone()), Opnd::A(e)).unwrap_or(o);
                let e = self.owned(e);
                b.line(
                    &format!("{yname}[{j}] = {};", e.d),
                    &format!("{yname} = {yname}.assign({j}, &{});", paren(&e, &e.p)),
                );
                sc.vars[y].iv = sc.vars[y].iv.union(e.iv);
                sc.vars[y].deps |= e.deps;
            }
            y
        } else {
            self.feat("index_reads");
            let n = 1 + self.rng.below(2);
            let mut last = 0;
            for _ in 0..n {
                let req = if self.rng.chance(0.5) { Some((1, 1)) } else { self.some_shape(sc) };
                let v = self.expr(sc, req, 2);
                last = {
                    let base = *self.rng.pick(&["el", "pick", "part", "piece"]);
                    self.let_(sc, b, v, base)
                };
            }
            last
        };
        sc.prefer_index = false;
        res
    }

    fn block(&mut self, kind: &str, sc: &mut Scope, b: &mut Body) -> usize {
        match kind {
            "branch" => self.blk_branch(sc, b),
            "loop_acc" => self.blk_loop_acc(sc, b),
            "loop_state" => self.blk_loop_state(sc, b),
            "vec_state" => self.blk_vec(sc, b),
            "calls" if sc.helper_limit > 0 && self.ok("helper_call") => self.blk_calls(sc, b),
            "indexing" => self.blk_index(sc, b),
            _ => self.blk_straight(sc, b),
        }
    }

    // ---- functions ----

    /// Helper `k`; helpers that use a known-bug feature are generated again.
    fn gen_helper(&mut self, k: usize) -> Helper {
        for _ in 0..100 {
            let h = self.gen_helper_once(k);
            if self.feats.iter().all(|f| self.ok(f)) {
                return h;
            }
        }
        panic!("no helper {k} without the known bugs {KNOWN_BUGS:?}")
    }

    fn gen_helper_once(&mut self, k: usize) -> Helper {
        self.feats.clear();
        self.cf_deps.clear();
        self.counters_read.clear();
        self.depth = 0;
        let sig = *self.rng.pick(&[HelperSig::One, HelperSig::OnePlain, HelperSig::Two, HelperSig::WithNumber]);
        let name = format!("h_{k}");
        let mut sc = Scope {
            helper_limit: k,
            result_fn: matches!(sig, HelperSig::One | HelperSig::Two),
            in_helper: true,
            ..Default::default()
        };
        for n in ["a", "b", "s", "h_"] {
            sc.names.insert(n.to_string());
        }
        let pv = |name: &str, bit: u32| Var {
            name: name.to_string(),
            kind: Kind::Param,
            shape: POLY,
            iv: Iv::new(-HELPER_ARG, HELPER_ARG),
            deps: bit,
            hidden: false,
            used: false,
            values: vec![],
        };
        sc.vars.push(pv("a", 1));
        let sig_s = match sig {
            HelperSig::One => "a: &DlArray".to_string(),
            HelperSig::OnePlain => "a: &DlArray".to_string(),
            HelperSig::Two => {
                sc.vars.push(pv("b", 2));
                "a: &DlArray, b: &DlArray".to_string()
            }
            HelperSig::WithNumber => {
                sc.nums.push(Num { name: "s".into(), ty: NumTy::F64, iv: Iv::new(-1.0, 1.0), value: None });
                "a: &DlArray, s: f64".to_string()
            }
        };
        let mut b = Body::default();
        let nlets = self.rng.below(3);
        for _ in 0..nlets {
            let depth = 1 + self.rng.below(2) as u32;
            let v = self.expr(&mut sc, Some(POLY), depth);
            let base = *self.rng.pick(&["t", "u", "w", "q"]);
            self.let_(&mut sc, &mut b, v, base);
        }
        if sig == HelperSig::WithNumber && self.rng.chance(0.5) {
            self.blk_branch(&mut sc, &mut b);
        } else if self.rng.chance(0.2) {
            self.blk_loop_acc(&mut sc, &mut b);
        }
        let scalar_out = self.rng.chance(0.3);
        // the output: prefer the last local
        let last = sc.vars.iter().rposition(|v| v.kind == Kind::Local);
        let out = if let Some(i) = last.filter(|_| self.rng.chance(0.7)) {
            let lv = sc.var_v(i);
            let e = self.expr(&mut sc, Some(POLY), 1);
            let op = *self.rng.pick(&["+", "*", "-"]);
            self.bin(op, Opnd::A(lv.clone()), Opnd::A(e)).unwrap_or(lv)
        } else {
            self.expr(&mut sc, Some(POLY), 2)
        };
        let out = if scalar_out {
            self.reduce(out.clone(), Some((1, 1))).filter(|v| v.shape == (1, 1)).unwrap_or_else(|| {
                let a = self.ad(&out);
                let ap = Self::ap(&out);
                V {
                    d: format!("sum({a}, All)"),
                    p: format!("sum({ap}, All)"),
                    kind: Kind::Atom,
                    shape: (1, 1),
                    iv: out.iv.sum_of(1, 6),
                    deps: out.deps,
                }
            })
        } else {
            self.exact(&mut sc, out, POLY)
        };
        let out = self.owned(out);
        let out = self.bounded(out, 20.0);
        let scalar_out = out.shape == (1, 1);
        let ret = if matches!(sig, HelperSig::One | HelperSig::Two) { "Result<DlArray>" } else { "DlArray" };
        let tail =
            if matches!(sig, HelperSig::One | HelperSig::Two) { format!("Ok({})", out.d) } else { out.d.clone() };
        let doc = format!("/// Helper {k} (generated).");
        let src_d = format!("{doc}\n#[differentiable]\nfn {name}({sig_s}) -> {ret} {{\n{}    {tail}\n}}\n", b.d);
        let src_p = format!("fn {name}_plain({sig_s}) -> DlArray {{\n{}    {}\n}}\n", b.p, out.p);
        Helper { name, sig, scalar_out, out: out.iv, src_d, src_p }
    }

    /// A model of the given shape; models that use a known-bug feature are generated again.
    fn gen_model(&mut self, idx: usize, shape: &'static str, helper_count: usize) -> Model {
        for _ in 0..100 {
            let m = self.gen_model_once(idx, shape, helper_count);
            if m.feats.iter().all(|f| self.ok(f)) {
                return m;
            }
        }
        panic!("no model {idx} of shape {shape} without the known bugs {KNOWN_BUGS:?}")
    }

    /// Known-bug patterns of local `Vec`s, checked after the function is generated (they depend on the
    /// gradient targets): see `KNOWN_BUGS`.
    fn vec_checks(&mut self, events: &[Vec<VecEvent>], masks: &[u32]) {
        for ev in events {
            for &m in masks {
                let varied = |d: u32| d & m != 0;
                let inits: Vec<bool> = ev
                    .iter()
                    .filter_map(|e| match e {
                        VecEvent::Literal(d) | VecEvent::Collect(d) | VecEvent::Push(d) => Some(varied(*d)),
                        VecEvent::Write(_) => None,
                    })
                    .collect();
                let has_push = ev.iter().any(|e| matches!(e, VecEvent::Push(_)));
                if has_push && inits.iter().any(|&v| v) && inits.iter().any(|&v| !v) {
                    self.feats.insert("vec_push_mixed_dependence");
                }
                for (k, e) in ev.iter().enumerate() {
                    if let VecEvent::Write(d) = e {
                        let before_varied = ev[..k].iter().any(|e| match e {
                            VecEvent::Literal(d) | VecEvent::Collect(d) | VecEvent::Push(d) | VecEvent::Write(d) => {
                                varied(*d)
                            }
                        });
                        if !varied(*d) && before_varied {
                            self.feats.insert("vec_write_nonvaried_into_varied");
                        }
                    }
                }
            }
            let untraced_collect = ev.iter().any(|e| matches!(e, VecEvent::Collect(0)));
            let traced_write = ev.iter().any(|e| matches!(e, VecEvent::Write(d) if *d != 0));
            if untraced_collect && traced_write {
                self.feats.insert("vec_collect_untraced_then_traced_write");
            }
        }
    }

    fn gen_model_once(&mut self, idx: usize, shape: &'static str, helper_count: usize) -> Model {
        self.feats.clear();
        self.cf_deps.clear();
        self.counters_read.clear();
        self.depth = 0;
        let prefix = *self.rng.pick(&["model", "loss", "objective", "energy", "score", "fun", "net", "sim"]);
        let name = format!("{prefix}_{idx}");
        let mut sc = Scope { helper_limit: helper_count, result_fn: true, ..Default::default() };
        sc.names.insert(name.clone());
        for r in ["y", "g", "grads", "All", "sum", "mean", "exp", "log", "dlarray", "zeros"] {
            sc.names.insert(r.into());
        }
        for h in 0..helper_count {
            sc.names.insert(format!("h_{h}"));
        }
        // parameters
        let narr = 1 + self.rng.weighted(&[4, 4, 2]);
        let mut params: Vec<Param> = Vec::new();
        let shapes: &[Shape] = &[(1, 1), (1, 2), (1, 3), (3, 1), (2, 2), (2, 3), (1, 4)];
        let mut bit = 1;
        let names_pool = ["x", "w", "theta", "p", "q", "u", "bias", "z0", "xs", "param"];
        for ai in 0..narr {
            let pname = sc.fresh(names_pool[self.rng.below(names_pool.len())]);
            let shape = if ai > 0 && self.rng.chance(0.4) {
                // same shape as the first (elementwise interplay)
                sc.vars[0].shape
            } else {
                shapes[self.rng.weighted(&[2, 2, 4, 2, 3, 1, 1])]
            };
            let values: Vec<f64> = (0..shape.0 * shape.1).map(|_| self.rng.num(-INPUT, INPUT)).collect();
            let untraced = ai > 0 && self.maybe(0.1, "untraced_param");
            sc.vars.push(Var {
                name: pname.clone(),
                kind: Kind::Param,
                shape,
                iv: Iv::new(-INPUT, INPUT),
                deps: if untraced { 0 } else { bit },
                hidden: false,
                used: false,
                values: values.clone(),
            });
            params.push(Param::Arr { name: pname, shape, values, untraced });
            bit <<= 1;
        }
        let want_f64 = self.rng.chance(if shape == "branch" { 0.7 } else { 0.35 });
        let want_usize = self.rng.chance(if shape == "branch" { 0.6 } else { 0.3 });
        if want_f64 {
            let pname = {
                let base = *self.rng.pick(&["dt", "alpha", "lam", "scale", "gain"]);
                sc.fresh(base)
            };
            let value = self.rng.num(-1.0, 1.0);
            sc.nums.push(Num { name: pname.clone(), ty: NumTy::F64, iv: Iv::pt(value), value: Some(value) });
            params.push(Param::F64 { name: pname, value });
        }
        if want_usize {
            let pname = {
                let base = *self.rng.pick(&["n", "steps", "mode", "reps"]);
                sc.fresh(base)
            };
            let value = 1 + self.rng.below(4);
            sc.nums.push(Num {
                name: pname.clone(),
                ty: NumTy::Usize,
                iv: Iv::pt(value as f64),
                value: Some(value as f64),
            });
            params.push(Param::Usize { name: pname, value });
        }
        // shuffle plain parameters in between sometimes
        if params.len() > 2 && !matches!(params.last(), Some(Param::Arr { .. })) && self.rng.chance(0.3) {
            let last = params.pop().expect("nonempty");
            let at = 1 + self.rng.below(params.len() - 1);
            params.insert(at, last);
        }
        // body
        let mut b = Body::default();
        if self.rng.chance(0.4) {
            let depth = 1 + self.rng.below(2) as u32;
            let v = self.expr(&mut sc, None, depth);
            self.let_(&mut sc, &mut b, v, "pre");
        }
        let main = self.block(shape, &mut sc, &mut b);
        sc.vars[main].used = true;
        if self.rng.chance(0.35) {
            let other = *self.rng.pick(SHAPES);
            if other != shape {
                self.block(other, &mut sc, &mut b);
            }
        }
        // y
        let mv = sc.var_v(main);
        let mut y = if mv.shape == (1, 1) && self.rng.chance(0.5) {
            let s = self.scalar(&sc);
            let op = *self.rng.pick(&["*", "+"]);
            self.bin(op, Opnd::A(mv.clone()), Opnd::S(s)).unwrap_or(mv.clone())
        } else {
            self.reduce(mv.clone(), Some((1, 1))).filter(|v| v.shape == (1, 1)).unwrap_or_else(|| V {
                d: format!("sum(&{}, All)", mv.d),
                p: format!("sum(&{}, All)", mv.p),
                kind: Kind::Atom,
                shape: (1, 1),
                iv: mv.iv.sum_of(1, 6),
                deps: mv.deps,
            })
        };
        if y.kind == Kind::Local {
            y = self.owned(y);
        }
        // unused locals, and targets y does not depend on yet
        let unused: Vec<usize> = sc
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.kind == Kind::Local && !v.used && !v.hidden)
            .map(|(i, _)| i)
            .collect();
        for &i in unused.iter().take(2) {
            let v = sc.var_v(i);
            let v = self.bounded(v, MAXMAG);
            if let Some(r) = self.reduce(v, Some((1, 1))).filter(|r| r.shape == (1, 1)) {
                let c = self.rng.num(0.1, 0.9);
                let t = self.bin("*", Opnd::S(Sc { d: lit(c), p: lit(c), iv: Iv::pt(c) }), Opnd::A(r));
                if let Some(t) = t
                    && let Some(s) = self.bin("+", Opnd::A(y.clone()), Opnd::A(t))
                {
                    y = s;
                }
            }
        }
        let mut targets: Vec<usize> = Vec::new();
        for (pi, p) in params.iter().enumerate() {
            if let Param::Arr { untraced: false, .. } = p {
                let ai = params[..pi].iter().filter(|p| matches!(p, Param::Arr { .. })).count();
                targets.push(ai);
            }
        }
        // drop some targets (a traced parameter that is not differentiated)
        if targets.len() > 1 && self.maybe(0.15, "traced_non_target") {
            let k = self.rng.below(targets.len());
            targets.remove(k);
        }
        let target_mask: u32 = targets.iter().map(|&t| 1u32 << t).sum();
        for (ti, &t) in targets.iter().enumerate() {
            let bit = 1u32 << t;
            let force = ti + 1 == targets.len() && y.deps & target_mask == 0;
            if y.deps & bit == 0 && (force || self.rng.chance(0.85)) {
                let i = sc.vars.iter().position(|v| v.kind == Kind::Param && v.deps == bit).expect("target parameter");
                let pv = sc.var_v(i);
                let u = self.unary(pv.clone()).unwrap_or(pv.clone());
                let r = self.reduce(u, Some((1, 1))).filter(|r| r.shape == (1, 1)).unwrap_or_else(|| V {
                    d: format!("sum({}, All)", pv.d),
                    p: format!("sum({}, All)", pv.p),
                    kind: Kind::Atom,
                    shape: (1, 1),
                    iv: pv.iv.sum_of(1, 6),
                    deps: pv.deps,
                });
                let op = *self.rng.pick(&["+", "-"]);
                // the sum may exceed MAXMAG: combine without the magnitude check
                let (yd, yp, rd, rp) = (self.od(&y), Self::op(&y), self.od(&r), Self::op(&r));
                y = V {
                    d: format!("{yd} {op} {rd}"),
                    p: format!("{yp} {op} {rp}"),
                    kind: Kind::Compound,
                    shape: (1, 1),
                    iv: if op == "+" { y.iv.add(r.iv) } else { y.iv.sub(r.iv) },
                    deps: y.deps | r.deps,
                };
            }
            if y.deps & bit == 0 {
                self.feats.insert("target_not_reached");
            }
        }
        b.line(&format!("let y = {};", y.d), "");
        // gradient code
        let tnames: Vec<String> = targets
            .iter()
            .map(|&t| {
                let mut k = 0;
                for p in &params {
                    if let Param::Arr { name, .. } = p {
                        if k == t {
                            return name.clone();
                        }
                        k += 1;
                    }
                }
                unreachable!()
            })
            .collect();
        let gty = vec!["DlArray"; tnames.len()].join(", ");
        let ret_ty;
        if tnames.len() == 1 {
            ret_ty = "Result<(DlArray, DlArray)>".to_string();
            if self.rng.chance(0.3) {
                b.line(&format!("Ok((y.clone(), dlgradient(&y, {})?))", tnames[0]), "");
            } else {
                b.line(&format!("let grad = dlgradient(&y, {})?;", tnames[0]), "");
                b.line("Ok((y, grad))", "");
            }
        } else if self.rng.chance(0.3) && self.feat("separate_dlgradient_calls") {
            ret_ty = format!("Result<(DlArray, {gty})>");
            let gs: Vec<String> = tnames.iter().map(|t| format!("g_{t}")).collect();
            for (g, t) in gs.iter().zip(&tnames) {
                b.line(&format!("let {g} = dlgradient(&y, {t})?;"), "");
            }
            b.line(&format!("Ok((y, {}))", gs.join(", ")), "");
        } else if self.rng.chance(0.3) && self.feat("nested_gradient_tuple") {
            self.feat("tuple_targets");
            ret_ty = format!("Result<(DlArray, ({gty}))>");
            b.line(&format!("let grads = dlgradient(&y, ({}))?;", tnames.join(", ")), "");
            b.line("Ok((y, grads))", "");
        } else {
            self.feat("tuple_targets");
            ret_ty = format!("Result<(DlArray, {gty})>");
            let gs: Vec<String> = tnames.iter().map(|t| format!("g_{t}")).collect();
            b.line(&format!("let ({}) = dlgradient(&y, ({}))?;", gs.join(", "), tnames.join(", ")), "");
            b.line(&format!("Ok((y, {}))", gs.join(", ")), "");
        }
        let masks: Vec<u32> = if tnames.len() == 1 {
            vec![target_mask]
        } else if self.feats.contains("separate_dlgradient_calls") {
            targets.iter().map(|&t| 1u32 << t).collect()
        } else {
            vec![target_mask]
        };
        let events = std::mem::take(&mut sc.vec_events);
        self.vec_checks(&events, &masks);
        let cf = std::mem::take(&mut self.cf_deps);
        if cf.iter().any(|&d| d != 0 && masks.iter().any(|&m| d & m == 0)) {
            self.feats.insert("nonvaried_traced_in_control_flow");
        }
        // signatures
        let mut sig_d = Vec::new();
        let mut sig_p = Vec::new();
        let mut call_args = Vec::new();
        let mut arr_k = 0;
        let mut inputs = Vec::new();
        for p in &params {
            match p {
                Param::Arr { name, shape, values, untraced } => {
                    let u = if *untraced { "#[untraced] " } else { "" };
                    sig_d.push(format!("{u}{name}: &DlArray"));
                    sig_p.push(format!("{name}: &DlArray"));
                    call_args.push(format!("&xs[{arr_k}]"));
                    arr_k += 1;
                    // column-major values
                    inputs.push((*shape, values.clone()));
                }
                Param::F64 { name, value } => {
                    sig_d.push(format!("{name}: f64"));
                    sig_p.push(format!("{name}: f64"));
                    call_args.push(signed(*value));
                }
                Param::Usize { name, value } => {
                    sig_d.push(format!("{name}: usize"));
                    sig_p.push(format!("{name}: usize"));
                    call_args.push(value.to_string());
                }
            }
        }
        let feats: Vec<&'static str> = self.feats.iter().copied().collect();
        let src_d = format!(
            "/// Model {idx} ({shape}).\n#[differentiable]\nfn {name}({}) -> {ret_ty} {{\n{}}}\n",
            sig_d.join(", "),
            strip_empty(&b.d)
        );
        let plain_body = strip_empty(&b.p);
        let src_p = format!("fn {name}_plain({}) -> DlArray {{\n{plain_body}    {}\n}}\n", sig_p.join(", "), y.p);
        let args = if call_args.len() == 1 { call_args[0].clone() } else { format!("({})", call_args.join(", ")) };
        let gs: Vec<String> = (0..tnames.len()).map(|i| format!("g{i}")).collect();
        let pattern = if tnames.len() == 1 {
            "(y, g0)".to_string()
        } else if ret_ty.contains("(DlArray, (") {
            format!("(y, ({}))", gs.join(", "))
        } else {
            format!("(y, {})", gs.join(", "))
        };
        let run = format!(
            "fn run_{name}(xs: &[DlArray]) -> Result<(DlArray, Vec<DlArray>)> {{\n    let {pattern} = dlfeval({name}, {args})?;\n    Ok((y, vec![{}]))\n}}\nfn plain_{name}(xs: &[DlArray]) -> DlArray {{\n    {name}_plain({})\n}}\n",
            gs.join(", "),
            call_args.join(", ")
        );
        Model { name, shape, feats, src_d, src_p, run, inputs, targets }
    }
}

struct Model {
    name: String,
    shape: &'static str,
    feats: Vec<&'static str>,
    src_d: String,
    src_p: String,
    run: String,
    inputs: Vec<(Shape, Vec<f64>)>,
    targets: Vec<usize>,
}

/// `s` without parentheses around the whole of it (a function argument needs none).
fn unparen(s: &str) -> String {
    let Some(inner) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else { return s.to_string() };
    // the first parenthesis must close at the end
    let mut depth = 0i32;
    for c in inner.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return s.to_string();
        }
    }
    inner.to_string()
}

fn strip_empty(s: &str) -> String {
    s.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{l}\n")).collect()
}

fn paren(v: &V, s: &str) -> String {
    if v.kind == Kind::Compound { format!("({s})") } else { s.to_string() }
}

fn signed(x: f64) -> String {
    if x < 0.0 { format!("-{}", lit(-x)) } else { lit(x) }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn softplus(x: f64) -> f64 {
    if x > 30.0 { x } else { x.exp().ln_1p() }
}

fn parse_seed(s: &str) -> Option<u64> {
    let s = s.trim().replace('_', "");
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else {
        s.parse().ok()
    }
}

#[path = "build/long_body.rs"]
mod long_body;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/long_body.rs");
    write_out("long_body.rs", &long_body::source());
    println!("cargo:rerun-if-env-changed=AUTODIFF_RANDOM_SEED");
    println!("cargo:rerun-if-env-changed=AUTODIFF_RANDOM_COUNT");
    let seed = std::env::var("AUTODIFF_RANDOM_SEED").ok().and_then(|s| parse_seed(&s)).unwrap_or(DEFAULT_SEED);
    let count =
        std::env::var("AUTODIFF_RANDOM_COUNT").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(DEFAULT_MODELS);
    let mut g = Gen {
        rng: Rng(seed),
        helpers: Vec::new(),
        feats: BTreeSet::new(),
        depth: 0,
        cf_deps: Vec::new(),
        counters_read: BTreeSet::new(),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Generated by random-programs/build.rs with seed {seed:#x}: {count} models, {HELPERS} helpers."
    );
    let _ = writeln!(out, "// Known bugs excluded from the generator: {KNOWN_BUGS:?}.\n");
    let mut helper_feats: Vec<Vec<&'static str>> = Vec::new();
    if g.ok("helper_call") {
        for k in 0..HELPERS {
            let h = g.gen_helper(k);
            helper_feats.push(g.feats.iter().copied().collect());
            g.helpers.push(h);
        }
    }
    for h in &g.helpers {
        out.push_str(&h.src_d);
        out.push_str(&h.src_p);
        out.push('\n');
    }
    let mut models = Vec::new();
    for idx in 0..count {
        let shape = SHAPES[idx % SHAPES.len()];
        models.push(g.gen_model(idx, shape, g.helpers.len()));
    }
    for m in &models {
        out.push_str(&m.src_d);
        out.push_str(&m.src_p);
        out.push_str(&m.run);
        out.push('\n');
    }
    let _ = writeln!(out, "/// The seed the programs were generated with.\nconst SEED: u64 = {seed:#x};");
    let _ =
        writeln!(out, "/// Number of generated helper functions.\nconst HELPER_COUNT: usize = {};", g.helpers.len());
    let _ = writeln!(
        out,
        "/// Features excluded from the generator as known bugs.\nconst EXCLUDED: &[&str] = &{KNOWN_BUGS:?};"
    );
    let hf: Vec<String> = helper_feats.iter().map(|f| format!("&{f:?}")).collect();
    let _ =
        writeln!(out, "/// The features each helper uses.\nconst HELPER_FEATURES: &[&[&str]] = &[{}];", hf.join(", "));
    let _ = writeln!(out, "/// Every generated model.\nconst CASES: &[Case] = &[");
    for m in &models {
        let inputs: Vec<String> = m
            .inputs
            .iter()
            .map(|(s, v)| {
                format!("({}, {}, &[{}])", s.0, s.1, v.iter().map(|x| signed(*x)).collect::<Vec<_>>().join(", "))
            })
            .collect();
        let _ = writeln!(
            out,
            "    Case {{ name: {:?}, shape: {:?}, features: &{:?}, inputs: &[{}], targets: &{:?}, run: run_{}, plain: plain_{}, source: {:?} }},",
            m.name,
            m.shape,
            m.feats,
            inputs.join(", "),
            m.targets,
            m.name,
            m.name,
            m.src_d
        );
    }
    let _ = writeln!(out, "];");
    let helpers_src: String = g.helpers.iter().map(|h| h.src_d.clone()).collect::<Vec<_>>().join("\n");
    let _ = writeln!(
        out,
        "/// Source of the helpers, printed with failures.\nconst HELPERS_SOURCE: &str = {helpers_src:?};"
    );
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("programs.rs");
    std::fs::write(dest, out).expect("write programs.rs");
}

/// Writes a generated file into `$OUT_DIR`.
fn write_out(name: &str, text: &str) {
    let dir = std::env::var_os("OUT_DIR").map(std::path::PathBuf::from).unwrap_or_default();
    if let Err(e) = std::fs::write(dir.join(name), text) {
        println!("cargo:warning=cannot write {name}: {e}");
    }
}

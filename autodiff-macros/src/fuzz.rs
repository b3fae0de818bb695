//! Fuzz tests of the three entry points (`#[differentiable]`, `differentiable_closure!`,
//! `#[derive(Learnables)]`): whatever tokens they are given, they must not panic (errors are
//! `compile_error!`s) and what they emit must parse.
//!
//! Inputs come from two generators, both driven by `proptest` with a fixed seed so that CI runs the
//! same cases every time:
//!
//! - **mutations** of a corpus of realistic inputs ([`CORPUS`]): tokens deleted, duplicated, swapped,
//!   replaced from a pool, inserted, groups emptied, re-delimited, unwrapped or added, the stream
//!   truncated;
//! - **a small grammar** of Rust-ish pieces ([`grammar`]): functions and methods with random
//!   signatures (references, `&mut`, slices, generics, `impl Trait`, `dyn Trait`, lifetimes,
//!   patterns) and bodies (statements, expressions, loops nested at random), closures and structs.
//!
//! Each input goes to `#[differentiable]` (with no arguments and with random ones), to
//! `differentiable_closure!` and to `#[derive(Learnables)]`, each call inside `catch_unwind`. A
//! failure names the entry point, the input, the panic message and where it was raised; proptest then
//! shrinks it. `AUTODIFF_FUZZ_SCALE=n` multiplies the number of cases (for a longer run by hand).

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::Instant;

use proc_macro2::{Delimiter, Group, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use quote::quote;

// ---------------------------------------------------------------------------------------------
// Running the entry points

thread_local! {
    /// Whether a panic on this thread is one the fuzzer catches (its message is kept, not printed).
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// The message and location of the last caught panic.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook once per process.
static HOOK: Once = Once::new();

/// Installs, once, a panic hook that records the panics of fuzzed calls (message, location, and the
/// innermost frame in this crate's sources) and passes every other panic to the previous hook.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CAPTURING.with(Cell::get) {
                previous(info);
                return;
            }
            let payload = info.payload();
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(a non-string panic payload)".to_string());
            let loc = info.location().map_or_else(|| "?".to_string(), |l| format!("{}:{}", l.file(), l.line()));
            let frame = macro_frame(&std::backtrace::Backtrace::force_capture().to_string());
            let text = match frame {
                Some(f) if !loc.contains("autodiff-macros") => format!("{msg}\n  at {loc}\n  called from {f}"),
                _ => format!("{msg}\n  at {loc}"),
            };
            CAUGHT.with(|c| *c.borrow_mut() = Some(text));
        }));
    });
}

/// The innermost frame of a backtrace in this crate's sources (not this module).
fn macro_frame(bt: &str) -> Option<String> {
    bt.lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("at "))
        .find(|l| l.contains("autodiff-macros/src/") && !l.contains("fuzz.rs"))
        .map(|l| l.rsplit_once("autodiff-macros/").map_or(l, |(_, tail)| tail).to_string())
}

/// Runs `f`, turning a panic into its message.
fn guarded(f: impl FnOnce() -> TokenStream) -> Result<TokenStream, String> {
    CAPTURING.with(|c| c.set(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    r.map_err(|_| CAUGHT.with(|c| c.borrow_mut().take()).unwrap_or_else(|| "panic (no message)".to_string()))
}

/// What the fuzzer counted.
#[derive(Default)]
struct Stats {
    /// Inputs run (each through every entry point).
    inputs: Cell<usize>,
    /// Inputs that are syntactically valid functions (`syn::ItemFn`).
    fns: Cell<usize>,
    /// Of those, inputs `#[differentiable]` expanded without an error.
    expanded: Cell<usize>,
    /// Inputs `differentiable_closure!` expanded without an error.
    closures: Cell<usize>,
    /// Inputs `#[derive(Learnables)]` expanded without an error.
    derives: Cell<usize>,
    /// Time spent minimizing failures.
    minimizing: Cell<std::time::Duration>,
}

impl Stats {
    /// Adds one to a counter.
    fn bump(c: &Cell<usize>) {
        c.set(c.get() + 1);
    }

    /// Prints what a run counted.
    fn report(&self, name: &str, start: Instant) {
        println!(
            "fuzz {name}: {} inputs in {:.1?} ({:.1?} of it minimizing failures; {} valid fns, {} expanded without errors; {} closures and {} derives expanded)",
            self.inputs.get(),
            start.elapsed(),
            self.minimizing.get(),
            self.fns.get(),
            self.expanded.get(),
            self.closures.get(),
            self.derives.get(),
        );
    }
}

/// Whether tokens contain a `compile_error!`.
fn has_error(ts: &TokenStream) -> bool {
    ts.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == "compile_error",
        TokenTree::Group(g) => has_error(&g.stream()),
        _ => false,
    })
}

/// A failed check.
struct Failure {
    /// What tells one bug from another: the entry point and where it panicked, or what was wrong
    /// with its output.
    key: String,
    /// The whole report: the entry point, its arguments and input, what happened.
    text: String,
}

/// A failure of `entry` on `input`: `what` happened, `key` tells the bug.
fn failure(entry: &str, key: &str, args: &TokenStream, input: &TokenStream, what: &str) -> Failure {
    Failure {
        key: format!("{entry}: {key}"),
        text: format!("{entry} failed\n  args:  `{}`\n  input: `{}`\n  {what}", show(args), show(input)),
    }
}

/// A panic's failure, keyed by where it was raised.
fn panicked(entry: &str, args: &TokenStream, input: &TokenStream, msg: &str) -> Failure {
    let key = msg.rfind("\n  at ").map_or(msg, |k| &msg[k..]).trim().to_string();
    failure(entry, &key, args, input, &format!("panicked: {msg}"))
}

/// Tokens as text, with invisible (`Delimiter::None`) groups shown as `⟦..⟧`.
fn show(ts: &TokenStream) -> String {
    let mut out = String::new();
    for t in ts.clone() {
        if !out.is_empty() {
            out.push(' ');
        }
        match t {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("⟦", "⟧"),
                };
                out.push_str(&format!("{open}{}{close}", show(&g.stream())));
            }
            TokenTree::Punct(p) => {
                out.push(p.as_char());
                if p.spacing() == Spacing::Joint {
                    // no space before the next token
                    out.push('\u{0}');
                }
            }
            other => out.push_str(&other.to_string()),
        }
    }
    out.replace("\u{0} ", "").replace('\u{0}', "")
}

/// A property checked on one input (with attribute arguments).
type Check = fn(&TokenStream, &TokenStream, &Stats) -> Result<(), Failure>;

/// Where rustc may put tokens an attribute macro is applied to: a module, an `impl`, a trait.
struct Context {
    /// It parses as an item of a module.
    module: bool,
    /// It parses as an item of an `impl` block.
    in_impl: bool,
    /// It parses as an item of a trait.
    in_trait: bool,
}

impl Context {
    /// The contexts `input` parses in.
    fn of(input: &TokenStream) -> Context {
        Context {
            module: syn::parse2::<syn::Item>(input.clone()).is_ok(),
            in_impl: syn::parse2::<syn::ImplItem>(input.clone()).is_ok(),
            in_trait: syn::parse2::<syn::TraitItem>(input.clone()).is_ok(),
        }
    }

    /// Whether rustc may hand the input to an attribute macro at all.
    fn any(&self) -> bool {
        self.module || self.in_impl || self.in_trait
    }

    /// Whether `out` parses as items of one of the contexts the input may come from (the macro
    /// tells a method from a function by its signature, so either may be right); the error of
    /// parsing it as a module's items if not.
    fn parses(&self, out: &TokenStream) -> syn::Result<()> {
        let file = syn::parse2::<syn::File>(out.clone()).map(|_| ());
        let as_impl = || syn::parse2::<syn::ItemImpl>(quote!(impl __Fuzz { #out })).is_ok();
        let as_trait = || syn::parse2::<syn::ItemTrait>(quote!(trait __Fuzz { #out })).is_ok();
        if file.is_ok() || (self.in_impl && as_impl()) || (self.in_trait && as_trait()) { Ok(()) } else { file }
    }
}

/// (a), (b): feeds one input to every entry point and checks the outputs: no panic; from
/// `#[differentiable]` items when the input is an item (all that rustc hands an attribute macro),
/// else a `compile_error!`; from the closure macro one expression; from the derive, items.
fn check(input: &TokenStream, args: &TokenStream, stats: &Stats) -> Result<(), Failure> {
    Stats::bump(&stats.inputs);
    let item_fn = syn::parse2::<syn::ItemFn>(input.clone()).is_ok();
    if item_fn {
        Stats::bump(&stats.fns);
    }
    // with no arguments, and with the random ones when there are some
    let mut calls = vec![("#[differentiable]", TokenStream::new())];
    if !args.is_empty() {
        calls.push(("#[differentiable(args)]", args.clone()));
    }
    let context = Context::of(input);
    for (k, (entry, a)) in calls.into_iter().enumerate() {
        let out = guarded(|| crate::emit::differentiable(a.clone(), input.clone()))
            .map_err(|m| panicked(entry, &a, input, &m))?;
        if k == 0 && item_fn && !has_error(&out) {
            Stats::bump(&stats.expanded);
        }
        // rustc hands an attribute macro only an item (of a module, an `impl` or a trait); anything
        // else comes back with an error
        if context.any() {
            context.parses(&out).map_err(|e| {
                let what = format!("output does not parse as items: {e}\n  output: `{out}`");
                failure(entry, &format!("output does not parse: {e}"), &a, input, &what)
            })?;
        } else if !has_error(&out) {
            let what = format!("not an item, yet no compile_error!\n  output: `{out}`");
            return Err(failure(entry, "no error for a non-item", &a, input, &what));
        }
    }
    let empty = TokenStream::new();
    let entry = "differentiable_closure!";
    let out = guarded(|| crate::emit::closure(input.clone())).map_err(|m| panicked(entry, &empty, input, &m))?;
    if !has_error(&out) {
        Stats::bump(&stats.closures);
    }
    // the macro is an expression: what it emits, errors included, must be one
    syn::parse2::<syn::Expr>(out.clone()).map_err(|e| {
        let what = format!("output is not one expression: {e}\n  output: `{out}`");
        failure(entry, &format!("output is not one expression: {e}"), &empty, input, &what)
    })?;
    let entry = "#[derive(Learnables)]";
    let out = guarded(|| crate::learnables::derive(input.clone())).map_err(|m| panicked(entry, &empty, input, &m))?;
    if !has_error(&out) {
        Stats::bump(&stats.derives);
    }
    syn::parse2::<syn::File>(out.clone()).map_err(|e| {
        let what = format!("output does not parse as items: {e}\n  output: `{out}`");
        failure(entry, &format!("output does not parse: {e}"), &empty, input, &what)
    })?;
    Ok(())
}

/// (c): a syntactically valid function expands to items (of a module or an `impl`), among them a
/// function of the same name (the primal, or the stub emitted after the errors). Other inputs are
/// skipped.
fn check_valid_fn(input: &TokenStream, args: &TokenStream, stats: &Stats) -> Result<(), Failure> {
    let Ok(f) = syn::parse2::<syn::ItemFn>(input.clone()) else { return Ok(()) };
    Stats::bump(&stats.inputs);
    Stats::bump(&stats.fns);
    let entry = "#[differentiable]";
    let out = guarded(|| crate::emit::differentiable(args.clone(), input.clone()))
        .map_err(|m| panicked(entry, args, input, &m))?;
    if !has_error(&out) {
        Stats::bump(&stats.expanded);
    }
    Context::of(input).parses(&out).map_err(|e| {
        let what = format!("output does not parse as items: {e}\n  output: `{out}`");
        let with = if args.is_empty() { "" } else { " (with arguments)" };
        failure(entry, &format!("output does not parse{with}: {e}"), args, input, &what)
    })?;
    let named = match syn::parse2::<syn::File>(out.clone()) {
        Ok(file) => file.items.iter().any(|i| matches!(i, syn::Item::Fn(g) if g.sig.ident == f.sig.ident)),
        // items of an `impl`
        Err(_) => syn::parse2::<syn::ItemImpl>(quote!(impl __Fuzz { #out }))
            .is_ok_and(|i| i.items.iter().any(|i| matches!(i, syn::ImplItem::Fn(g) if g.sig.ident == f.sig.ident))),
    };
    if !named {
        let what = format!("no function `{}` in the output: `{out}`", f.sig.ident);
        return Err(failure(entry, "function missing from the output", args, input, &what));
    }
    Ok(())
}

/// The smallest input (and arguments) found that fails `check` with the same key: nodes deleted,
/// groups emptied or replaced by their contents, greedily, while the failure stays.
fn minimize(check: Check, input: &TokenStream, args: &TokenStream, key: &str) -> (TokenStream, TokenStream) {
    let stats = Stats::default();
    let same = |i: &TokenStream, a: &TokenStream| matches!(check(i, a, &stats), Err(f) if f.key == key);
    let mut budget = 5000;
    let mut shrink = |ns: &mut Vec<Node>, other: &dyn Fn(&TokenStream) -> bool| loop {
        let start = count(ns);
        let mut k = 0;
        while k < count(ns) && budget > 0 {
            let before = count(ns);
            let k16 = k as u16;
            let candidates = [
                vec![Mutation::Delete(k16)],
                vec![Mutation::Delete(k16), Mutation::Delete(k16)],
                vec![Mutation::Cut(k16)],
                vec![Mutation::Unwrap(k16)],
            ];
            let found = candidates.iter().find_map(|ms| {
                let mut cand = ns.clone();
                for m in ms {
                    mutate(&mut cand, m);
                }
                if count(&cand) >= before {
                    return None;
                }
                budget -= 1;
                other(&tokens(&cand)).then_some(cand)
            });
            match found {
                Some(cand) => *ns = cand,
                None => k += 1,
            }
        }
        if count(ns) == start || budget == 0 {
            break;
        }
    };
    let mut a = nodes(args.clone());
    let mut i = nodes(input.clone());
    let input_now = tokens(&i);
    shrink(&mut a, &|cand| same(&input_now, cand));
    let args_now = tokens(&a);
    shrink(&mut i, &|cand| same(cand, &args_now));
    (tokens(&i), tokens(&a))
}

/// Runs `cases` cases of `strategy` with a fixed seed, checking each input (`to_input` makes it from
/// the strategy's value) with `check`, and prints what it ran. A failure is minimized and fails the
/// test; with `AUTODIFF_FUZZ_ALL=1` the run goes on and reports every distinct failure at the end.
fn run<S: Strategy>(
    name: &str,
    seed: u8,
    cases: u32,
    strategy: S,
    to_input: impl Fn(&S::Value) -> (TokenStream, TokenStream),
    check: Check,
) where
    S::Value: std::fmt::Debug,
{
    install_hook();
    let scale: u32 = std::env::var("AUTODIFF_FUZZ_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let keep_going = std::env::var_os("AUTODIFF_FUZZ_ALL").is_some();
    let config = Config {
        cases: cases * scale,
        failure_persistence: None,
        // failures are minimized over tokens, which shrinks better than the strategies do
        max_shrink_iters: 0,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::XorShift, &[seed; 16]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let stats = Stats::default();
    let found: RefCell<std::collections::BTreeMap<String, String>> = RefCell::default();
    let start = Instant::now();
    let result = runner.run(&strategy, |v| {
        let (input, args) = to_input(&v);
        let Err(f) = check(&input, &args, &stats) else { return Ok(()) };
        if keep_going && found.borrow().contains_key(&f.key) {
            return Ok(());
        }
        let t = Instant::now();
        let (small, small_args) = minimize(check, &input, &args, &f.key);
        stats.minimizing.set(stats.minimizing.get() + t.elapsed());
        let minimal = check(&small, &small_args, &Stats::default()).err().map_or(String::new(), |m| m.text);
        let text = format!("{}\n  minimized: {minimal}", f.text);
        if keep_going {
            found.borrow_mut().insert(f.key, text);
            return Ok(());
        }
        Err(TestCaseError::fail(text))
    });
    stats.report(name, start);
    let found = found.into_inner();
    for (k, (key, text)) in found.iter().enumerate() {
        println!("--- fuzz {name}: failure {} of {}: {key}\n{text}\n", k + 1, found.len());
    }
    match result {
        Ok(()) => assert!(found.is_empty(), "fuzz {name}: {} distinct failures (above)", found.len()),
        Err(TestError::Fail(why, input)) => panic!("fuzz {name}: {why}\n(strategy value: {input:?})"),
        Err(e) => panic!("fuzz {name}: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Token trees and their mutations

/// A token tree whose groups can be edited.
#[derive(Clone, Debug)]
enum Node {
    /// An identifier, a punct or a literal.
    Leaf(TokenTree),
    /// A group: its delimiter and contents.
    Group(Delimiter, Vec<Node>),
}

/// Tokens as editable nodes.
fn nodes(ts: TokenStream) -> Vec<Node> {
    ts.into_iter()
        .map(|t| match t {
            TokenTree::Group(g) => Node::Group(g.delimiter(), nodes(g.stream())),
            other => Node::Leaf(other),
        })
        .collect()
}

/// Nodes back to tokens.
fn tokens(ns: &[Node]) -> TokenStream {
    ns.iter()
        .map(|n| match n {
            Node::Leaf(t) => t.clone(),
            Node::Group(d, inner) => TokenTree::Group(Group::new(*d, tokens(inner))),
        })
        .collect()
}

/// The number of nodes, groups and leaves, at every depth.
fn count(ns: &[Node]) -> usize {
    ns.iter()
        .map(|n| match n {
            Node::Leaf(_) => 1,
            Node::Group(_, inner) => 1 + count(inner),
        })
        .sum()
}

/// The path (an index at each depth) of the `k`-th node in preorder.
fn path_of(ns: &[Node], k: usize) -> Vec<usize> {
    /// Walks in preorder, counting `k` down; true once the node is reached.
    fn go(ns: &[Node], k: &mut usize, path: &mut Vec<usize>) -> bool {
        for (i, n) in ns.iter().enumerate() {
            path.push(i);
            if *k == 0 {
                return true;
            }
            *k -= 1;
            if let Node::Group(_, inner) = n
                && go(inner, k, path)
            {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::new();
    let mut k = k;
    go(ns, &mut k, &mut path);
    path
}

/// The list that holds the node at `path` (a path `path_of` made: every step but the last is a
/// group).
fn parent_mut<'a>(ns: &'a mut Vec<Node>, path: &[usize]) -> &'a mut Vec<Node> {
    match path {
        [i, rest @ ..] if !rest.is_empty() && matches!(ns[*i], Node::Group(..)) => match &mut ns[*i] {
            Node::Group(_, inner) => parent_mut(inner, rest),
            Node::Leaf(_) => unreachable!("checked above"),
        },
        _ => ns,
    }
}

/// Drops the node at `path` and everything after it in preorder.
fn truncate_at(ns: &mut Vec<Node>, path: &[usize]) {
    match path {
        [] => {}
        [i] => ns.truncate(*i),
        [i, rest @ ..] => {
            ns.truncate(i + 1);
            if let Node::Group(_, inner) = &mut ns[*i] {
                truncate_at(inner, rest);
            }
        }
    }
}

/// Identifiers a mutation puts in: names of the corpus, keywords, raw identifiers.
const IDENTS: &[&str] = &[
    "x",
    "y",
    "a",
    "b",
    "i",
    "n",
    "f",
    "g",
    "w",
    "v",
    "xs",
    "acc",
    "total",
    "self",
    "Self",
    "crate",
    "super",
    "DlArray",
    "Result",
    "Option",
    "dlgradient",
    "dlarray",
    "dlfeval",
    "sum",
    "All",
    "Ok",
    "Err",
    "Some",
    "None",
    "Vec",
    "push",
    "len",
    "iter",
    "map",
    "powi",
    "exp",
    "unwrap",
    "expect",
    "clone",
    "fn",
    "let",
    "mut",
    "for",
    "in",
    "while",
    "loop",
    "if",
    "else",
    "match",
    "return",
    "break",
    "continue",
    "impl",
    "dyn",
    "struct",
    "enum",
    "move",
    "ref",
    "as",
    "where",
    "pub",
    "async",
    "await",
    "unsafe",
    "const",
    "static",
    "type",
    "trait",
    "use",
    "mod",
    "_",
    "r#type",
    "r#fn",
    "r#match",
    "EnableHigherDerivatives",
    "untraced",
    "differentiable",
    "learnables",
    "skip",
    "dbg",
    "println",
    "vec",
    "format",
    "matches",
    "macro_rules",
    "union",
    "box",
    "yield",
    "try",
    "true",
    "false",
    "__ad",
    "__ad_trace",
    "__AdM",
    "x_owned",
    "__ad_bar_0",
    "derive",
    "cfg",
    "allow",
    "doc",
    "T",
    "f64",
    "usize",
];

/// Literals a mutation puts in: of every kind, with suffixes, out of range.
const LITERALS: &[&str] = &[
    "0",
    "1",
    "2",
    "0.0",
    "1.0",
    "100.0",
    "1e-3",
    "0usize",
    "2u32",
    "1f64",
    "1.5_f32",
    "\"s\"",
    "\"{}\"",
    "'c'",
    "b'a'",
    "b\"x\"",
    "r\"raw\"",
    "r#\"raw\"#",
    "1_000",
    "0x10",
    "0b1",
    "c\"cstr\"",
    "99999999999999999999999999",
    "1e400",
    "0.",
    "\"\"",
    "'\\u{1F600}'",
    "4294967296",
    "18446744073709551616usize",
];

/// Punctuation a mutation puts in (with joint or alone spacing).
const PUNCTS: &[char] =
    &['+', '-', '*', '/', '%', '^', '!', '&', '|', '=', '<', '>', '@', '.', ',', ';', ':', '#', '$', '?', '~', '\''];

/// Short token sequences a mutation inserts.
const SNIPPETS: &[&str] = &[
    "->",
    "=>",
    "::",
    "..",
    "..=",
    "&&",
    "||",
    "+=",
    "==",
    "'a",
    "'static",
    "'_",
    "x?",
    ".0",
    ". 1",
    "as f64",
    "&mut",
    "&",
    "*",
    "dlgradient(&y, x)?",
    "dlgradient(&y, (a, b))?",
    "dlgradient(&y, x, EnableHigherDerivatives(true))",
    "(a, b)",
    "[0]",
    "{}",
    "()",
    "[]",
    "#[untraced]",
    "#[inline]",
    "#[learnables(skip)]",
    "#[learnables(crate = x)]",
    "Self::",
    "<T>",
    "<'a, T: Real>",
    "&self",
    "self,",
    "'outer:",
    "break 'outer",
    "return",
    "|v| v",
    "move |v: &DlArray| v * 2.0",
    "..Default::default()",
    "vec![]",
    "vec![x; 3]",
    "dbg!(x)",
    "println!(\"{}\", x)",
    "let",
    "let mut x = dlarray(0.0);",
    "x = x + 1.0;",
    "for i in 0..n {}",
    "while true {}",
    "loop { break; }",
    "if x { } else { }",
    "match x { _ => {} }",
    "impl Fn(f64) -> f64",
    "dyn Layer",
    "&'a mut [DlArray]",
    "Vec<DlArray>",
    "Option<&DlArray>",
    "-> Result<DlArray>",
    "where T: Clone",
    "x.iter().map(|v| v * w).sum::<DlArray>()",
    "?",
    "!",
    "unsafe",
    "async",
    "const",
    "pub(crate)",
    "extern \"C\"",
    "'blk: {}",
    "break 'blk x",
    "x[i] = y;",
    "v.push(x);",
    "s.f = x;",
    "_",
    "..",
    ";",
    ",",
];

/// A delimiter, by number.
fn delimiter(k: usize) -> Delimiter {
    [Delimiter::Parenthesis, Delimiter::Brace, Delimiter::Bracket, Delimiter::None][k % 4]
}

/// The pool entry `k` picks (modulo the pool's length).
fn pick<T: Copy>(pool: &[T], k: usize) -> T {
    pool[k % pool.len()]
}

/// A token from a pool, by kind (0 identifier, 1 literal, 2 punct).
fn pool_token(kind: usize, k: usize) -> TokenTree {
    match kind % 3 {
        0 => one_token(pick(IDENTS, k)),
        1 => match k % (LITERALS.len() + 3) {
            n if n < LITERALS.len() => one_token(LITERALS[n]),
            // negative literals: rustc never lexes them, but a macro may construct them
            n if n == LITERALS.len() => TokenTree::Literal(Literal::i32_unsuffixed(-1)),
            n if n == LITERALS.len() + 1 => TokenTree::Literal(Literal::f64_unsuffixed(-1.5)),
            _ => TokenTree::Literal(Literal::u128_suffixed(u128::MAX)),
        },
        _ => TokenTree::Punct(Punct::new(
            pick(PUNCTS, k),
            if k.is_multiple_of(2) { Spacing::Alone } else { Spacing::Joint },
        )),
    }
}

/// The first token of `s`.
fn one_token(s: &str) -> TokenTree {
    s.parse::<TokenStream>()
        .ok()
        .and_then(|t| t.into_iter().next())
        .unwrap_or_else(|| TokenTree::Ident(proc_macro2::Ident::new("x", Span::call_site())))
}

/// A mutation of a token tree; the numbers pick nodes and pool entries (modulo their counts).
#[derive(Clone, Debug)]
enum Mutation {
    /// Remove a node.
    Delete(u16),
    /// Put a copy of a node after it.
    Duplicate(u16),
    /// Swap a node with a sibling.
    Swap(u16, u16),
    /// Replace a leaf with a pool token of the same kind, or change a group's delimiter.
    Replace(u16, u16),
    /// Replace a leaf with a pool token of any kind.
    ReplaceAny(u16, u8, u16),
    /// Insert a snippet before a node.
    Insert(u16, u16),
    /// Empty a group, or drop the leaf's later siblings.
    Cut(u16),
    /// Wrap a run of siblings in a group.
    Wrap(u16, u8, u8),
    /// Replace a group by its contents.
    Unwrap(u16),
    /// Drop a node and everything after it.
    Truncate(u16),
}

/// Any mutation, the replacing and deleting ones the most often.
fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<u16>().prop_map(Mutation::Delete),
        2 => any::<u16>().prop_map(Mutation::Duplicate),
        2 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        4 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Mutation::Replace(a, b)),
        1 => (any::<u16>(), any::<u8>(), any::<u16>()).prop_map(|(a, k, b)| Mutation::ReplaceAny(a, k, b)),
        3 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        1 => any::<u16>().prop_map(Mutation::Cut),
        2 => (any::<u16>(), 1..4u8, any::<u8>()).prop_map(|(a, l, d)| Mutation::Wrap(a, l, d)),
        1 => any::<u16>().prop_map(Mutation::Unwrap),
        1 => any::<u16>().prop_map(Mutation::Truncate),
    ]
}

/// Applies a mutation (a no-op on an empty stream).
fn mutate(ns: &mut Vec<Node>, m: &Mutation) {
    let total = count(ns);
    if total == 0 {
        if let Mutation::Insert(_, s) = m {
            ns.extend(nodes(pick(SNIPPETS, *s as usize).parse().unwrap_or_default()));
        }
        return;
    }
    let at = |k: &u16| path_of(ns, *k as usize % total);
    match m {
        Mutation::Delete(k) => {
            let p = at(k);
            parent_mut(ns, &p).remove(p[p.len() - 1]);
        }
        Mutation::Duplicate(k) => {
            let p = at(k);
            let list = parent_mut(ns, &p);
            let i = p[p.len() - 1];
            let copy = list[i].clone();
            list.insert(i + 1, copy);
        }
        Mutation::Swap(k, j) => {
            let p = at(k);
            let list = parent_mut(ns, &p);
            let i = p[p.len() - 1];
            let j = *j as usize % list.len();
            list.swap(i, j);
        }
        Mutation::Replace(k, r) => {
            let p = at(k);
            let list = parent_mut(ns, &p);
            let i = p[p.len() - 1];
            let r = *r as usize;
            list[i] = match &list[i] {
                Node::Leaf(TokenTree::Ident(_)) => Node::Leaf(pool_token(0, r)),
                Node::Leaf(TokenTree::Literal(_)) => Node::Leaf(pool_token(1, r)),
                Node::Leaf(_) => Node::Leaf(pool_token(2, r)),
                Node::Group(_, inner) => Node::Group(delimiter(r), inner.clone()),
            };
        }
        Mutation::ReplaceAny(k, kind, r) => {
            let p = at(k);
            let list = parent_mut(ns, &p);
            let i = p[p.len() - 1];
            list[i] = Node::Leaf(pool_token(*kind as usize, *r as usize));
        }
        Mutation::Insert(k, s) => {
            let p = at(k);
            let list = parent_mut(ns, &p);
            let i = p[p.len() - 1];
            let snippet = nodes(pick(SNIPPETS, *s as usize).parse().unwrap_or_default());
            list.splice(i..i, snippet);
        }
        Mutation::Cut(k) => {
            let p = at(k);
            let list = parent_mut(ns, &p);
            let i = p[p.len() - 1];
            match &mut list[i] {
                Node::Group(_, inner) => inner.clear(),
                Node::Leaf(_) => list.truncate(i + 1),
            }
        }
        Mutation::Wrap(k, len, d) => {
            let p = at(k);
            let list = parent_mut(ns, &p);
            let i = p[p.len() - 1];
            let end = (i + *len as usize).min(list.len());
            let inner: Vec<Node> = list.drain(i..end).collect();
            list.insert(i, Node::Group(delimiter(*d as usize), inner));
        }
        Mutation::Unwrap(k) => {
            let p = at(k);
            let list = parent_mut(ns, &p);
            let i = p[p.len() - 1];
            if let Node::Group(_, inner) = list[i].clone() {
                list.splice(i..=i, inner);
            }
        }
        Mutation::Truncate(k) => {
            let p = at(k);
            truncate_at(ns, &p);
        }
    }
}

/// Arguments of `#[differentiable(..)]`, valid and not (an unbalanced `(` cannot be a token
/// stream, so the unbalanced cases are groups with odd contents).
const ARGS: &[&str] = &[
    "",
    "crate = x",
    "crate = ::autodiff",
    "crate = my::ad",
    "crate = self::ad",
    "crate = crate",
    "foo",
    "()",
    "(crate = x)",
    "crate",
    "crate =",
    "= x",
    "crate = 1",
    "crate = \"x\"",
    "crate = x, foo",
    "crate = x, crate = y",
    "crate = x,",
    ",",
    "crate(x)",
    "crate = x::<T>",
    "crate = <T as Tr>::x",
    "crate::x",
    "EnableHigherDerivatives(true)",
    "untraced",
    "crate = 'a",
    "crate = (x)",
    "crate = x y",
    "#",
    "{}",
    "[crate = x]",
];

/// Attribute arguments: none about half of the time, else from [`ARGS`] or random pool tokens.
fn args() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => Just(String::new()),
        6 => prop::sample::select(ARGS).prop_map(String::from),
        1 => prop::collection::vec(
            prop_oneof![prop::sample::select(IDENTS), prop::sample::select(LITERALS), prop::sample::select(SNIPPETS)],
            0..4
        )
        .prop_map(|v| v.join(" ")),
    ]
}

/// Lexes attribute arguments (all of [`ARGS`] lex).
fn parse_args(s: &str) -> TokenStream {
    s.parse().unwrap_or_default()
}

/// A corpus entry after its mutations.
fn mutated(entry: usize, ms: &[Mutation]) -> TokenStream {
    let base: TokenStream = CORPUS[entry % CORPUS.len()].parse().expect("the corpus lexes");
    let mut ns = nodes(base);
    for m in ms {
        mutate(&mut ns, m);
    }
    tokens(&ns)
}

// ---------------------------------------------------------------------------------------------
// The corpus

/// Realistic inputs: functions and methods for `#[differentiable]`, closures for
/// `differentiable_closure!`, structs for `#[derive(Learnables)]`.
const CORPUS: &[&str] = &[
    // 0 Rosenbrock
    r#"fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
        let grad = dlgradient(&f, x)?;
        Ok((f, grad))
    }"#,
    // 1 an accumulation loop into a `let mut`
    r#"fn rosen_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let n = x.numel();
        let mut f = dlarray(0.0);
        for i in 0..n - 1 {
            f = f + 100.0 * (x[i + 1] - x[i].powi(2)).powi(2) + (1.0 - x[i]).powi(2);
        }
        let g = dlgradient(&f, x)?;
        Ok((f, g))
    }"#,
    // 2 a product loop (stored values)
    r#"fn product(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let mut p = dlarray(1.0);
        for i in 0..x.numel() {
            p = p * x[i];
        }
        let g = dlgradient(&p, x)?;
        Ok((p, g))
    }"#,
    // 3 `Vec<DlArray>` push and index
    r#"fn push_clear(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let mut parts: Vec<DlArray> = Vec::new();
        parts.push(x.exp());
        parts.push(x.sin());
        let k = parts.len();
        parts.clear();
        for j in 0..k + 1 {
            parts.push(x * (j as f64));
        }
        let mut total = dlarray(0.0);
        for p in &parts {
            total = total + sum(p, All);
        }
        let g = dlgradient(&total, x)?;
        Ok((total, g))
    }"#,
    // 4 indexed writes into a Vec
    r#"fn layered(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let mut h = vec![x * 1.0, x * 2.0, x * 3.0];
        for i in 0..h.len() {
            h[i] = h[i].tanh();
        }
        let total = sum(&h[0], All) + sum(&h[2], All);
        let g = dlgradient(&total, x)?;
        Ok((total, g))
    }"#,
    // 5 if / else on a traced value
    r#"fn piecewise(x: &DlArray) -> Result<(DlArray, DlArray)> {
        #[allow(clippy::float_cmp)]
        let y = if x.get(0) > 0.0 { x.powi(2) } else if x.get(0) < -1.0 { -x } else { x * 0.5 };
        let s = sum(&y, All);
        let g = dlgradient(&s, x)?;
        Ok((s, g))
    }"#,
    // 6 match on a plain enum
    r#"fn activate(x: &DlArray, kind: Activation) -> Result<(DlArray, DlArray)> {
        let y = match kind {
            Activation::Relu => relu(x),
            Activation::Tanh => x.tanh(),
            Activation::Leaky(a) if a > 0.0 => leakyrelu(x, a),
            _ => x * 1.0,
        };
        let s = sum(&y, All);
        let g = dlgradient(&s, x)?;
        Ok((s, g))
    }"#,
    // 7 closures in `.iter().map(..).sum()`
    r#"fn shared_weight(xs: &Vec<DlArray>, w: &DlArray) -> Result<(DlArray, DlArray)> {
        let total = xs.iter().map(|x| x * w).sum::<DlArray>();
        let loss = sum(&total.powi(2), All);
        let g = dlgradient(&loss, w)?;
        Ok((loss, g))
    }"#,
    // 8 fold with a closure
    r#"fn cubic_fold(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let y = (0..x.numel()).fold(dlarray(0.0), |acc, i| acc + x[i].powi(3));
        let g = dlgradient(&y, x)?;
        Ok((y, g))
    }"#,
    // 9 zip + enumerate over a parameter
    r#"fn weighted(ws: &Vec<DlArray>, coeffs: &[f64]) -> Result<(DlArray, Vec<DlArray>)> {
        let mut total = dlarray(0.0);
        for (i, (w, c)) in ws.iter().zip(coeffs.iter()).enumerate() {
            let scale = *c * (i as f64 + 1.0);
            total = total + scale * sum(&w.powi(2), All);
        }
        let g = dlgradient(&total, ws)?;
        Ok((total, g))
    }"#,
    // 10 a method taking &self
    r#"fn forward(&self, x: &DlArray) -> Result<DlArray> {
        let mut y = self.w.matmul(x);
        if let Some(b) = &self.bias {
            y = y + b;
        }
        Ok(relu(&y))
    }"#,
    // 11 an associated function of an impl block
    r#"fn loss(net: &Self, #[untraced] x: &DlArray, #[untraced] t: &DlArray) -> Result<(DlArray, Self)> {
        let h = fullyconnect(x, &net.fc1.w, &net.fc1.b);
        let p = softmax(&fullyconnect(&relu(&h), &net.fc2.w, &net.fc2.b));
        let l = crossentropy(&p, t);
        let g = dlgradient(&l, net)?;
        Ok((l, g))
    }"#,
    // 12 a method taking self by value
    r#"pub fn energy(self, scale: f64) -> DlArray {
        sum(&(self.w.powi(2) * scale), All) + sum(&self.b, All)
    }"#,
    // 13 struct fields and a local struct literal
    r#"fn fields(p: &Params) -> Result<(DlArray, Params)> {
        let q = Params { a: &p.a * 2.0, b: p.b.exp() };
        let y = sum(&(q.a * &q.b), All) + sum(&p.a, All);
        let g = dlgradient(&y, p)?;
        Ok((y, g))
    }"#,
    // 14 `?` on a call to another differentiable function
    r#"fn scaled_energy(x: &DlArray, s: f64) -> Result<(DlArray, DlArray)> {
        let y = checked_scale(x, s)?;
        let e = sum(&y.powi(2), All);
        if e.get(0) > 1e6 {
            return Err(Error::InvalidArgument { op: "scaled_energy", reason: "overflow".to_string(), at: At::caller() });
        }
        let g = dlgradient(&e, x)?;
        Ok((e, g))
    }"#,
    // 15 a gradient with respect to a tuple
    r#"fn pair(a: &DlArray, b: &DlArray) -> Result<(DlArray, (DlArray, DlArray))> {
        let pair = [a * b, a - b];
        let mut total = sum(&pair[0], All) * 2.0 + 3.0 * sum(&pair[1], All);
        for w in [a, b] {
            total = total + sum(&w.powi(2), All);
        }
        let grads = dlgradient(&total, (a, b))?;
        Ok((total, grads))
    }"#,
    // 16 EnableHigherDerivatives
    r#"fn hvp(x: &DlArray, v: &DlArray) -> Result<(DlArray, DlArray)> {
        let f = 100.0 * (x[1] - x[0].powi(2)).powi(2) + (1.0 - x[0]).powi(2);
        let g = dlgradient(&f, x, EnableHigherDerivatives(true))?;
        let gv = sum(&(g * v), All);
        let h = dlgradient(&gv, x)?;
        Ok((f, h))
    }"#,
    // 17 attributes on the function, on statements, on parameters
    r#"#[inline]
    #[doc = "a documented model"]
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn attributed(x: &DlArray, #[untraced] data: &DlArray) -> Result<(DlArray, DlArray)> {
        #[allow(unused_variables)]
        let unused = 3;
        let y = mse(&(x * data), data);
        let g = dlgradient(&y, x)?;
        Ok((y, g))
    }"#,
    // 18 a labelled block and a labelled loop
    r#"fn labelled(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let y = 'done: {
            if x.numel() == 0 {
                break 'done dlarray(0.0);
            }
            sum(&x.exp(), All)
        };
        let mut z = y.clone();
        'outer: for i in 0..3 {
            for j in 0..3 {
                if i + j > 3 { continue 'outer; }
                z = z + x[i] * x[j];
            }
        }
        let g = dlgradient(&z, x)?;
        Ok((z, g))
    }"#,
    // 19 dbg! and other macros
    r#"fn noisy(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let y = dbg!(x.powi(2));
        println!("y = {:?}", y.get(0));
        assert!(x.numel() > 0, "empty input");
        let v = vec![x.sin(), x.cos()];
        let s = sum(&(&v[0] + &v[1]), All);
        debug_assert_eq!(v.len(), 2);
        let g = dlgradient(&s, x)?;
        Ok((s, g))
    }"#,
    // 20 while on traced values
    r#"fn newton(a: &DlArray) -> Result<(DlArray, DlArray)> {
        let tol = 1e-13;
        let mut r = dlarray(1.0);
        let mut iters = 0;
        while (r.get(0) * r.get(0) - a.get(0)).abs() >= tol && iters < 60 {
            r = 0.5 * (&r + a / &r);
            iters += 1;
        }
        let y = sum(&r, All);
        let g = dlgradient(&y, a)?;
        Ok((y, g))
    }"#,
    // 21 loop with break and compound assignment
    r#"fn fourth(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let mut p = x * 1.0;
        let mut k = 0;
        loop {
            k += 1;
            if k > 3 { break; }
            p *= x;
        }
        p -= 0.5;
        let s = sum(&p, All);
        let g = dlgradient(&s, x)?;
        Ok((s, g))
    }"#,
    // 22 generics, a where clause, a lifetime
    r#"fn generic<'a, T: Real, L: Layer + Learnables<T>>(layer: &'a L, #[untraced] x: &DlArray<T>) -> Result<(DlArray<T>, L)>
    where
        L: Clone,
    {
        let y = layer.forward(x)?;
        let loss = mean(&y.tanh(), All);
        let g = dlgradient(&loss, layer)?;
        Ok((loss, g))
    }"#,
    // 23 impl Trait and dyn Trait parameters
    r#"fn dyn_stack(#[untraced] layers: &Vec<Box<dyn Layer>>, x: &DlArray, f: impl Fn(f64) -> f64) -> Result<(DlArray, DlArray)> {
        let mut h = x * f(1.0);
        for layer in layers.iter() {
            h = layer.forward(&h)?;
        }
        let loss = sum(&h.powi(2), All) * 0.5;
        let g = dlgradient(&loss, x)?;
        Ok((loss, g))
    }"#,
    // 24 Option parameters and if let / let else
    r#"fn optional(x: &DlArray, bias: &Option<DlArray>) -> Result<(DlArray, DlArray)> {
        let Some(b) = bias else { return Err(Error::Other("no bias".into())); };
        let y = if let Some(c) = bias.as_ref() { x + c } else { x * 1.0 };
        let s = sum(&(y + b), All);
        let g = dlgradient(&s, x)?;
        Ok((s, g))
    }"#,
    // 25 a plain helper without dlgradient (pullback only)
    r#"fn rosen_term(a: &DlArray, b: &DlArray) -> DlArray {
        let d = b - a.powi(2);
        100.0 * &d * &d + (1.0 - a).powi(2)
    }"#,
    // 26 a helper returning a tuple and destructuring
    r#"fn split(x: &DlArray) -> Result<(DlArray, DlArray)> {
        let (a, b) = (x.sin(), x.cos());
        let [c, d] = [a.exp(), b.exp()];
        let t = (c, d);
        let s = sum(&(t.0 * &t.1), All);
        let g = dlgradient(&s, x)?;
        Ok((s, g))
    }"#,
    // 27 nested loops with plain matrices and casts
    r#"fn quadratic(x: &DlArray, m: &[[f64; 3]; 3]) -> Result<(DlArray, DlArray)> {
        let mut q = dlarray(0.0);
        for i in 0..3 {
            for j in 0..3 {
                if m[i][j] == 0.0 { continue; }
                q = q + m[i][j] * x[i] * x[j] / (i as f64 + 1.0);
            }
        }
        let g = dlgradient(&q, x)?;
        Ok((q, g))
    }"#,
    // 28 unwrap, expect, return in the middle
    r#"fn picks(xs: &Vec<DlArray>) -> Result<(DlArray, Vec<DlArray>)> {
        let head = xs.first().unwrap();
        let last = xs.last().expect("a last element");
        if xs.len() > 10 {
            return Ok((dlarray(0.0), vec![]));
        }
        let y = sum(&(head * last), All);
        let g = dlgradient(&y, xs)?;
        Ok((y, g))
    }"#,
    // 29 an RNN over a Vec of hidden states
    r#"fn rnn(p: &Rnn, #[untraced] xs: &[DlArray]) -> Result<(DlArray, Rnn)> {
        let mut hs: Vec<DlArray> = Vec::with_capacity(xs.len());
        let mut h = zeros::<f64>(&[2, 1]);
        for x in xs {
            h = (p.w.matmul(&h) + p.u.matmul(x) + &p.b).tanh();
            hs.push(h.clone());
        }
        let mut loss = dlarray(0.0);
        for h in &hs { loss = loss + sum(&p.v.matmul(h), All); }
        let g = dlgradient(&loss, p)?;
        Ok((loss, g))
    }"#,
    // 30 dlgradient returning directly with several targets
    r#"fn logistic(w: &DlArray, b: &DlArray, #[untraced] x: &DlArray, #[untraced] t: &DlArray) -> Result<(DlArray, DlArray)> {
        let p = sigmoid(&(w.matmul(x) + b));
        let loss = -mean(&(t * p.log() + (1.0 - t) * (1.0 - &p).log()), All);
        dlgradient(&loss, (w, b))
    }"#,
    // 31 closures for differentiable_closure!
    r#"|t: &DlArray| {
        let y = sum(&(t * t * t), All);
        dlgradient(&y, t)
    }"#,
    r#"|a: &DlArray, b: &DlArray| dlgradient(&sum(&(a * b), All), (a, b))"#,
    r#"move |x: &DlArray| -> Result<DlArray> { let s = sum(&relu(x), All); dlgradient(&s, x) }"#,
    // 34 structs for derive(Learnables)
    r#"#[derive(Clone, Learnables)]
    struct Net {
        fc1: Layer,
        fc2: Layer,
        #[learnables(skip)]
        name: String,
        scale: f64,
        extra: Option<DlArray>,
        blocks: Vec<Block>,
        pair: [DlArray; 2],
    }"#,
    r#"#[learnables(crate = my::ad)]
    pub struct Layer<T: Real = f64> { pub weights: DlArray<T>, pub bias: DlArray<T> }"#,
    r#"struct Pair(DlArray, #[learnables(skip)] Vec<usize>, DlArray<f32>);"#,
];

// ---------------------------------------------------------------------------------------------
// The grammar

/// Strategies for Rust-ish inputs built from pieces.
mod grammar {
    use proptest::prelude::*;
    use proptest::sample::select;

    /// A strategy of strings.
    pub(super) type S = BoxedStrategy<String>;

    /// `depth` levels of `recurse` over `leaf`, each level a leaf `leaf_weight` times out of 4, built
    /// once: proptest's `prop_recursive` builds its levels again for every value, which costs more
    /// than running the case. (The strategies are cached per thread for the same reason.)
    fn tower<R: Strategy<Value = String> + 'static>(
        leaf: impl Strategy<Value = String> + 'static,
        depth: usize,
        leaf_weight: u32,
        recurse: impl Fn(S) -> R,
    ) -> S {
        let leaf = leaf.boxed();
        let mut s = leaf.clone();
        for _ in 0..depth {
            s = prop_oneof![leaf_weight => leaf.clone(), 4 - leaf_weight => recurse(s).boxed()].boxed();
        }
        s
    }

    /// One of the strings of a pool.
    fn pick(pool: &'static [&'static str]) -> S {
        select(pool).prop_map(String::from).boxed()
    }

    /// Variable names, `self` and a raw identifier among them.
    const NAMES: &[&str] =
        &["x", "y", "a", "b", "w", "v", "i", "n", "s", "h", "acc", "xs", "self", "p", "_t", "r#type"];

    /// A variable name.
    pub(super) fn name() -> S {
        pick(NAMES)
    }

    /// Types: dlarrays, numbers, containers, references (`&`, `&mut`, with lifetimes), slices,
    /// arrays, tuples, generics, `impl Trait`, `dyn Trait`, fn pointers, qualified paths.
    pub(super) fn ty() -> S {
        thread_local!(static CACHE: S = build_ty());
        CACHE.with(Clone::clone)
    }

    /// Builds the strategy (once per thread, see the cache above).
    fn build_ty() -> S {
        let leaf = pick(&[
            "DlArray",
            "DlArray<f32>",
            "DlArray<T>",
            "f64",
            "f32",
            "usize",
            "i32",
            "bool",
            "String",
            "str",
            "T",
            "L",
            "Self",
            "Net",
            "Layer",
            "()",
            "!",
            "_",
            "Array2<f64>",
            "::autodiff::DlArray",
            "crate::Net",
            "Label",
            "Dims",
            "u8",
            "char",
            "dyn Layer",
            "impl Layer",
            "impl Learnables<f64>",
            "Params",
        ]);
        tower(leaf, 3, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|t| format!("&{t}")),
                inner.clone().prop_map(|t| format!("&mut {t}")),
                inner.clone().prop_map(|t| format!("&'a {t}")),
                inner.clone().prop_map(|t| format!("&'_ {t}")),
                inner.clone().prop_map(|t| format!("Vec<{t}>")),
                inner.clone().prop_map(|t| format!("[{t}]")),
                inner.clone().prop_map(|t| format!("&[{t}]")),
                inner.clone().prop_map(|t| format!("[{t}; 3]")),
                inner.clone().prop_map(|t| format!("Option<{t}>")),
                inner.clone().prop_map(|t| format!("Box<{t}>")),
                inner.clone().prop_map(|t| format!("Result<{t}>")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}, {b})")),
                inner.clone().prop_map(|t| format!("({t},)")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("Result<{a}, {b}>")),
                inner.clone().prop_map(|t| format!("impl Fn(&{t}) -> {t}")),
                inner.clone().prop_map(|t| format!("Box<dyn Fn({t}) -> {t} + 'a>")),
                inner.clone().prop_map(|t| format!("HashMap<String, {t}>")),
                inner.clone().prop_map(|t| format!("<{t} as Diff>::Grad")),
                inner.clone().prop_map(|t| format!("fn({t}) -> {t}")),
                inner.clone().prop_map(|t| format!("*const {t}")),
                inner.prop_map(|t| format!("({t})")),
            ]
        })
        .boxed()
    }

    /// Patterns.
    pub(super) fn pat() -> S {
        thread_local!(static CACHE: S = build_pat());
        CACHE.with(Clone::clone)
    }

    /// Builds the strategy (once per thread, see the cache above).
    fn build_pat() -> S {
        let leaf = prop_oneof![
            name(),
            name().prop_map(|n| format!("mut {n}")),
            name().prop_map(|n| format!("ref {n}")),
            pick(&["_", "0", "1..=3", "\"s\"", "None", "Activation::Relu", "true", "-1", ".."]),
        ];
        tower(leaf, 2, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}, {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
                inner.clone().prop_map(|p| format!("&{p}")),
                inner.clone().prop_map(|p| format!("Some({p})")),
                inner.clone().prop_map(|p| format!("Ok({p})")),
                inner.clone().prop_map(|p| format!("Net {{ w, b: {p} }}")),
                inner.clone().prop_map(|p| format!("Net {{ w: {p}, .. }}")),
                inner.clone().prop_map(|p| format!("x @ {p}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} | {b}")),
                inner.clone().prop_map(|p| format!("({p},)")),
                inner.clone().prop_map(|p| format!("[{p}, ..]")),
                (inner.clone(), inner).prop_map(|(a, b)| format!("Point({a}, {b})")),
            ]
        })
        .boxed()
    }

    /// Literals of expressions.
    const LITS: &[&str] = &[
        "0", "1", "2", "0.0", "1.0", "0.5", "100.0", "1e-3", "0usize", "3_usize", "2.5_f32", "\"s\"", "'c'", "true",
        "-1.0",
    ];

    /// Method calls of expressions.
    const METHODS: &[&str] = &[
        "powi(2)",
        "exp()",
        "ln()",
        "log()",
        "sin()",
        "tanh()",
        "sqrt()",
        "abs()",
        "sum()",
        "len()",
        "numel()",
        "clone()",
        "get(0)",
        "to_vec()",
        "unwrap()",
        "expect(\"m\")",
        "iter()",
        "into_iter()",
        "as_ref()",
        "first()",
        "size()",
        "matmul(x)",
        "at(0..2)",
        "t()",
        "is_empty()",
        "collect::<Vec<_>>()",
        "sum::<DlArray>()",
        "forward(x)",
        "forward(&h)?",
    ];

    /// Statements, made from expressions `e`.
    pub(super) fn stmt(e: S) -> S {
        prop_oneof![
            4 => (pat(), e.clone()).prop_map(|(p, v)| format!("let {p} = {v};")),
            2 => (pat(), ty(), e.clone()).prop_map(|(p, t, v)| format!("let {p}: {t} = {v};")),
            3 => (name(), e.clone()).prop_map(|(n, v)| format!("let mut {n} = {v};")),
            1 => pat().prop_map(|p| format!("let {p};")),
            1 => (pat(), e.clone(), e.clone()).prop_map(|(p, v, r)| format!("let Some({p}) = {v} else {{ return {r}; }};")),
            3 => (name(), e.clone()).prop_map(|(n, v)| format!("{n} = {v};")),
            2 => (name(), select(&["+=", "-=", "*=", "/=", "%="][..]), e.clone()).prop_map(|(n, o, v)| format!("{n} {o} {v};")),
            2 => (name(), e.clone()).prop_map(|(n, v)| format!("{n}.push({v});")),
            2 => (name(), e.clone(), e.clone()).prop_map(|(n, i, v)| format!("{n}[{i}] = {v};")),
            1 => (name(), e.clone()).prop_map(|(n, v)| format!("{n}.w = {v};")),
            1 => e.clone().prop_map(|v| format!("self.w = {v};")),
            4 => e.clone().prop_map(|v| format!("{v};")),
            1 => e.clone().prop_map(|v| format!("#[allow(unused)] let z = {v};")),
            1 => e.clone().prop_map(|v| format!("return {v};")),
            1 => pick(&[
                "fn inner(x: f64) -> f64 { x }",
                "struct Local { a: DlArray }",
                "use std::f64::consts::PI;",
                "const K: f64 = 2.0;",
                "macro_rules! m { () => {}; }",
                ";",
                "let _ = dlgradient;",
                "impl Local { fn f(&self) {} }",
            ]),
        ]
        .boxed()
    }

    /// Up to three statements.
    fn stmts(e: S) -> S {
        prop::collection::vec(stmt(e), 0..4).prop_map(|v| v.join(" ")).boxed()
    }

    /// Expressions: operators, method calls, indexing, calls of the prelude, `dlgradient`, `?`, casts,
    /// literals of containers, `if`/`match`, blocks, loops (nested at random), closures, labels, macros.
    pub(super) fn expr() -> S {
        thread_local!(static CACHE: S = build_expr());
        CACHE.with(Clone::clone)
    }

    /// Builds the strategy (once per thread, see the cache above).
    fn build_expr() -> S {
        let leaf = prop_oneof![
            4 => name(),
            3 => pick(LITS),
            1 => pick(&["dlarray(0.0)", "dlarray([1.0, 2.0])", "self.w", "x[0]", "All", "Self::K", "None", "xs[i]", "p.0", "continue", "break"]),
        ];
        tower(leaf, 3, 2, |e| {
            let block = (stmts(e.clone()), prop::option::of(e.clone())).prop_map(|(s, t)| format!("{{ {s} {} }}", t.unwrap_or_default()));
            prop_oneof![
                6 => (e.clone(), select(&["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "&", "|", "^", "<<", ".."][..]), e.clone())
                    .prop_map(|(a, o, b)| format!("{a} {o} {b}")),
                2 => (select(&["-", "!", "*", "&", "&mut "][..]), e.clone()).prop_map(|(o, a)| format!("{o}{a}")),
                2 => e.clone().prop_map(|a| format!("({a})")),
                5 => (e.clone(), pick(METHODS)).prop_map(|(a, m)| format!("{a}.{m}")),
                1 => (e.clone(), pat(), e.clone()).prop_map(|(a, p, b)| format!("{a}.iter().map(|{p}| {b}).sum::<DlArray>()")),
                1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("{a}.iter().zip({b}.iter()).map(|(u, v)| u * v).sum()")),
                1 => (e.clone(), e.clone(), e.clone()).prop_map(|(a, i, b)| format!("{a}.iter().fold({i}, |acc, v| {b})")),
                1 => (e.clone(), block.clone()).prop_map(|(a, b)| format!("{a}.iter().enumerate().for_each(|(i, v)| {b})")),
                3 => (e.clone(), e.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
                1 => e.clone().prop_map(|a| format!("{a}[1..]")),
                1 => (e.clone(), select(&["w", "0", "b", "fc1"][..])).prop_map(|(a, f)| format!("{a}.{f}")),
                2 => (select(&["f", "relu", "sigmoid", "dlarray", "Self::forward", "self.forward", "layer.forward", "Net::new", "<T as Layer>::forward", "crate::helper", "helper::<T>", "Some", "Ok", "Box::new"][..]), e.clone())
                    .prop_map(|(f, a)| format!("{f}({a})")),
                2 => (select(&["sum", "mean", "max"][..]), e.clone()).prop_map(|(f, a)| format!("{f}(&{a}, All)")),
                1 => (e.clone(), e.clone(), e.clone()).prop_map(|(a, b, c)| format!("fullyconnect(&{a}, &{b}, &{c})")),
                3 => (e.clone(), select(&["x", "(a, b)", "&[a, b]", "self", "xs", "p", "x, EnableHigherDerivatives(true)", "x, EnableHigherDerivatives(false), 3", "(x,)", "()"][..]))
                    .prop_map(|(y, t)| format!("dlgradient(&{y}, {t})")),
                1 => e.clone().prop_map(|y| format!("dlgradient({y})")),
                2 => e.clone().prop_map(|a| format!("{a}?")),
                1 => (e.clone(), select(&["f64", "usize", "f32", "i32", "DlArray"][..])).prop_map(|(a, t)| format!("{a} as {t}")),
                2 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("({a}, {b})")),
                1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
                1 => e.clone().prop_map(|a| format!("[{a}; 3]")),
                1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("vec![{a}, {b}]")),
                2 => (e.clone(), block.clone(), block.clone()).prop_map(|(c, a, b)| format!("if {c} {a} else {b}")),
                1 => (e.clone(), block.clone()).prop_map(|(c, a)| format!("if {c} {a}")),
                1 => (pat(), e.clone(), block.clone(), block.clone()).prop_map(|(p, c, a, b)| format!("if let {p} = {c} {a} else {b}")),
                1 => (pat(), e.clone(), e.clone(), block.clone()).prop_map(|(p, c, d, a)| format!("if let {p} = {c} && {d} {a}")),
                2 => (e.clone(), pat(), e.clone(), e.clone(), e.clone()).prop_map(|(s, p, a, g, b)| format!("match {s} {{ {p} => {a}, {p} if {g} => {b}, _ => {b} }}")),
                2 => block.clone(),
                3 => (pat(), e.clone(), block.clone()).prop_map(|(p, it, b)| format!("for {p} in {it} {b}")),
                1 => (pat(), e.clone(), block.clone()).prop_map(|(p, it, b)| format!("'outer: for {p} in {it} {{ for j in 0..n {{ if j > 2 {{ continue 'outer; }} {b} }} }}")),
                1 => (e.clone(), block.clone()).prop_map(|(c, b)| format!("while {c} {b}")),
                1 => (pat(), e.clone(), block.clone()).prop_map(|(p, c, b)| format!("while let {p} = {c} {b}")),
                1 => (stmts(e.clone()), e.clone()).prop_map(|(s, v)| format!("loop {{ {s} break {v}; }}")),
                1 => (stmts(e.clone()), e.clone()).prop_map(|(s, v)| format!("'blk: {{ {s} if true {{ break 'blk {v}; }} {v} }}")),
                1 => (e.clone(), e.clone()).prop_map(|(c, v)| format!("'l: loop {{ if {c} {{ break 'l; }} {v}; }}")),
                2 => (pat(), e.clone()).prop_map(|(p, b)| format!("|{p}| {b}")),
                1 => (ty(), block.clone()).prop_map(|(t, b)| format!("move |v: &{t}| -> {t} {b}")),
                1 => (select(&["dbg", "println", "format", "assert", "vec", "matches", "todo", "panic", "my_macro", "write"][..]), e.clone())
                    .prop_map(|(m, a)| format!("{m}!(\"{{}}\", {a})")),
                1 => e.clone().prop_map(|a| format!("dbg!({a})")),
                1 => e.clone().prop_map(|a| format!("return {a}")),
                1 => e.clone().prop_map(|a| format!("break {a}")),
                1 => (select(&["unsafe", "async", "const", "try", "async move"][..]), block.clone()).prop_map(|(k, b)| format!("{k} {b}")),
                1 => e.clone().prop_map(|a| format!("{a}.await")),
                1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("Net {{ w: {a}, b: {b} }}")),
                1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("Net {{ w: {a}, ..{b} }}")),
                1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("{a}..={b}")),
                1 => (name(), e.clone()).prop_map(|(n, b)| format!("{n} = {b}")),
                1 => e.clone().prop_map(|a| format!("&raw const {a}")),
                1 => e.clone().prop_map(|a| format!("{a}.0 .1")),
            ]
        })
        .boxed()
    }

    /// A parameter list (with a receiver, sometimes).
    fn params() -> S {
        let param = prop_oneof![
            6 => (name(), ty()).prop_map(|(n, t)| format!("{n}: {t}")),
            2 => (name(), ty()).prop_map(|(n, t)| format!("#[untraced] {n}: {t}")),
            1 => (pat(), ty()).prop_map(|(p, t)| format!("{p}: {t}")),
            1 => ty().prop_map(|t| format!("_: {t}")),
            1 => (name(), ty()).prop_map(|(n, t)| format!("#[cfg(test)] #[untraced(x)] mut {n}: {t}")),
        ];
        let receiver = pick(&[
            "",
            "",
            "",
            "&self, ",
            "self, ",
            "&mut self, ",
            "mut self, ",
            "self: &Self, ",
            "&'a self, ",
            "self: Box<Self>, ",
        ]);
        (receiver, prop::collection::vec(param, 0..4)).prop_map(|(r, ps)| format!("{r}{}", ps.join(", "))).boxed()
    }

    /// A function or method: attributes, visibility, qualifiers, generics, parameters, return type,
    /// where clause, body.
    pub(super) fn function() -> S {
        let attrs = pick(&[
            "",
            "",
            "#[inline] ",
            "/// doc\n",
            "#[must_use] #[allow(dead_code)] ",
            "#[differentiable] ",
            "#[cfg(test)] ",
        ]);
        let head = pick(&[
            "",
            "",
            "pub ",
            "pub(crate) ",
            "const ",
            "async ",
            "unsafe ",
            "extern \"C\" ",
            "pub const unsafe ",
            "default ",
        ]);
        let generics = pick(&[
            "",
            "",
            "<T>",
            "<T: Real>",
            "<'a>",
            "<'a, T: Learnables<f64> + 'a>",
            "<const N: usize>",
            "<L: Layer>",
            "<T, U = f64>",
            "<'a, 'b: 'a>",
        ]);
        let ret = prop_oneof![
            1 => Just(String::new()),
            2 => ty().prop_map(|t| format!(" -> {t}")),
            3 => ty().prop_map(|t| format!(" -> Result<{t}>")),
            3 => (ty(), ty()).prop_map(|(a, b)| format!(" -> Result<({a}, {b})>")),
            1 => Just(" -> impl Fn(f64) -> f64".to_string()),
        ];
        let where_ = pick(&[
            "",
            "",
            "",
            " where T: Clone",
            " where L: Layer + ?Sized",
            " where for<'b> &'b T: Add<Output = T>",
            " where Self: Sized",
        ]);
        let body =
            (stmts(expr()), prop::option::of(expr())).prop_map(|(s, t)| format!("{s} {}", t.unwrap_or_default()));
        (attrs, head, name(), generics, params(), ret, where_, body)
            .prop_map(|(a, h, n, g, p, r, w, b)| format!("{a}{h}fn {n}{g}({p}){r}{w} {{ {b} }}"))
            .boxed()
    }

    /// A closure for `differentiable_closure!`.
    pub(super) fn closure() -> S {
        let param = prop_oneof![
            4 => (name(), ty()).prop_map(|(n, t)| format!("{n}: {t}")),
            1 => name(),
            1 => (pat(), ty()).prop_map(|(p, t)| format!("{p}: {t}")),
        ];
        let params = prop::collection::vec(param, 0..3).prop_map(|v| v.join(", "));
        let block = (stmts(expr()), expr()).prop_map(|(s, t)| format!("{{ {s} {t} }}"));
        prop_oneof![
            (pick(&["", "move "]), params.clone(), expr()).prop_map(|(m, p, b)| format!("{m}|{p}| {b}")),
            (params, ty(), block).prop_map(|(p, t, b)| format!("|{p}| -> {t} {b}")),
        ]
        .boxed()
    }

    /// A struct (sometimes an enum or a union) for `#[derive(Learnables)]`.
    pub(super) fn structure() -> S {
        let attr = pick(&[
            "",
            "",
            "#[learnables(skip)] ",
            "#[learnables] ",
            "#[learnables(crate = x)] ",
            "#[learnables(foo)] ",
            "#[learnables = 1] ",
            "#[learnables(skip, skip)] ",
            "#[doc = \"d\"] ",
        ]);
        let field = (attr.clone(), name(), ty()).prop_map(|(a, n, t)| format!("{a}pub {n}: {t}"));
        let tuple_field = (attr.clone(), ty()).prop_map(|(a, t)| format!("{a}{t}"));
        let generics = pick(&["", "<T>", "<T: Real>", "<'a>", "<T = f64>", "<const N: usize>"]);
        let where_ = pick(&["", "", " where T: Clone"]);
        prop_oneof![
            4 => (attr.clone(), generics.clone(), where_.clone(), prop::collection::vec(field.clone(), 0..5))
                .prop_map(|(a, g, w, fs)| format!("{a}struct Net{g}{w} {{ {} }}", fs.join(", "))),
            2 => (attr.clone(), generics.clone(), prop::collection::vec(tuple_field, 0..4), where_)
                .prop_map(|(a, g, fs, w)| format!("{a}pub struct Pair{g}({}){w};", fs.join(", "))),
            1 => attr.clone().prop_map(|a| format!("{a}struct Unit;")),
            1 => (generics.clone(), prop::collection::vec(field.clone(), 0..3)).prop_map(|(g, fs)| format!("enum E{g} {{ A {{ {} }}, B }}", fs.join(", "))),
            1 => (generics, prop::collection::vec(field, 0..3)).prop_map(|(g, fs)| format!("union U{g} {{ {} }}", fs.join(", "))),
        ]
        .boxed()
    }

    /// Traced expressions over the names a model function defines (`x`, `w`, `acc`, `xs`, `k`, `n`,
    /// `i` in loops), so that more of them get through the checks to the later stages.
    fn model_expr() -> S {
        thread_local!(static CACHE: S = build_model_expr());
        CACHE.with(Clone::clone)
    }

    /// Builds the strategy (once per thread, see the cache above).
    fn build_model_expr() -> S {
        let leaf =
            pick(&["x", "w", "acc", "x[i]", "x[0]", "&x", "dlarray(1.0)", "2.0", "k", "w.clone()", "xs[0]", "p.a"]);
        tower(leaf, 3, 2, |e| {
            prop_oneof![
                4 => (e.clone(), select(&["+", "-", "*", "/"][..]), e.clone()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
                2 => e.clone().prop_map(|a| format!("({a}) * 2.0")),
                1 => e.clone().prop_map(|a| format!("-({a})")),
                3 => (e.clone(), select(&["powi(2)", "exp()", "tanh()", "sin()", "abs()", "sqrt()", "clone()"][..])).prop_map(|(a, m)| format!("({a}).{m}")),
                2 => (select(&["sum", "mean"][..]), e.clone()).prop_map(|(f, a)| format!("{f}(&({a}), All)")),
                1 => (select(&["relu", "sigmoid", "softplus"][..]), e.clone()).prop_map(|(f, a)| format!("{f}(&({a}))")),
                1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("if x.get(0) > 0.0 {{ {a} }} else {{ {b} }}")),
                1 => (e.clone(), e.clone()).prop_map(|(a, b)| format!("match n {{ 0 => {a}, _ => {b} }}")),
                1 => e.clone().prop_map(|a| format!("xs.iter().map(|v| v * ({a})).sum::<DlArray>()")),
                1 => e.clone().prop_map(|a| format!("(0..n).fold(dlarray(0.0), |s, i| s + ({a}))")),
                1 => e.clone().prop_map(|a| format!("{{ let t = {a}; &t * &t }}")),
                1 => e.clone().prop_map(|a| format!("dbg!({a})")),
                1 => e.clone().prop_map(|a| format!("helper(&({a}))?")),
                1 => e.clone().prop_map(|a| format!("Pair {{ a: {a} }}.parts().iter().map(|v| v * 2.0).sum::<DlArray>()")),
                1 => e.clone().prop_map(|a| format!("Holder {{ o: Some({a}) }}.o.unwrap_or(x * 1.0)")),
                1 => e.prop_map(|a| format!("self.forward(&({a}))?")),
            ]
        })
        .boxed()
    }

    /// Statements of a model function: updates of `acc` in loops and branches nested at random.
    fn model_stmt() -> S {
        thread_local!(static CACHE: S = build_model_stmt());
        CACHE.with(Clone::clone)
    }

    /// Builds the strategy (once per thread, see the cache above).
    fn build_model_stmt() -> S {
        let e = model_expr;
        let leaf = prop_oneof![
            4 => e().prop_map(|v| format!("acc = acc + {v};")),
            2 => e().prop_map(|v| format!("acc += {v};")),
            2 => e().prop_map(|v| format!("let t = {v}; acc = &acc * &t;")),
            1 => e().prop_map(|v| format!("let mut parts: Vec<DlArray> = Vec::new(); parts.push({v}); acc = acc + sum(&parts[0], All);")),
            1 => e().prop_map(|v| format!("let h = vec![{v}, x * 2.0]; acc = acc + &h[1];")),
            1 => e().prop_map(|v| format!("if acc.get(0) > 10.0 {{ return Err(Error::Other(format!(\"{{}}\", {v}.get(0)))); }}")),
            1 => e().prop_map(|v| format!("println!(\"{{:?}}\", {v});")),
            1 => Just("let n2 = n * 2;".to_string()),
            1 => e().prop_map(|v| format!("#[allow(unused)] let t = if n > 2 {{ {v} }} else {{ x * 1.0 }}; acc = acc + t;")),
        ];
        tower(leaf, 2, 2, |st| {
            let body = prop::collection::vec(st, 1..3).prop_map(|v| v.join(" "));
            prop_oneof![
                3 => body.clone().prop_map(|b| format!("for i in 0..n {{ {b} }}")),
                1 => body.clone().prop_map(|b| format!("for v in xs.iter() {{ {b} }}")),
                1 => body.clone().prop_map(|b| format!("for (i, v) in xs.iter().enumerate() {{ {b} }}")),
                2 => (body.clone(), body.clone()).prop_map(|(a, b)| format!("if x.get(0) > 0.0 {{ {a} }} else {{ {b} }}")),
                1 => body.clone().prop_map(|b| format!("let mut j = 0; while j < n {{ j += 1; {b} }}")),
                1 => body.clone().prop_map(|b| format!("loop {{ {b} break; }}")),
                1 => body.prop_map(|b| format!("{{ {b} }}")),
            ]
        })
        .boxed()
    }

    /// A model function: traced parameters, an accumulator, statements on it, a `dlgradient`.
    pub(super) fn model() -> S {
        let params = pick(&[
            "x: &DlArray",
            "x: &DlArray, w: &DlArray",
            "x: &DlArray, xs: &Vec<DlArray>",
            "x: &DlArray, #[untraced] w: &DlArray, k: f64",
            "&self, x: &DlArray, w: &DlArray",
            "x: &DlArray, w: &DlArray, xs: &[DlArray], p: &Params",
            "x: DlArray, w: &DlArray",
            "x: &DlArray<T>, w: &DlArray<T>",
        ]);
        let targets = pick(&["x", "x", "(x, w)", "w", "xs", "self", "(x, w, xs)", "p"]);
        let tail = pick(&[
            "let g = dlgradient(&acc, TARGETS)?; Ok((acc, g))",
            "dlgradient(&acc, TARGETS)",
            "let g = dlgradient(&sum(&acc, All), TARGETS)?; Ok((acc.clone(), g))",
            "Ok((acc, dlgradient(&acc, TARGETS)?))",
            "Ok((acc.clone(), acc))",
        ]);
        (params, prop::collection::vec(model_stmt(), 0..4), targets, tail)
            .prop_map(|(p, st, t, tail)| {
                let tail = tail.replace("TARGETS", &t);
                format!(
                    "fn model<T: Real>({p}) -> Result<(DlArray, DlArray)> {{ let n = x.numel(); let mut acc = dlarray(0.0); {} {tail} }}",
                    st.join(" ")
                )
            })
            .boxed()
    }

    /// Any input: mostly functions.
    /// Any input: mostly functions.
    pub(super) fn input() -> S {
        prop_oneof![4 => function(), 4 => model(), 2 => closure(), 2 => structure()].boxed()
    }
}

/// Lexes a generated string (the grammar keeps delimiters balanced, so it always lexes).
fn lex(s: &str) -> TokenStream {
    s.parse().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The tests

/// A generated input: source text from the grammar, or a corpus entry and its mutations.
#[derive(Clone, Debug)]
enum Input {
    /// Source text.
    Src(String),
    /// A corpus entry (by index) with mutations.
    Mutated(usize, Vec<Mutation>),
}

impl Input {
    /// The input's tokens.
    fn tokens(&self) -> TokenStream {
        match self {
            Input::Src(s) => lex(s),
            Input::Mutated(entry, ms) => mutated(*entry, ms),
        }
    }
}

/// (a) Token-level mutations of the corpus, `cases` of them from `seed`.
fn mutated_corpus(name: &str, seed: u8, cases: u32) {
    let strategy = (0..CORPUS.len(), prop::collection::vec(mutation(), 1..5), args());
    run(name, seed, cases, strategy, |(entry, ms, a)| (mutated(*entry, ms), parse_args(a)), check);
}

/// (b) Random inputs from the grammar.
fn grammar_inputs(name: &str, seed: u8, cases: u32) {
    let strategy = (grammar::input(), args());
    run(name, seed, cases, strategy, |(src, a)| (lex(src), parse_args(a)), check);
}

/// (c) Every syntactically valid function expands to items, among them a function of its name.
/// The inputs: generated functions and model functions, and corpus entries with a mutation or two
/// that keep many of them valid (replacements, duplications, insertions, deletions).
fn valid_fns(name: &str, seed: u8, cases: u32) {
    let gentle = prop_oneof![
        3 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Mutation::Replace(a, b)),
        1 => any::<u16>().prop_map(Mutation::Duplicate),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        1 => any::<u16>().prop_map(Mutation::Delete),
    ];
    let strategy = (
        prop_oneof![
            grammar::function().prop_map(Input::Src),
            grammar::model().prop_map(Input::Src),
            (0..CORPUS.len(), prop::collection::vec(gentle, 0..3)).prop_map(|(entry, ms)| Input::Mutated(entry, ms)),
        ],
        args(),
    );
    run(name, seed, cases, strategy, |(input, a)| (input.tokens(), parse_args(a)), check_valid_fn);
}

// Each property runs as two tests of half the cases, with their own seeds, so that the two cores of
// a CI machine share the run evenly.

/// (a), first half.
#[test]
fn fuzz_mutated_corpus_1() {
    mutated_corpus("mutated corpus 1", 1, 4500);
}

/// (a), second half.
#[test]
fn fuzz_mutated_corpus_2() {
    mutated_corpus("mutated corpus 2", 11, 4500);
}

/// (b), first half.
#[test]
fn fuzz_grammar_1() {
    grammar_inputs("grammar 1", 2, 3000);
}

/// (b), second half.
#[test]
fn fuzz_grammar_2() {
    grammar_inputs("grammar 2", 12, 3000);
}

/// (c), first half.
#[test]
fn fuzz_valid_fns_1() {
    valid_fns("valid fns 1", 3, 2000);
}

/// (c), second half.
#[test]
fn fuzz_valid_fns_2() {
    valid_fns("valid fns 2", 13, 2000);
}

/// The corpus itself goes through every entry point without a failure.
#[test]
fn fuzz_corpus() {
    install_hook();
    let stats = Stats::default();
    let start = Instant::now();
    for (k, src) in CORPUS.iter().enumerate() {
        if let Err(e) = check(&lex(src), &TokenStream::new(), &stats) {
            panic!("corpus entry {k}: {}", e.text);
        }
    }
    stats.report("corpus", start);
}

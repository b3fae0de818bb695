fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
    rosenbrock::__ad(
            ::autodiff::__private::v2::Primal,
            ::autodiff::__private::v2::arg(x),
        )
        .map(|(__ad_value, _)| __ad_value)
}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
struct rosenbrock {}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
#[diagnostic::on_unimplemented(
    message = "`EnableHigherDerivatives(true)` cannot go through `rosenbrock`: it calls `dlgradient`",
    note = "write the computation of `rosenbrock` inline, without loops or branches, or differentiate only once"
)]
trait __AdNoVjp_rosenbrock {}
impl __AdNoVjp_rosenbrock for ::autodiff::__private::v2::Transitive {}
impl rosenbrock {
    #[doc(hidden)]
    #[allow(unused, unreachable_code, clippy::all, clippy::type_complexity)]
    fn __ad<__AdM: ::autodiff::__private::v2::Mode>(
        __ad_mode: __AdM,
        x_owned: DlArray,
    ) -> Result<
        (
            (DlArray, DlArray),
            impl ::core::ops::Fn(
                &<(DlArray, DlArray) as ::autodiff::__private::v2::Diff>::Grad,
            ) -> ::autodiff::__private::v2::Result<
                    (<DlArray as ::autodiff::__private::v2::Diff>::Grad,),
                > + use<__AdM>,
        ),
    > {
        use ::autodiff::__private::v2 as __ad;
        let _ = rosenbrock;
        let __ad_trace = __ad::enter();
        let x_owned = match __ad_trace {
            ::core::option::Option::Some(__ad_id) => __ad::trace(&x_owned, __ad_id),
            ::core::option::Option::None => x_owned,
        };
        let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
        macro_rules! __ad_try {
            ($l:lifetime, $e:expr) => {
                match $e { ::core::result::Result::Ok(v) => v,
                ::core::result::Result::Err(e) => break $l
                ::core::convert::From::from(e), }
            };
        }
        let __ad_err: <Result<(DlArray, DlArray)> as __ad::ResultParts>::Err = '__ad_fail: {
            let (
                index_1,
                index_2,
                powi_1,
                minus_1,
                powi_2,
                times_1,
                index_3,
                minus_2,
                powi_3,
                f,
                tuple_1,
            );
            index_1 = __ad_try!('__ad_fail, __ad::index(__ad::val(& x), 1));
            index_2 = __ad_try!('__ad_fail, __ad::index(__ad::val(& x), 0));
            powi_1 = __ad::powi(__ad::val(&index_2), 2);
            minus_1 = __ad_try!(
                '__ad_fail, __ad::minus(__ad::val(& index_1), __ad::val(& powi_1))
            );
            powi_2 = __ad::powi(__ad::val(&minus_1), 2);
            times_1 = __ad_try!(
                '__ad_fail, __ad::times(& (100f64), __ad::val(& powi_2))
            );
            index_3 = __ad_try!('__ad_fail, __ad::index(__ad::val(& x), 0));
            minus_2 = __ad_try!('__ad_fail, __ad::minus(& (1f64), __ad::val(& index_3)));
            powi_3 = __ad::powi(__ad::val(&minus_2), 2);
            f = __ad_try!(
                '__ad_fail, __ad::plus(__ad::val(& times_1), __ad::val(& powi_3))
            );
            let gradient_1 = {
                __ad_try!('__ad_fail, __ad::check_value(__ad::val(& f), "f"));
                __ad_try!('__ad_fail, __ad::check_target(& x, "x"));
                let (
                    mut x_bar,
                    mut index_1_bar,
                    mut index_2_bar,
                    mut powi_1_bar,
                    mut minus_1_bar,
                    mut powi_2_bar,
                    mut times_1_bar,
                    mut index_3_bar,
                    mut minus_2_bar,
                    mut powi_3_bar,
                ) = (
                    __ad::slot(&x),
                    __ad::slot(&index_1),
                    __ad::slot(&index_2),
                    __ad::slot(&powi_1),
                    __ad::slot(&minus_1),
                    __ad::slot(&powi_2),
                    __ad::slot(&times_1),
                    __ad::slot(&index_3),
                    __ad::slot(&minus_2),
                    __ad::slot(&powi_3),
                );
                let mut f_bar = __ad::seed(__ad::val(&f));
                if __ad::reached(&f_bar) {
                    let __ad_g = &f_bar;
                    __ad::plus_adj0(
                        &mut times_1_bar,
                        __ad_g,
                        &f,
                        __ad::val(&times_1),
                        __ad::val(&powi_3),
                    );
                    __ad::plus_adj1(
                        &mut powi_3_bar,
                        __ad_g,
                        &f,
                        __ad::val(&times_1),
                        __ad::val(&powi_3),
                    );
                }
                if __ad::reached(&powi_3_bar) {
                    let __ad_g = &powi_3_bar;
                    __ad::powi_adj(
                        &mut minus_2_bar,
                        __ad_g,
                        &powi_3,
                        __ad::val(&minus_2),
                        2,
                    );
                }
                if __ad::reached(&minus_2_bar) {
                    let __ad_g = &minus_2_bar;
                    __ad::minus_adj1(
                        &mut index_3_bar,
                        __ad_g,
                        &minus_2,
                        &(1f64),
                        __ad::val(&index_3),
                    );
                }
                if __ad::reached(&index_3_bar) {
                    let __ad_g = &index_3_bar;
                    __ad::index_adj(&mut x_bar, __ad_g, &index_3, __ad::val(&x), 0);
                }
                if __ad::reached(&times_1_bar) {
                    let __ad_g = &times_1_bar;
                    __ad::times_adj1(
                        &mut powi_2_bar,
                        __ad_g,
                        &times_1,
                        &(100f64),
                        __ad::val(&powi_2),
                    );
                }
                if __ad::reached(&powi_2_bar) {
                    let __ad_g = &powi_2_bar;
                    __ad::powi_adj(
                        &mut minus_1_bar,
                        __ad_g,
                        &powi_2,
                        __ad::val(&minus_1),
                        2,
                    );
                }
                if __ad::reached(&minus_1_bar) {
                    let __ad_g = &minus_1_bar;
                    __ad::minus_adj0(
                        &mut index_1_bar,
                        __ad_g,
                        &minus_1,
                        __ad::val(&index_1),
                        __ad::val(&powi_1),
                    );
                    __ad::minus_adj1(
                        &mut powi_1_bar,
                        __ad_g,
                        &minus_1,
                        __ad::val(&index_1),
                        __ad::val(&powi_1),
                    );
                }
                if __ad::reached(&powi_1_bar) {
                    let __ad_g = &powi_1_bar;
                    __ad::powi_adj(
                        &mut index_2_bar,
                        __ad_g,
                        &powi_1,
                        __ad::val(&index_2),
                        2,
                    );
                }
                if __ad::reached(&index_2_bar) {
                    let __ad_g = &index_2_bar;
                    __ad::index_adj(&mut x_bar, __ad_g, &index_2, __ad::val(&x), 0);
                }
                if __ad::reached(&index_1_bar) {
                    let __ad_g = &index_1_bar;
                    __ad::index_adj(&mut x_bar, __ad_g, &index_1, __ad::val(&x), 1);
                }
                __ad::finish(&x, x_bar, false)
            };
            let grad = gradient_1;
            tuple_1 = (
                ::core::clone::Clone::clone(&f),
                ::core::clone::Clone::clone(&grad),
            );
            let __ad_value = ::core::clone::Clone::clone(&tuple_1);
            let (
                x_bar0,
                index_1_bar0,
                index_2_bar0,
                powi_1_bar0,
                minus_1_bar0,
                powi_2_bar0,
                times_1_bar0,
                index_3_bar0,
                minus_2_bar0,
                powi_3_bar0,
                f_bar0,
                tuple_1_bar0,
            ) = (
                __ad::slot(&x),
                __ad::slot(&index_1),
                __ad::slot(&index_2),
                __ad::slot(&powi_1),
                __ad::slot(&minus_1),
                __ad::slot(&powi_2),
                __ad::slot(&times_1),
                __ad::slot(&index_3),
                __ad::slot(&minus_2),
                __ad::slot(&powi_3),
                __ad::slot(&f),
                __ad::slot(&tuple_1),
            );
            let index_3_kept = __ad::keep(__ad::Mode::record(__ad_mode), index_3);
            let index_2_kept = __ad::keep(__ad::Mode::record(__ad_mode), index_2);
            let index_1_kept = __ad::keep(__ad::Mode::record(__ad_mode), index_1);
            let __ad_pb = move |
                __ad_g: &<(DlArray, DlArray) as __ad::Diff>::Grad,
            | -> __ad::Result<_> {
                macro_rules! __ad_try {
                    ($l:lifetime, $e:expr) => {
                        match $e { ::core::result::Result::Ok(v) => v,
                        ::core::result::Result::Err(e) => break $l
                        ::core::convert::From::from(e), }
                    };
                }
                let __ad_err: __ad::Error = '__ad_pb_fail: {
                    let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
                    let index_3 = __ad_try!('__ad_pb_fail, __ad::kept(& index_3_kept));
                    let index_2 = __ad_try!('__ad_pb_fail, __ad::kept(& index_2_kept));
                    let index_1 = __ad_try!('__ad_pb_fail, __ad::kept(& index_1_kept));
                    let (
                        mut x_bar,
                        mut index_1_bar,
                        mut index_2_bar,
                        mut powi_1_bar,
                        mut minus_1_bar,
                        mut powi_2_bar,
                        mut times_1_bar,
                        mut index_3_bar,
                        mut minus_2_bar,
                        mut powi_3_bar,
                        mut f_bar,
                        mut tuple_1_bar,
                    ) = (
                        __ad::Grad::copy(&x_bar0),
                        __ad::Grad::copy(&index_1_bar0),
                        __ad::Grad::copy(&index_2_bar0),
                        __ad::Grad::copy(&powi_1_bar0),
                        __ad::Grad::copy(&minus_1_bar0),
                        __ad::Grad::copy(&powi_2_bar0),
                        __ad::Grad::copy(&times_1_bar0),
                        __ad::Grad::copy(&index_3_bar0),
                        __ad::Grad::copy(&minus_2_bar0),
                        __ad::Grad::copy(&powi_3_bar0),
                        __ad::Grad::copy(&f_bar0),
                        __ad::Grad::copy(&tuple_1_bar0),
                    );
                    __ad::acc(&mut tuple_1_bar, __ad_g);
                    if __ad::reached(&tuple_1_bar) {
                        let __ad_g = &tuple_1_bar;
                        __ad::acc(&mut f_bar, &(__ad_g).0);
                    }
                    if __ad::reached(&f_bar) {
                        let __ad_g = &f_bar;
                        __ad::plus_adj0(
                            &mut times_1_bar,
                            __ad_g,
                            &f,
                            __ad::val(&times_1),
                            __ad::val(&powi_3),
                        );
                        __ad::plus_adj1(
                            &mut powi_3_bar,
                            __ad_g,
                            &f,
                            __ad::val(&times_1),
                            __ad::val(&powi_3),
                        );
                    }
                    if __ad::reached(&powi_3_bar) {
                        let __ad_g = &powi_3_bar;
                        __ad::powi_adj(
                            &mut minus_2_bar,
                            __ad_g,
                            &powi_3,
                            __ad::val(&minus_2),
                            2,
                        );
                    }
                    if __ad::reached(&minus_2_bar) {
                        let __ad_g = &minus_2_bar;
                        __ad::minus_adj1(
                            &mut index_3_bar,
                            __ad_g,
                            &minus_2,
                            &(1f64),
                            __ad::val(&index_3),
                        );
                    }
                    if __ad::reached(&index_3_bar) {
                        let __ad_g = &index_3_bar;
                        __ad::index_adj(&mut x_bar, __ad_g, &index_3, __ad::val(&x), 0);
                    }
                    if __ad::reached(&times_1_bar) {
                        let __ad_g = &times_1_bar;
                        __ad::times_adj1(
                            &mut powi_2_bar,
                            __ad_g,
                            &times_1,
                            &(100f64),
                            __ad::val(&powi_2),
                        );
                    }
                    if __ad::reached(&powi_2_bar) {
                        let __ad_g = &powi_2_bar;
                        __ad::powi_adj(
                            &mut minus_1_bar,
                            __ad_g,
                            &powi_2,
                            __ad::val(&minus_1),
                            2,
                        );
                    }
                    if __ad::reached(&minus_1_bar) {
                        let __ad_g = &minus_1_bar;
                        __ad::minus_adj0(
                            &mut index_1_bar,
                            __ad_g,
                            &minus_1,
                            __ad::val(&index_1),
                            __ad::val(&powi_1),
                        );
                        __ad::minus_adj1(
                            &mut powi_1_bar,
                            __ad_g,
                            &minus_1,
                            __ad::val(&index_1),
                            __ad::val(&powi_1),
                        );
                    }
                    if __ad::reached(&powi_1_bar) {
                        let __ad_g = &powi_1_bar;
                        __ad::powi_adj(
                            &mut index_2_bar,
                            __ad_g,
                            &powi_1,
                            __ad::val(&index_2),
                            2,
                        );
                    }
                    if __ad::reached(&index_2_bar) {
                        let __ad_g = &index_2_bar;
                        __ad::index_adj(&mut x_bar, __ad_g, &index_2, __ad::val(&x), 0);
                    }
                    if __ad::reached(&index_1_bar) {
                        let __ad_g = &index_1_bar;
                        __ad::index_adj(&mut x_bar, __ad_g, &index_1, __ad::val(&x), 1);
                    }
                    return ::core::result::Result::Ok((x_bar,));
                };
                ::core::result::Result::Err(__ad_err)
            };
            return ::core::result::Result::Ok((__ad_value, __ad_pb));
        };
        ::core::result::Result::Err(__ad_err)
    }
    #[doc(hidden)]
    #[allow(
        unused,
        unreachable_code,
        private_bounds,
        clippy::all,
        clippy::type_complexity
    )]
    fn __ad_vjp<__AdM: ::autodiff::__private::v2::Mode, __AdH: __AdNoVjp_rosenbrock>(
        __ad_mode: __AdM,
        _: __AdH,
        x_owned: DlArray,
        __ad_gy_owned: <(DlArray, DlArray) as ::autodiff::__private::v2::Diff>::Grad,
    ) -> Result<
        (
            (<DlArray as ::autodiff::__private::v2::Diff>::Grad,),
            ::autodiff::__private::v2::NoPullback,
        ),
    > {
        ::core::result::Result::Err(
            ::core::convert::From::from(
                ::autodiff::__private::v2::no_vjp(
                    "`EnableHigherDerivatives(true)` cannot go through `rosenbrock`: it calls `dlgradient`",
                ),
            ),
        )
    }
}

fn rosenbrock_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    rosenbrock_loop::__ad(
            ::autodiff::__private::v2::Primal,
            ::autodiff::__private::v2::arg(x),
        )
        .map(|(__ad_value, _)| __ad_value)
}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
struct rosenbrock_loop {}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
#[diagnostic::on_unimplemented(
    message = "`EnableHigherDerivatives(true)` cannot go through `rosenbrock_loop`: it calls `dlgradient`",
    note = "write the computation of `rosenbrock_loop` inline, without loops or branches, or differentiate only once"
)]
trait __AdNoVjp_rosenbrock_loop {}
impl __AdNoVjp_rosenbrock_loop for ::autodiff::__private::v2::Transitive {}
impl rosenbrock_loop {
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
        let _ = rosenbrock_loop;
        let __ad_trace = __ad::enter();
        let x_owned = match __ad_trace {
            ::core::option::Option::Some(__ad_id) => __ad::trace(&x_owned, __ad_id),
            ::core::option::Option::None => x_owned,
        };
        let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
        let mut f_sizes_1 = ::std::vec::Vec::new();
        let mut trips_1: ::std::vec::Vec<usize> = ::std::vec::Vec::new();
        macro_rules! __ad_try {
            ($l:lifetime, $e:expr) => {
                match $e { ::core::result::Result::Ok(v) => v,
                ::core::result::Result::Err(e) => break $l
                ::core::convert::From::from(e), }
            };
        }
        let __ad_err: <Result<(DlArray, DlArray)> as __ad::ResultParts>::Err = '__ad_fail: {
            let (value_1, f_2, f_3, tuple_1);
            value_1 = x.numel();
            let value_1 = __ad::plain(value_1);
            let n = value_1;
            let c_1 = dlarray(0.0);
            let mut f = ::core::clone::Clone::clone(&c_1);
            let mut trip_1 = 0usize;
            for i in 0..n - 1 {
                trip_1 += 1;
                let f_1 = __ad::copy(__ad::val(&f));
                let e_1 = i + 1;
                let index_1 = __ad_try!(
                    '__ad_fail, __ad::index(__ad::val(& x), ::core::clone::Clone::clone(&
                    e_1))
                );
                let index_2 = __ad_try!(
                    '__ad_fail, __ad::index(__ad::val(& x), ::core::clone::Clone::clone(&
                    i))
                );
                let powi_1 = __ad::powi(__ad::val(&index_2), 2);
                let minus_1 = __ad_try!(
                    '__ad_fail, __ad::minus(__ad::val(& index_1), __ad::val(& powi_1))
                );
                let powi_2 = __ad::powi(__ad::val(&minus_1), 2);
                let times_1 = __ad_try!(
                    '__ad_fail, __ad::times(& (100f64), __ad::val(& powi_2))
                );
                let plus_1 = __ad_try!(
                    '__ad_fail, __ad::plus(__ad::val(& f_1), __ad::val(& times_1))
                );
                let index_3 = __ad_try!(
                    '__ad_fail, __ad::index(__ad::val(& x), ::core::clone::Clone::clone(&
                    i))
                );
                let minus_2 = __ad_try!(
                    '__ad_fail, __ad::minus(& (1f64), __ad::val(& index_3))
                );
                let powi_3 = __ad::powi(__ad::val(&minus_2), 2);
                let plus_2 = __ad_try!(
                    '__ad_fail, __ad::plus(__ad::val(& plus_1), __ad::val(& powi_3))
                );
                f = ::core::clone::Clone::clone(&plus_2);
                __ad::log_size(&mut f_sizes_1, trip_1 - 1, &f_1, &f);
            }
            trips_1.push(trip_1);
            f_2 = __ad::copy(__ad::val(&f));
            let gradient_1 = {
                __ad_try!('__ad_fail, __ad::check_value(__ad::val(& f_2), "f"));
                __ad_try!('__ad_fail, __ad::check_target(& x, "x"));
                let mut trips_cur_1 = trips_1.len();
                let (
                    mut x_bar,
                    mut f_bar,
                    mut f_1_bar,
                    mut index_1_bar,
                    mut index_2_bar,
                    mut powi_1_bar,
                    mut minus_1_bar,
                    mut powi_2_bar,
                    mut times_1_bar,
                    mut plus_1_bar,
                    mut index_3_bar,
                    mut minus_2_bar,
                    mut powi_3_bar,
                    mut plus_2_bar,
                ) = (
                    __ad::slot(&x),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                );
                let mut f_2_bar = __ad::seed(__ad::val(&f_2));
                if __ad::reached(&f_2_bar) {
                    let __ad_g = &f_2_bar;
                    __ad::acc_like(f_bar.at(&f_2), __ad_g);
                }
                {
                    trips_cur_1 -= 1;
                    for __ad_step in (0..trips_1[trips_cur_1]).rev() {
                        let i = (0) + __ad_step;
                        let f_1 = __ad::acc_at(&f_sizes_1, __ad_step, &f);
                        let f_1 = &f_1;
                        let e_1 = i + 1;
                        let index_1 = __ad_try!(
                            '__ad_fail, __ad::index(__ad::val(& x),
                            ::core::clone::Clone::clone(& e_1))
                        );
                        let index_1 = &index_1;
                        let index_2 = __ad_try!(
                            '__ad_fail, __ad::index(__ad::val(& x),
                            ::core::clone::Clone::clone(& i))
                        );
                        let index_2 = &index_2;
                        let powi_1 = __ad::powi(__ad::val(&index_2), 2);
                        let powi_1 = &powi_1;
                        let minus_1 = __ad_try!(
                            '__ad_fail, __ad::minus(__ad::val(& index_1), __ad::val(&
                            powi_1))
                        );
                        let minus_1 = &minus_1;
                        let powi_2 = __ad::powi(__ad::val(&minus_1), 2);
                        let powi_2 = &powi_2;
                        let times_1 = __ad_try!(
                            '__ad_fail, __ad::times(& (100f64), __ad::val(& powi_2))
                        );
                        let times_1 = &times_1;
                        let plus_1 = __ad::widen(f_1, __ad::val(&times_1));
                        let plus_1 = &plus_1;
                        let index_3 = __ad_try!(
                            '__ad_fail, __ad::index(__ad::val(& x),
                            ::core::clone::Clone::clone(& i))
                        );
                        let index_3 = &index_3;
                        let minus_2 = __ad_try!(
                            '__ad_fail, __ad::minus(& (1f64), __ad::val(& index_3))
                        );
                        let minus_2 = &minus_2;
                        let powi_3 = __ad::powi(__ad::val(&minus_2), 2);
                        let powi_3 = &powi_3;
                        let plus_2 = __ad::widen(plus_1, __ad::val(&powi_3));
                        let plus_2 = &plus_2;
                        if let ::core::option::Option::Some(__ad_g) = f_bar.take() {
                            __ad::acc_owned(plus_2_bar.at(plus_2), __ad_g);
                        }
                        if let ::core::option::Option::Some(__ad_g) = plus_2_bar.take() {
                            if __ad::reached(&__ad_g) {
                                __ad::plus_adj0(
                                    plus_1_bar.at(plus_1),
                                    &__ad_g,
                                    plus_2,
                                    __ad::val(&plus_1),
                                    __ad::val(&powi_3),
                                );
                                __ad::plus_adj1(
                                    powi_3_bar.at(powi_3),
                                    &__ad_g,
                                    plus_2,
                                    __ad::val(&plus_1),
                                    __ad::val(&powi_3),
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = powi_3_bar.take() {
                            if __ad::reached(&__ad_g) {
                                __ad::powi_adj(
                                    minus_2_bar.at(minus_2),
                                    &__ad_g,
                                    powi_3,
                                    __ad::val(&minus_2),
                                    2,
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = minus_2_bar.take()
                        {
                            if __ad::reached(&__ad_g) {
                                __ad::minus_adj1(
                                    index_3_bar.at(index_3),
                                    &__ad_g,
                                    minus_2,
                                    &(1f64),
                                    __ad::val(&index_3),
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = index_3_bar.take()
                        {
                            if __ad::reached(&__ad_g) {
                                __ad::index_adj(
                                    &mut x_bar,
                                    &__ad_g,
                                    index_3,
                                    __ad::val(&x),
                                    ::core::clone::Clone::clone(&i),
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = plus_1_bar.take() {
                            if __ad::reached(&__ad_g) {
                                __ad::plus_adj0(
                                    f_1_bar.at(f_1),
                                    &__ad_g,
                                    plus_1,
                                    __ad::val(&f_1),
                                    __ad::val(&times_1),
                                );
                                __ad::plus_adj1(
                                    times_1_bar.at(times_1),
                                    &__ad_g,
                                    plus_1,
                                    __ad::val(&f_1),
                                    __ad::val(&times_1),
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = times_1_bar.take()
                        {
                            if __ad::reached(&__ad_g) {
                                __ad::times_adj1(
                                    powi_2_bar.at(powi_2),
                                    &__ad_g,
                                    times_1,
                                    &(100f64),
                                    __ad::val(&powi_2),
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = powi_2_bar.take() {
                            if __ad::reached(&__ad_g) {
                                __ad::powi_adj(
                                    minus_1_bar.at(minus_1),
                                    &__ad_g,
                                    powi_2,
                                    __ad::val(&minus_1),
                                    2,
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = minus_1_bar.take()
                        {
                            if __ad::reached(&__ad_g) {
                                __ad::minus_adj0(
                                    index_1_bar.at(index_1),
                                    &__ad_g,
                                    minus_1,
                                    __ad::val(&index_1),
                                    __ad::val(&powi_1),
                                );
                                __ad::minus_adj1(
                                    powi_1_bar.at(powi_1),
                                    &__ad_g,
                                    minus_1,
                                    __ad::val(&index_1),
                                    __ad::val(&powi_1),
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = powi_1_bar.take() {
                            if __ad::reached(&__ad_g) {
                                __ad::powi_adj(
                                    index_2_bar.at(index_2),
                                    &__ad_g,
                                    powi_1,
                                    __ad::val(&index_2),
                                    2,
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = index_2_bar.take()
                        {
                            if __ad::reached(&__ad_g) {
                                __ad::index_adj(
                                    &mut x_bar,
                                    &__ad_g,
                                    index_2,
                                    __ad::val(&x),
                                    ::core::clone::Clone::clone(&i),
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = index_1_bar.take()
                        {
                            if __ad::reached(&__ad_g) {
                                __ad::index_adj(
                                    &mut x_bar,
                                    &__ad_g,
                                    index_1,
                                    __ad::val(&x),
                                    ::core::clone::Clone::clone(&e_1),
                                );
                            }
                        }
                        if let ::core::option::Option::Some(__ad_g) = f_1_bar.take() {
                            if __ad::reached(&__ad_g) {
                                __ad::acc_like(f_bar.at(f_1), &__ad_g);
                            }
                        }
                    }
                }
                f_bar.take();
                __ad::finish(&x, x_bar, false)
            };
            let g = gradient_1;
            f_3 = __ad::copy(__ad::val(&f));
            tuple_1 = (
                ::core::clone::Clone::clone(&f_3),
                ::core::clone::Clone::clone(&g),
            );
            let __ad_value = ::core::clone::Clone::clone(&tuple_1);
            let (x_bar0, f_3_bar0, tuple_1_bar0) = (
                __ad::slot(&x),
                __ad::slot(&f_3),
                __ad::slot(&tuple_1),
            );
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
                    let mut trips_cur_1 = trips_1.len();
                    let (
                        mut x_bar,
                        mut f_bar,
                        mut f_1_bar,
                        mut index_1_bar,
                        mut index_2_bar,
                        mut powi_1_bar,
                        mut minus_1_bar,
                        mut powi_2_bar,
                        mut times_1_bar,
                        mut plus_1_bar,
                        mut index_3_bar,
                        mut minus_2_bar,
                        mut powi_3_bar,
                        mut plus_2_bar,
                        mut f_3_bar,
                        mut tuple_1_bar,
                    ) = (
                        __ad::Grad::copy(&x_bar0),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Grad::copy(&f_3_bar0),
                        __ad::Grad::copy(&tuple_1_bar0),
                    );
                    __ad::acc(&mut tuple_1_bar, __ad_g);
                    if __ad::reached(&tuple_1_bar) {
                        let __ad_g = &tuple_1_bar;
                        __ad::acc(&mut f_3_bar, &(__ad_g).0);
                    }
                    if __ad::reached(&f_3_bar) {
                        let __ad_g = &f_3_bar;
                        __ad::acc_like(f_bar.at(&f_3), __ad_g);
                    }
                    {
                        trips_cur_1 -= 1;
                        for __ad_step in (0..trips_1[trips_cur_1]).rev() {
                            let i = (0) + __ad_step;
                            let f_1 = __ad::acc_at(&f_sizes_1, __ad_step, &f);
                            let f_1 = &f_1;
                            let e_1 = i + 1;
                            let index_1 = __ad_try!(
                                '__ad_pb_fail, __ad::index(__ad::val(& x),
                                ::core::clone::Clone::clone(& e_1))
                            );
                            let index_1 = &index_1;
                            let index_2 = __ad_try!(
                                '__ad_pb_fail, __ad::index(__ad::val(& x),
                                ::core::clone::Clone::clone(& i))
                            );
                            let index_2 = &index_2;
                            let powi_1 = __ad::powi(__ad::val(&index_2), 2);
                            let powi_1 = &powi_1;
                            let minus_1 = __ad_try!(
                                '__ad_pb_fail, __ad::minus(__ad::val(& index_1), __ad::val(&
                                powi_1))
                            );
                            let minus_1 = &minus_1;
                            let powi_2 = __ad::powi(__ad::val(&minus_1), 2);
                            let powi_2 = &powi_2;
                            let times_1 = __ad_try!(
                                '__ad_pb_fail, __ad::times(& (100f64), __ad::val(& powi_2))
                            );
                            let times_1 = &times_1;
                            let plus_1 = __ad::widen(f_1, __ad::val(&times_1));
                            let plus_1 = &plus_1;
                            let index_3 = __ad_try!(
                                '__ad_pb_fail, __ad::index(__ad::val(& x),
                                ::core::clone::Clone::clone(& i))
                            );
                            let index_3 = &index_3;
                            let minus_2 = __ad_try!(
                                '__ad_pb_fail, __ad::minus(& (1f64), __ad::val(& index_3))
                            );
                            let minus_2 = &minus_2;
                            let powi_3 = __ad::powi(__ad::val(&minus_2), 2);
                            let powi_3 = &powi_3;
                            let plus_2 = __ad::widen(plus_1, __ad::val(&powi_3));
                            let plus_2 = &plus_2;
                            if let ::core::option::Option::Some(__ad_g) = f_bar.take() {
                                __ad::acc_owned(plus_2_bar.at(plus_2), __ad_g);
                            }
                            if let ::core::option::Option::Some(__ad_g) = plus_2_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::plus_adj0(
                                        plus_1_bar.at(plus_1),
                                        &__ad_g,
                                        plus_2,
                                        __ad::val(&plus_1),
                                        __ad::val(&powi_3),
                                    );
                                    __ad::plus_adj1(
                                        powi_3_bar.at(powi_3),
                                        &__ad_g,
                                        plus_2,
                                        __ad::val(&plus_1),
                                        __ad::val(&powi_3),
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = powi_3_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::powi_adj(
                                        minus_2_bar.at(minus_2),
                                        &__ad_g,
                                        powi_3,
                                        __ad::val(&minus_2),
                                        2,
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = minus_2_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::minus_adj1(
                                        index_3_bar.at(index_3),
                                        &__ad_g,
                                        minus_2,
                                        &(1f64),
                                        __ad::val(&index_3),
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = index_3_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::index_adj(
                                        &mut x_bar,
                                        &__ad_g,
                                        index_3,
                                        __ad::val(&x),
                                        ::core::clone::Clone::clone(&i),
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = plus_1_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::plus_adj0(
                                        f_1_bar.at(f_1),
                                        &__ad_g,
                                        plus_1,
                                        __ad::val(&f_1),
                                        __ad::val(&times_1),
                                    );
                                    __ad::plus_adj1(
                                        times_1_bar.at(times_1),
                                        &__ad_g,
                                        plus_1,
                                        __ad::val(&f_1),
                                        __ad::val(&times_1),
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = times_1_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::times_adj1(
                                        powi_2_bar.at(powi_2),
                                        &__ad_g,
                                        times_1,
                                        &(100f64),
                                        __ad::val(&powi_2),
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = powi_2_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::powi_adj(
                                        minus_1_bar.at(minus_1),
                                        &__ad_g,
                                        powi_2,
                                        __ad::val(&minus_1),
                                        2,
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = minus_1_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::minus_adj0(
                                        index_1_bar.at(index_1),
                                        &__ad_g,
                                        minus_1,
                                        __ad::val(&index_1),
                                        __ad::val(&powi_1),
                                    );
                                    __ad::minus_adj1(
                                        powi_1_bar.at(powi_1),
                                        &__ad_g,
                                        minus_1,
                                        __ad::val(&index_1),
                                        __ad::val(&powi_1),
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = powi_1_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::powi_adj(
                                        index_2_bar.at(index_2),
                                        &__ad_g,
                                        powi_1,
                                        __ad::val(&index_2),
                                        2,
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = index_2_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::index_adj(
                                        &mut x_bar,
                                        &__ad_g,
                                        index_2,
                                        __ad::val(&x),
                                        ::core::clone::Clone::clone(&i),
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = index_1_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::index_adj(
                                        &mut x_bar,
                                        &__ad_g,
                                        index_1,
                                        __ad::val(&x),
                                        ::core::clone::Clone::clone(&e_1),
                                    );
                                }
                            }
                            if let ::core::option::Option::Some(__ad_g) = f_1_bar.take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::acc_like(f_bar.at(f_1), &__ad_g);
                                }
                            }
                        }
                    }
                    f_bar.take();
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
    fn __ad_vjp<
        __AdM: ::autodiff::__private::v2::Mode,
        __AdH: __AdNoVjp_rosenbrock_loop,
    >(
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
                    "`EnableHigherDerivatives(true)` cannot go through `rosenbrock_loop`: it calls `dlgradient`",
                ),
            ),
        )
    }
}

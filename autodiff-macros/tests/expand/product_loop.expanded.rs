fn product_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    product_loop::__ad(
            ::autodiff::__private::v2::Primal,
            ::autodiff::__private::v2::arg(x),
        )
        .map(|(__ad_value, _)| __ad_value)
}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
struct product_loop {}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
#[diagnostic::on_unimplemented(
    message = "`EnableHigherDerivatives(true)` cannot go through `product_loop`: it calls `dlgradient`",
    note = "write the computation of `product_loop` inline, without loops or branches, or differentiate only once"
)]
trait __AdNoVjp_product_loop {}
impl __AdNoVjp_product_loop for ::autodiff::__private::v2::Transitive {}
impl product_loop {
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
        let _ = product_loop;
        let __ad_trace = __ad::enter();
        let x_owned = match __ad_trace {
            ::core::option::Option::Some(__ad_id) => __ad::trace(&x_owned, __ad_id),
            ::core::option::Option::None => x_owned,
        };
        let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
        let mut i_stack = ::std::vec::Vec::new();
        let mut p_1_stack = ::std::vec::Vec::new();
        let mut index_1_stack = ::std::vec::Vec::new();
        let mut times_1_stack = ::std::vec::Vec::new();
        let mut plus_1_stack = ::std::vec::Vec::new();
        let mut trips_1: ::std::vec::Vec<usize> = ::std::vec::Vec::new();
        macro_rules! __ad_try {
            ($l:lifetime, $e:expr) => {
                match $e { ::core::result::Result::Ok(v) => v,
                ::core::result::Result::Err(e) => break $l
                ::core::convert::From::from(e), }
            };
        }
        let __ad_err: <Result<(DlArray, DlArray)> as __ad::ResultParts>::Err = '__ad_fail: {
            let (value_1, p_2, copy_1, p_3, tuple_1);
            let c_1 = dlarray(1.0);
            let mut p = ::core::clone::Clone::clone(&c_1);
            value_1 = x.numel();
            let value_1 = __ad::plain(value_1);
            let mut trip_1 = 0usize;
            for i in 0..value_1 {
                trip_1 += 1;
                i_stack.push(__ad::own(::core::clone::Clone::clone(&i)));
                let p_1 = __ad::copy(__ad::val(&p));
                p_1_stack.push(::core::clone::Clone::clone(&p_1));
                let index_1 = __ad_try!(
                    '__ad_fail, __ad::index(__ad::val(& x), ::core::clone::Clone::clone(&
                    i))
                );
                index_1_stack.push(__ad::own(::core::clone::Clone::clone(&index_1)));
                let times_1 = __ad_try!(
                    '__ad_fail, __ad::times(__ad::val(& p_1), __ad::val(& index_1))
                );
                times_1_stack.push(::core::clone::Clone::clone(&times_1));
                let plus_1 = __ad_try!(
                    '__ad_fail, __ad::plus(__ad::val(& times_1), & (0.1f64))
                );
                plus_1_stack.push(::core::clone::Clone::clone(&plus_1));
                p = ::core::clone::Clone::clone(&plus_1);
            }
            trips_1.push(trip_1);
            p_2 = __ad::copy(__ad::val(&p));
            copy_1 = __ad::copy(__ad::val(&p_2));
            p_3 = __ad::copy(__ad::val(&p));
            let gradient_1 = {
                __ad_try!('__ad_fail, __ad::check_value(__ad::val(& p_3), "p"));
                __ad_try!('__ad_fail, __ad::check_target(& x, "x"));
                let mut i_cur = i_stack.len();
                let mut p_1_cur = p_1_stack.len();
                let mut index_1_cur = index_1_stack.len();
                let mut times_1_cur = times_1_stack.len();
                let mut plus_1_cur = plus_1_stack.len();
                let mut trips_cur_1 = trips_1.len();
                let (
                    mut x_bar,
                    mut p_bar,
                    mut p_1_bar,
                    mut index_1_bar,
                    mut times_1_bar,
                    mut plus_1_bar,
                ) = (
                    __ad::slot(&x),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                    __ad::Slot::new(),
                );
                let mut p_3_bar = __ad::seed(__ad::val(&p_3));
                if __ad::reached(&p_3_bar) {
                    let __ad_g = &p_3_bar;
                    __ad::acc_like(p_bar.at(&p_3), __ad_g);
                }
                {
                    trips_cur_1 -= 1;
                    for _ in 0..trips_1[trips_cur_1] {
                        {
                            let plus_1 = &plus_1_stack[plus_1_cur - 1];
                            if let ::core::option::Option::Some(__ad_g) = p_bar.take() {
                                __ad::acc_owned(plus_1_bar.at(plus_1), __ad_g);
                            }
                        }
                        {
                            let plus_1 = &plus_1_stack[plus_1_cur - 1];
                            let times_1 = &times_1_stack[times_1_cur - 1];
                            if let ::core::option::Option::Some(__ad_g) = plus_1_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::plus_adj0(
                                        times_1_bar.at(times_1),
                                        &__ad_g,
                                        plus_1,
                                        __ad::val(&times_1),
                                        &(0.1f64),
                                    );
                                }
                            }
                        }
                        plus_1_cur -= 1;
                        {
                            let times_1 = &times_1_stack[times_1_cur - 1];
                            let p_1 = &p_1_stack[p_1_cur - 1];
                            let index_1 = &index_1_stack[index_1_cur - 1];
                            if let ::core::option::Option::Some(__ad_g) = times_1_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::times_adj0(
                                        p_1_bar.at(p_1),
                                        &__ad_g,
                                        times_1,
                                        __ad::val(&p_1),
                                        __ad::val(&index_1),
                                    );
                                    __ad::times_adj1(
                                        index_1_bar.at(index_1),
                                        &__ad_g,
                                        times_1,
                                        __ad::val(&p_1),
                                        __ad::val(&index_1),
                                    );
                                }
                            }
                        }
                        times_1_cur -= 1;
                        {
                            let index_1 = &index_1_stack[index_1_cur - 1];
                            let i = ::core::clone::Clone::clone(&i_stack[i_cur - 1]);
                            if let ::core::option::Option::Some(__ad_g) = index_1_bar
                                .take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::index_adj(
                                        &mut x_bar,
                                        &__ad_g,
                                        index_1,
                                        __ad::val(&x),
                                        ::core::clone::Clone::clone(&i),
                                    );
                                }
                            }
                        }
                        index_1_cur -= 1;
                        {
                            let p_1 = &p_1_stack[p_1_cur - 1];
                            if let ::core::option::Option::Some(__ad_g) = p_1_bar.take()
                            {
                                if __ad::reached(&__ad_g) {
                                    __ad::acc_like(p_bar.at(p_1), &__ad_g);
                                }
                            }
                        }
                        p_1_cur -= 1;
                        i_cur -= 1;
                    }
                }
                p_bar.take();
                __ad::finish(&x, x_bar, false)
            };
            tuple_1 = (
                ::core::clone::Clone::clone(&copy_1),
                ::core::clone::Clone::clone(&gradient_1),
            );
            let __ad_value = ::core::clone::Clone::clone(&tuple_1);
            let (x_bar0, p_2_bar0, copy_1_bar0, gradient_1_bar0, tuple_1_bar0) = (
                __ad::slot(&x),
                __ad::slot(&p_2),
                __ad::slot(&copy_1),
                __ad::slot(&gradient_1),
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
                    let mut i_cur = i_stack.len();
                    let mut p_1_cur = p_1_stack.len();
                    let mut index_1_cur = index_1_stack.len();
                    let mut times_1_cur = times_1_stack.len();
                    let mut plus_1_cur = plus_1_stack.len();
                    let mut trips_cur_1 = trips_1.len();
                    let (
                        mut x_bar,
                        mut p_bar,
                        mut p_1_bar,
                        mut index_1_bar,
                        mut times_1_bar,
                        mut plus_1_bar,
                        mut p_2_bar,
                        mut copy_1_bar,
                        mut gradient_1_bar,
                        mut tuple_1_bar,
                    ) = (
                        __ad::Grad::copy(&x_bar0),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Slot::new(),
                        __ad::Grad::copy(&p_2_bar0),
                        __ad::Grad::copy(&copy_1_bar0),
                        __ad::Grad::copy(&gradient_1_bar0),
                        __ad::Grad::copy(&tuple_1_bar0),
                    );
                    __ad::acc(&mut tuple_1_bar, __ad_g);
                    if __ad::reached(&tuple_1_bar) {
                        let __ad_g = &tuple_1_bar;
                        __ad::acc(&mut copy_1_bar, &(__ad_g).0);
                        __ad::acc(&mut gradient_1_bar, &(__ad_g).1);
                    }
                    if __ad::reached(&gradient_1_bar) {
                        return ::core::result::Result::Err(
                            __ad::through_gradient(
                                "the gradient `gradient_1` this function returns",
                            ),
                        );
                    }
                    if __ad::reached(&copy_1_bar) {
                        let __ad_g = &copy_1_bar;
                        __ad::acc_like(&mut p_2_bar, __ad_g);
                    }
                    if __ad::reached(&p_2_bar) {
                        let __ad_g = &p_2_bar;
                        __ad::acc_like(p_bar.at(&p_2), __ad_g);
                    }
                    {
                        trips_cur_1 -= 1;
                        for _ in 0..trips_1[trips_cur_1] {
                            {
                                let plus_1 = &plus_1_stack[plus_1_cur - 1];
                                if let ::core::option::Option::Some(__ad_g) = p_bar.take() {
                                    __ad::acc_owned(plus_1_bar.at(plus_1), __ad_g);
                                }
                            }
                            {
                                let plus_1 = &plus_1_stack[plus_1_cur - 1];
                                let times_1 = &times_1_stack[times_1_cur - 1];
                                if let ::core::option::Option::Some(__ad_g) = plus_1_bar
                                    .take()
                                {
                                    if __ad::reached(&__ad_g) {
                                        __ad::plus_adj0(
                                            times_1_bar.at(times_1),
                                            &__ad_g,
                                            plus_1,
                                            __ad::val(&times_1),
                                            &(0.1f64),
                                        );
                                    }
                                }
                            }
                            plus_1_cur -= 1;
                            {
                                let times_1 = &times_1_stack[times_1_cur - 1];
                                let p_1 = &p_1_stack[p_1_cur - 1];
                                let index_1 = &index_1_stack[index_1_cur - 1];
                                if let ::core::option::Option::Some(__ad_g) = times_1_bar
                                    .take()
                                {
                                    if __ad::reached(&__ad_g) {
                                        __ad::times_adj0(
                                            p_1_bar.at(p_1),
                                            &__ad_g,
                                            times_1,
                                            __ad::val(&p_1),
                                            __ad::val(&index_1),
                                        );
                                        __ad::times_adj1(
                                            index_1_bar.at(index_1),
                                            &__ad_g,
                                            times_1,
                                            __ad::val(&p_1),
                                            __ad::val(&index_1),
                                        );
                                    }
                                }
                            }
                            times_1_cur -= 1;
                            {
                                let index_1 = &index_1_stack[index_1_cur - 1];
                                let i = ::core::clone::Clone::clone(&i_stack[i_cur - 1]);
                                if let ::core::option::Option::Some(__ad_g) = index_1_bar
                                    .take()
                                {
                                    if __ad::reached(&__ad_g) {
                                        __ad::index_adj(
                                            &mut x_bar,
                                            &__ad_g,
                                            index_1,
                                            __ad::val(&x),
                                            ::core::clone::Clone::clone(&i),
                                        );
                                    }
                                }
                            }
                            index_1_cur -= 1;
                            {
                                let p_1 = &p_1_stack[p_1_cur - 1];
                                if let ::core::option::Option::Some(__ad_g) = p_1_bar.take()
                                {
                                    if __ad::reached(&__ad_g) {
                                        __ad::acc_like(p_bar.at(p_1), &__ad_g);
                                    }
                                }
                            }
                            p_1_cur -= 1;
                            i_cur -= 1;
                        }
                    }
                    p_bar.take();
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
    fn __ad_vjp<__AdM: ::autodiff::__private::v2::Mode, __AdH: __AdNoVjp_product_loop>(
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
                    "`EnableHigherDerivatives(true)` cannot go through `product_loop`: it calls `dlgradient`",
                ),
            ),
        )
    }
}

fn product_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let trace = ::autodiff::__private::enter();
    let x_traced;
    let x = match trace {
        ::core::option::Option::Some(id) => {
            x_traced = ::autodiff::__private::trace(x, id);
            &x_traced
        }
        ::core::option::Option::None => x,
    };
    let mut p_stack = ::std::vec::Vec::new();
    let mut i_stack = ::std::vec::Vec::new();
    let mut index_stack = ::std::vec::Vec::new();
    let mut times_stack = ::std::vec::Vec::new();
    let mut plus_stack = ::std::vec::Vec::new();
    let mut count1_stack = ::std::vec::Vec::new();
    let mut p = dlarray(1.0);
    p_stack.push(::autodiff::__private::again(&p));
    let mut count_1 = 0usize;
    let iter_1 = ::core::iter::IntoIterator::into_iter(0..x.numel());
    let trip_1 = ::core::iter::Iterator::size_hint(&iter_1).0;
    index_stack.reserve(trip_1);
    times_stack.reserve(trip_1);
    plus_stack.reserve(trip_1);
    i_stack.reserve(trip_1);
    p_stack.reserve(trip_1);
    for i in iter_1 {
        count_1 += 1;
        i_stack.push(::autodiff::__private::again(&i));
        let index = ::autodiff::__private::ops::try_index(
            x,
            ::autodiff::__private::again(&i),
        )?;
        index_stack.push(::core::clone::Clone::clone(&index));
        let times = ::autodiff::__private::ops::try_times(&p, &index)?;
        times_stack.push(::core::clone::Clone::clone(&times));
        let plus = ::autodiff::__private::ops::try_plus(&times, &0.1)?;
        plus_stack.push(::core::clone::Clone::clone(&plus));
        p = ::core::clone::Clone::clone(&plus);
        p_stack.push(::core::clone::Clone::clone(&p));
    }
    count1_stack.push(count_1);
    #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
    let gradient = match ::autodiff::__private::check_value(&p, "p")
        .and_then(|()| ::autodiff::__private::check_target(x, "x"))
    {
        ::core::result::Result::Ok(()) => {
            let mut p_cursor = p_stack.len();
            let mut i_cursor = i_stack.len();
            let mut index_cursor = index_stack.len();
            let mut times_cursor = times_stack.len();
            let mut plus_cursor = plus_stack.len();
            let mut count1_cursor = count1_stack.len();
            let mut p_rev = ::core::clone::Clone::clone(&p_stack[p_cursor - 1]);
            let mut x_bar = ::autodiff::__private::slot(x);
            let mut p_bar = ::autodiff::__private::seed(&p_rev);
            count1_cursor -= 1;
            for _ in 0..count1_stack[count1_cursor] {
                {
                    i_cursor -= 1;
                    let i = ::core::clone::Clone::clone(&i_stack[i_cursor]);
                    index_cursor -= 1;
                    let index = &index_stack[index_cursor];
                    times_cursor -= 1;
                    let times = &times_stack[times_cursor];
                    plus_cursor -= 1;
                    let plus = &plus_stack[plus_cursor];
                    let mut index_bar = ::autodiff::__private::slot(index);
                    let mut times_bar = ::autodiff::__private::slot(times);
                    let mut plus_bar = ::autodiff::__private::slot(plus);
                    ::autodiff::__private::acc_all(&mut plus_bar, &p_bar);
                    p_bar = ::autodiff::__private::slot(&p_rev);
                    p_cursor -= 1;
                    if p_cursor > 0 {
                        p_rev = ::core::clone::Clone::clone(&p_stack[p_cursor - 1]);
                    }
                    if ::autodiff::__private::reached(&plus_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut times_bar,
                            &plus_bar,
                            plus,
                            times,
                            &0.1,
                        );
                    }
                    if ::autodiff::__private::reached(&times_bar) {
                        ::autodiff::__private::ops::times_adj0(
                            &mut p_bar,
                            &times_bar,
                            times,
                            &p_rev,
                            index,
                        );
                        ::autodiff::__private::ops::times_adj1(
                            &mut index_bar,
                            &times_bar,
                            times,
                            &p_rev,
                            index,
                        );
                    }
                    if ::autodiff::__private::reached(&index_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_bar,
                            index,
                            x,
                            ::autodiff::__private::again(&i),
                        );
                    }
                }
            }
            ::core::result::Result::Ok(::autodiff::__private::finish(x_bar, x))
        }
        ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
    };
    Ok((p, gradient?))
}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
struct product_loop {}
impl product_loop {
    #[doc(hidden)]
    #[allow(unused, clippy::all)]
    fn __forward(
        x_owned: DlArray,
    ) -> Result<
        ((DlArray, DlArray), impl ::core::ops::Fn(&(DlArray, DlArray)) -> (DlArray,)),
    > {
        let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
        let mut p_stack = ::std::vec::Vec::new();
        let mut i_stack = ::std::vec::Vec::new();
        let mut index_stack = ::std::vec::Vec::new();
        let mut times_stack = ::std::vec::Vec::new();
        let mut plus_stack = ::std::vec::Vec::new();
        let mut count1_stack = ::std::vec::Vec::new();
        let mut p = dlarray(1.0);
        p_stack.push(::autodiff::__private::again(&p));
        let mut count_1 = 0usize;
        let iter_1 = ::core::iter::IntoIterator::into_iter(0..x.numel());
        let trip_1 = ::core::iter::Iterator::size_hint(&iter_1).0;
        index_stack.reserve(trip_1);
        times_stack.reserve(trip_1);
        plus_stack.reserve(trip_1);
        i_stack.reserve(trip_1);
        p_stack.reserve(trip_1);
        for i in iter_1 {
            count_1 += 1;
            i_stack.push(::autodiff::__private::again(&i));
            let index = ::autodiff::__private::ops::try_index(
                x,
                ::autodiff::__private::again(&i),
            )?;
            index_stack.push(::core::clone::Clone::clone(&index));
            let times = ::autodiff::__private::ops::try_times(&p, &index)?;
            times_stack.push(::core::clone::Clone::clone(&times));
            let plus = ::autodiff::__private::ops::try_plus(&times, &0.1)?;
            plus_stack.push(::core::clone::Clone::clone(&plus));
            p = ::core::clone::Clone::clone(&plus);
            p_stack.push(::core::clone::Clone::clone(&p));
        }
        count1_stack.push(count_1);
        #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
        let gradient = match ::autodiff::__private::check_value(&p, "p")
            .and_then(|()| ::autodiff::__private::check_target(x, "x"))
        {
            ::core::result::Result::Ok(()) => {
                let mut p_cursor = p_stack.len();
                let mut i_cursor = i_stack.len();
                let mut index_cursor = index_stack.len();
                let mut times_cursor = times_stack.len();
                let mut plus_cursor = plus_stack.len();
                let mut count1_cursor = count1_stack.len();
                let mut p_rev = ::core::clone::Clone::clone(&p_stack[p_cursor - 1]);
                let mut x_bar = ::autodiff::__private::slot(x);
                let mut p_bar = ::autodiff::__private::seed(&p_rev);
                count1_cursor -= 1;
                for _ in 0..count1_stack[count1_cursor] {
                    {
                        i_cursor -= 1;
                        let i = ::core::clone::Clone::clone(&i_stack[i_cursor]);
                        index_cursor -= 1;
                        let index = &index_stack[index_cursor];
                        times_cursor -= 1;
                        let times = &times_stack[times_cursor];
                        plus_cursor -= 1;
                        let plus = &plus_stack[plus_cursor];
                        let mut index_bar = ::autodiff::__private::slot(index);
                        let mut times_bar = ::autodiff::__private::slot(times);
                        let mut plus_bar = ::autodiff::__private::slot(plus);
                        ::autodiff::__private::acc_all(&mut plus_bar, &p_bar);
                        p_bar = ::autodiff::__private::slot(&p_rev);
                        p_cursor -= 1;
                        if p_cursor > 0 {
                            p_rev = ::core::clone::Clone::clone(&p_stack[p_cursor - 1]);
                        }
                        if ::autodiff::__private::reached(&plus_bar) {
                            ::autodiff::__private::ops::plus_adj0(
                                &mut times_bar,
                                &plus_bar,
                                plus,
                                times,
                                &0.1,
                            );
                        }
                        if ::autodiff::__private::reached(&times_bar) {
                            ::autodiff::__private::ops::times_adj0(
                                &mut p_bar,
                                &times_bar,
                                times,
                                &p_rev,
                                index,
                            );
                            ::autodiff::__private::ops::times_adj1(
                                &mut index_bar,
                                &times_bar,
                                times,
                                &p_rev,
                                index,
                            );
                        }
                        if ::autodiff::__private::reached(&index_bar) {
                            ::autodiff::__private::ops::index_adj(
                                &mut x_bar,
                                &index_bar,
                                index,
                                x,
                                ::autodiff::__private::again(&i),
                            );
                        }
                    }
                }
                ::core::result::Result::Ok(::autodiff::__private::finish(x_bar, x))
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        };
        let value = (p.clone(), gradient?);
        let pullback = move |out_bar: &(DlArray, DlArray)| -> (DlArray,) {
            let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
            let mut p_cursor = p_stack.len();
            let mut i_cursor = i_stack.len();
            let mut index_cursor = index_stack.len();
            let mut times_cursor = times_stack.len();
            let mut plus_cursor = plus_stack.len();
            let mut count1_cursor = count1_stack.len();
            let mut p_rev = ::core::clone::Clone::clone(&p_stack[p_cursor - 1]);
            let mut x_bar = ::autodiff::__private::slot(x);
            let mut p_bar = ::autodiff::__private::slot(&p_rev);
            ::autodiff::__private::acc_all(&mut p_bar, &out_bar.0);
            count1_cursor -= 1;
            for _ in 0..count1_stack[count1_cursor] {
                {
                    i_cursor -= 1;
                    let i = ::core::clone::Clone::clone(&i_stack[i_cursor]);
                    index_cursor -= 1;
                    let index = &index_stack[index_cursor];
                    times_cursor -= 1;
                    let times = &times_stack[times_cursor];
                    plus_cursor -= 1;
                    let plus = &plus_stack[plus_cursor];
                    let mut index_bar = ::autodiff::__private::slot(index);
                    let mut times_bar = ::autodiff::__private::slot(times);
                    let mut plus_bar = ::autodiff::__private::slot(plus);
                    ::autodiff::__private::acc_all(&mut plus_bar, &p_bar);
                    p_bar = ::autodiff::__private::slot(&p_rev);
                    p_cursor -= 1;
                    if p_cursor > 0 {
                        p_rev = ::core::clone::Clone::clone(&p_stack[p_cursor - 1]);
                    }
                    if ::autodiff::__private::reached(&plus_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut times_bar,
                            &plus_bar,
                            plus,
                            times,
                            &0.1,
                        );
                    }
                    if ::autodiff::__private::reached(&times_bar) {
                        ::autodiff::__private::ops::times_adj0(
                            &mut p_bar,
                            &times_bar,
                            times,
                            &p_rev,
                            index,
                        );
                        ::autodiff::__private::ops::times_adj1(
                            &mut index_bar,
                            &times_bar,
                            times,
                            &p_rev,
                            index,
                        );
                    }
                    if ::autodiff::__private::reached(&index_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_bar,
                            index,
                            x,
                            ::autodiff::__private::again(&i),
                        );
                    }
                }
            }
            (x_bar,)
        };
        ::core::result::Result::Ok((value, pullback))
    }
}

"""Consortium sourcing: splits cover the quantity, capacity is shared across demands, nothing invented."""

from __future__ import annotations

from collections import defaultdict

from matchmaking.demands.sourcing import NeedIn, OptionIn, SourcingPlan, SupplyIn, components, plan_sourcing


def promised(plan: SourcingPlan) -> dict[int, int]:
    total: dict[int, int] = defaultdict(int)
    for shares in plan.shares.values():
        for share in shares:
            total[share.product_id] += share.quantity
    return dict(total)


def test_split_covers_the_quantity_within_each_capacity() -> None:
    needs = [NeedIn(1, 2, "tấn")]
    supplies = [SupplyIn(10, "kg", 800, 50), SupplyIn(11, "kg", 700, 50), SupplyIn(12, "kg", 600, 100)]
    options = [OptionIn(1, 10, 0.9), OptionIn(1, 11, 0.8), OptionIn(1, 12, 0.7)]

    plan = plan_sourcing(needs, supplies, options)

    assert promised(plan) == {10: 800, 11: 700, 12: 500}
    assert plan.shortfall == {1: 0.0}
    assert plan.optimal


def test_higher_scores_get_the_larger_shares() -> None:
    needs = [NeedIn(1, 1_000, "kg")]
    supplies = [SupplyIn(10, "kg", 800), SupplyIn(11, "kg", 800)]
    plan = plan_sourcing(needs, supplies, [OptionIn(1, 10, 0.5), OptionIn(1, 11, 0.9)])
    assert promised(plan) == {11: 800, 10: 200}


def test_capacity_is_shared_across_demands() -> None:
    needs = [NeedIn(1, 1_000, "kg"), NeedIn(2, 1_000, "kg")]
    supplies = [SupplyIn(10, "kg", 600), SupplyIn(11, "kg", 600)]
    options = [OptionIn(d, p, 0.8) for d in (1, 2) for p in (10, 11)]

    plan = plan_sourcing(needs, supplies, options)

    assert all(promised(plan)[p] <= 600 for p in (10, 11))
    assert sum(promised(plan).values()) == 1_200
    assert sum(plan.shortfall.values()) == 800


def test_more_than_all_capacity_reports_the_shortfall_and_invents_nothing() -> None:
    needs = [NeedIn(1, 5, "tấn")]
    supplies = [SupplyIn(10, "kg", 800), SupplyIn(11, "kg", 700)]
    plan = plan_sourcing(needs, supplies, [OptionIn(1, 10, 0.9), OptionIn(1, 11, 0.8)])
    assert promised(plan) == {10: 800, 11: 700}
    assert plan.shortfall == {1: 3.5}


def test_minimum_order_is_respected_or_the_product_left_out() -> None:
    needs = [NeedIn(1, 1_050, "kg")]
    supplies = [SupplyIn(10, "kg", 1_000, 100), SupplyIn(11, "kg", 1_000, 200)]
    plan = plan_sourcing(needs, supplies, [OptionIn(1, 10, 0.9), OptionIn(1, 11, 0.5)])
    shares = promised(plan)
    assert all(q >= {10: 100, 11: 200}[p] for p, q in shares.items())
    assert sum(shares.values()) <= 1_050
    assert shares == {10: 850, 11: 200}


def test_units_that_do_not_convert_are_no_option() -> None:
    plan = plan_sourcing([NeedIn(1, 100, "kg")], [SupplyIn(10, "chai", 1_000)], [OptionIn(1, 10, 0.9)])
    assert plan.shares == {1: []} and plan.shortfall == {1: 100.0}


def test_demand_without_options_is_all_shortfall() -> None:
    plan = plan_sourcing([NeedIn(1, 100, "kg")], [], [])
    assert plan.shares == {1: []} and plan.shortfall == {1: 100.0}


def test_components_split_demands_that_share_no_product() -> None:
    options = [OptionIn(1, 10, 1), OptionIn(2, 10, 1), OptionIn(2, 11, 1), OptionIn(3, 12, 1)]
    groups = components(options)
    assert [[(o.demand_id, o.product_id) for o in g] for g in groups] == [
        [(1, 10), (2, 10), (2, 11)], [(3, 12)],
    ]


def test_joint_plan_equals_plans_of_the_components() -> None:
    needs = [NeedIn(1, 900, "kg"), NeedIn(2, 900, "kg"), NeedIn(3, 500, "kg")]
    supplies = [SupplyIn(10, "kg", 700), SupplyIn(11, "kg", 500), SupplyIn(12, "kg", 300)]
    options = [OptionIn(1, 10, 0.9), OptionIn(2, 10, 0.6), OptionIn(2, 11, 0.7), OptionIn(3, 12, 0.8)]
    joint = plan_sourcing(needs, supplies, options)
    alone = plan_sourcing(needs[2:], supplies, options[3:])
    assert joint.shares[3] == alone.shares[3] and joint.shortfall[3] == alone.shortfall[3]


def test_a_product_that_covers_alone_is_the_one_share() -> None:
    needs = [NeedIn(1, 2, "tấn")]
    supplies = [SupplyIn(10, "kg", 5_000, 50), SupplyIn(11, "kg", 5_000, 50)]
    plan = plan_sourcing(needs, supplies, [OptionIn(1, 10, 0.7), OptionIn(1, 11, 0.9)])
    assert promised(plan) == {11: 2_000} and plan.shortfall == {1: 0.0}


def test_older_demands_keep_their_capacity_and_later_ones_get_what_is_left() -> None:
    needs = [NeedIn(2, 2, "tấn"), NeedIn(1, 2, "tấn")]  # demand 1 was posted first
    supplies = [SupplyIn(10, "kg", 3_000, 50)]
    plan = plan_sourcing(needs, supplies, [OptionIn(1, 10, 0.5), OptionIn(2, 10, 0.9)])
    assert [(s.product_id, s.quantity) for s in plan.shares[1]] == [(10, 2_000)]
    assert [(s.product_id, s.quantity) for s in plan.shares[2]] == [(10, 1_000)]
    assert plan.shortfall == {1: 0.0, 2: 1.0}


def test_decimal_quantities_are_covered_to_the_thousandth() -> None:
    plan = plan_sourcing([NeedIn(1, 1.5, "tấn")], [SupplyIn(10, "kg", 800, 0.5),
                                                    SupplyIn(11, "kg", 900, 0.5)],
                         [OptionIn(1, 10, 0.9), OptionIn(1, 11, 0.8)])
    assert promised(plan) == {10: 800, 11: 700} and plan.shortfall == {1: 0.0}


def test_a_one_off_demand_draws_on_one_month_of_output_like_a_monthly_one() -> None:
    # 3 tấn once, from a producer of 2 tấn a month: one lot, one month's output, whatever the date.
    plan = plan_sourcing([NeedIn(1, 3, "tấn")], [SupplyIn(10, "tấn", 2)], [OptionIn(1, 10, 0.9)])
    assert promised(plan) == {10: 2} and plan.shortfall == {1: 1.0}
    # A monthly demand and a later one-off share that same month.
    plan = plan_sourcing([NeedIn(1, 1.5, "tấn"), NeedIn(2, 1, "tấn")], [SupplyIn(10, "tấn", 2, 0.1)],
                         [OptionIn(1, 10, 0.9), OptionIn(2, 10, 0.9)])
    assert plan.shortfall == {1: 0.0, 2: 0.5}

"""The pay-transparency rules against figures computed by hand.

The population below is small enough to check every indicator with a pencil: the
comments show the arithmetic, on full-time-equivalent (FTE) pay = annual pay ÷ share of
full time. Gap = (men − women) ÷ men × 100, one decimal, half up.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repertoire.core.pay import (
    FLAG_THRESHOLD_PCT,
    MIN_GROUP,
    PayRecord,
    pay_gap_report,
    pay_ranges,
    percent,
    quartile_bands,
    worker_information,
)

EMPLOYEE, TECHNICIAN, MANAGER = "Employé", "Technicien", "Cadre"
# The caller's order of categories (levels), not the alphabet's.
LEVEL = {EMPLOYEE: 1, TECHNICIAN: 2, MANAGER: 3}.__getitem__


def person(sex, base, variable, working_time, category, job=None):
    return PayRecord(sex, Decimal(base), Decimal(variable), Decimal(working_time), category, job)


#                                         annual pay            FTE pay
#                       sex  base     var   time         base   var   total
F1 = person("F", 24000, 0, "1", EMPLOYEE)  #       24000     0   24000
F2 = person("F", 12000, 500, "0.5", EMPLOYEE)  #   24000  1000   25000
F3 = person("F", 20000, 0, "0.8", EMPLOYEE)  #     25000     0   25000
M1 = person("M", 25000, 1000, "1", EMPLOYEE)  #    25000  1000   26000
M2 = person("M", 26000, 0, "1", EMPLOYEE)  #       26000     0   26000
M3 = person("M", 20000, 800, "0.8", EMPLOYEE)  #   25000  1000   26000
F4 = person("F", 30000, 3000, "1", TECHNICIAN)  #  30000  3000   33000
F5 = person("F", 28800, 0, "0.8", TECHNICIAN)  #   36000     0   36000
F6 = person("F", 34000, 2000, "1", TECHNICIAN)  #  34000  2000   36000
F7 = person("F", 16000, 1000, "0.5", TECHNICIAN)  # 32000  2000   34000
M4 = person("M", 33000, 2000, "1", TECHNICIAN)  #  33000  2000   35000
M5 = person("M", 17000, 0, "0.5", TECHNICIAN)  #   34000     0   34000
M6 = person("M", 35000, 0, "1", TECHNICIAN)  #     35000     0   35000
F8 = person("F", 45000, 5000, "1", MANAGER)  #     45000  5000   50000
M7 = person("M", 50000, 6000, "1", MANAGER)  #     50000  6000   56000
M8 = person("M", 36000, 0, "0.8", MANAGER)  #      45000     0   45000
POPULATION = [F1, F2, F3, M1, M2, M3, F4, F5, F6, F7, M4, M5, M6, F8, M7, M8]


@pytest.fixture
def report():
    return pay_gap_report(POPULATION, scope="CCI Test", year=2026, category_key=LEVEL)


def test_the_report_has_the_documented_shape(report):
    assert list(report) == [
        "scope",
        "year",
        "population",
        "mean_gap_pct",
        "median_gap_pct",
        "variable_mean_gap_pct",
        "variable_median_gap_pct",
        "variable_share",
        "quartiles",
        "categories",
    ]
    assert report["scope"] == "CCI Test"
    assert report["year"] == 2026
    assert report["population"] == {"women": 8, "men": 8}
    # JSON-ready: plain numbers, strings, None, lists and dicts.
    assert json.loads(json.dumps(report)) == report


def test_a_mean_gap_on_total_fte_pay(report):
    # Women: 24000+25000+25000+33000+36000+36000+34000+50000 = 263000 / 8 = 32875
    # Men:   26000+26000+26000+35000+34000+35000+56000+45000 = 283000 / 8 = 35375
    # (35375 − 32875) / 35375 × 100 = 7.067… → 7.1
    assert report["mean_gap_pct"] == 7.1


def test_c_median_gap_on_total_fte_pay(report):
    # Women sorted: 24000 25000 25000 33000 | 34000 36000 36000 50000 → (33000+34000)/2 = 33500
    # Men sorted:   26000 26000 26000 34000 | 35000 35000 45000 56000 → (34000+35000)/2 = 34500
    # (34500 − 33500) / 34500 × 100 = 2.898… → 2.9
    assert report["median_gap_pct"] == 2.9


def test_b_mean_gap_in_variable_pay_among_those_who_receive_any(report):
    # Women receiving (FTE): F2 1000, F4 3000, F6 2000, F7 2000, F8 5000 → 13000 / 5 = 2600
    # Men receiving (FTE):   M1 1000, M3 1000, M4 2000, M7 6000 → 10000 / 4 = 2500
    # (2500 − 2600) / 2500 × 100 = −4.0
    assert report["variable_mean_gap_pct"] == -4.0


def test_d_median_gap_in_variable_pay_among_those_who_receive_any(report):
    # Women: 1000 2000 [2000] 3000 5000 → 2000; men: 1000 1000 | 2000 6000 → 1500
    # (1500 − 2000) / 1500 × 100 = −33.33… → −33.3
    assert report["variable_median_gap_pct"] == -33.3


def test_e_share_of_each_sex_receiving_variable_pay(report):
    # Women: 5 of 8 = 62.5 %; men: 4 of 8 = 50 %
    assert report["variable_share"] == {"women": 62.5, "men": 50.0}


def test_f_quartile_pay_bands(report):
    # 16 people, 4 per band, by FTE total; ties alternate a woman first:
    # Q1: F1 24000, F2 25000, F3 25000, M1 26000       → 3 W, 1 M
    # Q2: M2 26000, M3 26000, F4 33000, F7 34000       → 2 W, 2 M
    # Q3: M5 34000 (tie with F7), M4 35000, M6 35000, F5 36000 → 1 W, 3 M
    # Q4: F6 36000, M8 45000, F8 50000, M7 56000       → 2 W, 2 M
    assert report["quartiles"] == [
        {"quartile": 1, "women_pct": 75.0, "men_pct": 25.0},
        {"quartile": 2, "women_pct": 50.0, "men_pct": 50.0},
        {"quartile": 3, "women_pct": 25.0, "men_pct": 75.0},
        {"quartile": 4, "women_pct": 50.0, "men_pct": 50.0},
    ]
    assert [len(band) for band in quartile_bands(POPULATION)] == [4, 4, 4, 4]
    assert quartile_bands(POPULATION)[1][-1] is F7
    assert quartile_bands(POPULATION)[2][0] is M5


def test_g_gaps_by_category_with_base_and_variable(report):
    employees, technicians, managers = report["categories"]
    # Employé — total: women (24000+25000+25000)/3 = 74000/3, men 78000/3 = 26000
    #   mean: (78000 − 74000) / 78000 × 100 = 5.128… → 5.1, flagged (≥ 5)
    #   median: women 25000, men 26000 → 1000/26000 = 3.846… → 3.8
    #   base: women (24000+24000+25000)/3 = 73000/3, men (25000+26000+25000)/3 = 76000/3
    #         → 3000/76000 = 3.947… → 3.9
    #   variable (everyone): women (0+1000+0)/3, men (1000+0+1000)/3 → 1000/2000 = 50.0
    assert employees == {
        "category": EMPLOYEE,
        "women": 3,
        "men": 3,
        "insufficient": False,
        "mean_gap_pct": 5.1,
        "median_gap_pct": 3.8,
        "base_mean_gap_pct": 3.9,
        "variable_mean_gap_pct": 50.0,
        "flag": True,
    }
    # Technicien — total: women (33000+36000+36000+34000)/4 = 34750, men 104000/3
    #   mean: (104000/3 − 34750) / (104000/3) = (104000 − 104250)/104000 = −0.240… → −0.2
    #   median: women (34000+36000)/2 = 35000, men 35000 → 0.0
    #   base: women (30000+36000+34000+32000)/4 = 33000, men 102000/3 = 34000
    #         → 1000/34000 = 2.941… → 2.9
    #   variable: women 7000/4 = 1750, men 2000/3 → (2000 − 5250)/2000 = −162.5
    assert technicians == {
        "category": TECHNICIAN,
        "women": 4,
        "men": 3,
        "insufficient": False,
        "mean_gap_pct": -0.2,
        "median_gap_pct": 0.0,
        "base_mean_gap_pct": 2.9,
        "variable_mean_gap_pct": -162.5,
        "flag": False,
    }
    # Cadre — 1 woman, 2 men: headcounts only.
    assert managers == {
        "category": MANAGER,
        "women": 1,
        "men": 2,
        "insufficient": True,
        "mean_gap_pct": None,
        "median_gap_pct": None,
        "base_mean_gap_pct": None,
        "variable_mean_gap_pct": None,
        "flag": False,
    }


def test_categories_default_to_the_order_of_their_labels():
    report = pay_gap_report(POPULATION, scope="x", year=2026)
    assert [c["category"] for c in report["categories"]] == [MANAGER, EMPLOYEE, TECHNICIAN]


def test_records_may_come_in_any_order(report):
    shuffled = POPULATION[:]
    random.Random(4).shuffle(shuffled)
    assert pay_gap_report(shuffled, scope="CCI Test", year=2026, category_key=LEVEL) == report


# --- the small-group rule and the flag -------------------------------------------------


def test_a_scope_under_the_small_group_rule_shows_headcounts_only():
    # The managers alone: 1 woman, 2 men.
    report = pay_gap_report([F8, M7, M8], scope="x", year=2026)
    assert report["population"] == {"women": 1, "men": 2}
    for name in ("mean_gap_pct", "median_gap_pct", "variable_mean_gap_pct"):
        assert report[name] is None
    assert report["variable_median_gap_pct"] is None
    assert report["variable_share"] == {"women": None, "men": None}
    assert all(q["women_pct"] is None and q["men_pct"] is None for q in report["quartiles"])
    assert report["categories"][0]["insufficient"] is True


def test_variable_gaps_need_three_women_and_three_men_receiving_variable_pay():
    # Employés: only F2 among the women has variable pay.
    report = pay_gap_report([F1, F2, F3, M1, M2, M3], scope="x", year=2026)
    assert report["mean_gap_pct"] == 5.1
    assert report["variable_mean_gap_pct"] is None
    assert report["variable_median_gap_pct"] is None
    # Shares are of everyone, so they show: 1 of 3 women, 2 of 3 men.
    assert report["variable_share"] == {"women": 33.3, "men": 66.7}


def test_the_minimum_group_is_three():
    assert MIN_GROUP == 3
    three_and_three = [person(s, 20000, 0, 1, "C") for s in "FFFMMM"]
    assert (
        pay_gap_report(three_and_three, scope="x", year=1)["categories"][0]["insufficient"] is False
    )
    two_women = three_and_three[1:]
    assert pay_gap_report(two_women, scope="x", year=1)["categories"][0]["insufficient"] is True


def category_with(women_pay):
    """Three men at 20000 and three women at ``women_pay``, one category."""
    women = [person("F", women_pay, 0, 1, "C") for _ in range(3)]
    men = [person("M", 20000, 0, 1, "C") for _ in range(3)]
    return pay_gap_report(women + men, scope="x", year=1)["categories"][0]


@pytest.mark.parametrize(
    ("women_pay", "shown", "flag"),
    [
        (19000, 5.0, True),  # 1000 / 20000 = 5.0 % exactly
        (19020, 4.9, False),  # 980 / 20000 = 4.9 %
        (21000, -5.0, True),  # −1000 / 20000: women paid 5 % more is flagged too
        (20980, -4.9, False),
        (19008, 5.0, True),  # 992 / 20000 = 4.96 %: shown 5.0, flagged as shown
        (19010, 5.0, True),  # 990 / 20000 = 4.95 %: rounded half up to 5.0
        (19012, 4.9, False),  # 988 / 20000 = 4.94 %
        (20000, 0.0, False),
    ],
)
def test_the_flag_threshold(women_pay, shown, flag):
    assert FLAG_THRESHOLD_PCT == 5
    category = category_with(women_pay)
    assert category["mean_gap_pct"] == shown
    assert category["flag"] is flag


def test_percentages_round_half_away_from_zero_and_never_show_minus_zero():
    assert percent(Decimal("4.95")) == 5.0
    assert percent(Decimal("-4.95")) == -5.0
    assert percent(Decimal("4.94999")) == 4.9
    assert json.dumps(percent(Decimal("-0.04"))) == "0.0"
    assert percent(None) is None
    # A gap of −0.04 %: women paid 8 € more than men at 20000.
    assert json.dumps(category_with(20008)["mean_gap_pct"]) == "0.0"


# --- quartile cutting ------------------------------------------------------------------


def ranked(sexes):
    """People paid 20000, 21000, … in the order of ``sexes``."""
    return [person(sex, 20000 + 1000 * rank, 0, 1, "C") for rank, sex in enumerate(sexes)]


def test_seven_people_are_cut_two_two_two_one():
    people = ranked("FMFFMMF")
    assert [len(band) for band in quartile_bands(people)] == [2, 2, 2, 1]
    # Q1 F M, Q2 F F, Q3 M M, Q4 F
    assert pay_gap_report(people, scope="x", year=1)["quartiles"] == [
        {"quartile": 1, "women_pct": 50.0, "men_pct": 50.0},
        {"quartile": 2, "women_pct": 100.0, "men_pct": 0.0},
        {"quartile": 3, "women_pct": 0.0, "men_pct": 100.0},
        {"quartile": 4, "women_pct": 100.0, "men_pct": 0.0},
    ]


def test_eight_people_are_cut_two_by_two():
    people = ranked("FMFFMMFM")
    assert [len(band) for band in quartile_bands(people)] == [2, 2, 2, 2]
    # Q1 F M, Q2 F F, Q3 M M, Q4 F M
    assert [q["women_pct"] for q in pay_gap_report(people, scope="x", year=1)["quartiles"]] == [
        50.0,
        100.0,
        0.0,
        50.0,
    ]


@pytest.mark.parametrize(
    ("count", "sizes"), [(9, [3, 2, 2, 2]), (10, [3, 3, 2, 2]), (3, [1, 1, 1, 0])]
)
def test_extra_people_go_to_the_lowest_bands(count, sizes):
    assert [len(band) for band in quartile_bands(ranked("FM" * count)[:count])] == sizes


def test_a_tie_across_a_boundary_is_shared_between_the_sexes():
    # Eight people on the same pay, 4 women and 4 men, listed men first:
    # alternated F M F M | …, each band of two holds a woman and a man.
    people = [person(s, 30000, 0, 1, "C") for s in "MMMMFFFF"]
    bands = quartile_bands(people)
    assert [sorted(r.sex for r in band) for band in bands] == [["F", "M"]] * 4


# --- pay ranges (articles 5–6) ---------------------------------------------------------


def test_pay_ranges_of_fte_base_pay_by_category():
    assert pay_ranges(POPULATION, category_key=LEVEL) == [
        # Employé FTE base: 24000 24000 25000 | 25000 25000 26000 → median 25000
        {
            "category": EMPLOYEE,
            "headcount": 6,
            "minimum": Decimal("24000.00"),
            "median": Decimal("25000.00"),
            "maximum": Decimal("26000.00"),
        },
        # Technicien FTE base: 30000 32000 33000 [34000] 34000 35000 36000
        {
            "category": TECHNICIAN,
            "headcount": 7,
            "minimum": Decimal("30000.00"),
            "median": Decimal("34000.00"),
            "maximum": Decimal("36000.00"),
        },
        # Cadre FTE base: 45000 [45000] 50000 (three people: shown)
        {
            "category": MANAGER,
            "headcount": 3,
            "minimum": Decimal("45000.00"),
            "median": Decimal("45000.00"),
            "maximum": Decimal("50000.00"),
        },
    ]


def test_a_range_of_fewer_than_three_people_shows_its_headcount_only():
    assert pay_ranges([F8, M7]) == [
        {"category": MANAGER, "headcount": 2, "minimum": None, "median": None, "maximum": None}
    ]


# --- a worker's information (article 7) ------------------------------------------------


def test_worker_information_of_a_part_timer():
    employees = [F1, F2, F3, M1, M2, M3]
    assert worker_information(F2, employees) == {
        "category": EMPLOYEE,
        # 12000 / 0.5 = 24000; 500 / 0.5 = 1000
        "own": {
            "working_time": Decimal("0.5"),
            "base": Decimal("24000.00"),
            "variable": Decimal("1000.00"),
            "total": Decimal("25000.00"),
        },
        # women (24000 + 25000 + 25000) / 3 = 24666.666… → 24666.67; men 78000 / 3
        "women": {"headcount": 3, "mean_pay": Decimal("24666.67")},
        "men": {"headcount": 3, "mean_pay": Decimal("26000.00")},
    }


def test_worker_information_hides_the_mean_of_fewer_than_three():
    information = worker_information(M8, [F8, M7, M8])
    assert information["women"] == {"headcount": 1, "mean_pay": None}
    assert information["men"] == {"headcount": 2, "mean_pay": None}
    assert information["own"]["total"] == Decimal("45000.00")  # 36000 / 0.8


def test_worker_information_needs_the_whole_category_with_the_worker():
    with pytest.raises(ValueError, match="own record"):
        worker_information(F1, [F2, F3])
    with pytest.raises(ValueError, match="another category"):
        worker_information(F1, [F1, F4])


# --- records ---------------------------------------------------------------------------


def test_records_take_numbers_and_refuse_what_is_not_pay():
    record = PayRecord("F", 24000, 0.5, "0.8", "C")
    assert (record.base, record.variable, record.working_time) == (
        Decimal(24000),
        Decimal("0.5"),
        Decimal("0.8"),
    )
    assert record.fte_total == Decimal("30000.625")
    for bad in (
        {"sex": "X"},
        {"base": -1},
        {"variable": -1},
        {"working_time": 0},
        {"working_time": "1.2"},
    ):
        values = {"sex": "F", "base": 1, "variable": 0, "working_time": 1, "category": "C"}
        with pytest.raises(ValueError):
            PayRecord(**(values | bad))


# --- properties ------------------------------------------------------------------------

amounts = st.integers(min_value=10_000, max_value=120_000)
variables = st.one_of(st.just(0), st.integers(min_value=1, max_value=20_000))
times = st.sampled_from(["1", "0.9", "0.8", "0.75", "0.6", "0.5"])


@st.composite
def populations(draw, min_size=6):
    people = draw(
        st.lists(
            st.tuples(st.sampled_from("FM"), amounts, variables, times, st.sampled_from("ABC")),
            min_size=min_size,
            max_size=30,
        )
    )
    return [person(*cells) for cells in people]


def swapped(records):
    return [
        PayRecord("M" if r.sex == "F" else "F", r.base, r.variable, r.working_time, r.category)
        for r in records
    ]


GAPS = ("mean_gap_pct", "median_gap_pct", "variable_mean_gap_pct", "variable_median_gap_pct")


@settings(max_examples=150, deadline=None)
@given(populations())
def test_swapping_the_sexes_turns_every_gap_around(records):
    report = pay_gap_report(records, scope="x", year=1)
    mirror = pay_gap_report(swapped(records), scope="x", year=1)
    assert mirror["population"] == {
        "women": report["population"]["men"],
        "men": report["population"]["women"],
    }
    assert mirror["variable_share"] == {
        "women": report["variable_share"]["men"],
        "men": report["variable_share"]["women"],
    }
    pairs = [(report[name], mirror[name]) for name in GAPS]
    for mine, theirs in zip(report["categories"], mirror["categories"], strict=True):
        if mine["flag"] and mine["mean_gap_pct"] > 0:
            # g ≥ 5 mirrors to −g / (1 − g/100), further from 0: still flagged.
            assert theirs["flag"]
        pairs += [(mine[name], theirs[name]) for name in ("mean_gap_pct", "base_mean_gap_pct")]
    for gap, mirrored in pairs:
        # (m − w)/m and (w − m)/w have opposite signs, and are both 0 or both None.
        assert (gap is None) == (mirrored is None)
        if gap is not None:
            assert (gap > 0) == (mirrored < 0) and (gap == 0) == (mirrored == 0)


@settings(max_examples=100, deadline=None)
@given(populations(min_size=1), st.sampled_from("FM"))
def test_a_population_of_one_sex_has_no_gap(records, sex):
    report = pay_gap_report(
        [PayRecord(sex, r.base, r.variable, r.working_time, r.category) for r in records],
        scope="x",
        year=1,
    )
    assert all(report[name] is None for name in GAPS)
    assert all(c["insufficient"] and not c["flag"] for c in report["categories"])


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=3, max_value=12),
    st.integers(min_value=3, max_value=12),
    amounts,
    st.integers(min_value=1, max_value=20_000),
    st.sampled_from(["1", "0.8", "0.5"]),
)
def test_identical_fte_pay_gives_no_gap(women, men, base, variable, time):
    # The same FTE pay whatever the working time: every other person part-time, pro rata.
    records = []
    for n in range(women + men):
        share = Decimal(time if n % 2 else "1")
        sex = "F" if n < women else "M"
        records.append(PayRecord(sex, base * share, variable * share, share, "C"))
    report = pay_gap_report(records, scope="x", year=1)
    assert [report[name] for name in GAPS] == [0.0, 0.0, 0.0, 0.0]
    assert report["variable_share"] == {"women": 100.0, "men": 100.0}
    category = report["categories"][0]
    assert category["mean_gap_pct"] == category["base_mean_gap_pct"] == 0.0
    assert category["flag"] is False


@settings(max_examples=100, deadline=None)
@given(populations(min_size=1), st.randoms(use_true_random=False))
def test_the_report_does_not_depend_on_the_order_of_records(records, rng):
    shuffled = records[:]
    rng.shuffle(shuffled)
    assert pay_gap_report(shuffled, scope="x", year=1) == pay_gap_report(records, scope="x", year=1)
    bands = quartile_bands(records)
    assert sum(len(band) for band in bands) == len(records)
    assert max(map(len, bands)) - min(map(len, bands)) <= 1
    assert [len(b) for b in bands] == sorted((len(b) for b in bands), reverse=True)

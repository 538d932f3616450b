"""The equal-pay report as the page, the workbook and the PDF show it: the seven
indicators of article 9(1) in plain words, the categories with their recorded actions,
and the two charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from repertoire.organisation.models import Establishment
from repertoire.pay import charts, selectors
from repertoire.typesetting.pdf import pdf
from repertoire.typesetting.spreadsheets import Sheet, Spreadsheet

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass
class ReportView:
    establishment: Establishment | None
    by: str
    report: dict[str, Any]
    indicators: list[tuple[str, str, str]]  # (letter, what it measures, value shown)
    categories: list[dict[str, Any]] = field(default_factory=list)  # with their actions
    actions: list = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.report["year"]

    @property
    def scope_name(self) -> str:
        if self.establishment is None:
            return _("the CCI network")
        return f"{self.establishment.name} ({self.establishment.code})"

    @property
    def flagged(self) -> list[dict[str, Any]]:
        return [c for c in self.categories if c["flag"]]

    @property
    def gap_chart(self):
        rows = self.categories
        return charts.gap_bars(
            [c["category"] for c in rows],
            [c["mean_gap_pct"] for c in rows],
            [c["flag"] for c in rows],
            title=_("Mean pay gap by category of workers (%)"),
        )

    @property
    def quartile_chart(self):
        return charts.quartile_bars(
            self.report["quartiles"], title=_("Women and men in each quartile pay band")
        )


def indicators_of(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Article 9(1) (a) to (f) in plain words; (g) is the categories' table."""
    pct = charts.percent_text
    share = report["variable_share"]
    rows = [
        (
            "a",
            _("Mean gender pay gap (total pay, full-time equivalent)"),
            pct(report["mean_gap_pct"]),
        ),
        (
            "b",
            _("Mean gap in complementary or variable components (among those who receive any)"),
            pct(report["variable_mean_gap_pct"]),
        ),
        ("c", _("Median gender pay gap"), pct(report["median_gap_pct"])),
        (
            "d",
            _("Median gap in complementary or variable components"),
            pct(report["variable_median_gap_pct"]),
        ),
        (
            "e",
            _("Share of women and of men receiving complementary or variable components"),
            _("women %(women)s, men %(men)s")
            % {"women": pct(share["women"]), "men": pct(share["men"])},
        ),
    ]
    for band in report["quartiles"]:
        rows.append(
            (
                "f",
                _("Quartile pay band Q%(number)s: share of women and of men")
                % {"number": band["quartile"]},
                _("women %(women)s, men %(men)s")
                % {"women": pct(band["women_pct"]), "men": pct(band["men_pct"])},
            )
        )
    return rows


def report_view(
    user,
    establishment: Establishment | str | None = None,
    *,
    year: int | None = None,
    by: str = selectors.BY_LEVEL,
) -> ReportView:
    """The report of the user's scope with its actions (raises the selectors' refusals)."""
    place = selectors.scope_of(user, establishment)
    report = selectors.gap_report(user, establishment=place, year=year, by=by)
    actions = list(selectors.actions_of(place, report["year"]))
    categories = [
        {**row, "actions": [a for a in actions if a.category == row["category"]]}
        for row in report["categories"]
    ]
    return ReportView(
        establishment=place,
        by=by,
        report=report,
        indicators=indicators_of(report),
        categories=categories,
        actions=actions,
    )


def file_name(view: ReportView, format: str) -> str:
    scope = view.establishment.code if view.establishment else "reseau"
    return f"egalite-remuneration-{scope}-{view.year or 'sans-donnees'}.{format}"


def report_file(view: ReportView, format: str) -> bytes:
    with translation.override("fr"):
        return workbook(view) if format == "xlsx" else report_pdf(view)


def workbook(view: ReportView) -> bytes:
    """Three sheets: the indicators, the categories (numbers as numbers), the actions."""
    book = Spreadsheet()
    _indicators_sheet(book.sheet("Indicateurs"), view)
    _categories_sheet(book.sheet("Catégories"), view.report)
    _actions_sheet(book.sheet("Actions"), view.actions)
    return book.content()


def _indicators_sheet(sheet: Sheet, view: ReportView) -> None:
    report = view.report
    sheet.append([_("Indicator"), _("Measure"), _("Women"), _("Men")])
    sheet.append(["", _("Scope"), view.scope_name, None])
    sheet.append(["", _("Year"), view.year, None])
    sheet.append(["", _("Population"), report["population"]["women"], report["population"]["men"]])
    for letter, label, key in (
        ("a", _("Mean gender pay gap (%)"), "mean_gap_pct"),
        ("b", _("Mean gap in variable components (%)"), "variable_mean_gap_pct"),
        ("c", _("Median gender pay gap (%)"), "median_gap_pct"),
        ("d", _("Median gap in variable components (%)"), "variable_median_gap_pct"),
    ):
        sheet.append([letter, label, report[key], None])
    share = report["variable_share"]
    sheet.append(["e", _("Receiving variable components (%)"), share["women"], share["men"]])
    for band in report["quartiles"]:
        sheet.append(
            [
                "f",
                _("Quartile pay band Q%(number)s (%%)") % {"number": band["quartile"]},
                band["women_pct"],
                band["men_pct"],
            ]
        )
    sheet.layout([10, 50, 30, 12])


def _categories_sheet(sheet: Sheet, report: dict[str, Any]) -> None:
    sheet.append(
        [
            _("Category of workers"),
            _("Women"),
            _("Men"),
            _("Insufficient headcount"),
            _("Mean gap (%)"),
            _("Median gap (%)"),
            _("Base pay gap (%)"),
            _("Variable pay gap (%)"),
            _("Gap of at least 5 percent"),
        ]
    )
    for row in report["categories"]:
        sheet.append(
            [
                row["category"],
                row["women"],
                row["men"],
                _("yes") if row["insufficient"] else _("no"),
                row["mean_gap_pct"],
                row["median_gap_pct"],
                row["base_mean_gap_pct"],
                row["variable_mean_gap_pct"],
                _("yes") if row["flag"] else _("no"),
            ]
        )
    sheet.layout([36, 10, 10, 14, 14, 14, 14, 14, 14])


def _actions_sheet(sheet: Sheet, actions: list) -> None:
    sheet.append([_("Category of workers"), _("Kind"), _("Decided on"), _("Text"), _("Author")])
    for action in actions:
        sheet.append(
            [
                action.category,
                action.get_kind_display(),
                action.decided_on,
                action.text,
                action.author,
            ]
        )
    sheet.layout([36, 16, 14, 80, 20])


def report_pdf(view: ReportView) -> bytes:
    return pdf(render_to_string("pay/report_print.html", {"view": view}))

from decimal import Decimal

from django import template

from repertoire.pay.charts import percent_text

register = template.Library()


@register.filter
def pct(value) -> str:
    """``12,3 %``, or a dash where the figure is not computable."""
    return percent_text(value)


@register.filter
def euros(value) -> str:
    """``32 450,50 €`` (non-breaking thin spaces between thousands), or a dash."""
    if value is None or value == "":
        return "—"
    text = f"{Decimal(str(value)):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €"


@register.filter
def share(value) -> str:
    """A share of full time as a percentage: ``80 %``."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)) * 100:.0f} %"

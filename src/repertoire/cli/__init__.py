"""The ``repertoire`` command. Thin: it parses arguments and calls services and selectors.

One module per topic holds its commands: ``catalog`` (import, export, check, classify,
match, appellations, rome), ``evaluations`` (evaluate, evaluations), ``editions``
(editions, diff, impact, migrate), ``positioning`` (employees, reports,
positionings), ``pay`` (pay-gap, pay-ranges),
``accounts`` (establishments, users, tokens, demo, retention) and ``server`` (serve, worker,
manage). ``_output`` prints and tells refusals (exit 2); ``_session`` starts Django, only
when a command runs, so that ``repertoire --help`` stays fast.
"""

from __future__ import annotations

import typer

from repertoire.cli import accounts, catalog, editions, evaluations, pay, positioning, server

app = typer.Typer(
    help="Répertoire des emplois nationaux du réseau des CCI.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

# The commands, in the order ``--help`` lists them; then the groups of commands.
app.command()(server.serve)
app.command()(server.worker)
app.command("import")(catalog.import_)
app.command()(catalog.export)
app.command()(catalog.check)
app.command()(catalog.classify)
app.command()(evaluations.evaluate)
# Its name before the code said "evaluation" for the pesée: scripts written for it still run.
app.command("weigh", hidden=True)(evaluations.evaluate)
app.command()(catalog.match)
app.command()(accounts.demo)
app.command()(editions.diff)
app.command()(editions.impact)
app.command()(editions.migrate)
app.command("pay-gap")(pay.pay_gap)
app.command("pay-ranges")(pay.pay_ranges)
app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
    server.manage
)

app.add_typer(catalog.appellations_app, name="appellations")
app.add_typer(catalog.rome_app, name="rome")
app.add_typer(accounts.establishments_app, name="establishments")
app.add_typer(accounts.users_app, name="users")
app.add_typer(accounts.tokens_app, name="tokens")
app.add_typer(positioning.employees_app, name="employees")
app.add_typer(positioning.reports_app, name="reports")
app.add_typer(positioning.positionings_app, name="positionings")
app.add_typer(evaluations.evaluations_app, name="evaluations")
app.add_typer(editions.editions_app, name="editions")
app.add_typer(accounts.retention_app, name="retention")


def main() -> None:
    app()

"""/positionnement/: the establishments' worklists, imports and appeals."""

from django.urls import path

from repertoire.positioning.views import appeals, imports, letters, migration, worklist

app_name = "worklist"
urlpatterns = [
    path("", worklist.index, name="index"),
    path("decision/<int:pk>/valider/", worklist.validate, name="validate"),
    path("decision/<int:pk>/changer/", worklist.change, name="change"),
    path("decision/<int:pk>/pesee/", worklist.place_on_evaluation, name="place-on-evaluation"),
    path("decision/<int:pk>/commenter/", worklist.comment, name="comment"),
    path("decision/<int:pk>/recours/", appeals.open_appeal, name="open-appeal"),
    path("recours/<int:pk>/", appeals.appeal_detail, name="appeal"),
    path("impact/", migration.impact, name="impact"),
    path("<slug:code>/", worklist.worklist, name="worklist"),
    path("<slug:code>/accepter/", worklist.bulk_accept, name="bulk-accept"),
    path("<slug:code>/groupe/", worklist.decide_group, name="decide-group"),
    path("<slug:code>/notifier/", worklist.notify, name="notify"),
    path("<slug:code>/lots/", worklist.acceptance_batches, name="acceptance-batches"),
    path(
        "<slug:code>/lots/<int:pk>/annuler/",
        worklist.undo_acceptance_batch,
        name="undo-acceptance-batch",
    ),
    path("<slug:code>/recours/", appeals.appeal_list, name="appeals"),
    path("<slug:code>/lettres/", letters.establishment_letters, name="letters"),
    path("<slug:code>/lettres/<int:pk>/", letters.letters_status, name="letters-status"),
    path("<slug:code>/lettres/<int:pk>/lettres.pdf", letters.letters_download, name="letters-pdf"),
    path("<slug:code>/migration/", migration.migration, name="migration"),
    path("<slug:code>/migration/<int:pk>/", migration.status, name="migration-status"),
    path("<slug:code>/importer/", imports.upload, name="import"),
    path("<slug:code>/importer/<int:pk>/", imports.status, name="import-status"),
    path("<slug:code>/importer/<int:pk>/importer/", imports.commit, name="import-commit"),
    path("<slug:code>/importer/<int:pk>/relancer/", imports.restart, name="import-restart"),
]

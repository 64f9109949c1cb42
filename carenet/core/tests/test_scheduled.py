from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import import_string


def test_run_scheduled_enqueues_every_listed_task(capsys, db):
    call_command("run_scheduled")
    out = capsys.readouterr().out
    for dotted in settings.CARENET_SCHEDULED_TASKS:
        assert f"enqueued {dotted}" in out


def test_every_scheduled_task_is_a_task_that_takes_no_argument():
    for dotted in settings.CARENET_SCHEDULED_TASKS:
        task = import_string(dotted)
        assert hasattr(task, "enqueue"), dotted

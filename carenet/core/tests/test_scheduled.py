from django.core.management import call_command


def test_run_scheduled_enqueues_every_listed_task(settings, capsys, db):
    settings.CARENET_SCHEDULED_TASKS = []
    call_command("run_scheduled")
    assert capsys.readouterr().out == ""

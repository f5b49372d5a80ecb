"""protocol/settings.py: every PTGRADE_* knob read in one place, and handed to the judge unchanged."""
from ptgrade.protocol.settings import Settings


def test_defaults_without_any_variable():
    assert Settings.from_env({}) == Settings(threads=1, memory_gib=4.0, judge_memory_gib=8.0, cpu_seconds=1800,
                                             file_mb=512, run_seed=None, no_bwrap=False, zygote_log="")


def test_each_variable_is_read():
    env = {"PTGRADE_THREADS": "3", "PTGRADE_MEMORY_GIB": "2.5", "PTGRADE_JUDGE_MEMORY_GIB": "6",
           "PTGRADE_CPU_SECONDS": "90", "PTGRADE_FILE_MB": "64", "PTGRADE_RUN_SEED": "17", "PTGRADE_NO_BWRAP": "1",
           "PTGRADE_ZYGOTE_LOG": "/tmp/z.log"}
    assert Settings.from_env(env) == Settings(3, 2.5, 6.0, 90, 64, 17, True, "/tmp/z.log")


def test_a_nonsense_value_falls_back_to_the_default():
    settings = Settings.from_env({"PTGRADE_THREADS": "many", "PTGRADE_MEMORY_GIB": "-1", "PTGRADE_RUN_SEED": "x"})
    assert (settings.threads, settings.memory_gib, settings.run_seed) == (1, 4.0, None)


def test_the_judge_reads_back_what_the_runner_wrote():
    for settings in (Settings(), Settings(2, 3.0, 5.0, 60, 100, 5, True, "log"), Settings().replace(run_seed=0)):
        assert Settings.from_env(settings.to_env()) == settings

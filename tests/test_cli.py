"""The ``distarray`` command line: info, run, bench (the demo is the README's main job)."""

import pytest

from distarray import cli


def test_info_reports_versions_and_health(capsys):
    assert cli.main(["info", "-n", "1"]) == 0
    out = capsys.readouterr().out
    for expected in ("numpy", "mpi4py", "MPI library", "mpiexec", "cores", "h5py",
                     "health check  OK: 1 workers"):
        assert expected in out


SCRIPT = """
import sys
import distarray
ctx = distarray.Context()
print("workers", ctx.nworkers, ctx.pool.mode, sys.argv[1:])
print("sum", distarray.arange(10, context=ctx).toarray().sum())
"""


def test_run_starts_a_batch_job(tmp_path, capfd):
    script = tmp_path / "job.py"
    script.write_text(SCRIPT)
    assert cli.main(["run", "-n", "2", str(script), "--flag", "x"]) == 0
    out = capfd.readouterr().out
    assert "workers 2 batch ['--flag', 'x']" in out and "sum 45" in out
    with pytest.raises(SystemExit):
        cli.main(["run", "-n", "0", str(script)])


def test_bench_runs_the_scripts_and_prints_their_tables(tmp_path, capsys):
    (tmp_path / "fast.py").write_text("print('table of fast')\n")
    (tmp_path / "broken.py").write_text("import sys\nprint('partial')\nsys.exit(3)\n")
    assert cli.main(["bench", "fast", "--dir", str(tmp_path)]) == 0
    assert "table of fast" in capsys.readouterr().out
    assert cli.main(["bench", "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "== broken.py (exit code 3)" in out and "partial" in out and "== fast.py (ok)" in out
    assert cli.main(["bench", "none", "--dir", str(tmp_path)]) == 1
    assert "no benchmark scripts named none" in capsys.readouterr().err


def test_bench_directory_is_the_repositorys():
    assert (cli.BENCH_DIR / "foundation.py").exists()


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "info", "run", "bench"):
        assert command in out

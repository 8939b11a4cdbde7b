"""The examples in examples/, at small sizes, against NumPy (1-4 workers)."""

import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def examples():
    """The example modules (importable on the workers too: sys.path follows the client)."""
    sys.path.insert(0, str(EXAMPLES))
    yield lambda name: importlib.import_module(name)
    sys.path.remove(str(EXAMPLES))


def test_julia_set(ctx, examples, capsys):
    julia = examples("julia_set")
    results = julia.main(size=41, max_iter=30, context=ctx)
    expected = julia.reference(41, max_iter=30)
    for dist in ("b", "c"):
        counts, seconds = results[dist]
        np.testing.assert_array_equal(counts, expected)
        assert len(seconds) == ctx.nworkers
    assert "imbalance" in capsys.readouterr().out


def test_seismic_volume(ctx, examples):
    seismic = examples("seismic_volume")
    shape = (7, 6, 20)
    result, expected = seismic.main(shape, width=5, context=ctx), seismic.reference(shape, 5)
    np.testing.assert_allclose(result["slice"], expected["slice"])
    np.testing.assert_allclose(result["filtered slice"], expected["filtered slice"])
    for mine, theirs in zip(result["means"], expected["means"]):
        np.testing.assert_allclose(mine, theirs)


def test_gaussian_elimination(ctx, examples):
    gauss = examples("gaussian_elimination")
    np.testing.assert_allclose(gauss.main(23, context=ctx), gauss.reference(23), rtol=1e-10)


def test_heat_diffusion(ctx, examples):
    heat = examples("heat_diffusion")
    np.testing.assert_allclose(heat.main(13, steps=20, context=ctx), heat.reference(13, 20))


def test_local_mpi(ctx, examples):
    local = examples("local_mpi")
    np.testing.assert_allclose(local.main(1001, context=ctx), local.reference(1001))


def test_an_example_runs_as_a_script():
    done = subprocess.run([sys.executable, str(EXAMPLES / "heat_diffusion.py"), "--size", "12",
                           "--steps", "3", "--nworkers", "2"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3 steps on 12x12" in done.stdout

"""distarray.random: NumPy's Generator API, the same values on any workers and layout."""

import math

import numpy as np
import pytest

import distarray
from distarray import Distribution
from distarray.random import TILE, default_rng

SEED = 20240607

#: ``(method, args, kwargs)`` of the draws made with the tile scheme.
DRAWS = [
    ("random", (), {}),
    ("random", (), {"dtype": np.float32}),
    ("uniform", (-2.0, 3.0), {}),
    ("normal", (1.0, 2.0), {}),
    ("standard_normal", (), {"dtype": np.float32}),
    ("integers", (-5, 17), {}),
    ("integers", (0, 255), {"dtype": np.uint8, "endpoint": True}),
    ("integers", (2,), {"dtype": np.bool_}),
    ("exponential", (2.0,), {}),
    ("poisson", (3.5,), {}),
    ("binomial", (10, 0.3), {}),
    ("beta", (2.0, 5.0), {}),
    ("gamma", (2.5, 1.5), {}),
    ("choice", (7,), {}),
    ("choice", ([1.5, 2.5, 3.5],), {"p": [0.2, 0.3, 0.5]}),
]
DRAW_IDS = ["%s-%d" % (draw[0], i) for i, draw in enumerate(DRAWS)]

#: Shapes (several tiles for the last ones) and their layouts: dist specs or "u" (unstructured).
SHAPES = {
    (): [None],
    (0,): ["b"],
    (23,): ["b", "c", ({"dist_type": "c", "block_size": 3},), "n", "u"],
    (5, 9): [None, ("b", "c"), ("c", "b"), ("n", "b")],
    (2, 3, 4): [None, ("c", "b", "c")],
    (2 * TILE + 17,): ["b", "c"],
    (3, TILE // 2 + 5): [("n", "b")],
}


def distributions(ctx, shape):
    """The test layouts of ``shape`` on ``ctx``."""
    p = ctx.nworkers
    for dist in SHAPES[shape]:
        if dist == "u":
            order = np.random.default_rng(p).permutation(shape[0])
            dim = {"dist_type": "u", "size": shape[0], "proc_grid_size": p,
                   "indices": [order[r::p] for r in range(p)]}
            yield Distribution.from_global_dim_data(ctx, (dim,))
        else:
            yield Distribution(ctx, shape, dist=dist)


def reference(seed, call, method, args, kwargs, shape):
    """The documented scheme in plain NumPy: tile k of call c from spawn_key (c, k), drawn
    with the array parameters (broadcast to ``shape``) of its elements (``choice`` has
    none: its population is the same for every element)."""
    total = math.prod(shape)
    varying = [method != "choice" and np.ndim(a) > 0 for a in args]
    flat = [np.broadcast_to(a, shape).reshape(-1) if v else a for a, v in zip(args, varying)]
    tiles = [getattr(np.random.Generator(np.random.PCG64(
        np.random.SeedSequence(seed, spawn_key=(call, k)))), method)(
            *[a[k * TILE:(k + 1) * TILE] if v else a for a, v in zip(flat, varying)],
            size=min(TILE, total - k * TILE), **kwargs)
        for k in range(-(-total // TILE))]
    if tiles:
        return np.concatenate(tiles).reshape(shape)
    return np.empty(shape, getattr(np.random.default_rng(0), method)(*args, size=0,
                                                                     **kwargs).dtype)


@pytest.mark.parametrize("draw", DRAWS, ids=DRAW_IDS)
def test_same_values_on_any_workers_and_layout(contexts, draw):
    method, args, kwargs = draw
    for shape in SHAPES:
        want = reference(SEED, 0, method, args, kwargs, shape)
        for ctx in contexts.values():
            for distribution in distributions(ctx, shape):
                got = getattr(default_rng(SEED), method)(*args, **kwargs,
                                                         distribution=distribution)
                assert got.shape == shape and got.dtype == want.dtype
                assert got.distribution is distribution
                np.testing.assert_array_equal(got.toarray(), want, err_msg=str(distribution))


#: ``(method, args, kwargs)`` of every other distribution of ``DISTRIBUTIONS``.
MORE_DRAWS = [
    ("standard_exponential", (), {"dtype": np.float32}), ("standard_gamma", (2.0,), {}),
    ("lognormal", (0.5, 0.25), {}), ("laplace", (1.0, 2.0), {}), ("logistic", (1.0, 2.0), {}),
    ("gumbel", (1.0, 2.0), {}), ("chisquare", (3.0,), {}), ("noncentral_chisquare", (3.0, 1.5), {}),
    ("f", (4.0, 6.0), {}), ("noncentral_f", (4.0, 6.0, 1.0), {}), ("standard_t", (5.0,), {}),
    ("standard_cauchy", (), {}), ("weibull", (1.5,), {}), ("pareto", (3.0,), {}),
    ("power", (2.0,), {}), ("rayleigh", (2.0,), {}), ("wald", (1.0, 2.0), {}),
    ("vonmises", (0.5, 2.0), {}), ("triangular", (-1.0, 0.0, 2.0), {}),
    ("geometric", (0.3,), {}), ("negative_binomial", (3, 0.4), {}),
    ("hypergeometric", (10, 5, 7), {}), ("logseries", (0.6,), {}), ("zipf", (2.5,), {}),
]


def test_every_distribution_is_drawn_and_reproducible(contexts):
    names = {draw[0] for draw in DRAWS + MORE_DRAWS} | {"standard_exponential"}
    assert names == set(distarray.random.DISTRIBUTIONS) | {"choice"}
    for method, args, kwargs in MORE_DRAWS:
        for shape, ctx, dist in [((5, 9), contexts[3], ("c", "b")),
                                 ((TILE + 9,), contexts[2], "c"), ((), contexts[1], None)]:
            want = reference(SEED, 0, method, args, kwargs, shape)
            got = getattr(default_rng(SEED), method)(*args, **kwargs, size=shape, context=ctx,
                                                     dist=dist)
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got.toarray(), want, err_msg=method)
        scalar = getattr(default_rng(SEED), method)(*args, **kwargs)
        assert scalar == reference(SEED, 0, method, args, kwargs, (1,))[0]
        assert getattr(distarray.random, method).__name__ == method
    with pytest.raises(TypeError, match="missing a required argument: 'dfden'"):
        default_rng(SEED).f(2.0)
    with pytest.raises(TypeError, match="unexpected keyword"):
        default_rng(SEED).pareto(2.0, shape=3)


def test_shuffle_and_bytes(contexts):
    for ctx, shape, dist, axis in [(contexts[3], (7, 5), ("c", "b"), 0),
                                   (contexts[2], (4, 9), ("b", "b"), 1),
                                   (contexts[1], (6,), "b", -1)]:
        x = np.arange(math.prod(shape)).reshape(shape)
        d = ctx.fromarray(x, dist=dist)
        rng = default_rng(SEED)
        assert rng.shuffle(d, axis=axis) is None
        order = default_rng(SEED).permutation(shape[axis]).toarray()
        np.testing.assert_array_equal(d.toarray(), np.take(x, order, axis=axis))
        assert not np.array_equal(order, np.arange(shape[axis]))
    with pytest.raises(TypeError, match="shuffles DistArrays"):
        default_rng(SEED).shuffle(np.arange(3))
    with pytest.raises(np.exceptions.AxisError):
        default_rng(SEED).shuffle(contexts[1].fromarray(np.arange(3)), axis=1)
    data = default_rng(SEED).bytes(10)
    assert isinstance(data, bytes) and len(data) == 10 and data == default_rng(SEED).bytes(10)


def test_size_and_placement_keywords(contexts):
    want = reference(SEED, 1, "normal", (), {}, (6, 7))
    for ctx in contexts.values():
        for kwargs in ({"context": ctx}, {"context": ctx, "dist": ("c", "c")},
                       {"context": ctx, "dist": "n"}, {"distribution": Distribution(ctx, (6, 7))}):
            rng = default_rng(SEED)
            rng.random(3, context=ctx)
            got = rng.normal(size=(6, 7), **kwargs)
            assert got.context is ctx
            np.testing.assert_array_equal(got.toarray(), want)
        np.testing.assert_array_equal(default_rng(SEED, context=ctx).normal(size=(6, 7)).toarray(),
                                      reference(SEED, 0, "normal", (), {}, (6, 7)))
    with pytest.raises(ValueError, match="does not match"):
        default_rng(SEED).random((3,), distribution=Distribution(contexts[2], (4,)))
    with pytest.raises(TypeError, match="unexpected keyword"):
        default_rng(SEED).random(3, bogus=1)


def test_scalars_like_numpy():
    value = default_rng(SEED).normal(1.0, 2.0)
    assert isinstance(value, np.float64) and np.ndim(value) == 0
    assert value == default_rng(SEED).normal(1.0, 2.0, size=1).toarray()[0]
    assert isinstance(default_rng(SEED).integers(5, dtype=np.int16), np.int16)
    zero_d = default_rng(SEED).random(())
    assert isinstance(zero_d, distarray.DistArray) and zero_d.shape == ()
    assert zero_d.toarray()[()] == default_rng(SEED).random()


def test_streams_advance_and_repeat():
    rng = default_rng(SEED)
    first, second = rng.random(100).toarray(), rng.random(100).toarray()
    assert not np.array_equal(first, second)
    again = default_rng(SEED)
    np.testing.assert_array_equal(again.random(100).toarray(), first)
    np.testing.assert_array_equal(again.random(100).toarray(), second)
    assert not np.array_equal(default_rng(SEED + 1).random(100).toarray(), first)
    assert default_rng(rng) is rng
    fresh = default_rng().random(100).toarray(), default_rng().random(100).toarray()
    assert not np.array_equal(*fresh)


def test_seeds_numpy_accepts():
    sequence = np.random.SeedSequence(SEED)
    np.testing.assert_array_equal(default_rng(sequence).random(5).toarray(),
                                  default_rng(SEED).random(5).toarray())
    np.testing.assert_array_equal(default_rng([1, 2, 3]).random(5).toarray(),
                                  reference([1, 2, 3], 0, "random", (), {}, (5,)))
    from_numpy = [default_rng(np.random.default_rng(7)).random(5).toarray() for _ in range(2)]
    np.testing.assert_array_equal(*from_numpy)
    assert default_rng(SEED).seed_sequence.entropy == SEED
    for bad in (-1, 2.5, "x", [1, -2]):
        with pytest.raises(Exception) as expected:
            np.random.default_rng(bad)
        with pytest.raises(type(expected.value), match=str(expected.value)):
            default_rng(bad)


def test_spawned_generators_are_independent_and_reproducible():
    children = default_rng(SEED).spawn(2)
    values = [child.random(50).toarray() for child in children]
    assert not np.array_equal(*values)
    assert not np.array_equal(values[0], default_rng(SEED).random(50).toarray())
    np.testing.assert_array_equal(default_rng(SEED).spawn(1)[0].random(50).toarray(), values[0])


@pytest.mark.parametrize("method, args, kwargs, low, high", [
    ("random", (), {"dtype": np.float32}, 0, 1),
    ("uniform", (-2.0, 3.0), {}, -2, 3),
    ("integers", (-5, 17), {"dtype": np.int8}, -5, 16),
    ("integers", (3, 5), {"dtype": np.uint16, "endpoint": True}, 3, 5),
    ("integers", (2,), {"dtype": np.bool_}, 0, 1),
    ("choice", (7,), {}, 0, 6),
    ("poisson", (0.5,), {}, 0, None),
    ("binomial", (4, 0.5), {}, 0, 4),
    ("beta", (0.5, 0.5), {}, 0, 1),
])
def test_dtype_and_range(method, args, kwargs, low, high):
    got = getattr(default_rng(SEED), method)(*args, **kwargs, size=(40, 50), dist=("c", "b"))
    want = getattr(np.random.default_rng(0), method)(*args, **kwargs, size=3)
    values = got.toarray()
    assert got.dtype == values.dtype == want.dtype
    assert values.min() >= low and (high is None or values.max() <= high)
    if method in ("integers", "choice", "binomial"):
        assert values.min() == low and values.max() == high  # every end is reached


@pytest.mark.parametrize("draw, mean, var", [
    (DRAWS[0], 0.5, 1 / 12),
    (DRAWS[2], 0.5, 25 / 12),
    (DRAWS[3], 1.0, 4.0),
    (DRAWS[4], 0.0, 1.0),
    (DRAWS[5], 5.5, (22 ** 2 - 1) / 12),
    (DRAWS[8], 2.0, 4.0),
    (DRAWS[9], 3.5, 3.5),
    (DRAWS[10], 3.0, 2.1),
    (DRAWS[11], 2 / 7, 10 / (49 * 8)),
    (DRAWS[12], 3.75, 5.625),
    (DRAWS[13], 3.0, 4.0),
    (DRAWS[14], 2.8, 0.61),
], ids=lambda value: value[0] if isinstance(value, tuple) else "")
def test_statistics(contexts, draw, mean, var):
    method, args, kwargs = draw
    n = 200_000
    values = getattr(default_rng(SEED), method)(*args, **kwargs, size=(n // 4, 4),
                                                context=contexts[3]).toarray()
    values = values.astype(np.float64)
    # Fixed seed: deterministic; the bounds are ~5 standard errors (kurtosis <= 9).
    assert abs(values.mean() - mean) < 5 * math.sqrt(var / n)
    assert abs(values.var() - var) < 5 * var * math.sqrt(8 / n)


BAD_CALLS = [
    ("integers", (5, 5), {}), ("integers", (5, 3), {}), ("integers", (0,), {}),
    ("integers", (-1, 300), {"dtype": np.uint8}), ("integers", (0, 10), {"dtype": np.float64}),
    ("normal", (0.0, -1.0), {}), ("normal", ("x",), {}), ("uniform", (0.0, np.inf), {}),
    ("random", (), {"dtype": np.int64}), ("random", (), {"dtype": np.float16}),
    ("standard_normal", (), {"dtype": "i4"}), ("exponential", (-1.0,), {}),
    ("poisson", (-1.0,), {}), ("poisson", (1e20,), {}), ("binomial", (-1, 0.5), {}),
    ("binomial", (10, 1.5), {}), ("beta", (0.0, 1.0), {}), ("gamma", (-1.0,), {}),
    ("gamma", (1.0, -1.0), {}), ("choice", (0,), {}), ("choice", ([],), {}),
    ("choice", (-3,), {}), ("choice", (3.5,), {}), ("choice", (3,), {"p": [0.5, 0.6, 0.0]}),
    ("choice", (3,), {"p": [0.5, 0.5]}), ("choice", (3,), {"replace": False}),
    ("choice", (5,), {"replace": False, "p": [1.0, 0, 0, 0, 0]}),
    ("chisquare", (-1.0,), {}), ("triangular", (1.0, 0.0, 2.0), {}),
    ("hypergeometric", (5, 5, 20), {}), ("zipf", (0.5,), {}), ("logseries", (1.5,), {}),
    ("permutation", (np.array(3),), {}),
    ("permutation", (np.arange(3),), {"axis": 1}),
]


def _numpy_error(method, args, kwargs, sized):
    try:
        getattr(np.random.default_rng(0), method)(*args, **kwargs, **sized)
    except Exception as error:  # whatever NumPy raises
        return error
    return None


#: ``(method, args, kwargs, size keyword)`` for which NumPy raises.
BAD_SIZED_CALLS = [
    (method, args, kwargs, sized) for method, args, kwargs in BAD_CALLS
    for sized in ([{}] if method == "permutation" else
                  [{"size": size} for size in [(4,), None, -1, (2, -1), 2.5]
                   # NumPy compares a population with np.prod(2.5) before checking the size
                   if not (kwargs.get("replace") is False and size == 2.5)])
    if _numpy_error(method, args, kwargs, sized) is not None]


@pytest.mark.parametrize("method, args, kwargs, sized", BAD_SIZED_CALLS,
                         ids=["%s%s-%s" % (c[0], c[1], c[3].get("size", "")) for c in
                              BAD_SIZED_CALLS])
def test_bad_arguments_raise_as_numpy_before_sending(contexts, monkeypatch, method, args,
                                                     kwargs, sized):
    ctx = contexts[2]
    expected = _numpy_error(method, args, kwargs, sized)
    rng = default_rng(SEED, context=ctx)

    def no_command(*args, **kwargs):
        raise AssertionError("a command was sent")

    monkeypatch.setattr(ctx.pool, "start", no_command)
    with pytest.raises(type(expected)) as raised:
        getattr(rng, method)(*args, **kwargs, **sized)
    assert str(raised.value) == str(expected)
    monkeypatch.undo()
    np.testing.assert_array_equal(rng.random(3).toarray(),  # the generator did not advance
                                  default_rng(SEED).random(3, context=ctx).toarray())


def test_unsupported_arguments():
    rng = default_rng(SEED)
    with pytest.raises(NotImplementedError, match="1-D"):
        rng.choice(np.ones((2, 2)), size=2)
    with pytest.raises(NotImplementedError, match="1-D"):
        rng.permutation(np.ones((2, 2)))
    with pytest.raises(TypeError, match="object"):  # objects cannot live in raw buffers
        rng.choice(["a", None], size=2)
    with pytest.raises(NotImplementedError, match="out="):
        rng.random(3, out=np.empty(3))
    assert rng.random(()).toarray() == default_rng(SEED).random()


def test_array_parameters_broadcast_and_do_not_depend_on_the_layout(contexts):
    loc = np.arange(7.0)
    scale = np.linspace(1.0, 2.0, 2 * TILE // 7 + 3)[:, None]
    shape = (len(scale), 7)
    low, mode = np.full(5, -1.0), np.linspace(-1.0, 3.0, 5)
    for ctx in contexts.values():
        rng = default_rng(SEED, context=ctx)
        for call, dist in enumerate(["b", ("c", "b"), ("n", "c")]):
            got = rng.normal(loc, ctx.fromarray(scale, dist="c"), dist=dist)
            assert got.shape == shape and got.distribution.maps[0].dist == dist[0]
            np.testing.assert_array_equal(
                got.toarray(), reference(SEED, call, "normal", (loc, scale), {}, shape))
        distribution = Distribution(ctx, (3, 5), dist=("b", "c"))
        got = rng.triangular(low, mode, 3.0, distribution=distribution)
        assert got.distribution is distribution
        np.testing.assert_array_equal(got.toarray(), reference(
            SEED, 3, "triangular", (low, mode, 3.0), {}, (3, 5)))
        got = rng.integers(ctx.fromarray(np.arange(4)), 9, size=(2, 4), dtype=np.uint8)
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got.toarray(), reference(
            SEED, 4, "integers", (np.arange(4), 9), {"dtype": np.uint8}, (2, 4)))
        assert rng.normal(np.zeros((0, 3))).shape == (0, 3)


def test_array_parameter_errors_and_the_generator_does_not_advance(contexts):
    ctx = contexts[3]
    rng = default_rng(SEED, context=ctx)
    for args, kwargs in [((np.zeros(3), np.ones(2)), {}), ((np.zeros(3),), {"size": (2,)}),
                         ((np.zeros((2, 3)),), {"size": (3,)}),
                         ((np.zeros(3), -np.ones(3)), {"size": (2, 3)})]:
        with pytest.raises(ValueError) as raised:
            rng.normal(*args, **kwargs)
        assert str(raised.value) == str(_numpy_error("normal", args, {}, kwargs))
    with pytest.raises(ValueError, match="scale < 0"):  # found by the worker drawing it
        rng.normal(0.0, ctx.fromarray(np.array([1.0, 2.0, -1.0])))
    np.testing.assert_array_equal(rng.random(3).toarray(),
                                  default_rng(SEED).random(3, context=ctx).toarray())


def test_parameters_may_be_numpy_or_distarray_scalars():
    a = default_rng(SEED).normal(np.float32(1.0), distarray.full((), 2.0), size=5).toarray()
    np.testing.assert_array_equal(a, default_rng(SEED).normal(1.0, 2.0, size=5).toarray())


def test_permutation(contexts):
    n = TILE + 5
    want = None
    for ctx in contexts.values():
        for dist in ("b", "c"):
            got = default_rng(SEED).permutation(n, context=ctx, dist=dist)
            assert got.dist == (dist,) or ctx.nworkers == 1
            values = got.toarray()
            want = values if want is None else want
            np.testing.assert_array_equal(values, want)
    assert values.dtype == np.int64
    np.testing.assert_array_equal(np.sort(values), np.arange(n))
    assert not np.array_equal(values, np.arange(n))
    assert default_rng(SEED).permutation(0).shape == (0,)
    assert default_rng(SEED).permutation(-3).shape == (0,)
    words = np.array(["x", "y", "z", "w"])
    np.testing.assert_array_equal(default_rng(SEED).permutation(words).toarray(),
                                  words[default_rng(SEED).permutation(4).toarray()])
    source = distarray.arange(10.0, dist="c", context=contexts[3])
    shuffled = default_rng(SEED).permutation(source)
    assert shuffled.distribution is source.distribution
    np.testing.assert_array_equal(np.sort(shuffled.toarray()), np.arange(10.0))


def test_choice(contexts):
    population = np.array([10, 20, 30, 40, 50], dtype=np.int16)
    with_p = default_rng(SEED).choice(population, size=(300, 7), p=[0.5, 0, 0.25, 0, 0.25],
                                      dist="c").toarray()
    assert with_p.dtype == np.int16 and set(np.unique(with_p)) == {10, 30, 50}
    assert abs(np.mean(with_p == 10) - 0.5) < 0.05
    uniform = default_rng(SEED).choice(population, size=1000).toarray()
    assert set(np.unique(uniform)) == set(population)

    want = None
    for ctx in contexts.values():
        for dist in ("b", "c"):
            got = default_rng(SEED).choice(100, size=(8, 5), replace=False, context=ctx,
                                           dist=(dist, "n")).toarray()
            want = got if want is None else want
            np.testing.assert_array_equal(got, want)
    assert len(np.unique(want)) == 40 and want.min() >= 0 and want.max() < 100

    weights = np.array([0.0, 0.4, 0.0, 0.3, 0.3])
    picked = default_rng(SEED).choice(population, size=3, replace=False, p=weights).toarray()
    np.testing.assert_array_equal(np.sort(picked), [20, 40, 50])
    assert default_rng(SEED).choice(population, replace=False) in population
    # Weighted sampling without replacement: the first draw follows p.
    firsts = [default_rng(s).choice(5, replace=False, p=weights) for s in range(400)]
    assert abs(np.mean(np.array(firsts) == 1) - 0.4) < 0.1


def test_module_functions_and_legacy_names():
    distarray.random.seed(5)
    first = distarray.random.rand(3, 4).toarray()
    normal = distarray.random.randn(6).toarray()
    ints = distarray.random.randint(5, size=100).toarray()
    distarray.random.seed(5)
    np.testing.assert_array_equal(distarray.random.rand(3, 4).toarray(), first)
    np.testing.assert_array_equal(distarray.random.randn(6).toarray(), normal)
    np.testing.assert_array_equal(distarray.random.randint(5, size=100).toarray(), ints)
    assert first.shape == (3, 4) and normal.shape == (6,) and ints.dtype == np.int64
    assert ints.min() >= 0 and ints.max() < 5
    distarray.random.seed(5)
    np.testing.assert_array_equal(distarray.random.random((3, 4)).toarray(), first)
    assert isinstance(distarray.random.rand(), float)
    assert isinstance(distarray.random.randn(), float)
    assert distarray.random.random_sample(3).shape == (3,)
    for name in ("uniform", "normal", "standard_normal", "exponential", "poisson"):
        assert getattr(distarray.random, name)(size=4).shape == (4,)
    assert distarray.random.gamma(2.0, size=4).shape == (4,)
    assert distarray.random.integers(3, size=4).shape == (4,)
    assert distarray.random.binomial(3, 0.5, size=4).shape == (4,)
    assert distarray.random.beta(1, 2, size=4).shape == (4,)
    assert distarray.random.choice(3, size=4).shape == (4,)
    assert distarray.random.permutation(4).shape == (4,)
    for name in (*distarray.random.DISTRIBUTIONS, "choice", "permutation", "shuffle", "bytes"):
        function = getattr(distarray.random, name)
        assert function.__name__ == name
        assert function.__doc__ == getattr(distarray.random.Generator, name).__doc__

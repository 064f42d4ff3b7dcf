"""Every public function of ``deepqed.kernels`` on NumPy, array_api_strict and torch (CPU), in
float32 and float64: results in the namespace and dtype of the inputs, equal to the NumPy float64
path to a tolerance in units of the dtype's machine epsilon.

Tolerances. Points have norms below 3 in dimension d = 3. A Gram entry is a function of inner
products or distances of rows, each within about (d + 2) u (|x|^2 + |z|^2) <= 5 u 18 of exact
(Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Section 3.1), and the kernels
used are Lipschitz in them with constants at most 6 (Polynomial degree 2: 2 (x^T z + 1) <= 20):
``GRAM = 2000`` epsilons relative to max |K|. The arc-cosine kernel needs sin(theta) =
sqrt((1 - cos)(1 + cos)), which loses half the digits where theta -> 0 (on the diagonal): there a
rounding of cos by d u gives an error sqrt(2 d u) in sin, hence its own tolerance ``ARCCOS``.
Kernel ridge solves have condition number at most (max eig K + m lam)/(m lam) <= 1 + 10/1 = 11
(entries of K in [0, 1]): ``SOLVE = 10 m kappa GRAM``-order, taken as ``100 m kappa`` epsilons on
top of the Gram matrix's own error.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from array_backends import DTYPES, EPS, NAMESPACES, Case, converter, host, run, uncovered

from deepqed import kernels, svm

RNG = np.random.default_rng(20261207)
M, P, D = 10, 6, 3
X = RNG.uniform(-1.5, 1.5, (M, D))
Z = np.concatenate([RNG.uniform(-1.5, 1.5, (P - 2, D)), X[:2]])  # two points shared with X
Y = RNG.standard_normal(M)
LAM = 0.1  # m lam = 1
GRAM = 2000.0
SOLVE = GRAM + 100 * M * 11
ALL_KERNELS = [
    kernels.Linear(),
    kernels.Polynomial(degree=2, gamma=0.5, c=1.0),
    kernels.Gaussian(0.7),
    kernels.Laplacian(0.4),
    kernels.ArcCosine(),
]


def _arccos_factor(dt: str) -> float:
    """sqrt(2 d u) of sin near theta = 0, times |x||z|/(2 pi) <= 18/(2 pi) < 3, in epsilons."""
    return GRAM + 10 * math.sqrt(2 * D * EPS[dt] / 2) / EPS[dt]


W_RELU = RNG.standard_normal((8, D))
W_WIDE = RNG.standard_normal((40, D))
OMEGA = 0.8 * RNG.standard_normal((7, D))
B = RNG.uniform(0, 2 * np.pi, 7)


def _model(c):
    return kernels.krr_fit(kernels.Gaussian(0.7), c(X), c(Y), LAM)


CASES = [
    Case(kernels.squared_distances, lambda c: {"X": c(X), "Z": c(Z)}, GRAM),
    Case(kernels.squared_distances, lambda c: {"X": c(X), "Z": c(X)}, GRAM, name="squared_self"),
    # a common offset of 100, which the centring at the common mean removes
    Case(
        kernels.squared_distances,
        lambda c: {"X": c(X + 100.0), "Z": c(Z + 100.0)},
        GRAM,
        name="squared_distances_offset",
    ),
    *[
        Case(
            kernels.gram,
            (lambda k: lambda c: {"kernel": k, "X": c(X), "Z": c(Z)})(k),
            GRAM,
            name=f"gram_{type(k).__name__}",
        )
        for k in ALL_KERNELS[:4]
    ],
    *[
        Case(
            kernels.gram,
            (lambda k: lambda c: {"kernel": k, "X": c(X)})(k),
            GRAM,
            name=f"gram_self_{type(k).__name__}",
        )
        for k in ALL_KERNELS[:4]
    ],
    # psd_check's default tolerance is 10 n eps of the dtype: compared with NumPy in that dtype;
    # eigenvalues of a symmetric matrix move by at most ||E||_2 <= n max|E_ij| (Weyl)
    Case(
        kernels.psd_check,
        lambda c: {"K": c(kernels.gram(kernels.Gaussian(0.7), X))},
        100 * M,
        same_dtype=True,
    ),
    Case(
        kernels.psd_check,
        lambda c: {"K": c(kernels.gram(kernels.Gaussian(0.7), X)), "rtol": 1e-3},
        100 * M,
        name="psd_check_rtol",
    ),
    Case(
        kernels.shifted_solve,
        lambda c: {"K": c(kernels.gram(kernels.Gaussian(0.7), X)), "y": c(Y), "shift": 1.0},
        SOLVE,
    ),
    Case(
        kernels.krr_fit,
        lambda c: {"kernel": kernels.Gaussian(0.7), "X": c(X), "y": c(Y), "lam": LAM},
        SOLVE,
    ),
    Case(kernels.krr_predict, lambda c: {"model": _model(c), "X_test": c(Z)}, 10 * SOLVE),
    Case(kernels.rkhs_norm, lambda c: {"model": _model(c)}, 10 * SOLVE),
    Case(
        kernels.krr_objective,
        lambda c: {
            "K": c(kernels.gram(kernels.Gaussian(0.7), X)),
            "y": c(Y),
            "alpha": c(Y),
            "lam": LAM,
        },
        10 * SOLVE,
    ),
    Case(kernels.relu_features, lambda c: {"W": c(W_RELU), "X": c(X)}, GRAM),
    Case(kernels.empirical_relu_kernel, lambda c: {"W": c(W_RELU), "X": c(X)}, GRAM),
    Case(
        kernels.empirical_relu_kernel,
        lambda c: {"W": c(W_RELU), "X": c(X), "Z": c(Z)},
        GRAM,
        name="empirical_relu_kernel_Z",
    ),
    # Phi^T Phi + m lam I (N = 8 <= m) and Phi Phi^T + m lam I (N = 40 > m): condition numbers
    # at most 1 + max |Phi|_2^2 / (m lam) <= 1 + 40 * 9 * 3 / 1
    Case(
        kernels.feature_ridge,
        lambda c: {"Phi": c(kernels.relu_features(W_RELU, X)), "y": c(Y), "lam": LAM},
        GRAM * 1100,
    ),
    Case(
        kernels.feature_ridge,
        lambda c: {"Phi": c(kernels.relu_features(W_WIDE, X)), "y": c(Y), "lam": LAM},
        GRAM * 1100,
        name="feature_ridge_wide",
    ),
    # arguments omega^T x + b of size <= 3 * 0.8 * 3 * 3 + 2 pi < 30, cos and sin 1-Lipschitz
    Case(
        kernels.rff_features,
        lambda c: {"params": kernels.RFFParams(c(OMEGA), c(B)), "X": c(X)},
        100 * 30,
    ),
    Case(kernels.rff_paired_features, lambda c: {"omega": c(OMEGA), "X": c(X)}, 100 * 30),
]

params = pytest.mark.parametrize("ns,dt", [(n, d) for n in NAMESPACES for d in DTYPES])


@params
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_matches_numpy_float64(case, ns, dt):
    run(case, ns, dt)


@params
def test_arccos_gram(ns, dt):
    for build in (lambda c: {"X": c(X), "Z": c(Z)}, lambda c: {"X": c(X)}):
        case = Case(
            kernels.gram,
            (lambda c: {"kernel": kernels.ArcCosine(), **build(c)}),
            _arccos_factor(dt),
            name="gram_ArcCosine",
        )
        run(case, ns, dt)


@params
def test_kernel_svm(ns, dt):
    """The SMO loop runs in NumPy on the host in float64: the model's arrays are float64 in the
    namespace of X, and alpha satisfies the KKT conditions of the float64 problem up to the
    solver's tolerance plus the effect of rounding X to the dtype (|K32 - K64| <= GRAM eps
    entrywise moves s = y - K(alpha y) by at most m C GRAM eps, the violation by twice that)."""
    c = converter(ns, dt)
    yl = np.where(X[:, 0] + 0.3 * Y > 0, 1, -1)
    kernel, C = kernels.Gaussian(0.7), 2.0
    fit = kernels.ksvm_fit(kernel, c(X), c(yl), C)
    cls = type(c(np.zeros(1)))
    assert all(isinstance(a, cls) and "float64" in str(a.dtype) for a in (fit.X, fit.y, fit.alpha))
    K64 = kernels.gram(kernel, X)
    viol = svm.kkt_violation(host(fit.alpha), yl, K64, C)
    assert fit.converged and viol <= 1e-6 + 2 * M * C * GRAM * EPS[dt]
    # the decision function of one fitted model, in every namespace
    ref = kernels.ksvm_fit(kernel, X, yl, C)
    c64 = converter(ns, "float64")
    model = kernels.KernelSVM(
        kernel, c64(ref.X), c64(ref.y), c64(ref.alpha), ref.b, ref.converged, ref.kkt_violation
    )
    got = kernels.ksvm_decision(model, c(Z))
    assert isinstance(got, cls) and "float64" in str(got.dtype)
    want = kernels.ksvm_decision(ref, Z)
    scale = max(1.0, float(np.sum(ref.alpha)))
    np.testing.assert_allclose(host(got), want, rtol=0, atol=GRAM * EPS[dt] * scale)


@pytest.mark.parametrize("dt", DTYPES)
def test_samplers_are_numpy(dt):
    """The samplers draw from a NumPy generator and return NumPy arrays of the requested dtype
    (the caller converts them): the float32 draw is the float64 draw rounded."""
    dtype = getattr(np, dt)
    for sample in (
        lambda rng, t: kernels.init_relu_weights(3, 5, rng=rng, dtype=t),
        lambda rng, t: kernels.spectral_sample(kernels.Gaussian(0.5), 3, 5, rng=rng, dtype=t),
        lambda rng, t: kernels.rff_init(kernels.Laplacian(0.5), 3, 5, rng=rng, dtype=t).omega,
    ):
        a = sample(np.random.default_rng(1), dtype)
        b = sample(np.random.default_rng(1), np.float64)
        assert isinstance(a, np.ndarray) and a.dtype == dtype
        np.testing.assert_array_equal(a, b.astype(dtype))


def test_every_public_function_is_covered():
    """Each public function taking arrays has a case above (or its own test); the samplers and
    the scalar bounds take none."""
    assert uncovered(kernels, {c.fn.__name__ for c in CASES} | {"ksvm_fit", "ksvm_decision"}) == []


@pytest.mark.parametrize("ns", ["array_api_strict", "array_api_strict_device1", "torch"])
def test_arrays_follow_the_training_inputs(ns):
    """Test points and labels of another library or device than the training inputs are refused
    by name."""
    c = converter(ns, "float64")
    other = converter("array_api_strict" if ns.endswith("device1") else "numpy", "float64")
    with pytest.raises(TypeError, match="'X_test'"):
        kernels.krr_predict(_model(c), other(Z))
    with pytest.raises(TypeError, match="'y'"):
        kernels.ksvm_fit(kernels.Gaussian(0.7), c(X), other(np.where(Y > 0, 1, -1)), 1.0)

r"""Exercise ``ex-ker-rff-variance`` (proof): the variance of the two random Fourier feature maps."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-ker-rff-variance",
    title="Random phases or cos-sin pairs?",
    hint=r"""With Delta = x - x' and sigma = x + x', one summand of z(x)^T z(x') is
S = cos(omega^T Delta) + cos(omega^T sigma + 2b). Compute E S^2 using cos^2 u = (1 + cos 2u)/2,
independence of b, and E cos(2 omega^T Delta) = kappa(2 Delta). For the paired map the summand is
cos(omega^T Delta) alone.""",
    solution=r"""Paired map: the summand C = cos(omega^T Delta) has E C = kappa(Delta) and
E C^2 = E (1 + cos(2 omega^T Delta))/2 = (1 + kappa(2 Delta))/2, so
Var C = (1 + kappa(2 Delta))/2 - kappa(Delta)^2.
Random phases: S = C + cos(omega^T sigma + 2b). Conditionally on omega, E cos(c + 2b) = 0 and
E cos^2(c + 2b) = 1/2 (two full periods), so E[C cos(omega^T sigma + 2b)] = 0 and
E S^2 = E C^2 + 1/2; Var S = Var C + 1/2 = 1 + kappa(2 Delta)/2 - kappa(Delta)^2.
At equal dimension D (D/2 frequencies for the pairs, D for the phases):
Var(paired) = 2 Var C / D = (1 + kappa(2 Delta) - 2 kappa(Delta)^2)/D and
Var(phases) = (1 + kappa(2 Delta)/2 - kappa(Delta)^2)/D; the difference paired - phases is
(kappa(2 Delta)/2 - kappa(Delta)^2)/D. For the Gaussian kernel kappa(2 Delta) = kappa(Delta)^4, and
kappa^4/2 - kappa^2 = kappa^2 (kappa^2/2 - 1) < 0 for kappa in (0, 1]: the paired map has the
smaller variance at every Delta.""",
)

r"""Exercise ``ex-gen-finite-class`` (proof): the finite-class bound from Rademacher complexity."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-gen-finite-class",
    title="The finite-class bound from Rademacher complexity",
    hint=r"""For a class of M functions with values in [0, 1], the set G o z has M points of norm at
most sqrt n. Combine Lemma lem-gen-massart with Theorem thm-gen-rademacher-bound and compare with
Theorem thm-learn-finite-class.""",
    solution=r"""Each vector (g(z_1), ..., g(z_n)) has norm <= sqrt n, and there are at most M of them, so
Lemma lem-gen-massart gives R_n(G) <= sqrt(2 log M / n). Theorem thm-gen-rademacher-bound: with
probability >= 1 - delta, E g <= E_S g + 2 sqrt(2 log M / n) + sqrt(log(1/delta) / (2n)) for all g. Theorem
thm-learn-finite-class gives the one-sided deviation sqrt(log(M/delta) / (2n)) <= sqrt(log M / (2n)) +
sqrt(log(1/delta) / (2n)): the Rademacher route loses the factor 2 sqrt 2 / (1/sqrt 2) = 4 on the log M
term (symmetrisation and Massart's lemma are not sharp for a union of M fixed functions), but it
extends to infinite classes, where the union bound has nothing to count.""",
)

r"""Exercise ``ex-sym-dft`` (proof): circular cross-correlations are diagonalised by the Fourier basis."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-sym-dft",
    title="The Fourier basis diagonalises every shift-equivariant map",
    hint=r"""Let f_xi = (exp(2 pi i xi u / n))_{u in [n]_0}. Compute (A f_xi)_i for
(Ax)_i = sum_a w_a x_{(i + a) mod n}.""",
    solution=r"""(A f_xi)_i = sum_a w_a exp(2 pi i xi (i + a)/n) = (sum_a w_a exp(2 pi i xi a / n)) (f_xi)_i,
since exp is n-periodic in the exponent's integer part. So f_xi is an eigenvector with eigenvalue
conj(hat w(xi)) for real w, hat w(xi) = sum_a w_a exp(-2 pi i xi a / n). The f_xi, xi in [n]_0, are
orthogonal (sum_u exp(2 pi i (xi - eta) u / n) = n [xi = eta]), so F = (f_0, ..., f_{n-1})/sqrt(n)
is unitary and F^* A F = diag(conj(hat w)). All shift-equivariant maps share these eigenvectors,
hence commute with each other; in two dimensions with channels, the same computation gives a
C_out x C_in matrix conj(hat W(xi)) per frequency.""",
)

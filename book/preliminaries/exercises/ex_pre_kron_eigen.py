r"""Exercise ``ex-pre-kron-eigen`` (proof): eigenvalues of a Kronecker product."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-pre-kron-eigen",
    title="Eigenvalues of a Kronecker product",
    hint=r"""Write A = U diag(a) U^T and B = V diag(b) V^T and use the mixed product to factor
A kron B = (U kron V)(diag(a) kron diag(b))(U kron V)^T.""",
    solution=r"""By the spectral theorem A = U Lambda U^T, B = V M V^T with U, V orthogonal. By
Proposition prop-kron-properties (parts 1, 2), A kron B = (U kron V)(Lambda kron M)(U^T kron V^T) =
(U kron V)(Lambda kron M)(U kron V)^T, and (U kron V)^T (U kron V) = U^T U kron V^T V = I, so
U kron V is orthogonal. Lambda kron M is diagonal with entries lambda_i mu_j. So A kron B is
orthogonally similar to diag(lambda_i mu_j): its eigenvalues are the products lambda_i mu_j
(i in [m], j in [n]), with eigenvectors u_i kron v_j. If A, B are positive definite, all
lambda_i mu_j > 0, so A kron B is positive definite.""",
)

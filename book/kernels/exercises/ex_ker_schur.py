r"""Exercise ``ex-ker-schur`` (proof): the Schur product theorem by a trace identity."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-ker-schur",
    title="The Schur product theorem through traces",
    hint=r"""Write D = diag(c). Show c^T (A o B) c = tr(D A D B^T) = tr(D A D B). Then use that for
symmetric PSD P, Q: tr(PQ) = tr(Q^{1/2} P Q^{1/2}) >= 0.""",
    solution=r"""With D = diag(c): (D A D)_{ij} = c_i A_ij c_j, so
tr(D A D B) = sum_{i,j} c_i A_ij c_j B_ji = sum_{i,j} c_i c_j A_ij B_ij = c^T (A o B) c, using
B_ji = B_ij. P = D A D is symmetric PSD (x^T D A D x = (Dx)^T A (Dx) >= 0). Let Q = B = R R with
R = B^{1/2} symmetric PSD (spectral theorem). By cyclicity, tr(P B) = tr(R P R), and R P R is PSD
(x^T R P R x = (Rx)^T P (Rx) >= 0), so its trace, the sum of its nonnegative diagonal entries
e_i^T R P R e_i, is >= 0. Hence c^T (A o B) c >= 0 for every c; A o B is symmetric, so it is PSD.""",
)

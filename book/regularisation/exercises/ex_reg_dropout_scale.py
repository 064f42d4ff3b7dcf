r"""Exercise ``ex-reg-dropout-scale`` (proof): dropout does not care about the units of a feature."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-reg-dropout-scale",
    title="Dropout is scale-invariant, ridge is not",
    hint=r"""Write the rescaled design as X S with S = Diag(s_1, ..., s_n), s_j != 0, and substitute
w = S^{-1} v in the dropout objective of prop-reg-dropout.""",
    solution=r"""The diagonal of (XS)^T(XS) is S D S. For the rescaled design the dropout objective at v is
(1/2)||XSv - y||^2 + (1-p)/(2p) v^T S D S v, which is the original objective at w = Sv. So the
minimisers correspond: v_p = S^{-1} w_p, and the predictions XS v_p = X w_p are unchanged. For ridge
the penalty (lambda/2)||v||^2 = (lambda/2) w^T S^{-2} w differs from (lambda/2)||w||^2 unless S^2 = I,
so the ridge predictions change with the units.""",
)

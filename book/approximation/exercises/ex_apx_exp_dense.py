r"""Exercise ``ex-apx-exp-dense`` (proof): exponential units by Stone–Weierstrass."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-apx-exp-dense",
    title="Exponential units are universal",
    hint=r"""Products of exponentials are exponentials: e^{<w, x> + b} e^{<w', x> + b'} is again a
unit. Which hypotheses of the Stone-Weierstrass theorem remain?""",
    solution=r"""Let K be compact. A = Sigma_d(exp) restricted to K is a linear subspace of C(K). It is
closed under products: e^{<w,x>+b} e^{<w',x>+b'} = e^{<w+w',x>+(b+b')}, and products of finite sums
are finite sums of products; so A is an algebra. It contains the constants (w = 0: e^b) and
separates points: if x != x', take w = x - x'; then <w, x> - <w, x'> = ||x - x'||^2 > 0 and
e^{<w,x>} != e^{<w,x'>}. By the Stone-Weierstrass theorem A is dense in C(K). This avoids
Theorem thm-apx-leshno; it works for exp because the units form a multiplicative semigroup, which
fails for ReLU, tanh or any bounded sigmoid.""",
)

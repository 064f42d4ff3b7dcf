r"""Exercise ``ex-cnn-circular-equivariance`` (proof): circular convolution commutes with cyclic
shifts, and so does a stack of such layers."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-cnn-circular-equivariance",
    title="Equivariance under cyclic shifts",
    hint=r"""With circular padding, xp_v = x_{(v - p) mod n}, so (Kx)_i = sum_a w_a x_{(i + da - p) mod n},
a formula that is n-periodic in i. Apply it to S_t x and use ((v mod n) - t) mod n = (v - t) mod n.""",
    solution=r"""(Kx)_i = sum_a w_a x_{(i + da - p) mod n} for i in [n]_0 (n' = n since 2p = d(k-1)).
(K S_t x)_i = sum_a w_a (S_t x)_{(i + da - p) mod n} = sum_a w_a x_{(i + da - p - t) mod n}
= (Kx)_{(i - t) mod n} = (S_t K x)_i. S_t S_t' x = S_{t+t'} x since
(S_t S_t' x)_u = x_{(u - t - t') mod n}. If A, B commute with all S_t then A B S_t = A S_t B = S_t A B;
a componentwise activation commutes with every permutation of positions, so with S_t.""",
)

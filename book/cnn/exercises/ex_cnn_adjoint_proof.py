r"""Exercise ``ex-cnn-adjoint-proof`` (proof): the adjoint of a 1-D strided, padded cross-correlation."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-cnn-adjoint-proof",
    title="The adjoint identity in one dimension",
    hint=r"""Write <Kx, y> = sum_i y_i sum_a w_a xp_{is+a}, substitute v = is + a (a position of the
padded axis), exchange the finite sums and group the terms by v. Then use xp_v = x_{v-p} inside the
image and 0 in the padding.""",
    solution=r"""<Kx, y> = sum_i y_i sum_a w_a xp_{is+a} = sum_v xp_v sum_{(i,a): is+a=v} w_a y_i
= sum_{u in [n]_0} x_u (K*y)_u with (K*y)_u = sum_{(i,a): is + a = u + p} w_a y_i.
For s = 1: i = u + p - a; with a' = k-1-a and q = k-1-p >= 0, (K*y)_u = sum_{a'} w_{k-1-a'} yhat_{u+a'}
where yhat is y zero-padded by q: the cross-correlation of yhat with the reversed kernel, of length
n' + 2q - k + 1 = n. For s = 2, k = 1, p = 0: K x = w_0 (x_0, x_2, x_4, ...) (subsampling) and
(K*y)_u = w_0 y_{u/2} for even u, 0 for odd u (upsampling by inserting zeros).""",
)

r"""Exercise ``ex-gen-svm-margin`` (proof): a margin bound for the hard-margin SVM."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-gen-svm-margin",
    title="A margin bound for the hard-margin SVM",
    hint=r"""Apply Theorem thm-gen-margin with B = 1 at the scales gamma_k = r 2^(1-k) and confidences
delta_k = delta / (k (k + 1)), k >= 1, take a union bound, and use the k with
gamma_k <= 1/||w*|| < 2 gamma_k.""",
    solution=r"""Let ||X|| <= r almost surely and consider homogeneous classifiers (append a coordinate 1
for an offset). For k >= 1 let gamma_k = r 2^(1-k) and delta_k = delta / (k (k + 1)), so that
sum_k delta_k = delta. With probability at least 1 - delta_k every w with ||w|| <= 1 satisfies
P(Y <w, X> <= 0) <= (1/n) #{i : y_i <w, x_i> < gamma_k} + 2 r / (gamma_k sqrt n) +
sqrt(log(1/delta_k) / (2n)) (Theorem thm-gen-margin with R_n <= r / sqrt n). By the union bound this
holds for all k at once with probability at least 1 - delta. For separable data the hard-margin
solution without offset w* (the problem of Theorem thm-svm-hard-margin with b = 0) gives u = w* / ||w*|| with margins y_i <u, x_i> >= 1/||w*||,
and 1/||w*|| <= r (a margin of a unit vector is at most ||x_i|| <= r). Take k >= 1 with
gamma_k <= 1/||w*|| < 2 gamma_k (it exists because gamma_1 = r): no margin is below gamma_k,
1/gamma_k < 2 ||w*||, and 2^(k-1) < 2 r ||w*||, i.e. k + 1 < log2(4 r ||w*||) + 1. Hence, with
probability at least 1 - delta,
P(Y <w*, X> <= 0) <= 4 r ||w*|| / sqrt n + sqrt((log(1/delta) + 2 log(log2(4 r ||w*||) + 1)) / (2n)),
a bound that does not depend on the dimension of the inputs.""",
)

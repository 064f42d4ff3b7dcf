"""Kernel methods: PSD kernels and Gram matrices, kernel ridge regression, the kernel SVM, random
Fourier features and random ReLU features (chapter *Kernel methods*).

The functions take arrays of any array API namespace (NumPy, PyTorch on CPU or CUDA, ...) in
float32 or float64 and return arrays of that namespace and device. The Cholesky solve of kernel
ridge regression (LAPACK) and the SMO loop of the kernel SVM run in NumPy on the host, as their
docstrings say; the samplers (``init_relu_weights``, ``spectral_sample``, ``rff_init``) draw
NumPy arrays from a NumPy generator."""

from .kernels import (
    KERNELS,
    ArcCosine,
    Gaussian,
    Kernel,
    Laplacian,
    Linear,
    Polynomial,
    PSDCheck,
    gram,
    psd_check,
    squared_distances,
)
from .krr import (
    IllConditionedWarning,
    KRRModel,
    krr_fit,
    krr_objective,
    krr_predict,
    rkhs_norm,
    shifted_solve,
)
from .ksvm import KernelSVM, ksvm_decision, ksvm_fit
from .random_features import empirical_relu_kernel, feature_ridge, init_relu_weights, relu_features
from .rff import (
    RFFParams,
    hoeffding_bound,
    rahimi_recht_bound,
    rff_features,
    rff_init,
    rff_paired_features,
    spectral_sample,
    spectral_second_moment,
)

__all__ = [
    "KERNELS",
    "ArcCosine",
    "Gaussian",
    "Kernel",
    "Laplacian",
    "Linear",
    "Polynomial",
    "PSDCheck",
    "gram",
    "psd_check",
    "squared_distances",
    "IllConditionedWarning",
    "KRRModel",
    "krr_fit",
    "krr_objective",
    "krr_predict",
    "rkhs_norm",
    "shifted_solve",
    "KernelSVM",
    "ksvm_decision",
    "ksvm_fit",
    "empirical_relu_kernel",
    "feature_ridge",
    "init_relu_weights",
    "relu_features",
    "RFFParams",
    "hoeffding_bound",
    "rahimi_recht_bound",
    "rff_features",
    "rff_init",
    "rff_paired_features",
    "spectral_sample",
    "spectral_second_moment",
]

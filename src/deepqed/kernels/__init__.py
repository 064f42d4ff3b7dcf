"""Kernel methods: PSD kernels and Gram matrices, kernel ridge regression, the kernel SVM, random
Fourier features and random ReLU features (chapter *Kernel methods*)."""

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

"""Stage 4 of 4: feature vectors become calibrated label probabilities.

A multinomial logistic regression scores each label. Its raw probabilities are then
calibrated by temperature scaling (Guo et al., 2017): one scalar ``T`` that divides the
scores, fitted to minimise log-loss on out-of-fold scores, i.e. on data the scoring model
did not see. Temperature keeps the ranking of labels (so accuracy is unchanged) and makes a
"0.8" mean about 80% right, which is what a threshold needs.

The learned state is three arrays and a number, stored as plain data.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


class CalibratedLinearModel:
    """Logistic regression with a temperature fitted on held-out folds.

    Parameters
    ----------
    C : float, default=10.0
        Inverse regularisation strength of the logistic regression.
    class_weight : "balanced" or None, default="balanced"
        Weigh labels inversely to their frequency, so rare labels are not drowned out.
    calibration_folds : int, default=3
        Folds used to get out-of-fold scores for the temperature; 0 or 1 skips calibration.
    random_state : int, default=0
        Seed of the fold split.
    """

    def __init__(self, C: float = 10.0, class_weight: str | None = "balanced",
                 calibration_folds: int = 3, random_state: int = 0):
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    def _regression(self):
        # scikit-learn is imported for learning only: predicting needs none of it.
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000,
                                  tol=1e-4)

    def fit(self, X: sp.csr_matrix, y: np.ndarray, sample_weight: np.ndarray | None = None):
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError("training needs at least two different labels")
        self.temperature_ = self._fit_temperature(X, y_idx, sample_weight)
        lr = self._regression().fit(X, y_idx, sample_weight=sample_weight)
        self.coef_, self.intercept_ = _multiclass_weights(lr, len(self.classes_))
        return self

    def _fit_temperature(self, X, y_idx, sample_weight) -> float:
        smallest = np.bincount(y_idx).min()
        folds = min(self.calibration_folds, smallest)
        if folds < 2:
            return 1.0
        from scipy.optimize import minimize_scalar
        from scipy.special import log_softmax
        from sklearn.model_selection import StratifiedKFold

        scores = np.zeros((X.shape[0], len(self.classes_)))
        split = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        for train, test in split.split(np.zeros(len(y_idx)), y_idx):
            w = None if sample_weight is None else sample_weight[train]
            if len(np.unique(y_idx[train])) < len(self.classes_):
                return 1.0
            lr = self._regression().fit(X[train], y_idx[train], sample_weight=w)
            coef, intercept = _multiclass_weights(lr, len(self.classes_))
            scores[test] = X[test] @ coef.T + intercept
        rows = np.arange(len(y_idx))

        def nll(log_t: float) -> float:
            return -log_softmax(scores / np.exp(log_t), axis=1)[rows, y_idx].mean()

        best = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
        return float(np.exp(best.x))

    def decision_function(self, X: sp.csr_matrix) -> np.ndarray:
        # The weights as (features x labels), in the memory order the sparse product reads;
        # made once, instead of a copy of the transposed weights on every call.
        of, coef_t = self.__dict__.get("_coef_t", (None, None))
        if of is not self.coef_:
            coef_t = np.ascontiguousarray(self.coef_.T)
            self._coef_t = (self.coef_, coef_t)
        return np.asarray(X @ coef_t) + self.intercept_

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_coef_t", None)  # a copy of the weights, made again when needed
        return state

    def predict_proba(self, X: sp.csr_matrix) -> np.ndarray:
        return _softmax(self.decision_function(X) / self.temperature_)

    def get_state(self) -> dict:
        return {"coef": self.coef_, "intercept": self.intercept_,
                "temperature": self.temperature_, "classes": list(self.classes_)}

    @classmethod
    def from_state(cls, config: dict, coef, intercept, temperature: float, classes) -> "CalibratedLinearModel":
        m = cls(**config)
        m.coef_ = np.asarray(coef, dtype=np.float64)
        m.intercept_ = np.asarray(intercept, dtype=np.float64)
        m.temperature_ = float(temperature)
        m.classes_ = np.asarray(classes, dtype=object)
        return m


def _softmax(scores: np.ndarray) -> np.ndarray:
    # scipy.special.softmax computes the same, but importing scipy.special costs a
    # labelling worker about 0.1 s of start-up.
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _multiclass_weights(lr, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    # With two labels scikit-learn keeps one row of weights; spread it so both get a row
    # and softmax over the rows equals the binary sigmoid.
    if n_classes == 2 and lr.coef_.shape[0] == 1:
        half = lr.coef_[0] / 2
        return np.vstack([-half, half]), np.array([-lr.intercept_[0] / 2, lr.intercept_[0] / 2])
    return lr.coef_.copy(), lr.intercept_.copy()

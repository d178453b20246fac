"""Model inputs, safest first: prediction columns, a Python object, skops, ONNX, pickle (opt-in only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from .data import sha256_file
from .errors import InputError

__all__ = ["ModelInfo", "Predictor", "load_model", "model_info_for_object"]

UNSAFE_SUFFIXES = {".pkl", ".pickle", ".joblib"}


@runtime_checkable
class Predictor(Protocol):
    """Anything with ``predict(X)``; ``predict_proba(X)`` and ``classes_`` are optional."""

    def predict(self, X: Any) -> Any: ...


@dataclass(frozen=True)
class ModelInfo:
    kind: str  # "predictions" | "object" | "skops" | "onnx" | "pickle"
    path: str | None = None
    sha256: str | None = None
    loader: str | None = None
    framework: str | None = None
    version: str | None = None
    classes: tuple[Any, ...] | None = None
    feature_names: tuple[str, ...] | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    column: str | None = None  # kind "predictions": the column the labels are read from

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "sha256": self.sha256,
            "loader": self.loader,
            "framework": self.framework,
            "version": self.version,
            "classes": [c.item() if isinstance(c, np.generic) else c for c in self.classes]
            if self.classes is not None
            else None,
            "feature_names": list(self.feature_names) if self.feature_names is not None else None,
            "warnings": list(self.warnings),
            **({"column": self.column} if self.column is not None else {}),
        }


def _feature_names(obj: Any) -> tuple[str, ...] | None:
    names = getattr(obj, "feature_names_in_", None)
    return tuple(str(n) for n in names) if names is not None else None


def _framework(obj: Any) -> tuple[str | None, str | None]:
    module = type(obj).__module__.split(".")[0]
    try:
        from importlib import metadata

        dist = {"sklearn": "scikit-learn"}.get(module, module)
        return dist, metadata.version(dist)
    except Exception:
        return module, None


def model_info_for_object(obj: Any, kind: str = "object", **extra: Any) -> ModelInfo:
    framework, version = _framework(obj)
    classes = getattr(obj, "classes_", None)
    return ModelInfo(
        kind=kind,
        loader=extra.pop("loader", "python-object"),
        framework=framework,
        version=version,
        classes=tuple(classes) if classes is not None else None,
        feature_names=_feature_names(obj),
        **extra,
    )


class OnnxPredictor:
    """``predict``/``predict_proba`` over an onnxruntime session (single tensor input, float32)."""

    def __init__(self, path: Path) -> None:
        try:
            import onnxruntime as ort
        except ImportError:
            raise InputError(
                f"{path}: ONNX models need onnxruntime: pip install 'auditor[onnx]'"
            ) from None
        try:
            self._session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise InputError(f"{path}: not a loadable ONNX model: {exc}") from None
        inputs = self._session.get_inputs()
        if len(inputs) != 1:
            raise InputError(
                f"{path}: ONNX models with {len(inputs)} inputs are not supported (need 1)"
            )
        self._input = inputs[0].name
        self.n_features = inputs[0].shape[-1] if inputs[0].shape else None
        self._outputs = [o.name for o in self._session.get_outputs()]

    def _run(self, X: Any) -> list[Any]:
        arr = np.asarray(X, dtype=np.float32)
        return list(self._session.run(None, {self._input: arr}))

    def predict(self, X: Any) -> Any:
        return np.asarray(self._run(X)[0]).ravel()

    def predict_proba(self, X: Any) -> Any:
        out = self._run(X)
        if len(out) < 2:
            raise AttributeError("this ONNX model has no probability output")
        proba = out[1]
        if isinstance(proba, list):  # skl2onnx ZipMap: list of {class: p}
            frame = pd.DataFrame(proba)
            # the ZipMap's keys are the class labels, in the order of the columns returned
            self.classes_ = np.asarray(frame.columns)
            return frame.to_numpy(dtype=float)
        return np.asarray(proba, dtype=float)


def load_model(path: str | Path, *, allow_unsafe: bool = False) -> tuple[Any, ModelInfo]:
    """Load a model artifact by extension; pickle/joblib only with ``allow_unsafe``."""
    from .paths import require_file

    p = require_file(path, "model file")  # not found, or a device/FIFO/folder: say which
    digest = sha256_file(p)
    suffix = p.suffix.lower()
    if suffix == ".skops":
        try:
            import skops.io as sio
        except ImportError as exc:  # skops, or the scikit-learn it loads
            what = "scikit-learn" if (exc.name or "").startswith("sklearn") else "skops"
            raise InputError(
                f"{p}: skops models need {what}: pip install 'auditor[skops]'"
            ) from None
        try:
            untrusted = sio.get_untrusted_types(file=p)
        except Exception as exc:
            raise InputError(f"{p}: not a readable skops file: {exc}") from None
        if untrusted:
            raise InputError(
                f"{p}: refusing to load untrusted types {', '.join(untrusted)} "
                "(skops safe loading; re-save the model with trusted types)"
            )
        try:
            obj = sio.load(p, trusted=[])
        except Exception as exc:
            raise InputError(f"{p}: cannot load skops model: {exc}") from None
        return obj, model_info_for_object(
            obj, "skops", loader="skops.io", path=str(p), sha256=digest
        )
    if suffix == ".onnx":
        onnx = OnnxPredictor(p)
        info = ModelInfo(
            kind="onnx", path=str(p), sha256=digest, loader="onnxruntime", framework="onnx"
        )
        return onnx, info
    if suffix in UNSAFE_SUFFIXES:
        if not allow_unsafe:
            raise InputError(
                f"{p}: loading {suffix} files runs arbitrary code; pass --allow-unsafe-model if you "
                "trust this file (or save the model with skops or ONNX)"
            )
        try:
            import joblib

            obj = joblib.load(p)
        except ImportError:
            import pickle

            with p.open("rb") as fh:
                obj = pickle.load(fh)  # noqa: S301 - explicit user opt-in
        except Exception as exc:
            raise InputError(f"{p}: cannot unpickle model: {exc}") from None
        warning = (
            f"model loaded with pickle from {p.name} (--allow-unsafe-model): code in it was trusted"
        )
        info = model_info_for_object(
            obj, "pickle", loader="joblib", path=str(p), sha256=digest, warnings=(warning,)
        )
        return obj, info
    raise InputError(
        f"{p}: unknown model format {suffix or '(no extension)'!r} (supported: .skops, .onnx; "
        ".pkl/.pickle/.joblib with --allow-unsafe-model)"
    )

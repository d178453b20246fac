"""The engines: open a lazy frame per engine, start (or join) a Spark session or a Dask cluster.

Pointing at a real cluster: Spark uses the active ``SparkSession`` when there is one, else
``AUDITOR_SPARK_MASTER`` (default ``local[*]``); Dask uses the current ``distributed`` client
when there is one, else ``AUDITOR_DASK_SCHEDULER`` (a scheduler address), else the local
threaded scheduler.
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from collections.abc import Sequence
from typing import Any

from ..errors import UsageError

__all__ = [
    "ENGINES",
    "LAZY_ENGINES",
    "EngineError",
    "available",
    "dask_client",
    "native_engine",
    "scan_parquet",
    "spark_session",
]

ENGINES = ("auto", "pandas", "polars", "dask", "spark")
LAZY_ENGINES = ("polars", "dask", "spark")
_MODULES = {"polars": "polars", "dask": "dask.dataframe", "spark": "pyspark"}
_EXTRAS = {"polars": "polars", "dask": "dask", "spark": "spark"}


class EngineError(UsageError):
    """An engine cannot be used (not installed, session cannot start): exit 2, names the engine."""


def available(engine: str) -> bool:
    name = _MODULES[engine]
    try:
        return importlib.util.find_spec(name.split(".")[0]) is not None and (
            importlib.util.find_spec(name) is not None
        )
    except (ImportError, ValueError):
        return False


def _need(engine: str) -> None:
    if not available(engine):
        raise EngineError(
            f"engine {engine}: not installed: pip install 'auditor[{_EXTRAS[engine]}]'"
        )


def native_engine(obj: Any) -> str | None:
    """Which engine a native dataframe object belongs to (None: not a lazy frame we know)."""
    module = type(obj).__module__.split(".")[0]
    if module == "dask" or module == "dask_expr":
        return "dask"
    if module == "pyspark":
        return "spark"
    if module == "polars":
        return "polars"
    return None


def spark_session() -> Any:
    """The active Spark session, or a new one on ``AUDITOR_SPARK_MASTER`` (default local[*])."""
    _need("spark")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = os.environ.get("AUDITOR_SPARK_MASTER", "local[*]")
    try:
        session = (
            SparkSession.builder.master(master)
            .appName("auditor")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", os.environ.get("AUDITOR_SPARK_PARTITIONS", "8"))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        return session
    except Exception as exc:
        text = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise EngineError(
            f"engine spark: cannot start a Spark session (master {master}): {text}; Spark needs a "
            "Java runtime (JAVA_HOME or java on PATH; Debian: openjdk-17-jre-headless)"
        ) from None


def dask_client() -> Any:
    """The current ``distributed`` client, or one for ``AUDITOR_DASK_SCHEDULER``, or None."""
    address = os.environ.get("AUDITOR_DASK_SCHEDULER")
    try:
        from distributed import Client, default_client
    except ImportError:
        if address:
            raise EngineError(
                "engine dask: AUDITOR_DASK_SCHEDULER is set but dask.distributed is not "
                "installed: pip install 'auditor[dask]'"
            ) from None
        return None
    try:
        return default_client()  # type: ignore[no-untyped-call]
    except ValueError:
        pass
    if not address:
        return None
    try:
        return Client(address, timeout="20s")  # type: ignore[no-untyped-call]
    except Exception as exc:
        raise EngineError(
            f"engine dask: cannot connect to the scheduler {address}: {exc}"
        ) from None


def scan_parquet(engine: str, files: Sequence[str]) -> Any:
    """A native lazy frame over ``files`` for ``engine`` (polars, dask or spark)."""
    _need(engine)
    if engine == "polars":
        import polars as pl

        return pl.scan_parquet(list(files))
    if engine == "dask":
        import dask.dataframe as dd

        dask_client()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return dd.read_parquet(list(files))
    if engine == "spark":
        spark = spark_session()
        return spark.read.parquet(*[os.path.abspath(f) for f in files])
    raise EngineError(f"engine {engine}: not a lazy engine (choose from {', '.join(LAZY_ENGINES)})")

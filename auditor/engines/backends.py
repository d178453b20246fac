"""The engines: which are installed, start (or join) a Spark session or a Dask cluster.

Pointing at a real cluster: Spark uses the active ``SparkSession`` when there is one, else
``AUDITOR_SPARK_MASTER`` (default ``local[*]``); Dask uses the current ``distributed`` client
when there is one, else ``AUDITOR_DASK_SCHEDULER`` (a scheduler address), else the local
threaded scheduler. ``--engine auto`` prefers a live session or client (:func:`live_engine`).

A Spark session auditor starts itself keeps the console clean: the JVM's own output (log4j,
executor stack traces, JVM warnings) goes to ``$TMPDIR/auditor-spark-<pid>.log`` instead of
stderr, so an error is the one line auditor prints. A session the caller started is left as is.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UsageError

__all__ = [
    "ENGINES",
    "LAZY_ENGINES",
    "EngineError",
    "available",
    "dask_client",
    "live_engine",
    "native_engine",
    "need",
    "spark_log",
    "spark_session",
]

ENGINES = ("auto", "pandas", "polars", "dask", "spark")
LAZY_ENGINES = ("polars", "dask", "spark")
#: what each lazy engine imports: its own library, narwhals (the query layer) and pyarrow
_MODULES = {
    "polars": ("polars", "narwhals", "pyarrow"),
    "dask": ("dask.dataframe", "narwhals", "pyarrow"),
    "spark": ("pyspark", "narwhals", "pyarrow"),
}
_EXTRAS = {"polars": "polars", "dask": "dask", "spark": "spark"}


class EngineError(UsageError):
    """An engine cannot be used (not installed, session cannot start): exit 2, names the engine."""


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name.split(".")[0]) is not None and (
            importlib.util.find_spec(name) is not None
        )
    except (ImportError, ValueError):
        return False


def missing_module(engine: str) -> str | None:
    """The first module ``engine`` needs that is not installed (top-level name), or None."""
    return next((m.split(".")[0] for m in _MODULES[engine] if not _importable(m)), None)


def available(engine: str) -> bool:
    return missing_module(engine) is None


def need(engine: str) -> None:
    """Exit 2 naming the missing module and the extra: ``engine polars needs narwhals: pip
    install 'auditor[polars]'``."""
    missing = missing_module(engine)
    if missing is not None:
        raise EngineError(
            f"engine {engine} needs {missing}, which is not installed: "
            f"pip install 'auditor[{_EXTRAS[engine]}]'"
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
    need("spark")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = os.environ.get("AUDITOR_SPARK_MASTER", "local[*]")
    log = spark_log()
    try:
        with _stderr_to(log):  # the JVM (started here) inherits this stderr for its lifetime
            session = (
                SparkSession.builder.master(master)
                .appName("auditor")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config(
                    "spark.sql.shuffle.partitions", os.environ.get("AUDITOR_SPARK_PARTITIONS", "8")
                )
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .getOrCreate()
            )
            session.sparkContext.setLogLevel("ERROR")
        return session
    except Exception as exc:
        text = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise EngineError(
            f"engine spark: cannot start a Spark session (master {master}): {text}{_last_line(log)}"
            "; Spark needs a Java runtime (JAVA_HOME or java on PATH; Debian: "
            "openjdk-17-jre-headless)"
        ) from None


def spark_log() -> Path:
    """Where the JVM of a Spark session started by auditor writes its console output."""
    return Path(tempfile.gettempdir()) / f"auditor-spark-{os.getpid()}.log"


@contextlib.contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Point file descriptor 2 at ``path`` while the block runs (child processes keep it)."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to redirect
        yield
        return
    try:
        sys.stderr.flush()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _last_line(log: Path) -> str:
    """The JVM's last words (e.g. ``JAVA_HOME is not set``), for the start-up error."""
    try:
        lines = [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return f" ({lines[-1][:200]}; Spark log: {log})" if lines else ""


def live_engine() -> tuple[str, str] | None:
    """(engine, what) for a live Spark session or Dask client in this process, without
    importing either library when the caller has not."""
    if "pyspark.sql" in sys.modules:
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:
            return "spark", f"an active SparkSession (master {active.sparkContext.master})"
    if "distributed" in sys.modules:
        from distributed import default_client

        try:
            client = default_client()  # type: ignore[no-untyped-call]
        except ValueError:
            return None
        address = getattr(getattr(client, "scheduler", None), "address", None) or "local"
        return "dask", f"a Dask distributed Client (scheduler {address})"
    return None


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

"""Analytics engines for the indicators: embedded DuckDB (default) and Spark, both through Ibis.

The indicators (:mod:`skillpass.intelligence.indicators`) are Ibis expressions; an *engine* is
an Ibis backend plus the store's Parquet folders opened as tables on it. Nothing here writes SQL.

* ``duckdb`` — embedded, in-process, capped at ``Settings.intel_memory_limit`` and spilling to
  ``Settings.intel_temp_directory`` past the cap (DuckDB's out-of-core operators).
* ``spark`` — PySpark through ``ibis.pyspark``, a ``SparkSession`` on ``Settings.spark_master``
  (``local[*]`` by default; a cluster URL runs the same expressions distributed). Needs the
  ``spark`` extra and Java 17; without them :func:`connect` says what to install.

Store layout (the contract with ingestion, ``docs/intelligence.md``): ``adverts/*.parquet``,
``advert_skills/*.parquet``, ``skill_areas.parquet``.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.errors import ConfigurationError, NotFound

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

    from skillpass.config import Settings

__all__ = [
    "Engine",
    "EngineName",
    "StoreTables",
    "connect",
    "connect_duckdb",
    "connect_spark",
    "open_store",
    "spark_available",
]


class EngineName(StrEnum):
    """Engines the indicators run on."""

    DUCKDB = "duckdb"
    SPARK = "spark"


@contextmanager
def _quiet_pandas() -> Iterator[None]:
    import pandas as pd

    category: type[Warning] = getattr(pd.errors, "Pandas4Warning", FutureWarning)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("ignore", message=r"fetch_arrow_table\(\) is deprecated")
        yield


@dataclass
class Engine:
    """An Ibis backend ready for the indicators, and how to release it."""

    name: EngineName
    backend: BaseBackend
    spark_session: Any | None = None

    def to_pandas(self, expr: ir.Table) -> Any:
        """Execute ``expr`` and return a pandas frame (through Arrow on both engines).

        PySpark 4's ``toPandas`` and Ibis call pandas options that pandas 3 deprecates; those
        library-internal warnings are silenced here and only here.
        """
        import pandas as pd
        import pyarrow as pa

        integers = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype()}
        with _quiet_pandas():
            return self.backend.to_pyarrow(expr).to_pandas(types_mapper=integers.get)

    def scalar(self, expr: ir.Scalar) -> Any:
        """Execute a scalar expression and return a Python value."""
        with _quiet_pandas():
            return self.backend.to_pyarrow(expr).as_py()

    def close(self) -> None:
        """Release the connection (DuckDB) or stop the Spark session this engine started."""
        if self.spark_session is not None:
            self.spark_session.stop()
            self.spark_session = None
        elif self.name is EngineName.DUCKDB:  # a Spark session we did not start stays up
            disconnect = getattr(self.backend, "disconnect", None)
            if callable(disconnect):
                disconnect()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class StoreTables:
    """The store's tables as Ibis tables on one backend.

    Attributes:
        advert_skills: One row per advert × skill.
        adverts: One row per advert (the denominators); None: derived from ``advert_skills``
            (adverts without any skill are then not counted).
        skill_areas: Skill → capability area; None: capability-area indicators are refused.
    """

    advert_skills: ir.Table
    adverts: ir.Table | None = None
    skill_areas: ir.Table | None = None


def _temp_directory(settings: Settings) -> Path:
    return settings.intel_temp_directory or settings.data_dir / "intelligence" / "tmp"


def connect_duckdb(settings: Settings, *, database: str = ":memory:") -> Engine:
    """An embedded DuckDB with the configured memory cap, threads and spill folder.

    Args:
        settings: Reads ``intel_memory_limit``, ``intel_temp_directory``, ``intel_threads``.
        database: DuckDB database file; in memory by default (the data stays in Parquet).

    Returns:
        The engine; close it when done.
    """
    import ibis

    temp = _temp_directory(settings)
    temp.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {
        "memory_limit": settings.intel_memory_limit,
        "temp_directory": str(temp),
        # order-insensitive aggregation lets DuckDB stream and spill more
        "preserve_insertion_order": False,
    }
    if settings.intel_threads:
        config["threads"] = settings.intel_threads
    backend = ibis.duckdb.connect(database, **config)
    return Engine(EngineName.DUCKDB, backend)


def spark_available() -> str | None:
    """Why Spark cannot run here, or None when PySpark and Java are both present."""
    try:
        import ibis.backends.pyspark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return (
            "PySpark is not installed: install the spark extra (pip install 'skillpass[spark]') "
            "or use --engine duckdb."
        )
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and (Path(java_home) / "bin" / "java").exists()) and not shutil.which("java"):
        return (
            "Spark needs Java 17 and none was found: install a JDK 17 (or set JAVA_HOME), "
            "or use --engine duckdb."
        )
    return None


def connect_spark(settings: Settings, *, app_name: str = "skillpass-indicators") -> Engine:
    """A Spark session on ``settings.spark_master`` wrapped in Ibis's PySpark backend.

    The session uses UTC and a modest shuffle-partition count for ``local`` masters (the
    default 200 partitions only add overhead on one machine).

    Args:
        settings: Reads ``spark_master``.
        app_name: Name shown in the Spark UI.

    Returns:
        The engine; close it to stop the session.

    Raises:
        ConfigurationError: PySpark or Java is missing (the message says what to install).
    """
    problem = spark_available()
    if problem:
        raise ConfigurationError(problem)
    import ibis
    from pyspark.sql import SparkSession

    master = settings.spark_master
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.ansi.enabled", "false")
    )
    if master.startswith("local"):
        builder = builder.config("spark.sql.shuffle.partitions", "8").config(
            "spark.driver.memory", "2g"
        )
    try:
        session = builder.getOrCreate()
    except Exception as error:  # the JVM did not start: name the cause, never a traceback
        raise ConfigurationError(
            f"Spark could not start on {master}: {str(error)[:300]}. Check Java 17 "
            "(java -version) and SKILLPASS_SPARK_MASTER, or use --engine duckdb."
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return Engine(EngineName.SPARK, ibis.pyspark.connect(session), spark_session=session)


def connect(settings: Settings, engine: EngineName | str = EngineName.DUCKDB) -> Engine:
    """Connect the named engine (``duckdb`` or ``spark``).

    Raises:
        InvalidInput: Unknown engine name.
        ConfigurationError: Spark asked for but not usable here.
    """
    from skillpass.errors import InvalidInput

    try:
        name = EngineName(engine)
    except ValueError:
        raise InvalidInput(f"Unknown engine '{engine}': use duckdb or spark.") from None
    if name is EngineName.SPARK:
        return connect_spark(settings)
    return connect_duckdb(settings)


def _parquet_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.parquet") if p.is_file())


def _read(engine: Engine, files: list[Path], name: str) -> ir.Table:
    backend: Any = engine.backend
    if engine.name is EngineName.SPARK:
        # Spark takes one path or glob: the folder's *.parquet (or the single file)
        folder = files[0].parent
        path = str(files[0]) if len(files) == 1 else str(folder / "*.parquet")
        return backend.read_parquet(path, table_name=name)
    return backend.read_parquet([str(p) for p in files], table_name=name)


def open_store(engine: Engine, store: Path) -> StoreTables:
    """Open a store's Parquet folders as Ibis tables on ``engine`` (nothing is read yet).

    Args:
        engine: From :func:`connect`.
        store: The store folder (``adverts/``, ``advert_skills/``, ``skill_areas.parquet``).

    Returns:
        The tables.

    Raises:
        NotFound: No ``advert_skills`` Parquet files in ``store``.
    """
    skills_files = _parquet_files(store / "advert_skills")
    if not skills_files:
        raise NotFound(
            f"No advert_skills/*.parquet in {store}: ingest adverts first "
            "(skillpass intel ingest FILE, or skillpass intel generate for synthetic ones)."
        )
    advert_files = _parquet_files(store / "adverts")
    areas_file = store / "skill_areas.parquet"
    with _quiet_pandas():
        return StoreTables(
            advert_skills=_read(engine, skills_files, "advert_skills"),
            adverts=_read(engine, advert_files, "adverts") if advert_files else None,
            skill_areas=(
                _read(engine, [areas_file], "skill_areas") if areas_file.exists() else None
            ),
        )

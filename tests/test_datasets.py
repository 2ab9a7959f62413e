"""The research data library: descriptor valid, checksums right, tables load typed and cited,
and every table re-derives byte for byte from the publishers' files in ../shared/data."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from typer.testing import CliRunner

from course import data
from course.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
BUILD = DATASETS / "build"
SHARED_DATA = ROOT.parent / "shared" / "data"
NO_SHARED = "../shared/data not present (users' clones lack it)"

DESCRIPTOR = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}
SCRIPTS = sorted(p.stem for p in BUILD.glob("*.py")
                 if p.name != "package.py" and not p.name.startswith("_"))

PANDAS_KIND = {"integer": "i", "number": "f", "boolean": "b"}


def _script(name: str) -> ModuleType:
    sys.path.insert(0, str(BUILD))
    spec = importlib.util.spec_from_file_location(f"rta_build_{name}", BUILD / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_frictionless_validate() -> None:
    from frictionless import validate

    report = validate(DATASETS / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_descriptor_up_to_date_and_every_script_packaged() -> None:
    package = _script("package")
    assert package.descriptor() == (DATASETS / "datapackage.json").read_text(encoding="utf-8"), \
        "datapackage.json is stale: run python datasets/build/package.py"
    assert sorted(RESOURCES) == SCRIPTS


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_checksum_and_metadata(name: str) -> None:
    meta = RESOURCES[name]
    raw = (DATASETS / meta["path"]).read_bytes()
    assert meta["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert meta["bytes"] == len(raw)
    assert b"\r" not in raw, "CSV must have \\n line endings"
    for key in ("title", "description", "derivation", "citation", "years"):
        assert meta.get(key), f"{name}: {key} missing"
    modules = {int(d.name[1:3]) for d in (DATASETS.parent / "modules").glob("m[0-9][0-9]_*") if d.is_dir()}
    assert meta["modules"] and set(meta["modules"]) <= modules, f"{name}: modules {meta['modules']}"
    assert meta["licenses"] and all(lic.get("title") or lic.get("name") for lic in meta["licenses"])
    for s in meta["sources"]:
        assert s.get("title") and s.get("publisher"), f"{name}: source lacks title/publisher"


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_load_typed_and_cited(name: str) -> None:
    df = data.load(name)
    meta = RESOURCES[name]
    assert len(df) == meta["rows"]
    assert list(df.columns) == [f["name"] for f in meta["schema"]["fields"]]
    for f in meta["schema"]["fields"]:
        col = df[f["name"]]
        if f["type"] in PANDAS_KIND:
            assert col.dtype.kind == PANDAS_KIND[f["type"]] or (
                f["type"] == "integer" and str(col.dtype) == "Int64") or (
                f["type"] == "boolean" and str(col.dtype) == "boolean"), (f["name"], col.dtype)
        elif f.get("constraints", {}).get("enum"):
            assert isinstance(col.dtype, pd.CategoricalDtype)
        else:
            assert pd.api.types.is_string_dtype(col.dtype), (f["name"], col.dtype)
        if f.get("constraints", {}).get("required"):
            assert col.notna().all(), f"{name}.{f['name']} has missing values"
    assert not df.duplicated(meta["schema"]["primaryKey"]).any()
    for key in ("citation", "source", "licence"):
        assert df.attrs[key], f"{name}: df.attrs[{key!r}] empty"
    assert data.cite(name) == df.attrs["citation"]
    if "iso3" in df.columns:
        assert df["iso3"].dropna().str.fullmatch(r"[A-Z]{3}").all()


def test_unknown_name_lists_close_names() -> None:
    with pytest.raises(KeyError) as err:
        data.load("mse_overlp")
    assert "mse_overlap" in str(err.value)
    with pytest.raises(data.UnknownDatasetError, match="did you mean"):
        data.cite("mse_list")


def test_missing_csv_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "datapackage.json").write_text(json.dumps(DESCRIPTOR), encoding="utf-8")
    monkeypatch.setattr(data, "data_dir", lambda: tmp_path)
    with pytest.raises(data.MissingDataFileError, match="mse_overlap.csv"):
        data.load("mse_overlap")


@pytest.mark.parametrize("name", SCRIPTS)
def test_rederive(name: str) -> None:
    module = _script(name)
    if module.RAW is None:
        raw = None
    else:
        if not SHARED_DATA.is_dir():
            pytest.skip(NO_SHARED)
        raw = SHARED_DATA / module.RAW
    common = _script("_common")
    fresh = common.csv_bytes(module.derive(raw), module.RESOURCE)
    committed = (DATASETS / f"{name}.csv").read_bytes()
    assert fresh == committed, f"re-run python datasets/build/{name}.py (derivation changed)"


def test_cli_list_and_info() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["data", "list"])
    assert result.exit_code == 0, result.output
    for name in RESOURCES:
        assert name in result.output
    result = runner.invoke(app, ["data", "info", "mse_overlap"])
    assert result.exit_code == 0, result.output
    assert "pattern" in result.output and "GPL" in result.output
    result = runner.invoke(app, ["data", "info", "mse_overlp"])
    assert result.exit_code == 1
    assert "mse_overlap" in result.output


# --- table-specific facts ----------------------------------------------------------------------

def test_mse_totals() -> None:
    df = data.load("mse_overlap")
    totals = df.groupby("dataset", observed=True)["count"].sum().to_dict()
    assert totals == {"uk_2013_6lists": 2744, "uk_2013_5lists": 2744, "uk_2013_4lists": 2428,
                      "netherlands_2010_2015": 8234, "netherlands_5lists": 8234,
                      "new_orleans": 185, "new_orleans_5lists": 185, "western_us": 345}
    uk = df[df["dataset"] == "uk_2013_6lists"].set_index("pattern")["count"]
    assert len(uk) == 25 and uk["NG+PF"] == 56 and uk["LA+NG+PF+GO"] == 1
    lists = data.load("mse_lists")
    uk_lists = lists[lists["dataset"] == "uk_2013_6lists"].sort_values("list_order")
    assert list(uk_lists["list_code"]) == ["LA", "NG", "PF", "GO", "GP", "NCA"]
    # Every code in a pattern is one of the dataset's lists.
    codes = lists.groupby("dataset", observed=True)["list_code"].agg(set).to_dict()
    for ds, pattern in zip(df["dataset"], df["pattern"], strict=True):
        assert set(pattern.split("+")) <= codes[ds], (ds, pattern)


def _maybe(name: str) -> pd.DataFrame:
    if name not in RESOURCES:
        pytest.skip(f"{name} not built yet")
    return data.load(name)


@pytest.mark.parametrize("name", ["unodc_detected_victims", "unodc_criminal_justice"])
def test_unodc_suppressed_is_nan_never_zero(name: str) -> None:
    df = _maybe(name)
    sup = df[df["suppressed"]]
    assert len(sup) > 1000
    assert sup["value"].isna().all()
    assert (df["value"].dropna() >= 1).all(), "no zero (or negative) counts: <5 is not 0"
    assert df.loc[df["ambiguous"], "value"].isna().all()
    assert df.loc[df["ambiguous"], "published_values"].notna().all()
    known = df[~df["suppressed"] & ~df["ambiguous"]]
    assert known["value"].notna().all()


def test_unodc_known_cells() -> None:
    df = _maybe("unodc_detected_victims")
    alb = df[(df["iso3"] == "ALB") & (df["year"] == 2017) & (df["sex"] == "Total")
             & (df["form"] == "Other forms of exploitation")].set_index("age_group")
    assert alb.loc["0-17", "value"] == 48 and alb.loc["18+", "value"] == 7
    assert alb.loc["Total", "ambiguous"] and alb.loc["Total", "published_values"].count("<5") == 2


def test_ilab_goods_counts_match_provenance() -> None:
    df = _maybe("ilab_goods")
    counts = df.groupby("edition")[["child_labour", "forced_labour", "forced_child_labour",
                                    "derived"]].sum()
    assert counts.loc[2016].tolist() == [345, 103, 54, 0]
    assert counts.loc[2022].tolist() == [414, 121, 54, 10]
    assert df.groupby("edition").size().to_dict() == {2016: 379, 2018: 418, 2020: 437, 2022: 467}
    polysilicon = df[(df["edition"] == 2022) & (df["good"] == "Polysilicon")]
    assert "Solar Modules" in polysilicon["downstream_goods"].iloc[0]


def test_ilab_country_stats_carried_forward() -> None:
    df = _maybe("ilab_country_stats")
    india = df[df["iso3"] == "IND"].set_index("reporting_year")
    assert (india["pct_working_5_14"] == 1.4).all()  # the same survey value in every year
    assert not india.loc[2016, "carried_forward"] and india.loc[2017:, "carried_forward"].all()
    assert (india["first_reported_year"] == 2016).all()
    assert df[["pct_working_5_14", "pct_attending_school_5_14",
               "pct_combining_work_school_7_14"]].max().max() <= 100


def test_unicef_child_labour_values() -> None:
    df = _maybe("unicef_child_labour").set_index("country")
    assert (df["area_type"] == "country").sum() == 202
    assert df.loc["Afghanistan", "total_pct"] == 13.0 and df.loc["Afghanistan", "iso3"] == "AFG"
    assert df.loc["Barbados", "reference_years"] == "outside 2013-2021"
    assert pd.isna(df.loc["World", "total_pct"])  # '-' in the table: missing, not zero


def test_tip_tiers() -> None:
    df = _maybe("tip_tiers")
    assert df.groupby("year").size().loc[2001] == 79
    assert set(df["tier"].cat.categories) == {"1", "2", "2WL", "3", "special case"}
    assert not ((df["year"] < 2004) & (df["tier"] == "2WL")).any()  # Watch List began in 2004
    assert df["tier_order"].isna().sum() == (df["tier"] == "special case").sum()


@pytest.mark.parametrize("name", ["ctdc_victims", "ctdc_relationship", "ctdc_regions"])
def test_ctdc_tables_are_marked_synthetic(name: str) -> None:
    df = _maybe(name)
    assert df["count"].sum() == 21195  # every synthetic record counted once
    assert df.attrs["synthetic"] is True
    meta = data.info(name)
    for text in (meta["title"], meta["description"], meta["citation"]):
        assert "SYNTHETIC" in text


def test_installed_layout_finds_course_datasets(tmp_path: Path) -> None:
    """A wheel carries the tables in course/_datasets/ (pyproject force-include)."""
    import shutil

    pkg = tmp_path / "course"
    pkg.mkdir()
    shutil.copy(ROOT / "course" / "data.py", pkg / "data.py")
    shutil.copytree(DATASETS, pkg / "_datasets", ignore=shutil.ignore_patterns("build"))
    spec = importlib.util.spec_from_file_location("installed_course_data", pkg / "data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.data_dir() == pkg / "_datasets"
    assert len(module.load("mse_overlap")) == RESOURCES["mse_overlap"]["rows"]

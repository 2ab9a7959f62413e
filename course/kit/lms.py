"""Learning management systems: an IMS Common Cartridge 1.3 for Canvas or Moodle, nbgitpuller
links for JupyterHub, and grade exports in Canvas's and Moodle's CSV import formats."""

from __future__ import annotations

import csv
import html
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

CC_NS = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM_NS = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
WL_NS = "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3"
ASSIGN_NS = "http://www.imsglobal.org/xsd/imscc_extensions/assignment"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATIONS = (
    f"{CC_NS} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd "
    f"{LOM_NS} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd"
)
RESOURCE_TYPES = {"webcontent", "imswl_xmlv1p3", "assignment_xmlv1p0",
                  "associatedcontent/imscc_xmlv1p3/learning-application-resource"}


@dataclass
class Page:
    title: str
    html: str


@dataclass
class Assignment:
    ident: str
    title: str
    points: float
    notebook: Path  # student notebook shipped inside the cartridge
    instructions: str


@dataclass
class ModuleItems:
    title: str
    pages: list[Page]
    links: list[tuple[str, str]]  # (title, url)
    assignments: list[Assignment]


def gitpuller_link(hub_url: str, repo_url: str, branch: str, path: str) -> str:
    """One-click JupyterHub link (nbgitpuller): clone or update the repo, open the notebook."""
    repo_dir = repo_url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = urlencode({"repo": repo_url, "branch": branch,
                       "urlpath": f"lab/tree/{repo_dir}/{path}"}, quote_via=quote)
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    e = ET.SubElement(parent, tag, attrs)
    if text is not None:
        e.text = text
    return e


def write_cartridge(path: Path, course_title: str, licence: str, modules: list[ModuleItems]) -> Path:
    """An IMS CC 1.3 package: module pages (webcontent), web links, assignments with the
    student notebook attached, in one rooted organisation per module."""
    ET.register_namespace("", CC_NS)
    ET.register_namespace("lomimscc", LOM_NS)
    ET.register_namespace("xsi", XSI)
    q = lambda ns, tag: f"{{{ns}}}{tag}"  # noqa: E731
    manifest = ET.Element(q(CC_NS, "manifest"), {"identifier": "rta_mooc_export",
                                                 q(XSI, "schemaLocation"): SCHEMA_LOCATIONS})
    meta = _el(manifest, q(CC_NS, "metadata"))
    _el(meta, q(CC_NS, "schema"), "IMS Common Cartridge")
    _el(meta, q(CC_NS, "schemaversion"), "1.3.0")
    lom = _el(meta, q(LOM_NS, "lom"))
    general = _el(lom, q(LOM_NS, "general"))
    _el(_el(general, q(LOM_NS, "title")), q(LOM_NS, "string"), course_title, language="en")
    rights = _el(lom, q(LOM_NS, "rights"))
    _el(_el(rights, q(LOM_NS, "copyrightAndOtherRestrictions")), q(LOM_NS, "value"), "yes")
    _el(_el(rights, q(LOM_NS, "description")), q(LOM_NS, "string"), licence, language="en")

    orgs = _el(manifest, q(CC_NS, "organizations"))
    org = _el(orgs, q(CC_NS, "organization"), identifier="org_1", structure="rooted-hierarchy")
    root = _el(org, q(CC_NS, "item"), identifier="root")
    resources = _el(manifest, q(CC_NS, "resources"))
    files: dict[str, bytes] = {}
    counter = 0

    def ident(prefix: str) -> str:
        nonlocal counter
        counter += 1
        return f"{prefix}_{counter:03d}"

    for module in modules:
        m_item = _el(root, q(CC_NS, "item"), identifier=ident("module"))
        _el(m_item, q(CC_NS, "title"), module.title)
        for page in module.pages:
            rid = ident("page")
            href = f"pages/{rid}.html"
            files[href] = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                           f"<title>{html.escape(page.title)}</title></head><body>{page.html}"
                           "</body></html>").encode()
            res = _el(resources, q(CC_NS, "resource"), identifier=rid, type="webcontent", href=href)
            _el(res, q(CC_NS, "file"), href=href)
            item = _el(m_item, q(CC_NS, "item"), identifier=ident("item"), identifierref=rid)
            _el(item, q(CC_NS, "title"), page.title)
        for title, url in module.links:
            rid = ident("link")
            href = f"links/{rid}.xml"
            wl = ET.Element(f"{{{WL_NS}}}webLink")
            _el(wl, f"{{{WL_NS}}}title", title)
            _el(wl, f"{{{WL_NS}}}url", href=url, target="_blank")
            files[href] = ET.tostring(wl, xml_declaration=True, encoding="UTF-8")
            res = _el(resources, q(CC_NS, "resource"), identifier=rid, type="imswl_xmlv1p3")
            _el(res, q(CC_NS, "file"), href=href)
            item = _el(m_item, q(CC_NS, "item"), identifier=ident("item"), identifierref=rid)
            _el(item, q(CC_NS, "title"), title)
        for a in module.assignments:
            rid = ident("assignment")
            href = f"assignments/{a.ident}/assignment.xml"
            nb_href = f"assignments/{a.ident}/{a.notebook.name}"
            files[nb_href] = a.notebook.read_bytes()
            asg = ET.Element(f"{{{ASSIGN_NS}}}assignment", identifier=rid)
            _el(asg, f"{{{ASSIGN_NS}}}title", a.title)
            _el(asg, f"{{{ASSIGN_NS}}}text", a.instructions, texttype="text/html")
            atts = _el(asg, f"{{{ASSIGN_NS}}}attachments")
            _el(atts, f"{{{ASSIGN_NS}}}attachment", href=a.notebook.name, role="Learner")
            _el(asg, f"{{{ASSIGN_NS}}}gradable", "true", points_possible=f"{a.points:g}")
            subs = _el(asg, f"{{{ASSIGN_NS}}}submission_formats")
            _el(subs, f"{{{ASSIGN_NS}}}format", type="file")
            files[href] = ET.tostring(asg, xml_declaration=True, encoding="UTF-8")
            res = _el(resources, q(CC_NS, "resource"), identifier=rid,
                      type="assignment_xmlv1p0", href=href)
            _el(res, q(CC_NS, "file"), href=href)
            _el(res, q(CC_NS, "file"), href=nb_href)
            item = _el(m_item, q(CC_NS, "item"), identifier=ident("item"), identifierref=rid)
            _el(item, q(CC_NS, "title"), a.title)

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", ET.tostring(manifest, xml_declaration=True, encoding="UTF-8"))
        for name, data in sorted(files.items()):
            zf.writestr(name, data)
    return path


def check_cartridge(path: Path) -> list[str]:
    """Structural rules of IMS CC 1.3 (the XSDs are not available from a package registry):
    manifest at the root, schema and version, unique identifiers, every item reference and
    every file resolves, known resource types, weblinks and assignments are well formed."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "imsmanifest.xml" not in names:
            return ["imsmanifest.xml is not at the root of the package"]
        root = ET.fromstring(zf.read("imsmanifest.xml"))
        ns = {"cc": CC_NS, "lom": LOM_NS}
        if root.tag != f"{{{CC_NS}}}manifest":
            problems.append(f"root element is {root.tag}, not the CC 1.3 manifest")
        if root.findtext("cc:metadata/cc:schema", namespaces=ns) != "IMS Common Cartridge":
            problems.append("metadata/schema is not 'IMS Common Cartridge'")
        if root.findtext("cc:metadata/cc:schemaversion", namespaces=ns) != "1.3.0":
            problems.append("metadata/schemaversion is not 1.3.0")
        if not root.findtext("cc:metadata/lom:lom/lom:general/lom:title/lom:string", namespaces=ns):
            problems.append("the cartridge has no LOM title")
        ids = [i for e in root.iter() if (i := e.get("identifier"))]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            problems.append(f"duplicate identifiers: {sorted(dupes)}")
        resources = {r.get("identifier"): r for r in root.iterfind(".//cc:resources/cc:resource", ns)}
        orgs = root.findall("cc:organizations/cc:organization", ns)
        if len(orgs) != 1 or orgs[0].get("structure") != "rooted-hierarchy":
            problems.append("there must be one organization with structure='rooted-hierarchy'")
        for item in root.iterfind(".//cc:item", ns):
            ref = item.get("identifierref")
            if ref and ref not in resources:
                problems.append(f"item {item.get('identifier')} refers to missing resource {ref}")
            if item.get("identifier") != "root" and not item.findtext("cc:title", namespaces=ns):
                problems.append(f"item {item.get('identifier')} has no title")
        for rid, res in resources.items():
            rtype = res.get("type")
            if rtype not in RESOURCE_TYPES:
                problems.append(f"resource {rid} has unknown type {rtype}")
            hrefs = [f.get("href", "") for f in res.iterfind("cc:file", ns)]
            if not hrefs:
                problems.append(f"resource {rid} lists no file")
            for href in hrefs:
                if href not in names:
                    problems.append(f"resource {rid}: file {href} is missing from the package")
                if href.startswith("/") or ".." in href.split("/"):
                    problems.append(f"resource {rid}: file path {href} must be relative and inside")
            if not hrefs or hrefs[0] not in names:
                continue
            if rtype == "imswl_xmlv1p3":
                wl = ET.fromstring(zf.read(hrefs[0]))
                url = wl.find(f"{{{WL_NS}}}url")
                if (wl.tag != f"{{{WL_NS}}}webLink" or url is None
                        or not url.get("href", "").startswith("http")):
                    problems.append(f"weblink {rid} is not a valid imswl_v1p3 webLink")
            if rtype == "assignment_xmlv1p0":
                asg = ET.fromstring(zf.read(hrefs[0]))
                if asg.find(f"{{{ASSIGN_NS}}}title") is None:
                    problems.append(f"assignment {rid} has no title")
                for att in asg.iter(f"{{{ASSIGN_NS}}}attachment"):
                    target = str(Path(hrefs[0]).parent / att.get("href", ""))
                    if target not in names:
                        problems.append(f"assignment {rid}: attachment {target} missing")
    return problems


# --- grades ---------------------------------------------------------------------------


def gradebook_rows(db_url: str) -> tuple[list[str], list[dict]]:
    """(assignment names, one row per student with scores per assignment) from nbgrader."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        assignments = [a.name for a in gb.assignments]
        rows = []
        for student in gb.students:
            row = {"id": student.id, "first": student.first_name or "", "last": student.last_name or "",
                   "email": student.email or "", "lms_user_id": student.lms_user_id or "",
                   "scores": {}}
            for a in assignments:
                try:
                    sub = gb.find_submission(a, student.id)
                    row["scores"][a] = sub.score
                except Exception:  # no submission: left blank, never zero
                    row["scores"][a] = None
            rows.append(row)
        max_scores = {a.name: a.max_score for a in gb.assignments}
    return assignments, [dict(r, max_scores=max_scores) for r in rows]


def write_canvas_csv(db_url: str, out: Path) -> Path:
    """Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one
    column per assignment; the second row holds Points Possible."""
    assignments, rows = gradebook_rows(db_url)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments])
        maxes = rows[0]["max_scores"] if rows else {}
        w.writerow(["Points Possible", "", "", "", "", *[f"{maxes.get(a, 0):g}" for a in assignments]])
        for r in rows:
            name = f"{r['last']}, {r['first']}".strip(", ") or r["id"]
            w.writerow([name, r["lms_user_id"], r["id"], r["email"] or r["id"], "",
                        *["" if r["scores"][a] is None else f"{r['scores'][a]:g}" for a in assignments]])
    return out


def write_moodle_csv(db_url: str, out: Path) -> Path:
    """Moodle grade import (CSV): an identifier column to map users on (ID number = the
    nbgrader student id; email when known), then one column per grade item."""
    assignments, rows = gradebook_rows(db_url)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ID number", "Email address", "First name", "Last name", *assignments])
        for r in rows:
            w.writerow([r["id"], r["email"], r["first"], r["last"],
                        *["" if r["scores"][a] is None else f"{r['scores'][a]:g}" for a in assignments]])
    return out

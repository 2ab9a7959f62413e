"""An IMS Common Cartridge 1.3 for Canvas or Moodle: each module's overview page, a link to
the module in the course book, and its assignment with the student notebook attached; and a
checker of the package's structural rules."""

from __future__ import annotations

import html
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from course.archive import write_zip
from course.authoring.exercise import read_exercise
from course.identity import LICENCES, course_identity
from course.kit.texts import overview, section, title
from course.paths import Layout

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
INSTRUCTIONS = ("<p>Open the attached notebook in Jupyter, complete it, run the self-check cell "
                "and submit the .ipynb file.</p>")


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


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    e = ET.SubElement(parent, tag, attrs)
    if text is not None:
        e.text = text
    return e


def _xml(element: ET.Element) -> bytes:
    return ET.tostring(element, xml_declaration=True, encoding="UTF-8")


@dataclass
class _Package:
    """The manifest being built and the files that go beside it."""

    resources: ET.Element
    files: dict[str, bytes] = field(default_factory=dict)
    counter: int = 0

    def ident(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter:03d}"

    def add(self, parent: ET.Element, item_title: str, rid: str, rtype: str, href: str,
            extra: tuple[str, ...] = (), main_href: bool = True) -> None:
        """A resource of `rtype` (its files `href` and `extra`) and the item that shows it."""
        attrs = {"identifier": rid, "type": rtype, **({"href": href} if main_href else {})}
        res = _el(self.resources, q(CC_NS, "resource"), **attrs)
        for h in (href, *extra):
            _el(res, q(CC_NS, "file"), href=h)
        item = _el(parent, q(CC_NS, "item"), identifier=self.ident("item"), identifierref=rid)
        _el(item, q(CC_NS, "title"), item_title)


def _manifest(course_title: str, licence: str) -> tuple[ET.Element, ET.Element, ET.Element]:
    """(manifest, the organisation's root item, resources)."""
    ET.register_namespace("", CC_NS)
    ET.register_namespace("lomimscc", LOM_NS)
    ET.register_namespace("xsi", XSI)
    manifest = ET.Element(q(CC_NS, "manifest"), {"identifier": "rta_mooc_export",
                                                 q(XSI, "schemaLocation"): SCHEMA_LOCATIONS})
    meta = _el(manifest, q(CC_NS, "metadata"))
    _el(meta, q(CC_NS, "schema"), "IMS Common Cartridge")
    _el(meta, q(CC_NS, "schemaversion"), "1.3.0")
    lom = _el(meta, q(LOM_NS, "lom"))
    _el(_el(_el(lom, q(LOM_NS, "general")), q(LOM_NS, "title")), q(LOM_NS, "string"), course_title,
        language="en")
    rights = _el(lom, q(LOM_NS, "rights"))
    _el(_el(rights, q(LOM_NS, "copyrightAndOtherRestrictions")), q(LOM_NS, "value"), "yes")
    _el(_el(rights, q(LOM_NS, "description")), q(LOM_NS, "string"), licence, language="en")
    orgs = _el(manifest, q(CC_NS, "organizations"))
    org = _el(orgs, q(CC_NS, "organization"), identifier="org_1", structure="rooted-hierarchy")
    root = _el(org, q(CC_NS, "item"), identifier="root")
    return manifest, root, _el(manifest, q(CC_NS, "resources"))


def _assignment_xml(rid: str, a: Assignment) -> bytes:
    asg = ET.Element(q(ASSIGN_NS, "assignment"), identifier=rid)
    _el(asg, q(ASSIGN_NS, "title"), a.title)
    _el(asg, q(ASSIGN_NS, "text"), a.instructions, texttype="text/html")
    atts = _el(asg, q(ASSIGN_NS, "attachments"))
    _el(atts, q(ASSIGN_NS, "attachment"), href=a.notebook.name, role="Learner")
    _el(asg, q(ASSIGN_NS, "gradable"), "true", points_possible=f"{a.points:g}")
    _el(_el(asg, q(ASSIGN_NS, "submission_formats")), q(ASSIGN_NS, "format"), type="file")
    return _xml(asg)


def write_cartridge(path: Path, course_title: str, licence: str, modules: list[ModuleItems]) -> Path:
    """An IMS CC 1.3 package: module pages (webcontent), web links, assignments with the
    student notebook attached, in one rooted organisation per module."""
    manifest, root, resources = _manifest(course_title, licence)
    pkg = _Package(resources)
    for module in modules:
        m_item = _el(root, q(CC_NS, "item"), identifier=pkg.ident("module"))
        _el(m_item, q(CC_NS, "title"), module.title)
        for page in module.pages:
            rid = pkg.ident("page")
            href = f"pages/{rid}.html"
            pkg.files[href] = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                               f"<title>{html.escape(page.title)}</title></head><body>{page.html}"
                               "</body></html>").encode()
            pkg.add(m_item, page.title, rid, "webcontent", href)
        for link_title, url in module.links:
            rid = pkg.ident("link")
            href = f"links/{rid}.xml"
            wl = ET.Element(q(WL_NS, "webLink"))
            _el(wl, q(WL_NS, "title"), link_title)
            _el(wl, q(WL_NS, "url"), href=url, target="_blank")
            pkg.files[href] = _xml(wl)
            pkg.add(m_item, link_title, rid, "imswl_xmlv1p3", href, main_href=False)
        for a in module.assignments:
            rid = pkg.ident("assignment")
            href = f"assignments/{a.ident}/assignment.xml"
            nb_href = f"assignments/{a.ident}/{a.notebook.name}"
            pkg.files[nb_href] = a.notebook.read_bytes()
            pkg.files[href] = _assignment_xml(rid, a)
            pkg.add(m_item, a.title, rid, "assignment_xmlv1p0", href, extra=(nb_href,))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_zip(path, [("imsmanifest.xml", _xml(manifest)), *sorted(pkg.files.items())])
    return path


def write_lms(layout: Layout, out: Path, modules: list[str], exercises: list[str], book_url: str) -> Path:
    """The kit's cartridge: per module its objectives, the book link and its assignment."""
    items = []
    for m in modules:
        md = overview(layout, m)
        objectives = section(md, "objective", "outcome")
        body = "".join(f"<p>{line}</p>" for line in objectives.splitlines()[1:] if line.strip())
        assignments = []
        if m in exercises:
            ex = read_exercise(layout.exercises / f"{m}.md")
            assignments.append(Assignment(m, ex.title, ex.total_points,
                                          out / "book" / "exercises" / f"{m}.ipynb", INSTRUCTIONS))
        items.append(ModuleItems(
            title=title(md), pages=[Page(f"{title(md)}: overview", f"<h1>{title(md)}</h1>{body}")],
            links=[("Read the module in the course book", f"{book_url.rstrip('/')}/modules/{m}/index.html")],
            assignments=assignments))
    ident = course_identity(layout)
    return write_cartridge(out / "lms" / "course.imscc", f"{ident.title}: selected modules",
                           LICENCES, items)


# --- the checker ----------------------------------------------------------------------------

NS = {"cc": CC_NS, "lom": LOM_NS}


def check_cartridge(path: Path) -> list[str]:
    """Structural rules of IMS CC 1.3 (the XSDs are not available from a package registry):
    manifest at the root, schema and version, unique identifiers, every item reference and
    every file resolves, known resource types, weblinks and assignments are well formed."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "imsmanifest.xml" not in names:
            return ["imsmanifest.xml is not at the root of the package"]
        root = ET.fromstring(zf.read("imsmanifest.xml"))
        resources = {r.get("identifier", ""): r for r in root.iterfind(".//cc:resources/cc:resource", NS)}
        problems = _check_manifest(root) + _check_items(root, resources)
        for rid, res in resources.items():
            problems += _check_resource(zf, names, rid, res)
    return problems


def _check_manifest(root: ET.Element) -> list[str]:
    problems = []
    if root.tag != q(CC_NS, "manifest"):
        problems.append(f"root element is {root.tag}, not the CC 1.3 manifest")
    if root.findtext("cc:metadata/cc:schema", namespaces=NS) != "IMS Common Cartridge":
        problems.append("metadata/schema is not 'IMS Common Cartridge'")
    if root.findtext("cc:metadata/cc:schemaversion", namespaces=NS) != "1.3.0":
        problems.append("metadata/schemaversion is not 1.3.0")
    if not root.findtext("cc:metadata/lom:lom/lom:general/lom:title/lom:string", namespaces=NS):
        problems.append("the cartridge has no LOM title")
    ids = [i for e in root.iter() if (i := e.get("identifier"))]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        problems.append(f"duplicate identifiers: {sorted(dupes)}")
    orgs = root.findall("cc:organizations/cc:organization", NS)
    if len(orgs) != 1 or orgs[0].get("structure") != "rooted-hierarchy":
        problems.append("there must be one organization with structure='rooted-hierarchy'")
    return problems


def _check_items(root: ET.Element, resources: dict[str, ET.Element]) -> list[str]:
    problems = []
    for item in root.iterfind(".//cc:item", NS):
        ref = item.get("identifierref")
        if ref and ref not in resources:
            problems.append(f"item {item.get('identifier')} refers to missing resource {ref}")
        if item.get("identifier") != "root" and not item.findtext("cc:title", namespaces=NS):
            problems.append(f"item {item.get('identifier')} has no title")
    return problems


def _check_resource(zf: zipfile.ZipFile, names: set[str], rid: str, res: ET.Element) -> list[str]:
    problems = []
    rtype = res.get("type")
    if rtype not in RESOURCE_TYPES:
        problems.append(f"resource {rid} has unknown type {rtype}")
    hrefs = [f.get("href", "") for f in res.iterfind("cc:file", NS)]
    if not hrefs:
        problems.append(f"resource {rid} lists no file")
    for href in hrefs:
        if href not in names:
            problems.append(f"resource {rid}: file {href} is missing from the package")
        if href.startswith("/") or ".." in href.split("/"):
            problems.append(f"resource {rid}: file path {href} must be relative and inside")
    if not hrefs or hrefs[0] not in names:
        return problems
    if rtype == "imswl_xmlv1p3":
        wl = ET.fromstring(zf.read(hrefs[0]))
        url = wl.find(q(WL_NS, "url"))
        if wl.tag != q(WL_NS, "webLink") or url is None or not url.get("href", "").startswith("http"):
            problems.append(f"weblink {rid} is not a valid imswl_v1p3 webLink")
    if rtype == "assignment_xmlv1p0":
        asg = ET.fromstring(zf.read(hrefs[0]))
        if asg.find(q(ASSIGN_NS, "title")) is None:
            problems.append(f"assignment {rid} has no title")
        for att in asg.iter(q(ASSIGN_NS, "attachment")):
            target = str(Path(hrefs[0]).parent / att.get("href", ""))
            if target not in names:
                problems.append(f"assignment {rid}: attachment {target} missing")
    return problems

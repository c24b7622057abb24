"""publiccode.yml follows the publiccode.yml standard 0.4 (and its Italian extension 1.0) and says what
the rest of the repository says (version, licence, languages).

No validator for the standard is published on PyPI, so the mandatory keys, allowed values and
lengths of the standard's schema are checked here.
"""

from __future__ import annotations

import json
import re
import tomllib

import pytest
import yaml

from tests.conftest import ROOT

# docs/standard/categories-list.rst of publiccode.yml v0.4.0.
CATEGORIE = set(
    [
        "accounting",
        "agile-project-management",
        "applicant-tracking",
        "application-development",
        "appointment-scheduling",
        "backup",
        "billing-and-invoicing",
        "blog",
        "budgeting",
        "business-intelligence",
        "business-process-management",
        "cad",
        "call-center-management",
        "cloud-management",
        "collaboration",
        "communications",
        "compliance-management",
        "contact-management",
        "content-management",
        "crm",
        "customer-service-and-support",
        "data-analytics",
        "data-collection",
        "data-visualization",
        "design",
        "design-system",
        "digital-asset-management",
        "digital-citizenship",
        "document-management",
        "donor-management",
        "e-commerce",
        "e-signature",
        "educational-content",
        "email-management",
        "email-marketing",
        "employee-management",
        "enterprise-project-management",
        "enterprise-social-networking",
        "erp",
        "event-management",
        "facility-management",
        "feedback-and-reviews-management",
        "financial-reporting",
        "fleet-management",
        "fundraising",
        "gamification",
        "geographic-information-systems",
        "grant-management",
        "graphic-design",
        "help-desk",
        "hr",
        "ide",
        "identity-management",
        "instant-messaging",
        "integrated-library-system",
        "inventory-management",
        "it-asset-management",
        "it-development",
        "it-management",
        "it-security",
        "it-service-management",
        "knowledge-management",
        "learning-management-system",
        "marketing",
        "mind-mapping",
        "mobile-marketing",
        "mobile-payment",
        "network-management",
        "office",
        "online-booking",
        "online-community",
        "payment-gateway",
        "payroll",
        "predictive-analysis",
        "procurement",
        "productivity-suite",
        "project-collaboration",
        "project-management",
        "property-management",
        "real-estate-management",
        "regulations-and-directives",
        "remote-support",
        "resource-management",
        "sales-management",
        "seo",
        "service-desk",
        "social-media-management",
        "survey",
        "talent-management",
        "task-management",
        "taxes-management",
        "test-management",
        "time-management",
        "time-tracking",
        "translation",
        "video-conferencing",
        "video-editing",
        "visitor-management",
        "voip",
        "warehouse-management",
        "web-collaboration",
        "web-conferencing",
        "website-builder",
        "whistleblowing",
        "workflow-management",
    ]
)
TIPI = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
STATI = {"concept", "development", "beta", "stable", "obsolete"}
MANUTENZIONE = {"internal", "contract", "community", "none"}


@pytest.fixture(scope="module")
def pc() -> dict:
    testo = (ROOT / "publiccode.yml").read_text(encoding="utf-8")
    return yaml.safe_load(testo)


@pytest.fixture(scope="module")
def progetto() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_mandatory_core_keys(pc: dict) -> None:
    assert pc["publiccodeYmlVersion"] == "0.4"
    assert isinstance(pc["name"], str) and pc["name"].strip()
    assert re.fullmatch(r"https://\S+", pc["url"])
    assert pc["platforms"] and all(isinstance(p, str) for p in pc["platforms"])
    assert pc["categories"] and set(pc["categories"]) <= CATEGORIE
    assert pc["developmentStatus"] in STATI
    assert pc["softwareType"] in TIPI


def test_descriptions(pc: dict) -> None:
    assert set(pc["description"]) >= {"it"}  # Italian first, as the app
    for lingua, d in pc["description"].items():
        assert re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", lingua)
        assert 0 < len(d["shortDescription"]) <= 150, lingua
        assert 150 <= len(d["longDescription"]) <= 10_000, lingua
        assert d["features"] and all(isinstance(f, str) and f for f in d["features"]), lingua
        assert "genericName" not in d, lingua  # deprecated in 0.4


def test_legal_and_maintenance(pc: dict, progetto: dict) -> None:
    assert pc["legal"]["license"] == progetto["license"] == "EUPL-1.2"
    assert json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["license"] == "EUPL-1.2"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    tipo = pc["maintenance"]["type"]
    assert tipo in MANUTENZIONE
    if tipo in ("internal", "community"):
        assert pc["maintenance"]["contacts"] and all(c["name"] for c in pc["maintenance"]["contacts"])
    if tipo == "contract":
        assert pc["maintenance"]["contractors"]


def test_version_date_and_languages_match_the_repository(pc: dict, progetto: dict) -> None:
    assert pc["softwareVersion"] == progetto["version"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", pc["releaseDate"])  # a string, as the standard wants
    assert pc["localisation"]["localisationReady"] is True
    tradotte = {p.name for p in (ROOT / "locales").iterdir() if p.is_dir()}
    assert set(pc["localisation"]["availableLanguages"]) == {"it"} | tradotte


def test_italian_extension(pc: dict) -> None:
    it = pc["it"]
    assert it["countryExtensionVersion"] == "1.0"
    assert re.fullmatch(r"[a-z0-9_]{2,}", it["riuso"]["codiceIPA"])  # the owner is a Public Administration
    assert all(isinstance(v, bool) for v in it.get("piattaforme", {}).values())

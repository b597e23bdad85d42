"""Docs cannot drift: every config key and reason code is documented, every code has both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from oit_checker.config import (
    Agency,
    AssessmentSettings,
    AuditSettings,
    BrowserSettings,
    CrawlSettings,
    DocumentSettings,
    EmailSettings,
    EvidenceSettings,
    HttpSettings,
    ItemUrls,
    NotifySettings,
    ScheduleSettings,
    StorageSettings,
    WebhookSettings,
)
from oit_checker.messages import REASON_TEXT, UI, reasons_markdown
from oit_checker.models import Status
from oit_checker.reasons import MEANING, Reason

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("model", [Agency, AuditSettings, HttpSettings, CrawlSettings, ItemUrls,
                                   StorageSettings, ScheduleSettings, NotifySettings, WebhookSettings,
                                   EmailSettings, AssessmentSettings, BrowserSettings, EvidenceSettings,
                                   DocumentSettings])
def test_every_config_key_is_documented(model: type[BaseModel]) -> None:
    doc = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"| `{name}` |" not in doc]
    assert missing == []


def test_reason_table_is_generated_from_the_catalogue() -> None:
    """Regenerate with ``python -m oit_checker.messages > docs/reasons.md``."""
    assert (ROOT / "docs" / "reasons.md").read_text(encoding="utf-8") == reasons_markdown()


def test_every_reason_has_a_meaning_a_text_and_a_row_in_the_docs() -> None:
    documented = re.findall(r"^\| `([a-z0-9_]+)` \|", (ROOT / "docs" / "reasons.md").read_text(encoding="utf-8"),
                            re.MULTILINE)
    assert len(documented) == len(set(documented)) > 70
    assert set(Reason) == set(MEANING) == set(REASON_TEXT) == set(documented)


@pytest.mark.parametrize("reason", list(Reason), ids=str)
def test_every_reason_has_thai_and_english(reason: Reason) -> None:
    text = REASON_TEXT[reason]
    assert text.th and text.en
    assert re.search(r"[\u0e00-\u0e7f]", text.th), "Thai message must be Thai"
    if MEANING[reason].status is not Status.PASS:
        assert text.fix_th and text.fix_en, "every problem needs a suggested fix"


def test_ui_strings_exist_in_both_languages() -> None:
    assert set(UI["th"]) == set(UI["en"])

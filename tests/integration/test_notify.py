"""Notification channels against real local receivers: aiosmtpd (STARTTLS, SSL, AUTH) and a webhook."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from receivers import SMTP_PASSWORD, SMTP_USER, SmtpServer, WebhookReceiver, make_certificate

from oit_checker.config import NotifySettings
from oit_checker.deadline import DeadlineStatus
from oit_checker.history import EventKind
from oit_checker.models import Status
from oit_checker.notify import EmailChannel, ItemEvent, Notice, WebhookChannel, channels_from, deliver


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture(params=["starttls", "ssl"])
def smtp(request: pytest.FixtureRequest, certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    server = SmtpServer(*certificate, mode=request.param)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    try:
        yield receiver
    finally:
        receiver.close()


def notice(lang: str = "th") -> Notice:
    return Notice(
        agency_name="กรมทดสอบ", homepage="https://www.example.go.th/", run_id="20250301T190000Z-abc123",
        run_state="complete", started_at=dt.datetime(2025, 3, 1, 19, 0, tzinfo=dt.UTC),
        counts={Status.PASS: 5, Status.WARN: 1, Status.UNVERIFIED: 0, Status.FAIL: 2},
        events=(ItemEvent(EventKind.REGRESSED, "O24", "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี",
                          "Annual procurement report", Status.PASS, Status.FAIL, 2, "http_404", {},
                          "https://www.example.go.th/ita/o24.pdf"),
                ItemEvent(EventKind.RECOVERED, "O41", "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี", "",
                          Status.FAIL, Status.PASS, 1, None, {}, "https://www.example.go.th/ita/o41.html")),
        deadline=DeadlineStatus(dt.date(2025, 3, 31), 29, True, ("O24", "O27")), lang=lang)


def settings(smtp: SmtpServer, ca_file: Path, security: str) -> NotifySettings:
    return NotifySettings.model_validate({"email": {
        "host": "127.0.0.1", "port": smtp.port, "security": security, "username": SMTP_USER,
        "to": ["ita-team@example.go.th", "director@example.go.th"], "ca_file": str(ca_file)}})


def test_email_is_delivered_over_tls_with_the_password_from_the_environment(
        smtp: SmtpServer, certificate: tuple[Path, Path]) -> None:
    channels = channels_from(settings(smtp, certificate[0], smtp.mode), environ={"OIT_CHECKER_SMTP_PASSWORD": SMTP_PASSWORD})
    [delivery] = deliver(notice(), channels)
    assert delivery.ok, delivery.detail
    [mail] = smtp.inbox
    assert mail.authenticated and mail.tls
    assert mail.recipients == ["ita-team@example.go.th", "director@example.go.th"]
    assert mail.sender == SMTP_USER
    assert "O24" in mail.message["Subject"] and "กรมทดสอบ" in mail.message["Subject"]  # RFC 2047, decoded
    body = mail.body
    assert "O24 รายงานผลการจัดซื้อจัดจ้าง" in body
    assert "ผ่าน → ไม่ผ่าน (2 ครั้งติดต่อกัน)" in body
    assert "ไม่พบหน้า (HTTP 404) [http_404]" in body
    assert "วิธีแก้: ตรวจสอบว่าไฟล์หรือหน้ายังอยู่" in body
    assert "URL: https://www.example.go.th/ita/o24.pdf" in body
    assert "O41" in body and "ไม่ผ่าน → ผ่าน" in body
    assert "เหลืออีก 29 วันถึงกำหนดส่งข้อมูลในระบบ ITAS (31 มี.ค. 2568)" in body
    assert "ยังไม่ผ่าน 2 ข้อ: O24, O27" in body
    assert SMTP_PASSWORD not in repr(channels)


def test_wrong_password_and_untrusted_certificate_fail_without_leaking(certificate: tuple[Path, Path]) -> None:
    server = SmtpServer(*certificate, mode="starttls")
    try:
        bad_password = channels_from(settings(server, certificate[0], "starttls"),
                                     environ={"OIT_CHECKER_SMTP_PASSWORD": "wrong-password"})
        [delivery] = deliver(notice(), bad_password)
        assert not delivery.ok and "login refused" in delivery.detail and "wrong-password" not in delivery.detail
        missing = channels_from(settings(server, certificate[0], "starttls"), environ={})
        [delivery] = deliver(notice(), missing)
        assert not delivery.ok and "OIT_CHECKER_SMTP_PASSWORD" not in delivery.detail
        assert "password_env" in delivery.detail
        untrusted = EmailChannel("127.0.0.1", server.port, security="starttls", sender=SMTP_USER, to=("a@b.go.th",),
                                 username=SMTP_USER, password=SMTP_PASSWORD)  # the system CAs only
        [delivery] = deliver(notice(), [untrusted])
        assert not delivery.ok and "CERTIFICATE_VERIFY_FAILED" in delivery.detail
        assert server.inbox == []
    finally:
        server.close()


def test_webhook_posts_signed_json(webhook: WebhookReceiver) -> None:
    channels = channels_from(NotifySettings.model_validate({"webhook": {"url": webhook.url}}),
                             environ={"OIT_CHECKER_WEBHOOK_SECRET": "s3cr3t"})
    [delivery] = deliver(notice(), channels)
    assert delivery.ok
    assert "token" not in delivery.detail and "abc123" not in delivery.detail  # the URL's token is not logged
    [hook] = webhook.hooks
    expected = "sha256=" + hmac.new(b"s3cr3t", hook.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(hook.headers["x-oit-checker-signature"], expected)
    assert hook.headers["x-oit-checker-event"] == "items"
    payload = json.loads(hook.body)
    assert payload["schema"] == "oit-checker/notification/v1"
    assert [(e["code"], e["kind"], e["before"], e["after"]) for e in payload["events"]] == [
        ("O24", "regressed", "pass", "fail"), ("O41", "recovered", "fail", "pass")]
    assert payload["events"][0]["reason"] == "http_404" and "ตรวจสอบ" in payload["events"][0]["fix"]
    assert payload["deadline"] == {"date": "2025-03-31", "days_left": 29, "still_failing": ["O24", "O27"]}
    assert "s3cr3t" not in hook.body.decode()


def test_webhook_url_from_the_environment_retries_once_after_a_5xx(webhook: WebhookReceiver) -> None:
    webhook.fail_next = 1
    channels = channels_from(NotifySettings(), environ={"OIT_CHECKER_WEBHOOK_URL": webhook.url})
    [delivery] = deliver(notice("en"), channels)
    assert delivery.ok and webhook.attempts == 2
    [hook] = webhook.hooks
    assert "x-oit-checker-signature" not in hook.headers  # no secret, no signature
    assert json.loads(hook.body)["text"].startswith("OIT audit of กรมทดสอบ")
    webhook.fail_next = 5
    [delivery] = deliver(notice(), [WebhookChannel(webhook.url, None)])
    assert not delivery.ok and "HTTP 500" in delivery.detail and "abc123" not in delivery.detail


def test_unreachable_webhook_is_a_failed_delivery_not_an_exception() -> None:
    [delivery] = deliver(notice(), [WebhookChannel("http://127.0.0.1:9/hook", "x", timeout=2)])
    assert not delivery.ok and delivery.channel == "webhook"

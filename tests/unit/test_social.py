"""Social-network rules (data) and the judge (pure): public, private_social, bot challenge, unclear."""

from __future__ import annotations

from pathlib import Path

import pytest

from oit_checker.checks.social import verdict_finding
from oit_checker.errors import ConfigError
from oit_checker.messages import SOCIAL_WHY
from oit_checker.models import Status
from oit_checker.reasons import Reason
from oit_checker.social import BUNDLED_RULES, judge, load_rules


def html(body: str, title: str = "") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


CASES = [
    # (network, final URL, body HTML, visible text, expected status, reason, why)
    ("facebook", "https://www.facebook.com/demo", html('<div role="main"><h1>กรมตัวอย่าง</h1>'
     '<div role="article">ประกาศ</div></div><input type="password">'), "กรมตัวอย่าง ประกาศ captcha",
     Status.PASS, "social_public", "profile_and_posts_visible"),
    ("facebook", "https://www.facebook.com/demo", html("<h2>x</h2>"),
     "This content isn’t available right now", Status.FAIL, "private_social", "content_unavailable"),
    ("facebook", "https://www.facebook.com/login/?next=%2Fgroups%2F1", html("<form></form>"), "Log in",
     Status.FAIL, "private_social", "login_required"),
    ("facebook", "https://www.facebook.com/demo", html(""), "You must be 18 years or older to see this page",
     Status.FAIL, "private_social", "age_gate"),
    ("facebook", "https://www.facebook.com/demo", html('<iframe src="https://x/captcha"></iframe>'), "",
     Status.UNVERIFIED, "bot_wall", "bot_challenge"),
    ("youtube", "https://www.youtube.com/@demo", html("<ytd-channel-name>กรม</ytd-channel-name>"
     "<ytd-rich-item-renderer>v</ytd-rich-item-renderer>"), "กรม v", Status.PASS, "social_public",
     "profile_and_posts_visible"),
    ("youtube", "https://www.youtube.com/watch?v=1", html(""), "Sign in to confirm your age",
     Status.FAIL, "private_social", "age_gate"),
    ("youtube", "https://www.youtube.com/watch?v=1", html(""),
     "The uploader has not made this video available in your country", Status.FAIL, "private_social", "region_gate"),
    ("youtube", "https://www.youtube.com/watch?v=1", html(""), "Sign in to confirm you're not a bot",
     Status.UNVERIFIED, "bot_wall", "bot_challenge"),
    ("x", "https://x.com/demo", html('<div data-testid="UserName">กรม</div>'), "These posts are protected",
     Status.FAIL, "private_social", "private_account"),
    ("x", "https://x.com/demo", html('<div data-testid="UserName">กรม</div><article role="article">p</article>'),
     "กรม p", Status.PASS, "social_public", "profile_and_posts_visible"),
    ("x", "https://x.com/demo", html('<div data-testid="UserName">กรม</div>'), "กรม",
     Status.UNVERIFIED, "social_unclear", "no_marker"),
    ("line", "https://page.line.me/demo", html("<h1>กรมตัวอย่าง</h1>"), "กรมตัวอย่าง เพิ่มเพื่อน",
     Status.PASS, "social_public", "profile_visible"),
    ("line", "https://line.me/R/ti/p/@demo", html(""), "This account doesn't exist.",
     Status.FAIL, "private_social", "content_unavailable"),
    ("line", "https://line.me/R/ti/p/@demo", html(""), "We detected unusual traffic",
     Status.UNVERIFIED, "bot_wall", "bot_challenge"),
    ("tiktok", "https://www.tiktok.com/@demo", html('<h1 data-e2e="user-title">demo</h1>'), "This account is private",
     Status.FAIL, "private_social", "private_account"),
    ("tiktok", "https://www.tiktok.com/@demo", html('<div class="captcha_verify_container"></div>'), "",
     Status.UNVERIFIED, "bot_wall", "bot_challenge"),
]


@pytest.mark.parametrize(("network_id", "url", "dom", "text", "status", "reason", "why"), CASES,
                         ids=[f"{c[0]}-{c[6]}-{c[5]}" for c in CASES])
def test_judge(network_id: str, url: str, dom: str, text: str, status: Status, reason: str, why: str) -> None:
    rules = load_rules()
    network = rules.networks[network_id]
    verdict = judge(network, rules, final_url=url, html=dom, text=text)
    assert (verdict.status, verdict.reason, verdict.why) == (status, reason, why)
    finding = verdict_finding(verdict, url)
    assert finding.reason == reason and finding.status is status
    assert finding.evidence["final_url"] == url and finding.evidence["network"] == network_id


def test_every_network_of_the_issue_is_covered_and_every_why_is_worded() -> None:
    rules = load_rules()
    assert {"facebook", "youtube", "x", "line", "tiktok"} <= set(rules.networks)
    whys = {r.why for n in rules.networks.values() for r in n.rules} | {r.why for r in rules.generic}
    assert whys <= set(SOCIAL_WHY)
    for reason in ("social_public", "private_social", "social_unclear", "bot_wall"):
        assert reason in set(Reason)
    for network in rules.networks.values():
        assert {r.verdict for r in network.rules} >= {"public", "private"}, network.id


@pytest.mark.parametrize(("url", "network"), [
    ("https://m.facebook.com/demo", "facebook"), ("https://web.facebook.com/demo", "facebook"),
    ("https://youtu.be/abc", "youtube"), ("https://twitter.com/demo", "x"), ("https://lin.ee/abc", "line"),
    ("https://page.line.me/demo", "line"), ("https://www.tiktok.com/@demo", "tiktok"),
    ("https://notfacebook.com/demo", None), ("https://www.led.go.th/social", None),
])
def test_network_for_matches_hosts_and_subdomains_only(url: str, network: str | None) -> None:
    found = load_rules().network_for(url)
    assert (found.id if found else None) == network


def test_a_user_rules_file_adds_aliases_and_replaces_networks(tmp_path: Path) -> None:
    extra = tmp_path / "rules.toml"
    extra.write_text("""
[networks.line]
name = "LINE (ours)"
hosts = ["line.me"]
  [[networks.line.rules]]
  verdict = "public"
  why = "profile_visible"
  any = ['text:สวัสดี']
[aliases]
"http://127.0.0.1:8080/fb/" = "facebook"
"fb.example.go.th" = "facebook"
""", encoding="utf-8")
    rules = load_rules(str(extra))
    assert rules.network_for("http://127.0.0.1:8080/fb/page").id == "facebook"
    assert rules.network_for("http://127.0.0.1:8080/other") is None
    assert rules.network_for("https://fb.example.go.th/x").id == "facebook"
    line = rules.networks["line"]
    assert line.name == "LINE (ours)" and len(line.rules) == 1
    assert len(rules.networks["facebook"].rules) == len(load_rules().networks["facebook"].rules)


@pytest.mark.parametrize(("text", "key"), [
    ("[networks.x]\nname='X'\n  [[networks.x.rules]]\n  verdict='public'\n  why='w'\n  any=['xpath://a']\n",
     "networks.x.rules[0].any"),
    ("[networks.x]\nname='X'\n  [[networks.x.rules]]\n  verdict='public'\n  why='w'\n  any=['text:(']\n",
     "networks.x.rules[0].any"),
    ("[networks.x]\nname='X'\nhostz=['x.com']\n", "networks.x.hostz"),
    ("[aliases]\n'a.example' = 'myspace'\n", "aliases.a.example"),
])
def test_a_broken_rules_file_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_rules(str(extra))
    assert str(extra) in str(error.value)
    assert key in str(error.value)


def test_the_bundled_rules_file_is_packaged_data() -> None:
    assert BUNDLED_RULES.is_file() and BUNDLED_RULES.parent.name == "data"

"""Is an agency's social-network page public? Judged from what a logged-out browser shows.

The rules are data (``oit_checker/data/social_rules.toml``, documented there), so they can be
updated when Facebook, YouTube, X, LINE or TikTok change their pages; a user file named by
``[browser] social_rules`` replaces networks by id and adds aliases. ``judge`` is a pure function
of the rendered page (``oit_checker.checks.social`` makes it the public check's finding): profile name and posts visible → ``pass`` (``social_public``); "This content
isn't available", a login wall, an age or region gate, a private account → ``fail``
(``private_social``); a bot challenge → ``unverified`` (``bot_wall``); none of these →
``unverified`` (``social_unclear``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from selectolax.lexbor import LexborHTMLParser

from .checklist import _read_toml, _Strict, validate_model
from .errors import ConfigError
from .models import Status
from .reasons import Reason
from .urls import host_matches, host_of

BUNDLED_RULES = Path(__file__).resolve().parent / "data" / "social_rules.toml"
MARKER_KINDS = ("css", "text", "title", "url")
RULES_DOC = "oit_checker/data/social_rules.toml"


def _compile_marker(marker: str) -> tuple[str, str]:
    kind, sep, value = marker.partition(":")
    if not sep or kind not in MARKER_KINDS or not value.strip():
        raise ValueError(f"marker {marker!r} must start with one of {', '.join(k + ':' for k in MARKER_KINDS)}")
    if kind == "css":
        try:
            LexborHTMLParser("<p></p>").css_first(value)
        except Exception as exc:  # noqa: BLE001 - selectolax raises several kinds
            raise ValueError(f"not a valid CSS selector: {value!r} ({exc})") from exc
    else:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {value!r} ({exc})") from exc
    return kind, value


class RuleModel(_Strict):
    """One rule of a network: a verdict, why, and the markers that must be seen."""

    verdict: Literal["public", "private", "challenge"]
    why: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()

    @field_validator("all", "any")
    @classmethod
    def _markers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for marker in value:
            _compile_marker(marker)
        return value

    @model_validator(mode="after")
    def _has_markers(self) -> RuleModel:
        if not (self.all or self.any):
            raise ValueError("a rule needs markers in 'all' or 'any'")
        return self


class NetworkModel(_Strict):
    """One social network: its hosts and rules."""

    name: str = Field(min_length=1)
    hosts: tuple[str, ...] = ()
    rules: tuple[RuleModel, ...] = ()


class RulesFile(_Strict):
    """A social rules file (the bundled one, or a user's additions)."""

    networks: dict[str, NetworkModel] = {}
    generic: tuple[RuleModel, ...] = ()
    aliases: dict[str, str] = {}


@dataclass(frozen=True)
class Rule:
    """A compiled rule."""

    verdict: str
    why: str
    all: tuple[tuple[str, str], ...]
    any: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Network:
    """A compiled network."""

    id: str
    name: str
    hosts: tuple[str, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class SocialRules:
    """Every network, the generic challenge rules, and aliases (host or URL prefix → network id)."""

    networks: dict[str, Network]
    generic: tuple[Rule, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)

    def network_for(self, url: str) -> Network | None:
        """The network a URL belongs to: by URL-prefix alias, host alias, then the networks' hosts."""
        for prefix, network_id in self.aliases.items():
            if "/" in prefix and url.startswith(prefix):
                return self.networks.get(network_id)
        host = host_of(url)
        for alias, network_id in self.aliases.items():
            if "/" not in alias and host_matches(host, (alias,)):
                return self.networks.get(network_id)
        for network in self.networks.values():
            if host_matches(host, network.hosts):
                return network
        return None


@dataclass(frozen=True)
class SocialVerdict:
    """What ``judge`` decided, and which markers it saw."""

    status: Status
    reason: Reason
    """``social_public``, ``private_social``, ``bot_wall`` or ``social_unclear``."""
    network: Network
    why: str
    """The rule's ``why`` code (``login_required`` …; ``no_marker`` when nothing matched)."""
    matched: tuple[str, ...] = ()


_OUTCOMES = {"challenge": (Status.UNVERIFIED, Reason.BOT_WALL), "private": (Status.FAIL, Reason.PRIVATE_SOCIAL),
             "public": (Status.PASS, Reason.SOCIAL_PUBLIC)}


def judge(network: Network, rules: SocialRules, *, final_url: str, html: str, text: str,
          title: str = "") -> SocialVerdict:
    """Judge a rendered social-network page (see the module docstring and the rules file)."""
    page = _Seen(final_url, html, text, title)
    ordered = [r for verdict in ("challenge", "private", "public") for r in network.rules if r.verdict == verdict]
    for rule in (*ordered, *rules.generic):
        matched = page.matches(rule)
        if matched is not None:
            status, reason = _OUTCOMES[rule.verdict]
            return SocialVerdict(status, reason, network, rule.why, matched)
    return SocialVerdict(Status.UNVERIFIED, Reason.SOCIAL_UNCLEAR, network, "no_marker")


class _Seen:
    """The rendered page, with markers evaluated lazily."""

    def __init__(self, final_url: str, html: str, text: str, title: str) -> None:
        self.url = final_url
        self.html = html
        self.text = " ".join(text.split()) if text else ""
        self.lines = text
        self.title = title
        self._tree: LexborHTMLParser | None = None

    def matches(self, rule: Rule) -> tuple[str, ...] | None:
        """The markers that made ``rule`` match, or None."""
        seen: list[str] = []
        for kind, value in rule.all:
            if not self.marker(kind, value):
                return None
            seen.append(f"{kind}:{value}")
        if rule.any:
            hit = next((f"{kind}:{value}" for kind, value in rule.any if self.marker(kind, value)), None)
            if hit is None:
                return None
            seen.append(hit)
        return tuple(seen)

    def marker(self, kind: str, value: str) -> bool:
        if kind == "css":
            if self._tree is None:
                self._tree = LexborHTMLParser(self.html)
            return self._tree.css_first(value) is not None
        if kind == "url":
            return re.search(value, self.url, re.IGNORECASE) is not None
        if kind == "title":
            return re.search(value, self.title, re.IGNORECASE) is not None
        # text: the folded text, and line by line for anchored patterns (^ … $)
        return re.search(value, self.text, re.IGNORECASE) is not None or (
            "^" in value and re.search(value, self.lines, re.IGNORECASE | re.MULTILINE) is not None)


def _compile(model: RuleModel) -> Rule:
    return Rule(model.verdict, model.why, tuple(_compile_marker(m) for m in model.all),
                tuple(_compile_marker(m) for m in model.any))


def _parse(path: Path) -> RulesFile:
    return validate_model(RulesFile, _read_toml(path), str(path), docs=RULES_DOC)


def load_rules(extra: str = "") -> SocialRules:
    """The bundled rules, with ``extra`` (a path to a user rules file) merged over them.

    Cached while the user's file is unchanged (a scheduler picks up an edited file)."""
    try:
        stamp = Path(extra).stat().st_mtime_ns if extra else 0
    except OSError:
        stamp = -1
    return _load_rules(extra, stamp)


@functools.lru_cache(maxsize=8)
def _load_rules(extra: str, stamp: int) -> SocialRules:
    files = [_parse(BUNDLED_RULES)]
    if extra:
        files.append(_parse(Path(extra)))
    networks: dict[str, Network] = {}
    generic: tuple[Rule, ...] = ()
    aliases: dict[str, str] = {}
    for data in files:
        for network_id, model in data.networks.items():
            networks[network_id] = Network(network_id, model.name, model.hosts, tuple(_compile(r) for r in model.rules))
        generic = (*generic, *(_compile(r) for r in data.generic))
        aliases.update(data.aliases)
    for alias, network_id in aliases.items():
        if network_id not in networks:
            raise ConfigError(extra or str(BUNDLED_RULES), f"aliases.{alias}", f"unknown network {network_id!r}",
                              f"use one of: {', '.join(networks)}")
    return SocialRules(networks, generic, aliases)

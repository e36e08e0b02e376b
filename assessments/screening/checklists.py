"""Checklist content: the flags of a checklist, validated, and its version hash.

A checklist's content is a list of flags; each flag is self-contained (kind,
weight, titles and descriptions in both languages, detection rules; see
analyzer.py for the rule language), so a stored version fully describes what a
screening was made with. Fixtures: `fixtures/screening/flags.yaml` is the library
of flags; `fixtures/screening/checklists/<slug>.yaml` picks flags for a role and
may change their weight.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

KINDS = ("green", "red")
RULE_KEYS = {"id", "any", "with_nearby", "unless_nearby", "unless", "min_distinct", "absent"}
PATTERN_KEYS = ("any", "with_nearby", "unless_nearby", "unless", "absent")
TEXT_KEYS = ("title_en", "title_ru", "description_en", "description_ru")
KEY = re.compile(r"^[a-z][a-z0-9_]{1,48}$")


class ChecklistError(Exception):
    """The checklist content is not valid; the message names the flag and the field."""


def _rule(flag_key: str, number: int, rule: Any) -> dict[str, Any]:
    where = f"flag {flag_key!r}, rule {number}"
    if not isinstance(rule, dict):
        raise ChecklistError(f"{where}: a rule is a mapping")
    unknown = set(rule) - RULE_KEYS
    if unknown:
        raise ChecklistError(f"{where}: unknown fields {sorted(unknown)}")
    if not rule.get("any") and not rule.get("absent"):
        raise ChecklistError(f"{where}: a rule needs `any` or `absent` patterns")
    for name in PATTERN_KEYS:
        patterns = rule.get(name, [])
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
            raise ChecklistError(f"{where}: `{name}` is a list of regular expressions")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ChecklistError(f"{where}: `{name}` holds an invalid pattern {pattern!r}: {error}") from None
    minimum = rule.get("min_distinct", 1)
    if not isinstance(minimum, int) or not 1 <= minimum <= 10:
        raise ChecklistError(f"{where}: `min_distinct` is a whole number from 1 to 10")
    return {"id": str(rule.get("id") or f"{flag_key}-{number}"), **{k: v for k, v in rule.items() if k != "id"}}


def flag_validate(flag: Any) -> dict[str, Any]:
    if not isinstance(flag, dict):
        raise ChecklistError("a flag is a mapping")
    key = str(flag.get("key", ""))
    if not KEY.match(key):
        raise ChecklistError(f"flag key {key!r}: lowercase letters, digits and underscores")
    if flag.get("kind") not in KINDS:
        raise ChecklistError(f"flag {key!r}: kind is green or red")
    weight = flag.get("weight")
    if not isinstance(weight, int) or not 1 <= weight <= 5:
        raise ChecklistError(f"flag {key!r}: weight is a whole number from 1 to 5")
    for name in TEXT_KEYS:
        if not isinstance(flag.get(name), str) or not flag[name].strip():
            raise ChecklistError(f"flag {key!r}: {name} is required")
    rules = flag.get("rules", [])
    if not isinstance(rules, list) or not rules:
        raise ChecklistError(f"flag {key!r}: at least one rule")
    return {
        "key": key,
        "kind": flag["kind"],
        "weight": weight,
        **{name: flag[name].strip() for name in TEXT_KEYS},
        "rules": [_rule(key, number, rule) for number, rule in enumerate(rules, start=1)],
    }


def checklist_validate(flags: Any) -> list[dict[str, Any]]:
    if not isinstance(flags, list) or not flags:
        raise ChecklistError("a checklist has at least one flag")
    validated = [flag_validate(flag) for flag in flags]
    keys = [flag["key"] for flag in validated]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ChecklistError(f"flags listed twice: {duplicates}")
    return validated


def content_hash(flags: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(flags, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def flags_for_template(library: dict[str, dict[str, Any]], template: dict[str, Any]) -> list[dict[str, Any]]:
    """A role's checklist from the flag library: the flags it picks, with its weights."""
    flags = []
    for entry in template.get("flags", []):
        key = entry["flag"] if isinstance(entry, dict) else entry
        if key not in library:
            raise ChecklistError(f"checklist {template.get('slug')!r}: no flag {key!r} in the library")
        flag = dict(library[key])
        if isinstance(entry, dict) and "weight" in entry:
            flag["weight"] = entry["weight"]
        flags.append(flag)
    return checklist_validate(flags)

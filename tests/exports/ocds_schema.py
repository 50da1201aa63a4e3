"""The OCDS 1.1.5 release schema (a copy: see README.md) as a Draft 4 validator that also checks formats.

jsonschema only checks a format when it knows how; date-time and uri are checked here by hand, so that no
extra package is needed and nothing is skipped without notice.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker

SCHEMA_PATH = Path(__file__).with_name("release-schema-1.1.5.json")
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
# RFC 3339: a date, a time and a time zone (Z or an offset), seconds optionally with a fraction.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

formats = FormatChecker(formats=())


@formats.checks("date-time", raises=ValueError)
def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@formats.checks("uri")
def is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


Draft4Validator.check_schema(SCHEMA)
RELEASE = Draft4Validator(SCHEMA, format_checker=formats)


def problems(release: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(release)'}: {error.message}"
        for error in sorted(RELEASE.iter_errors(release), key=lambda error: list(map(str, error.absolute_path)))
    ]


def assert_valid_release(release: dict[str, Any]) -> None:
    found = problems(release)
    assert not found, "not a valid OCDS 1.1.5 release:\n" + "\n".join(found)

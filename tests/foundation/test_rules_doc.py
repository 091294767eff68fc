"""docs/rules.md is the project's rule book: every rule id it lists is enforced in the code and
proved by a test, and ``grep -rn R-XXX-N`` finds both (issue: "the project's own rule book")."""

import re
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "var", "node_modules", "vendor", "migrations", "__pycache__", ".git"}
ROW = re.compile(r"^\|\s*`?(R-[A-Z]+-\d+)`?\s*\|(.*?)\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|", re.M)


def _texts(root: Path, *, tests: bool) -> str:
    parts = []
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix not in {".py", ".html", ".txt"}:
            continue
        relative = path.relative_to(BASE)
        if SKIP_DIRS.intersection(relative.parts):
            continue
        if (relative.parts[0] == "tests") != tests:
            continue
        parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def _rows() -> list[tuple[str, str, str, str]]:
    text = (BASE / "docs" / "rules.md").read_text(encoding="utf-8")
    return [(rule, what.strip(), code, test) for rule, what, code, test in ROW.findall(text)]


def test_the_rule_book_lists_rules_with_what_the_portal_does():
    rows = _rows()
    assert len(rows) >= 30
    assert len({rule for rule, *_ in rows}) == len(rows), "a rule listed twice"
    for rule, what, _code, _test in rows:
        assert len(what) > 20, f"{rule}: say in one line what the portal does"


def test_every_rule_of_the_book_is_found_in_the_code_and_in_the_tests():
    code, tests = _texts(BASE, tests=False), _texts(BASE, tests=True)
    for rule, _what, module, test in _rows():
        pattern = re.compile(re.escape(rule) + r"(?!\d)")
        assert pattern.search(code), f"{rule} is not cited in the code"
        assert pattern.search(tests), f"{rule} is not cited in the tests"
        for named in (module, test):
            path = BASE / named.split("::")[0]
            assert path.exists(), f"{rule}: {named} does not exist"
            assert pattern.search(path.read_text(encoding="utf-8")), f"{rule} not in {named}"

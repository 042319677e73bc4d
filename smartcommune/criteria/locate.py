"""Where a path inside a criteria-set document is written in its TOML text.

``tomllib`` gives values, not positions, and the loader names a problem by its
path in the document (``groups[3].criteria[1].conditions[0].threshold``).  This
module reads the text once, line by line, and records the line of every table
header (``[[groups.criteria]]``, ``[period]``) and every key, so that
:func:`line_of` can turn such a path into the line a person should open.  It
understands what criteria files use: arrays of tables, tables, dotted and quoted
keys, inline tables and arrays (also over several lines) and multi-line strings.
A path it cannot place exactly gets the line of its nearest written ancestor.
Nothing here imports Django.
"""

from __future__ import annotations

import re

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def split_path(path: str) -> tuple[str | int, ...]:
    """``"groups[3].criteria[1].code"`` → ``("groups", 3, "criteria", 1, "code")``."""
    parts: list[str | int] = []
    for key, index in _PATH_PART.findall(path):
        parts.append(int(index) if index else key)
    return tuple(parts)


class Locator:
    """The line (1-based) of each table and key of one TOML text."""

    def __init__(self, text: str):
        self.lines: dict[tuple[str | int, ...], int] = {}
        self._counts: dict[tuple[str | int, ...], int] = {}
        self._scan(text)

    def line_of(self, path: str | tuple[str | int, ...]) -> int | None:
        """The line of ``path`` or of its nearest recorded ancestor; ``None`` for the root."""
        parts = split_path(path) if isinstance(path, str) else tuple(path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return None

    # -- scanning ------------------------------------------------------------

    def _record(self, path: tuple[str | int, ...], line: int) -> None:
        self.lines.setdefault(path, line)

    def _resolve(self, keys: list[str]) -> tuple[str | int, ...]:
        """A header's dotted keys, each array of tables resolved to its latest entry."""
        path: tuple[str | int, ...] = ()
        for key in keys:
            path = (*path, key)
            count = self._counts.get(path)
            if count:
                path = (*path, count - 1)
        return path

    def _scan(self, text: str) -> None:
        current: tuple[str | int, ...] = ()
        lines = text.splitlines()
        i = 0
        while i < len(lines):
            raw = lines[i]
            number = i + 1
            stripped = raw.strip()
            i += 1
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("[["):
                keys, _ = _keys(stripped[2:])
                if keys:
                    parent = self._resolve(keys[:-1])
                    array = (*parent, keys[-1])
                    index = self._counts.get(array, 0)
                    self._counts[array] = index + 1
                    current = (*array, index)
                    self._record(array, number)
                    self._record(current, number)
                continue
            if stripped.startswith("["):
                keys, _ = _keys(stripped[1:])
                if keys:
                    current = self._resolve(keys)
                    self._record(current, number)
                continue
            keys, rest = _keys(stripped)
            if not keys or not rest.startswith("="):
                continue
            path = (*current, *keys)
            for n in range(len(current) + 1, len(path) + 1):
                self._record(path[:n], number)
            i = self._value(rest[1:], path, number, lines, i)

    def _value(self, rest: str, path: tuple[str | int, ...], number: int, lines: list[str], i: int) -> int:
        """Record the inline parts of a value starting on line ``number``; return the next line index."""
        scanner = _ValueScanner(self, path, number)
        scanner.feed(rest)
        while not scanner.done and i < len(lines):
            number += 1
            scanner.line = number
            scanner.feed("\n" + lines[i])
            i += 1
        return i


class _ValueScanner:
    """Walks one value (which may span lines), recording inline tables' keys and array items."""

    def __init__(self, locator: Locator, path: tuple[str | int, ...], line: int):
        self.locator = locator
        self.line = line
        # Open brackets, innermost last: [kind "[" or "{", path, next index, awaiting an item or key].
        self.stack: list[list] = []
        self.next_path = path  # the path of the next value that starts
        self.string: str | None = None  # the quote that opened the string we are in
        self.started = False

    @property
    def done(self) -> bool:
        return self.started and not self.stack and self.string is None

    def feed(self, text: str) -> None:
        j = 0
        while j < len(text) and not self.done:
            ch = text[j]
            if self.string is not None:
                j = self._in_string(text, j)
                continue
            if ch.isspace() or ch == "=":
                j += 1
                continue
            if ch == "#":
                end = text.find("\n", j)
                j = len(text) if end < 0 else end
                continue
            top = self.stack[-1] if self.stack else None
            if ch in "]}":
                self.stack.pop() if self.stack else None
                j += 1
                continue
            if ch == ",":
                if top is not None:
                    top[2] += top[0] == "["
                    top[3] = True
                j += 1
                continue
            if top is not None and top[0] == "{" and top[3]:
                keys, rest = _keys(text[j:])
                if keys:
                    self.next_path = (*top[1], *keys)
                    for n in range(len(top[1]) + 1, len(self.next_path) + 1):
                        self.locator._record(self.next_path[:n], self.line)
                    top[3] = False
                    j = len(text) - len(rest)
                    continue
            if top is not None and top[0] == "[" and top[3]:
                self.next_path = (*top[1], top[2])
                self.locator._record(self.next_path, self.line)
                top[3] = False
            self.started = True
            if ch in "[{":
                self.stack.append([ch, self.next_path, 0, True])
                j += 1
            elif text.startswith(('"""', "'''"), j):
                self.string = text[j:j + 3]
                j += 3
            elif ch in "\"'":
                self.string = ch
                j += 1
            else:
                j += 1

    def _in_string(self, text: str, j: int) -> int:
        quote = self.string
        if len(quote) == 3:
            if text.startswith(quote, j):
                self.string = None
                return j + 3
            return j + (2 if quote == '"""' and text[j] == "\\" else 1)
        if text[j] == "\\" and quote == '"':
            return j + 2
        if text[j] in (quote, "\n"):  # closed, or an unclosed one-line string ends
            self.string = None
        return j + 1


def _keys(text: str) -> tuple[list[str], str]:
    """The dotted key at the start of ``text`` and what follows it (stripped)."""
    keys: list[str] = []
    j = 0
    n = len(text)
    while True:
        while j < n and text[j] in " \t":
            j += 1
        if j < n and text[j] in "\"'":
            quote = text[j]
            end = text.find(quote, j + 1)
            if end < 0:
                return [], text
            keys.append(text[j + 1:end])
            j = end + 1
        else:
            match = _BARE_KEY.match(text, j)
            if not match:
                return [], text
            keys.append(match.group())
            j = match.end()
        while j < n and text[j] in " \t":
            j += 1
        if j < n and text[j] == ".":
            j += 1
            continue
        return keys, text[j:].lstrip()

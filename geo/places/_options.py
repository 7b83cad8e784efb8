"""The keyword options the changes of :mod:`geo.places` share, declared once.

Adding, importing, updating, placing, outlining, restoring and undoing all take some of the same
keyword options (whether to write, which snapshot and version, who, how long to wait for the lock,
which refusals to accept). Each is declared here once: its type for callers (:class:`ChangeKeywords`,
what a public function's ``**options`` accepts, checked by mypy at every call), its default and its
numpydoc text (:class:`ChangeOptions`, the frozen object the internal steps pass on). :func:`takes`
makes a public function's signature (``inspect.signature``, ``help()``) and ``Parameters`` section
name the options it takes, and refuses any other as Python refuses an unknown keyword.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypedDict, TypeVar, cast

from geo.store import Snapshot

__all__ = ["ADDING", "WRITING", "ChangeKeywords", "ChangeOptions", "takes"]

F = TypeVar("F", bound=Callable[..., Any])


class ChangeKeywords(TypedDict, total=False):
    """The shared keyword options as a caller passes them (each public change takes the ones it names)."""

    update: bool
    allow_outside: bool
    confirm_area: bool
    reason: str | None
    repair: bool
    dry_run: bool
    expect_version: str | None
    state: Snapshot | None
    editor: str | None
    extra: Mapping[str, Any] | None
    wait: float | None


def _option(default: Any, doc: str) -> Any:
    """Declare a field of :class:`ChangeOptions` with its default and its numpydoc text."""
    return dataclasses.field(default=default, metadata={"doc": doc})


@dataclasses.dataclass(frozen=True)
class ChangeOptions:
    """How a change is checked and written: built once from a public function's keywords, passed to each step."""

    update: bool = _option(False, "Replace an existing place with the same id, name or spot instead of refusing.")
    allow_outside: bool = _option(False, "Accept a location outside the district polygon (still inside its extent).")
    confirm_area: bool = _option(
        False,
        "Accept an outline whose area differs from the stated area by more than "
        ":data:`geo.settings.area_tolerance`, or is far outside its class's sizes; needs ``reason``.",
    )
    reason: str | None = _option(
        None, "Why a refused difference is accepted (with ``confirm_area``); kept in the history record."
    )
    repair: bool = _option(False, "Close unclosed rings and ``make_valid`` a broken outline instead of refusing it.")
    dry_run: bool = _option(False, "Check everything, write nothing (the result says what would be written).")
    expect_version: str | None = _option(
        None,
        "The version (:func:`geo.store.version_of`) of the place the change was made against; if the place "
        "changed since, nothing is written and :class:`geo.errors.ConflictError` says so.",
    )
    state: Snapshot | None = _option(  # noqa: RUF009 (_option is dataclasses.field with a doc; ruff cannot see it)
        None, "The snapshot of the data file a long-running process keeps (``geo serve``; see :func:`geo.store.patch`)."
    )
    editor: str | None = _option(
        None, "Who makes the change, for the history (where it may be left out, :func:`geo.history.default_editor`)."
    )
    extra: Mapping[str, Any] | None = _option(
        None, "More members for the history record (an approved proposal's ``proposer`` and ``reviewer``)."
    )
    wait: float | None = _option(
        None,
        "Seconds to wait for another process's lock on the data file (default "
        ":data:`geo.settings.lock_timeout`); see :func:`geo.store.patch`.",
    )


#: The refusals a new place may be accepted past: what adding and importing take.
ADDING = ("update", "allow_outside", "confirm_area", "reason")
#: How a change is written and recorded: what most changes take.
WRITING = ("dry_run", "state", "editor", "extra", "wait")
_FIELDS = {f.name: f for f in dataclasses.fields(ChangeOptions)}


def _annotation(name: str) -> str:
    """Return an option's type as written in :class:`ChangeKeywords` (``"str | None"``)."""
    written = ChangeKeywords.__annotations__[name]
    return str(getattr(written, "__forward_arg__", written))  # a TypedDict keeps the text as a ForwardRef


def _doc_type(name: str) -> str:
    """Return the numpydoc type of an option: ``bool, default False``, ``str, optional``, ..."""
    annotation = _annotation(name)
    default = _FIELDS[name].default
    if default is None:
        shown = annotation.removesuffix(" | None").replace("Snapshot", "geo.store.Snapshot")
        return f"{shown.replace('Mapping[str, Any]', 'mapping')}, optional"
    return f"{annotation}, default {default!r}"


def _with_options(doc: str, names: tuple[str, ...], required: tuple[str, ...]) -> str:
    """Return ``doc`` documenting the options in ``names``: each at the end of its ``Parameters`` section.

    An option that makes a change refusable adds its refusal to the ``Raises`` section: ``expect_version``
    raises :class:`geo.errors.ConflictError`.
    """
    entries = "".join(
        f"{name} : {_doc_type(name) if name not in required else _doc_type(name).split(',')[0]}\n"
        f"    {_FIELDS[name].metadata['doc']}\n"
        for name in names
    )
    head, sep, tail = inspect.cleandoc(doc).partition("\n\nReturns\n")
    if not sep or ("expect_version" in names and "\nRaises\n------\n" not in tail):
        msg = f"a docstring that takes shared options needs Parameters, Returns (and Raises) sections: {doc[:60]!r}"
        raise ValueError(msg)
    if "expect_version" in names:  # Raises is the last section of the changes' docstrings
        tail += "\ngeo.errors.ConflictError\n    The place changed since ``expect_version``; nothing is written."
    return f"{head}\n{entries.rstrip()}{sep}{tail}"


def takes(*names: str, required: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Let a public function take the shared options ``names`` through its ``**options``.

    Its signature (as :func:`inspect.signature` and ``help()`` show it) lists them as keyword-only
    parameters with their declared defaults (none for those in ``required``), its docstring documents
    each, and a call with any other keyword, or without a required one, is refused with ``TypeError``
    before the function runs, as a call of that signature would be.

    Parameters
    ----------
    *names : str
        Fields of :class:`ChangeOptions` the function takes.
    required : tuple of str
        Those among ``names`` the caller must give.

    Returns
    -------
    callable
        The decorator.
    """
    unknown = [n for n in (*names, *required) if n not in _FIELDS or (n in required and n not in names)]
    if unknown:
        msg = f"not a shared option of geo.places (or required but not taken): {', '.join(unknown)}"
        raise ValueError(msg)

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        own = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        shared = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=inspect.Parameter.empty if name in required else _FIELDS[name].default,
                annotation=_annotation(name),
            )
            for name in names
        ]
        shown = signature.replace(parameters=[*own, *shared])

        @functools.wraps(func)
        def checked(*args: Any, **kwargs: Any) -> Any:
            try:
                shown.bind(*args, **kwargs)
            except TypeError as err:
                msg = f"{func.__name__}() {err}"
                raise TypeError(msg) from None
            return func(*args, **kwargs)

        checked.__signature__ = shown  # type: ignore[attr-defined]
        checked.__doc__ = _with_options(func.__doc__ or "", names, required)
        return cast("F", checked)

    return decorate

"""How ``--help`` names values: ``SOURCE...``, ``--words N``, ``--out PATH``, a flag alone.

Typer (0.27 and later) writes a type beside every parameter instead: ``<str>``, ``<int>``,
``<bool>`` after ``--help`` itself, and ``{inputs}...`` in the usage line.  An
option's ``metavar=`` replaces its type; nothing in Typer does the same for an argument or a
flag.  So every command is built with :class:`Command` (and every group with :class:`Group`),
Typer's documented ``cls=`` hook, which names each value the way Unix usage lines do: an
argument by its name in capitals (``SOURCE...``, or its ``metavar``), an option by its
``metavar`` (or ``N``, ``NUMBER``, ``PATH``, ``TEXT`` by its type), a flag by nothing.
:func:`conventional_help` gives a Typer app's commands these classes.
"""

from __future__ import annotations

from typing import Any

import typer
from typer._click.types import ParamType
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

# The metavar of an option declared without one, by its Python type.
_TYPE_METAVARS = {"int": "N", "float": "NUMBER", "Path": "PATH"}


class _Unnamed(ParamType):
    """An argument's type, converting as before but giving help no name to show."""

    def __init__(self, inner: ParamType) -> None:
        self.inner = inner
        self.name = inner.name

    def get_metavar(self, param: Any, ctx: Any) -> str | None:
        return ""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return self.inner.convert(value, param, ctx)

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> Any:
        return self.inner.shell_complete(ctx, param, incomplete)


class _Argument(TyperArgument):
    """An argument named by its metavar or its name in capitals, with no type beside it."""

    @property
    def display_name_raw(self) -> str:
        return self.metavar or (self.name or "").upper()

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        """``SOURCE...`` when required, ``[SOURCE]...`` when not (a metavar is used as is)."""
        name = self.display_name_raw
        repeat = "..." if self.nargs != 1 and self.metavar is None else ""
        return [f"{name}{repeat}" if self.required else f"[{name}]{repeat}"]


def _name_values(params: list[Any]) -> None:
    for param in params:
        if type(param) is TyperArgument:
            # Typer builds its arguments itself (typer.main.get_click_param), with no hook for
            # their class; re-classing them is the one way to change how help shows them.
            param.__class__ = _Argument
            param.type = _Unnamed(param.type)
        elif isinstance(param, TyperOption) and param.metavar is None:
            bare_type = getattr(param, "bare_type", lambda: "str")
            param.metavar = "" if param.is_flag else _TYPE_METAVARS.get(bare_type(), "TEXT")


class _ConventionalHelp:
    """What :class:`Command` and :class:`Group` share."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_values(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        """``--help``, a flag: shown without a type."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.metavar = ""
        return option


class Command(_ConventionalHelp, TyperCommand):
    """A Typer command whose help names values conventionally."""


class Group(_ConventionalHelp, TyperGroup):
    """A Typer group (``inbrief``, ``inbrief feeds``) whose help names values conventionally."""


def conventional_help(app: typer.Typer) -> typer.Typer:
    """Build every command registered on ``app`` (not its sub-apps) with :class:`Command`."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):  # Typer's default, not a class of the command's own
            info.cls = Command
    return app

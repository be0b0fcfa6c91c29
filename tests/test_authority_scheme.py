"""Who may override a policy at each level of the authority scheme."""

from __future__ import annotations

import pytest

from specver.config import AuthorityScheme, parse_config
from specver.errors import ConfigError


def test_overriders_follow_the_chain_of_command() -> None:
    scheme = AuthorityScheme()
    assert scheme.overriders("root") == ()
    assert scheme.overriders("platform") == ()
    assert scheme.overriders("system") == ("system",)
    assert scheme.overriders("developer") == ("system", "developer")
    assert scheme.overriders("user") == ("system", "developer", "user")
    # Guideline is not a party: system, developer and user instructions override it.
    assert scheme.overriders("guideline") == ("system", "developer", "user")
    assert scheme.overriders("unknown") == ()


def test_only_levels_below_every_party_are_overridden_implicitly() -> None:
    scheme = AuthorityScheme()
    assert scheme.implicitly_overridable("guideline")
    assert not scheme.implicitly_overridable("user")
    assert not scheme.implicitly_overridable("root")


def test_custom_scheme_declares_its_parties() -> None:
    config = parse_config(
        "authority:\n  levels: [spec, operator, member, default]\n  parties: [operator, member]\n"
    )
    scheme = config.scheme
    assert scheme.overriders("operator") == ("operator",)
    assert scheme.overriders("default") == ("operator", "member")
    assert scheme.implicitly_overridable("default")
    # Without `parties`, every level but the top is a party.
    plain = parse_config("authority:\n  levels: [spec, operator, member]\n").scheme
    assert plain.overriders("member") == ("operator", "member")


def test_parties_must_be_levels() -> None:
    with pytest.raises(ConfigError, match="parties"):
        parse_config("authority:\n  levels: [a, b]\n  parties: [c]\n")

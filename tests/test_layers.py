"""The layers of the README's Layout section hold: ``accounts``, ``units`` and the pure
core (``criteria``, ``exchange``) import nothing above them, and the pure core imports no
Django.  The contracts are import-linter's, in pyproject.toml (``lint-imports`` checks
them by hand too).
"""

from __future__ import annotations

import copy
from pathlib import Path

import grimp
import pytest
from importlinter.application.use_cases import read_user_options
from importlinter.cli import lint_imports
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

PYPROJECT = str(Path(__file__).resolve().parents[1] / "pyproject.toml")
CONTRACT_TYPES = {"forbidden": ForbiddenContract, "layers": LayersContract}


@pytest.fixture(scope="module")
def options():
    return read_user_options(PYPROJECT)


@pytest.fixture(scope="module")
def tree():
    return grimp.build_graph("smartcommune", include_external_packages=True, cache_dir=None)


def broken_contracts(graph: grimp.ImportGraph, options) -> list[str]:
    broken = []
    for contract_options in options.contracts_options:
        contract = CONTRACT_TYPES[contract_options["type"]](
            name=contract_options["name"], session_options=options.session_options, contract_options=contract_options,
        )
        if not contract.check(graph, verbose=False).kept:
            broken.append(contract_options["id"])
    return broken


def test_the_tree_keeps_every_contract():
    # import-linter's own command, as run by hand: it prints what is broken and where.
    assert lint_imports(config_filename=PYPROJECT, no_cache=True, no_logo=True) == 0


@pytest.mark.parametrize(("importer", "imported", "contract"), [
    ("smartcommune.accounts.models", "smartcommune.rounds.models", "foundations"),
    ("smartcommune.accounts.admin", "smartcommune.core.views", "foundations"),
    ("smartcommune.units.models", "smartcommune.results.selectors", "foundations"),
    ("smartcommune.criteria.engine", "smartcommune.demo.synthetic", "foundations"),
    ("smartcommune.exchange.long_csv", "smartcommune.api.schemas", "foundations"),
    ("smartcommune.units.models", "smartcommune.accounts.models", "foundation-layers"),
    ("smartcommune.criteria.engine", "smartcommune.exchange.long_csv", "foundation-layers"),
    ("smartcommune.criteria.engine", "django", "pure-core"),
])
def test_an_import_upwards_breaks_its_contract(options, tree, importer, imported, contract):
    graph = copy.deepcopy(tree)
    assert broken_contracts(graph, options) == []
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert contract in broken_contracts(graph, options)

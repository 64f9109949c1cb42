"""An import-linter contract the built-in types cannot say: "no app imports another app's views or forms".

Views and forms are an app's own front door; another app reaches it through its services, selectors,
permissions or a registration point (docs/architecture.md §4). Every app under ``carenet`` is covered,
new ones included, without listing pairs. Used by ``lint-imports`` only (``[tool.importlinter]``).
"""

from __future__ import annotations

from typing import Any

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck

FRONT_DOORS = ("views", "forms")


def _app_and_part(module: str, root: str) -> tuple[str, str]:
    parts = module.split(".")
    if len(parts) < 3 or parts[0] != root:
        return (parts[1] if len(parts) > 1 else "", "")
    return parts[1], parts[2]


class PrivateFrontDoorsContract(Contract):
    root = fields.StringField()  # the package whose apps are checked, "carenet"
    ignore_imports = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        root, ignored = str(self.root), {str(line) for line in self.ignore_imports}  # type: ignore[attr-defined]
        crossings = []
        for importer in sorted(graph.modules):
            if not importer.startswith(f"{root}."):
                continue
            importer_app, importer_part = _app_and_part(importer, root)
            if importer_part == "tests" or importer_app == "testing":
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                imported_app, imported_part = _app_and_part(imported, root)
                crosses = imported_part in FRONT_DOORS and imported_app != importer_app
                if crosses and f"{importer} -> {imported}" not in ignored:
                    crossings.append((importer, imported))
        return ContractCheck(kept=not crossings, metadata={"crossings": crossings})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported in check.metadata["crossings"]:
            output.print_error(f"{importer} imports {imported} (another app's views or forms)")

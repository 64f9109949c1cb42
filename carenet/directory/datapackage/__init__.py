"""HSDS 3.0 tabular datapackage: export (zip of CSVs + datapackage.json) and import.

Import is validated whole before anything is written: one bad row refuses the whole file, and
every error names the file, the row and the field. Imported records get new ids,
``uuid5(target municipality, source id)``: ids are global primary keys, so the same package can be
loaded into several tenants. Taxonomies and terms that are shared reference data, or the importing
municipality's own, keep their ids; any other (another municipality's too) becomes the importer's own.
CareNet's translations travel in an extra resource, ``carenet_translations.csv``.

* ``schema`` — the resources: file, columns, required and typed fields;
* ``export`` — a municipality's directory as tables, and the tables as a zip;
* ``read`` — a zip or a JSON feed as tables (shape only);
* ``validate`` — every value and reference, each error naming file, row and field;
* ``load`` — one loader per resource, run in order in one transaction.
"""

from .export import export_tables, export_zip, tables_to_zip
from .load import LOADERS, ImportReport, import_file, import_tables
from .read import ImportRefused, read_json, read_zip
from .schema import REQUIRED, RESOURCES
from .validate import validate_tables

__all__ = [
    "LOADERS",
    "REQUIRED",
    "RESOURCES",
    "ImportRefused",
    "ImportReport",
    "export_tables",
    "export_zip",
    "import_file",
    "import_tables",
    "read_json",
    "read_zip",
    "tables_to_zip",
    "validate_tables",
]

"""OpenAPI generation details shared by every API module."""

import re

from drf_spectacular.openapi import AutoSchema


class CareNetAutoSchema(AutoSchema):
    """Operation ids name the path parameters too: the same view is mounted both for the whole platform
    and per municipality (``/api/hsds/services`` and ``/api/hsds/{municipality_slug}/services``)."""

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        params = re.findall(r"{(\w+)}", self.path)
        return f"{operation_id}_by_{'_'.join(params)}" if params else operation_id

"""argmap schema: print the JSON Schema of the map format."""

from __future__ import annotations

import typer

ORDER = 90


def schema():
    """Print the JSON Schema of map format v1 (for editors and validators).

    Wire it into an editor with the YAML language server: save it, e.g. as
    argmap.schema.json, and put '# yaml-language-server: $schema=argmap.schema.json'
    on the first line of a map.
    """
    from argmap.map.spec import json_schema
    from argmap.io.writing import dumps_json_data

    typer.echo(dumps_json_data(json_schema()), nl=False)


def register(app, wrap):
    app.command("schema")(wrap(schema))

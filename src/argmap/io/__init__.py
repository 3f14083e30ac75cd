"""Files in and out. Imports only :mod:`argmap.map`.

* :mod:`~argmap.io.files`: reading and decoding files (maps, the article a map
  names), the map suffixes, the one folder walker and the one map sniffer;
* :mod:`~argmap.io.loading` (with :mod:`~argmap.io.yamlload`, the YAML
  reader): text → validated map, with positions;
* :mod:`~argmap.io.yamlemit` writes new maps, :mod:`~argmap.io.fmt` edits
  existing ones keeping comments, both in the layout of
  :mod:`~argmap.io.yamlstyle`; :mod:`~argmap.io.writing`: canonical text and
  atomic writes;
* :mod:`~argmap.io.config`: ``[tool.argmap]`` / ``argmap.toml``.
"""

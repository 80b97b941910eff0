"""Reading resident files: OpenSID .xlsx, Dukcapil SIAK .xls and CSV, recognised by their content.

`read_table(path)` returns the header and the raw rows whatever the format; mapping headers to
resident fields is `columns.py`, turning cells into residents is `appliance.residents.importing`.
"""

from appliance.residents.importers.readers import FileError, RawTable, detect_format, read_table

__all__ = ["FileError", "RawTable", "detect_format", "read_table"]

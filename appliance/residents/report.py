"""What an import would do, for the operator to read before anything changes (and for machines, --json)."""

from __future__ import annotations

from dataclasses import dataclass, field

from appliance.i18n import get_language, translate

SHOW_AT_MOST = 50  # lines of each list in the readable report; --json has them all


@dataclass
class Issue:
    """A refused row or a warning: where it is (row, column as in the file) and why."""

    row: int | None
    column: str | None
    key: str
    params: dict = field(default_factory=dict)

    def describe(self, lang: str) -> str:
        reason = translate(self.key, lang, **self.params)
        if self.row is None:
            return reason
        if self.column:
            where = translate("import.where.row_column", lang, row=self.row, column=self.column)
        else:
            where = translate("import.where.row", lang, row=self.row)
        return f"{where}: {reason}"

    def to_dict(self, lang: str) -> dict:
        return {"row": self.row, "column": self.column, "code": self.key, "message": self.describe(lang)}


@dataclass
class Person:
    """A resident named in the report: masked NIK and name, never the full NIK."""

    nik: str
    nama: str
    fields: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = {"nik": self.nik, "nama": self.nama}
        if self.fields:
            out["fields"] = self.fields
        return out


@dataclass
class ImportReport:
    file: str
    format: str
    mode: str
    added: list[Person] = field(default_factory=list)
    changed: list[Person] = field(default_factory=list)
    unchanged: int = 0
    missing: list[Person] = field(default_factory=list)
    refused: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    present_before: int = 0
    missing_present: int = 0  # of `missing`, those who were living here (the mass-absence check)
    needs_confirmation: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.missing)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "missing": len(self.missing),
            "refused": len(self.refused),
            "warnings": len(self.warnings),
        }

    def to_dict(self, lang: str | None = None) -> dict:
        lang = lang or get_language()
        return {
            "file": self.file,
            "format": self.format,
            "mode": self.mode,
            "counts": self.counts(),
            "needs_confirmation": self.needs_confirmation,
            "present_before": self.present_before,
            "missing_present": self.missing_present,
            "added": [p.to_dict() for p in self.added],
            "changed": [p.to_dict() for p in self.changed],
            "missing": [p.to_dict() for p in self.missing],
            "refused": [i.to_dict(lang) for i in self.refused],
            "warnings": [i.to_dict(lang) for i in self.warnings],
        }

    def format_text(self, lang: str | None = None) -> str:
        lang = lang or get_language()
        t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731 - local shorthand
        c = self.counts()
        lines = [
            t("import.report.title", file=self.file, format=t(f"import.format.{self.format}"),
              mode=t(f"import.mode.{self.mode}")),
            "  " + t("import.report.added", n=c["added"]),
            "  " + t("import.report.changed", n=c["changed"]),
            "  " + t("import.report.unchanged", n=c["unchanged"]),
        ]
        if self.mode == "full":
            lines.append("  " + t("import.report.missing", n=c["missing"]))
        lines += ["  " + t("import.report.refused", n=c["refused"]), "  " + t("import.report.warnings", n=c["warnings"])]

        def section(title_key: str, items: list[str]) -> None:
            if not items:
                return
            lines.append(t(title_key))
            lines.extend("  " + item for item in items[:SHOW_AT_MOST])
            if len(items) > SHOW_AT_MOST:
                lines.append("  " + t("import.report.more", n=len(items) - SHOW_AT_MOST))

        section("import.report.refused_title", [i.describe(lang) for i in self.refused])
        section("import.report.changed_title", [f"{p.nama} ({p.nik}): {', '.join(p.fields)}" for p in self.changed])
        section("import.report.missing_title", [f"{p.nama} ({p.nik})" for p in self.missing])
        section("import.report.warnings_title", [i.describe(lang) for i in self.warnings])
        if self.needs_confirmation:
            lines.append(t("import.report.mass_absent", n=self.missing_present, present=self.present_before))
        return "\n".join(lines)
